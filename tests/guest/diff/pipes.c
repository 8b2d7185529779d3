/* pipes: pipe2 flags, O_NONBLOCK EAGAIN, capacity (F_GETPIPE_SZ and
 * filling), FIONREAD, EOF after all writers close, PIPE_BUF atomic writes
 * from two writers, large writes split across reads, SIGPIPE default
 * termination and EPIPE when ignored or handled, EBADF on wrong end, named
 * FIFOs (open semantics, ENXIO). */
#include "check.h"
#include <limits.h>
#include <sys/ioctl.h>

static volatile int sigpipes;
static void on_pipe(int s) { (void)s; sigpipes++; }

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	int p[2];
	char buf[8192];

	CHECK_ERRNO(pipe2(p, O_NONBLOCK | O_CLOEXEC), "pipe2(O_NONBLOCK|O_CLOEXEC)");
	SHOW_BOOL("read end O_NONBLOCK", fcntl(p[0], F_GETFL) & O_NONBLOCK);
	SHOW_BOOL("write end O_NONBLOCK", fcntl(p[1], F_GETFL) & O_NONBLOCK);
	SHOW_BOOL("read end FD_CLOEXEC", fcntl(p[0], F_GETFD) & FD_CLOEXEC);
	SHOW_INT("read end access mode is O_RDONLY", (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
	SHOW_INT("write end access mode is O_WRONLY", (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
	CHECK_ERRNO(read(p[0], buf, 10), "read empty nonblocking pipe");
	CHECK_ERRNO(write(p[0], "x", 1), "write to read end");
	CHECK_ERRNO(read(p[1], buf, 1), "read from write end");
	CHECK_ERRNO(lseek(p[0], 0, SEEK_SET), "lseek on pipe");
	CHECK_ERRNO(pread(p[0], buf, 1, 0), "pread on pipe");
	CHECK_VAL(write(p[1], "", 0), "write 0 bytes");
	CHECK_VAL(fcntl(p[1], F_GETPIPE_SZ), "F_GETPIPE_SZ");
	int avail = -1;
	write(p[1], "hello", 5);
	ioctl(p[0], FIONREAD, &avail);
	SHOW_INT("FIONREAD after writing 5", avail);
	CHECK_VAL(read(p[0], buf, 3), "read 3 of 5");
	CHECK_VAL(read(p[0], buf, 100), "read rest");

	/* capacity: fill with 64-byte writes */
	long total = 0;
	ssize_t w;
	memset(buf, 'a', sizeof buf);
	while ((w = write(p[1], buf, 64)) > 0)
		total += w;
	SHOW_INT("bytes written until full", total);
	SHOW_ERR("then", errno);
	read(p[0], buf, 100);
	CHECK_ERRNO(write(p[1], buf, 4096), "4096-byte (atomic) write with 100 free bytes");
	while (read(p[0], buf, sizeof buf) > 0)
		;
	CHECK_VAL(fcntl(p[1], F_SETPIPE_SZ, 4096), "F_SETPIPE_SZ 4096");
	CHECK_VAL(fcntl(p[1], F_SETPIPE_SZ, 5000), "F_SETPIPE_SZ 5000 (rounded up)");
	CHECK_VAL(fcntl(p[1], F_GETPIPE_SZ), "F_GETPIPE_SZ after set");
	total = 0;
	while ((w = write(p[1], buf, 64)) > 0)
		total += w;
	SHOW_INT("bytes written until full after F_SETPIPE_SZ", total);
	close(p[0]);
	close(p[1]);

	/* EOF only after every writer has closed */
	pipe(p);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		close(p[0]);
		write(p[1], "from child", 10);
		msleep(30);
		_exit(0);
	}
	int dupw = dup(p[1]);
	close(p[1]);
	ssize_t r = read(p[0], buf, sizeof buf);
	SHOW_INT("read child data", r);
	wait_for(c);
	write(dupw, "dup", 3);
	r = read(p[0], buf, sizeof buf);
	SHOW_INT("read via dup'd writer after child exit", r);
	close(dupw);
	r = read(p[0], buf, sizeof buf);
	SHOW_INT("read after last writer closed (EOF)", r);
	close(p[0]);

	/* PIPE_BUF atomicity with two concurrent writers */
	SHOW_INT("PIPE_BUF", PIPE_BUF);
	pipe(p);
	pid_t wr[2];
	for (int k = 0; k < 2; k++) {
		fflush(stdout);
		wr[k] = fork();
		if (wr[k] == 0) {
			close(p[0]);
			char chunk[PIPE_BUF];
			memset(chunk, k ? 'B' : 'A', sizeof chunk);
			for (int i = 0; i < 64; i++)
				if (write(p[1], chunk, sizeof chunk) != sizeof chunk)
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	static char all[2 * 64 * PIPE_BUF + 1];
	long got = 0;
	while ((r = read(p[0], all + got, sizeof all - got)) > 0)
		got += r;
	int interleaved = 0, na = 0, nb = 0;
	for (long i = 0; i + PIPE_BUF <= got; i += PIPE_BUF) {
		for (int j = 1; j < PIPE_BUF; j++)
			if (all[i + j] != all[i])
				interleaved = 1;
		if (all[i] == 'A')
			na++;
		else
			nb++;
	}
	SHOW_INT("total bytes from two writers", got);
	SHOW_INT("chunks A", na);
	SHOW_INT("chunks B", nb);
	SHOW_OK("PIPE_BUF writes not interleaved", !interleaved);
	SHOW_STATUS("writer A", wait_for(wr[0]));
	SHOW_STATUS("writer B", wait_for(wr[1]));
	close(p[0]);

	/* a large blocking write is delivered completely to a slow reader */
	pipe(p);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		close(p[0]);
		static char big[300000];
		for (unsigned i = 0; i < sizeof big; i++)
			big[i] = (char)(i % 251);
		ssize_t n = write(p[1], big, sizeof big);
		_exit(n == (ssize_t)sizeof big ? 0 : 1);
	}
	close(p[1]);
	got = 0;
	int bad = 0;
	unsigned char rb[7000];
	msleep(20);
	while ((r = read(p[0], rb, sizeof rb)) > 0) {
		for (ssize_t i = 0; i < r; i++)
			if (rb[i] != (unsigned char)((got + i) % 251))
				bad = 1;
		got += r;
	}
	SHOW_INT("300000-byte write received", got);
	SHOW_OK("content intact", !bad);
	SHOW_STATUS("writer", wait_for(c));
	close(p[0]);

	/* SIGPIPE */
	pipe(p);
	close(p[0]);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	SHOW_STATUS("write to pipe without readers (default SIGPIPE)", wait_for(c));
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERRNO(write(p[1], "x", 1), "write without readers, SIGPIPE ignored");
	signal(SIGPIPE, on_pipe);
	CHECK_ERRNO(write(p[1], "x", 1), "write without readers, SIGPIPE handled");
	SHOW_INT("handler calls", sigpipes);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGPIPE);
	sigprocmask(SIG_BLOCK, &s, NULL);
	CHECK_ERRNO(write(p[1], "x", 1), "write without readers, SIGPIPE blocked");
	sigset_t pend;
	sigpending(&pend);
	SHOW_INT("SIGPIPE pending", sigismember(&pend, SIGPIPE));
	signal(SIGPIPE, SIG_IGN);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);

	/* reader blocked, writer exits: EOF wakes it up */
	pipe(p);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		close(p[0]);
		msleep(30);
		_exit(0);
	}
	close(p[1]);
	r = read(p[0], buf, 10);
	SHOW_INT("blocked reader sees EOF when writer exits", r);
	wait_for(c);
	close(p[0]);

	/* named FIFOs */
	CHECK_ERRNO(mkfifo("fifo", 0644), "mkfifo");
	CHECK_ERRNO(mkfifo("fifo", 0644), "mkfifo again");
	struct stat st;
	stat("fifo", &st);
	SHOW_BOOL("S_ISFIFO", S_ISFIFO(st.st_mode));
	CHECK_ERRNO(open("fifo", O_WRONLY | O_NONBLOCK), "open FIFO O_WRONLY|O_NONBLOCK, no reader");
	int rfd = CHECK_ERRNO(open("fifo", O_RDONLY | O_NONBLOCK), "open FIFO O_RDONLY|O_NONBLOCK");
	CHECK_ERRNO(read(rfd, buf, 1), "read empty FIFO with no writer (EOF, 0)");
	int wfd = CHECK_ERRNO(open("fifo", O_WRONLY | O_NONBLOCK), "open FIFO O_WRONLY|O_NONBLOCK with reader");
	write(wfd, "fifo!", 5);
	CHECK_VAL(read(rfd, buf, sizeof buf), "read from FIFO");
	CHECK_ERRNO(read(rfd, buf, sizeof buf), "read empty FIFO with writer");
	close(wfd);
	close(rfd);
	/* blocking open rendezvous */
	fflush(stdout);
	c = fork();
	if (c == 0) {
		int fd = open("fifo", O_WRONLY);
		write(fd, "rendezvous", 10);
		_exit(0);
	}
	rfd = open("fifo", O_RDONLY);
	r = read(rfd, buf, sizeof buf);
	SHOW_INT("blocking open rendezvous, read", r);
	close(rfd);
	wait_for(c);
	rfd = CHECK_ERRNO(open("fifo", O_RDWR), "open FIFO O_RDWR does not block");
	close(rfd);
	return 0;
}
