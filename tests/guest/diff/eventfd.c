/* eventfd: flags, counting, EFD_SEMAPHORE, 8-byte reads and writes (EINVAL when
 * shorter), the 2^64-1 limit and blocking on it, blocking reads woken by another
 * process, poll/select readiness, sharing across fork, the fd's inode. */
#include "check.h"
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/syscall.h>

static long rd(int fd, uint64_t *v)
{
	return read(fd, v, sizeof *v);
}

static long wr(int fd, uint64_t v)
{
	return write(fd, &v, sizeof v);
}

static void show_read(const char *label, int fd)
{
	uint64_t v = 0;
	long r = rd(fd, &v);
	if (r < 0)
		printf("%s: -1 %s\n", label, errname(errno));
	else
		printf("%s: %ld value %llu\n", label, r, (unsigned long long)v);
}

static void show_poll(const char *label, int fd)
{
	struct pollfd pf = { fd, POLLIN | POLLOUT, 0 };
	int r = poll(&pf, 1, 0);
	printf("%s: %d%s%s%s\n", label, r, pf.revents & POLLIN ? " IN" : "",
	       pf.revents & POLLOUT ? " OUT" : "", pf.revents & POLLERR ? " ERR" : "");
}

static void basics(void)
{
	CHECK_ERRNO(eventfd(0, 0x1234), "eventfd bad flags");
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	printf("flags: FD_CLOEXEC=%d O_NONBLOCK=%d access O_RDWR=%d\n",
	       fcntl(fd, F_GETFD) & FD_CLOEXEC, !!(fcntl(fd, F_GETFL) & O_NONBLOCK),
	       (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
	struct stat st;
	fstat(fd, &st);
	printf("fstat: mode 0%o size %lld\n", st.st_mode, (long long)st.st_size);
	show_poll("poll at 0", fd);
	show_read("read at 0", fd);
	CHECK_VAL(wr(fd, 3), "write 3");
	CHECK_VAL(wr(fd, 4), "write 4");
	show_poll("poll at 7", fd);
	show_read("read", fd);
	show_read("read again", fd);
	CHECK_VAL(wr(fd, 0), "write 0");
	show_read("read after writing 0", fd);

	char small[4] = { 0 };
	wr(fd, 1);
	CHECK_ERRNO(read(fd, small, sizeof small), "read 4 bytes");
	CHECK_ERRNO(write(fd, small, sizeof small), "write 4 bytes");
	char big[16];
	memset(big, 0, sizeof big);
	CHECK_VAL(read(fd, big, sizeof big), "read 16 bytes");
	uint64_t two[2] = { 5, 6 };
	CHECK_VAL(write(fd, two, sizeof two), "write 16 bytes (first 8 count)");
	show_read("read", fd);
	CHECK_ERRNO(wr(fd, UINT64_MAX), "write 2^64-1");
	CHECK_VAL(lseek(fd, 10, SEEK_SET), "lseek");
	CHECK_ERRNO(pread(fd, big, 8, 0), "pread");
	close(fd);

	fd = syscall(SYS_eventfd, 9);
	printf("eventfd(9) (old call): flags O_NONBLOCK=%d\n", !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
	show_read("read", fd);
	close(fd);
}

static void limit(void)
{
	int fd = eventfd(0, EFD_NONBLOCK);
	CHECK_VAL(wr(fd, UINT64_MAX - 2), "write 2^64-3");
	show_poll("poll at 2^64-3", fd);
	CHECK_VAL(wr(fd, 1), "write 1 (to 2^64-2)");
	show_poll("poll at 2^64-2", fd);
	CHECK_ERRNO(wr(fd, 1), "write 1 more");
	CHECK_VAL(wr(fd, 0), "write 0 at the limit");
	show_read("read", fd);
	close(fd);

	/* a blocking writer waits for a reader to make room */
	fd = eventfd(0, 0);
	wr(fd, UINT64_MAX - 1);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		msleep(40);
		uint64_t v;
		rd(fd, &v);
		_exit(v == UINT64_MAX - 1 ? 0 : 1);
	}
	CHECK_VAL(wr(fd, 5), "blocking write waits for the reader");
	printf("reader: %s\n", status_str(wait_for(c)));
	show_read("read", fd);
	close(fd);
}

static void semaphore(void)
{
	int fd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
	show_read("semaphore read 1", fd);
	show_read("semaphore read 2", fd);
	show_read("semaphore read 3", fd);
	show_read("semaphore read 4", fd);
	wr(fd, 2);
	show_read("semaphore after write 2", fd);
	close(fd);
}

static void blocking(void)
{
	int fd = eventfd(0, 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		msleep(40);
		wr(fd, 11);
		msleep(40);
		wr(fd, 12);
		_exit(0);
	}
	show_read("blocking read woken by a write", fd);
	struct pollfd pf = { fd, POLLIN, 0 };
	int r = poll(&pf, 1, 5000);
	printf("poll woken: %d IN=%d\n", r, !!(pf.revents & POLLIN));
	show_read("read", fd);
	wait_for(c);

	fd_set rs, ws;
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(fd, &rs);
	FD_SET(fd, &ws);
	struct timeval tv = { 0, 0 };
	r = select(fd + 1, &rs, &ws, NULL, &tv);
	printf("select at 0: %d readable %d writable %d\n", r, FD_ISSET(fd, &rs), FD_ISSET(fd, &ws));
	wr(fd, 1);
	FD_SET(fd, &rs);
	FD_SET(fd, &ws);
	r = select(fd + 1, &rs, &ws, NULL, &tv);
	printf("select at 1: %d readable %d writable %d\n", r, FD_ISSET(fd, &rs), FD_ISSET(fd, &ws));

	/* the counter is shared with a child through fork */
	fflush(stdout);
	c = fork();
	if (c == 0) {
		wr(fd, 100);
		_exit(0);
	}
	wait_for(c);
	show_read("after the child's write", fd);
	close(fd);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	basics();
	limit();
	semaphore();
	blocking();
	return 0;
}
