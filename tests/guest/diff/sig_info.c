/* sigaction with SA_SIGINFO: si_signo/si_code/si_pid/si_uid for kill,
 * tgkill (raise), sigqueue; SIGCHLD CLD_EXITED/CLD_KILLED/CLD_STOPPED with
 * si_status; SA_RESETHAND; SA_NODEFER; sa_mask during the handler; mask
 * restored after the handler; SA_NOCLDSTOP; SA_NOCLDWAIT; errors. */
#include "check.h"
#include <sys/syscall.h>

static volatile sig_atomic_t got_signo, got_code, got_pid_ok, got_uid, got_val, got_status, count;
static volatile sig_atomic_t reraised, mask_has_self, mask_has_extra, depth, max_depth;
static pid_t expect_pid;

static const char *code_name(int c)
{
	switch (c) {
	case SI_USER: return "SI_USER";
	case SI_TKILL: return "SI_TKILL";
	case SI_QUEUE: return "SI_QUEUE";
	case SI_KERNEL: return "SI_KERNEL";
	case SI_TIMER: return "SI_TIMER";
	case CLD_EXITED: return "CLD_EXITED";
	case CLD_KILLED: return "CLD_KILLED";
	case CLD_STOPPED: return "CLD_STOPPED";
	case CLD_CONTINUED: return "CLD_CONTINUED";
	case CLD_DUMPED: return "CLD_DUMPED";
	}
	return "?";
}

static void info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_signo = si->si_signo;
	got_code = si->si_code;
	got_pid_ok = si->si_pid == expect_pid;
	got_uid = si->si_uid;
	got_val = si->si_value.sival_int;
	got_status = si->si_status;
	count++;
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	mask_has_self = sigismember(&cur, sig);
	mask_has_extra = sigismember(&cur, SIGUSR2);
}

static void nested_handler(int sig)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (depth == 1 && !reraised) {
		reraised = 1;
		raise(sig);   /* re-enters immediately only with SA_NODEFER */
	}
	depth--;
	count++;
}

static void show(const char *label)
{
	printf("%s: signo=%s code=%s pid_ok=%d uid=%d count=%d\n", label, signame(got_signo),
	       code_name(got_code), (int)got_pid_ok, (int)got_uid, (int)count);
}

static void install(int sig, int flags, int extra)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = info_handler;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	if (extra)
		sigaddset(&sa.sa_mask, extra);
	sigaction(sig, &sa, NULL);
}

static void wait_chld_signal(sigset_t *old)
{
	while (!count)
		sigsuspend(old);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	pid_t me = getpid();

	install(SIGUSR1, 0, SIGUSR2);
	expect_pid = me;
	count = 0;
	kill(me, SIGUSR1);
	show("kill(self, SIGUSR1)");
	SHOW_INT("  own signal blocked in handler", mask_has_self);
	SHOW_INT("  sa_mask signal blocked in handler", mask_has_extra);
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	SHOW_INT("  mask restored after handler", sigismember(&cur, SIGUSR1) + sigismember(&cur, SIGUSR2));

	count = 0;
	raise(SIGUSR1);
	show("raise(SIGUSR1)");

	count = 0;
	syscall(SYS_tgkill, me, gettid(), SIGUSR1);
	show("tgkill(self, SIGUSR1)");

	count = 0;
	union sigval v = { .sival_int = 4242 };
	sigqueue(me, SIGUSR1, v);
	show("sigqueue(self, SIGUSR1, 4242)");
	SHOW_INT("  si_value", got_val);

	/* rt_sigqueueinfo with a positive si_code from userspace: EPERM */
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = SIGUSR1;
	si.si_code = SI_KERNEL;
	CHECK_ERRNO(syscall(SYS_rt_sigqueueinfo, me, SIGUSR1, &si), "rt_sigqueueinfo with SI_KERNEL code");

	/* signal from a child */
	count = 0;
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	expect_pid = p;
	sigset_t block, old;
	sigemptyset(&block);
	while (!count)
		sigsuspend(&block);
	show("kill from child");
	wait_for(p);

	/* SIGCHLD */
	install(SIGCHLD, 0, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);

	count = 0;
	p = fork();
	if (p == 0)
		_exit(3);
	expect_pid = p;
	wait_chld_signal(&old);
	show("SIGCHLD child _exit(3)");
	SHOW_INT("  si_status", got_status);
	wait_for(p);

	count = 0;
	p = fork();
	if (p == 0) {
		for (;;)
			pause();
	}
	expect_pid = p;
	kill(p, SIGKILL);
	wait_chld_signal(&old);
	show("SIGCHLD child killed");
	printf("  si_status: %s\n", signame(got_status));
	wait_for(p);

	count = 0;
	p = fork();
	if (p == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	expect_pid = p;
	wait_chld_signal(&old);
	show("SIGCHLD child stopped");
	printf("  si_status: %s\n", signame(got_status));
	count = 0;
	kill(p, SIGCONT);
	wait_chld_signal(&old);
	show("SIGCHLD child continued");
	printf("  si_status: %s\n", signame(got_status));
	/* no wait for the exit's own SIGCHLD: it may merge with the CLD_CONTINUED one
	 * still pending (standard signals do not queue), natively as in the guest */
	wait_for(p);

	/* SA_NOCLDSTOP: no SIGCHLD for stop. First discard a SIGCHLD the exit above may
	 * have left pending (setting SIG_IGN drops it), or this check measures timing. */
	struct sigaction ign;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGCHLD, &ign, NULL);
	install(SIGCHLD, SA_NOCLDSTOP, 0);
	count = 0;
	p = fork();
	if (p == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	int st;
	waitpid(p, &st, WUNTRACED);
	sigset_t pend;
	sigpending(&pend);
	SHOW_INT("SA_NOCLDSTOP: SIGCHLD pending after child stopped", sigismember(&pend, SIGCHLD));
	kill(p, SIGCONT);
	wait_for(p);
	sigprocmask(SIG_SETMASK, &old, NULL);
	count = 0;

	/* SA_NOCLDWAIT: children do not become zombies */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDWAIT;
	sigaction(SIGCHLD, &sa, NULL);
	p = fork();
	if (p == 0)
		_exit(1);
	int r = waitpid(p, &st, 0);
	printf("SA_NOCLDWAIT: waitpid: %s\n", r == -1 ? errname(errno) : "returned child");
	/* SIGCHLD explicitly ignored: the same */
	signal(SIGCHLD, SIG_IGN);
	p = fork();
	if (p == 0)
		_exit(1);
	r = waitpid(p, &st, 0);
	printf("SIGCHLD SIG_IGN: waitpid: %s\n", r == -1 ? errname(errno) : "returned child");
	signal(SIGCHLD, SIG_DFL);

	/* SA_RESETHAND */
	install(SIGUSR2, SA_RESETHAND, 0);
	count = 0;
	raise(SIGUSR2);
	SHOW_INT("SA_RESETHAND first delivery count", count);
	struct sigaction q;
	sigaction(SIGUSR2, NULL, &q);
	SHOW_BOOL("SA_RESETHAND: handler now SIG_DFL", q.sa_handler == SIG_DFL);
	SHOW_INT("SA_RESETHAND: own signal blocked in handler", mask_has_self);
	fflush(stdout);
	p = fork();
	if (p == 0) {
		install(SIGUSR2, SA_RESETHAND, 0);
		raise(SIGUSR2);
		raise(SIGUSR2);
		_exit(0);
	}
	SHOW_STATUS("SA_RESETHAND second delivery", wait_for(p));

	/* SA_NODEFER */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = nested_handler;
	sigaction(SIGUSR1, &sa, NULL);
	count = depth = max_depth = reraised = 0;
	raise(SIGUSR1);
	printf("without SA_NODEFER: max depth=%d count=%d\n", (int)max_depth, (int)count);
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR1, &sa, NULL);
	count = depth = max_depth = reraised = 0;
	raise(SIGUSR1);
	printf("with SA_NODEFER: max depth=%d count=%d\n", (int)max_depth, (int)count);
	install(SIGUSR1, SA_NODEFER, 0);
	raise(SIGUSR1);
	SHOW_INT("SA_NODEFER: own signal blocked in handler", mask_has_self);

	/* sigaction old value round trip and flags */
	struct sigaction a1, a2;
	memset(&a1, 0, sizeof a1);
	a1.sa_sigaction = info_handler;
	a1.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
	sigemptyset(&a1.sa_mask);
	sigaddset(&a1.sa_mask, SIGINT);
	sigaction(SIGHUP, &a1, NULL);
	sigaction(SIGHUP, NULL, &a2);
	SHOW_BOOL("sigaction round trip: handler", a2.sa_sigaction == info_handler);
	SHOW_BOOL("sigaction round trip: flags", (a2.sa_flags & (SA_SIGINFO | SA_RESTART | SA_ONSTACK)) == (SA_SIGINFO | SA_RESTART | SA_ONSTACK));
	SHOW_BOOL("sigaction round trip: mask", sigismember(&a2.sa_mask, SIGINT) == 1);

	/* errors */
	CHECK_ERRNO(sigaction(SIGKILL, &a1, NULL), "sigaction(SIGKILL)");
	CHECK_ERRNO(sigaction(SIGSTOP, &a1, NULL), "sigaction(SIGSTOP)");
	CHECK_ERRNO(sigaction(SIGKILL, NULL, &a2), "sigaction(SIGKILL) query");
	CHECK_ERRNO(syscall(SYS_rt_sigaction, 0, NULL, &a2, 8), "rt_sigaction(0)");
	CHECK_ERRNO(syscall(SYS_rt_sigaction, 65, NULL, &a2, 8), "rt_sigaction(65)");
	CHECK_ERRNO(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &a2, 4), "rt_sigaction bad sigsetsize");
	CHECK_ERRNO(kill(me, 65), "kill(self, 65)");
	CHECK_ERRNO(kill(me, 0), "kill(self, 0)");
	return 0;
}
