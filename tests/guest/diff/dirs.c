/* directories: mkdir/rmdir and their errors (EEXIST, ENOENT, ENOTDIR,
 * ENOTEMPTY, EINVAL for ".", EISDIR for unlink), mkdirat/unlinkat,
 * getdents64 listings (sorted by name, with d_type), rewinding, readdir
 * through libc, seekdir/telldir round trip, listing while creating files,
 * ENOTDIR for getdents on a file, umask applied to mkdir. */
#include "check.h"
#include <sys/syscall.h>

struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *dtype(int t)
{
	switch (t) {
	case DT_REG: return "reg";
	case DT_DIR: return "dir";
	case DT_LNK: return "lnk";
	case DT_FIFO: return "fifo";
	case DT_UNKNOWN: return "unknown";
	}
	return "?";
}

/* list a directory with raw getdents64 using a small buffer (forces several calls) */
static void list(const char *label, const char *path, int bufsz)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		printf("%s: open %s\n", label, errname(errno));
		return;
	}
	char buf[4096];
	char *names[512];
	int n = 0, calls = 0;
	long r;
	while ((r = syscall(SYS_getdents64, fd, buf, bufsz)) > 0) {
		calls++;
		for (long off = 0; off < r;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			char *e = malloc(strlen(d->d_name) + 16);
			sprintf(e, "%s:%s", d->d_name, dtype(d->d_type));
			if (n < 512)
				names[n++] = e;
			off += d->d_reclen;
		}
	}
	if (r < 0)
		printf("%s: getdents64 %s\n", label, errname(errno));
	qsort(names, n, sizeof names[0], cmp);
	printf("%s (%d entries):", label, n);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
	close(fd);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;

	CHECK_ERRNO(mkdir("d", 0777), "mkdir d");
	struct stat st;
	stat("d", &st);
	printf("mkdir 0777 with umask 022: %04o\n", st.st_mode & 07777);
	umask(0);
	mkdir("d0", 0777);
	stat("d0", &st);
	printf("mkdir 0777 with umask 0: %04o\n", st.st_mode & 07777);
	mkdir("dsticky", 01777);
	stat("dsticky", &st);
	printf("mkdir 01777 keeps sticky: %04o\n", st.st_mode & 07777);
	umask(022);
	CHECK_ERRNO(mkdir("d", 0755), "mkdir existing");
	CHECK_ERRNO(mkdir("missing/sub", 0755), "mkdir under missing");
	write_file("file", "x", 0644);
	CHECK_ERRNO(mkdir("file", 0755), "mkdir over a file");
	CHECK_ERRNO(mkdir("file/sub", 0755), "mkdir under a file");
	CHECK_ERRNO(mkdir("d/", 0755), "mkdir \"d/\" existing");
	CHECK_ERRNO(mkdir("e/", 0755), "mkdir \"e/\" new");
	CHECK_ERRNO(mkdir("", 0755), "mkdir empty");

	CHECK_ERRNO(rmdir("nope"), "rmdir missing");
	CHECK_ERRNO(rmdir("file"), "rmdir a file");
	CHECK_ERRNO(unlink("d"), "unlink a directory");
	mkdir("d/inner", 0755);
	CHECK_ERRNO(rmdir("d"), "rmdir non-empty");
	CHECK_ERRNO(rmdir("d/inner/."), "rmdir d/inner/.");
	CHECK_ERRNO(rmdir("d/inner/.."), "rmdir d/inner/..");
	CHECK_ERRNO(rmdir("."), "rmdir .");
	CHECK_ERRNO(rmdir("d/inner"), "rmdir empty");
	CHECK_ERRNO(rmdir("d/inner"), "rmdir again");
	CHECK_ERRNO(rmdir("d"), "rmdir now-empty");
	CHECK_ERRNO(rmdir("e"), "rmdir e");

	/* *at variants */
	mkdir("base", 0755);
	int dfd = open("base", O_RDONLY | O_DIRECTORY);
	CHECK_ERRNO(mkdirat(dfd, "x", 0755), "mkdirat(dirfd, x)");
	CHECK_ERRNO(mkdirat(AT_FDCWD, "base/y", 0755), "mkdirat(AT_FDCWD, base/y)");
	int ffd = open("file", O_RDONLY);
	CHECK_ERRNO(mkdirat(ffd, "z", 0755), "mkdirat(file fd, z)");
	CHECK_ERRNO(mkdirat(99, "z", 0755), "mkdirat(bad fd, z)");
	CHECK_ERRNO(mkdirat(99, "/tmp", 0755), "mkdirat(bad fd, absolute existing)");
	close(ffd);
	CHECK_ERRNO(unlinkat(dfd, "x", 0), "unlinkat(dir, 0)");
	CHECK_ERRNO(unlinkat(dfd, "x", AT_REMOVEDIR), "unlinkat(dir, AT_REMOVEDIR)");
	CHECK_ERRNO(unlinkat(dfd, "y", 0x1), "unlinkat bad flag");

	/* listings */
	const char *names[] = { "zeta", "alpha", "Mid", "beta.txt", "_under", "1num", ".hidden" };
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
		char p[64];
		snprintf(p, sizeof p, "base/%s", names[i]);
		write_file(p, "", 0644);
	}
	mkdir("base/subdir", 0755);
	symlink("zeta", "base/link");
	mkfifo("base/fifo", 0644);
	list("listing", "base", 4096);
	list("listing with 64-byte buffer", "base", 64);
	int fd = open("base", O_RDONLY | O_DIRECTORY);
	char small[8];
	long r = syscall(SYS_getdents64, fd, small, sizeof small);
	printf("getdents64 with 8-byte buffer: %ld %s\n", r, r < 0 ? errname(errno) : "");
	close(fd);
	fd = open("file", O_RDONLY);
	char buf[512];
	r = syscall(SYS_getdents64, fd, buf, sizeof buf);
	printf("getdents64 on a file: %ld %s\n", r, r < 0 ? errname(errno) : "");
	close(fd);
	r = syscall(SYS_getdents64, 99, buf, sizeof buf);
	printf("getdents64 on bad fd: %ld %s\n", r, r < 0 ? errname(errno) : "");

	/* empty dir has . and .. only */
	mkdir("empty", 0755);
	list("empty dir", "empty", 4096);

	/* libc readdir, rewinddir, telldir/seekdir */
	DIR *d = opendir("base");
	int count = 0;
	while (readdir(d))
		count++;
	SHOW_INT("readdir count", count);
	SHOW_BOOL("readdir at end returns NULL again", readdir(d) == NULL);
	rewinddir(d);
	int count2 = 0;
	long pos = -1;
	char at_pos[256] = "";
	struct dirent *de;
	while ((de = readdir(d))) {
		count2++;
		if (count2 == 3)
			pos = telldir(d);
		if (count2 == 4)
			snprintf(at_pos, sizeof at_pos, "%s", de->d_name);
	}
	SHOW_INT("count after rewinddir", count2);
	seekdir(d, pos);
	de = readdir(d);
	SHOW_BOOL("seekdir(telldir) returns the same entry", de && strcmp(de->d_name, at_pos) == 0);
	closedir(d);
	SHOW_BOOL("opendir on file fails", opendir("file") == NULL);
	SHOW_ERR("  errno", errno);

	/* remove entries, list again */
	unlink("base/zeta");
	unlink("base/link");
	rmdir("base/subdir");
	list("after removals", "base", 4096);

	/* deep tree */
	char path[512] = "deep";
	for (int i = 0; i < 20; i++) {
		mkdir(path, 0755);
		strcat(path, "/n");
	}
	CHECK_ERRNO(mkdir(path, 0755), "mkdir 21 levels deep");
	write_file("deep/n/n/n/n/n/n/n/n/n/n/leaf", "leaf", 0644);
	CHECK_ERRNO(access("deep/n/n/n/n/n/n/n/n/n/n/leaf", F_OK), "access deep leaf");
	CHECK_ERRNO(access("deep/n/n/../n/./n/n/n/n/n/n/n/n/leaf", F_OK), "access via . and ..");
	close(dfd);
	return 0;
}
