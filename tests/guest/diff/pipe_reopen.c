/* Opening /proc/self/fd/N of a pipe opens the same pipe again (bash's <(...) and
 * /dev/stdin rely on it): data written through one end comes out of the reopened one,
 * both name pipe:[N] with the same inode, and an anonymous pipe never waits for a
 * partner (a reader of a pipe without writers sees end of file, a writer to one without
 * readers gets EPIPE). */
#include "check.h"
#include <sys/mount.h>

static int reopen(int fd, int flags)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, flags);
}

static void same_name(const char *label, int a, int b)
{
	char pa[64], pb[64], la[64] = "", lb[64] = "";
	snprintf(pa, sizeof(pa), "/proc/self/fd/%d", a);
	snprintf(pb, sizeof(pb), "/proc/self/fd/%d", b);
	readlink(pa, la, sizeof(la) - 1);
	readlink(pb, lb, sizeof(lb) - 1);
	SHOW_BOOL(label, strncmp(la, "pipe:[", 6) == 0 && strcmp(la, lb) == 0);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	struct stat st;
	int mounted_here = 0;
	if (stat("/proc/self", &st) != 0) {   /* the guest's init has not mounted it */
		mkdir("/proc", 0555);
		mounted_here = mount("proc", "/proc", "proc", 0, NULL) == 0;
	}
	signal(SIGPIPE, SIG_IGN);
	int p[2];
	CHECK_ERRNO(pipe(p), "pipe");
	int r2 = reopen(p[0], O_RDONLY);
	CHECK_ERRNO(r2, "reopen the read end");
	int w2 = reopen(p[1], O_WRONLY);
	CHECK_ERRNO(w2, "reopen the write end");
	same_name("reopened ends name the same pipe", p[0], r2);
	struct stat a, b;
	fstat(p[0], &a);
	fstat(r2, &b);
	SHOW_BOOL("same inode", a.st_ino == b.st_ino && S_ISFIFO(b.st_mode));
	CHECK_VAL(write(w2, "abc", 3), "write through the reopened write end");
	char buf[8] = { 0 };
	CHECK_VAL(read(r2, buf, sizeof(buf)), "read through the reopened read end");
	SHOW_STR("data", buf);
	int rw = reopen(p[0], O_RDWR);
	CHECK_ERRNO(rw, "reopen O_RDWR");
	close(rw);

	/* no writers left: a reopened reader does not wait, it sees end of file */
	close(p[1]);
	close(w2);
	int r3 = reopen(p[0], O_RDONLY);
	CHECK_ERRNO(r3, "reopen a pipe without writers");
	CHECK_VAL(read(r3, buf, sizeof(buf)), "read: end of file");
	close(r3);

	/* no readers: a reopened writer is not refused, its write gets EPIPE */
	int q[2];
	pipe(q);
	close(q[0]);
	int w3 = reopen(q[1], O_WRONLY | O_NONBLOCK);
	CHECK_ERRNO(w3, "reopen a pipe without readers, O_NONBLOCK");
	CHECK_ERRNO(write(w3, "x", 1), "write to it");
	close(w3);
	close(q[1]);
	close(p[0]);
	close(r2);
	if (mounted_here)
		umount("/proc");
	return 0;
}
