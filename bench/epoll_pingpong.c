/* epoll_pingpong: one byte there and back between two processes over an AF_UNIX stream
 * socket pair, each side waiting in epoll_wait before it reads. */
#include "bench.h"
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Waits until fd is readable, then reads one byte; false at end of file. */
static int wait_read(int ep, int fd, char *c)
{
	struct epoll_event ev;
	if (epoll_wait(ep, &ev, 1, -1) != 1)
		bench_die("epoll_pingpong", "epoll_wait");
	return read(fd, c, 1) == 1;
}

static int epoll_on(int fd)
{
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		bench_die("epoll_pingpong", "epoll");
	return ep;
}

static void round_trip(int ep, int fd, char *c)
{
	if (write(fd, c, 1) != 1)
		bench_die("epoll_pingpong", "write");
	if (!wait_read(ep, fd, c))
		bench_die("epoll_pingpong", "read");
}

int main(int argc, char **argv)
{
	long warm, n = bench_iters(argc, argv, 50000, &warm);
	int sv[2], st;
	char c = 'x';
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		bench_die("epoll_pingpong", "socketpair");
	pid_t pid = fork();
	if (pid < 0)
		bench_die("epoll_pingpong", "fork");
	if (pid == 0) {
		close(sv[0]);
		int ep = epoll_on(sv[1]);
		/* Echo every byte back until the parent closes its end. */
		while (wait_read(ep, sv[1], &c))
			if (write(sv[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(sv[1]);
	int ep = epoll_on(sv[0]);
	for (long i = 0; i < warm; i++)
		round_trip(ep, sv[0], &c);
	uint64_t t0 = bench_now_ns();
	for (long i = 0; i < n; i++)
		round_trip(ep, sv[0], &c);
	uint64_t t1 = bench_now_ns();
	close(sv[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "epoll_pingpong: echo child failed\n");
		return 1;
	}
	bench_report("epoll_pingpong", t0, t1, n);
	return 0;
}
