/* openat2: struct open_how size rules (EINVAL, E2BIG, EFAULT), the flag, mode and
 * resolve checks in Linux's order, O_PATH's strictness, RESOLVE_CACHED's EAGAIN for
 * creating opens, and each RESOLVE_* flag on a tree with relative, absolute and ".."
 * symlinks, a tmpfs mount and /proc magic links. Every open says which file it got. */
#include "check.h"
#include <linux/openat2.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

static int mounted_proc;

/* The files the walks may reach, known by device and inode. */
static const char *const known[] = {
	".", "f", "outside", "d", "d/f", "d/sub", "d/sub/g", "d/mnt", "d/mnt/m", "d/mnt/f",
	"d/rel", "d/new", "d/mnt/newm", "new2", "d/made",
};
static struct stat known_st[sizeof(known) / sizeof(known[0])];

static void learn(void)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (lstat(known[i], &known_st[i]) != 0)
			known_st[i].st_ino = 0;
}

static const char *ident(int fd)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return "fstat failed";
	learn();   /* files created by the opens themselves */
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (known_st[i].st_ino && known_st[i].st_ino == st.st_ino && known_st[i].st_dev == st.st_dev)
			return known[i];
	return "<other>";
}

static long openat2_raw(int dirfd, const char *path, const void *how, size_t size)
{
	return syscall(SYS_openat2, dirfd, path, how, size);
}

static void show_open(const char *label, long fd)
{
	if (fd < 0) {
		printf("%s: -1 %s\n", label, errname(errno));
		return;
	}
	printf("%s: %s\n", label, ident((int)fd));
	close((int)fd);
}

static void try(const char *label, int dirfd, const char *path, uint64_t flags, uint64_t mode,
		uint64_t resolve)
{
	struct open_how how = { .flags = flags, .mode = mode, .resolve = resolve };
	show_open(label, openat2_raw(dirfd, path, &how, sizeof(how)));
}

static void sizes(void)
{
	struct open_how how = { .flags = O_RDONLY };
	CHECK_ERRNO(openat2_raw(AT_FDCWD, "f", &how, 0), "size 0");
	CHECK_ERRNO(openat2_raw(AT_FDCWD, "f", &how, 23), "size 23");
	show_open("size 24", openat2_raw(AT_FDCWD, "f", &how, 24));
	CHECK_ERRNO(openat2_raw(AT_FDCWD, "f", NULL, 24), "how NULL");
	CHECK_ERRNO(openat2_raw(AT_FDCWD, "f", (void *)8, 24), "how bad pointer");

	long page = sysconf(_SC_PAGESIZE);
	char *buf = mmap(NULL, (size_t)page * 3, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		printf("mmap: %s\n", errname(errno));
		return;
	}
	memcpy(buf, &how, sizeof(how));
	show_open("size 32, zero tail", openat2_raw(AT_FDCWD, "f", buf, 32));
	show_open("size page, zero tail", openat2_raw(AT_FDCWD, "f", buf, (size_t)page));
	CHECK_ERRNO(openat2_raw(AT_FDCWD, "f", buf, (size_t)page + 1), "size page+1");
	buf[100] = 1;
	CHECK_ERRNO(openat2_raw(AT_FDCWD, "f", buf, 128), "size 128, nonzero tail");
	show_open("size 100, nonzero byte beyond", openat2_raw(AT_FDCWD, "f", buf, 100));
	/* the struct at the end of a page, its tail in an unreadable one */
	munmap(buf + page, (size_t)page);
	char *end = buf + page - sizeof(how);
	memcpy(end, &how, sizeof(how));
	show_open("struct at page end, size 24", openat2_raw(AT_FDCWD, "f", end, 24));
	CHECK_ERRNO(openat2_raw(AT_FDCWD, "f", end, 40), "tail unreadable");
	CHECK_ERRNO(openat2_raw(AT_FDCWD, "f", buf + page - 8, 24), "struct half unreadable");
	munmap(buf, (size_t)page);
	munmap(buf + 2 * page, (size_t)page);
}

static void flag_checks(void)
{
	try("unknown flag 010", AT_FDCWD, "f", 010, 0, 0);
	try("flag bit 32", AT_FDCWD, "f", 1ULL << 32, 0, 0);
	try("O_CLOEXEC is fine", AT_FDCWD, "f", O_CLOEXEC, 0, 0);
	try("O_ACCMODE 3", AT_FDCWD, "f", 3, 0, 0);
	try("unknown resolve 0x40", AT_FDCWD, "f", O_RDONLY, 0, 0x40);
	try("resolve bit 63", AT_FDCWD, "f", O_RDONLY, 0, 1ULL << 63);
	try("BENEATH|IN_ROOT", AT_FDCWD, "f", O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT);
	try("mode without O_CREAT", AT_FDCWD, "f", O_RDONLY, 0644, 0);
	try("mode with type bits", AT_FDCWD, "new1", O_CREAT | O_WRONLY, S_IFREG | 0644, 0);
	try("mode 07777 with O_CREAT", AT_FDCWD, "new2", O_CREAT | O_WRONLY, 07777, 0);
	try("mode order: unknown resolve first", AT_FDCWD, "f", O_RDONLY, 0644, 0x40);
	try("O_CREAT|O_DIRECTORY", AT_FDCWD, "new3", O_CREAT | O_DIRECTORY, 0, 0);
	try("__O_TMPFILE without O_DIRECTORY", AT_FDCWD, ".", O_TMPFILE & ~O_DIRECTORY, 0, 0);
	try("O_TMPFILE read-only", AT_FDCWD, ".", O_TMPFILE | O_RDONLY, 0, 0);
	try("O_PATH|O_RDWR", AT_FDCWD, "f", O_PATH | O_RDWR, 0, 0);
	try("O_PATH|O_TRUNC", AT_FDCWD, "f", O_PATH | O_TRUNC, 0, 0);
	try("O_PATH|O_NOFOLLOW|O_CLOEXEC", AT_FDCWD, "d/rel", O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, 0);
	try("O_PATH|O_DIRECTORY", AT_FDCWD, "d", O_PATH | O_DIRECTORY, 0, 0);
	try("O_PATH|O_DIRECTORY of a file", AT_FDCWD, "f", O_PATH | O_DIRECTORY, 0, 0);
	try("CACHED O_CREAT", AT_FDCWD, "new4", O_CREAT | O_WRONLY, 0600, RESOLVE_CACHED);
	try("CACHED O_TRUNC", AT_FDCWD, "f", O_TRUNC | O_WRONLY, 0, RESOLVE_CACHED);
	try("CACHED O_CREAT of existing", AT_FDCWD, "f", O_CREAT | O_RDONLY, 0, RESOLVE_CACHED);
	try("CACHED plain", AT_FDCWD, "d/f", O_RDONLY, 0, RESOLVE_CACHED);
	struct stat st;
	printf("new1 exists: %d, new4 exists: %d\n", stat("new1", &st) == 0, stat("new4", &st) == 0);

	struct open_how how = { .flags = O_RDONLY };
	CHECK_ERRNO(openat2_raw(AT_FDCWD, NULL, &how, sizeof(how)), "path NULL");
	CHECK_ERRNO(openat2_raw(AT_FDCWD, "", &how, sizeof(how)), "path empty");
	how.flags = 010;
	CHECK_ERRNO(openat2_raw(AT_FDCWD, NULL, &how, sizeof(how)), "bad flags before bad path");
	how.flags = O_RDONLY;
	CHECK_ERRNO(openat2_raw(99, "f", &how, sizeof(how)), "bad dirfd");
	int ffd = open("f", O_RDONLY);
	CHECK_ERRNO(openat2_raw(ffd, "x", &how, sizeof(how)), "dirfd a file");
	close(ffd);
	how.flags = O_RDONLY | O_CLOEXEC;
	long fd = openat2_raw(AT_FDCWD, "f", &how, sizeof(how));
	printf("O_CLOEXEC gives FD_CLOEXEC: %d\n", fd >= 0 && fcntl((int)fd, F_GETFD) == FD_CLOEXEC);
	close((int)fd);
	how.flags = O_RDWR | O_APPEND;
	fd = openat2_raw(AT_FDCWD, "f", &how, sizeof(how));
	printf("status flags: %s\n", fd >= 0 && (fcntl((int)fd, F_GETFL) & (O_ACCMODE | O_APPEND)) == (O_RDWR | O_APPEND) ? "O_RDWR|O_APPEND" : "wrong");
	close((int)fd);
}

static void no_symlinks(int d)
{
	const uint64_t R = RESOLVE_NO_SYMLINKS;
	try("NO_SYMLINKS plain", d, "f", O_RDONLY, 0, R);
	try("NO_SYMLINKS trailing link", d, "rel", O_RDONLY, 0, R);
	try("NO_SYMLINKS trailing link O_NOFOLLOW", d, "rel", O_RDONLY | O_NOFOLLOW, 0, R);
	try("NO_SYMLINKS trailing link O_PATH|O_NOFOLLOW", d, "rel", O_PATH | O_NOFOLLOW, 0, R);
	try("NO_SYMLINKS link in the middle", AT_FDCWD, "dlink/f", O_RDONLY, 0, R);
	try("NO_SYMLINKS ..", d, "sub/../f", O_RDONLY, 0, R);
	try("NO_SYMLINKS O_CREAT through link", d, "dangling", O_CREAT | O_WRONLY, 0644, R);
	try("NO_SYMLINKS /proc/self", AT_FDCWD, "/proc/self/status", O_RDONLY, 0, R);
	try("without: link in the middle", AT_FDCWD, "dlink/f", O_RDONLY, 0, 0);
	try("without: chain", d, "chain", O_RDONLY, 0, 0);
	try("without: loop", d, "loop", O_RDONLY, 0, 0);
}

static void no_magiclinks(int d)
{
	const uint64_t R = RESOLVE_NO_MAGICLINKS;
	int fd = openat(d, "f", O_RDONLY);
	char p[64];
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	try("fd link", AT_FDCWD, p, O_RDONLY, 0, 0);
	try("NO_MAGICLINKS fd link", AT_FDCWD, p, O_RDONLY, 0, R);
	try("NO_MAGICLINKS fd link O_PATH|O_NOFOLLOW", AT_FDCWD, p, O_PATH | O_NOFOLLOW, 0, R);
	try("NO_MAGICLINKS /proc/self (not magic)", AT_FDCWD, "/proc/self/status", O_RDONLY, 0, R);
	try("NO_MAGICLINKS cwd link in the middle", AT_FDCWD, "/proc/self/cwd/d/f", O_RDONLY, 0, R);
	try("NO_MAGICLINKS exe", AT_FDCWD, "/proc/self/exe", O_RDONLY, 0, R);
	try("NO_MAGICLINKS ordinary link", d, "rel", O_RDONLY, 0, R);
	try("NO_SYMLINKS fd link", AT_FDCWD, p, O_RDONLY, 0, RESOLVE_NO_SYMLINKS);
	try("cwd link in the middle", AT_FDCWD, "/proc/self/cwd/d/f", O_RDONLY, 0, 0);
	int fddir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
	snprintf(p, sizeof(p), "%d", fd);
	try("BENEATH fd link", fddir, p, O_RDONLY, 0, RESOLVE_BENEATH);
	try("IN_ROOT fd link", fddir, p, O_RDONLY, 0, RESOLVE_IN_ROOT);
	try("NO_XDEV fd link to another mount", fddir, p, O_RDONLY, 0, RESOLVE_NO_XDEV);
	snprintf(p, sizeof(p), "%d", fddir);
	try("NO_XDEV fd link to the same mount", fddir, p, O_RDONLY | O_DIRECTORY, 0, RESOLVE_NO_XDEV);
	try("fd link closed", fddir, "1000", O_RDONLY, 0, R);
	close(fddir);
	close(fd);
}

static void no_xdev(int d)
{
	const uint64_t R = RESOLVE_NO_XDEV;
	int m = openat(d, "mnt", O_RDONLY | O_DIRECTORY);
	try("NO_XDEV same mount", d, "sub/g", O_RDONLY, 0, R);
	try("NO_XDEV into mount", d, "mnt/m", O_RDONLY, 0, R);
	try("NO_XDEV onto mountpoint", d, "mnt", O_RDONLY, 0, R);
	try("without: into mount", d, "mnt/m", O_RDONLY, 0, 0);
	try("NO_XDEV inside mount", m, "m", O_RDONLY, 0, R);
	try("NO_XDEV . at mount root", m, ".", O_RDONLY, 0, R);
	try("NO_XDEV .. out of mount", m, "../f", O_RDONLY, 0, R);
	try("NO_XDEV absolute link out of mount", m, "toroot", O_RDONLY | O_DIRECTORY, 0, R);
	try("NO_XDEV relative link out of mount", m, "toout", O_RDONLY, 0, R);
	try("NO_XDEV link within mount", m, "tom", O_RDONLY, 0, R);
	try("NO_XDEV O_CREAT in mount", m, "newm", O_CREAT | O_RDWR, 0644, R);
	try("NO_XDEV O_CREAT across", d, "mnt/newx", O_CREAT | O_RDWR, 0644, R);
	try("NO_XDEV|BENEATH into mount", d, "mnt/m", O_RDONLY, 0, R | RESOLVE_BENEATH);
	close(m);
}

static void beneath(int d)
{
	const uint64_t R = RESOLVE_BENEATH;
	try("BENEATH plain", d, "f", O_RDONLY, 0, R);
	try("BENEATH sub/..", d, "sub/../f", O_RDONLY, 0, R);
	try("BENEATH ..", d, "..", O_RDONLY, 0, R);
	try("BENEATH ../outside", d, "../outside", O_RDONLY, 0, R);
	try("BENEATH sub/../../outside", d, "sub/../../outside", O_RDONLY, 0, R);
	try("BENEATH absolute", d, "/", O_RDONLY, 0, R);
	try("BENEATH absolute, bad dirfd", 99, "/", O_RDONLY, 0, R);
	try("BENEATH relative link", d, "rel", O_RDONLY, 0, R);
	try("BENEATH link with .. inside", d, "sub/back", O_RDONLY, 0, R);
	try("BENEATH link with .. out", d, "up", O_RDONLY, 0, R);
	try("BENEATH link to ..", d, "dotdot", O_RDONLY, 0, R);
	try("BENEATH absolute link", d, "abs", O_RDONLY, 0, R);
	try("BENEATH into mount", d, "mnt/m", O_RDONLY, 0, R);
	try("BENEATH mount ..", d, "mnt/../f", O_RDONLY, 0, R);
	try("BENEATH cwd", AT_FDCWD, "d/f", O_RDONLY, 0, R);
	try("BENEATH cwd ..", AT_FDCWD, "../x", O_RDONLY, 0, R);
	int sub = openat(d, "sub", O_RDONLY | O_DIRECTORY);
	try("BENEATH from sub: ../f", sub, "../f", O_RDONLY, 0, R);
	try("BENEATH from sub: .", sub, ".", O_RDONLY, 0, R);
	close(sub);
	try("BENEATH O_CREAT", d, "new", O_CREAT | O_RDWR, 0644, R);
	try("BENEATH O_CREAT ..", d, "../escaped", O_CREAT | O_RDWR, 0644, R);
	try("BENEATH O_CREAT of ..", d, "..", O_CREAT | O_RDWR, 0644, R);
	try("O_CREAT of ..", d, "..", O_CREAT | O_RDWR, 0644, 0);
	struct stat st;
	printf("escaped exists: %d\n", stat("escaped", &st) == 0);
}

static void in_root(int d)
{
	const uint64_t R = RESOLVE_IN_ROOT;
	try("IN_ROOT plain", d, "f", O_RDONLY, 0, R);
	try("IN_ROOT absolute", d, "/f", O_RDONLY, 0, R);
	try("IN_ROOT /", d, "/", O_RDONLY, 0, R);
	try("IN_ROOT ..", d, "..", O_RDONLY, 0, R);
	try("IN_ROOT ../../f", d, "../../f", O_RDONLY, 0, R);
	try("IN_ROOT /../sub/g", d, "/../sub/g", O_RDONLY, 0, R);
	try("IN_ROOT absolute link", d, "abs", O_RDONLY, 0, R);
	try("IN_ROOT absolute link to /f", d, "absf", O_RDONLY, 0, R);
	try("IN_ROOT link to ../outside", d, "up", O_RDONLY, 0, R);
	try("IN_ROOT link to ..", d, "dotdot", O_RDONLY, 0, R);
	try("IN_ROOT mount then ../..", d, "mnt/../../f", O_RDONLY, 0, R);
	int ffd = open("f", O_RDONLY);
	try("IN_ROOT absolute, dirfd a file", ffd, "/x", O_RDONLY, 0, R);
	close(ffd);
	int m = openat(d, "mnt", O_RDONLY | O_DIRECTORY);
	try("IN_ROOT in mount: ../f", m, "../f", O_RDONLY, 0, R);
	try("IN_ROOT in mount: absolute link", m, "toroot/f", O_RDONLY, 0, R);
	close(m);
	try("IN_ROOT O_CREAT absolute", d, "/made", O_CREAT | O_RDWR, 0644, R);
	struct stat st;
	printf("d/made exists: %d, made exists: %d\n", stat("d/made", &st) == 0, stat("made", &st) == 0);
	try("without: link to ../outside", d, "up", O_RDONLY, 0, 0);
}

static int setup(void)
{
	mkdir("d", 0755);
	mkdir("d/sub", 0755);
	mkdir("d/mnt", 0755);
	write_file("f", "top f\n", 0644);
	write_file("outside", "outside\n", 0644);
	write_file("d/f", "d/f\n", 0644);
	write_file("d/sub/g", "g\n", 0644);
	write_file("d/mnt/f", "hidden by the mount\n", 0644);
	symlink("f", "d/rel");
	symlink("/", "d/abs");
	symlink("/f", "d/absf");
	symlink("../outside", "d/up");
	symlink("..", "d/dotdot");
	symlink("../f", "d/sub/back");
	symlink("rel", "d/chain");
	symlink("loop", "d/loop");
	symlink("nowhere", "d/dangling");
	symlink("d", "dlink");
	if (mount("tmpfs", "d/mnt", "tmpfs", 0, "size=64k") != 0) {
		printf("mount tmpfs: %s\n", errname(errno));
		return -1;
	}
	write_file("d/mnt/m", "m\n", 0644);
	symlink("/", "d/mnt/toroot");
	symlink("../outside", "d/mnt/toout");
	symlink("m", "d/mnt/tom");
	mounted_proc = check_mount_proc();
	learn();
	return 0;
}

int test_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	if (setup() < 0)
		return 1;
	int d = open("d", O_RDONLY | O_DIRECTORY);
	sizes();
	flag_checks();
	no_symlinks(d);
	no_magiclinks(d);
	no_xdev(d);
	beneath(d);
	in_root(d);
	close(d);
	umount("d/mnt");
	if (mounted_proc)
		umount("/proc");
	return 0;
}
