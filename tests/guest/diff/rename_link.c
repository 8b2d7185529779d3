/* rename (files over files, dirs over empty dirs, errors EISDIR/ENOTDIR/
 * ENOTEMPTY/EINVAL/ENOENT, same file no-op, renameat2 NOREPLACE/EXCHANGE),
 * link/unlink and nlink counts (data survives while open), symlink/
 * readlink/readlinkat (truncation, EINVAL on non-link), relative symlinks,
 * symlinks to directories, linkat AT_SYMLINK_FOLLOW. */
#include "check.h"
#include <sys/syscall.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static const char *content(const char *p)
{
	static char b[4][64];
	static int n;
	char *s = b[n++ & 3];
	if (read_file(p, s, 64) < 0)
		snprintf(s, 64, "<%s>", errname(errno));
	return s;
}

static long nlink(const char *p)
{
	struct stat st;
	if (lstat(p, &st) != 0)
		return -1;
	return st.st_nlink;
}

static long renameat2_(const char *a, const char *b, unsigned flags)
{
	return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;

	write_file("a", "AAA", 0644);
	write_file("b", "BBB", 0644);
	CHECK_ERRNO(rename("a", "c"), "rename a -> c (new name)");
	printf("c=%s a=%s\n", content("c"), content("a"));
	CHECK_ERRNO(rename("c", "b"), "rename c -> b (replace file)");
	printf("b=%s c=%s\n", content("b"), content("c"));
	CHECK_ERRNO(rename("b", "b"), "rename b -> b (same)");
	printf("b=%s\n", content("b"));
	link("b", "b2");
	CHECK_ERRNO(rename("b", "b2"), "rename onto own hard link");
	printf("b=%s b2=%s nlink=%ld\n", content("b"), content("b2"), nlink("b"));
	unlink("b2");
	CHECK_ERRNO(rename("missing", "x"), "rename missing");
	CHECK_ERRNO(rename("b", "nodir/x"), "rename into missing dir");
	CHECK_ERRNO(rename("", "x"), "rename empty path");

	mkdir("d1", 0755);
	mkdir("d2", 0755);
	write_file("d1/f", "in d1", 0644);
	CHECK_ERRNO(rename("d1", "d2"), "rename dir over empty dir");
	printf("d2/f=%s d1 exists=%d\n", content("d2/f"), access("d1", F_OK) == 0);
	mkdir("d3", 0755);
	CHECK_ERRNO(rename("d3", "d2"), "rename dir over non-empty dir");
	CHECK_ERRNO(rename("b", "d3"), "rename file over dir");
	CHECK_ERRNO(rename("d3", "b"), "rename dir over file");
	CHECK_ERRNO(rename("d2", "d2/sub"), "rename dir into itself");
	mkdir("d2/sub", 0755);
	CHECK_ERRNO(rename("d2", "d2/sub/deeper"), "rename dir into its subdir");
	CHECK_ERRNO(rename("d2/sub", "d3/sub"), "move dir to other parent");
	struct stat st;
	stat("d2", &st);
	printf("nlink d2 after moving subdir out: %ld\n", (long)st.st_nlink);
	stat("d3", &st);
	printf("nlink d3 after moving subdir in: %ld\n", (long)st.st_nlink);
	CHECK_ERRNO(rename("d3/sub/.", "x"), "rename d3/sub/.");
	CHECK_ERRNO(rename("d3/sub", "."), "rename onto .");
	CHECK_ERRNO(rename("b/", "x"), "rename file with trailing slash");
	CHECK_ERRNO(rename("d3/", "d4"), "rename dir with trailing slash");

	/* renameat2 */
	write_file("n1", "N1", 0644);
	write_file("n2", "N2", 0644);
	CHECK_ERRNO(renameat2_("n1", "n2", RENAME_NOREPLACE), "renameat2 NOREPLACE existing");
	CHECK_ERRNO(renameat2_("n1", "n3", RENAME_NOREPLACE), "renameat2 NOREPLACE new");
	CHECK_ERRNO(renameat2_("n3", "n2", RENAME_EXCHANGE), "renameat2 EXCHANGE");
	printf("n2=%s n3=%s\n", content("n2"), content("n3"));
	CHECK_ERRNO(renameat2_("n3", "n9", RENAME_EXCHANGE), "renameat2 EXCHANGE with missing");
	CHECK_ERRNO(renameat2_("n3", "n2", RENAME_EXCHANGE | RENAME_NOREPLACE), "renameat2 both flags");

	/* rename keeps an open fd valid */
	int fd = open("n2", O_RDONLY);
	rename("n2", "n2moved");
	char buf[16] = { 0 };
	read(fd, buf, sizeof buf - 1);
	printf("read via fd opened before rename: %s\n", buf);
	close(fd);

	/* hard links */
	write_file("h", "hard data", 0644);
	printf("nlink h: %ld\n", nlink("h"));
	CHECK_ERRNO(link("h", "h2"), "link h h2");
	CHECK_ERRNO(link("h", "h3"), "link h h3");
	printf("nlink h: %ld h3: %ld\n", nlink("h"), nlink("h3"));
	CHECK_ERRNO(link("h", "h2"), "link onto existing");
	CHECK_ERRNO(link("missing", "h4"), "link missing");
	CHECK_ERRNO(link("d4", "d4link"), "link a directory");
	write_file("h2", "changed", 0644);
	printf("h after writing h2: %s\n", content("h"));
	fd = open("h", O_RDONLY);
	unlink("h");
	unlink("h2");
	printf("nlink h3 after two unlinks: %ld\n", nlink("h3"));
	unlink("h3");
	struct stat fst;
	fstat(fd, &fst);
	printf("open but fully unlinked: nlink=%ld\n", (long)fst.st_nlink);
	memset(buf, 0, sizeof buf);
	pread(fd, buf, sizeof buf - 1, 0);
	printf("data still readable: %s\n", buf);
	close(fd);
	CHECK_ERRNO(unlink("h"), "unlink already removed");

	/* symlinks */
	CHECK_ERRNO(symlink("target-file", "s1"), "symlink to missing target");
	char lb[64];
	ssize_t n = readlink("s1", lb, sizeof lb);
	printf("readlink s1: %zd %.*s\n", n, (int)(n > 0 ? n : 0), lb);
	n = readlink("s1", lb, 4);
	printf("readlink with 4-byte buffer: %zd %.*s\n", n, (int)(n > 0 ? n : 0), lb);
	CHECK_ERRNO(readlink("h3", lb, sizeof lb), "readlink missing");
	write_file("regular", "r", 0644);
	CHECK_ERRNO(readlink("regular", lb, sizeof lb), "readlink non-link");
	CHECK_ERRNO(readlink("s1", lb, 0), "readlink size 0");
	CHECK_ERRNO(symlink("x", "s1"), "symlink over existing");
	CHECK_ERRNO(symlink("", "s2"), "symlink with empty target");
	write_file("target-file", "through link", 0644);
	printf("read via s1: %s\n", content("s1"));
	mkdir("realdir", 0755);
	write_file("realdir/inside", "inside", 0644);
	symlink("realdir", "dirlink");
	printf("read via dirlink/inside: %s\n", content("dirlink/inside"));
	symlink("../regular", "realdir/up");
	printf("relative link ../regular from realdir: %s\n", content("realdir/up"));
	printf("same via dirlink/up: %s\n", content("dirlink/up"));
	CHECK_ERRNO(rmdir("dirlink"), "rmdir on symlink to dir");
	CHECK_ERRNO(unlink("dirlink/"), "unlink symlink-to-dir with trailing slash");
	CHECK_ERRNO(unlink("dirlink"), "unlink symlink to dir");
	printf("realdir still there: %d\n", access("realdir/inside", F_OK) == 0);
	int dfd = open("realdir", O_RDONLY | O_DIRECTORY);
	n = readlinkat(dfd, "up", lb, sizeof lb);
	printf("readlinkat(dirfd, up): %.*s\n", (int)(n > 0 ? n : 0), lb);
	CHECK_ERRNO(symlinkat("inside", dfd, "in2"), "symlinkat");
	printf("read realdir/in2: %s\n", content("realdir/in2"));
	close(dfd);

	/* linkat of a symlink: default does not follow, AT_SYMLINK_FOLLOW does */
	CHECK_ERRNO(linkat(AT_FDCWD, "s1", AT_FDCWD, "s1hard", 0), "linkat symlink (no follow)");
	struct stat l1;
	lstat("s1hard", &l1);
	printf("s1hard is a symlink: %d\n", S_ISLNK(l1.st_mode));
	CHECK_ERRNO(linkat(AT_FDCWD, "s1", AT_FDCWD, "s1follow", AT_SYMLINK_FOLLOW), "linkat AT_SYMLINK_FOLLOW");
	lstat("s1follow", &l1);
	printf("s1follow is regular: %d nlink=%ld\n", S_ISREG(l1.st_mode), (long)l1.st_nlink);
	/* rename a symlink: the link moves, not the target */
	CHECK_ERRNO(rename("s1", "s1renamed"), "rename symlink");
	n = readlink("s1renamed", lb, sizeof lb);
	printf("renamed symlink still points to: %.*s\n", (int)(n > 0 ? n : 0), lb);
	return 0;
}
