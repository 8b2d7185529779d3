/* preadv2/pwritev2: offset -1 (the file position, moved) and others (position kept,
 * ESPIPE on pipes, EINVAL below -1, before EBADF), the vector checks, every RWF_* flag
 * in Linux's order (EOPNOTSUPP for unknown ones, EINVAL for APPEND|NOAPPEND, nothing
 * checked for no bytes), RWF_APPEND/RWF_NOAPPEND against O_APPEND, RWF_DSYNC/SYNC,
 * RWF_NOSIGNAL, and RWF_NOWAIT on pipes, sockets, eventfd, timerfd, signalfd, /dev/null, memfd and
 * tmpfs files, directories and /proc files (which take no flag but RWF_HIPRI). */
#include "check.h"
#include <signal.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/eventfd.h>

#ifndef RWF_NOAPPEND
#define RWF_NOAPPEND 0x20
#endif
#define RWF_ATOMIC_ 0x40
#define RWF_DONTCACHE_ 0x80
#define RWF_NOSIGNAL_ 0x100

static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static char buf[128];

/* The raw calls: glibc's wrappers turn offset -1 into readv/writev on old kernels. */
static long pr2(int fd, const struct iovec *iov, int cnt, long pos, int flags)
{
	return syscall(SYS_preadv2, fd, iov, cnt, pos, 0L, flags);
}

static long pw2(int fd, const struct iovec *iov, int cnt, long pos, int flags)
{
	return syscall(SYS_pwritev2, fd, iov, cnt, pos, 0L, flags);
}

static long rd(int fd, long pos, int flags, size_t len)
{
	memset(buf, 0, sizeof(buf));
	struct iovec iov = { buf, len };
	return pr2(fd, &iov, 1, pos, flags);
}

static long wr(int fd, long pos, int flags, const char *s)
{
	struct iovec iov = { (void *)s, strlen(s) };
	return pw2(fd, &iov, 1, pos, flags);
}

static void show_file(const char *label, const char *path)
{
	char b[128];
	read_file(path, b, sizeof(b));
	printf("%s: '%s'\n", label, b);
}

static void positions(void)
{
	write_file("f", "0123456789", 0644);
	int fd = open("f", O_RDWR);
	char a[4] = { 0 }, b[4] = { 0 };
	struct iovec two[2] = { { a, 3 }, { b, 3 } };
	CHECK_VAL(pr2(fd, two, 2, 2, 0), "two vectors at 2");
	printf("  got %s %s, position %ld\n", a, b, (long)lseek(fd, 0, SEEK_CUR));
	lseek(fd, 4, SEEK_SET);
	CHECK_VAL(rd(fd, -1, 0, 3), "at -1");
	printf("  got %s, position %ld\n", buf, (long)lseek(fd, 0, SEEK_CUR));
	CHECK_VAL(wr(fd, -1, 0, "ab"), "write at -1");
	printf("  position %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	CHECK_VAL(wr(fd, 0, RWF_HIPRI, "A"), "write at 0, HIPRI");
	CHECK_VAL(wr(fd, 1, RWF_DSYNC, "B"), "write at 1, DSYNC");
	CHECK_VAL(wr(fd, 2, RWF_SYNC, "C"), "write at 2, SYNC");
	CHECK_VAL(rd(fd, 0, RWF_DSYNC | RWF_SYNC | RWF_HIPRI, 20), "read DSYNC|SYNC|HIPRI");
	printf("  got %s, position %ld\n", buf, (long)lseek(fd, 0, SEEK_CUR));
	CHECK_VAL(wr(fd, 0, RWF_APPEND, "+app"), "write at 0, APPEND");
	printf("  position %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	CHECK_VAL(wr(fd, -1, RWF_APPEND, "+cur"), "write at -1, APPEND");
	printf("  position %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	CHECK_VAL(rd(fd, 0, RWF_APPEND, 3), "read APPEND");
	show_file("  file", "f");
	close(fd);

	fd = open("f", O_RDWR | O_APPEND);
	CHECK_VAL(wr(fd, 0, 0, "<a>"), "O_APPEND write at 0");
	CHECK_VAL(wr(fd, 0, RWF_NOAPPEND, "N"), "O_APPEND write at 0, NOAPPEND");
	lseek(fd, 1, SEEK_SET);
	CHECK_VAL(wr(fd, -1, RWF_NOAPPEND, "M"), "O_APPEND write at -1, NOAPPEND");
	printf("  position %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	CHECK_VAL(wr(fd, -1, 0, "<b>"), "O_APPEND write at -1");
	printf("  still O_APPEND: %d\n", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
	show_file("  file", "f");
	close(fd);
}

static void checks(void)
{
	int fd = open("f", O_RDWR);
	struct iovec zero = { buf, 0 }, neg = { buf, (size_t)-1 }, one = { buf, 1 };
	CHECK_ERRNO(rd(fd, -2, 0, 1), "offset -2");
	CHECK_ERRNO(rd(99, -2, 0, 1), "offset -2, bad fd");
	CHECK_ERRNO(rd(99, 0, 0, 1), "bad fd");
	CHECK_ERRNO(rd(99, -1, 0, 1), "bad fd at -1");
	CHECK_ERRNO(pr2(fd, &one, 1025, 0, 0), "1025 vectors");
	CHECK_VAL(pr2(fd, &one, 0, 0, 0x10000), "no vectors, unknown flag");
	CHECK_VAL(pr2(fd, &zero, 1, 0, 0x10000), "no bytes, unknown flag");
	CHECK_ERRNO(pr2(fd, (void *)8, 1, 0, 0), "vectors unreadable");
	CHECK_ERRNO(pw2(fd, &neg, 1, 0, 0), "negative length");
	CHECK_ERRNO(pw2(fd, &neg, 1, 0, 0x10000), "negative length, unknown flag");
	CHECK_ERRNO(rd(fd, 0, 0x10000, 1), "unknown flag");
	CHECK_VAL(rd(fd, 0, RWF_NOSIGNAL_, 1), "read NOSIGNAL");
	CHECK_ERRNO(rd(fd, 0, 0x200, 1), "flag 0x200");
	CHECK_ERRNO(rd(fd, 0, RWF_APPEND | RWF_NOAPPEND, 1), "read APPEND|NOAPPEND");
	CHECK_ERRNO(wr(fd, 0, RWF_APPEND | RWF_NOAPPEND, "x"), "write APPEND|NOAPPEND");
	CHECK_ERRNO(rd(fd, 0, RWF_ATOMIC_, 1), "read ATOMIC");
	CHECK_ERRNO(wr(fd, 0, RWF_ATOMIC_, "x"), "write ATOMIC");
	CHECK_ERRNO(wr(fd, 0, 0x10000 | RWF_APPEND | RWF_NOAPPEND, "x"), "unknown before APPEND|NOAPPEND");
	close(fd);
	fd = open("f", O_WRONLY);
	CHECK_ERRNO(rd(fd, 0, 0, 1), "read a write-only fd");
	CHECK_ERRNO(pr2(fd, &one, 0, 0, 0), "read a write-only fd, no vectors");
	CHECK_ERRNO(pr2(fd, &one, 1, 0, 0x10000), "read a write-only fd, unknown flag");
	close(fd);
	fd = open("f", O_RDONLY);
	CHECK_ERRNO(wr(fd, -1, 0, "x"), "write a read-only fd");
	close(fd);
	show_file("file unchanged", "f");
}

static void pipes(void)
{
	int p[2];
	pipe(p);
	CHECK_ERRNO(rd(p[0], -1, RWF_NOWAIT, 10), "empty pipe NOWAIT");
	CHECK_ERRNO(rd(p[0], 0, RWF_NOWAIT, 10), "pipe at 0");
	struct iovec one = { buf, 1 };
	CHECK_ERRNO(syscall(SYS_preadv, p[0], &one, 1, 0L, 0L), "preadv on a pipe");
	CHECK_ERRNO(wr(p[0], -1, 0, "x"), "write the read end");
	CHECK_ERRNO(wr(p[0], 0, 0, "x"), "write the read end at 0");
	CHECK_VAL(wr(p[1], -1, RWF_NOWAIT | RWF_DSYNC | RWF_APPEND, "data"), "write NOWAIT|DSYNC|APPEND");
	CHECK_VAL(rd(p[0], -1, RWF_NOWAIT, 10), "read NOWAIT");
	printf("  got %s, still blocking: %d\n", buf, !(fcntl(p[0], F_GETFL) & O_NONBLOCK));
	CHECK_ERRNO(wr(p[1], -1, RWF_DONTCACHE_, "x"), "write DONTCACHE");
	static char big[70000];
	struct iovec iov = { big, sizeof(big) };
	CHECK_VAL(pw2(p[1], &iov, 1, -1, RWF_NOWAIT), "fill NOWAIT");
	CHECK_ERRNO(wr(p[1], -1, RWF_NOWAIT, "x"), "full NOWAIT");
	printf("  write end still blocking: %d\n", !(fcntl(p[1], F_GETFL) & O_NONBLOCK));
	close(p[0]);
	close(p[1]);

	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		msleep(50);
		write(p[1], "late", 4);
		_exit(0);
	}
	CHECK_VAL(rd(p[0], -1, RWF_HIPRI, 10), "waiting read HIPRI");
	printf("  got %s\n", buf);
	wait_for(c);
	close(p[0]);
	signal(SIGPIPE, on_sigpipe);
	CHECK_ERRNO(wr(p[1], -1, RWF_NOWAIT, "x"), "NOWAIT, no reader");
	printf("  SIGPIPEs: %d\n", (int)sigpipes);
	CHECK_ERRNO(wr(p[1], -1, RWF_NOSIGNAL_, "x"), "NOSIGNAL, no reader");
	printf("  SIGPIPEs: %d\n", (int)sigpipes);
	close(p[1]);
	int s[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	close(s[0]);
	CHECK_ERRNO(wr(s[1], -1, RWF_NOSIGNAL_, "x"), "socket NOSIGNAL, no peer");
	printf("  SIGPIPEs: %d\n", (int)sigpipes);
	CHECK_ERRNO(wr(s[1], -1, 0, "x"), "socket, no peer");
	printf("  SIGPIPEs: %d\n", (int)sigpipes);
	signal(SIGPIPE, SIG_DFL);
	close(s[1]);
}

static void others(void)
{
	int s[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	CHECK_ERRNO(rd(s[0], -1, RWF_NOWAIT, 10), "socket NOWAIT");
	CHECK_ERRNO(rd(s[0], 0, 0, 10), "socket at 0");
	CHECK_VAL(wr(s[1], -1, RWF_DSYNC | RWF_NOWAIT, "sock"), "socket write DSYNC|NOWAIT");
	CHECK_VAL(rd(s[0], -1, RWF_NOWAIT, 10), "socket NOWAIT");
	printf("  got %s\n", buf);
	close(s[0]);
	close(s[1]);

	int e = eventfd(0, 0);
	uint64_t v = 1;
	struct iovec ev = { &v, sizeof(v) };
	CHECK_ERRNO(pr2(e, &ev, 1, -1, RWF_NOWAIT), "eventfd NOWAIT read");
	CHECK_ERRNO(pw2(e, &ev, 1, -1, RWF_NOWAIT), "eventfd NOWAIT write");
	CHECK_ERRNO(pw2(e, &ev, 1, -1, RWF_DSYNC), "eventfd DSYNC write");
	CHECK_VAL(pw2(e, &ev, 1, -1, RWF_HIPRI), "eventfd HIPRI write");
	CHECK_VAL(pr2(e, &ev, 1, -1, RWF_NOWAIT), "eventfd NOWAIT read");
	CHECK_ERRNO(pr2(e, &ev, 1, 0, 0), "eventfd at 0");
	close(e);

	int t = timerfd_create(CLOCK_MONOTONIC, 0);
	CHECK_ERRNO(pr2(t, &ev, 1, -1, RWF_NOWAIT), "timerfd NOWAIT");
	close(t);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int sf = signalfd(-1, &set, 0);
	CHECK_ERRNO(rd(sf, -1, RWF_NOWAIT, sizeof(struct signalfd_siginfo)), "signalfd NOWAIT");
	close(sf);

	int n = open("/dev/null", O_RDWR);
	CHECK_VAL(rd(n, -1, RWF_NOWAIT, 10), "/dev/null NOWAIT read");
	CHECK_VAL(wr(n, -1, RWF_NOWAIT | RWF_SYNC, "x"), "/dev/null NOWAIT|SYNC write");
	close(n);
	n = open("/dev/zero", O_RDONLY);
	CHECK_VAL(rd(n, -1, RWF_NOWAIT, 10), "/dev/zero NOWAIT read");
	close(n);

	int d = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_ERRNO(rd(d, 0, 0, 10), "directory");
	CHECK_ERRNO(rd(d, 0, RWF_HIPRI, 10), "directory HIPRI");
	CHECK_ERRNO(rd(d, -1, RWF_DSYNC, 10), "directory DSYNC");
	CHECK_ERRNO(rd(d, 0, RWF_NOWAIT, 10), "directory NOWAIT");
	CHECK_VAL(rd(d, 0, RWF_NOWAIT, 0), "directory NOWAIT, no bytes");
	close(d);

	int pr = open("/proc/self/status", O_RDONLY);
	SHOW_BOOL("/proc file HIPRI reads", rd(pr, 0, RWF_HIPRI, 10) == 10);
	CHECK_ERRNO(rd(pr, 0, RWF_DSYNC, 10), "/proc file DSYNC");
	CHECK_ERRNO(rd(pr, 0, RWF_NOWAIT, 10), "/proc file NOWAIT");
	close(pr);
}

static void memory_files(void)
{
	int m = (int)syscall(SYS_memfd_create, "rw", 0);
	CHECK_ERRNO(wr(m, -1, RWF_NOWAIT, "x"), "memfd NOWAIT write");
	CHECK_VAL(wr(m, -1, RWF_DSYNC, "memfd"), "memfd DSYNC write");
	CHECK_ERRNO(rd(m, 0, RWF_NOWAIT, 10), "memfd NOWAIT read");
	CHECK_ERRNO(rd(m, 0, RWF_NOWAIT | RWF_APPEND | RWF_NOAPPEND, 10), "memfd NOWAIT|APPEND|NOAPPEND");
	CHECK_ERRNO(rd(m, 0, RWF_DONTCACHE_, 10), "memfd DONTCACHE");
	CHECK_VAL(wr(m, 0, RWF_APPEND, "+"), "memfd APPEND");
	CHECK_VAL(rd(m, 0, 0, 10), "memfd read");
	printf("  got %s\n", buf);
	close(m);

	mkdir("t", 0755);
	if (mount("tmpfs", "t", "tmpfs", 0, "size=64k") != 0) {
		printf("mount tmpfs: %s\n", errname(errno));
		return;
	}
	int fd = open("t/f", O_RDWR | O_CREAT, 0644);
	CHECK_ERRNO(wr(fd, 0, RWF_NOWAIT, "x"), "tmpfs NOWAIT write");
	CHECK_VAL(wr(fd, 0, RWF_SYNC, "tmpfs"), "tmpfs SYNC write");
	CHECK_ERRNO(rd(fd, 0, RWF_NOWAIT, 10), "tmpfs NOWAIT read");
	close(fd);
	umount("t");
}

int test_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int mounted_proc = check_mount_proc();
	positions();
	checks();
	pipes();
	others();
	memory_files();
	if (mounted_proc)
		umount("/proc");
	return 0;
}
