/* file descriptors: dup/dup2/dup3/F_DUPFD/F_DUPFD_CLOEXEC, lowest free
 * number, shared offsets and status flags, FD_CLOEXEC across exec (a
 * re-executed copy checks which fds survived), close_range (plain and
 * CLOSE_RANGE_CLOEXEC), close errors, F_GETFL/F_SETFL, record locks
 * (F_SETLK/F_GETLK between processes, F_SETLKW waiting), flock. */
#define CHECK_SUB_MAIN sub_main
#include "check.h"
#include <sys/file.h>
#include <sys/syscall.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

int sub_main(int argc, char **argv)
{
	/* argv[2..]: fds to check */
	for (int i = 2; i < argc; i++) {
		int fd = atoi(argv[i]);
		printf("sub: fd %d open after exec: %d\n", fd, fd_is_open(fd));
		if (fd_is_open(fd)) {
			off_t o = lseek(fd, 0, SEEK_CUR);
			printf("sub: fd %d offset %lld\n", fd, (long long)o);
		}
	}
	return 0;
}

static void exec_check(char *self, const char *label, int n, int *fds)
{
	char nums[16][16];
	char *args[20] = { self, "--sub" };
	for (int i = 0; i < n; i++) {
		snprintf(nums[i], sizeof nums[i], "%d", fds[i]);
		args[2 + i] = nums[i];
	}
	args[2 + n] = NULL;
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		execv(self, args);
		_exit(127);
	}
	printf("%s: %s\n", label, status_str(wait_for(p)));
}

static long close_range_(unsigned a, unsigned b, unsigned f)
{
	return syscall(436 /* close_range */, a, b, f);
}

int test_main(int argc, char **argv)
{
	(void)argc;
	char *self = self_exe;

	int fd = open("file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	SHOW_INT("first open returns 3 (0-2 open, rest closed)", fd);
	int a = open("file", O_RDONLY);
	int b = open("file", O_RDONLY);
	close(a);
	int d = dup(fd);
	SHOW_BOOL("dup returns lowest free fd", d == a);
	close(b);

	/* shared offset and flags */
	write(fd, "0123456789", 10);
	SHOW_INT("offset seen through dup", lseek(d, 0, SEEK_CUR));
	lseek(d, 2, SEEK_SET);
	SHOW_INT("offset moved through dup seen by original", lseek(fd, 0, SEEK_CUR));
	fcntl(d, F_SETFL, O_APPEND);
	SHOW_BOOL("O_APPEND set via dup visible on original", fcntl(fd, F_GETFL) & O_APPEND);
	fcntl(d, F_SETFL, 0);
	fcntl(d, F_SETFD, FD_CLOEXEC);
	SHOW_INT("FD_CLOEXEC is per descriptor (original)", fcntl(fd, F_GETFD));
	SHOW_INT("FD_CLOEXEC is per descriptor (dup)", fcntl(d, F_GETFD));
	/* independent open: independent offset */
	int o2 = open("file", O_RDONLY);
	SHOW_INT("separate open has own offset", lseek(o2, 0, SEEK_CUR));
	close(o2);

	/* dup2 / dup3 */
	CHECK_VAL(dup2(fd, 10), "dup2(fd, 10)");
	SHOW_INT("dup2 clears FD_CLOEXEC", fcntl(10, F_GETFD));
	CHECK_VAL(dup2(fd, fd), "dup2(fd, fd)");
	CHECK_ERRNO(dup2(99, 11), "dup2(closed fd, 11)");
	CHECK_ERRNO(dup2(fd, -1), "dup2(fd, -1)");
	CHECK_ERRNO(dup3(fd, fd, 0), "dup3(fd, fd, 0)");
	CHECK_VAL(dup3(fd, 11, O_CLOEXEC), "dup3(fd, 11, O_CLOEXEC)");
	SHOW_INT("dup3 O_CLOEXEC sets FD_CLOEXEC", fcntl(11, F_GETFD));
	CHECK_ERRNO(dup3(fd, 12, O_NONBLOCK), "dup3 bad flags");
	CHECK_VAL(dup2(fd, 11), "dup2 over open fd 11 (closes it silently)");
	CHECK_ERRNO(dup(77), "dup(closed)");
	CHECK_VAL(fcntl(fd, F_DUPFD, 20), "F_DUPFD min 20");
	CHECK_VAL(fcntl(fd, F_DUPFD, 20), "F_DUPFD min 20 again");
	CHECK_VAL(fcntl(fd, F_DUPFD_CLOEXEC, 30), "F_DUPFD_CLOEXEC min 30");
	SHOW_INT("F_DUPFD_CLOEXEC sets FD_CLOEXEC", fcntl(30, F_GETFD));
	CHECK_ERRNO(fcntl(fd, F_DUPFD, -1), "F_DUPFD min -1");
	CHECK_ERRNO(fcntl(fd, F_SETFD, 0) == 0 ? fcntl(77, F_GETFD) : -2, "F_GETFD on closed fd");
	CHECK_ERRNO(fcntl(fd, 9999), "fcntl bad cmd");

	/* close errors */
	CHECK_ERRNO(close(-1), "close(-1)");
	CHECK_ERRNO(close(77), "close(closed fd)");
	int t = dup(fd);
	close(t);
	CHECK_ERRNO(close(t), "double close");

	/* F_GETFL / F_SETFL */
	int ro = open("file", O_RDONLY | O_NONBLOCK);
	int fl = fcntl(ro, F_GETFL);
	printf("F_GETFL O_RDONLY|O_NONBLOCK: accmode=%d nonblock=%d\n", fl & O_ACCMODE, !!(fl & O_NONBLOCK));
	fcntl(ro, F_SETFL, O_WRONLY | O_APPEND);   /* access mode can't change */
	fl = fcntl(ro, F_GETFL);
	printf("after F_SETFL O_WRONLY|O_APPEND: accmode=%d append=%d nonblock=%d\n", fl & O_ACCMODE, !!(fl & O_APPEND), !!(fl & O_NONBLOCK));
	CHECK_ERRNO(write(ro, "x", 1), "write to O_RDONLY fd");
	close(ro);
	int wo = open("file", O_WRONLY);
	char c;
	CHECK_ERRNO(read(wo, &c, 1), "read from O_WRONLY fd");
	close(wo);

	/* FD_CLOEXEC across exec */
	lseek(fd, 4, SEEK_SET);
	int keep = dup2(fd, 40);
	int gone = fcntl(fd, F_DUPFD_CLOEXEC, 41);
	int gone2 = open("file", O_RDONLY | O_CLOEXEC);
	int fds[3] = { keep, gone, gone2 };
	exec_check(self, "exec with cloexec fds", 3, fds);
	int fl2 = fcntl(41, F_GETFD);
	fcntl(41, F_SETFD, fl2 & ~FD_CLOEXEC);
	int fds2[1] = { 41 };
	exec_check(self, "exec after clearing FD_CLOEXEC", 1, fds2);
	close(gone2);

	/* close_range */
	for (int i = 50; i < 60; i++)
		dup2(fd, i);
	CHECK_ERRNO(close_range_(52, 55, 0), "close_range(52, 55)");
	printf("open 50..59:");
	for (int i = 50; i < 60; i++)
		printf(" %d", fd_is_open(i));
	printf("\n");
	CHECK_ERRNO(close_range_(56, 57, CLOSE_RANGE_CLOEXEC), "close_range(56, 57, CLOEXEC)");
	printf("FD_CLOEXEC 56..59: %d %d %d %d\n", fcntl(56, F_GETFD), fcntl(57, F_GETFD), fcntl(58, F_GETFD), fcntl(59, F_GETFD));
	int fds3[4] = { 50, 56, 57, 58 };
	exec_check(self, "exec after close_range CLOEXEC", 4, fds3);
	CHECK_ERRNO(close_range_(10, 5, 0), "close_range(10, 5)");
	CHECK_ERRNO(close_range_(5, 10, 0x80), "close_range bad flags");
	CHECK_ERRNO(close_range_(58, ~0U, 0), "close_range(58, ~0)");
	printf("open 58,59: %d %d\n", fd_is_open(58), fd_is_open(59));

	/* record locks */
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 5 };
	CHECK_ERRNO(fcntl(fd, F_SETLK, &lk), "F_SETLK write lock bytes 0-4");
	pid_t me = getpid();
	int pfd[2];
	pipe(pfd);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		int f = open("file", O_RDWR);
		struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 1 };
		fcntl(f, F_GETLK, &q);
		printf("child F_GETLK: type=%s pid_ok=%d start=%lld len=%lld\n",
		       q.l_type == F_WRLCK ? "F_WRLCK" : q.l_type == F_UNLCK ? "F_UNLCK" : "?",
		       q.l_pid == me, (long long)q.l_start, (long long)q.l_len);
		q.l_type = F_RDLCK; q.l_start = 0; q.l_len = 1;
		CHECK_ERRNO(fcntl(f, F_SETLK, &q), "child F_SETLK read lock on locked byte");
		q.l_type = F_WRLCK; q.l_start = 5; q.l_len = 5;
		CHECK_ERRNO(fcntl(f, F_SETLK, &q), "child F_SETLK write lock on free bytes 5-9");
		q.l_start = 0; q.l_len = 1;
		fflush(stdout);
		write(pfd[1], "r", 1);   /* tell parent we are about to wait */
		CHECK_ERRNO(fcntl(f, F_SETLKW, &q), "child F_SETLKW waits for parent's unlock");
		fflush(stdout);
		_exit(0);
	}
	read(pfd[0], &c, 1);
	msleep(50);
	struct flock mine = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 7, .l_len = 1 };
	fcntl(fd, F_GETLK, &mine);
	printf("parent F_GETLK on child's range: type=%s pid_ok=%d\n",
	       mine.l_type == F_WRLCK ? "F_WRLCK" : mine.l_type == F_UNLCK ? "F_UNLCK" : "?", mine.l_pid == p);
	lk.l_type = F_UNLCK;
	int ur = fcntl(fd, F_SETLK, &lk);
	int ue = errno;
	int cst = wait_for(p);   /* the child prints once it got the lock */
	errno = ue;
	CHECK_ERRNO(ur, "parent unlock");
	SHOW_STATUS("child", cst);
	close(pfd[0]);
	close(pfd[1]);
	lk.l_type = F_RDLCK;
	CHECK_ERRNO(fcntl(open("file", O_WRONLY), F_SETLK, &lk), "read lock on O_WRONLY fd");
	lk.l_type = 99;
	CHECK_ERRNO(fcntl(fd, F_SETLK, &lk), "bad lock type");

	/* flock */
	int f1 = open("file", O_RDONLY), f2 = open("file", O_RDONLY);
	CHECK_ERRNO(flock(f1, LOCK_EX | LOCK_NB), "flock LOCK_EX");
	CHECK_ERRNO(flock(f2, LOCK_EX | LOCK_NB), "flock LOCK_EX via other open file");
	CHECK_ERRNO(flock(f2, LOCK_SH | LOCK_NB), "flock LOCK_SH via other open file");
	int f3 = dup(f1);
	CHECK_ERRNO(flock(f3, LOCK_EX | LOCK_NB), "flock LOCK_EX via dup (same open file)");
	CHECK_ERRNO(flock(f1, LOCK_UN), "flock LOCK_UN");
	CHECK_ERRNO(flock(f2, LOCK_SH | LOCK_NB), "flock LOCK_SH after unlock");
	CHECK_ERRNO(flock(f1, LOCK_SH | LOCK_NB), "second shared lock");
	CHECK_ERRNO(flock(f1, 0), "flock bad op");
	close(f1); close(f2); close(f3);
	return 0;
}
