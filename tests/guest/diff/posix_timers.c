/* POSIX timers and interval timers beyond time_sleep.c: the default
 * sigevent, si_timerid/si_value, overruns counted while the signal waits and
 * reported by timer_getoverrun, a queued signal dropped when its timer is
 * re-armed or deleted, SIGEV_NONE timers, SIGEV_THREAD_ID, SIGEV_THREAD
 * (glibc's helper thread in sigwaitinfo), TIMER_ABSTIME, CPU-time clocks,
 * error cases, timers across fork and exec (POSIX timers die, itimers stay),
 * alarm's rounding and setitimer's old value. */
#define CHECK_SUB_MAIN sub_main
#include "check.h"
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <sys/syscall.h>

#define MS 1000000L

static volatile sig_atomic_t hits, got_code, got_timerid, got_value, got_tid;

static void on_timer(int s, siginfo_t *si, void *u)
{
	(void)s; (void)u;
	hits++;
	got_code = si->si_code;
	got_timerid = si->si_timerid;
	got_value = si->si_value.sival_int;
	got_tid = (sig_atomic_t)gettid();
}

static void install(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_timer;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(sig, &sa, NULL);
}

static void block(int sig, int how)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(how, &s, NULL);
}

static struct itimerspec ms_spec(long value_ms, long interval_ms)
{
	struct itimerspec its = { { interval_ms / 1000, interval_ms % 1000 * MS },
				  { value_ms / 1000, value_ms % 1000 * MS } };
	return its;
}

static int kid(timer_t t) { return (int)(intptr_t)t; }

static void wait_hits(int n)
{
	for (int i = 0; i < 300 && hits < n; i++)
		msleep(10);
}

static void default_sigevent(void)
{
	timer_t t;
	install(SIGALRM);
	CHECK_ERRNO(timer_create(CLOCK_MONOTONIC, NULL, &t), "timer_create(NULL sigevent)");
	struct itimerspec its = ms_spec(20, 0);
	hits = 0;
	timer_settime(t, 0, &its, NULL);
	wait_hits(1);
	printf("default: hits %d SIGALRM code SI_TIMER %d timerid ok %d value==id %d\n", (int)hits,
	       got_code == SI_TIMER, got_timerid == kid(t), got_value == kid(t));
	struct itimerspec cur;
	timer_gettime(t, &cur);
	SHOW_BOOL("expired one-shot reads zero", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
	timer_delete(t);
	signal(SIGALRM, SIG_DFL);
}

static timer_t rt_timer(int notify)
{
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = notify;
	ev.sigev_signo = SIGRTMIN;
	ev.sigev_value.sival_int = 4242;
	timer_t t;
	timer_create(CLOCK_MONOTONIC, &ev, &t);
	return t;
}

static void overruns(void)
{
	block(SIGRTMIN, SIG_BLOCK);
	timer_t t = rt_timer(SIGEV_SIGNAL);
	struct itimerspec its = ms_spec(10, 10);
	timer_settime(t, 0, &its, NULL);
	msleep(105);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGRTMIN);
	siginfo_t si;
	struct timespec zero = { 0, 0 };
	int r = sigtimedwait(&s, &si, &zero);
	printf("periodic 10ms, 105ms blocked: sigtimedwait %s code SI_TIMER %d value %d\n",
	       r == SIGRTMIN ? "SIGRTMIN" : errname(errno), si.si_code == SI_TIMER, si.si_value.sival_int);
	SHOW_BOOL("  si_overrun in [5,12]", si.si_overrun >= 5 && si.si_overrun <= 12);
	SHOW_BOOL("  timer_getoverrun == si_overrun", timer_getoverrun(t) == si.si_overrun);
	SHOW_BOOL("  only one signal was queued", sigtimedwait(&s, &si, &zero) == -1 && errno == EAGAIN);
	msleep(25);
	r = sigtimedwait(&s, &si, &zero);
	printf("  re-armed at delivery, fires again: %s\n", r == SIGRTMIN ? "yes" : errname(errno));
	struct itimerspec cur;
	timer_gettime(t, &cur);
	SHOW_BOOL("  gettime interval 10ms", cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 10 * MS);
	SHOW_BOOL("  gettime value in (0,10ms]", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
		  cur.it_value.tv_nsec <= 10 * MS);
	its = ms_spec(0, 0);
	timer_settime(t, 0, &its, NULL);
	timer_gettime(t, &cur);
	SHOW_BOOL("  disarmed reads zero (interval too)", cur.it_value.tv_nsec == 0 && cur.it_interval.tv_nsec == 0);
	SHOW_INT("  timer_getoverrun after re-arm", timer_getoverrun(t));
	timer_delete(t);
	sigtimedwait(&s, &si, &zero);
	block(SIGRTMIN, SIG_UNBLOCK);
}

static void stale_signals(void)
{
	block(SIGRTMIN, SIG_BLOCK);
	sigset_t s, pend;
	sigemptyset(&s);
	sigaddset(&s, SIGRTMIN);
	siginfo_t si;
	struct timespec zero = { 0, 0 };

	timer_t t = rt_timer(SIGEV_SIGNAL);
	struct itimerspec its = ms_spec(10, 0);
	timer_settime(t, 0, &its, NULL);
	msleep(40);
	sigpending(&pend);
	SHOW_BOOL("fired while blocked: pending", sigismember(&pend, SIGRTMIN));
	its = ms_spec(10000, 0);
	timer_settime(t, 0, &its, NULL);
	int r = sigtimedwait(&s, &si, &zero);
	printf("after re-arming, the queued signal: %s\n", r == SIGRTMIN ? "delivered" : errname(errno));

	its = ms_spec(10, 0);
	timer_settime(t, 0, &its, NULL);
	msleep(40);
	timer_delete(t);
	r = sigtimedwait(&s, &si, &zero);
	printf("after timer_delete, the queued signal: %s\n", r == SIGRTMIN ? "delivered" : errname(errno));

	t = rt_timer(SIGEV_SIGNAL);
	its = ms_spec(10, 0);
	timer_settime(t, 0, &its, NULL);
	msleep(40);
	hits = 0;
	install(SIGRTMIN);
	timer_settime(t, 0, &(struct itimerspec){ { 0, 0 }, { 0, 0 } }, NULL);
	block(SIGRTMIN, SIG_UNBLOCK);
	printf("after disarming, handler runs: %d\n", (int)hits);
	timer_delete(t);
	signal(SIGRTMIN, SIG_DFL);
}

static void sigev_none(void)
{
	timer_t t = rt_timer(SIGEV_NONE);
	struct itimerspec its = ms_spec(50, 0), cur;
	timer_settime(t, 0, &its, NULL);
	timer_gettime(t, &cur);
	SHOW_BOOL("SIGEV_NONE running: value in (0,50ms]", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
		  cur.it_value.tv_nsec <= 50 * MS);
	msleep(70);
	timer_gettime(t, &cur);
	SHOW_BOOL("SIGEV_NONE expired: value 0", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
	sigset_t pend;
	sigpending(&pend);
	SHOW_BOOL("SIGEV_NONE: nothing pending", !sigismember(&pend, SIGRTMIN));
	its = ms_spec(10, 10);
	timer_settime(t, 0, &its, NULL);
	msleep(35);
	timer_gettime(t, &cur);
	SHOW_BOOL("SIGEV_NONE periodic: value in (0,10ms]", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
		  cur.it_value.tv_nsec <= 10 * MS);
	timer_delete(t);
}

static volatile int thread_tid;
static sem_t ready, done;

static void *target_thread(void *arg)
{
	(void)arg;
	thread_tid = gettid();
	sem_post(&ready);
	sem_wait(&done);
	return NULL;
}

static void thread_id(void)
{
	pthread_t th;
	sem_init(&ready, 0, 0);
	sem_init(&done, 0, 0);
	install(SIGRTMIN);
	pthread_create(&th, NULL, target_thread, NULL);
	sem_wait(&ready);
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = SIGRTMIN;
	ev._sigev_un._tid = thread_tid;
	timer_t t;
	CHECK_ERRNO(timer_create(CLOCK_MONOTONIC, &ev, &t), "timer_create SIGEV_THREAD_ID");
	hits = 0;
	struct itimerspec its = ms_spec(10, 0);
	timer_settime(t, 0, &its, NULL);
	wait_hits(1);
	SHOW_BOOL("handled in the named thread", hits == 1 && got_tid == thread_tid);
	timer_delete(t);
	ev._sigev_un._tid = getppid();
	CHECK_ERRNO(timer_create(CLOCK_MONOTONIC, &ev, &t), "SIGEV_THREAD_ID naming another process");
	ev._sigev_un._tid = 999999;
	CHECK_ERRNO(timer_create(CLOCK_MONOTONIC, &ev, &t), "SIGEV_THREAD_ID naming no one");
	sem_post(&done);
	pthread_join(th, NULL);
	signal(SIGRTMIN, SIG_DFL);
}

static volatile int cb_hits, cb_value;
static sem_t cb_sem;

static void callback(union sigval v)
{
	cb_hits++;
	cb_value = v.sival_int;
	sem_post(&cb_sem);
}

static void sigev_thread(void)
{
	sem_init(&cb_sem, 0, 0);
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_notify_function = callback;
	ev.sigev_value.sival_int = 77;
	timer_t t;
	CHECK_ERRNO(timer_create(CLOCK_MONOTONIC, &ev, &t), "timer_create SIGEV_THREAD");
	struct itimerspec its = ms_spec(10, 0);
	timer_settime(t, 0, &its, NULL);
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 3;
	int r = sem_timedwait(&cb_sem, &dl);
	printf("SIGEV_THREAD callback: %s hits %d value %d\n", r == 0 ? "ran" : errname(errno), cb_hits, cb_value);
	timer_delete(t);
}

static void abstime(void)
{
	install(SIGRTMIN);
	timer_t t = rt_timer(SIGEV_SIGNAL);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	struct itimerspec its = { { 0, 0 }, now };
	its.it_value.tv_nsec += 20 * MS;
	if (its.it_value.tv_nsec >= 1000 * MS) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000 * MS;
	}
	hits = 0;
	CHECK_ERRNO(timer_settime(t, TIMER_ABSTIME, &its, NULL), "TIMER_ABSTIME now+20ms");
	wait_hits(1);
	SHOW_INT("  fired", hits);
	its.it_value.tv_sec = 1;
	its.it_value.tv_nsec = 0;
	hits = 0;
	CHECK_ERRNO(timer_settime(t, TIMER_ABSTIME, &its, NULL), "TIMER_ABSTIME in the past");
	wait_hits(1);
	SHOW_INT("  fired at once", hits);
	timer_delete(t);
	signal(SIGRTMIN, SIG_DFL);
}

static void cpu_clocks(void)
{
	clockid_t clocks[2] = { CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID };
	const char *names[2] = { "PROCESS_CPUTIME", "THREAD_CPUTIME" };
	install(SIGRTMIN);
	for (int i = 0; i < 2; i++) {
		timer_t t;
		struct sigevent ev;
		memset(&ev, 0, sizeof ev);
		ev.sigev_notify = SIGEV_SIGNAL;
		ev.sigev_signo = SIGRTMIN;
		timer_create(clocks[i], &ev, &t);
		struct timespec c0, c1, w0, w1;
		clock_gettime(clocks[i], &c0);
		clock_gettime(CLOCK_MONOTONIC, &w0);
		struct itimerspec its = ms_spec(50, 0);
		hits = 0;
		timer_settime(t, 0, &its, NULL);
		volatile unsigned long x = 0;
		do {
			for (int k = 0; k < 100000; k++)
				x += k;
			clock_gettime(CLOCK_MONOTONIC, &w1);
		} while (!hits && w1.tv_sec - w0.tv_sec < 5);
		clock_gettime(clocks[i], &c1);
		long used = (c1.tv_sec - c0.tv_sec) * 1000 + (c1.tv_nsec - c0.tv_nsec) / MS;
		printf("%s timer 50ms: fired %d after >= 50ms of CPU %d\n", names[i], (int)hits, used >= 50);
		timer_delete(t);
	}
	signal(SIGRTMIN, SIG_DFL);
}

static void errors(void)
{
	timer_t t;
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGRTMIN;
	CHECK_ERRNO(timer_create(99, &ev, &t), "timer_create clock 99");
	CHECK_ERRNO(timer_create(CLOCK_MONOTONIC_RAW, &ev, &t), "timer_create MONOTONIC_RAW");
	CHECK_ERRNO(timer_create(CLOCK_REALTIME_COARSE, &ev, &t), "timer_create REALTIME_COARSE");
	ev.sigev_signo = 0;
	CHECK_ERRNO(timer_create(CLOCK_MONOTONIC, &ev, &t), "timer_create signal 0");
	ev.sigev_signo = 65;
	CHECK_ERRNO(timer_create(CLOCK_MONOTONIC, &ev, &t), "timer_create signal 65");
	ev.sigev_signo = SIGRTMIN;
	ev.sigev_notify = 99;
	CHECK_ERRNO(timer_create(CLOCK_MONOTONIC, &ev, &t), "timer_create notify 99");
	CHECK_ERRNO(syscall(SYS_timer_create, CLOCK_MONOTONIC, (void *)1, &t), "timer_create bad sigevent");
	ev.sigev_notify = SIGEV_NONE;
	int id;
	CHECK_ERRNO(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, (void *)1), "timer_create bad id pointer");
	CHECK_ERRNO(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id), "timer_create raw");
	struct itimerspec its = ms_spec(10, 0);
	CHECK_ERRNO(syscall(SYS_timer_settime, 12345, 0, &its, NULL), "timer_settime bad id");
	CHECK_ERRNO(syscall(SYS_timer_settime, id, 0, NULL, NULL), "timer_settime NULL value");
	its.it_value.tv_nsec = 1000 * MS;
	CHECK_ERRNO(syscall(SYS_timer_settime, id, 0, &its, NULL), "timer_settime nsec 1e9");
	its.it_value.tv_nsec = 0;
	its.it_interval.tv_sec = -1;
	CHECK_ERRNO(syscall(SYS_timer_settime, id, 0, &its, NULL), "timer_settime negative interval");
	CHECK_ERRNO(syscall(SYS_timer_gettime, 12345, &its), "timer_gettime bad id");
	CHECK_ERRNO(syscall(SYS_timer_gettime, id, (void *)1), "timer_gettime bad pointer");
	CHECK_ERRNO(syscall(SYS_timer_getoverrun, 12345), "timer_getoverrun bad id");
	CHECK_ERRNO(syscall(SYS_timer_delete, id), "timer_delete");
	CHECK_ERRNO(syscall(SYS_timer_delete, id), "timer_delete again");
}

static void itimer_rules(void)
{
	SHOW_INT("alarm(0) with none pending", alarm(0));
	alarm(5);
	SHOW_INT("alarm(0) after alarm(5): rounds to", alarm(0));
	struct itimerval it = { { 0, 0 }, { 0, 300000 } }, old;
	setitimer(ITIMER_REAL, &it, NULL);
	SHOW_INT("alarm(0) with 0.3s left: never 0", alarm(0));
	it = (struct itimerval){ { 2, 500000 }, { 7, 0 } };
	setitimer(ITIMER_REAL, &it, NULL);
	it = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &it, &old);
	printf("setitimer old: interval %ld.%06ld value in (6,7]s %d\n", (long)old.it_interval.tv_sec,
	       (long)old.it_interval.tv_usec, old.it_value.tv_sec == 6 || (old.it_value.tv_sec == 7 && old.it_value.tv_usec == 0));
	getitimer(ITIMER_REAL, &old);
	SHOW_BOOL("disarmed: interval forgotten", old.it_interval.tv_sec == 0 && old.it_interval.tv_usec == 0);
	it = (struct itimerval){ { 3, 0 }, { 0, 0 } };
	setitimer(ITIMER_VIRTUAL, &it, NULL);
	getitimer(ITIMER_VIRTUAL, &old);
	SHOW_BOOL("disarmed VIRTUAL keeps its interval", old.it_interval.tv_sec == 3);
	CHECK_ERRNO(setitimer(3, &it, NULL), "setitimer which 3");
	CHECK_ERRNO(getitimer(-1, &old), "getitimer which -1");
	CHECK_ERRNO(syscall(SYS_setitimer, ITIMER_REAL, (void *)1, NULL), "setitimer bad pointer");
	CHECK_ERRNO(syscall(SYS_setitimer, ITIMER_REAL, NULL, &old), "setitimer NULL value (disarms)");
}

int sub_main(int argc, char **argv)
{
	struct itimerspec cur;
	struct itimerval it;
	int id = argc > 2 ? atoi(argv[2]) : -1;
	int r = syscall(SYS_timer_gettime, id, &cur);
	getitimer(ITIMER_REAL, &it);
	printf("after exec: timer_gettime %s, itimer still armed %d\n", r == 0 ? "ok" : errname(errno),
	       it.it_value.tv_sec > 0);
	return 0;
}

static void fork_exec(void)
{
	timer_t t = rt_timer(SIGEV_NONE);
	struct itimerspec its = ms_spec(10000, 0), cur;
	timer_settime(t, 0, &its, NULL);
	struct itimerval it = { { 0, 0 }, { 10, 0 } };
	setitimer(ITIMER_REAL, &it, NULL);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		int r = syscall(SYS_timer_gettime, kid(t), &cur);
		getitimer(ITIMER_REAL, &it);
		printf("fork child: timer_gettime %s, itimer armed %d\n", r == 0 ? "ok" : errname(errno),
		       it.it_value.tv_sec > 0);
		fflush(stdout);
		_exit(0);
	}
	wait_for(p);
	fflush(stdout);
	p = fork();
	if (p == 0) {
		timer_t mine = rt_timer(SIGEV_NONE);
		timer_settime(mine, 0, &its, NULL);
		setitimer(ITIMER_REAL, &it, NULL);
		char id[16];
		snprintf(id, sizeof id, "%d", kid(mine));
		char *args[] = { self_exe, "--sub", id, NULL };
		execv(self_exe, args);
		_exit(99);
	}
	SHOW_STATUS("exec child", wait_for(p));
	it = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &it, NULL);
	timer_delete(t);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	default_sigevent();
	overruns();
	stale_signals();
	sigev_none();
	thread_id();
	sigev_thread();
	abstime();
	cpu_clocks();
	errors();
	itimer_rules();
	fork_exec();
	return 0;
}
