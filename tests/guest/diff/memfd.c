/* memfd_create: flag and name checks (EINVAL, EFAULT, the 249-byte name limit), the
 * file (mode, no links, O_RDWR, MFD_CLOEXEC), its /proc/self/fd link text, data seen
 * alike through read, write and shared mappings, reopening through /proc, and seals:
 * F_SEAL_SEAL without MFD_ALLOW_SEALING, SHRINK, GROW, WRITE (EBUSY while a writable
 * shared mapping exists), FUTURE_WRITE, EXEC and MFD_NOEXEC_SEAL, F_ADD_SEALS on a
 * read-only descriptor, and seals asked of files that are not memfds. */
#include "check.h"
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

static int mounted_proc;

static long mfd(const char *name, unsigned flags)
{
	return syscall(SYS_memfd_create, name, flags);
}

static void show_file(const char *label, int fd)
{
	struct stat st;
	char link[64], text[512];
	if (fstat(fd, &st) != 0) {
		printf("%s: fstat %s\n", label, errname(errno));
		return;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, text, sizeof(text) - 1);
	text[n < 0 ? 0 : n] = 0;
	int fl = fcntl(fd, F_GETFL);
	printf("%s: reg %d mode %04o nlink %ld size %lld own %d cloexec %d acc %s link '%s'\n", label,
	       S_ISREG(st.st_mode), st.st_mode & 07777, (long)st.st_nlink, (long long)st.st_size,
	       st.st_uid == geteuid() && st.st_gid == getegid(), fcntl(fd, F_GETFD) == FD_CLOEXEC,
	       (fl & O_ACCMODE) == O_RDWR ? "rdwr" : "other", text);
}

static void seals_of(const char *label, int fd)
{
	CHECK_VAL(fcntl(fd, F_GET_SEALS), label);
}

static void creation(void)
{
	int fd = (int)mfd("test", 0);
	show_file("plain", fd);
	close(fd);
	fd = (int)mfd("test", MFD_CLOEXEC);
	show_file("MFD_CLOEXEC", fd);
	close(fd);
	fd = (int)mfd("", MFD_ALLOW_SEALING);
	show_file("empty name", fd);
	close(fd);
	fd = (int)mfd("a/b c", 0);
	show_file("slash and space", fd);
	close(fd);
	char name[300];
	memset(name, 'n', sizeof(name));
	name[249] = 0;
	fd = (int)CHECK_ERRNO(mfd(name, 0), "name of 249");
	close(fd);
	name[249] = 'n';
	name[250] = 0;
	CHECK_ERRNO(mfd(name, 0), "name of 250");
	name[250] = 'n';
	name[299] = 0;
	CHECK_ERRNO(mfd(name, 0), "name of 299");
	/* names ending at the edge of readable memory */
	char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(page + 4096, 4096);
	memset(page + 4096 - 250, 'e', 250);
	CHECK_ERRNO(mfd(page + 4096 - 250, 0), "250 bytes, no end, then unreadable");
	CHECK_ERRNO(mfd(page + 4096 - 249, 0), "249 bytes, no end, then unreadable");
	page[4095] = 0;
	fd = (int)CHECK_ERRNO(mfd(page + 4096 - 250, 0), "249 bytes and the end at the edge");
	close(fd);
	munmap(page, 4096);
	CHECK_ERRNO(mfd(NULL, 0), "name NULL");
	CHECK_ERRNO(mfd((const char *)8, 0), "name bad pointer");
	CHECK_ERRNO(mfd("x", 0x100), "unknown flag");
	CHECK_ERRNO(mfd(NULL, 0x100), "unknown flag, bad name");
	CHECK_ERRNO(mfd("x", MFD_EXEC | MFD_NOEXEC_SEAL), "MFD_EXEC|MFD_NOEXEC_SEAL");
	fd = (int)mfd("exec", MFD_EXEC);
	show_file("MFD_EXEC", fd);
	seals_of("MFD_EXEC seals", fd);
	close(fd);
	fd = (int)mfd("noexec", MFD_NOEXEC_SEAL);
	show_file("MFD_NOEXEC_SEAL", fd);
	seals_of("MFD_NOEXEC_SEAL seals", fd);
	CHECK_ERRNO(fchmod(fd, 0777), "NOEXEC_SEAL chmod 0777");
	CHECK_ERRNO(fchmod(fd, 0600), "NOEXEC_SEAL chmod 0600");
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW), "NOEXEC_SEAL may take more seals");
	seals_of("  seals", fd);
	close(fd);
}

static void data(void)
{
	int fd = (int)mfd("data", 0);
	CHECK_VAL(write(fd, "hello world", 11), "write");
	CHECK_VAL(lseek(fd, 0, SEEK_CUR), "position");
	CHECK_ERRNO(ftruncate(fd, 8192), "ftruncate 8192");
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		printf("mmap: %s\n", errname(errno));
		close(fd);
		return;
	}
	printf("mapped sees: %.11s\n", p);
	memcpy(p + 6, "WORLD", 5);
	memcpy(p + 4096, "second page", 11);
	char buf[32] = { 0 };
	CHECK_VAL(pread(fd, buf, 11, 0), "pread");
	printf("read sees: %s\n", buf);
	CHECK_VAL(pread(fd, buf, 11, 4096), "pread page 2");
	printf("read sees: %s\n", buf);
	munmap(p, 8192);

	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	int again = open(link, O_RDWR);
	show_file("reopened", again);
	memset(buf, 0, sizeof(buf));
	CHECK_VAL(read(again, buf, 5), "read reopened");
	printf("reopened sees: %s\n", buf);
	struct stat a, b;
	fstat(fd, &a);
	fstat(again, &b);
	SHOW_BOOL("same inode", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	close(again);
	CHECK_ERRNO(linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH), "linkat a memfd");
	CHECK_ERRNO(fchmod(fd, 0640), "fchmod");
	show_file("after fchmod", fd);
	close(fd);
}

static void seals(void)
{
	int fd = (int)mfd("noseal", 0);
	seals_of("no ALLOW_SEALING", fd);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), "add WRITE");
	close(fd);

	fd = (int)mfd("seal", MFD_ALLOW_SEALING);
	seals_of("ALLOW_SEALING", fd);
	CHECK_VAL(write(fd, "0123456789", 10), "write 10");
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, 0x100), "add unknown seal");
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), "add SHRINK");
	CHECK_ERRNO(ftruncate(fd, 5), "  shrink");
	CHECK_ERRNO(ftruncate(fd, 20), "  grow");
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW), "add GROW");
	CHECK_ERRNO(ftruncate(fd, 30), "  grow");
	CHECK_ERRNO(ftruncate(fd, 20), "  same size");
	CHECK_VAL(pwrite(fd, "ab", 2, 18), "  write at the end");
	CHECK_VAL(pwrite(fd, "abcd", 4, 18), "  write across the end");
	CHECK_VAL(pwrite(fd, "x", 1, 20), "  write past the end");
	CHECK_ERRNO(fallocate(fd, 0, 0, 40), "  fallocate past the end");
	seals_of("  seals", fd);

	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK_ERRNO(p == MAP_FAILED ? -1 : 0, "mmap shared writable");
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), "add WRITE while mapped");
	munmap(p, 4096);
	/* a shared mapping of a writable descriptor may become writable: it counts */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), "add WRITE, read-only mapping");
	munmap(p, 4096);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), "add WRITE, private mapping");
	munmap(p, 4096);
	CHECK_VAL(pwrite(fd, "z", 1, 0), "  write");
	CHECK_ERRNO(ftruncate(fd, 20), "  truncate to the same size");
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK_ERRNO(p == MAP_FAILED ? -1 : 0, "  mmap shared writable");
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK_ERRNO(p == MAP_FAILED ? -1 : 0, "  mmap private writable");
	if (p != MAP_FAILED) {
		p[0] = 'Q';
		char c;
		pread(fd, &c, 1, 0);
		printf("  private write stays private: %d\n", c == '0');
		munmap(p, 4096);
	}
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	int ro = open(link, O_RDONLY);
	seals_of("  seals through a read-only reopen", ro);
	CHECK_ERRNO(fcntl(ro, F_ADD_SEALS, F_SEAL_SEAL), "  add SEAL read-only");
	CHECK_ERRNO(fcntl(ro, F_ADD_SEALS, 0x100), "  add unknown read-only");
	close(ro);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL), "add SEAL");
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, 0), "add nothing after SEAL");
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, 0x100), "add unknown after SEAL");
	seals_of("  seals", fd);
	close(fd);

	fd = (int)mfd("future", MFD_ALLOW_SEALING);
	ftruncate(fd, 4096);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE), "add FUTURE_WRITE while mapped");
	p[0] = 'M';
	char c = 0;
	pread(fd, &c, 1, 0);
	printf("  old mapping still writes: %d\n", c == 'M');
	CHECK_VAL(pwrite(fd, "w", 1, 1), "  write");
	char *q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK_ERRNO(q == MAP_FAILED ? -1 : 0, "  new shared writable mapping");
	munmap(p, 4096);
	close(fd);

	fd = (int)mfd("exec", MFD_ALLOW_SEALING);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC), "add EXEC to 0777");
	seals_of("  seals", fd);
	close(fd);
	fd = (int)mfd("exec", MFD_ALLOW_SEALING);
	fchmod(fd, 0644);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC), "add EXEC to 0644");
	seals_of("  seals", fd);
	CHECK_ERRNO(fchmod(fd, 0755), "  chmod 0755");
	CHECK_ERRNO(fchmod(fd, 0600), "  chmod 0600");
	close(fd);
}

static void not_memfds(void)
{
	int fd = open("file", O_RDWR | O_CREAT, 0644);
	seals_of("regular file", fd);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL), "add to a regular file");
	close(fd);
	fd = open("file", O_RDONLY);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL), "add to a read-only regular file");
	close(fd);
	int pfd[2];
	pipe(pfd);
	seals_of("pipe", pfd[1]);
	CHECK_ERRNO(fcntl(pfd[1], F_ADD_SEALS, F_SEAL_SEAL), "add to a pipe");
	close(pfd[0]);
	close(pfd[1]);
	mkdir("t", 0755);
	if (mount("tmpfs", "t", "tmpfs", 0, "size=64k") != 0) {
		printf("mount tmpfs: %s\n", errname(errno));
		return;
	}
	fd = open("t/f", O_RDWR | O_CREAT, 0644);
	seals_of("tmpfs file", fd);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), "add to a tmpfs file");
	write(fd, "x", 1);
	seals_of("tmpfs file with data", fd);
	close(fd);
	fd = open("t", O_RDONLY | O_DIRECTORY);
	seals_of("tmpfs directory", fd);
	close(fd);
	umount("t");
}

int test_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	mounted_proc = check_mount_proc();
	creation();
	data();
	seals();
	not_memfds();
	if (mounted_proc)
		umount("/proc");
	return 0;
}
