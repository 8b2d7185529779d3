/* permission bits and ownership: umask on create (files, dirs, FIFOs),
 * chmod/fchmod/fchmodat incl. setuid/setgid/sticky bits, chown/fchown/
 * lchown (root), -1 leaves ids unchanged, chown clears setuid, non-root
 * chmod/chown errors, access() as root; timestamps: utimensat with fixed
 * times (read back exactly), UTIME_OMIT/UTIME_NOW, AT_SYMLINK_NOFOLLOW,
 * futimens, utimes, mtime/ctime updated by write, atime by read under
 * explicit times. */
#include "check.h"
#include <grp.h>
#include <sys/time.h>

static void mode(const char *label, const char *p)
{
	struct stat st;
	if (lstat(p, &st) != 0)
		printf("%s: %s\n", label, errname(errno));
	else
		printf("%s: %04o uid=%d gid=%d\n", label, st.st_mode & 07777, (int)st.st_uid, (int)st.st_gid);
}

static void times_of(const char *label, const char *p, int nofollow)
{
	struct stat st;
	int r = nofollow ? lstat(p, &st) : stat(p, &st);
	if (r != 0) {
		printf("%s: %s\n", label, errname(errno));
		return;
	}
	printf("%s: atime=%lld.%09ld mtime=%lld.%09ld\n", label, (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
	       (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;

	/* umask */
	printf("umask() returns previous (set by harness): %03o\n", umask(077));
	close(open("u077", O_CREAT | O_WRONLY, 0666));
	mode("file 0666 under umask 077", "u077");
	umask(027);
	close(open("u027", O_CREAT | O_WRONLY, 0777));
	mode("file 0777 under umask 027", "u027");
	mkdir("d027", 0777);
	mode("dir 0777 under umask 027", "d027");
	mkfifo("f027", 0666);
	mode("fifo 0666 under umask 027", "f027");
	umask(0);
	close(open("u000", O_CREAT | O_WRONLY, 0666));
	mode("file 0666 under umask 0", "u000");
	close(open("u000", O_CREAT | O_WRONLY, 0600));
	mode("re-open with O_CREAT doesn't change mode", "u000");
	umask(022);

	/* chmod */
	write_file("f", "data", 0644);
	CHECK_ERRNO(chmod("f", 0600), "chmod 0600");
	mode("f", "f");
	CHECK_ERRNO(chmod("f", 04755), "chmod 04755");
	mode("f", "f");
	CHECK_ERRNO(chmod("f", 02755), "chmod 02755");
	mode("f", "f");
	CHECK_ERRNO(chmod("f", 0177777), "chmod with type bits (ignored)");
	mode("f", "f");
	int fd = open("f", O_RDONLY);
	CHECK_ERRNO(fchmod(fd, 0640), "fchmod 0640 (on O_RDONLY fd)");
	mode("f", "f");
	close(fd);
	CHECK_ERRNO(fchmodat(AT_FDCWD, "f", 0444, 0), "fchmodat 0444");
	mode("f", "f");
	mkdir("sticky", 0755);
	CHECK_ERRNO(chmod("sticky", 01777), "chmod dir 01777");
	mode("sticky", "sticky");
	symlink("f", "lnk");
	CHECK_ERRNO(chmod("lnk", 0600), "chmod via symlink");
	mode("target f", "f");
	mode("link itself", "lnk");
	CHECK_ERRNO(chmod("missing", 0600), "chmod missing");
	CHECK_ERRNO(fchmod(99, 0600), "fchmod bad fd");

	/* chown as root */
	CHECK_ERRNO(chown("f", 1000, 2000), "chown 1000:2000");
	mode("f", "f");
	CHECK_ERRNO(chown("f", -1, 3000), "chown -1:3000");
	mode("f", "f");
	CHECK_ERRNO(chown("f", 4000, -1), "chown 4000:-1");
	mode("f", "f");
	chmod("f", 06755);
	CHECK_ERRNO(chown("f", 0, 0), "chown of setuid/setgid file");
	mode("f after chown (suid/sgid cleared)", "f");
	CHECK_ERRNO(lchown("lnk", 1234, 1234), "lchown symlink");
	mode("lnk", "lnk");
	mode("f unchanged", "f");
	fd = open("f", O_RDONLY);
	CHECK_ERRNO(fchown(fd, 5, 6), "fchown");
	close(fd);
	mode("f", "f");
	CHECK_ERRNO(fchownat(AT_FDCWD, "lnk", 7, 8, AT_SYMLINK_NOFOLLOW), "fchownat AT_SYMLINK_NOFOLLOW");
	mode("lnk", "lnk");
	chown("f", 0, 0);
	chmod("f", 0644);

	/* non-root */
	chmod(".", 0777);
	write_file("mine", "m", 0644);
	chown("mine", 1000, 1000);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		setgroups(0, NULL);
		setresgid(1000, 1000, 1000);
		setresuid(1000, 1000, 1000);
		CHECK_ERRNO(chmod("mine", 0600), "uid 1000: chmod own file");
		CHECK_ERRNO(chmod("f", 0600), "uid 1000: chmod root's file");
		CHECK_ERRNO(chown("mine", 1000, 1000), "uid 1000: chown own file to self");
		CHECK_ERRNO(chown("mine", 1001, -1), "uid 1000: chown own file to other uid");
		CHECK_ERRNO(chown("mine", -1, 0), "uid 1000: chgrp own file to non-member group");
		CHECK_ERRNO(chmod("mine", 02755), "uid 1000: chmod g+s with own group");
		mode("  mine", "mine");
		struct timespec ts[2] = { { 100, 0 }, { 200, 0 } };
		CHECK_ERRNO(utimensat(AT_FDCWD, "f", ts, 0), "uid 1000: set times on root's file");
		CHECK_ERRNO(utimensat(AT_FDCWD, "f", NULL, 0), "uid 1000: touch root's 0644 file (needs write)");
		CHECK_ERRNO(utimensat(AT_FDCWD, "mine", ts, 0), "uid 1000: set times on own file");
		fflush(stdout);
		_exit(0);
	}
	wait_for(p);

	/* timestamps */
	struct timespec ts[2] = { { 1000000000, 123456789 }, { 1234567890, 500 } };
	CHECK_ERRNO(utimensat(AT_FDCWD, "f", ts, 0), "utimensat fixed times");
	times_of("f", "f", 0);
	struct timespec omit[2] = { { 0, UTIME_OMIT }, { 42, 0 } };
	CHECK_ERRNO(utimensat(AT_FDCWD, "f", omit, 0), "utimensat atime UTIME_OMIT, mtime 42");
	times_of("f", "f", 0);
	struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	CHECK_ERRNO(utimensat(AT_FDCWD, "f", now, 0), "utimensat atime UTIME_NOW");
	struct stat st;
	stat("f", &st);
	SHOW_BOOL("atime now is recent", labs((long)(st.st_atim.tv_sec - time(NULL))) <= 5);
	SHOW_INT("mtime still", st.st_mtim.tv_sec);
	struct timespec badns[2] = { { 0, 1000000000 }, { 0, 0 } };
	CHECK_ERRNO(utimensat(AT_FDCWD, "f", badns, 0), "utimensat tv_nsec out of range");
	CHECK_ERRNO(utimensat(AT_FDCWD, "missing", ts, 0), "utimensat missing");
	struct timespec lts[2] = { { 111, 0 }, { 222, 0 } };
	CHECK_ERRNO(utimensat(AT_FDCWD, "lnk", lts, AT_SYMLINK_NOFOLLOW), "utimensat symlink NOFOLLOW");
	times_of("lnk itself", "lnk", 1);
	stat("f", &st);
	SHOW_INT("f mtime unchanged by that", st.st_mtim.tv_sec);
	fd = open("f", O_RDWR);
	struct timespec fts[2] = { { 333, 0 }, { 444, 0 } };
	CHECK_ERRNO(futimens(fd, fts), "futimens");
	times_of("f", "f", 0);
	struct timeval tv[2] = { { 555, 1 }, { 666, 2 } };
	CHECK_ERRNO(utimes("f", tv), "utimes (microseconds)");
	times_of("f", "f", 0);

	/* write updates mtime and ctime */
	stat("f", &st);
	time_t before_ctime = st.st_ctim.tv_sec;
	write(fd, "more", 4);
	fstat(fd, &st);
	SHOW_BOOL("write updates mtime to now", labs((long)(st.st_mtim.tv_sec - time(NULL))) <= 5);
	SHOW_BOOL("ctime not older after write", st.st_ctim.tv_sec >= before_ctime);
	close(fd);
	/* chmod updates ctime but not mtime */
	utimensat(AT_FDCWD, "f", ts, 0);
	chmod("f", 0600);
	stat("f", &st);
	SHOW_INT("mtime unchanged by chmod", st.st_mtim.tv_sec);
	SHOW_BOOL("ctime recent after chmod", labs((long)(st.st_ctim.tv_sec - time(NULL))) <= 5);
	/* directory mtime changes when an entry is added */
	mkdir("dm", 0755);
	struct timespec old[2] = { { 1000, 0 }, { 1000, 0 } };
	utimensat(AT_FDCWD, "dm", old, 0);
	write_file("dm/new", "", 0644);
	stat("dm", &st);
	SHOW_BOOL("dir mtime updated by create", st.st_mtim.tv_sec != 1000);

	/* access() checks as root */
	write_file("x", "", 0644);
	CHECK_ERRNO(access("x", X_OK), "root access(0644, X_OK)");
	chmod("x", 0100);
	CHECK_ERRNO(access("x", X_OK), "root access(0100, X_OK)");
	CHECK_ERRNO(access("x", R_OK | W_OK), "root access(0100, R_OK|W_OK)");
	CHECK_ERRNO(faccessat(AT_FDCWD, "x", R_OK, AT_EACCESS), "faccessat AT_EACCESS");
	CHECK_ERRNO(faccessat(AT_FDCWD, "x", R_OK, 0x4000), "faccessat bad flag");
	return 0;
}
