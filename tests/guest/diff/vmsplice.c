/* vmsplice: flags checked first, then the descriptor (EBADF for a non-pipe or a closed
 * one), user memory into a pipe's write end (several vectors, in order) and out of its
 * read end, nothing to do for no bytes, EAGAIN with SPLICE_F_NONBLOCK on a full pipe and
 * on an empty one (the descriptor's own flags unchanged), EFAULT, and a writer blocked
 * on a full pipe until a reader drains it (fork). */
#include "check.h"
#include <sys/uio.h>

int test_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int p[2], file = open("plain", O_CREAT | O_RDWR, 0644);
	char a[] = "hello ", b[] = "world", out[32] = { 0 };
	static char big[65536] __attribute__((aligned(4096)));   /* whole pages: Linux takes one pipe slot a page */
	struct iovec in2[2] = { { a, 6 }, { b, 5 } }, o = { out, sizeof(out) - 1 };
	pipe(p);
	CHECK_VAL(vmsplice(p[1], in2, 2, 0x40), "unknown flag");
	CHECK_VAL(vmsplice(-1, in2, 2, 0), "bad fd");
	CHECK_VAL(vmsplice(file, in2, 2, 0), "a regular file");
	CHECK_VAL(vmsplice(p[1], in2, 0, 0), "no vectors");
	CHECK_VAL(vmsplice(p[1], in2, 2, 0), "into the pipe");
	CHECK_VAL(vmsplice(p[0], &o, 1, 0), "out of the pipe");
	SHOW_STR("read back", out);
	CHECK_VAL(vmsplice(p[0], &o, 1, SPLICE_F_NONBLOCK), "empty pipe, nonblocking");
	SHOW_INT("read end still blocking", !(fcntl(p[0], F_GETFL) & O_NONBLOCK));
	struct iovec bad = { (void *)16, 4 };
	CHECK_VAL(vmsplice(p[1], &bad, 1, 0), "unreadable memory");
	memset(big, 'z', sizeof(big));
	struct iovec all = { big, sizeof(big) };
	CHECK_VAL(vmsplice(p[1], &all, 1, SPLICE_F_NONBLOCK), "fill the pipe");
	CHECK_VAL(vmsplice(p[1], in2, 1, SPLICE_F_NONBLOCK), "full pipe, nonblocking");
	pid_t pid = fork();
	if (pid == 0) {
		usleep(100000);
		char sink[65536];
		ssize_t n = read(p[0], sink, sizeof(sink));
		_exit(n == (ssize_t)sizeof(sink) ? 0 : 1);
	}
	CHECK_VAL(vmsplice(p[1], in2, 2, 0), "blocks until a reader drains it");
	int st;
	waitpid(pid, &st, 0);
	SHOW_STATUS("reader", st);
	memset(out, 0, sizeof(out));
	CHECK_VAL(vmsplice(p[0], &o, 1, 0), "what the blocked writer put");
	SHOW_STR("then", out);
	close(p[0]);
	close(p[1]);
	close(file);
	return 0;
}
