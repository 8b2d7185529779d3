/* regular file I/O: open flags (O_CREAT|O_EXCL EEXIST, O_TRUNC, O_APPEND,
 * O_DIRECTORY, O_NOFOLLOW, EISDIR), read/write/pread/pwrite/readv/writev/
 * preadv/pwritev, lseek SEEK_SET/CUR/END and errors, holes beyond EOF,
 * ftruncate/truncate (grow and shrink), O_APPEND with pwrite, fsync,
 * sendfile and copy_file_range between files. */
#include "check.h"
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>

static void show_file(const char *label, const char *path)
{
	char buf[256];
	ssize_t n = read_file(path, buf, sizeof buf);
	printf("%s: size=%zd \"", label, n);
	for (ssize_t i = 0; i < n; i++)
		putchar(buf[i] ? buf[i] : '.');
	printf("\"\n");
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	char buf[256];
	int fd;

	CHECK_ERRNO(open("nofile", O_RDONLY), "open missing file");
	fd = CHECK_ERRNO(open("f", O_CREAT | O_EXCL | O_WRONLY, 0644), "O_CREAT|O_EXCL new file");
	close(fd);
	CHECK_ERRNO(open("f", O_CREAT | O_EXCL | O_WRONLY, 0644), "O_CREAT|O_EXCL existing");
	fd = CHECK_ERRNO(open("f", O_CREAT | O_WRONLY, 0644), "O_CREAT existing (no EXCL)");
	close(fd);
	CHECK_ERRNO(open("nodir/f", O_CREAT | O_WRONLY, 0644), "O_CREAT in missing dir");
	CHECK_ERRNO(open("f/x", O_CREAT | O_WRONLY, 0644), "O_CREAT under a file");
	mkdir("d", 0755);
	CHECK_ERRNO(open("d", O_WRONLY), "open dir O_WRONLY");
	CHECK_ERRNO(open("d", O_RDWR), "open dir O_RDWR");
	CHECK_ERRNO(open("d", O_CREAT | O_RDONLY, 0644), "O_CREAT on existing dir");
	fd = CHECK_ERRNO(open("d", O_RDONLY), "open dir O_RDONLY");
	CHECK_ERRNO(read(fd, buf, 1), "read() on a directory");
	close(fd);
	CHECK_ERRNO(open("f", O_RDONLY | O_DIRECTORY), "O_DIRECTORY on a file");
	CHECK_ERRNO(open("d/", O_RDONLY), "open \"d/\"");
	CHECK_ERRNO(open("f/", O_RDONLY), "open \"f/\" (trailing slash on file)");
	symlink("f", "lnk");
	CHECK_ERRNO(open("lnk", O_RDONLY | O_NOFOLLOW), "O_NOFOLLOW on symlink");
	fd = CHECK_ERRNO(open("lnk", O_RDONLY), "open via symlink");
	close(fd);
	CHECK_ERRNO(open("f", O_RDONLY | 0x40000000), "unknown open flag is ignored");
	CHECK_ERRNO(open("", O_RDONLY), "open empty path");

	/* write/read/lseek */
	fd = open("f", O_RDWR | O_TRUNC);
	CHECK_VAL(write(fd, "hello world", 11), "write 11");
	CHECK_VAL(lseek(fd, 0, SEEK_CUR), "SEEK_CUR 0");
	CHECK_VAL(lseek(fd, 0, SEEK_SET), "SEEK_SET 0");
	memset(buf, 0, sizeof buf);
	CHECK_VAL(read(fd, buf, 5), "read 5");
	SHOW_STR("data", buf);
	CHECK_VAL(lseek(fd, 1, SEEK_CUR), "SEEK_CUR +1");
	memset(buf, 0, sizeof buf);
	CHECK_VAL(read(fd, buf, 100), "read to EOF");
	SHOW_STR("data", buf);
	CHECK_VAL(read(fd, buf, 100), "read at EOF");
	CHECK_VAL(lseek(fd, -5, SEEK_END), "SEEK_END -5");
	CHECK_ERRNO(lseek(fd, -100, SEEK_CUR), "lseek to negative offset");
	CHECK_ERRNO(lseek(fd, 0, 99), "lseek bad whence");
	CHECK_VAL(lseek(fd, 0, SEEK_CUR), "offset unchanged after errors");

	/* hole */
	CHECK_VAL(lseek(fd, 20, SEEK_SET), "SEEK_SET 20 (beyond EOF)");
	CHECK_VAL(read(fd, buf, 10), "read beyond EOF");
	CHECK_VAL(write(fd, "END", 3), "write at 20");
	CHECK_VAL(lseek(fd, 0, SEEK_END), "SEEK_END");
	show_file("file with hole", "f");

	/* pread/pwrite do not move the offset */
	lseek(fd, 3, SEEK_SET);
	memset(buf, 0, sizeof buf);
	CHECK_VAL(pread(fd, buf, 5, 6), "pread 5 at 6");
	SHOW_STR("data", buf);
	CHECK_VAL(pwrite(fd, "WORLD", 5, 6), "pwrite 5 at 6");
	CHECK_VAL(lseek(fd, 0, SEEK_CUR), "offset after pread/pwrite");
	CHECK_ERRNO(pread(fd, buf, 1, -1), "pread negative offset");
	CHECK_VAL(pread(fd, buf, 10, 1000), "pread beyond EOF");
	show_file("after pwrite", "f");

	/* readv/writev */
	ftruncate(fd, 0);
	lseek(fd, 0, SEEK_SET);
	struct iovec iov[3] = { { "abc", 3 }, { "", 0 }, { "defgh", 5 } };
	CHECK_VAL(writev(fd, iov, 3), "writev 3 iovecs");
	char b1[2], b2[4], b3[10];
	struct iovec rv[3] = { { b1, 2 }, { b2, 4 }, { b3, 10 } };
	lseek(fd, 0, SEEK_SET);
	CHECK_VAL(readv(fd, rv, 3), "readv");
	printf("readv pieces: %.2s|%.4s|%.2s\n", b1, b2, b3);
	CHECK_VAL(pwritev(fd, iov, 3, 100), "pwritev at 100");
	memset(b3, 0, sizeof b3);
	struct iovec one = { b3, 8 };
	CHECK_VAL(preadv(fd, &one, 1, 100), "preadv at 100");
	printf("preadv: %.8s\n", b3);
	CHECK_VAL(writev(fd, iov, 0), "writev 0 iovecs");
	CHECK_ERRNO(syscall(SYS_writev, fd, iov, -1), "writev -1 iovecs");
	CHECK_ERRNO(syscall(SYS_writev, fd, iov, 100000), "writev too many iovecs");
	close(fd);

	/* O_TRUNC */
	write_file("t", "some content", 0644);
	fd = open("t", O_WRONLY | O_TRUNC);
	close(fd);
	show_file("after O_TRUNC", "t");
	write_file("t", "some content", 0644);
	fd = open("t", O_RDONLY | O_TRUNC);   /* Linux truncates even O_RDONLY */
	close(fd);
	show_file("after O_RDONLY|O_TRUNC", "t");

	/* O_APPEND */
	write_file("a", "start", 0644);
	fd = open("a", O_WRONLY | O_APPEND);
	CHECK_VAL(lseek(fd, 0, SEEK_CUR), "O_APPEND initial offset");
	lseek(fd, 0, SEEK_SET);
	write(fd, "+1", 2);
	CHECK_VAL(lseek(fd, 0, SEEK_CUR), "offset after append write");
	pwrite(fd, "+P", 2, 0);   /* Linux: pwrite with O_APPEND appends */
	close(fd);
	show_file("O_APPEND file", "a");
	/* two O_APPEND writers interleave without overwriting */
	int a1 = open("a", O_WRONLY | O_APPEND), a2 = open("a", O_WRONLY | O_APPEND);
	write(a1, "<1>", 3);
	write(a2, "<2>", 3);
	write(a1, "<3>", 3);
	close(a1);
	close(a2);
	show_file("two appenders", "a");

	/* truncate / ftruncate */
	write_file("tr", "0123456789", 0644);
	CHECK_ERRNO(truncate("tr", 4), "truncate to 4");
	show_file("after truncate 4", "tr");
	fd = open("tr", O_RDWR);
	CHECK_ERRNO(ftruncate(fd, 8), "ftruncate to 8");
	show_file("after ftruncate 8", "tr");
	CHECK_VAL(lseek(fd, 0, SEEK_CUR), "offset unchanged by ftruncate");
	CHECK_ERRNO(ftruncate(fd, -1), "ftruncate -1");
	close(fd);
	fd = open("tr", O_RDONLY);
	CHECK_ERRNO(ftruncate(fd, 2), "ftruncate on O_RDONLY fd");
	close(fd);
	CHECK_ERRNO(truncate("d", 0), "truncate a directory");
	CHECK_ERRNO(truncate("missing", 0), "truncate missing");
	CHECK_ERRNO(truncate("lnk", 3), "truncate via symlink");
	show_file("symlink target after truncate", "f");

	/* fsync and friends */
	fd = open("f", O_RDWR);
	CHECK_ERRNO(fsync(fd), "fsync");
	CHECK_ERRNO(fdatasync(fd), "fdatasync");
	CHECK_ERRNO(fsync(99), "fsync bad fd");
	close(fd);

	/* sendfile / copy_file_range */
	write_file("src", "copy me please", 0644);
	int in = open("src", O_RDONLY), out = open("dst", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	off_t off = 5;
	CHECK_VAL(sendfile(out, in, &off, 100), "sendfile from offset 5");
	SHOW_INT("sendfile updated offset", off);
	SHOW_INT("input fd offset untouched", lseek(in, 0, SEEK_CUR));
	close(out);
	show_file("sendfile result", "dst");
	out = open("dst2", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	lseek(in, 0, SEEK_SET);
	CHECK_VAL(copy_file_range(in, NULL, out, NULL, 4, 0), "copy_file_range 4");
	close(out);
	close(in);
	show_file("copy_file_range result", "dst2");
	return 0;
}
