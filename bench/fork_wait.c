/* fork_wait: fork, child _exit(0) at once, parent waitpid. */
#include "bench.h"
#include <sys/wait.h>
#include <unistd.h>

static void once(void)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		bench_die("fork_wait", "fork");
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &st, 0) != pid)
		bench_die("fork_wait", "waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "fork_wait: child status %#x\n", st);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	long warm, n = bench_iters(argc, argv, 5000, &warm);
	uint64_t t0, t1;

	for (long i = 0; i < warm; i++)
		once();
	t0 = bench_now_ns();
	for (long i = 0; i < n; i++)
		once();
	t1 = bench_now_ns();
	bench_report("fork_wait", t0, t1, n);
	return 0;
}
