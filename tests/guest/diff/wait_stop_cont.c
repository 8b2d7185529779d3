/* WUNTRACED/WCONTINUED with SIGSTOP/SIGCONT/SIGTSTP, waitid with all its
 * flavours (WEXITED, WSTOPPED, WCONTINUED, WNOHANG, WNOWAIT, P_PGID, P_ALL). */
#include "check.h"

static void show_siginfo(const char *label, int r, siginfo_t *si, pid_t expect)
{
	if (r == -1) {
		printf("%s: -1 %s\n", label, errname(errno));
		return;
	}
	const char *code = "?";
	switch (si->si_code) {
	case CLD_EXITED: code = "CLD_EXITED"; break;
	case CLD_KILLED: code = "CLD_KILLED"; break;
	case CLD_DUMPED: code = "CLD_DUMPED"; break;
	case CLD_STOPPED: code = "CLD_STOPPED"; break;
	case CLD_CONTINUED: code = "CLD_CONTINUED"; break;
	case CLD_TRAPPED: code = "CLD_TRAPPED"; break;
	case 0: code = "0"; break;
	}
	int status = si->si_status;
	const char *sn = (si->si_code == CLD_EXITED) ? NULL : signame(status);
	if (sn)
		printf("%s: signo=%s code=%s status=%s pid_match=%d\n", label,
		       signame(si->si_signo), code, sn, si->si_pid == expect);
	else
		printf("%s: signo=%s code=%s status=%d pid_match=%d\n", label,
		       signame(si->si_signo), code, status, si->si_pid == expect);
}

static pid_t spawn_stopper(void)
{
	pid_t p = fork();
	if (p == 0) {
		raise(SIGSTOP);
		/* after SIGCONT */
		for (;;)
			pause();
	}
	return p;
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	int st;
	pid_t r;

	/* waitpid WUNTRACED / WCONTINUED */
	pid_t p = spawn_stopper();
	r = waitpid(p, &st, WUNTRACED);
	SHOW_BOOL("WUNTRACED returns child", r == p);
	SHOW_STATUS("WUNTRACED status", st);
	r = waitpid(p, &st, WUNTRACED | WNOHANG);
	SHOW_INT("stop is reported only once (WNOHANG)", r);
	kill(p, SIGCONT);
	r = waitpid(p, &st, WCONTINUED);
	SHOW_BOOL("WCONTINUED returns child", r == p);
	SHOW_STATUS("WCONTINUED status", st);
	SHOW_BOOL("WIFCONTINUED", WIFCONTINUED(st));
	kill(p, SIGSTOP);
	r = waitpid(p, &st, WUNTRACED);
	SHOW_STATUS("second stop (SIGSTOP from parent)", st);
	kill(p, SIGTERM);   /* pending while stopped */
	r = waitpid(p, &st, WNOHANG);
	SHOW_INT("SIGTERM to stopped child: still not dead (WNOHANG)", r);
	kill(p, SIGCONT);
	r = waitpid(p, &st, 0);   /* plain waitpid ignores the continue event */
	SHOW_STATUS("after SIGCONT, status", st);

	/* SIGKILL kills a stopped child */
	p = spawn_stopper();
	waitpid(p, &st, WUNTRACED);
	kill(p, SIGKILL);
	r = waitpid(p, &st, 0);
	SHOW_STATUS("SIGKILL on stopped child", st);

	/* SIGTSTP stops (default action) in a non-orphaned process group:
	 * the child's own group has a parent (us) in another group of the
	 * same session ... */
	p = fork();
	if (p == 0) {
		setpgid(0, 0);
		raise(SIGTSTP);
		_exit(6);
	}
	setpgid(p, p);
	waitpid(p, &st, WUNTRACED);
	SHOW_STATUS("raise(SIGTSTP) in own pgrp", st);
	kill(p, SIGCONT);
	waitpid(p, &st, 0);
	SHOW_STATUS("after continue", st);

	/* ... but is discarded in an orphaned process group (ours: our parent
	 * is in another session) ... */
	p = fork();
	if (p == 0) {
		raise(SIGTSTP);
		_exit(8);
	}
	waitpid(p, &st, WUNTRACED);
	SHOW_STATUS("raise(SIGTSTP) in orphaned pgrp", st);

	/* ... while SIGSTOP stops regardless */
	p = fork();
	if (p == 0) {
		raise(SIGSTOP);
		_exit(9);
	}
	waitpid(p, &st, WUNTRACED);
	SHOW_STATUS("raise(SIGSTOP) in orphaned pgrp", st);
	kill(p, SIGCONT);
	waitpid(p, &st, 0);
	SHOW_STATUS("after continue", st);

	/* ... and an ignored SIGTSTP does nothing */
	p = fork();
	if (p == 0) {
		setpgid(0, 0);
		signal(SIGTSTP, SIG_IGN);
		raise(SIGTSTP);
		_exit(7);
	}
	setpgid(p, p);
	waitpid(p, &st, WUNTRACED);
	SHOW_STATUS("ignored SIGTSTP", st);

	/* waitid */
	siginfo_t si;
	p = fork();
	if (p == 0)
		_exit(33);
	memset(&si, 0, sizeof si);
	r = waitid(P_PID, p, &si, WEXITED | WNOWAIT);
	show_siginfo("waitid WEXITED|WNOWAIT", r, &si, p);
	memset(&si, 0, sizeof si);
	r = waitid(P_PID, p, &si, WEXITED);
	show_siginfo("waitid WEXITED again (reaps)", r, &si, p);
	r = waitid(P_PID, p, &si, WEXITED);
	show_siginfo("waitid after reap", r, &si, p);

	p = fork();
	if (p == 0) {
		for (;;)
			pause();
	}
	memset(&si, 0xaa, sizeof si);
	r = waitid(P_ALL, 0, &si, WEXITED | WNOHANG);
	printf("waitid WNOHANG nothing ready: r=%d si_pid=%d si_signo=%d\n", r, (int)si.si_pid, si.si_signo);
	kill(p, SIGKILL);
	memset(&si, 0, sizeof si);
	r = waitid(P_ALL, 0, &si, WEXITED);
	show_siginfo("waitid killed child", r, &si, p);

	p = spawn_stopper();
	memset(&si, 0, sizeof si);
	r = waitid(P_PID, p, &si, WSTOPPED);
	show_siginfo("waitid WSTOPPED", r, &si, p);
	kill(p, SIGCONT);
	memset(&si, 0, sizeof si);
	r = waitid(P_PID, p, &si, WCONTINUED);
	show_siginfo("waitid WCONTINUED", r, &si, p);
	kill(p, SIGUSR1);
	memset(&si, 0, sizeof si);
	r = waitid(P_PID, p, &si, WEXITED);
	show_siginfo("waitid SIGUSR1 death", r, &si, p);

	/* P_PGID */
	p = fork();
	if (p == 0) {
		setpgid(0, 0);
		_exit(12);
	}
	setpgid(p, p);
	memset(&si, 0, sizeof si);
	r = waitid(P_PGID, p, &si, WEXITED);
	show_siginfo("waitid P_PGID", r, &si, p);

	/* errors */
	r = waitid(P_ALL, 0, &si, WEXITED);
	show_siginfo("waitid no children", r, &si, 0);
	r = waitid(P_PID, 1, &si, 0);
	show_siginfo("waitid no options", r, &si, 0);
	r = waitid(99, 0, &si, WEXITED);
	show_siginfo("waitid bad idtype", r, &si, 0);
	return 0;
}
