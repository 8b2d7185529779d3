/* fork_exec: fork, child execve("/bin/true"), parent waitpid.
 *
 * Usage: fork_exec <iterations> [path].  The child always gets argv[0] "true"
 * and an empty environment, so path may be a BusyBox binary (it picks the
 * applet from argv[0]); run.sh uses that to run the very same BusyBox natively
 * that the guest runs as /bin/true.
 */
#include "bench.h"
#include <sys/wait.h>
#include <unistd.h>

static const char *path = "/bin/true";

static void once(void)
{
	char *const cargv[] = { "true", NULL };
	char *const cenv[] = { NULL };
	int st;
	pid_t pid = fork();

	if (pid < 0)
		bench_die("fork_exec", "fork");
	if (pid == 0) {
		execve(path, cargv, cenv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		bench_die("fork_exec", "waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "fork_exec: %s: child status %#x\n", path, st);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	long warm, n = bench_iters(argc > 2 ? 2 : argc, argv, 1000, &warm);
	uint64_t t0, t1;

	if (argc > 2)
		path = argv[2];
	for (long i = 0; i < warm; i++)
		once();
	t0 = bench_now_ns();
	for (long i = 0; i < n; i++)
		once();
	t1 = bench_now_ns();
	bench_report("fork_exec", t0, t1, n);
	return 0;
}
