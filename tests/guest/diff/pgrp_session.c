/* process groups and sessions: setpgid/getpgid/setsid/getsid/getpgrp and
 * their errors, setpgid after exec (EACCES), kill(-pgrp), killpg. */
#define CHECK_SUB_MAIN sub_main
#include "check.h"

int sub_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	char c;
	read(3, &c, 1);   /* wait until told to go */
	return 0;
}

static pid_t dead_pid(void)
{
	pid_t p = fork();
	if (p == 0)
		_exit(0);
	wait_for(p);
	return p;
}

int test_main(int argc, char **argv)
{
	(void)argc;
	pid_t me = getpid();
	int st, pfd[2];
	char c;

	/* we are a session leader (set up by check.h) */
	SHOW_BOOL("getsid(0)==getpid()", getsid(0) == me);
	SHOW_BOOL("getpgid(0)==getpid()", getpgid(0) == me);
	SHOW_BOOL("getpgrp()==getpid()", getpgrp() == me);
	SHOW_BOOL("getsid(me)==getsid(0)", getsid(me) == getsid(0));
	CHECK_ERRNO(setsid(), "setsid as session leader");
	CHECK_ERRNO(setpgid(0, 0), "setpgid(0,0) as session leader");

	pid_t gone = dead_pid();
	CHECK_ERRNO(getpgid(gone), "getpgid(nonexistent)");
	CHECK_ERRNO(getsid(gone), "getsid(nonexistent)");
	CHECK_ERRNO(setpgid(gone, gone), "setpgid(nonexistent)");
	CHECK_ERRNO(setpgid(0, -1), "setpgid(0,-1)");
	CHECK_ERRNO(getpgid(-1), "getpgid(-1)");

	/* child inherits group and session */
	pipe(pfd);
	pid_t p = fork();
	if (p == 0) {
		close(pfd[0]);
		char r[4];
		r[0] = getpgrp() == me ? 'Y' : 'N';
		r[1] = getsid(0) == me ? 'Y' : 'N';
		r[2] = setpgid(0, gone) == -1 && errno == EPERM ? 'Y' : 'N';
		r[3] = setpgid(0, 0) == 0 && getpgrp() == getpid() ? 'Y' : 'N';
		write(pfd[1], r, 4);
		_exit(0);
	}
	close(pfd[1]);
	char r[5] = { 0 };
	read(pfd[0], r, 4);
	close(pfd[0]);
	wait_for(p);
	SHOW_BOOL("child: getpgrp()==parent pgrp", r[0] == 'Y');
	SHOW_BOOL("child: getsid()==parent sid", r[1] == 'Y');
	SHOW_BOOL("child: setpgid to nonexistent group EPERM", r[2] == 'Y');
	SHOW_BOOL("child: setpgid(0,0) makes own group", r[3] == 'Y');

	/* parent moves a child between groups */
	int go[2];
	pipe(go);
	pid_t a = fork();
	if (a == 0) {
		close(go[1]);
		read(go[0], &c, 1);
		_exit(0);
	}
	pid_t b = fork();
	if (b == 0) {
		close(go[1]);
		read(go[0], &c, 1);
		_exit(0);
	}
	CHECK_ERRNO(setpgid(a, a), "setpgid(child a, a)");
	SHOW_BOOL("getpgid(a)==a", getpgid(a) == a);
	CHECK_ERRNO(setpgid(b, a), "setpgid(child b, a) joins a's group");
	SHOW_BOOL("getpgid(b)==a", getpgid(b) == a);
	CHECK_ERRNO(setpgid(b, b), "setpgid(b, b)");
	CHECK_ERRNO(setpgid(b, me), "setpgid(b, our group)");
	SHOW_BOOL("getpgid(b)==me", getpgid(b) == me);
	close(go[0]);
	close(go[1]);
	wait_for(a);
	wait_for(b);
	CHECK_ERRNO(setpgid(a, a), "setpgid(reaped child)");

	/* a child that became a session leader cannot be moved */
	pipe(pfd);
	pipe(go);
	p = fork();
	if (p == 0) {
		close(pfd[0]);
		close(go[1]);
		pid_t s = setsid();
		char res[3];
		res[0] = s == getpid() ? 'Y' : 'N';
		res[1] = getsid(0) == getpid() ? 'Y' : 'N';
		res[2] = getpgrp() == getpid() ? 'Y' : 'N';
		write(pfd[1], res, 3);
		read(go[0], &c, 1);
		_exit(0);
	}
	close(pfd[1]);
	close(go[0]);
	memset(r, 0, sizeof r);
	read(pfd[0], r, 3);
	close(pfd[0]);
	SHOW_BOOL("child setsid() returns its pid", r[0] == 'Y');
	SHOW_BOOL("child getsid()==its pid", r[1] == 'Y');
	SHOW_BOOL("child getpgrp()==its pid", r[2] == 'Y');
	SHOW_BOOL("parent sees getsid(child)==child", getsid(p) == p);
	CHECK_ERRNO(setpgid(p, p), "setpgid(child session leader)");
	CHECK_ERRNO(setpgid(p, me), "setpgid(child in other session, our group)");
	close(go[1]);
	wait_for(p);

	/* setpgid after the child has exec'd: EACCES */
	pipe(go);
	fflush(stdout);
	p = fork();
	if (p == 0) {
		close(go[1]);
		dup2(go[0], 3);
		char *args[] = { self_exe, "--sub", NULL };
		execv(self_exe, args);
		_exit(127);
	}
	close(go[0]);
	/* wait until the exec happened: /proc-free way: poll getpgid and a short sleep
	 * is not enough; instead retry setpgid until it stops succeeding */
	int res = 0, e = 0;
	for (int i = 0; i < 500; i++) {
		res = setpgid(p, me);
		e = errno;
		if (res == -1)
			break;
		msleep(5);
	}
	printf("setpgid(child after exec): %s\n", res == -1 ? errname(e) : "ok");
	close(go[1]);
	wait_for(p);

	/* kill(-pgrp) and killpg reach every member */
	pid_t g1 = fork();
	if (g1 == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(g1, g1);
	pid_t g2 = fork();
	if (g2 == 0) {
		setpgid(0, g1);
		for (;;)
			pause();
	}
	setpgid(g2, g1);
	CHECK_ERRNO(kill(-g1, SIGTERM), "kill(-pgrp, SIGTERM)");
	st = wait_for(g1);
	SHOW_STATUS("group member 1", st);
	st = wait_for(g2);
	SHOW_STATUS("group member 2", st);
	CHECK_ERRNO(kill(-g1, SIGTERM), "kill(-pgrp) of empty group");
	CHECK_ERRNO(killpg(gone, 0), "killpg(nonexistent group)");

	g1 = fork();
	if (g1 == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(g1, g1);
	CHECK_ERRNO(killpg(g1, SIGKILL), "killpg(group, SIGKILL)");
	SHOW_STATUS("killpg member", wait_for(g1));
	CHECK_ERRNO(kill(0, 0), "kill(0, 0) (own group)");
	return 0;
}
