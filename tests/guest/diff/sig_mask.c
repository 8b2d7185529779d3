/* signal masks: sigprocmask blocking + sigpending, coalescing of standard
 * signals vs queueing of real-time signals (in order, with values),
 * SIGKILL/SIGSTOP unblockable, sigsuspend, rt_sigtimedwait (timeout EAGAIN,
 * zero timeout, pending signal), sigwaitinfo, signalfd, pthread_sigmask
 * errors, ignoring a pending signal discards it. */
#include "check.h"
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <pthread.h>

static volatile sig_atomic_t hits, order[16], norder;
static volatile int vals[16];

static void h(int sig) { hits++; if (norder < 16) order[norder++] = sig; }
static void hq(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (norder < 16) { order[norder] = sig; vals[norder] = si->si_value.sival_int; norder++; }
	hits++;
}

static void set_handler(int sig, int full_mask)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = hq;
	sa.sa_flags = SA_SIGINFO;
	if (full_mask)
		sigfillset(&sa.sa_mask);
	else
		sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	sigset_t s, old, pend;
	pid_t me = getpid();

	signal(SIGUSR1, h);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	CHECK_ERRNO(sigprocmask(SIG_BLOCK, &s, &old), "block SIGUSR1");
	SHOW_INT("old mask had SIGUSR1", sigismember(&old, SIGUSR1));
	kill(me, SIGUSR1);
	kill(me, SIGUSR1);
	SHOW_INT("handler runs while blocked", hits);
	sigpending(&pend);
	SHOW_INT("sigpending has SIGUSR1", sigismember(&pend, SIGUSR1));
	SHOW_INT("sigpending has SIGUSR2", sigismember(&pend, SIGUSR2));
	CHECK_ERRNO(sigprocmask(SIG_UNBLOCK, &s, NULL), "unblock SIGUSR1");
	SHOW_INT("standard signal sent twice while blocked: deliveries", hits);
	sigpending(&pend);
	SHOW_INT("sigpending after delivery", sigismember(&pend, SIGUSR1));

	/* several pending standard signals: lowest number first when the
	 * handler blocks everything */
	set_handler(SIGUSR1, 1);
	set_handler(SIGUSR2, 1);
	set_handler(SIGHUP, 1);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	sigaddset(&s, SIGHUP);
	sigprocmask(SIG_BLOCK, &s, NULL);
	kill(me, SIGUSR2);
	kill(me, SIGHUP);
	kill(me, SIGUSR1);
	norder = hits = 0;
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	printf("delivery order:");
	for (int i = 0; i < norder; i++)
		printf(" %s", signame(order[i]));
	printf("\n");

	/* real-time signals queue, in order, with their values */
	int rt = SIGRTMIN + 2;
	set_handler(rt, 1);
	set_handler(rt + 1, 1);
	sigemptyset(&s);
	sigaddset(&s, rt);
	sigaddset(&s, rt + 1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	for (int i = 1; i <= 3; i++) {
		union sigval v = { .sival_int = i * 10 + 1 };
		sigqueue(me, rt + 1, v);
		v.sival_int = i * 10;
		sigqueue(me, rt, v);
	}
	norder = hits = 0;
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	printf("rt deliveries: %d:", (int)hits);
	for (int i = 0; i < norder; i++)
		printf(" %s/%d", signame(order[i]), vals[i]);
	printf("\n");

	/* SIGKILL and SIGSTOP cannot be blocked */
	sigfillset(&s);
	sigprocmask(SIG_SETMASK, &s, NULL);
	sigprocmask(SIG_SETMASK, NULL, &old);
	SHOW_INT("mask after blocking all has SIGKILL", sigismember(&old, SIGKILL));
	SHOW_INT("mask after blocking all has SIGSTOP", sigismember(&old, SIGSTOP));
	SHOW_INT("mask after blocking all has SIGTERM", sigismember(&old, SIGTERM));
	sigemptyset(&s);
	sigprocmask(SIG_SETMASK, &s, NULL);
	CHECK_ERRNO(sigprocmask(99, &s, NULL), "sigprocmask bad how");
	CHECK_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &s, NULL, 4), "rt_sigprocmask bad size");

	/* ignoring a pending signal discards it */
	signal(SIGUSR1, h);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	kill(me, SIGUSR1);
	signal(SIGUSR1, SIG_IGN);
	sigpending(&pend);
	SHOW_INT("pending after SIG_IGN", sigismember(&pend, SIGUSR1));
	signal(SIGUSR1, h);
	hits = 0;
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	SHOW_INT("delivered after re-install", hits);
	/* a blocked signal whose action is ignore is not even queued */
	signal(SIGUSR1, SIG_IGN);
	sigprocmask(SIG_BLOCK, &s, NULL);
	kill(me, SIGUSR1);
	sigpending(&pend);
	SHOW_INT("blocked+ignored signal pending", sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	signal(SIGUSR1, h);

	/* sigsuspend: returns EINTR after the handler, restores the mask */
	sigprocmask(SIG_BLOCK, &s, &old);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		msleep(20);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	hits = 0;
	sigset_t wait_mask;
	sigemptyset(&wait_mask);
	int r = sigsuspend(&wait_mask);
	printf("sigsuspend: %d %s hits=%d\n", r, errname(errno), (int)hits);
	sigprocmask(SIG_SETMASK, NULL, &pend);
	SHOW_INT("mask restored after sigsuspend (SIGUSR1 blocked)", sigismember(&pend, SIGUSR1));
	wait_for(p);

	/* rt_sigtimedwait */
	siginfo_t si;
	struct timespec ts = { 0, 30 * 1000000 };
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	CHECK_ERRNO(sigtimedwait(&s, &si, &ts), "sigtimedwait 30ms, nothing pending");
	struct timespec zero = { 0, 0 };
	CHECK_ERRNO(sigtimedwait(&s, &si, &zero), "sigtimedwait zero timeout");
	struct timespec bad = { 0, 1000000000 };
	CHECK_ERRNO(sigtimedwait(&s, &si, &bad), "sigtimedwait bad timeout");
	kill(me, SIGUSR2);
	memset(&si, 0, sizeof si);
	r = sigtimedwait(&s, &si, &ts);
	printf("sigtimedwait pending: %s si_signo=%s si_code=%d pid_ok=%d\n", r > 0 ? signame(r) : errname(errno),
	       signame(si.si_signo), si.si_code, si.si_pid == me);
	union sigval v = { .sival_int = 77 };
	sigqueue(me, SIGUSR2, v);
	memset(&si, 0, sizeof si);
	r = sigwaitinfo(&s, &si);
	printf("sigwaitinfo: %s value=%d code_is_SI_QUEUE=%d\n", r > 0 ? signame(r) : errname(errno),
	       si.si_value.sival_int, si.si_code == SI_QUEUE);
	int sig = 0;
	kill(me, SIGUSR2);
	r = sigwait(&s, &sig);
	printf("sigwait: rc=%d sig=%s\n", r, signame(sig));
	/* wait for a signal sent later by a child */
	fflush(stdout);
	p = fork();
	if (p == 0) {
		msleep(30);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	struct timespec longer = { 5, 0 };
	r = sigtimedwait(&s, &si, &longer);
	printf("sigtimedwait for child's signal: %s pid_ok=%d\n", r > 0 ? signame(r) : errname(errno), si.si_pid == p);
	wait_for(p);

	/* signalfd */
	int sfd = signalfd(-1, &s, SFD_CLOEXEC | SFD_NONBLOCK);
	CHECK_ERRNO(sfd, "signalfd");
	struct signalfd_siginfo fdsi;
	CHECK_ERRNO(read(sfd, &fdsi, sizeof fdsi), "signalfd read, nothing pending");
	kill(me, SIGUSR2);
	ssize_t n = read(sfd, &fdsi, sizeof fdsi);
	printf("signalfd read: %zd signo=%s pid_ok=%d\n", n, signame(fdsi.ssi_signo), fdsi.ssi_pid == (uint32_t)me);
	CHECK_ERRNO(read(sfd, &fdsi, 4), "signalfd short read");
	close(sfd);
	sigprocmask(SIG_UNBLOCK, &s, NULL);

	CHECK_RC(pthread_sigmask(99, &s, NULL), "pthread_sigmask bad how");
	return 0;
}
