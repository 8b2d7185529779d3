/* fork/wait: exit codes, killed by signal, WNOHANG, ECHILD, wait4 rusage,
 * waitpid(-1) and waitpid(-pgid), zombies, exit() vs _exit() buffering. */
#include "check.h"

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	int st;
	pid_t me = getpid();

	/* exit codes */
	int codes[] = { 0, 1, 3, 42, 255, 256 + 7 };
	for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(codes[i]);
		pid_t r = waitpid(p, &st, 0);
		char label[64];
		snprintf(label, sizeof label, "_exit(%d) status", codes[i]);
		SHOW_STATUS(label, st);
		SHOW_BOOL("  waitpid returned child pid", r == p);
	}

	/* getppid in child */
	int pfd[2];
	pipe(pfd);
	pid_t p = fork();
	if (p == 0) {
		char c = (getppid() == me) ? 'Y' : 'N';
		write(pfd[1], &c, 1);
		_exit(0);
	}
	char c = '?';
	read(pfd[0], &c, 1);
	wait_for(p);
	SHOW_BOOL("child getppid()==parent pid", c == 'Y');
	SHOW_BOOL("child pid != parent pid", p != me);
	close(pfd[0]);
	close(pfd[1]);

	/* killed by signals */
	int sigs[] = { SIGKILL, SIGTERM, SIGUSR1, SIGHUP, SIGINT, SIGQUIT, SIGALRM };
	for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		pipe(pfd);
		p = fork();
		if (p == 0) {
			close(pfd[0]);
			close(pfd[1]);   /* parent sees EOF: we are running */
			for (;;)
				pause();
		}
		close(pfd[1]);
		read(pfd[0], &c, 1);
		close(pfd[0]);
		kill(p, sigs[i]);
		st = wait_for(p);
		char label[64];
		snprintf(label, sizeof label, "kill %s status", signame(sigs[i]));
		SHOW_STATUS(label, st);
	}

	/* WNOHANG on a running child, then on the exited child */
	pipe(pfd);
	p = fork();
	if (p == 0) {
		close(pfd[1]);
		read(pfd[0], &c, 1);   /* wait until parent says go */
		_exit(5);
	}
	close(pfd[0]);
	pid_t r = waitpid(p, &st, WNOHANG);
	SHOW_INT("WNOHANG on running child returns", r);
	write(pfd[1], "g", 1);
	close(pfd[1]);
	int tries = 0;
	do {
		r = waitpid(p, &st, WNOHANG);
		if (r == 0)
			msleep(5);
	} while (r == 0 && ++tries < 2000);
	SHOW_BOOL("WNOHANG eventually returns pid", r == p);
	SHOW_STATUS("WNOHANG status", st);

	/* ECHILD */
	CHECK_ERRNO(waitpid(-1, &st, 0), "waitpid(-1) with no children");
	CHECK_ERRNO(waitpid(-1, &st, WNOHANG), "waitpid(-1, WNOHANG) with no children");
	CHECK_ERRNO(waitpid(me, &st, 0), "waitpid(self)");
	CHECK_ERRNO(waitpid(1, &st, 0), "waitpid(non-child 1)");
	CHECK_ERRNO(waitpid(-1, &st, 0x00100000 /* bogus flag */), "waitpid bad options");

	/* waitpid(-1) reaps all of several children; sum of codes */
	int sum = 0;
	for (int i = 1; i <= 4; i++) {
		if (fork() == 0)
			_exit(i * 10);
	}
	int n = 0;
	while ((r = waitpid(-1, &st, 0)) > 0) {
		n++;
		sum += WEXITSTATUS(st);
	}
	SHOW_INT("waitpid(-1) reaped", n);
	SHOW_INT("sum of exit codes", sum);
	SHOW_ERR("then errno", errno);

	/* waitpid(0) / waitpid(-pgid): child in another group is not matched by 0 */
	pipe(pfd);
	p = fork();
	if (p == 0) {
		setpgid(0, 0);
		close(pfd[1]);
		read(pfd[0], &c, 1);
		_exit(9);
	}
	setpgid(p, p);
	close(pfd[0]);
	r = waitpid(0, &st, WNOHANG);
	SHOW_INT("waitpid(0,WNOHANG) with child in other pgrp", r);
	if (r == -1)
		SHOW_ERR("  errno", errno);
	write(pfd[1], "g", 1);
	close(pfd[1]);
	r = waitpid(-p, &st, 0);
	SHOW_BOOL("waitpid(-pgid) returns that child", r == p);
	SHOW_STATUS("waitpid(-pgid) status", st);

	/* wait4 with rusage */
	p = fork();
	if (p == 0)
		_exit(2);
	struct rusage ru;
	memset(&ru, 0xff, sizeof ru);
	r = wait4(p, &st, 0, &ru);
	SHOW_BOOL("wait4 returns pid", r == p);
	SHOW_STATUS("wait4 status", st);
	SHOW_BOOL("wait4 rusage utime sane", ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	SHOW_BOOL("wait4 rusage stime sane", ru.ru_stime.tv_sec >= 0 && ru.ru_stime.tv_usec >= 0 && ru.ru_stime.tv_usec < 1000000);

	/* wait() with status NULL */
	p = fork();
	if (p == 0)
		_exit(0);
	SHOW_BOOL("wait(NULL) returns pid", wait(NULL) == p);

	/* zombie remains until reaped: kill(pid,0) on zombie succeeds */
	pipe(pfd);
	p = fork();
	if (p == 0) {
		close(pfd[0]);
		close(pfd[1]);
		_exit(4);
	}
	close(pfd[1]);
	read(pfd[0], &c, 1);  /* EOF once child closed (it is about to exit) */
	close(pfd[0]);
	msleep(50);
	CHECK_ERRNO(kill(p, 0), "kill(zombie, 0)");
	st = wait_for(p);
	SHOW_STATUS("zombie status", st);
	CHECK_ERRNO(kill(p, 0), "kill(reaped, 0)");

	/* exit() flushes stdio in the child; _exit() does not */
	pipe(pfd);
	p = fork();
	if (p == 0) {
		close(pfd[0]);
		FILE *f = fdopen(pfd[1], "w");
		setvbuf(f, NULL, _IOFBF, 4096);
		fputs("flushed-by-exit", f);
		exit(0);
	}
	close(pfd[1]);
	char buf[64] = { 0 };
	ssize_t got = 0, k;
	while ((k = read(pfd[0], buf + got, sizeof buf - 1 - got)) > 0)
		got += k;
	close(pfd[0]);
	wait_for(p);
	SHOW_STR("exit() flushed", buf);
	pipe(pfd);
	p = fork();
	if (p == 0) {
		close(pfd[0]);
		FILE *f = fdopen(pfd[1], "w");
		setvbuf(f, NULL, _IOFBF, 4096);
		fputs("lost", f);
		_exit(0);
	}
	close(pfd[1]);
	got = read(pfd[0], buf, sizeof buf);
	close(pfd[0]);
	wait_for(p);
	SHOW_INT("_exit() bytes", got);
	return 0;
}
