/* resource limits: getrlimit/setrlimit/prlimit, RLIMIT_NOFILE then
 * EMFILE (open, dup, pipe), RLIMIT_FSIZE with SIGXFSZ/EFBIG, RLIMIT_AS with
 * mmap ENOMEM, invalid requests, inheritance across fork. */
#include "check.h"
#include <sys/mman.h>

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	struct rlimit rl, old;

	CHECK_ERRNO(getrlimit(RLIMIT_NOFILE, &old), "getrlimit(NOFILE)");
	SHOW_BOOL("soft <= hard", old.rlim_cur <= old.rlim_max);
	SHOW_BOOL("soft >= 64", old.rlim_cur >= 64);
	CHECK_ERRNO(getrlimit(99, &rl), "getrlimit(bad resource)");

	rl.rlim_cur = 16;
	rl.rlim_max = old.rlim_max;
	CHECK_ERRNO(setrlimit(RLIMIT_NOFILE, &rl), "setrlimit(NOFILE, 16)");
	getrlimit(RLIMIT_NOFILE, &rl);
	SHOW_INT("soft limit now", rl.rlim_cur);
	int n = 0, fd, last_errno = 0;
	while ((fd = open(".", O_RDONLY)) >= 0)
		n++;
	last_errno = errno;
	SHOW_INT("opened until failure (0,1,2 already open)", n);
	SHOW_ERR("open beyond limit", last_errno);
	CHECK_ERRNO(dup(0), "dup beyond limit");
	int pfd[2];
	CHECK_ERRNO(pipe(pfd), "pipe beyond limit");
	CHECK_ERRNO(dup2(0, 16), "dup2 to fd == limit");
	CHECK_ERRNO(dup2(0, 15), "dup2 to fd == limit-1 (already open)");
	CHECK_ERRNO(fcntl(0, F_DUPFD, 16), "F_DUPFD minimum == limit");
	close(15);
	fd = CHECK_VAL(open(".", O_RDONLY), "open after closing fd 15 returns");
	for (int i = 3; i < 16; i++)
		close(i);

	/* hard limit below soft: EINVAL; raise above nr_open: EPERM */
	rl.rlim_cur = 32;
	rl.rlim_max = 16;
	CHECK_ERRNO(setrlimit(RLIMIT_NOFILE, &rl), "setrlimit soft > hard");
	rl.rlim_cur = rl.rlim_max = (rlim_t)1 << 30;
	CHECK_ERRNO(setrlimit(RLIMIT_NOFILE, &rl), "setrlimit above nr_open");

	/* inherited across fork */
	rl.rlim_cur = 20;
	rl.rlim_max = old.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		struct rlimit c;
		getrlimit(RLIMIT_NOFILE, &c);
		_exit(c.rlim_cur == 20 ? 0 : 1);
	}
	SHOW_STATUS("child inherits NOFILE soft 20", wait_for(p));

	/* lowering the hard limit is irreversible for non-root */
	fflush(stdout);
	p = fork();
	if (p == 0) {
		struct rlimit c = { 32, 64 };
		CHECK_ERRNO(setrlimit(RLIMIT_NOFILE, &c), "child: lower hard to 64");
		setresuid(1000, 1000, 1000);
		c.rlim_cur = c.rlim_max = 128;
		CHECK_ERRNO(setrlimit(RLIMIT_NOFILE, &c), "child as uid 1000: raise hard");
		c.rlim_cur = c.rlim_max = 48;
		CHECK_ERRNO(setrlimit(RLIMIT_NOFILE, &c), "child as uid 1000: lower hard");
		fflush(stdout);
		_exit(0);
	}
	wait_for(p);
	setrlimit(RLIMIT_NOFILE, &old);

	/* prlimit on ourselves */
	struct rlimit nw = { 40, old.rlim_max }, prev;
	CHECK_ERRNO(prlimit(0, RLIMIT_NOFILE, &nw, &prev), "prlimit(0, NOFILE, set)");
	SHOW_BOOL("prlimit returned previous soft", prev.rlim_cur == old.rlim_cur);
	getrlimit(RLIMIT_NOFILE, &rl);
	SHOW_INT("soft after prlimit", rl.rlim_cur);
	setrlimit(RLIMIT_NOFILE, &old);

	/* RLIMIT_FSIZE.  stdout may be a regular file, and raising the limit
	 * again needs CAP_SYS_RESOURCE: the child sends its results through a
	 * pipe (not subject to the limit) and the parent prints them. */
	int res[2];
	pipe(res);
	fflush(stdout);
	p = fork();
	if (p == 0) {
		close(res[0]);
		char out[1024];
		size_t o = 0;
		struct rlimit f = { 100, 100 };
		setrlimit(RLIMIT_FSIZE, &f);
		signal(SIGXFSZ, SIG_IGN);
		int fd = open("fsize", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		char buf[200];
		memset(buf, 'x', sizeof buf);
		long r[5];
		int e[5];
		r[0] = write(fd, buf, 60); e[0] = errno;
		r[1] = write(fd, buf, 60); e[1] = errno;
		r[2] = write(fd, buf, 10); e[2] = errno;
		r[3] = pwrite(fd, buf, 10, 50); e[3] = errno;
		r[4] = ftruncate(fd, 200); e[4] = errno;
		close(fd);
		const char *lbl[5] = { "FSIZE: write 60", "FSIZE: write 60 more (partial)",
			"FSIZE: write at limit", "FSIZE: pwrite inside limit",
			"FSIZE: ftruncate beyond limit" };
		for (int i = 0; i < 5; i++)
			o += snprintf(out + o, sizeof out - o, "%s: %ld%s%s\n", lbl[i], r[i],
				      r[i] == -1 ? " " : "", r[i] == -1 ? errname(e[i]) : "");
		struct stat st;
		stat("fsize", &st);
		o += snprintf(out + o, sizeof out - o, "FSIZE: final size: %lld\n", (long long)st.st_size);
		write(res[1], out, o);
		_exit(0);
	}
	close(res[1]);
	char rbuf[1024];
	ssize_t rn, rtot = 0;
	while ((rn = read(res[0], rbuf + rtot, sizeof rbuf - 1 - rtot)) > 0)
		rtot += rn;
	rbuf[rtot] = 0;
	close(res[0]);
	wait_for(p);
	fputs(rbuf, stdout);
	p = fork();
	if (p == 0) {
		struct rlimit f = { 10, 10 };
		setrlimit(RLIMIT_FSIZE, &f);
		int fd = open("fsize2", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		write(fd, "0123456789", 10);
		write(fd, "x", 1);   /* SIGXFSZ default action */
		_exit(0);
	}
	SHOW_STATUS("FSIZE exceeded with default SIGXFSZ", wait_for(p));

	/* RLIMIT_AS */
	fflush(stdout);
	p = fork();
	if (p == 0) {
		struct rlimit a = { 256UL << 20, 256UL << 20 };
		CHECK_ERRNO(setrlimit(RLIMIT_AS, &a), "setrlimit(AS, 256M)");
		void *m = mmap(NULL, 512UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		printf("mmap 512M under AS 256M: %s\n", m == MAP_FAILED ? errname(errno) : "ok");
		m = mmap(NULL, 1UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		printf("mmap 1M under AS 256M: %s\n", m == MAP_FAILED ? errname(errno) : "ok");
		void *b = malloc(400UL << 20);
		printf("malloc 400M under AS 256M: %s\n", b ? "ok" : "NULL");
		fflush(stdout);
		_exit(0);
	}
	wait_for(p);

	/* RLIMIT_STACK / CPU readable and sane */
	CHECK_ERRNO(getrlimit(RLIMIT_STACK, &rl), "getrlimit(STACK)");
	SHOW_BOOL("stack soft > 0", rl.rlim_cur > 0);
	CHECK_ERRNO(getrlimit(RLIMIT_CORE, &rl), "getrlimit(CORE)");
	SHOW_INT("core soft (set to 0 by harness)", rl.rlim_cur);

	/* RLIMIT_NPROC does not apply to root (CAP_SYS_ADMIN); in a child,
	 * as raising the limit back would need CAP_SYS_RESOURCE */
	fflush(stdout);
	p = fork();
	if (p == 0) {
		struct rlimit np = { 1, 1 };
		CHECK_ERRNO(setrlimit(RLIMIT_NPROC, &np), "setrlimit(NPROC, 1)");
		pid_t q = fork();
		if (q == 0)
			_exit(0);
		SHOW_BOOL("root can still fork", q > 0);
		if (q > 0)
			wait_for(q);
		fflush(stdout);
		_exit(0);
	}
	wait_for(p);
	return 0;
}
