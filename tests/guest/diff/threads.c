/* pthreads: create/join, return values, pthread_exit, mutex contention
 * (futex based), condition variables, raw futex WAIT/WAKE errors, gettid vs
 * getpid, tgkill to a thread, exit() from a thread ends the process,
 * detached threads, thread-local storage. */
#include "check.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>

#define NTHREADS 4
#define NITER 100000

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread int tls_var = 5;

static void *adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < NITER; i++) {
		pthread_mutex_lock(&mtx);
		counter++;
		pthread_mutex_unlock(&mtx);
	}
	return NULL;
}

struct ids { pid_t pid, tid, ppid; int tls; };

static void *get_ids(void *arg)
{
	struct ids *x = arg;
	x->pid = getpid();
	x->tid = gettid();
	x->ppid = getppid();
	x->tls = tls_var;
	tls_var = 99;
	return (void *)(intptr_t)42;
}

static void *exiter(void *arg)
{
	(void)arg;
	pthread_exit((void *)(intptr_t)7);
	return NULL;
}

static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready, consumed;

static void *consumer(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mtx);
	while (!ready)
		pthread_cond_wait(&cv, &mtx);
	consumed = ready;
	pthread_mutex_unlock(&mtx);
	return NULL;
}

static long futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, 0);
}

static uint32_t fword;

static void *futex_waker(void *arg)
{
	(void)arg;
	msleep(30);
	__atomic_store_n(&fword, 1, __ATOMIC_SEQ_CST);
	futex(&fword, FUTEX_WAKE_PRIVATE, 1, NULL);
	return NULL;
}

static volatile pid_t handler_tid;
static void usr1(int s) { (void)s; handler_tid = gettid(); }

static volatile int spin_stop;
static pid_t spinner_tid;
static void *spinner(void *arg)
{
	(void)arg;
	spinner_tid = gettid();
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &m, NULL);
	while (!spin_stop)
		usleep(1000);
	return NULL;
}

static void *exit_process(void *arg)
{
	(void)arg;
	msleep(20);
	exit(5);
}

static void *detached(void *arg)
{
	*(volatile int *)arg = 1;
	return NULL;
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	pthread_t t[NTHREADS];

	SHOW_BOOL("main: gettid()==getpid()", gettid() == getpid());

	/* ids in a thread */
	struct ids x;
	pthread_t th;
	void *ret;
	CHECK_RC(pthread_create(&th, NULL, get_ids, &x), "pthread_create");
	CHECK_RC(pthread_join(th, &ret), "pthread_join");
	SHOW_INT("thread return value", (intptr_t)ret);
	SHOW_BOOL("thread getpid()==getpid()", x.pid == getpid());
	SHOW_BOOL("thread gettid()!=getpid()", x.tid != getpid());
	SHOW_BOOL("thread getppid()==getppid()", x.ppid == getppid());
	SHOW_INT("thread saw initial TLS value", x.tls);
	SHOW_INT("main TLS unchanged by thread", tls_var);
	/* after join the tid goes away (soon: the kernel clears the tid word
	 * slightly before the thread is fully gone) */
	int gone = 0;
	for (int i = 0; i < 1000 && !gone; i++) {
		if (syscall(SYS_tgkill, getpid(), x.tid, 0) == -1 && errno == ESRCH)
			gone = 1;
		else
			usleep(1000);
	}
	SHOW_BOOL("joined thread's tid disappears (tgkill ESRCH)", gone);

	/* pthread_exit */
	pthread_create(&th, NULL, exiter, NULL);
	pthread_join(th, &ret);
	SHOW_INT("pthread_exit value", (intptr_t)ret);

	/* mutex contention */
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, adder, NULL);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	SHOW_INT("counter after contention", counter);

	/* trylock on a locked mutex */
	pthread_mutex_lock(&mtx);
	CHECK_RC(pthread_mutex_trylock(&mtx), "trylock of locked mutex");
	pthread_mutex_unlock(&mtx);
	CHECK_RC(pthread_mutex_trylock(&mtx), "trylock of free mutex");
	pthread_mutex_unlock(&mtx);

	/* timed lock times out */
	pthread_mutex_lock(&mtx);
	fflush(stdout);
	pid_t p = fork();   /* fork while a mutex is held: child copy is locked */
	if (p == 0) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20 * 1000000;
		if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
		int rc = pthread_mutex_timedlock(&mtx, &ts);
		_exit(rc == ETIMEDOUT ? 0 : 1);
	}
	SHOW_STATUS("child timedlock on inherited locked mutex (0=ETIMEDOUT)", wait_for(p));
	pthread_mutex_unlock(&mtx);

	/* condition variable */
	pthread_create(&th, NULL, consumer, NULL);
	msleep(10);
	pthread_mutex_lock(&mtx);
	ready = 3;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mtx);
	pthread_join(th, NULL);
	SHOW_INT("condvar consumer saw", consumed);

	/* raw futex */
	uint32_t w = 1;
	CHECK_ERRNO(futex(&w, FUTEX_WAIT_PRIVATE, 2, NULL), "futex WAIT wrong value");
	struct timespec to = { 0, 20 * 1000000 };
	CHECK_ERRNO(futex(&w, FUTEX_WAIT_PRIVATE, 1, &to), "futex WAIT timeout");
	CHECK_VAL(futex(&w, FUTEX_WAKE_PRIVATE, 1, NULL), "futex WAKE with no waiters");
	CHECK_ERRNO(futex(NULL, FUTEX_WAIT_PRIVATE, 0, NULL), "futex WAIT NULL address");
	CHECK_ERRNO(futex((uint32_t *)((char *)&w + 1), FUTEX_WAIT_PRIVATE, 0, NULL), "futex WAIT unaligned");
	CHECK_ERRNO(futex(&w, 99, 0, NULL), "futex bad op");
	struct timespec badto = { 0, 2000000000 };
	CHECK_ERRNO(futex(&w, FUTEX_WAIT_PRIVATE, 1, &badto), "futex WAIT bad timeout");
	fword = 0;
	pthread_create(&th, NULL, futex_waker, NULL);
	long r;
	while (__atomic_load_n(&fword, __ATOMIC_SEQ_CST) == 0) {
		r = futex(&fword, FUTEX_WAIT_PRIVATE, 0, NULL);
		if (r == -1 && errno != EAGAIN && errno != EINTR) {
			printf("futex wait: %s\n", errname(errno));
			break;
		}
	}
	pthread_join(th, NULL);
	SHOW_INT("futex woken, word", fword);

	/* signal directed at one thread */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &m, NULL);   /* main blocks it; spinner unblocks */
	spinner_tid = 0;
	pthread_create(&th, NULL, spinner, NULL);
	while (!__atomic_load_n(&spinner_tid, __ATOMIC_SEQ_CST))
		usleep(1000);
	CHECK_ERRNO(syscall(SYS_tgkill, getpid(), spinner_tid, SIGUSR1), "tgkill to thread");
	for (int i = 0; i < 2000 && !handler_tid; i++)
		usleep(1000);
	SHOW_BOOL("handler ran in target thread", handler_tid == spinner_tid);
	/* process-directed signal goes to the thread that does not block it */
	handler_tid = 0;
	kill(getpid(), SIGUSR1);
	for (int i = 0; i < 2000 && !handler_tid; i++)
		usleep(1000);
	SHOW_BOOL("process signal handled by the unblocking thread", handler_tid == spinner_tid);
	spin_stop = 1;
	pthread_join(th, NULL);
	pthread_sigmask(SIG_UNBLOCK, &m, NULL);

	/* detached thread */
	volatile int flag = 0;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	CHECK_RC(pthread_create(&th, &attr, detached, (void *)&flag), "create detached");
	for (int i = 0; i < 2000 && !flag; i++)
		usleep(1000);
	SHOW_INT("detached thread ran", flag);

	/* many threads at once */
	pthread_t many[32];
	int ok = 1;
	for (int i = 0; i < 32; i++)
		if (pthread_create(&many[i], NULL, get_ids, &x) != 0)
			ok = 0;
	for (int i = 0; i < 32; i++)
		pthread_join(many[i], NULL);
	SHOW_BOOL("32 threads created and joined", ok);

	/* exit() in a thread ends the whole process with that status */
	fflush(stdout);
	p = fork();
	if (p == 0) {
		pthread_t a;
		pthread_create(&a, NULL, exit_process, NULL);
		for (;;)
			pause();
	}
	SHOW_STATUS("process whose thread called exit(5)", wait_for(p));

	/* main thread pthread_exit: process continues until last thread ends */
	fflush(stdout);
	p = fork();
	if (p == 0) {
		pthread_t a;
		pthread_create(&a, NULL, exit_process, NULL);
		pthread_exit(NULL);
	}
	SHOW_STATUS("main pthread_exit, other thread exit(5)", wait_for(p));

	/* a fatal signal kills all threads */
	fflush(stdout);
	p = fork();
	if (p == 0) {
		pthread_t a;
		pthread_create(&a, NULL, spinner, NULL);
		msleep(10);
		kill(getpid(), SIGTERM);
		for (;;)
			pause();
	}
	SHOW_STATUS("SIGTERM to multithreaded process", wait_for(p));
	return 0;
}
