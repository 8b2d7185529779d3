/* attributes as root: chmod/fchmod on pipes and O_PATH descriptors, chown's
 * set-id clearing (-1:-1 too, directories keep theirs, setgid without group
 * exec), fchownat flags, utimensat corner cases (both UTIME_OMIT skips the
 * lookup, NULL path with a descriptor, bad flags, EFAULT), utimes/utime/
 * futimesat microsecond checks, truncate/ftruncate errors and order,
 * fallocate mode and descriptor checks, fsync/fdatasync/syncfs on files,
 * directories, pipes and O_PATH, statfs/fstatfs errors and pipefs, the
 * xattr calls' errors. */
#include "check.h"
#include <linux/magic.h>
#include <sys/syscall.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <utime.h>

static void mode(const char *label, const char *p)
{
	struct stat st;
	if (lstat(p, &st) != 0)
		printf("%s: %s\n", label, errname(errno));
	else
		printf("%s: %04o uid=%d gid=%d\n", label, st.st_mode & 07777, (int)st.st_uid, (int)st.st_gid);
}

static void fdmode(const char *label, int fd)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		printf("%s: %s\n", label, errname(errno));
	else
		printf("%s: %04o uid=%d gid=%d\n", label, st.st_mode & 07777, (int)st.st_uid, (int)st.st_gid);
}

static void modes(void)
{
	int p[2];
	pipe(p);
	CHECK_ERRNO(fchmod(p[0], 0640), "fchmod pipe");
	fdmode("  pipe", p[1]);
	CHECK_ERRNO(fchown(p[1], 12, 34), "fchown pipe");
	fdmode("  pipe", p[0]);
	struct timespec ts[2] = { { 100, 0 }, { 200, 0 } };
	CHECK_ERRNO(futimens(p[0], ts), "futimens pipe");
	struct stat st;
	fstat(p[1], &st);
	printf("  pipe mtime: %lld\n", (long long)st.st_mtim.tv_sec);
	close(p[0]);
	close(p[1]);

	write_file("f", "data", 0644);
	int fd = open("f", O_PATH);
	CHECK_ERRNO(fchmod(fd, 0600), "fchmod O_PATH fd");
	CHECK_ERRNO(fchown(fd, 1, 1), "fchown O_PATH fd");
	CHECK_ERRNO(fchownat(fd, "", 5, 5, AT_EMPTY_PATH), "fchownat(O_PATH fd, \"\", AT_EMPTY_PATH)");
	mode("  f", "f");
	CHECK_ERRNO(fchownat(fd, "", 0, 0, 0), "fchownat(fd, \"\") without AT_EMPTY_PATH");
	CHECK_ERRNO(fchownat(AT_FDCWD, "f", 0, 0, 0x4000), "fchownat bad flag");
	CHECK_ERRNO(fchownat(AT_FDCWD, "missing", 0, 0, 0x4000), "fchownat bad flag, missing");
	CHECK_ERRNO(ftruncate(fd, 0), "ftruncate O_PATH fd");
	CHECK_ERRNO(fsync(fd), "fsync O_PATH fd");
	CHECK_ERRNO(fallocate(fd, 0, 0, 10), "fallocate O_PATH fd");
	CHECK_ERRNO(futimens(fd, ts), "futimens O_PATH fd");
	CHECK_ERRNO(utimensat(fd, "", ts, AT_EMPTY_PATH), "utimensat(O_PATH fd, \"\", AT_EMPTY_PATH)");
	struct statfs sf;
	CHECK_ERRNO(fstatfs(fd, &sf), "fstatfs O_PATH fd");
	CHECK_ERRNO(syscall(SYS_syncfs, fd), "syncfs O_PATH fd");
	close(fd);

	/* set-id bits and chown */
	chown("f", 0, 0);
	chmod("f", 06755);
	CHECK_ERRNO(chown("f", -1, -1), "chown -1:-1 of 06755 file");
	mode("  f", "f");
	chmod("f", 02644);
	CHECK_ERRNO(chown("f", 0, 0), "chown of 02644 file (setgid, no group exec)");
	mode("  f", "f");
	chmod("f", 02654);
	CHECK_ERRNO(chown("f", 0, 0), "chown of 02654 file");
	mode("  f", "f");
	mkdir("d", 0755);
	chmod("d", 07755);
	CHECK_ERRNO(chown("d", 1, 1), "chown of 07755 directory");
	mode("  d", "d");
	CHECK_ERRNO(chmod("f", 07777), "chmod 07777");
	mode("  f", "f");
	CHECK_ERRNO(fchmodat(AT_FDCWD, "", 0644, 0), "fchmodat empty path");
	CHECK_ERRNO(syscall(SYS_chmod, NULL, 0644), "chmod NULL");
}

static void times(void)
{
	struct timespec omit[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
	CHECK_ERRNO(utimensat(AT_FDCWD, "missing", omit, 0), "utimensat both OMIT, missing file");
	CHECK_ERRNO(utimensat(AT_FDCWD, "missing", omit, 0x4000), "utimensat both OMIT, bad flag");
	struct timespec bad[2] = { { 0, -1 }, { 0, 0 } };
	CHECK_ERRNO(utimensat(AT_FDCWD, "missing", bad, 0), "utimensat bad nsec, missing file");
	CHECK_ERRNO(utimensat(AT_FDCWD, "f", bad, 0), "utimensat bad nsec");
	CHECK_ERRNO(utimensat(AT_FDCWD, "f", NULL, 0x4000), "utimensat bad flag");
	CHECK_ERRNO(syscall(SYS_utimensat, AT_FDCWD, "f", (void *)8, 0), "utimensat bad times pointer");
	int fd = open("f", O_RDONLY);
	struct timespec ts[2] = { { 300, 0 }, { 400, 0 } };
	CHECK_ERRNO(syscall(SYS_utimensat, fd, NULL, ts, 0), "utimensat(fd, NULL)");
	CHECK_ERRNO(syscall(SYS_utimensat, fd, NULL, ts, AT_SYMLINK_NOFOLLOW), "utimensat(fd, NULL, NOFOLLOW)");
	CHECK_ERRNO(syscall(SYS_utimensat, 99, NULL, ts, 0), "utimensat(bad fd, NULL)");
	CHECK_ERRNO(syscall(SYS_utimensat, AT_FDCWD, NULL, ts, 0), "utimensat(AT_FDCWD, NULL)");
	struct stat st;
	fstat(fd, &st);
	printf("  mtime: %lld\n", (long long)st.st_mtim.tv_sec);
	close(fd);
	struct timeval tv[2] = { { 5, 999999 }, { 6, 1 } };
	CHECK_ERRNO(utimes("f", tv), "utimes");
	stat("f", &st);
	printf("  atime=%lld.%09ld mtime=%lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
	       (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	tv[1].tv_usec = 1000000;
	CHECK_ERRNO(utimes("f", tv), "utimes usec 1000000");
	tv[1].tv_usec = -1;
	CHECK_ERRNO(utimes("missing", tv), "utimes usec -1, missing file");
	CHECK_ERRNO(utimes("f", NULL), "utimes NULL");
	struct utimbuf ub = { 7, 8 };
	CHECK_ERRNO(utime("f", &ub), "utime");
	stat("f", &st);
	printf("  atime=%lld mtime=%lld\n", (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec);
	CHECK_ERRNO(utime("missing", &ub), "utime missing");
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	tv[1].tv_usec = 0;
	CHECK_ERRNO(syscall(SYS_futimesat, dfd, "f", tv), "futimesat(dirfd, f)");
	CHECK_ERRNO(syscall(SYS_futimesat, 99, "f", tv), "futimesat(bad fd, f)");
	close(dfd);
}

static void sizes(void)
{
	CHECK_ERRNO(truncate("missing", -1), "truncate -1, missing file");
	CHECK_ERRNO(truncate("f", -1), "truncate -1");
	mkfifo("fifo", 0644);
	CHECK_ERRNO(truncate("fifo", 0), "truncate a fifo");
	CHECK_ERRNO(truncate("d", 0), "truncate a directory");
	CHECK_ERRNO(truncate("f/", 0), "truncate f/");
	CHECK_ERRNO(truncate("f", 100), "truncate 100");
	struct stat st;
	stat("f", &st);
	SHOW_INT("  size", st.st_size);
	CHECK_ERRNO(ftruncate(99, 0), "ftruncate bad fd");
	CHECK_ERRNO(ftruncate(99, -1), "ftruncate bad fd, -1");
	int fd = open("f", O_RDONLY);
	CHECK_ERRNO(ftruncate(fd, 1), "ftruncate O_RDONLY");
	close(fd);
	fd = open("f", O_WRONLY | O_APPEND);
	CHECK_ERRNO(ftruncate(fd, 3), "ftruncate O_WRONLY|O_APPEND");
	fstat(fd, &st);
	SHOW_INT("  size", st.st_size);
	CHECK_ERRNO(fallocate(fd, 0, 0, 4096), "fallocate 4096");
	fstat(fd, &st);
	SHOW_INT("  size", st.st_size);
	CHECK_ERRNO(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 8192), "fallocate KEEP_SIZE 8192");
	fstat(fd, &st);
	SHOW_INT("  size", st.st_size);
	CHECK_ERRNO(fallocate(fd, 0, -1, 10), "fallocate offset -1");
	CHECK_ERRNO(fallocate(fd, 0, 0, 0), "fallocate len 0");
	CHECK_ERRNO(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 10), "fallocate PUNCH_HOLE without KEEP_SIZE");
	CHECK_ERRNO(fallocate(fd, 0x4000, 0, 10), "fallocate unknown mode");
	CHECK_ERRNO(fallocate(fd, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE, 0, 10), "fallocate COLLAPSE|KEEP_SIZE");
	CHECK_ERRNO(fallocate(fd, FALLOC_FL_INSERT_RANGE | FALLOC_FL_KEEP_SIZE, 0, 10), "fallocate INSERT|KEEP_SIZE");
	CHECK_ERRNO(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 0, 10), "fallocate PUNCH|ZERO");
	CHECK_ERRNO(fallocate(fd, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE, 0, 10), "fallocate COLLAPSE|INSERT");
	CHECK_ERRNO(fallocate(fd, 0, 0x7fffffffffffffffLL, 10), "fallocate wrapping");
	CHECK_ERRNO(fsync(fd), "fsync file");
	CHECK_ERRNO(fdatasync(fd), "fdatasync file");
	CHECK_ERRNO(syscall(SYS_syncfs, fd), "syncfs file");
	close(fd);
	fd = open("f", O_RDONLY);
	CHECK_ERRNO(fallocate(fd, 0, 0, 10), "fallocate O_RDONLY");
	CHECK_ERRNO(fallocate(fd, 0, -1, 10), "fallocate O_RDONLY offset -1");
	CHECK_ERRNO(fsync(fd), "fsync O_RDONLY file");
	close(fd);
	fd = open("d", O_RDONLY | O_DIRECTORY);
	CHECK_ERRNO(fsync(fd), "fsync directory");
	CHECK_ERRNO(ftruncate(fd, 0), "ftruncate directory");
	CHECK_ERRNO(fallocate(fd, 0, 0, 10), "fallocate directory");
	close(fd);
	int p[2];
	pipe(p);
	CHECK_ERRNO(fsync(p[0]), "fsync pipe");
	CHECK_ERRNO(fdatasync(p[1]), "fdatasync pipe");
	CHECK_ERRNO(ftruncate(p[1], 0), "ftruncate pipe");
	CHECK_ERRNO(fallocate(p[1], 0, 0, 10), "fallocate pipe (write end)");
	struct statfs sf;
	CHECK_ERRNO(fstatfs(p[0], &sf), "fstatfs pipe");
	SHOW_BOOL("  f_type is PIPEFS_MAGIC", sf.f_type == PIPEFS_MAGIC);
	close(p[0]);
	close(p[1]);
	CHECK_ERRNO(fsync(99), "fsync bad fd");
	CHECK_ERRNO(syscall(SYS_syncfs, 99), "syncfs bad fd");
	sync();
	printf("sync returned\n");
}

static void statfses(void)
{
	struct statfs a, b;
	CHECK_ERRNO(statfs("f", &a), "statfs f");
	int fd = open(".", O_RDONLY);
	CHECK_ERRNO(fstatfs(fd, &b), "fstatfs .");
	SHOW_BOOL("  same f_type", a.f_type == b.f_type);
	SHOW_BOOL("  same f_fsid", memcmp(&a.f_fsid, &b.f_fsid, sizeof a.f_fsid) == 0);
	SHOW_BOOL("  ST_VALID set", (a.f_flags & 0x20) != 0);
	SHOW_BOOL("  ST_RDONLY clear", (a.f_flags & 1) == 0);
	close(fd);
	CHECK_ERRNO(statfs("missing", &a), "statfs missing");
	CHECK_ERRNO(statfs("f/x", &a), "statfs under a file");
	CHECK_ERRNO(syscall(SYS_statfs, "f", NULL), "statfs NULL buffer");
	CHECK_ERRNO(fstatfs(99, &a), "fstatfs bad fd");
}

static void xattrs(void)
{
	char buf[64];
	CHECK_ERRNO(getxattr("missing", "user.x", buf, sizeof buf), "getxattr missing");
	CHECK_ERRNO(lgetxattr("missing", "user.x", buf, sizeof buf), "lgetxattr missing");
	CHECK_ERRNO(fgetxattr(99, "user.x", buf, sizeof buf), "fgetxattr bad fd");
	CHECK_ERRNO(setxattr("missing", "user.x", "v", 1, 0), "setxattr missing");
	CHECK_ERRNO(setxattr("f", "user.x", "v", 1, 4), "setxattr bad flags");
	CHECK_ERRNO(setxattr("missing", "user.x", "v", 1, 4), "setxattr bad flags, missing");
	CHECK_ERRNO(setxattr("missing", "", "v", 1, 0), "setxattr empty name, missing");
	CHECK_ERRNO(lsetxattr("missing", "user.x", "v", 1, 0), "lsetxattr missing");
	CHECK_ERRNO(fsetxattr(99, "user.x", "v", 1, 0), "fsetxattr bad fd");
	CHECK_ERRNO(listxattr("missing", buf, sizeof buf), "listxattr missing");
	CHECK_ERRNO(llistxattr("missing", buf, sizeof buf), "llistxattr missing");
	CHECK_ERRNO(flistxattr(99, buf, sizeof buf), "flistxattr bad fd");
	CHECK_ERRNO(removexattr("missing", "user.x"), "removexattr missing");
	CHECK_ERRNO(lremovexattr("missing", "user.x"), "lremovexattr missing");
	CHECK_ERRNO(fremovexattr(99, "user.x"), "fremovexattr bad fd");
	CHECK_ERRNO(getxattr("f/x", "user.x", buf, sizeof buf), "getxattr under a file");
	int fd = open("f", O_PATH);
	CHECK_ERRNO(fgetxattr(fd, "user.x", buf, sizeof buf), "fgetxattr O_PATH fd");
	close(fd);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	modes();
	times();
	sizes();
	statfses();
	xattrs();
	return 0;
}
