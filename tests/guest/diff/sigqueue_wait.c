/* queued signals and the siginfo that reaches sigwaitinfo: rt_sigqueueinfo
 * and rt_tgsigqueueinfo rules (negative codes only to others, forged sender
 * fields passed through, errors), kill/tgkill/SIGCHLD siginfo as dequeued by
 * sigtimedwait (sender pid and real uid, CLD_* codes and statuses), queued
 * order of real-time signals; accounting of children (wait4 rusage,
 * RUSAGE_CHILDREN only after the wait, not for auto-reaped children,
 * times(), SIGCHLD's si_utime); the parent-death signal sent when the parent
 * *thread* exits. */
#include "check.h"
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/times.h>

static int sigqueueinfo(pid_t pid, int sig, int code, int value, pid_t fake_pid)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = sig;
	si.si_code = code;
	si.si_pid = fake_pid;
	si.si_uid = 77;
	si.si_value.sival_int = value;
	return syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
}

static int tgsigqueueinfo(pid_t tgid, pid_t tid, int sig, int code)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_code = code;
	si.si_value.sival_int = 5;
	return syscall(SYS_rt_tgsigqueueinfo, tgid, tid, sig, &si);
}

static sigset_t one(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	return s;
}

static int take(int sig, siginfo_t *si)
{
	sigset_t s = one(sig);
	struct timespec ts = { 3, 0 };
	memset(si, 0, sizeof *si);
	return sigtimedwait(&s, si, &ts);
}

static void queue_rules(void)
{
	pid_t me = getpid();
	siginfo_t si;
	CHECK_ERRNO(sigqueueinfo(me, SIGUSR1, SI_QUEUE, 11, 12345), "to self, SI_QUEUE, forged pid");
	take(SIGUSR1, &si);
	printf("  got code %d pid %d uid %d value %d\n", si.si_code, si.si_pid, si.si_uid, si.si_value.sival_int);
	CHECK_ERRNO(sigqueueinfo(me, SIGUSR1, SI_KERNEL, 12, me), "to self, SI_KERNEL");
	take(SIGUSR1, &si);
	printf("  got code %#x value %d\n", si.si_code, si.si_value.sival_int);
	CHECK_ERRNO(sigqueueinfo(getppid(), SIGUSR1, SI_KERNEL, 0, me), "to parent, SI_KERNEL");
	CHECK_ERRNO(sigqueueinfo(getppid(), SIGUSR1, SI_TKILL, 0, me), "to parent, SI_TKILL");
	CHECK_ERRNO(sigqueueinfo(getppid(), SIGUSR1, SI_USER, 0, me), "to parent, SI_USER");
	CHECK_ERRNO(sigqueueinfo(getppid(), 0, SI_QUEUE, 0, me), "to parent, signal 0");
	CHECK_ERRNO(sigqueueinfo(me, 65, SI_QUEUE, 0, me), "signal 65");
	CHECK_ERRNO(sigqueueinfo(999999, SIGUSR1, SI_QUEUE, 0, me), "no such process");
	CHECK_ERRNO(syscall(SYS_rt_sigqueueinfo, me, SIGUSR1, (void *)1), "bad siginfo pointer");
	CHECK_ERRNO(tgsigqueueinfo(me, 0, SIGUSR1, SI_QUEUE), "tgsigqueueinfo tid 0");
	CHECK_ERRNO(tgsigqueueinfo(0, me, SIGUSR1, SI_QUEUE), "tgsigqueueinfo tgid 0");
	CHECK_ERRNO(tgsigqueueinfo(getppid(), me, SIGUSR1, SI_QUEUE), "tgsigqueueinfo wrong tgid");
	CHECK_ERRNO(tgsigqueueinfo(me, me, SIGUSR1, SI_KERNEL), "tgsigqueueinfo self, SI_KERNEL");
	take(SIGUSR1, &si);
	printf("  got code %#x\n", si.si_code);
	for (int v = 1; v <= 3; v++)
		sigqueueinfo(me, SIGRTMIN, SI_QUEUE, v, me);
	printf("real-time queue order:");
	for (int v = 1; v <= 3; v++) {
		take(SIGRTMIN, &si);
		printf(" %d", si.si_value.sival_int);
	}
	printf("\n");
	setresuid(1000, 1000, 1000);
	CHECK_ERRNO(sigqueueinfo(getppid(), SIGUSR1, SI_QUEUE, 0, me), "uid 1000 to root, SI_QUEUE");
	CHECK_ERRNO(sigqueueinfo(me, SIGUSR1, SI_QUEUE, 0, me), "uid 1000 to self, SI_QUEUE");
	take(SIGUSR1, &si);
}

static pid_t main_tid;

static void *queue_from_thread(void *arg)
{
	(void)arg;
	pid_t me = getpid();
	CHECK_ERRNO(sigqueueinfo(me, SIGUSR2, SI_KERNEL, 0, me), "thread to own process, SI_KERNEL");
	CHECK_ERRNO(tgsigqueueinfo(me, main_tid, SIGUSR2, SI_QUEUE), "thread to main thread, SI_QUEUE");
	CHECK_ERRNO(syscall(SYS_tgkill, me, main_tid, SIGUSR1), "tgkill main thread");
	return NULL;
}

static void threads(void)
{
	main_tid = gettid();
	pthread_t th;
	pthread_create(&th, NULL, queue_from_thread, NULL);
	pthread_join(th, NULL);
	siginfo_t si;
	take(SIGUSR2, &si);
	printf("  SIGUSR2: code %d value %d\n", si.si_code, si.si_value.sival_int);
	take(SIGUSR1, &si);
	printf("  SIGUSR1: code %d pid ok %d uid %d\n", si.si_code, si.si_pid == getpid(), si.si_uid);
}

static void from_child(void)
{
	siginfo_t si;
	pid_t parent = getpid();
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		setresuid(1000, 0, 0);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	take(SIGUSR1, &si);
	printf("kill from a child with uid 1000/euid 0: code %d pid ok %d uid %d\n", si.si_code, si.si_pid == p, si.si_uid);
	take(SIGCHLD, &si);
	printf("SIGCHLD exit: code %d status %d pid ok %d uid %d\n", si.si_code, si.si_status, si.si_pid == p, si.si_uid);
	wait_for(p);

	p = fork();
	if (p == 0) {
		pause();
		_exit(0);
	}
	kill(p, SIGTERM);
	take(SIGCHLD, &si);
	printf("SIGCHLD killed: code %d status %s\n", si.si_code, signame(si.si_status));
	wait_for(p);

	p = fork();
	if (p == 0) {
		setresuid(1000, 1000, 1000);
		raise(SIGSTOP);
		_exit(3);
	}
	take(SIGCHLD, &si);
	printf("SIGCHLD stopped: code %d status %s uid %d\n", si.si_code, signame(si.si_status), si.si_uid);
	siginfo_t w;
	memset(&w, 0, sizeof w);
	waitid(P_PID, p, &w, WSTOPPED | WNOHANG);
	printf("waitid stopped: code %d status %s uid %d\n", w.si_code, signame(w.si_status), w.si_uid);
	kill(p, SIGCONT);
	take(SIGCHLD, &si);
	printf("SIGCHLD continued: code %d status %s\n", si.si_code, signame(si.si_status));
	take(SIGCHLD, &si);
	printf("SIGCHLD exit after continue: code %d status %d uid %d\n", si.si_code, si.si_status, si.si_uid);
	memset(&w, 0, sizeof w);
	waitid(P_PID, p, &w, WEXITED);
	printf("waitid exited: code %d status %d uid %d\n", w.si_code, w.si_status, w.si_uid);
}

static void burn_ms(long ms)
{
	struct timespec a, b;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	volatile unsigned long x = 0;
	do {
		for (int i = 0; i < 100000; i++)
			x += i;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static long ru_ms(const struct rusage *ru)
{
	return (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000 +
	       (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1000;
}

static void accounting(void)
{
	struct rusage ru;
	siginfo_t si;
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		burn_ms(120);
		_exit(0);
	}
	take(SIGCHLD, &si);
	printf("SIGCHLD of a busy child: si_utime+si_stime >= 10 ticks %d\n", si.si_utime + si.si_stime >= 10);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("RUSAGE_CHILDREN before the wait: %ld ms\n", ru_ms(&ru));
	int st;
	struct rusage wru;
	wait4(p, &st, 0, &wru);
	printf("wait4 rusage >= 100 ms: %d, maxrss > 0: %d\n", ru_ms(&wru) >= 100, wru.ru_maxrss > 0);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("RUSAGE_CHILDREN after the wait >= 100 ms: %d, equals wait4's: %d\n", ru_ms(&ru) >= 100,
	       ru_ms(&ru) == ru_ms(&wru));
	struct tms t;
	times(&t);
	printf("times: tms_cutime+tms_cstime >= 10: %d\n", t.tms_cutime + t.tms_cstime >= 10);

	/* a grandchild's time reaches us through its parent's wait */
	p = fork();
	if (p == 0) {
		pid_t g = fork();
		if (g == 0) {
			burn_ms(120);
			_exit(0);
		}
		waitpid(g, NULL, 0);
		_exit(0);
	}
	wait4(p, &st, 0, &wru);
	printf("wait4 rusage includes the reaped grandchild: %d\n", ru_ms(&wru) >= 100);

	long before = (getrusage(RUSAGE_CHILDREN, &ru), ru_ms(&ru));
	signal(SIGCHLD, SIG_IGN);
	p = fork();
	if (p == 0) {
		burn_ms(60);
		_exit(0);
	}
	int r = waitpid(p, &st, 0);
	printf("auto-reaped child: waitpid %s\n", r < 0 ? errname(errno) : "returned");
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("RUSAGE_CHILDREN unchanged by it: %d\n", ru_ms(&ru) == before);
	signal(SIGCHLD, SIG_DFL);
}

static int report[2];

static void on_pdeath(int s)
{
	(void)s;
	char c = 'D';
	write(report[1], &c, 1);
}

static void *forking_thread(void *arg)
{
	(void)arg;
	pid_t p = fork();
	if (p == 0) {
		signal(SIGUSR1, on_pdeath);
		prctl(PR_SET_PDEATHSIG, SIGUSR1);
		char c = 'R';
		write(report[1], &c, 1);
		for (int i = 0; i < 300; i++)
			msleep(10);
		_exit(0);
	}
	char c;
	read(report[0], &c, 1);   /* the child is ready */
	return (void *)(intptr_t)p;
}

static void pdeath_thread(void)
{
	pipe(report);
	pthread_t th;
	void *ret;
	fflush(stdout);
	pthread_create(&th, NULL, forking_thread, NULL);
	pthread_join(th, &ret);
	pid_t p = (pid_t)(intptr_t)ret;
	struct timeval tv = { 2, 0 };
	fd_set fds;
	FD_ZERO(&fds);
	FD_SET(report[0], &fds);
	int ready = select(report[0] + 1, &fds, NULL, NULL, &tv);
	char c = '?';
	if (ready > 0)
		read(report[0], &c, 1);
	printf("parent thread exited: child got its pdeath signal: %d\n", c == 'D');
	kill(p, SIGKILL);
	wait_for(p);
}

static int in_child(void (*fn)(void))
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		sigset_t all;
		sigemptyset(&all);
		sigaddset(&all, SIGUSR1);
		sigaddset(&all, SIGUSR2);
		sigaddset(&all, SIGRTMIN);
		sigaddset(&all, SIGCHLD);
		sigprocmask(SIG_BLOCK, &all, NULL);
		fn();
		fflush(stdout);
		_exit(0);
	}
	return wait_for(p);
}

static void pdeath_unblocked(void)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	pdeath_thread();
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	SHOW_STATUS("queue rules", in_child(queue_rules));
	SHOW_STATUS("threads", in_child(threads));
	SHOW_STATUS("from child", in_child(from_child));
	SHOW_STATUS("accounting", in_child(accounting));
	SHOW_STATUS("pdeath", in_child(pdeath_unblocked));
	return 0;
}
