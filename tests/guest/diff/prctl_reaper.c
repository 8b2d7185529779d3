/* process lifetime prctls: PR_SET/GET_CHILD_SUBREAPER (orphaned
 * grandchildren are reparented to us and reaped by us; getppid() in the
 * grandchild changes from its parent to us), PR_SET/GET_PDEATHSIG (signal
 * on parent death, cleared in forked children, EINVAL for bad signals),
 * PR_SET/GET_DUMPABLE, PR_SET/GET_NO_NEW_PRIVS, exit status of orphans. */
#include "check.h"

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	int v = -1;
	pid_t me = getpid();

	CHECK_ERRNO(prctl(PR_GET_CHILD_SUBREAPER, &v), "PR_GET_CHILD_SUBREAPER");
	SHOW_INT("subreaper initially", v);
	CHECK_ERRNO(prctl(PR_SET_CHILD_SUBREAPER, 1), "PR_SET_CHILD_SUBREAPER 1");
	prctl(PR_GET_CHILD_SUBREAPER, &v);
	SHOW_INT("subreaper now", v);

	/* orphan reparenting: A forks B; B checks getppid()==A, tells A, A
	 * exits, B waits until its parent changes and checks it is us */
	int up[2], sync[2], pidp[2];
	pipe(up);
	pipe(sync);
	pipe(pidp);
	fflush(stdout);
	pid_t a = fork();
	if (a == 0) {
		pid_t apid = getpid();
		pid_t b = fork();
		if (b == 0) {
			char r[2];
			r[0] = getppid() == apid ? 'Y' : 'N';
			write(sync[1], "s", 1);
			for (int i = 0; i < 2000 && getppid() == apid; i++)
				msleep(1);
			r[1] = getppid() == me ? 'Y' : 'N';
			write(up[1], r, 2);
			_exit(21);
		}
		char c;
		read(sync[0], &c, 1);
		write(pidp[1], &b, sizeof b);
		_exit(20);
	}
	pid_t b = 0;
	read(pidp[0], &b, sizeof b);
	int st = wait_for(a);
	SHOW_STATUS("intermediate child A", st);
	char res[3] = { 0 };
	read(up[0], res, 2);
	SHOW_BOOL("grandchild: getppid()==A before A exits", res[0] == 'Y');
	SHOW_BOOL("grandchild: getppid()==subreaper after A exits", res[1] == 'Y');
	pid_t w = waitpid(-1, &st, 0);
	SHOW_BOOL("subreaper reaps the grandchild with waitpid(-1)", w == b);
	SHOW_STATUS("grandchild status", st);
	close(up[0]); close(up[1]);
	close(sync[0]); close(sync[1]);
	close(pidp[0]); close(pidp[1]);
	int rep[2], go[2];

	/* waitpid on the orphan before it exits also works (it is now our child) */
	pipe(rep);
	pipe(go);
	fflush(stdout);
	a = fork();
	if (a == 0) {
		pid_t bb = fork();
		if (bb == 0) {
			char c;
			close(go[1]);
			read(go[0], &c, 1);
			_exit(33);
		}
		write(rep[1], &bb, sizeof bb);
		_exit(0);
	}
	read(rep[0], &b, sizeof b);
	wait_for(a);
	SHOW_BOOL("kill(orphan, 0) works", kill(b, 0) == 0);
	close(go[0]);
	close(go[1]);   /* orphan reads EOF and exits */
	w = waitpid(b, &st, 0);
	SHOW_BOOL("waitpid(orphan pid) returns it", w == b);
	SHOW_STATUS("orphan status", st);
	close(rep[0]);
	close(rep[1]);

	/* a killed orphan is reported as killed */
	pipe(rep);
	fflush(stdout);
	a = fork();
	if (a == 0) {
		pid_t bb = fork();
		if (bb == 0) {
			for (;;)
				pause();
		}
		write(rep[1], &bb, sizeof bb);
		_exit(0);
	}
	read(rep[0], &b, sizeof b);
	wait_for(a);
	kill(b, SIGTERM);
	w = waitpid(b, &st, 0);
	SHOW_STATUS("killed orphan status", st);
	close(rep[0]);
	close(rep[1]);

	/* PDEATHSIG */
	CHECK_ERRNO(prctl(PR_GET_PDEATHSIG, &v), "PR_GET_PDEATHSIG");
	SHOW_INT("pdeathsig initially", v);
	CHECK_ERRNO(prctl(PR_SET_PDEATHSIG, 99), "PR_SET_PDEATHSIG 99");
	CHECK_ERRNO(prctl(PR_SET_PDEATHSIG, SIGUSR2), "PR_SET_PDEATHSIG SIGUSR2");
	prctl(PR_GET_PDEATHSIG, &v);
	SHOW_STR("pdeathsig now", signame(v));
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		int x = -1;
		prctl(PR_GET_PDEATHSIG, &x);
		_exit(x == 0 ? 0 : 1);
	}
	SHOW_STATUS("pdeathsig cleared in forked child (0=yes)", wait_for(c));
	prctl(PR_SET_PDEATHSIG, 0);

	int armed[2];
	pipe(armed);
	pipe(rep);
	fflush(stdout);
	a = fork();
	if (a == 0) {
		pid_t bb = fork();
		if (bb == 0) {
			prctl(PR_SET_PDEATHSIG, SIGUSR1);
			write(armed[1], "r", 1);
			for (;;)
				pause();
		}
		char c;
		read(armed[0], &c, 1);   /* wait until B armed its pdeathsig */
		write(rep[1], &bb, sizeof bb);
		_exit(0);
	}
	read(rep[0], &b, sizeof b);
	wait_for(a);
	w = waitpid(b, &st, 0);
	SHOW_BOOL("pdeath child reaped by subreaper", w == b);
	SHOW_STATUS("child with PDEATHSIG=SIGUSR1 after its parent died", st);
	close(rep[0]); close(rep[1]);
	close(armed[0]); close(armed[1]);

	/* no subreaper any more: orphan goes elsewhere, we cannot wait for it */
	CHECK_ERRNO(prctl(PR_SET_CHILD_SUBREAPER, 0), "PR_SET_CHILD_SUBREAPER 0");
	pipe(rep);
	fflush(stdout);
	a = fork();
	if (a == 0) {
		pid_t bb = fork();
		if (bb == 0) {
			msleep(50);
			_exit(0);
		}
		write(rep[1], &bb, sizeof bb);
		_exit(0);
	}
	read(rep[0], &b, sizeof b);
	wait_for(a);
	w = waitpid(b, &st, 0);
	printf("waitpid on orphan without subreaper: %s\n", w == -1 ? errname(errno) : "returned");
	close(rep[0]);
	close(rep[1]);

	/* dumpable, no_new_privs */
	SHOW_INT("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE));
	CHECK_ERRNO(prctl(PR_SET_DUMPABLE, 1), "PR_SET_DUMPABLE 1");
	SHOW_INT("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE));
	CHECK_ERRNO(prctl(PR_SET_DUMPABLE, 2), "PR_SET_DUMPABLE 2");
	SHOW_INT("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	CHECK_ERRNO(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "PR_SET_NO_NEW_PRIVS 1");
	SHOW_INT("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	CHECK_ERRNO(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), "PR_SET_NO_NEW_PRIVS 0");
	return 0;
}
