/*
 * check.h - tiny shared helpers for the umlinux differential tests.
 *
 * Every test program is run twice: natively on the host (the oracle) and
 * as init inside umlinux.  Its stdout and exit status must match.  So a
 * program must never print anything that legitimately differs between the
 * two runs (pids, addresses, times, inode numbers, host paths, ...): it
 * prints relations and error names instead.
 *
 * A program defines  int test_main(int argc, char **argv)  and includes
 * this header, which provides main().  main() normalises the environment
 * (umask, signal dispositions, signal mask, open fds, core limit), makes a
 * scratch directory under /tmp, prints "=== begin ===", forks a child that
 * becomes a session leader (setsid), changes into the scratch directory and
 * runs test_main().  The parent waits (with a watchdog), removes the scratch
 * directory, prints "=== end: <status> ===" and exits with the child's exit
 * code (128+signal if it was killed).  The fork keeps the environment equal
 * whether the program is pid 1 in the guest or an ordinary host process.
 *
 * self_exe holds the absolute path of the program, for re-executing it.
 * When a program re-executes itself with argv[1] == "--sub", main() calls
 * CHECK_SUB_MAIN(argc, argv) directly (define CHECK_SUB_MAIN before
 * including this header) without any wrapper or markers.
 *
 * The runner (tests/guest/test-diff.sh) compares the lines from
 * "=== begin ===" to "=== end: ... ===" inclusive.
 */
#ifndef UMLINUX_DIFF_CHECK_H
#define UMLINUX_DIFF_CHECK_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_WATCHDOG_SECONDS 15
#define CK_UNUSED __attribute__((unused))

static char scratch[256];   /* absolute path of the scratch directory */
static char self_exe[4096]; /* absolute path of this program (for re-exec) */

static CK_UNUSED const char *errname(int e)
{
	static char buf[32];
	switch (e) {
#define E_(x) case x: return #x;
	E_(EPERM) E_(ENOENT) E_(ESRCH) E_(EINTR) E_(EIO) E_(ENXIO) E_(E2BIG)
	E_(ENOEXEC) E_(EBADF) E_(ECHILD) E_(EAGAIN) E_(ENOMEM) E_(EACCES)
	E_(EFAULT) E_(ENOTBLK) E_(EBUSY) E_(EEXIST) E_(EXDEV) E_(ENODEV)
	E_(ENOTDIR) E_(EISDIR) E_(EINVAL) E_(ENFILE) E_(EMFILE) E_(ENOTTY)
	E_(ETXTBSY) E_(EFBIG) E_(ENOSPC) E_(ESPIPE) E_(EROFS) E_(EMLINK)
	E_(EPIPE) E_(EDOM) E_(ERANGE) E_(EDEADLK) E_(ENAMETOOLONG) E_(ENOLCK)
	E_(ENOSYS) E_(ENOTEMPTY) E_(ELOOP) E_(ENOMSG) E_(EIDRM) E_(ENODATA)
	E_(ETIME) E_(EOVERFLOW) E_(EBADFD) E_(EILSEQ) E_(ENOTSOCK)
	E_(EDESTADDRREQ) E_(EMSGSIZE) E_(EPROTOTYPE) E_(ENOPROTOOPT)
	E_(EPROTONOSUPPORT) E_(EOPNOTSUPP) E_(EAFNOSUPPORT) E_(EADDRINUSE)
	E_(EADDRNOTAVAIL) E_(ENETDOWN) E_(ENETUNREACH) E_(ECONNABORTED)
	E_(ECONNRESET) E_(ENOBUFS) E_(EISCONN) E_(ENOTCONN) E_(ETIMEDOUT)
	E_(ECONNREFUSED) E_(EALREADY) E_(EINPROGRESS) E_(ESTALE) E_(EDQUOT)
	E_(ECANCELED) E_(EOWNERDEAD) E_(ENOTRECOVERABLE)
#undef E_
	case 0: return "0";
	}
	snprintf(buf, sizeof buf, "E#%d", e);
	return buf;
}

static CK_UNUSED const char *signame(int s)
{
	static char buf[32];
	switch (s) {
#define S_(x) case x: return #x;
	S_(SIGHUP) S_(SIGINT) S_(SIGQUIT) S_(SIGILL) S_(SIGTRAP) S_(SIGABRT)
	S_(SIGBUS) S_(SIGFPE) S_(SIGKILL) S_(SIGUSR1) S_(SIGSEGV) S_(SIGUSR2)
	S_(SIGPIPE) S_(SIGALRM) S_(SIGTERM) S_(SIGSTKFLT) S_(SIGCHLD)
	S_(SIGCONT) S_(SIGSTOP) S_(SIGTSTP) S_(SIGTTIN) S_(SIGTTOU) S_(SIGURG)
	S_(SIGXCPU) S_(SIGXFSZ) S_(SIGVTALRM) S_(SIGPROF) S_(SIGWINCH)
	S_(SIGIO) S_(SIGPWR) S_(SIGSYS)
#undef S_
	case 0: return "0";
	}
	if (s >= SIGRTMIN && s <= SIGRTMAX)
		snprintf(buf, sizeof buf, "SIGRTMIN+%d", s - SIGRTMIN);
	else
		snprintf(buf, sizeof buf, "SIG#%d", s);
	return buf;
}

/* "exited 3", "killed by SIGKILL", "stopped by SIGSTOP", "continued".
 * The core-dump flag is deliberately not shown. */
static CK_UNUSED const char *status_str(int st)
{
	static char buf[4][64];
	static int n;
	char *b = buf[n++ & 3];
	if (WIFEXITED(st))
		snprintf(b, 64, "exited %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(b, 64, "killed by %s", signame(WTERMSIG(st)));
	else if (WIFSTOPPED(st))
		snprintf(b, 64, "stopped by %s", signame(WSTOPSIG(st)));
	else if (WIFCONTINUED(st))
		snprintf(b, 64, "continued");
	else
		snprintf(b, 64, "unknown 0x%x", st);
	return b;
}

/* For calls returning -1 and setting errno:  "label: ok" / "label: -1 ENOENT" */
static CK_UNUSED long check_report(long r, const char *label)
{
	int e = errno;
	if (r == -1)
		printf("%s: -1 %s\n", label, errname(e));
	else
		printf("%s: ok\n", label);
	errno = e;
	return r;
}
#define CHECK_ERRNO(expr, label) check_report((long)(expr), (label))

/* Like CHECK_ERRNO but also prints the (deterministic) return value. */
static CK_UNUSED long check_value(long r, const char *label)
{
	int e = errno;
	if (r == -1)
		printf("%s: -1 %s\n", label, errname(e));
	else
		printf("%s: %ld\n", label, r);
	errno = e;
	return r;
}
#define CHECK_VAL(expr, label) check_value((long)(expr), (label))

/* For calls returning 0 or a positive error number (pthread_*, posix_*,
 * clock_nanosleep): "label: ok" / "label: ETIMEDOUT" */
static CK_UNUSED int check_rc(int rc, const char *label)
{
	if (rc == 0)
		printf("%s: ok\n", label);
	else
		printf("%s: %s\n", label, errname(rc));
	return rc;
}
#define CHECK_RC(expr, label) check_rc((expr), (label))

/* As init in the guest, nothing has mounted /proc yet: mounts it. 1 if it did (the
 * program unmounts it at the end), 0 if it was there already. */
static CK_UNUSED int check_mount_proc(void)
{
	struct stat st;
	if (stat("/proc/self", &st) == 0)
		return 0;
	mkdir("/proc", 0555);
	return mount("proc", "/proc", "proc", 0, NULL) == 0;
}

#define SHOW_INT(label, v)  printf("%s: %lld\n", (label), (long long)(v))
#define SHOW_BOOL(label, c) printf("%s: %d\n", (label), (c) ? 1 : 0)
#define SHOW_STR(label, s)  printf("%s: %s\n", (label), (s))
#define SHOW_OK(label, c)   printf("%s: %s\n", (label), (c) ? "ok" : "not ok")
#define SHOW_STATUS(label, st) printf("%s: %s\n", (label), status_str(st))
#define SHOW_ERR(label, e)  printf("%s: %s\n", (label), errname(e))

static CK_UNUSED void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static CK_UNUSED void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* waitpid() that retries on EINTR; returns the status or -1 (errno set). */
static CK_UNUSED int wait_for(pid_t pid)
{
	int st;
	pid_t r;
	do
		r = waitpid(pid, &st, 0);
	while (r == -1 && errno == EINTR);
	return r == -1 ? -1 : st;
}

/* Sleep for ms milliseconds, resuming after signal handlers. */
static CK_UNUSED void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L }, rem;
	while (nanosleep(&ts, &rem) == -1 && errno == EINTR)
		ts = rem;
}

/* Write a whole small file; returns 0 or -1. */
static CK_UNUSED int write_file(const char *path, const char *data, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0)
		return -1;
	size_t len = strlen(data);
	ssize_t w = write(fd, data, len);
	close(fd);
	return w == (ssize_t)len ? 0 : -1;
}

/* Read up to cap-1 bytes of a file into buf (NUL-terminated); returns length or -1. */
static CK_UNUSED ssize_t read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t n = 0;
	while (n + 1 < cap) {
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r <= 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = 0;
	return n;
}

static CK_UNUSED int fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

/* Recursive removal without following symlinks. */
static CK_UNUSED void rm_rf_at(int dirfd, const char *name)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		fchmodat(dirfd, name, 0700, 0);
		int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		if (fd >= 0) {
			DIR *d = fdopendir(fd);
			if (d) {
				struct dirent *de;
				while ((de = readdir(d)) != NULL) {
					if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
						continue;
					rm_rf_at(fd, de->d_name);
				}
				closedir(d);
			} else {
				close(fd);
			}
		}
		unlinkat(dirfd, name, AT_REMOVEDIR);
	} else {
		unlinkat(dirfd, name, 0);
	}
}

static CK_UNUSED void rm_rf(const char *path)
{
	rm_rf_at(AT_FDCWD, path);
}

/* Path relative to the scratch directory ("/" for scratch itself), or the
 * marker "<outside>" if p is not inside it. */
static CK_UNUSED const char *scratch_rel(const char *p)
{
	static char rel[4096];
	char real[4096];
	const char *base = scratch;
	if (realpath(scratch, real))
		base = real;
	size_t n = strlen(base);
	if (strncmp(p, base, n) == 0 && (p[n] == 0 || p[n] == '/')) {
		snprintf(rel, sizeof rel, "%s", p[n] ? p + n : "/");
		return rel;
	}
	return "<outside>";
}

int test_main(int argc, char **argv);

static volatile sig_atomic_t check_watchdog_fired;
static CK_UNUSED void check_watchdog(int sig)
{
	(void)sig;
	check_watchdog_fired = 1;
}

static CK_UNUSED void check_normalise(void)
{
	sigset_t all;
	struct itimerval zero;
	struct rlimit rl;

	umask(022);
	for (int s = 1; s < 65; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	memset(&zero, 0, sizeof zero);
	setitimer(ITIMER_REAL, &zero, NULL);
	setitimer(ITIMER_VIRTUAL, &zero, NULL);
	setitimer(ITIMER_PROF, &zero, NULL);
	/* No stray descriptors: numbering must be the same everywhere. */
	long maxfd = 1024;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)maxfd)
		maxfd = rl.rlim_cur;
	for (int fd = 3; fd < maxfd; fd++)
		close(fd);
	/* No core files anywhere, no core-dump flag in statuses. */
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_PDEATHSIG, 0);
}

#ifndef CHECK_NO_MAIN
int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
#ifdef CHECK_SUB_MAIN
	if (argc > 1 && strcmp(argv[1], "--sub") == 0) {
		int CHECK_SUB_MAIN(int, char **);
		return CHECK_SUB_MAIN(argc, argv);
	}
#endif
	check_normalise();
	if (!strchr(argv[0], '/') || !realpath(argv[0], self_exe))
		snprintf(self_exe, sizeof self_exe, "%s", argv[0]);

	mkdir("/tmp", 01777);
	snprintf(scratch, sizeof scratch, "/tmp/difftest.XXXXXX");
	if (!mkdtemp(scratch)) {
		printf("=== begin ===\ncannot create scratch dir: %s\n", errname(errno));
		return 99;
	}
	printf("=== begin ===\n");
	fflush(stdout);

	pid_t pid = fork();
	if (pid < 0) {
		printf("fork: %s\n", errname(errno));
		rm_rf(scratch);
		return 99;
	}
	if (pid == 0) {
		setsid();
		if (chdir(scratch) != 0) {
			printf("chdir scratch: %s\n", errname(errno));
			_exit(99);
		}
		int rc = test_main(argc, argv);
		fflush(stdout);
		exit(rc);
	}

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = check_watchdog;
	sigaction(SIGALRM, &sa, NULL);   /* no SA_RESTART: waitpid gets EINTR */
	alarm(CHECK_WATCHDOG_SECONDS);
	int st = 0;
	for (;;) {
		pid_t r = waitpid(pid, &st, 0);
		if (r == pid)
			break;
		if (r == -1 && errno == EINTR && check_watchdog_fired) {
			printf("=== watchdog: test did not finish in %d s ===\n",
			       CHECK_WATCHDOG_SECONDS);
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			check_watchdog_fired = 0;
			alarm(2);
			continue;
		}
		if (r == -1 && errno != EINTR) {
			printf("waitpid: %s\n", errname(errno));
			st = 99 << 8;
			break;
		}
	}
	alarm(0);
	rm_rf(scratch);
	printf("=== end: %s ===\n", status_str(st));
	fflush(stdout);
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 99;
}
#endif

#endif
