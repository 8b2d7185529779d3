/* stat/fstat/lstat/fstatat/statx: the deterministic fields (type, mode,
 * size, nlink, uid/gid as root, rdev for non-devices), hard links share
 * st_ino, st_dev equal inside one directory, symlink sizes, st_blocks of a
 * hole-y file is small, errors (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG,
 * EBADF), statx masks and AT_EMPTY_PATH, fstat on pipes. */
#include "check.h"
#include <sys/sysmacros.h>

static const char *type(mode_t m)
{
	if (S_ISREG(m)) return "reg";
	if (S_ISDIR(m)) return "dir";
	if (S_ISLNK(m)) return "lnk";
	if (S_ISFIFO(m)) return "fifo";
	if (S_ISCHR(m)) return "chr";
	if (S_ISBLK(m)) return "blk";
	if (S_ISSOCK(m)) return "sock";
	return "?";
}

static void show(const char *label, int r, struct stat *st)
{
	if (r != 0) {
		printf("%s: -1 %s\n", label, errname(errno));
		return;
	}
	/* a directory's st_size depends on the filesystem: not shown */
	char size[32] = "-";
	if (!S_ISDIR(st->st_mode))
		snprintf(size, sizeof size, "%lld", (long long)st->st_size);
	printf("%s: type=%s mode=%04o size=%s nlink=%ld uid=%d gid=%d\n", label, type(st->st_mode),
	       st->st_mode & 07777, size, (long)st->st_nlink, (int)st->st_uid, (int)st->st_gid);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	struct stat st, st2;

	write_file("file", "twelve bytes", 0644);
	show("stat file", stat("file", &st), &st);
	int fd = open("file", O_RDONLY);
	show("fstat file", fstat(fd, &st2), &st2);
	SHOW_BOOL("stat and fstat agree on ino/dev", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	SHOW_BOOL("st_rdev of regular file is 0", st.st_rdev == 0);
	SHOW_BOOL("st_blksize > 0", st.st_blksize > 0);
	close(fd);

	mkdir("dir", 0755);
	show("stat dir", stat("dir", &st), &st);
	mkdir("dir/sub1", 0700);
	mkdir("dir/sub2", 0750);
	show("stat dir with 2 subdirs", stat("dir", &st), &st);
	show("stat dir/sub1", stat("dir/sub1", &st), &st);
	show("stat dir/.", stat("dir/.", &st), &st);
	show("stat dir/sub1/..", stat("dir/sub1/..", &st), &st);
	SHOW_BOOL("dir/sub1/.. is dir", stat("dir/sub1/..", &st) == 0 && stat("dir", &st2) == 0 && st.st_ino == st2.st_ino);

	/* links */
	link("file", "hard");
	show("stat file after link", stat("file", &st), &st);
	stat("hard", &st2);
	SHOW_BOOL("hard link same ino", st.st_ino == st2.st_ino);
	SHOW_BOOL("same st_dev in one dir", st.st_dev == st2.st_dev);
	symlink("file", "sym");
	symlink("a/much/longer/target/name", "sym2");
	show("lstat sym", lstat("sym", &st), &st);
	show("lstat sym2 (dangling)", lstat("sym2", &st), &st);
	show("stat sym (follows)", stat("sym", &st), &st);
	show("stat sym2 (dangling)", stat("sym2", &st), &st);
	show("fstatat AT_SYMLINK_NOFOLLOW", fstatat(AT_FDCWD, "sym", &st, AT_SYMLINK_NOFOLLOW), &st);
	int dfd = open("dir", O_RDONLY | O_DIRECTORY);
	show("fstatat(dirfd, \"sub2\")", fstatat(dfd, "sub2", &st, 0), &st);
	show("fstatat(dirfd, \"\", AT_EMPTY_PATH)", fstatat(dfd, "", &st, AT_EMPTY_PATH), &st);
	show("fstatat(dirfd, \"\") without AT_EMPTY_PATH", fstatat(dfd, "", &st, 0), &st);
	show("fstatat bad flag", fstatat(dfd, "sub2", &st, 0x4000000), &st);
	close(dfd);
	show("fstatat(file fd, \"x\")", fstatat(open("file", O_RDONLY), "x", &st, 0), &st);

	/* sizes after writes, holes */
	fd = open("sparse", O_WRONLY | O_CREAT, 0600);
	lseek(fd, 10 * 1024 * 1024, SEEK_SET);
	write(fd, "x", 1);
	fstat(fd, &st);
	close(fd);
	show("sparse file", 0, &st);
	SHOW_BOOL("sparse file st_blocks small", st.st_blocks < 1024);
	fd = open("empty", O_WRONLY | O_CREAT, 0);
	fstat(fd, &st);
	close(fd);
	show("empty file mode 0", 0, &st);

	/* FIFO, pipe */
	mkfifo("fifo", 0640);
	show("stat fifo", stat("fifo", &st), &st);
	int p[2];
	pipe(p);
	fstat(p[0], &st);
	printf("fstat pipe: type=%s mode=%04o size=%lld\n", type(st.st_mode), st.st_mode & 07777, (long long)st.st_size);
	fstat(p[1], &st2);
	SHOW_BOOL("both pipe ends same ino", st.st_ino == st2.st_ino);

	/* errors */
	show("stat missing", stat("missing", &st), &st);
	show("stat file/x (ENOTDIR)", stat("file/x", &st), &st);
	show("stat file/ (trailing slash)", stat("file/", &st), &st);
	show("stat dir/ (trailing slash)", stat("dir/", &st), &st);
	show("stat empty path", stat("", &st), &st);
	symlink("loop1", "loop2");
	symlink("loop2", "loop1");
	show("stat symlink loop", stat("loop1", &st), &st);
	show("lstat symlink loop", lstat("loop1", &st), &st);
	char longname[300];
	memset(longname, 'x', 299);
	longname[299] = 0;
	show("stat 299-char name", stat(longname, &st), &st);
	static char longpath[5000];
	for (int i = 0; i < 4998; i += 2)
		memcpy(longpath + i, "a/", 2);
	longpath[4998] = 0;
	show("stat 5000-char path", stat(longpath, &st), &st);
	show("fstat bad fd", fstat(99, &st), &st);

	/* statx */
	struct statx sx;
	memset(&sx, 0, sizeof sx);
	int r = statx(AT_FDCWD, "file", 0, STATX_BASIC_STATS, &sx);
	printf("statx file: r=%d basic_mask_complete=%d type=%s mode=%04o size=%llu nlink=%u uid=%u\n", r,
	       (sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS, type(sx.stx_mode), sx.stx_mode & 07777,
	       (unsigned long long)sx.stx_size, sx.stx_nlink, sx.stx_uid);
	stat("file", &st);
	SHOW_BOOL("statx ino matches stat", sx.stx_ino == st.st_ino);
	SHOW_BOOL("statx dev matches stat", makedev(sx.stx_dev_major, sx.stx_dev_minor) == st.st_dev);
	SHOW_BOOL("statx mtime matches stat", sx.stx_mtime.tv_sec == st.st_mtim.tv_sec && sx.stx_mtime.tv_nsec == (unsigned)st.st_mtim.tv_nsec);
	memset(&sx, 0, sizeof sx);
	r = statx(AT_FDCWD, "sym", AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_SIZE, &sx);
	printf("statx sym nofollow: r=%d type=%s size=%llu\n", r, type(sx.stx_mode), (unsigned long long)sx.stx_size);
	fd = open("dir", O_RDONLY);
	memset(&sx, 0, sizeof sx);
	r = statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_MODE | STATX_NLINK, &sx);
	printf("statx AT_EMPTY_PATH dir: r=%d type=%s mode=%04o nlink=%u\n", r, type(sx.stx_mode), sx.stx_mode & 07777, sx.stx_nlink);
	close(fd);
	CHECK_ERRNO(statx(AT_FDCWD, "missing", 0, STATX_BASIC_STATS, &sx), "statx missing");
	CHECK_ERRNO(statx(AT_FDCWD, "file", 0, 0x80000000U, &sx), "statx reserved mask bit");
	CHECK_ERRNO(statx(AT_FDCWD, "file", 0x12345678, STATX_BASIC_STATS, &sx), "statx bad flags");
	return 0;
}
