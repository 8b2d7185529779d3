/* splice and tee: argument checks in Linux's order (len 0, flags, EBADF, ESPIPE for an
 * offset on a pipe, EFAULT, access modes, EINVAL for no pipe, the same pipe, O_APPEND,
 * a negative offset, a directory or eventfd), file to pipe and pipe to file with and
 * without offsets (an offset leaves the file position alone), pipe to pipe, the pipe's
 * room bounding a read, EOF, EAGAIN with SPLICE_F_NONBLOCK or O_NONBLOCK, EPIPE and
 * SIGPIPE, blocking until a writer or reader comes (fork), EINTR, and tee keeping the
 * input's bytes. */
#include "check.h"
#include <sys/eventfd.h>
#include <sys/mount.h>

static volatile int sigpipes, alarms;
static void on_sigpipe(int s) { (void)s; sigpipes++; }
static void on_alarm(int s) { (void)s; alarms++; }

static void show_pipe(const char *label, int rd)
{
	char buf[256];
	int fl = fcntl(rd, F_GETFL);
	fcntl(rd, F_SETFL, fl | O_NONBLOCK);
	ssize_t n = read(rd, buf, sizeof(buf) - 1);
	fcntl(rd, F_SETFL, fl);
	buf[n < 0 ? 0 : n] = 0;
	printf("%s: '%s'\n", label, n < 0 ? errname(errno) : buf);
}

static void checks(int file)
{
	int p[2], q[2], dir = open(".", O_RDONLY), efd = eventfd(0, 0);
	int app = open("app", O_CREAT | O_WRONLY | O_APPEND, 0644);
	loff_t off = 0, neg = -1;
	pipe(p);
	pipe(q);
	write(p[1], "x", 1);
	CHECK_VAL(splice(-1, NULL, -1, NULL, 0, 0), "len 0, bad fds");
	CHECK_VAL(splice(p[0], NULL, file, NULL, 1, 0x10), "unknown flag");
	CHECK_VAL(splice(-1, NULL, file, NULL, 1, 0), "bad fd in");
	CHECK_VAL(splice(p[0], NULL, 99, NULL, 1, 0), "bad fd out");
	CHECK_VAL(splice(p[0], &off, file, NULL, 1, 0), "offset on the input pipe");
	CHECK_VAL(splice(file, NULL, p[1], &off, 1, 0), "offset on the output pipe");
	CHECK_VAL(splice(p[0], NULL, file, (loff_t *)8, 1, 0), "bad offset pointer");
	CHECK_VAL(splice(p[1], NULL, file, NULL, 1, 0), "write end as input");
	CHECK_VAL(splice(p[0], NULL, dir, NULL, 1, 0), "directory as output");
	CHECK_VAL(splice(file, NULL, file, NULL, 1, 0), "no pipe");
	CHECK_VAL(splice(p[0], NULL, p[1], NULL, 1, 0), "one pipe both ends");
	CHECK_VAL(splice(p[0], NULL, app, NULL, 1, 0), "O_APPEND output");
	CHECK_VAL(splice(p[0], NULL, file, &neg, 1, 0), "negative offset");
	CHECK_VAL(splice(dir, NULL, q[1], NULL, 1, 0), "directory input");
	CHECK_VAL(splice(efd, NULL, q[1], NULL, 1, 0), "eventfd input");
	CHECK_VAL(tee(p[0], q[1], 1, 0x10), "tee unknown flag");
	CHECK_VAL(tee(-1, -1, 0, 0), "tee len 0, bad fds");
	CHECK_VAL(tee(p[0], file, 1, 0), "tee to a file");
	CHECK_VAL(tee(p[0], p[1], 1, 0), "tee one pipe");
	CHECK_VAL(tee(q[1], p[1], 1, 0), "tee from a write end");
	close(p[0]); close(p[1]); close(q[0]); close(q[1]);
	close(dir); close(efd); close(app);
}

static void file_and_pipe(int file)
{
	int p[2];
	loff_t off = 2;
	char buf[64];
	pipe(p);
	lseek(file, 0, SEEK_SET);
	CHECK_VAL(splice(file, &off, p[1], NULL, 3, 0), "file at offset 2 to pipe");
	SHOW_INT("offset after", off);
	SHOW_INT("file position untouched", lseek(file, 0, SEEK_CUR));
	CHECK_VAL(splice(file, NULL, p[1], NULL, 4, SPLICE_F_MORE | SPLICE_F_MOVE), "file to pipe");
	SHOW_INT("file position after", lseek(file, 0, SEEK_CUR));
	show_pipe("pipe holds", p[0]);
	off = 1000;
	CHECK_VAL(splice(file, &off, p[1], NULL, 4, 0), "past the end");

	write(p[1], "ABCDEF", 6);
	off = 1;
	CHECK_VAL(splice(p[0], NULL, file, &off, 2, 0), "pipe to file at offset 1");
	SHOW_INT("offset after", off);
	SHOW_INT("file position untouched", lseek(file, 0, SEEK_CUR));
	CHECK_VAL(splice(p[0], NULL, file, NULL, 100, 0), "pipe to file, the rest");
	SHOW_INT("file position after", lseek(file, 0, SEEK_CUR));
	memset(buf, 0, sizeof(buf));
	pread(file, buf, sizeof(buf) - 1, 0);
	SHOW_STR("file now", buf);
	CHECK_VAL(splice(p[0], NULL, file, NULL, 100, SPLICE_F_NONBLOCK), "empty pipe, SPLICE_F_NONBLOCK");
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	CHECK_VAL(splice(p[0], NULL, file, NULL, 100, 0), "empty pipe, O_NONBLOCK input");
	close(p[1]);
	CHECK_VAL(splice(p[0], NULL, file, NULL, 100, 0), "empty pipe, no writers");
	close(p[0]);
}

static void big(int file)
{
	static char data[100000];
	int p[2];
	memset(data, 'z', sizeof(data));
	pwrite(file, data, sizeof(data), 0);
	pipe(p);
	CHECK_VAL(splice(file, NULL, p[1], NULL, sizeof(data), 0), "100000 bytes into an empty pipe");
	CHECK_VAL(splice(file, NULL, p[1], NULL, 10, SPLICE_F_NONBLOCK), "into a full pipe, nonblocking");
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	CHECK_VAL(splice(file, NULL, p[1], NULL, 10, 0), "into a full O_NONBLOCK pipe");
	fcntl(p[1], F_SETFL, 0);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		char buf[4096];
		read(p[0], buf, sizeof(buf));
		_exit(0);
	}
	CHECK_VAL(splice(file, NULL, p[1], NULL, 10, 0), "into a full pipe, waits for a reader");
	waitpid(pid, NULL, 0);
	close(p[0]);
	CHECK_VAL(splice(file, NULL, p[1], NULL, 10, 0), "into a pipe without readers");
	SHOW_INT("SIGPIPEs", sigpipes);
	close(p[1]);
	ftruncate(file, 0);
}

static void pipes(void)
{
	int p[2], q[2];
	pipe(p);
	pipe(q);
	write(p[1], "hello world", 11);
	CHECK_VAL(tee(p[0], q[1], 5, 0), "tee 5");
	CHECK_VAL(tee(p[0], q[1], 100, SPLICE_F_NONBLOCK), "tee the rest");
	show_pipe("tee output", q[0]);
	CHECK_VAL(splice(p[0], NULL, q[1], NULL, 6, 0), "pipe to pipe 6");
	show_pipe("output", q[0]);
	show_pipe("input left", p[0]);
	CHECK_VAL(splice(p[0], NULL, q[1], NULL, 6, SPLICE_F_NONBLOCK), "empty input, nonblocking");
	CHECK_VAL(tee(p[0], q[1], 6, SPLICE_F_NONBLOCK), "tee empty input, nonblocking");
	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		write(p[1], "late", 4);
		_exit(0);
	}
	CHECK_VAL(splice(p[0], NULL, q[1], NULL, 100, 0), "waits for a writer");
	waitpid(pid, NULL, 0);
	show_pipe("output", q[0]);
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);
	ualarm(50000, 0);
	CHECK_VAL(splice(p[0], NULL, q[1], NULL, 100, 0), "interrupted by a signal");
	SHOW_INT("alarms", alarms);
	ualarm(50000, 0);
	CHECK_VAL(tee(p[0], q[1], 100, 0), "tee interrupted by a signal");
	close(q[0]);
	write(p[1], "x", 1);
	CHECK_VAL(splice(p[0], NULL, q[1], NULL, 100, 0), "output without readers");
	CHECK_VAL(tee(p[0], q[1], 100, 0), "tee, output without readers");
	SHOW_INT("SIGPIPEs", sigpipes);
	close(p[1]);
	CHECK_VAL(splice(p[0], NULL, q[1], NULL, 100, 0), "no writers, no readers");
	close(p[0]);
	close(q[1]);
	pipe(p);
	pipe(q);
	close(p[1]);
	CHECK_VAL(splice(p[0], NULL, q[1], NULL, 100, 0), "input without writers");
	CHECK_VAL(tee(p[0], q[1], 100, 0), "tee, input without writers");
	close(p[0]); close(q[0]); close(q[1]);
}

int test_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct sigaction sa = { .sa_handler = on_sigpipe };
	sigaction(SIGPIPE, &sa, NULL);
	int file = open("data", O_CREAT | O_RDWR | O_TRUNC, 0644);
	write(file, "0123456789", 10);
	checks(file);
	printf("--- root filesystem\n");
	file_and_pipe(file);
	big(file);
	close(file);
	mkdir("t", 0755);
	if (mount("none", "t", "tmpfs", 0, NULL) == 0) {
		file = open("t/data", O_CREAT | O_RDWR, 0644);
		write(file, "0123456789", 10);
		printf("--- tmpfs\n");
		file_and_pipe(file);
		big(file);
		close(file);
		umount("t");
	}
	pipes();
	return 0;
}
