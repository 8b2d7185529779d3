/* The temporary signal mask of pselect, ppoll and epoll_pwait: a signal it unblocks
 * interrupts the call, its handler runs with the caller's old mask (plus the signal) and
 * the old mask is back once the handler returns; the mask is back after a normal return
 * too, and a signal it keeps blocked stays pending. select, pselect6 and ppoll ended by
 * a signal write the time left back, as when they time out or find something ready. */
#include "check.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>

static volatile sig_atomic_t handled, usr2_blocked_in_handler;

static void on_usr1(int s)
{
	(void)s;
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	usr2_blocked_in_handler = sigismember(&cur, SIGUSR2);
	handled++;
}

static int call(int which, int fd, int timeout_ms, const sigset_t *mask)
{
	struct timespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };
	if (which == 0) {
		fd_set rs;
		FD_ZERO(&rs);
		FD_SET(fd, &rs);
		return pselect(fd + 1, &rs, NULL, NULL, &ts, mask);
	}
	if (which == 1) {
		struct pollfd pf = { fd, POLLIN, 0 };
		return ppoll(&pf, 1, &ts, mask);
	}
	int ep = epoll_create1(0);
	struct epoll_event e = { .events = EPOLLIN };
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
	int r = epoll_pwait(ep, &e, 1, timeout_ms, mask);
	int saved = errno;
	close(ep);
	errno = saved;
	return r;
}

/* A child that sends us SIGUSR1 in 30 ms. */
static pid_t usr1_in_30ms(void)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		msleep(30);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	return c;
}

static void report_mask(const char *label)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("  %s: SIGUSR1 blocked %d, SIGUSR2 blocked %d\n", label,
	       sigismember(&cur, SIGUSR1), sigismember(&cur, SIGUSR2));
}

static void one(int which, const char *name)
{
	int p[2];
	pipe(p);
	sigset_t block, empty;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigemptyset(&empty);
	sigprocmask(SIG_SETMASK, &block, NULL);
	handled = 0;

	pid_t c = usr1_in_30ms();
	int r = call(which, p[0], 5000, &empty);
	printf("%s interrupted: %d %s handled %d, SIGUSR2 blocked in handler %d\n", name, r,
	       errname(errno), handled, usr2_blocked_in_handler);
	wait_for(c);
	report_mask("after the handler");

	sigprocmask(SIG_SETMASK, &block, NULL);
	kill(getpid(), SIGUSR1);
	r = call(which, p[0], 5000, &empty);
	printf("%s with the signal already pending: %d %s handled %d\n", name, r, errname(errno),
	       handled);
	report_mask("after the handler");

	sigprocmask(SIG_SETMASK, &block, NULL);
	r = call(which, p[0], 20, &empty);
	printf("%s timing out: %d\n", name, r);
	report_mask("after the call");

	write(p[1], "x", 1);
	r = call(which, p[0], 20, &empty);
	printf("%s ready: %d\n", name, r);
	report_mask("after the call");

	sigset_t only2;
	sigemptyset(&only2);
	sigaddset(&only2, SIGUSR2);
	kill(getpid(), SIGUSR2);
	r = call(which, p[0], 20, &only2);
	sigset_t pend;
	sigpending(&pend);
	printf("%s keeping SIGUSR2 blocked: %d pending %d\n", name, r, sigismember(&pend, SIGUSR2));
	signal(SIGUSR2, SIG_IGN);   /* discards it */
	signal(SIGUSR2, SIG_DFL);
	close(p[0]);
	close(p[1]);
}

/* Raw calls: the C library keeps the caller's timeout unchanged. */
static void time_left(int which, const char *name)
{
	int p[2];
	pipe(p);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	pid_t c = usr1_in_30ms();
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	struct timeval tv = { 5, 0 };
	struct timespec ts = { 5, 0 };
	struct pollfd pf = { p[0], POLLIN, 0 };
	long r;
	if (which == 0)
		r = syscall(SYS_select, p[0] + 1, &rs, NULL, NULL, &tv);
	else if (which == 1)
		r = syscall(SYS_pselect6, p[0] + 1, &rs, NULL, NULL, &ts, NULL);
	else
		r = syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8);
	int e = errno;
	long left_ms = which == 0 ? tv.tv_sec * 1000 + tv.tv_usec / 1000 : ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	printf("%s interrupted: %ld %s, time left written back %d\n", name, r, errname(e),
	       left_ms > 3000 && left_ms < 5000);
	wait_for(c);
	close(p[0]);
	close(p[1]);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	one(0, "pselect");
	one(1, "ppoll");
	one(2, "epoll_pwait");
	time_left(0, "select");
	time_left(1, "pselect6");
	time_left(2, "ppoll");
	return 0;
}
