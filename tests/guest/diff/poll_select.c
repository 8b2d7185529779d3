/* readiness: poll/ppoll/select/pselect/epoll on pipes: POLLIN, POLLOUT,
 * POLLHUP after the writer closes, POLLERR after the reader closes,
 * POLLNVAL, negative fds ignored, timeouts, select's timeout update, EBADF,
 * wakeup by another process, epoll ctl errors and EPOLLET/EPOLLONESHOT. */
#include "check.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>

static const char *ev(int e)
{
	static char b[4][96];
	static int n;
	char *s = b[n++ & 3];
	s[0] = 0;
	if (e & POLLIN) strcat(s, "IN|");
	if (e & POLLPRI) strcat(s, "PRI|");
	if (e & POLLOUT) strcat(s, "OUT|");
	if (e & POLLERR) strcat(s, "ERR|");
	if (e & POLLHUP) strcat(s, "HUP|");
	if (e & POLLNVAL) strcat(s, "NVAL|");
	if (e & POLLRDNORM) strcat(s, "RDNORM|");
	if (e & POLLWRNORM) strcat(s, "WRNORM|");
	size_t l = strlen(s);
	if (l)
		s[l - 1] = 0;
	else
		strcpy(s, "0");
	return s;
}

static void poll2(const char *label, int rfd, int wfd)
{
	struct pollfd pf[2] = { { rfd, POLLIN | POLLOUT, 0 }, { wfd, POLLIN | POLLOUT, 0 } };
	int r = poll(pf, 2, 0);
	printf("%s: r=%d read end=%s write end=%s\n", label, r, ev(pf[0].revents), ev(pf[1].revents));
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	int p[2];
	char buf[256];

	pipe(p);
	poll2("empty pipe", p[0], p[1]);
	write(p[1], "abc", 3);
	poll2("pipe with data", p[0], p[1]);
	close(p[1]);
	struct pollfd pf = { p[0], POLLIN, 0 };
	int r = poll(&pf, 1, 0);
	printf("data + writer closed: r=%d %s\n", r, ev(pf.revents));
	read(p[0], buf, sizeof buf);
	r = poll(&pf, 1, 0);
	printf("empty + writer closed: r=%d %s\n", r, ev(pf.revents));
	pf.events = 0;
	r = poll(&pf, 1, 0);
	printf("events=0 still reports HUP: r=%d %s\n", r, ev(pf.revents));
	close(p[0]);

	pipe(p);
	close(p[0]);
	pf.fd = p[1];
	pf.events = POLLOUT;
	r = poll(&pf, 1, 0);
	printf("reader closed, poll write end: r=%d %s\n", r, ev(pf.revents));
	close(p[1]);

	/* full pipe: not writable */
	pipe2(p, O_NONBLOCK);
	memset(buf, 'x', sizeof buf);
	while (write(p[1], buf, sizeof buf) > 0)
		;
	poll2("full pipe", p[0], p[1]);
	char big[65536];
	read(p[0], big, 100);
	poll2("full pipe minus 100 bytes", p[0], p[1]);
	read(p[0], big, 4096);
	poll2("full pipe minus 4196 bytes", p[0], p[1]);
	close(p[0]);
	close(p[1]);

	/* invalid and negative fds */
	struct pollfd bad[3] = { { 99, POLLIN, 0 }, { -1, POLLIN, 0 }, { 0, 0, 0 } };
	r = poll(bad, 2, 0);
	printf("poll fd 99 and -1: r=%d %s %s\n", r, ev(bad[0].revents), ev(bad[1].revents));
	CHECK_ERRNO(syscall(SYS_poll, NULL, 1, 0), "poll NULL with nfds 1");
	CHECK_VAL(poll(NULL, 0, 10), "poll nothing, 10ms");

	/* timeouts */
	pipe(p);
	pf.fd = p[0];
	pf.events = POLLIN;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = poll(&pf, 1, 50);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	printf("poll 50ms timeout: r=%d waited>=49ms=%d\n", r, ms >= 49);

	/* woken by another process */
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		msleep(40);
		write(p[1], "w", 1);
		_exit(0);
	}
	r = poll(&pf, 1, 5000);
	printf("poll woken by writer: r=%d %s\n", r, ev(pf.revents));
	wait_for(c);
	read(p[0], buf, 1);

	/* ppoll with a signal mask */
	sigset_t block, empty;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&empty);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		msleep(30);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	/* SIGUSR1 is blocked normally; ppoll unblocks it atomically.  Install a
	 * handler first (default action would kill us). */
	void h(int s);
	signal(SIGUSR1, h);
	struct timespec pt = { 5, 0 };
	r = ppoll(&pf, 1, &pt, &empty);
	printf("ppoll with unblocking mask: r=%d %s\n", r, errname(errno));
	wait_for(c);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	struct timespec zt = { 0, 0 };
	r = ppoll(&pf, 1, &zt, NULL);
	printf("ppoll zero timeout: r=%d\n", r);

	/* select */
	fd_set rs, ws;
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(p[0], &rs);
	FD_SET(p[1], &ws);
	struct timeval tv = { 0, 0 };
	r = select(p[1] + 1, &rs, &ws, NULL, &tv);
	printf("select empty pipe: r=%d readable=%d writable=%d\n", r, FD_ISSET(p[0], &rs), FD_ISSET(p[1], &ws));
	write(p[1], "x", 1);
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	r = select(p[0] + 1, &rs, NULL, NULL, &tv);
	printf("select with data: r=%d readable=%d\n", r, FD_ISSET(p[0], &rs));
	read(p[0], buf, 1);
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	tv.tv_sec = 0;
	tv.tv_usec = 30000;
	r = select(p[0] + 1, &rs, NULL, NULL, &tv);
	printf("select 30ms timeout: r=%d readable=%d tv left=%ld.%06ld\n", r, FD_ISSET(p[0], &rs), (long)tv.tv_sec, (long)tv.tv_usec);
	FD_ZERO(&rs);
	FD_SET(50, &rs);
	tv.tv_usec = 0;
	CHECK_ERRNO(select(51, &rs, NULL, NULL, &tv), "select on closed fd 50");
	CHECK_ERRNO(select(-1, NULL, NULL, NULL, &tv), "select nfds -1");
	tv.tv_sec = 0;
	tv.tv_usec = -1;
	CHECK_ERRNO(select(0, NULL, NULL, NULL, &tv), "select negative timeout");
	struct timespec pts = { 0, 10000000 };
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	r = pselect(p[0] + 1, &rs, NULL, NULL, &pts, NULL);
	printf("pselect 10ms: r=%d\n", r);
	close(p[1]);
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	tv.tv_sec = tv.tv_usec = 0;
	r = select(p[0] + 1, &rs, NULL, NULL, &tv);
	printf("select after writer closed: r=%d readable=%d\n", r, FD_ISSET(p[0], &rs));
	close(p[0]);

	/* epoll */
	int ep = epoll_create1(EPOLL_CLOEXEC);
	CHECK_ERRNO(ep, "epoll_create1");
	CHECK_ERRNO(epoll_create1(12345), "epoll_create1 bad flags");
	CHECK_ERRNO(epoll_create(0), "epoll_create(0)");
	pipe(p);
	struct epoll_event e = { .events = EPOLLIN, .data.u64 = 1234 };
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e), "EPOLL_CTL_ADD");
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e), "EPOLL_CTL_ADD again");
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &e), "EPOLL_CTL_MOD not added");
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], &e), "EPOLL_CTL_DEL not added");
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &e), "EPOLL_CTL_ADD itself");
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, 77, &e), "EPOLL_CTL_ADD bad fd");
	int regf = open("regular", O_CREAT | O_RDWR, 0644);
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, regf, &e), "EPOLL_CTL_ADD regular file");
	close(regf);
	struct epoll_event out[4];
	r = epoll_wait(ep, out, 4, 0);
	printf("epoll_wait empty: %d\n", r);
	write(p[1], "ab", 2);
	memset(out, 0, sizeof out);
	r = epoll_wait(ep, out, 4, 0);
	printf("epoll_wait with data: %d events=%s data=%llu\n", r, ev(out[0].events), (unsigned long long)out[0].data.u64);
	r = epoll_wait(ep, out, 4, 0);
	printf("level-triggered reports again: %d\n", r);
	e.events = EPOLLIN | EPOLLET;
	epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e);
	r = epoll_wait(ep, out, 4, 0);
	printf("EPOLLET after MOD: %d\n", r);
	r = epoll_wait(ep, out, 4, 0);
	printf("EPOLLET second wait: %d\n", r);
	write(p[1], "c", 1);
	r = epoll_wait(ep, out, 4, 0);
	printf("EPOLLET after new data: %d\n", r);
	e.events = EPOLLIN | EPOLLONESHOT;
	epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e);
	r = epoll_wait(ep, out, 4, 0);
	printf("EPOLLONESHOT first: %d\n", r);
	r = epoll_wait(ep, out, 4, 0);
	printf("EPOLLONESHOT second: %d\n", r);
	e.events = EPOLLIN;
	epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e);
	close(p[1]);
	read(p[0], buf, sizeof buf);
	r = epoll_wait(ep, out, 4, 0);
	printf("epoll after writer closed: %d events=%s\n", r, ev(out[0].events));
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), "EPOLL_CTL_DEL");
	r = epoll_wait(ep, out, 4, 20);
	printf("epoll_wait 20ms after DEL: %d\n", r);
	CHECK_ERRNO(epoll_wait(ep, out, 0, 0), "epoll_wait maxevents 0");
	close(p[0]);
	close(ep);
	return 0;
}

void h(int s) { (void)s; }
