/* execve: a static program (ourselves), #! scripts (with and without an
 * interpreter argument), argv/envp passing, what survives exec (ignored
 * signals, blocked mask, pending signals, pid, ppid, cwd, umask), and the
 * error cases ENOENT, EACCES, ENOEXEC, ENOTDIR, E2BIG-free long args,
 * EFAULT. */
#define CHECK_SUB_MAIN sub_main
#include "check.h"
#include <sys/syscall.h>

extern char **environ;

static int has_sig(const sigset_t *s, int sig) { return sigismember(s, sig) == 1; }

int sub_main(int argc, char **argv)
{
	int quiet = argc > 2 && (!strcmp(argv[2], "inherit") || !strcmp(argv[2], "long"));
	printf("sub: argc=%d", argc);
	for (int i = 2; i < argc && !quiet; i++)
		printf(" [%s]", argv[i]);
	printf("\n");
	int n = 0;
	for (char **e = environ; *e; e++) {
		printf("sub: env %s\n", *e);
		n++;
	}
	printf("sub: envc=%d\n", n);
	if (argc > 2 && strcmp(argv[2], "inherit") == 0) {
		struct sigaction sa;
		sigset_t mask, pend;
		sigaction(SIGUSR1, NULL, &sa);
		printf("sub: SIGUSR1 (had handler) is SIG_DFL: %d\n", sa.sa_handler == SIG_DFL);
		sigaction(SIGUSR2, NULL, &sa);
		printf("sub: SIGUSR2 (was ignored) is SIG_IGN: %d\n", sa.sa_handler == SIG_IGN);
		sigprocmask(SIG_SETMASK, NULL, &mask);
		printf("sub: SIGHUP still blocked: %d\n", has_sig(&mask, SIGHUP));
		sigpending(&pend);
		printf("sub: SIGHUP still pending: %d\n", has_sig(&pend, SIGHUP));
		printf("sub: getpid()==old pid: %d\n", getpid() == (pid_t)atol(argv[3]));
		printf("sub: getppid()==old ppid: %d\n", getppid() == (pid_t)atol(argv[4]));
		char cwd[4096];
		printf("sub: cwd kept: %d\n", getcwd(cwd, sizeof cwd) && strcmp(cwd, argv[5]) == 0);
		mode_t m = umask(0);
		printf("sub: umask kept: %03o\n", m);
		stack_t ss;
		sigaltstack(NULL, &ss);
		printf("sub: sigaltstack disabled: %d\n", (ss.ss_flags & SS_DISABLE) != 0);
	}
	if (argc > 2 && strcmp(argv[2], "long") == 0) {
		size_t tot = 0;
		for (int i = 3; i < argc; i++)
			tot += strlen(argv[i]);
		printf("sub: long args total length %zu\n", tot);
	}
	return 21;
}

static void h(int s) { (void)s; }

static int run(const char *label, const char *path, char *const args[], char *const envp[])
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		execve(path, args, envp);
		printf("%s: execve -1 %s\n", label, errname(errno));
		fflush(stdout);
		_exit(127);
	}
	int st = wait_for(p);
	printf("%s: %s\n", label, status_str(st));
	return st;
}

int test_main(int argc, char **argv)
{
	(void)argc;
	char *self = self_exe;
	char *env1[] = { "FOO=bar", "EMPTY=", NULL };
	char *env0[] = { NULL };

	char *a1[] = { self, "--sub", "x", "hello world", "", NULL };
	run("exec self", self, a1, env1);
	char *a2[] = { self, "--sub", NULL };
	run("exec self, empty env", self, a2, env0);

	/* Long arguments (well below ARG_MAX) */
	static char big[8][10000];
	char *a3[12] = { self, "--sub", "long" };
	for (int i = 0; i < 8; i++) {
		memset(big[i], 'a' + i, sizeof big[i] - 1);
		big[i][sizeof big[i] - 1] = 0;
		a3[3 + i] = big[i];
	}
	a3[11] = NULL;
	run("exec self, 80KB of args", self, a3, env0);

	/* What is inherited across exec */
	char pidbuf[32], ppidbuf[32], cwd[4096];
	snprintf(pidbuf, sizeof pidbuf, "%d", (int)getpid());
	snprintf(ppidbuf, sizeof ppidbuf, "%d", (int)getppid());
	getcwd(cwd, sizeof cwd);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		/* the child's own pid/ppid */
		snprintf(pidbuf, sizeof pidbuf, "%d", (int)getpid());
		snprintf(ppidbuf, sizeof ppidbuf, "%d", (int)getppid());
		signal(SIGUSR1, h);
		signal(SIGUSR2, SIG_IGN);
		sigset_t m;
		sigemptyset(&m);
		sigaddset(&m, SIGHUP);
		sigprocmask(SIG_BLOCK, &m, NULL);
		raise(SIGHUP);
		umask(027);
		static char altstack[65536];
		stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
		sigaltstack(&ss, NULL);
		char *a[] = { self, "--sub", "inherit", pidbuf, ppidbuf, cwd, NULL };
		execve(self, a, env0);
		_exit(127);
	}
	printf("exec inherit: %s\n", status_str(wait_for(p)));

	/* #! scripts */
	write_file("script.sh", "#!/bin/sh\necho \"script: $# args: $1 $2\"\necho \"script: FOO=$FOO\"\nexit 3\n", 0755);
	char *s1[] = { "script.sh", "one", "two", NULL };
	run("exec #! script", "./script.sh", s1, env1);

	write_file("script2.sh", "#!/bin/sh -e\nfalse\necho not reached\n", 0755);
	char *s2[] = { "script2.sh", NULL };
	run("exec #! script with interpreter arg -e", "./script2.sh", s2, env1);

	write_file("script3.sh", "#! /bin/sh\necho \"script3: leading space ok\"\n", 0755);
	char *s3[] = { "script3.sh", NULL };
	run("exec #! with space before interpreter", "./script3.sh", s3, env1);

	/* script whose interpreter is a script itself is not allowed?  It is
	 * on Linux (up to 4 levels); keep it to a single nested level. */
	write_file("script4.sh", "#!./script.sh\n", 0755);
	char *s4[] = { "script4.sh", "arg", NULL };
	run("exec #! script interpreted by a script", "./script4.sh", s4, env1);

	write_file("noint.sh", "#!/nonexistent/interp\necho hi\n", 0755);
	char *s5[] = { "noint.sh", NULL };
	run("exec #! with missing interpreter", "./noint.sh", s5, env1);

	/* error cases */
	run("exec missing file", "./missing", s5, env1);
	write_file("noexec", "#!/bin/sh\necho hi\n", 0644);
	run("exec file without x bit", "./noexec", s5, env1);
	write_file("garbage", "\x01\x02\x03garbage garbage garbage\n", 0755);
	run("exec garbage file", "./garbage", s5, env1);
	write_file("empty", "", 0755);
	run("exec empty file", "./empty", s5, env1);
	write_file("short-elf", "\177ELF\2\1\1", 0755);
	run("exec truncated ELF", "./short-elf", s5, env1);
	mkdir("adir", 0755);
	run("exec a directory", "./adir", s5, env1);
	run("exec path through a file", "./garbage/x", s5, env1);
	run("exec empty path", "", s5, env1);
	char longname[5000];
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	run("exec too long name", longname, s5, env1);

	/* errors are seen in the calling process, which continues */
	errno = 0;
	int r = execve("./missing", s5, env1);
	printf("execve in-process: r=%d errno=%s\n", r, errname(errno));
	r = syscall(SYS_execve, NULL, s5, env1);
	printf("execve NULL path: r=%d errno=%s\n", r, errname(errno));
	r = syscall(SYS_execve, self, (char **)1, env1);
	printf("execve bad argv pointer: r=%d errno=%s\n", r, errname(errno));

	/* execveat with AT_EMPTY_PATH on an fd, and fexecve */
	int fd = open(self, O_RDONLY | O_CLOEXEC);
	char *a4[] = { self, "--sub", "via-execveat", NULL };
	fflush(stdout);
	p = fork();
	if (p == 0) {
		syscall(322 /* execveat */, fd, "", a4, env0, AT_EMPTY_PATH);
		printf("execveat: -1 %s\n", errname(errno));
		fflush(stdout);
		_exit(127);
	}
	printf("execveat AT_EMPTY_PATH: %s\n", status_str(wait_for(p)));
	close(fd);
	return 0;
}
