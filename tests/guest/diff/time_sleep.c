/* time: clock_gettime (monotonic never goes back, BOOTTIME >= MONOTONIC,
 * REALTIME close to time() and gettimeofday), clock_getres, invalid clocks;
 * nanosleep/clock_nanosleep sleep at least the request, remaining time after
 * interruption is within (0, request), TIMER_ABSTIME, EINVAL cases;
 * setitimer ITIMER_REAL (one-shot and periodic), getitimer, ITIMER_VIRTUAL
 * and ITIMER_PROF on CPU time; POSIX timers (SIGEV_SIGNAL, si_code
 * SI_TIMER, overrun), timerfd, CPU-time clocks. */
#include "check.h"
#include <stdint.h>
#include <sys/timerfd.h>
#include <sys/syscall.h>

static volatile sig_atomic_t alrm, vt, prof, rt_hits, rt_code, rt_val, rt_overrun;
static void on_alrm(int s) { (void)s; alrm++; }
static void on_vt(int s) { (void)s; vt++; }
static void on_prof(int s) { (void)s; prof++; }
static void on_rt(int s, siginfo_t *si, void *u)
{
	(void)s; (void)u;
	if (rt_hits++ == 0)
		rt_overrun = si->si_overrun;
	rt_code = si->si_code;
	rt_val = si->si_value.sival_int;
}

static long ms_between(struct timespec a, struct timespec b)
{
	return (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
}

static void handler(int sig, void (*fn)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigaction(sig, &sa, NULL);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	struct timespec a, b, r;

	/* clocks */
	clockid_t ids[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME,
			    CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, CLOCK_REALTIME_COARSE,
			    CLOCK_MONOTONIC_COARSE };
	const char *names[] = { "REALTIME", "MONOTONIC", "MONOTONIC_RAW", "BOOTTIME", "PROCESS_CPUTIME",
				"THREAD_CPUTIME", "REALTIME_COARSE", "MONOTONIC_COARSE" };
	for (int i = 0; i < 8; i++) {
		int ok = clock_gettime(ids[i], &a) == 0 && a.tv_nsec >= 0 && a.tv_nsec < 1000000000;
		printf("clock_gettime %s: %s\n", names[i], ok ? "ok" : errname(errno));
	}
	clock_getres(CLOCK_MONOTONIC, &r);
	printf("clock_getres MONOTONIC: %ld.%09ld\n", (long)r.tv_sec, r.tv_nsec);
	clock_getres(CLOCK_REALTIME, &r);
	printf("clock_getres REALTIME: %ld.%09ld\n", (long)r.tv_sec, r.tv_nsec);
	CHECK_ERRNO(clock_gettime(1234, &a), "clock_gettime bad clock");
	CHECK_ERRNO(clock_getres(1234, &r), "clock_getres bad clock");
	CHECK_ERRNO(clock_settime(CLOCK_MONOTONIC, &a), "clock_settime MONOTONIC");

	int back = 0;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 10000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (b.tv_sec < a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec < a.tv_nsec))
			back = 1;
		a = b;
	}
	SHOW_OK("MONOTONIC never goes backwards (10000 reads)", !back);
	clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_BOOTTIME, &b);
	SHOW_BOOL("BOOTTIME >= MONOTONIC", b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec));
	clock_gettime(CLOCK_REALTIME, &a);
	time_t t = time(NULL);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	SHOW_BOOL("REALTIME ~ time() (+-1s)", labs(a.tv_sec - t) <= 1);
	SHOW_BOOL("REALTIME ~ gettimeofday (+-1s)", labs(a.tv_sec - tv.tv_sec) <= 1);
	SHOW_BOOL("REALTIME after 2020", a.tv_sec > 1577836800);

	/* nanosleep */
	struct timespec req = { 0, 30 * 1000000 };
	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK_ERRNO(nanosleep(&req, NULL), "nanosleep 30ms");
	clock_gettime(CLOCK_MONOTONIC, &b);
	SHOW_BOOL("slept >= 30ms", ms_between(a, b) >= 30);
	struct timespec bad = { 0, 1000000000 };
	CHECK_ERRNO(nanosleep(&bad, NULL), "nanosleep tv_nsec=1e9");
	struct timespec neg = { -1, 0 };
	CHECK_ERRNO(nanosleep(&neg, NULL), "nanosleep negative");
	struct timespec zero = { 0, 0 };
	CHECK_ERRNO(nanosleep(&zero, NULL), "nanosleep zero");

	handler(SIGALRM, on_alrm);
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	req.tv_sec = 3;
	req.tv_nsec = 0;
	memset(&r, 0, sizeof r);
	int rc = nanosleep(&req, &r);
	printf("nanosleep 3s interrupted: rc=%d errno=%s\n", rc, errname(errno));
	SHOW_BOOL("  remaining > 0 and < 3s", (r.tv_sec > 0 || r.tv_nsec > 0) && r.tv_sec < 3);
	SHOW_BOOL("  remaining > 2s (interrupted after ~50ms)", r.tv_sec >= 2);

	setitimer(ITIMER_REAL, &it, NULL);
	memset(&r, 0, sizeof r);
	rc = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &r);
	printf("clock_nanosleep 3s interrupted: rc=%s\n", errname(rc));
	SHOW_BOOL("  remaining > 0 and < 3s", (r.tv_sec > 0 || r.tv_nsec > 0) && r.tv_sec < 3);

	clock_gettime(CLOCK_MONOTONIC, &a);
	struct timespec abs = a;
	abs.tv_nsec += 40 * 1000000;
	if (abs.tv_nsec >= 1000000000) { abs.tv_sec++; abs.tv_nsec -= 1000000000; }
	rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("clock_nanosleep TIMER_ABSTIME +40ms: rc=%s slept>=40ms=%d\n", errname(rc), ms_between(a, b) >= 40);
	abs.tv_sec -= 10;
	rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
	printf("clock_nanosleep TIMER_ABSTIME in the past: rc=%s\n", errname(rc));
	rc = clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL);
	printf("clock_nanosleep THREAD_CPUTIME: rc=%s\n", errname(rc));
	rc = clock_nanosleep(1234, 0, &req, NULL);
	printf("clock_nanosleep bad clock: rc=%s\n", errname(rc));
	rc = clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL);
	printf("clock_nanosleep bad timespec: rc=%s\n", errname(rc));

	/* setitimer / getitimer */
	struct itimerval cur, old;
	it.it_value.tv_sec = 5;
	it.it_value.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	getitimer(ITIMER_REAL, &cur);
	SHOW_BOOL("getitimer value in (4s, 5s]", cur.it_value.tv_sec == 4 || (cur.it_value.tv_sec == 5 && cur.it_value.tv_usec == 0));
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, &old);
	SHOW_BOOL("setitimer returns old value", old.it_value.tv_sec >= 4);
	getitimer(ITIMER_REAL, &cur);
	SHOW_BOOL("disarmed", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
	SHOW_INT("alarm() after setitimer disarm", alarm(0));

	alrm = 0;
	struct itimerval per = { { 0, 20000 }, { 0, 20000 } };
	setitimer(ITIMER_REAL, &per, NULL);
	sigset_t none;
	sigemptyset(&none);
	while (alrm < 3)
		sigsuspend(&none);
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	SHOW_INT("periodic ITIMER_REAL deliveries waited for", alrm);
	it.it_value.tv_usec = 2000000;
	CHECK_ERRNO(setitimer(ITIMER_REAL, &it, NULL), "setitimer tv_usec=2e6");
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_ERRNO(setitimer(99, &it, NULL), "setitimer bad which");

	/* CPU timers */
	handler(SIGVTALRM, on_vt);
	handler(SIGPROF, on_prof);
	struct itimerval cpu = { { 0, 0 }, { 0, 20000 } };
	setitimer(ITIMER_VIRTUAL, &cpu, NULL);
	setitimer(ITIMER_PROF, &cpu, NULL);
	clock_gettime(CLOCK_MONOTONIC, &a);
	volatile unsigned long spin = 0;
	do {
		for (int i = 0; i < 100000; i++)
			spin++;
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while ((!vt || !prof) && ms_between(a, b) < 5000);
	SHOW_INT("ITIMER_VIRTUAL fired", vt);
	SHOW_INT("ITIMER_PROF fired", prof);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	SHOW_BOOL("process CPU time > 0", a.tv_sec > 0 || a.tv_nsec > 0);

	/* POSIX timers */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_rt;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGRTMIN, &sa, NULL);
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGRTMIN;
	sev.sigev_value.sival_int = 99;
	timer_t tid;
	CHECK_ERRNO(timer_create(CLOCK_MONOTONIC, &sev, &tid), "timer_create");
	struct itimerspec its = { { 0, 0 }, { 0, 30 * 1000000 } }, gits;
	CHECK_ERRNO(timer_settime(tid, 0, &its, NULL), "timer_settime 30ms");
	timer_gettime(tid, &gits);
	SHOW_BOOL("timer_gettime remaining <= 30ms", gits.it_value.tv_sec == 0 && gits.it_value.tv_nsec <= 30000000);
	while (!rt_hits)
		sigsuspend(&none);
	printf("timer signal: hits=%d code_is_SI_TIMER=%d value=%d\n", (int)rt_hits, rt_code == SI_TIMER, (int)rt_val);
	/* overrun: block the signal, let a fast periodic timer expire
	 * repeatedly, then unblock: one signal, with si_overrun > 0 */
	sigset_t blk;
	sigemptyset(&blk);
	sigaddset(&blk, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &blk, NULL);
	struct itimerspec fast = { { 0, 5 * 1000000 }, { 0, 5 * 1000000 } };
	timer_settime(tid, 0, &fast, NULL);
	msleep(60);
	rt_hits = 0;
	rt_overrun = -1;
	sigprocmask(SIG_UNBLOCK, &blk, NULL);
	memset(&fast, 0, sizeof fast);
	timer_settime(tid, 0, &fast, NULL);
	SHOW_BOOL("blocked periodic timer: at least one signal delivered on unblock", rt_hits >= 1);
	SHOW_BOOL("first delivery has si_overrun > 0", rt_overrun > 0);
	CHECK_ERRNO(timer_delete(tid), "timer_delete");
	CHECK_ERRNO(timer_settime(tid, 0, &its, NULL), "timer_settime deleted timer");

	/* timerfd */
	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	CHECK_ERRNO(tfd, "timerfd_create");
	struct itimerspec ti = { { 0, 10 * 1000000 }, { 0, 10 * 1000000 } };
	timerfd_settime(tfd, 0, &ti, NULL);
	uint64_t exp = 0;
	ssize_t n = read(tfd, &exp, sizeof exp);
	printf("timerfd read: n=%zd expirations>=1: %d\n", n, exp >= 1);
	msleep(35);
	read(tfd, &exp, sizeof exp);
	SHOW_BOOL("timerfd counts missed expirations (>=2 after 35ms)", exp >= 2);
	CHECK_ERRNO(read(tfd, &exp, 4), "timerfd short read");
	memset(&ti, 0, sizeof ti);
	timerfd_settime(tfd, 0, &ti, NULL);
	fcntl(tfd, F_SETFL, O_NONBLOCK);
	CHECK_ERRNO(read(tfd, &exp, sizeof exp), "disarmed timerfd nonblocking read");
	close(tfd);
	CHECK_ERRNO(timerfd_create(1234, 0), "timerfd_create bad clock");
	return 0;
}
