/* Guest only: the program runs as init.  check.h's wrapper is pid 1 and our
 * test process is its child.  Init ignores signals it has no handler for
 * (even SIGKILL from inside), orphans without a subreaper are reparented
 * to pid 1, and getppid()/kill(1, 0) behave.  Prints only ok / not ok. */
#include "check.h"

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	SHOW_OK("parent of the test process is pid 1", getppid() == 1);
	if (getppid() != 1)
		return 1;   /* not running as init: never signal the host's init */
	SHOW_OK("test process is not pid 1", getpid() != 1);
	SHOW_OK("kill(1, 0) succeeds", kill(1, 0) == 0);

	/* signals with default action are not delivered to init */
	SHOW_OK("kill(1, SIGTERM) returns 0", kill(1, SIGTERM) == 0);
	SHOW_OK("kill(1, SIGUSR1) returns 0", kill(1, SIGUSR1) == 0);
	SHOW_OK("kill(1, SIGKILL) returns 0", kill(1, SIGKILL) == 0);
	msleep(100);
	SHOW_OK("init survived (still our parent)", getppid() == 1);

	/* orphan reparenting to init (no subreaper here) */
	int up[2], sync[2];
	pipe(up);
	pipe(sync);
	fflush(stdout);
	pid_t a = fork();
	if (a == 0) {
		pid_t apid = getpid();
		if (fork() == 0) {
			char c, r[2];
			r[0] = getppid() == apid ? 'Y' : 'N';
			write(sync[1], "s", 1);
			for (int i = 0; i < 2000 && getppid() == apid; i++)
				msleep(1);
			r[1] = getppid() == 1 ? 'Y' : 'N';
			write(up[1], r, 2);
			(void)c;
			_exit(0);
		}
		char c;
		read(sync[0], &c, 1);
		_exit(0);
	}
	wait_for(a);
	char r[2] = { 0, 0 };
	read(up[0], r, 2);
	SHOW_OK("grandchild's parent was its real parent", r[0] == 'Y');
	SHOW_OK("orphan reparented to pid 1", r[1] == 'Y');
	int st;
	SHOW_OK("we cannot wait for the orphan", waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD);
	return 0;
}
