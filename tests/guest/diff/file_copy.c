/* copies between files in the kernel: sendfile (its offset pointer or the input's
 * position, output position, short copies at EOF, pipes as output, O_NONBLOCK, the
 * EBADF/EINVAL/ESPIPE rules) and copy_file_range (offset pointers or positions, EOF,
 * same-file ranges, EISDIR/EINVAL/EBADF/EXDEV, flags). */
#include "check.h"
#include <sys/mount.h>
#include <sys/sendfile.h>

static void show_file(const char *label, const char *path)
{
	char buf[256];
	ssize_t n = read_file(path, buf, sizeof buf);
	printf("%s: size=%zd \"", label, n);
	for (ssize_t i = 0; i < n; i++)
		putchar(buf[i] ? buf[i] : '.');
	printf("\"\n");
}

static void sendfile_positions(void)
{
	int in = open("src", O_RDONLY);
	int out = open("dst", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK_VAL(sendfile(out, in, NULL, 4), "sendfile 4 at the input's position");
	SHOW_INT("input position moved", lseek(in, 0, SEEK_CUR));
	SHOW_INT("output position moved", lseek(out, 0, SEEK_CUR));
	off_t off = 10;
	CHECK_VAL(sendfile(out, in, &off, 6), "sendfile 6 from offset 10");
	SHOW_INT("offset updated", off);
	SHOW_INT("input position untouched", lseek(in, 0, SEEK_CUR));
	CHECK_VAL(sendfile(out, in, NULL, 1000), "sendfile 1000 (short at EOF)");
	CHECK_VAL(sendfile(out, in, NULL, 1000), "sendfile at EOF");
	off = 1000;
	CHECK_VAL(sendfile(out, in, &off, 5), "sendfile from offset beyond EOF");
	SHOW_INT("offset unchanged", off);
	CHECK_VAL(sendfile(out, in, NULL, 0), "sendfile 0 bytes");
	off = -1;
	CHECK_ERRNO(sendfile(out, in, &off, 5), "sendfile negative offset");
	close(out);
	show_file("dst", "dst");

	/* the output's position is where the bytes go */
	out = open("dst", O_WRONLY);
	lseek(out, 2, SEEK_SET);
	off = 0;
	CHECK_VAL(sendfile(out, in, &off, 3), "sendfile into the middle");
	close(out);
	show_file("dst", "dst");
	close(in);
}

static void sendfile_errors(void)
{
	int in = open("src", O_RDONLY), out = open("dst", O_WRONLY);
	int win = open("src", O_WRONLY), rout = open("dst", O_RDONLY);
	int app = open("dst", O_WRONLY | O_APPEND);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	int p[2];
	pipe(p);
	off_t off = 0;
	CHECK_ERRNO(sendfile(out, 99, NULL, 1), "sendfile bad input fd");
	CHECK_ERRNO(sendfile(99, in, NULL, 1), "sendfile bad output fd");
	CHECK_ERRNO(sendfile(out, win, NULL, 1), "sendfile input O_WRONLY");
	CHECK_ERRNO(sendfile(rout, in, NULL, 1), "sendfile output O_RDONLY");
	CHECK_ERRNO(sendfile(app, in, NULL, 1), "sendfile output O_APPEND");
	CHECK_ERRNO(sendfile(out, dir, NULL, 1), "sendfile input a directory");
	CHECK_ERRNO(sendfile(out, p[0], &off, 1), "sendfile input a pipe, with offset");
	CHECK_ERRNO(sendfile(out, p[0], NULL, 1), "sendfile input a pipe");
	CHECK_ERRNO(sendfile(p[1], p[0], NULL, 1), "sendfile from a pipe into a pipe");
	CHECK_ERRNO(sendfile(p[1], dir, NULL, 1), "sendfile from a directory into a pipe");
	SHOW_INT("input fd offset after errors", lseek(in, 0, SEEK_CUR));
	close(in); close(out); close(win); close(rout); close(app); close(dir);
	close(p[0]); close(p[1]);
}

static void sendfile_to_pipe(void)
{
	int in = open("src", O_RDONLY);
	int p[2];
	char buf[64];
	pipe(p);
	CHECK_VAL(sendfile(p[1], in, NULL, 7), "sendfile into a pipe");
	memset(buf, 0, sizeof buf);
	CHECK_VAL(read(p[0], buf, sizeof buf - 1), "read it back");
	SHOW_STR("data", buf);
	close(p[0]);
	close(p[1]);

	/* a full pipe: O_NONBLOCK gets EAGAIN, a blocking writer waits for a reader */
	pipe(p);
	fcntl(p[1], F_SETPIPE_SZ, 4096);
	char big[4096];
	memset(big, 'x', sizeof big);
	write(p[1], big, sizeof big);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	off_t off = 0;
	CHECK_ERRNO(sendfile(p[1], in, &off, 4), "sendfile into a full O_NONBLOCK pipe");
	SHOW_INT("offset unchanged", off);
	fcntl(p[1], F_SETFL, 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		msleep(100);
		char b[8192];
		read(p[0], b, sizeof b);
		_exit(0);
	}
	CHECK_VAL(sendfile(p[1], in, &off, 4), "sendfile into a full pipe waits for the reader");
	SHOW_INT("offset", off);
	wait_for(c);
	close(p[0]);
	close(p[1]);
	close(in);

	/* a device: seekable, so it may go into a file; into a pipe, no more than fits */
	int zero = open("/dev/zero", O_RDONLY);
	int out = open("dst", O_WRONLY | O_TRUNC);
	CHECK_VAL(sendfile(out, zero, NULL, 10), "sendfile /dev/zero into a file");
	close(out);
	show_file("dst", "dst");
	pipe(p);
	fcntl(p[1], F_SETPIPE_SZ, 4096);
	CHECK_VAL(sendfile(p[1], zero, NULL, 10000), "sendfile 10000 of /dev/zero into a 4096-byte pipe");
	close(p[0]);
	close(p[1]);
	close(zero);
}

static void cfr_positions(void)
{
	int in = open("src", O_RDONLY);
	int out = open("cfr", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK_VAL(copy_file_range(in, NULL, out, NULL, 4, 0), "copy_file_range 4 at positions");
	SHOW_INT("input position", lseek(in, 0, SEEK_CUR));
	SHOW_INT("output position", lseek(out, 0, SEEK_CUR));
	loff_t oi = 10, oo = 20;
	CHECK_VAL(copy_file_range(in, &oi, out, &oo, 3, 0), "copy_file_range 3 with offsets");
	printf("offsets now: in=%lld out=%lld\n", (long long)oi, (long long)oo);
	SHOW_INT("input position untouched", lseek(in, 0, SEEK_CUR));
	SHOW_INT("output position untouched", lseek(out, 0, SEEK_CUR));
	CHECK_VAL(copy_file_range(in, NULL, out, NULL, 1000, 0), "copy_file_range 1000 (short at EOF)");
	CHECK_VAL(copy_file_range(in, NULL, out, NULL, 1000, 0), "copy_file_range at EOF");
	oi = 1000;
	CHECK_VAL(copy_file_range(in, &oi, out, NULL, 5, 0), "copy_file_range from beyond EOF");
	CHECK_VAL(copy_file_range(in, NULL, out, NULL, 0, 0), "copy_file_range 0 bytes");
	CHECK_ERRNO(copy_file_range(in, NULL, out, NULL, 4, 1), "copy_file_range flags 1");
	close(out);
	show_file("cfr", "cfr");
	close(in);
}

static void cfr_errors(void)
{
	int in = open("src", O_RDONLY), out = open("cfr", O_WRONLY);
	int win = open("src", O_WRONLY), rout = open("cfr", O_RDONLY);
	int app = open("cfr", O_WRONLY | O_APPEND);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	int p[2];
	pipe(p);
	CHECK_ERRNO(copy_file_range(99, NULL, out, NULL, 1, 0), "copy_file_range bad input fd");
	CHECK_ERRNO(copy_file_range(in, NULL, 99, NULL, 1, 0), "copy_file_range bad output fd");
	CHECK_ERRNO(copy_file_range(win, NULL, out, NULL, 1, 0), "copy_file_range input O_WRONLY");
	CHECK_ERRNO(copy_file_range(in, NULL, rout, NULL, 1, 0), "copy_file_range output O_RDONLY");
	CHECK_ERRNO(copy_file_range(in, NULL, app, NULL, 1, 0), "copy_file_range output O_APPEND");
	CHECK_ERRNO(copy_file_range(dir, NULL, out, NULL, 1, 0), "copy_file_range input a directory");
	CHECK_ERRNO(copy_file_range(in, NULL, p[1], NULL, 1, 0), "copy_file_range output a pipe");
	CHECK_ERRNO(copy_file_range(p[0], NULL, out, NULL, 1, 0), "copy_file_range input a pipe");
	loff_t neg = -1;
	CHECK_ERRNO(copy_file_range(in, &neg, out, NULL, 1, 0), "copy_file_range negative offset");
	close(in); close(out); close(win); close(rout); close(app); close(dir);
	close(p[0]); close(p[1]);

	/* one file: overlapping ranges are refused, disjoint ones copied */
	write_file("same", "0123456789abcdef", 0644);
	int fd = open("same", O_RDWR);
	loff_t a = 0, b = 4;
	CHECK_ERRNO(copy_file_range(fd, &a, fd, &b, 8, 0), "copy_file_range overlapping in one file");
	a = 0, b = 10;
	CHECK_VAL(copy_file_range(fd, &a, fd, &b, 4, 0), "copy_file_range disjoint in one file");
	close(fd);
	show_file("same", "same");
}

/* /proc is another filesystem: EXDEV */
static void cfr_cross_fs(void)
{
	struct stat st;
	int mounted = 0;
	if (stat("/proc/self", &st) != 0) {
		mkdir("/proc", 0555);
		mounted = mount("proc", "/proc", "proc", 0, NULL) == 0;
	}
	int in = open("/proc/self/status", O_RDONLY), out = open("cfr", O_WRONLY);
	CHECK_ERRNO(copy_file_range(in, NULL, out, NULL, 10, 0), "copy_file_range from /proc");
	close(in);
	close(out);
	if (mounted)
		umount("/proc");
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	write_file("src", "0123456789ABCDEFGHIJ", 0644);
	sendfile_positions();
	sendfile_errors();
	sendfile_to_pipe();
	cfr_positions();
	cfr_errors();
	cfr_cross_fs();
	return 0;
}
