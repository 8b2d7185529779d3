/* pipe_rtt: round trip of one byte between two processes over two pipes. */
#include "bench.h"
#include <sys/wait.h>
#include <unistd.h>

static void xfer(int rfd, int wfd, char *c)
{
	if (write(wfd, c, 1) != 1)
		bench_die("pipe_rtt", "write");
	if (read(rfd, c, 1) != 1)
		bench_die("pipe_rtt", "read");
}

int main(int argc, char **argv)
{
	long warm, n = bench_iters(argc, argv, 50000, &warm);
	int ping[2], pong[2], st;
	uint64_t t0, t1;
	char c = 'x';
	pid_t pid;

	if (pipe(ping) || pipe(pong))
		bench_die("pipe_rtt", "pipe");
	pid = fork();
	if (pid < 0)
		bench_die("pipe_rtt", "fork");
	if (pid == 0) {
		close(ping[1]);
		close(pong[0]);
		/* Echo every byte back until the parent closes its end. */
		while (read(ping[0], &c, 1) == 1)
			if (write(pong[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
	for (long i = 0; i < warm; i++)
		xfer(pong[0], ping[1], &c);
	t0 = bench_now_ns();
	for (long i = 0; i < n; i++)
		xfer(pong[0], ping[1], &c);
	t1 = bench_now_ns();
	close(ping[1]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "pipe_rtt: echo child failed\n");
		return 1;
	}
	bench_report("pipe_rtt", t0, t1, n);
	return 0;
}
