/* tmpfs semantics on a tmpfs mounted in the scratch directory (a mount namespace of
 * its own natively, so nothing leaks to the host): size=, nr_inodes=, mode=, uid=,
 * gid= and statfs; ENOSPC (a short write first) and its recovery; remount limits;
 * bad options; link counts and directory sizes; ownership from the creator's
 * credentials, set-group-id directories, set-id bits dropped by writes; timestamps and
 * relatime; rename with NOREPLACE, EXCHANGE and WHITEOUT; device nodes, fifos and
 * sockets as types; reading a directory while removing its entries; mmap and read/write
 * seeing the same bytes; SEEK_DATA/SEEK_HOLE and fallocate; exec of a program stored
 * on tmpfs; a busy unmount. */
#define CHECK_SUB_MAIN sub_main
#include "check.h"
#include <linux/falloc.h>
#include <linux/magic.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif
#ifndef RENAME_WHITEOUT
#define RENAME_WHITEOUT 4
#endif

int sub_main(int argc, char **argv)
{
	(void)argc;
	printf("sub: running from tmpfs (%s)\n", argv[2]);
	return 7;
}

static long renameat2_(const char *a, const char *b, unsigned flags)
{
	return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

static void show_stat(const char *label, const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		printf("%s: %s\n", label, errname(errno));
		return;
	}
	printf("%s: mode %o nlink %ld uid %d gid %d size %lld blocks %lld\n", label,
	       (unsigned)st.st_mode, (long)st.st_nlink, (int)st.st_uid, (int)st.st_gid,
	       (long long)st.st_size, (long long)st.st_blocks);
}

static void show_statfs(const char *label, const char *path)
{
	struct statfs sf;
	if (statfs(path, &sf) != 0) {
		printf("%s: %s\n", label, errname(errno));
		return;
	}
	printf("%s: tmpfs %d bsize %ld blocks %llu bfree %llu bavail %llu files %llu ffree %llu namelen %ld\n",
	       label, sf.f_type == TMPFS_MAGIC, (long)sf.f_bsize, (unsigned long long)sf.f_blocks,
	       (unsigned long long)sf.f_bfree, (unsigned long long)sf.f_bavail,
	       (unsigned long long)sf.f_files, (unsigned long long)sf.f_ffree, (long)sf.f_namelen);
}

static void fill(char *buf, size_t n, char c)
{
	memset(buf, c, n);
}

/* size=64k, nr_inodes=8: the limits and statfs. */
static void limits(void)
{
	static char buf[40000];
	mkdir("small", 0755);
	CHECK_ERRNO(mount("tmpfs", "small", "tmpfs", 0, "size=64k,nr_inodes=8,mode=0710,uid=1234,gid=5678"),
		    "mount small");
	show_stat("small root", "small");
	show_statfs("small fresh", "small");
	chown("small", 0, 0);
	chmod("small", 0755);

	int fd = open("small/f", O_RDWR | O_CREAT, 0644);
	fill(buf, sizeof buf, 'x');
	CHECK_VAL(write(fd, buf, sizeof buf), "write 40000");
	CHECK_VAL(write(fd, buf, sizeof buf), "write 40000 more (short)");
	CHECK_VAL(write(fd, buf, sizeof buf), "write when full");
	show_stat("small/f", "small/f");
	show_statfs("small full", "small");
	CHECK_ERRNO(ftruncate(fd, 1 << 20), "ftruncate up to 1M when full");
	CHECK_VAL(pwrite(fd, "y", 1, 500000), "pwrite into a hole when full");
	CHECK_VAL(pwrite(fd, "y", 1, 100), "pwrite over data when full");
	CHECK_ERRNO(fallocate(fd, 0, 600000, 4096), "fallocate when full");
	CHECK_ERRNO(ftruncate(fd, 8192), "ftruncate down to 8192");
	show_stat("small/f", "small/f");
	show_statfs("small after truncate", "small");
	CHECK_ERRNO(mount(NULL, "small", NULL, MS_REMOUNT, "size=4k"), "remount size below use");
	CHECK_ERRNO(mount(NULL, "small", NULL, MS_REMOUNT, "size=128k"), "remount size=128k");
	show_statfs("small remounted", "small");
	close(fd);

	int made = 0;
	char name[32];
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "small/n%d", i);
		int f = open(name, O_WRONLY | O_CREAT, 0644);
		if (f < 0) {
			printf("create %d: %s\n", i, errname(errno));
			break;
		}
		close(f);
		made++;
	}
	SHOW_INT("files made before the inode limit", made);
	CHECK_ERRNO(mkdir("small/d", 0755), "mkdir at the inode limit");
	CHECK_ERRNO(link("small/f", "small/f2"), "link at the inode limit");
	CHECK_ERRNO(symlink("f", "small/l"), "symlink at the inode limit");
	show_statfs("small inodes used", "small");
	unlink("small/n0");
	CHECK_ERRNO(link("small/f", "small/f2"), "link after an unlink");
	show_statfs("small after link", "small");
	unlink("small/f2");
	show_statfs("small after unlinking the link", "small");
	CHECK_ERRNO(umount("small"), "umount small");

	CHECK_ERRNO(mount("tmpfs", "small", "tmpfs", 0, "size=abc"), "mount size=abc");
	CHECK_ERRNO(mount("tmpfs", "small", "tmpfs", 0, "bogus=1"), "mount bogus=1");
	CHECK_ERRNO(mount("tmpfs", "small", "tmpfs", 0, "mode=999"), "mount mode=999");
	CHECK_ERRNO(mount("tmpfs", "small", "tmpfs", 0, "size=0,nr_inodes=0"), "mount unlimited");
	show_statfs("unlimited", "small");
	CHECK_ERRNO(mount(NULL, "small", NULL, MS_REMOUNT, "size=1m"), "remount unlimited to limited");
	CHECK_ERRNO(umount("small"), "umount unlimited");
	CHECK_ERRNO(mount("ramfs", "small", "ramfs", 0, "size=1m,bogus,mode=700"), "mount ramfs");
	struct statfs sf;
	statfs("small", &sf);
	SHOW_BOOL("ramfs magic", sf.f_type == (long)RAMFS_MAGIC);
	show_stat("ramfs root", "small");
	CHECK_ERRNO(umount("small"), "umount ramfs");
}

static void names(void)
{
	mkdir("m/d", 0755);
	show_stat("empty dir", "m/d");
	write_file("m/d/a", "A", 0644);
	write_file("m/d/b", "B", 0644);
	mkdir("m/d/sub", 0755);
	show_stat("dir with 3 entries", "m/d");
	show_stat("m root", "m");
	CHECK_ERRNO(link("m/d/a", "m/d/a2"), "link a a2");
	show_stat("a after link", "m/d/a");
	CHECK_ERRNO(symlink("a", "m/d/sl"), "symlink");
	char t[64] = "";
	CHECK_VAL(readlink("m/d/sl", t, sizeof t), "readlink");
	SHOW_STR("target", t);
	show_stat("symlink", "m/d/sl");
	char longt[300];
	fill(longt, 200, 'l');
	longt[200] = 0;
	CHECK_ERRNO(symlink(longt, "m/d/longsl"), "long symlink");
	show_stat("long symlink", "m/d/longsl");
	unlink("m/d/longsl");
	CHECK_ERRNO(rmdir("m/d"), "rmdir non-empty");
	CHECK_ERRNO(rename("m/d/sub", "m/d/sub/x"), "rename dir into itself");
	CHECK_ERRNO(renameat2_("m/d/a", "m/d/b", RENAME_NOREPLACE), "NOREPLACE onto existing");
	CHECK_ERRNO(renameat2_("m/d/a", "m/d/b", RENAME_EXCHANGE), "EXCHANGE a b");
	char c[8];
	read_file("m/d/a", c, sizeof c);
	printf("a now %s\n", c);
	CHECK_ERRNO(renameat2_("m/d/a", "m/d/sub", RENAME_EXCHANGE), "EXCHANGE file and dir");
	show_stat("a (a dir now)", "m/d/a");
	show_stat("sub (a file now)", "m/d/sub");
	CHECK_ERRNO(renameat2_("m/d/a", "m/d", RENAME_EXCHANGE), "EXCHANGE with own parent");
	CHECK_ERRNO(renameat2_("m/d/sub", "m/d/moved", RENAME_WHITEOUT), "WHITEOUT");
	struct stat st;
	if (lstat("m/d/sub", &st) == 0)
		printf("whiteout: chr %d rdev %d:%d mode %o\n", S_ISCHR(st.st_mode), major(st.st_rdev),
		       minor(st.st_rdev), (unsigned)(st.st_mode & 07777));
	CHECK_ERRNO(mkdir("m/e", 0755), "mkdir e");
	write_file("m/e/x", "X", 0644);
	CHECK_ERRNO(rename("m/d/a", "m/e"), "rename dir over non-empty dir");
	unlink("m/e/x");
	CHECK_ERRNO(rename("m/d/a", "m/e"), "rename dir over empty dir");
	show_stat("m/d after dir moved out", "m/d");
	show_stat("m/e", "m/e");
	CHECK_ERRNO(mknod("m/fifo", S_IFIFO | 0600, 0), "mknod fifo");
	CHECK_ERRNO(mknod("m/sock", S_IFSOCK | 0600, 0), "mknod socket");
	CHECK_ERRNO(mknod("m/chr", S_IFCHR | 0600, makedev(1, 3)), "mknod char 1,3");
	CHECK_ERRNO(mknod("m/blk", S_IFBLK | 0600, makedev(7, 0)), "mknod block 7,0");
	show_stat("fifo", "m/fifo");
	show_stat("sock", "m/sock");
	if (lstat("m/chr", &st) == 0)
		printf("chr: %o rdev %d:%d\n", (unsigned)st.st_mode, major(st.st_rdev), minor(st.st_rdev));
	int fd = open("m/chr", O_WRONLY);
	CHECK_VAL(write(fd, "zz", 2), "write to the null device on tmpfs");
	close(fd);
	CHECK_ERRNO(open("m/sock", O_RDONLY), "open socket");

	/* an open file outlives its name */
	fd = open("m/gone", O_RDWR | O_CREAT, 0600);
	write(fd, "still here", 10);
	unlink("m/gone");
	fstat(fd, &st);
	printf("unlinked: nlink %ld size %lld\n", (long)st.st_nlink, (long long)st.st_size);
	memset(c, 0, sizeof c);
	CHECK_VAL(pread(fd, c, 5, 6), "pread unlinked");
	SHOW_STR("data", c);
	close(fd);

	/* removing every entry while reading the directory (rm -r's pattern) */
	mkdir("m/many", 0755);
	char name[64];
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "m/many/file-with-a-longish-name-%03d", i);
		close(open(name, O_WRONLY | O_CREAT, 0644));
	}
	DIR *d = opendir("m/many");
	int seen = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		seen++;
		unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
	SHOW_INT("entries seen while removing", seen);
	CHECK_ERRNO(rmdir("m/many"), "rmdir emptied dir");

	/* a removed directory: no new names, getdents says ENOENT */
	mkdir("m/rm", 0755);
	fd = open("m/rm", O_RDONLY | O_DIRECTORY);
	rmdir("m/rm");
	CHECK_ERRNO(mkdirat(fd, "x", 0755), "mkdir in removed dir");
	CHECK_ERRNO(openat(fd, "x", O_CREAT | O_WRONLY, 0644), "create in removed dir");
	char dbuf[512];
	CHECK_VAL(syscall(SYS_getdents64, fd, dbuf, sizeof dbuf), "getdents64 on removed dir");
	fstat(fd, &st);
	printf("removed dir nlink %ld\n", (long)st.st_nlink);
	close(fd);
}

static void as_user(const char *what, void (*fn)(void))
{
	pid_t pid = fork();
	if (pid == 0) {
		gid_t groups[1] = { 100 };
		setgroups(1, groups);
		if (setresgid(100, 100, 100) != 0 || setresuid(1000, 1000, 1000) != 0)
			printf("%s: cannot drop privileges\n", what);
		fn();
		fflush(stdout);
		_exit(0);
	}
	wait_for(pid);
}

static void user_creates(void)
{
	write_file("m/pub/ufile", "u", 0644);
	mkdir("m/pub/udir", 0755);
	write_file("m/sgid/ufile", "u", 0644);
	mkdir("m/sgid/udir", 0755);
	close(open("m/sgid/uexec", O_WRONLY | O_CREAT, 02755));
	CHECK_ERRNO(chown("m/pub/ufile", 0, -1), "user chown to root");
	CHECK_ERRNO(chown("m/pub/ufile", -1, 100), "user chgrp to own group");
	CHECK_ERRNO(unlink("m/pub/rootfile"), "user unlink root's file in sticky dir");
	int fd = open("m/pub/setuid", O_WRONLY);
	CHECK_VAL(write(fd, "w", 1), "user writes a set-id file");
	close(fd);
	CHECK_ERRNO(open("m/pub/private", O_RDONLY), "user opens a 0600 root file");
}

static void ownership(void)
{
	mkdir("m/pub", 01777);
	chmod("m/pub", 01777);
	mkdir("m/sgid", 0777);
	chown("m/sgid", 0, 50);
	chmod("m/sgid", 02777);
	write_file("m/pub/rootfile", "r", 0644);
	write_file("m/pub/setuid", "s", 0644);
	chmod("m/pub/setuid", 06777);
	write_file("m/pub/private", "p", 0600);
	as_user("user", user_creates);
	show_stat("ufile", "m/pub/ufile");
	show_stat("udir", "m/pub/udir");
	show_stat("sgid/ufile", "m/sgid/ufile");
	show_stat("sgid/udir", "m/sgid/udir");
	show_stat("sgid/uexec", "m/sgid/uexec");
	show_stat("setuid after user write", "m/pub/setuid");
	CHECK_ERRNO(chown("m/pub/ufile", 2000, 2000), "root chown");
	show_stat("ufile after chown", "m/pub/ufile");
}

static int ts_cmp(struct timespec a, struct timespec b)
{
	if (a.tv_sec != b.tv_sec)
		return a.tv_sec < b.tv_sec ? -1 : 1;
	return a.tv_nsec < b.tv_nsec ? -1 : a.tv_nsec > b.tv_nsec;
}

static void times(void)
{
	struct stat st;
	struct timespec old[2] = { { 1000, 0 }, { 2000, 0 } };
	write_file("m/t", "0123456789", 0644);
	CHECK_ERRNO(utimensat(AT_FDCWD, "m/t", old, 0), "utimensat");
	stat("m/t", &st);
	printf("set: atime %ld mtime %ld\n", (long)st.st_atim.tv_sec, (long)st.st_mtim.tv_sec);
	char c[4];
	int fd = open("m/t", O_RDWR);
	read(fd, c, 1);
	stat("m/t", &st);
	SHOW_BOOL("read moved atime older than mtime", st.st_atim.tv_sec > 2000);
	struct timespec future[2] = { { 0, 0 }, { 0, 0 } };
	clock_gettime(CLOCK_REALTIME, &future[0]);
	future[0].tv_sec += 3600;
	future[1] = future[0];
	future[1].tv_sec -= 7200;
	utimensat(AT_FDCWD, "m/t", future, 0);
	read(fd, c, 1);
	stat("m/t", &st);
	SHOW_BOOL("read left a recent atime alone (relatime)", ts_cmp(st.st_atim, future[0]) == 0);
	utimensat(AT_FDCWD, "m/t", old, 0);
	struct stat before;
	stat("m/t", &before);
	write(fd, "x", 1);
	stat("m/t", &st);
	SHOW_BOOL("write moved mtime", st.st_mtim.tv_sec > 2000);
	SHOW_BOOL("write moved ctime", ts_cmp(st.st_ctim, before.st_ctim) >= 0);
	utimensat(AT_FDCWD, "m/t", old, 0);
	ftruncate(fd, 10);
	stat("m/t", &st);
	SHOW_BOOL("ftruncate to the same size moved mtime", st.st_mtim.tv_sec > 2000);
	close(fd);
	utimensat(AT_FDCWD, "m", old, 0);
	write_file("m/t2", "", 0644);
	stat("m", &st);
	SHOW_BOOL("create moved the dir's mtime", st.st_mtim.tv_sec > 2000);
	utimensat(AT_FDCWD, "m", old, 0);
	unlink("m/t2");
	stat("m", &st);
	SHOW_BOOL("unlink moved the dir's mtime", st.st_mtim.tv_sec > 2000);
	utimensat(AT_FDCWD, "m/t", old, 0);
	link("m/t", "m/t3");
	stat("m/t", &st);
	SHOW_BOOL("link kept mtime", st.st_mtim.tv_sec == 2000);
	SHOW_BOOL("link moved ctime", st.st_ctim.tv_sec > 2000);
}

static void data(void)
{
	int fd = open("m/data", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "hello world", 11);
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		printf("mmap: %s\n", errname(errno));
		return;
	}
	printf("mmap sees: %.11s\n", p);
	memcpy(p, "HELLO", 5);
	char buf[32] = "";
	pread(fd, buf, 11, 0);
	printf("read sees: %s\n", buf);
	pwrite(fd, "WORLD", 5, 6);
	printf("mmap sees: %.11s\n", p);
	int fd2 = open("m/data", O_RDONLY);
	char *q = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd2, 0);
	printf("second mapping sees: %.11s\n", q);
	munmap(q, 4096);
	close(fd2);
	munmap(p, 4096);

	int afd = open("m/data", O_WRONLY | O_APPEND);
	lseek(afd, 0, SEEK_SET);
	CHECK_VAL(write(afd, "!", 1), "append");
	CHECK_VAL(lseek(afd, 0, SEEK_CUR), "offset after append");
	close(afd);
	memset(buf, 0, sizeof buf);
	pread(fd, buf, sizeof buf - 1, 0);
	SHOW_STR("after append", buf);

	CHECK_ERRNO(ftruncate(fd, 1 << 20), "ftruncate to 1M");
	show_stat("sparse", "m/data");
	pwrite(fd, "z", 1, 1 << 19);
	show_stat("sparse with a page in the middle", "m/data");
	CHECK_VAL(lseek(fd, 4096, SEEK_DATA), "SEEK_DATA from 4096");
	CHECK_VAL(lseek(fd, 1 << 19, SEEK_HOLE), "SEEK_HOLE from the middle page");
	CHECK_VAL(lseek(fd, 2 << 20, SEEK_DATA), "SEEK_DATA past the end");
	CHECK_ERRNO(fallocate(fd, 0, 8192, 8192), "fallocate 2 pages");
	show_stat("after fallocate", "m/data");
	CHECK_ERRNO(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 16384), "punch 4 pages");
	show_stat("after punch", "m/data");
	CHECK_ERRNO(fallocate(fd, FALLOC_FL_KEEP_SIZE, 4 << 20, 4096), "fallocate past the end, keep size");
	show_stat("after keep-size fallocate", "m/data");
	CHECK_ERRNO(fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, 4096), "collapse range");
	memset(buf, 0, sizeof buf);
	CHECK_VAL(pread(fd, buf, 4, 0), "read the punched hole");
	printf("hole bytes: %d %d\n", buf[0], buf[3]);
	close(fd);

	fd = open("m/empty", O_RDWR | O_CREAT, 0644);
	CHECK_VAL(read(fd, buf, 10), "read empty file");
	CHECK_VAL(lseek(fd, 0, SEEK_END), "end of empty file");
	CHECK_VAL(lseek(fd, 0, SEEK_DATA), "SEEK_DATA in empty file");
	close(fd);
}

static void exec_from_tmpfs(void)
{
	int in = open(self_exe, O_RDONLY), out = open("m/prog", O_WRONLY | O_CREAT, 0755);
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		write(out, buf, (size_t)n);
	close(in);
	close(out);
	pid_t pid = fork();
	if (pid == 0) {
		execl("m/prog", "prog", "--sub", "tmpfs", (char *)NULL);
		printf("exec: %s\n", errname(errno));
		_exit(1);
	}
	int st = wait_for(pid);
	SHOW_STATUS("program stored on tmpfs", st);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	/* natively: keep the mounts in a namespace of our own */
	if (unshare(CLONE_NEWNS) == 0)
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	chmod(".", 0755);   /* the scratch directory: other users pass through it */
	limits();
	mkdir("m", 0755);
	CHECK_ERRNO(mount("tmpfs", "m", "tmpfs", MS_NOSUID, "mode=755"), "mount m");
	names();
	ownership();
	times();
	data();
	exec_from_tmpfs();
	int fd = open("m/data", O_RDONLY);
	CHECK_ERRNO(umount("m"), "umount while a file is open");
	close(fd);
	CHECK_ERRNO(umount("m"), "umount m");
	CHECK_ERRNO(access("m/data", F_OK), "data gone with the mount");
	return 0;
}
