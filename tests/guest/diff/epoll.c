/* epoll: level-triggered, edge-triggered and one-shot items, ready-list order and
 * round-robin with a small maxevents, blocking waits woken by another process, a
 * ping-pong between two processes over pipes, items that outlive a closed descriptor
 * (dup) and die with the file, nested epoll and ELOOP, the epoll fd under poll(),
 * eventfd and timerfd items, EPOLLEXCLUSIVE rules, epoll_pwait's mask, epoll_pwait2,
 * errors; and poll/select/epoll over more descriptors than a task has wait slots. */
#include "check.h"
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>

static const char *evs(unsigned e)
{
	static char b[4][96];
	static int n;
	char *s = b[n++ & 3];
	s[0] = 0;
	if (e & EPOLLIN) strcat(s, "IN|");
	if (e & EPOLLPRI) strcat(s, "PRI|");
	if (e & EPOLLOUT) strcat(s, "OUT|");
	if (e & EPOLLERR) strcat(s, "ERR|");
	if (e & EPOLLHUP) strcat(s, "HUP|");
	if (e & EPOLLRDNORM) strcat(s, "RDNORM|");
	if (e & EPOLLWRNORM) strcat(s, "WRNORM|");
	size_t l = strlen(s);
	if (l)
		s[l - 1] = 0;
	else
		strcpy(s, "0");
	return s;
}

static int add(int ep, int fd, unsigned events, uint64_t data)
{
	struct epoll_event e = { .events = events, .data.u64 = data };
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

static int mod(int ep, int fd, unsigned events, uint64_t data)
{
	struct epoll_event e = { .events = events, .data.u64 = data };
	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e);
}

/* One epoll_wait, printed as "label: n [data:events ...]". */
static int show_wait(const char *label, int ep, int max, int timeout)
{
	struct epoll_event out[16];
	memset(out, 0, sizeof out);
	int r = epoll_wait(ep, out, max, timeout);
	printf("%s: %d", label, r);
	if (r < 0)
		printf(" %s", errname(errno));
	for (int i = 0; i < r; i++)
		printf(" %llu:%s", (unsigned long long)out[i].data.u64, evs(out[i].events));
	printf("\n");
	return r;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void level_edge_oneshot(void)
{
	int ep = epoll_create1(0), p[2];
	char buf[64];
	pipe(p);
	add(ep, p[0], EPOLLIN, 1);
	show_wait("LT empty", ep, 4, 0);
	write(p[1], "abcd", 4);
	show_wait("LT data", ep, 4, 0);
	show_wait("LT again", ep, 4, 0);
	read(p[0], buf, 2);
	show_wait("LT after partial read", ep, 4, 0);
	read(p[0], buf, 2);
	show_wait("LT drained", ep, 4, 0);

	mod(ep, p[0], EPOLLIN | EPOLLET, 2);
	show_wait("ET nothing yet", ep, 4, 0);
	write(p[1], "ab", 2);
	show_wait("ET first write", ep, 4, 0);
	show_wait("ET no new event", ep, 4, 0);
	read(p[0], buf, 1);
	show_wait("ET after partial read", ep, 4, 0);
	write(p[1], "c", 1);
	show_wait("ET second write", ep, 4, 0);
	read(p[0], buf, sizeof buf);

	mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 3);
	write(p[1], "x", 1);
	show_wait("ONESHOT first", ep, 4, 0);
	write(p[1], "y", 1);
	show_wait("ONESHOT disabled", ep, 4, 0);
	mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 4);
	show_wait("ONESHOT re-armed by MOD", ep, 4, 0);
	read(p[0], buf, sizeof buf);

	/* the write end: level-triggered OUT until the pipe is full */
	add(ep, p[1], EPOLLOUT, 5);
	mod(ep, p[0], EPOLLIN, 1);
	show_wait("write end", ep, 4, 0);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	while (write(p[1], buf, sizeof buf) > 0)
		;
	show_wait("full pipe", ep, 4, 0);
	close(p[0]);
	show_wait("reader gone", ep, 4, 0);
	close(p[1]);
	show_wait("both closed: items gone", ep, 4, 0);
	close(ep);
}

/* Ready items come in the order they became ready; a level-triggered item that was
 * reported goes to the back, so a small maxevents serves everyone in turn. */
static void order_and_round_robin(void)
{
	int ep = epoll_create1(0), a[2], b[2], c[2];
	pipe(a);
	pipe(b);
	pipe(c);
	add(ep, a[0], EPOLLIN, 10);
	add(ep, b[0], EPOLLIN, 20);
	add(ep, c[0], EPOLLIN, 30);
	write(c[1], "c", 1);
	write(a[1], "a", 1);
	write(b[1], "b", 1);
	show_wait("wake order", ep, 8, 0);
	show_wait("max 1 (1)", ep, 1, 0);
	show_wait("max 1 (2)", ep, 1, 0);
	show_wait("max 1 (3)", ep, 1, 0);
	show_wait("max 2", ep, 2, 0);
	show_wait("max 2 again", ep, 2, 0);
	close(a[0]); close(a[1]); close(b[0]); close(b[1]); close(c[0]); close(c[1]);
	close(ep);
}

static void blocking_waits(void)
{
	int ep = epoll_create1(0), p[2];
	pipe(p);
	add(ep, p[0], EPOLLIN, 7);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int r = epoll_wait(ep, (struct epoll_event[1]){}, 1, 50);
	printf("timeout 50ms: %d waited>=49ms=%d\n", r, ms_since(&t0) >= 49);

	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		msleep(40);
		write(p[1], "w", 1);
		msleep(40);
		close(p[1]);
		_exit(0);
	}
	show_wait("woken by writer", ep, 4, 5000);
	char ch;
	read(p[0], &ch, 1);
	close(p[1]);
	show_wait("woken by hang-up", ep, 4, 5000);
	wait_for(c);
	close(p[0]);
	close(ep);
}

/* Two processes bounce a counter over two pipes, each waiting in epoll_wait. */
static void ping_pong(void)
{
	int ab[2], ba[2];
	pipe(ab);
	pipe(ba);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		int ep = epoll_create1(0);
		add(ep, ab[0], EPOLLIN, 0);
		for (;;) {
			struct epoll_event e;
			if (epoll_wait(ep, &e, 1, 5000) != 1)
				_exit(1);
			int v;
			if (read(ab[0], &v, sizeof v) != sizeof v)
				_exit(2);
			if (v < 0)
				_exit(0);
			v++;
			write(ba[1], &v, sizeof v);
		}
	}
	int ep = epoll_create1(0);
	add(ep, ba[0], EPOLLIN | EPOLLET, 0);
	int v = 0, rounds = 0, ok = 1;
	while (rounds < 200) {
		write(ab[1], &v, sizeof v);
		struct epoll_event e;
		if (epoll_wait(ep, &e, 1, 5000) != 1 || read(ba[0], &v, sizeof v) != sizeof v) {
			ok = 0;
			break;
		}
		v++;
		rounds++;
	}
	int stop = -1;
	write(ab[1], &stop, sizeof stop);
	printf("ping-pong: rounds=%d value=%d ok=%d child %s\n", rounds, v, ok,
	       status_str(wait_for(c)));
	close(ab[0]); close(ab[1]); close(ba[0]); close(ba[1]);
	close(ep);
}

/* An item belongs to the open file: closing one of two descriptors keeps it. */
static void item_lifetime(void)
{
	int ep = epoll_create1(0), p[2];
	pipe(p);
	add(ep, p[0], EPOLLIN, 42);
	int d = dup(p[0]);
	close(p[0]);
	write(p[1], "z", 1);
	show_wait("dup keeps the item", ep, 4, 0);
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), "DEL by the closed number");
	int again = dup2(d, p[0]);
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, again, NULL), "DEL by the same number, same file");
	show_wait("after DEL", ep, 4, 0);
	add(ep, d, EPOLLIN, 43);
	close(d);
	close(again);
	show_wait("all descriptors closed", ep, 4, 0);
	int q[2];
	pipe(q);   /* likely the same numbers: a new file is not the old item */
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, q[0], NULL), "DEL a new file at an old number");
	close(q[0]); close(q[1]); close(p[1]);
	close(ep);
}

static void nested(void)
{
	int outer = epoll_create1(0), inner = epoll_create1(0), p[2];
	pipe(p);
	add(inner, p[0], EPOLLIN, 1);
	CHECK_ERRNO(add(outer, inner, EPOLLIN, 99), "add inner epoll to outer");
	CHECK_ERRNO(add(inner, outer, EPOLLIN, 98), "add outer to inner (cycle)");
	struct pollfd pf = { outer, POLLIN, 0 };
	int r = poll(&pf, 1, 0);
	printf("poll outer, nothing ready: %d %s\n", r, evs(pf.revents));
	show_wait("outer, nothing ready", outer, 4, 0);
	write(p[1], "n", 1);
	r = poll(&pf, 1, 0);
	printf("poll outer, data inside: %d %s\n", r, evs(pf.revents));
	show_wait("outer, data inside", outer, 4, 0);
	show_wait("inner", inner, 4, 0);
	char ch;
	read(p[0], &ch, 1);
	show_wait("outer after read", outer, 4, 0);

	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		msleep(30);
		write(p[1], "m", 1);
		_exit(0);
	}
	show_wait("outer woken through inner", outer, 4, 5000);
	pf.revents = 0;
	r = poll(&pf, 1, 5000);
	printf("poll outer blocking: %d %s\n", r, evs(pf.revents));
	wait_for(c);

	/* chains: at most 4 links (5 epoll files) */
	int e[7];
	for (int i = 0; i < 7; i++)
		e[i] = epoll_create1(0);
	for (int i = 0; i < 6; i++) {
		char label[64];
		snprintf(label, sizeof label, "chain link %d", i + 1);
		CHECK_ERRNO(add(e[i], e[i + 1], EPOLLIN, i), label);
	}
	int top = epoll_create1(0);
	CHECK_ERRNO(add(top, e[0], EPOLLIN, 0), "link above a full chain");
	for (int i = 0; i < 7; i++)
		close(e[i]);
	close(top);
	close(p[0]); close(p[1]);
	close(inner);
	close(outer);
}

static void event_files(void)
{
	int ep = epoll_create1(0);
	int efd = eventfd(0, EFD_NONBLOCK);
	int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	add(ep, efd, EPOLLIN | EPOLLOUT, 1);
	add(ep, tfd, EPOLLIN, 2);
	show_wait("eventfd 0, timer unarmed", ep, 4, 0);
	uint64_t one = 1;
	write(efd, &one, sizeof one);
	show_wait("eventfd 1", ep, 4, 0);
	uint64_t v;
	read(efd, &v, sizeof v);
	mod(ep, efd, EPOLLIN, 1);
	struct itimerspec its = { { 0, 0 }, { 0, 40 * 1000000 } };
	timerfd_settime(tfd, 0, &its, NULL);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	show_wait("waits for the timer", ep, 4, 5000);
	printf("  waited>=39ms: %d\n", ms_since(&t0) >= 39);
	read(tfd, &v, sizeof v);
	printf("  expirations: %llu\n", (unsigned long long)v);
	show_wait("timer read", ep, 4, 0);

	/* edge-triggered periodic timer: Linux re-arms it only when it is read (or its
	 * time asked for), so unread expiries after the first are no new events */
	mod(ep, tfd, EPOLLIN | EPOLLET, 3);
	its.it_value.tv_nsec = 20 * 1000000;
	its.it_interval.tv_nsec = 20 * 1000000;
	timerfd_settime(tfd, 0, &its, NULL);
	show_wait("ET timer first expiry", ep, 4, 5000);
	show_wait("ET timer, unread: nothing in 100ms", ep, 4, 100);
	struct itimerspec cur;
	timerfd_gettime(tfd, &cur);
	show_wait("ET timer after gettime re-armed it", ep, 4, 5000);
	read(tfd, &v, sizeof v);
	printf("  expirations >= 6: %d\n", v >= 6);
	show_wait("ET timer after read", ep, 4, 5000);
	close(tfd);
	close(efd);
	close(ep);
}

static void exclusive_rules(void)
{
	int ep = epoll_create1(0), p[2];
	pipe(p);
	CHECK_ERRNO(add(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE, 1), "ADD EPOLLEXCLUSIVE");
	CHECK_ERRNO(mod(ep, p[0], EPOLLIN, 1), "MOD an exclusive item");
	CHECK_ERRNO(add(ep, p[1], EPOLLOUT | EPOLLEXCLUSIVE | EPOLLONESHOT, 2), "EXCLUSIVE|ONESHOT");
	add(ep, p[1], EPOLLOUT, 2);
	CHECK_ERRNO(mod(ep, p[1], EPOLLOUT | EPOLLEXCLUSIVE, 2), "MOD with EPOLLEXCLUSIVE");
	int other = epoll_create1(0);
	CHECK_ERRNO(add(other, ep, EPOLLIN | EPOLLEXCLUSIVE, 3), "EXCLUSIVE on an epoll fd");
	write(p[1], "e", 1);
	show_wait("exclusive item still reports", ep, 4, 0);
	close(other);
	close(p[0]); close(p[1]);
	close(ep);
}

static volatile sig_atomic_t got_usr1;
static void on_usr1(int s) { (void)s; got_usr1++; }

static void masks_and_timeouts(void)
{
	int ep = epoll_create1(0), p[2];
	pipe(p);
	add(ep, p[0], EPOLLIN, 1);
	struct epoll_event out[2];
	sigset_t block, empty, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&empty);
	signal(SIGUSR1, on_usr1);
	sigprocmask(SIG_BLOCK, &block, &old);

	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		msleep(30);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	int r = epoll_pwait(ep, out, 2, 5000, &empty);
	printf("epoll_pwait unblocking SIGUSR1: %d %s handler ran %d\n", r, errname(errno), got_usr1);
	wait_for(c);

	/* already pending when the call starts: EINTR at once */
	sigprocmask(SIG_SETMASK, &block, NULL);
	kill(getpid(), SIGUSR1);
	r = epoll_pwait(ep, out, 2, 5000, &empty);
	printf("epoll_pwait with SIGUSR1 pending: %d %s handler ran %d\n", r, errname(errno), got_usr1);
	/* with a zero timeout epoll does not look at signals (poll does) */
	sigprocmask(SIG_SETMASK, &block, NULL);
	kill(getpid(), SIGUSR1);
	r = epoll_pwait(ep, out, 2, 0, &empty);
	printf("epoll_pwait timeout 0 with SIGUSR1 pending: %d\n", r);
	struct pollfd pf = { p[0], POLLIN, 0 };
	struct timespec zero = { 0, 0 };
	errno = 0;
	r = ppoll(&pf, 1, &zero, &empty);
	printf("ppoll timeout 0 with SIGUSR1 pending: %d %s handler ran %d\n", r, errname(errno), got_usr1);
	/* (the mask after such a handler is poll_sigmask.c's business) */
	sigprocmask(SIG_SETMASK, &block, NULL);
	/* a mask that keeps it blocked: the wait times out and the signal stays pending */
	kill(getpid(), SIGUSR1);
	r = epoll_pwait(ep, out, 2, 20, &block);
	sigset_t pend;
	sigpending(&pend);
	printf("epoll_pwait keeping it blocked: %d pending %d\n", r, sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("  delivered once unblocked: handler ran %d\n", got_usr1);

	struct timespec ts = { 0, 20 * 1000000 };
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = syscall(SYS_epoll_pwait2, ep, out, 2, &ts, NULL, 8);
	printf("epoll_pwait2 20ms: %d waited>=19ms=%d\n", r, ms_since(&t0) >= 19);
	ts.tv_nsec = 1000000000;
	CHECK_ERRNO(syscall(SYS_epoll_pwait2, ep, out, 2, &ts, NULL, 8), "epoll_pwait2 bad timespec");
	CHECK_ERRNO(syscall(SYS_epoll_pwait, ep, out, 2, 0, &empty, 4), "epoll_pwait sigsetsize 4");
	write(p[1], "q", 1);
	r = syscall(SYS_epoll_pwait2, ep, out, 2, NULL, NULL, 8);
	printf("epoll_pwait2 no timeout, ready: %d\n", r);
	signal(SIGUSR1, SIG_DFL);
	close(p[0]); close(p[1]);
	close(ep);
}

static void errors(void)
{
	int ep = epoll_create1(0), p[2];
	pipe(p);
	struct epoll_event out[2], e = { .events = EPOLLIN };
	CHECK_ERRNO(epoll_wait(p[0], out, 2, 0), "epoll_wait on a pipe");
	CHECK_ERRNO(epoll_wait(77, out, 2, 0), "epoll_wait bad fd");
	volatile int minus1 = -1;
	CHECK_ERRNO(epoll_wait(ep, out, minus1, 0), "epoll_wait maxevents -1");
	CHECK_ERRNO(epoll_wait(ep, (void *)-4096L, 2, 0), "epoll_wait kernel address");
	CHECK_ERRNO(epoll_ctl(ep, 99, p[0], &e), "epoll_ctl bad op");
	CHECK_ERRNO(epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &e), "epoll_ctl on a pipe");
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], NULL), "epoll_ctl ADD NULL event");
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, 88, &e), "epoll_ctl bad target");
	CHECK_ERRNO(open(".", O_RDONLY | O_DIRECTORY), "open .");
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, dfd, &e), "epoll_ctl ADD a directory");
	close(dfd);
	CHECK_ERRNO(epoll_create(-1), "epoll_create(-1)");
	CHECK_ERRNO(epoll_create1(EPOLL_CLOEXEC | 1), "epoll_create1 stray flag");
	int ce = epoll_create1(EPOLL_CLOEXEC);
	printf("EPOLL_CLOEXEC: FD_CLOEXEC=%d F_GETFL=0%o\n", fcntl(ce, F_GETFD) & FD_CLOEXEC,
	       fcntl(ce, F_GETFL));
	struct stat st;
	fstat(ce, &st);
	printf("epoll fd mode: 0%o\n", st.st_mode);
	char buf[8];
	CHECK_ERRNO(read(ce, buf, sizeof buf), "read an epoll fd");
	close(ce);
	close(p[0]); close(p[1]);
	close(ep);
}

/* More descriptors than a task's fixed wait slots: the last one must still wake us. */
static void many_descriptors(void)
{
	enum { N = 20 };
	int p[N][2], ep = epoll_create1(0);
	struct pollfd pf[N];
	for (int i = 0; i < N; i++) {
		pipe(p[i]);
		pf[i] = (struct pollfd){ p[i][0], POLLIN, 0 };
		add(ep, p[i][0], EPOLLIN, i);
	}
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		msleep(30);
		write(p[N - 1][1], "1", 1);
		msleep(60);
		write(p[N - 2][1], "2", 1);
		msleep(60);
		write(p[N - 3][1], "3", 1);
		_exit(0);
	}
	int r = poll(pf, N, 5000);
	printf("poll over %d pipes: %d last revents %s\n", N, r, evs(pf[N - 1].revents));
	char ch;
	read(p[N - 1][0], &ch, 1);
	fd_set rs;
	FD_ZERO(&rs);
	for (int i = 0; i < N; i++)
		FD_SET(p[i][0], &rs);
	struct timeval tv = { 5, 0 };
	r = select(p[N - 1][1] + 1, &rs, NULL, NULL, &tv);
	printf("select over %d pipes: %d second to last set %d\n", N, r, FD_ISSET(p[N - 2][0], &rs));
	read(p[N - 2][0], &ch, 1);
	show_wait("epoll over 20 pipes", ep, 4, 5000);
	wait_for(c);
	for (int i = 0; i < N; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	close(ep);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	level_edge_oneshot();
	order_and_round_robin();
	blocking_waits();
	ping_pong();
	item_lifetime();
	nested();
	event_files();
	exclusive_rules();
	masks_and_timeouts();
	errors();
	many_descriptors();
	return 0;
}
