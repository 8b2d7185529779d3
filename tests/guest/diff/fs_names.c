/* names as root: mknod/mknodat (every type, rdev, umask, EPERM for S_IFDIR,
 * EINVAL for bad types, checked before the name), "." ".." "/" as the last
 * component of mkdir/rmdir/unlink/rename, trailing slashes on create, unlink
 * and rename, rename's ancestor traps (EINVAL, ENOTEMPTY) and flag checks,
 * RENAME_EXCHANGE of a file and a directory, link of a directory, linkat
 * AT_EMPTY_PATH (file, directory, pipe), symlink error order, sticky
 * directories as root. */
#include "check.h"
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#define RENAME_WHITEOUT 4
#endif

static long rename2(const char *a, const char *b, unsigned flags)
{
	return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

static void kind(const char *label, const char *p)
{
	struct stat st;
	if (lstat(p, &st) != 0) {
		printf("%s: %s\n", label, errname(errno));
		return;
	}
	const char *k = S_ISREG(st.st_mode) ? "reg" : S_ISDIR(st.st_mode) ? "dir" :
			S_ISFIFO(st.st_mode) ? "fifo" : S_ISSOCK(st.st_mode) ? "sock" :
			S_ISCHR(st.st_mode) ? "chr" : S_ISBLK(st.st_mode) ? "blk" :
			S_ISLNK(st.st_mode) ? "lnk" : "?";
	printf("%s: %s %04o", label, k, st.st_mode & 07777);
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		printf(" rdev=%u:%u", major(st.st_rdev), minor(st.st_rdev));
	printf(" nlink=%ld\n", (long)st.st_nlink);
}

static void mknods(void)
{
	CHECK_ERRNO(mknod("reg", S_IFREG | 0666, 0), "mknod S_IFREG");
	kind("  reg", "reg");
	CHECK_ERRNO(mknod("zero", 0640, 0), "mknod type 0 (regular)");
	kind("  zero", "zero");
	CHECK_ERRNO(mknod("fifo", S_IFIFO | 0666, 0), "mknod S_IFIFO");
	kind("  fifo", "fifo");
	CHECK_ERRNO(mknod("sock", S_IFSOCK | 0777, 0), "mknod S_IFSOCK");
	kind("  sock", "sock");
	CHECK_ERRNO(mknod("chr", S_IFCHR | 0600, makedev(1, 3)), "mknod S_IFCHR 1:3 as root");
	kind("  chr", "chr");
	CHECK_ERRNO(mknod("blk", S_IFBLK | 0600, makedev(7, 300)), "mknod S_IFBLK 7:300 as root");
	kind("  blk", "blk");
	CHECK_ERRNO(mknod("suid", S_IFREG | 06755, 0), "mknod S_IFREG with set-id bits");
	kind("  suid", "suid");
	CHECK_ERRNO(mknod("dir", S_IFDIR | 0755, 0), "mknod S_IFDIR");
	CHECK_ERRNO(mknod("bad", 0170000 | 0644, 0), "mknod bad type");
	CHECK_ERRNO(mknod("missing/bad", 0170000 | 0644, 0), "mknod bad type, missing parent");
	CHECK_ERRNO(mknod("missing/dir", S_IFDIR | 0755, 0), "mknod S_IFDIR, missing parent");
	CHECK_ERRNO(mknod("reg", S_IFIFO | 0644, 0), "mknod over existing");
	CHECK_ERRNO(mknod("new/", S_IFIFO | 0644, 0), "mknod \"new/\"");
	CHECK_ERRNO(mknod("reg/", S_IFIFO | 0644, 0), "mknod \"reg/\" existing");
	CHECK_ERRNO(mknod("reg/x", S_IFIFO | 0644, 0), "mknod under a file");
	CHECK_ERRNO(mknod("", S_IFIFO | 0644, 0), "mknod empty name");
	mkdir("md", 0755);
	int dfd = open("md", O_RDONLY | O_DIRECTORY);
	CHECK_ERRNO(mknodat(dfd, "f", S_IFIFO | 0644, 0), "mknodat(dirfd)");
	kind("  md/f", "md/f");
	CHECK_ERRNO(mknodat(99, "f", S_IFIFO | 0644, 0), "mknodat(bad fd)");
	close(dfd);
	umask(077);
	mknod("masked", S_IFIFO | 0666, 0);
	kind("fifo under umask 077", "masked");
	umask(022);
}

static void dots(void)
{
	mkdir("d", 0755);
	CHECK_ERRNO(mkdir("/", 0755), "mkdir /");
	CHECK_ERRNO(mkdir(".", 0755), "mkdir .");
	CHECK_ERRNO(mkdir("d/..", 0755), "mkdir d/..");
	CHECK_ERRNO(rmdir("/"), "rmdir /");
	CHECK_ERRNO(rmdir("//"), "rmdir //");
	CHECK_ERRNO(rmdir("d/."), "rmdir d/.");
	CHECK_ERRNO(rmdir("d/./"), "rmdir d/./");
	CHECK_ERRNO(rmdir("d/.."), "rmdir d/..");
	CHECK_ERRNO(unlink("."), "unlink .");
	CHECK_ERRNO(unlink("/"), "unlink /");
	CHECK_ERRNO(unlink("d/.."), "unlink d/..");
	CHECK_ERRNO(symlink("x", "."), "symlink onto .");
	CHECK_ERRNO(symlink("x", "/"), "symlink onto /");
	CHECK_ERRNO(link("d", "."), "link dir onto .");
	write_file("f", "f", 0644);
	CHECK_ERRNO(link("f", ".."), "link file onto ..");
	CHECK_ERRNO(rename("d/.", "e"), "rename d/. e");
	CHECK_ERRNO(rename("d/..", "e"), "rename d/.. e");
	CHECK_ERRNO(rename("f", "."), "rename f .");
	CHECK_ERRNO(rename("f", "d/.."), "rename f d/..");
	CHECK_ERRNO(rename2("f", ".", RENAME_NOREPLACE), "renameat2 f . NOREPLACE");
	CHECK_ERRNO(rename2("f", "/", RENAME_EXCHANGE), "renameat2 f / EXCHANGE");
	CHECK_ERRNO(rename("/", "f"), "rename / f");
}

static void slashes(void)
{
	write_file("s", "s", 0644);
	mkdir("sd", 0755);
	symlink("sd", "sdlink");
	symlink("s", "slink");
	CHECK_ERRNO(unlink("s/"), "unlink s/ (file)");
	CHECK_ERRNO(unlink("sd/"), "unlink sd/ (dir)");
	CHECK_ERRNO(unlink("nope/"), "unlink nope/");
	CHECK_ERRNO(unlink("slink/"), "unlink slink/ (link to file)");
	CHECK_ERRNO(rmdir("sdlink/"), "rmdir sdlink/ (link to dir)");
	CHECK_ERRNO(rmdir("s/"), "rmdir s/");
	CHECK_ERRNO(symlink("s", "new/"), "symlink to new/");
	CHECK_ERRNO(symlink("s", "s/"), "symlink to existing s/");
	CHECK_ERRNO(link("s", "new/"), "link to new/");
	CHECK_ERRNO(link("s/", "new"), "link from s/");
	CHECK_ERRNO(link("sd/", "new"), "link from sd/");
	CHECK_ERRNO(rename("s/", "t"), "rename s/ t");
	CHECK_ERRNO(rename("s", "t/"), "rename s t/");
	CHECK_ERRNO(rename("sd/", "sd2/"), "rename sd/ sd2/");
	kind("  sd2", "sd2");
	CHECK_ERRNO(rename("sd2", "sd3/"), "rename sd2 sd3/");
	write_file("x", "x", 0644);
	CHECK_ERRNO(rename2("s", "x/", RENAME_EXCHANGE), "renameat2 s x/ EXCHANGE (files)");
	CHECK_ERRNO(rename2("sd3", "s/", RENAME_EXCHANGE), "renameat2 sd3 s/ EXCHANGE");
	CHECK_ERRNO(rename2("s", "sd3/", RENAME_EXCHANGE), "renameat2 s sd3/ EXCHANGE");
	kind("  s after exchange", "s");
	kind("  sd3 after exchange", "sd3");
}

static void renames(void)
{
	mkdir("p", 0755);
	mkdir("p/q", 0755);
	mkdir("p/q/r", 0755);
	CHECK_ERRNO(rename("p/q", "p"), "rename p/q p (target is source's parent)");
	CHECK_ERRNO(rename("p/q/r", "p"), "rename p/q/r p (target is an ancestor)");
	CHECK_ERRNO(rename2("p/q/r", "p", RENAME_EXCHANGE), "renameat2 p/q/r p EXCHANGE");
	CHECK_ERRNO(rename2("p", "p/q/r", RENAME_EXCHANGE), "renameat2 p p/q/r EXCHANGE");
	CHECK_ERRNO(rename("p", "p/q/r/s"), "rename p p/q/r/s");
	CHECK_ERRNO(rename("p", "p/q/r"), "rename p p/q/r");
	CHECK_ERRNO(rename("p/q", "p/q/r/s"), "rename p/q p/q/r/s");
	CHECK_ERRNO(rename("p", "p/q/../z"), "rename p p/q/../z");
	symlink("p/q", "ql");
	CHECK_ERRNO(rename("p", "ql/z"), "rename p ql/z (through a symlink)");
	CHECK_ERRNO(rename("p/q/r", "p/q/r"), "rename dir onto itself");
	CHECK_ERRNO(rename("p/q/r", "p/r2"), "rename p/q/r p/r2 (up)");
	CHECK_ERRNO(rename("p/r2", "p/q/r"), "rename p/r2 p/q/r (down)");
	CHECK_ERRNO(rename2("p", "missing", 8), "renameat2 unknown flag");
	CHECK_ERRNO(rename2("nope", "x", RENAME_EXCHANGE | RENAME_NOREPLACE), "renameat2 EXCHANGE|NOREPLACE missing");
	CHECK_ERRNO(rename2("nope", "x", RENAME_EXCHANGE | RENAME_WHITEOUT), "renameat2 EXCHANGE|WHITEOUT");
	CHECK_ERRNO(syscall(SYS_renameat2, AT_FDCWD, "nope", AT_FDCWD, NULL, 0), "renameat2 NULL new name");
	CHECK_ERRNO(syscall(SYS_renameat2, AT_FDCWD, "nope", AT_FDCWD, NULL, 16), "renameat2 NULL new name, bad flag");
	CHECK_ERRNO(rename2("nope", "p", RENAME_NOREPLACE), "renameat2 missing over existing NOREPLACE");
	write_file("file1", "1", 0644);
	CHECK_ERRNO(rename2("file1", "p", RENAME_EXCHANGE), "renameat2 file dir EXCHANGE");
	kind("  p", "p");
	kind("  file1", "file1");
	CHECK_ERRNO(rename2("file1", "p", RENAME_EXCHANGE), "exchange back");
	CHECK_ERRNO(rename2("p", "p/q", RENAME_EXCHANGE), "renameat2 p p/q EXCHANGE");
	int a = open(".", O_RDONLY | O_DIRECTORY), b = open("p", O_RDONLY | O_DIRECTORY);
	CHECK_ERRNO(renameat(a, "file1", b, "f1"), "renameat(dirfd, file1, pfd, f1)");
	CHECK_ERRNO(renameat(b, "f1", a, "file1"), "renameat back");
	CHECK_ERRNO(renameat(99, "file1", a, "x"), "renameat bad old fd");
	CHECK_ERRNO(renameat(a, "file1", 99, "x"), "renameat bad new fd");
	close(a);
	close(b);
}

static void links(void)
{
	write_file("lf", "lf", 0644);
	mkdir("ld", 0755);
	CHECK_ERRNO(link("ld", "ld2"), "link a directory");
	CHECK_ERRNO(linkat(AT_FDCWD, "lf", AT_FDCWD, "lf2", 0x8000), "linkat bad flag");
	CHECK_ERRNO(linkat(AT_FDCWD, "lf", AT_FDCWD, "lf2", AT_SYMLINK_NOFOLLOW), "linkat AT_SYMLINK_NOFOLLOW (not valid)");
	int fd = open("lf", O_RDONLY);
	CHECK_ERRNO(linkat(fd, "", AT_FDCWD, "lf3", AT_EMPTY_PATH), "linkat(fd, \"\", AT_EMPTY_PATH)");
	kind("  lf", "lf");
	CHECK_ERRNO(linkat(fd, "", AT_FDCWD, "lf4", 0), "linkat(fd, \"\") without AT_EMPTY_PATH");
	close(fd);
	fd = open("ld", O_RDONLY | O_DIRECTORY);
	CHECK_ERRNO(linkat(fd, "", AT_FDCWD, "ld3", AT_EMPTY_PATH), "linkat(dirfd, \"\", AT_EMPTY_PATH)");
	close(fd);
	fd = open("lf", O_PATH);
	CHECK_ERRNO(linkat(fd, "", AT_FDCWD, "lf5", AT_EMPTY_PATH), "linkat(O_PATH fd, AT_EMPTY_PATH)");
	close(fd);
	int p[2];
	pipe(p);
	CHECK_ERRNO(linkat(p[0], "", AT_FDCWD, "pipe", AT_EMPTY_PATH), "linkat(pipe, AT_EMPTY_PATH)");
	CHECK_ERRNO(linkat(99, "", AT_FDCWD, "bad", AT_EMPTY_PATH), "linkat(bad fd, AT_EMPTY_PATH)");
	close(p[0]);
	close(p[1]);
	CHECK_ERRNO(link("nope", "lf"), "link missing onto existing");
	CHECK_ERRNO(link("lf", "lf"), "link onto itself");
	CHECK_ERRNO(symlink("", "nope/x"), "symlink empty target, missing dir");
	CHECK_ERRNO(syscall(SYS_symlink, "", NULL), "symlink empty target, NULL name");
	CHECK_ERRNO(syscall(SYS_symlink, "t", NULL), "symlink NULL name");
	CHECK_ERRNO(symlinkat("t", 99, "x"), "symlinkat bad fd");
	CHECK_ERRNO(symlinkat("t", 99, "/tmp"), "symlinkat bad fd, absolute existing");
}

static void sticky_as_root(void)
{
	mkdir("st", 01777);
	chmod("st", 01777);
	write_file("st/other", "o", 0644);
	chown("st/other", 1234, 1234);
	mkdir("st/otherdir", 0755);
	chown("st/otherdir", 1234, 1234);
	CHECK_ERRNO(rename("st/other", "st/moved"), "root renames another's file in sticky dir");
	CHECK_ERRNO(unlink("st/moved"), "root unlinks another's file in sticky dir");
	CHECK_ERRNO(rmdir("st/otherdir"), "root removes another's dir in sticky dir");
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	mknods();
	dots();
	slashes();
	renames();
	links();
	sticky_as_root();
	return 0;
}
