/* vfork: parent suspended until the child _exits or execs, memory shared,
 * exit status; vfork+execve of ourselves. */
#define CHECK_SUB_MAIN sub_main
#include "check.h"
#include <spawn.h>

int sub_main(int argc, char **argv)
{
	printf("sub: argc=%d argv1=%s argv2=%s\n", argc, argv[1], argc > 2 ? argv[2] : "-");
	return 17;
}

static volatile int shared_var;

int test_main(int argc, char **argv)
{
	(void)argc;
	int st;
	pid_t me = getpid();

	/* memory is shared, the parent waits for _exit */
	shared_var = 1;
	pid_t p = vfork();
	if (p == 0) {
		/* parent is suspended: even a slow child finishes first */
		struct timespec ts = { 0, 50 * 1000000 };
		nanosleep(&ts, NULL);
		shared_var = 2;
		_exit(7);
	}
	SHOW_BOOL("vfork returned child pid > 0", p > 0);
	SHOW_INT("shared_var after vfork child", shared_var);
	st = wait_for(p);
	SHOW_STATUS("vfork child status", st);

	/* child pid and ppid */
	volatile pid_t cpid = 0, cppid = 0;
	p = vfork();
	if (p == 0) {
		cpid = getpid();
		cppid = getppid();
		_exit(0);
	}
	SHOW_BOOL("vfork child getpid()==returned pid", cpid == p);
	SHOW_BOOL("vfork child getppid()==parent", cppid == me);
	wait_for(p);

	/* vfork + execve: parent resumes after the exec */
	char *args[] = { self_exe, "--sub", "from-vfork", NULL };
	char *envp[] = { "A=1", NULL };
	p = vfork();
	if (p == 0) {
		execve(self_exe, args, envp);
		_exit(127);
	}
	st = wait_for(p);
	SHOW_STATUS("vfork+execve status", st);

	/* vfork + failing execve */
	volatile int exec_errno = 0;
	p = vfork();
	if (p == 0) {
		execve("./does-not-exist", args, envp);
		exec_errno = errno;
		_exit(126);
	}
	st = wait_for(p);
	SHOW_ERR("vfork child execve errno seen by parent", exec_errno);
	SHOW_STATUS("vfork+failed execve status", st);

	/* signal delivered to the vfork child */
	p = vfork();
	if (p == 0) {
		kill(getpid(), SIGKILL);
		_exit(1);
	}
	st = wait_for(p);
	SHOW_STATUS("vfork child killing itself", st);

	/* posix_spawn (uses CLONE_VFORK in glibc) */
	extern char **environ;
	char *sargs[] = { self_exe, "--sub", "from-spawn", NULL };
	pid_t sp;
	fflush(stdout);
	int rc = posix_spawn(&sp, self_exe, NULL, NULL, sargs, environ);
	if (rc == 0)
		st = wait_for(sp);
	CHECK_RC(rc, "posix_spawn");
	if (rc == 0)
		SHOW_STATUS("posix_spawn child status", st);
	rc = posix_spawn(&sp, "./nope", NULL, NULL, sargs, environ);
	CHECK_RC(rc, "posix_spawn of missing file");
	return 0;
}
