/* files that lost their names but are still in use: a removed cwd (getcwd ENOENT,
 * /proc/self/cwd " (deleted)", stat, open("."), getdents ENOENT, chmod, nothing created
 * in it, ".." still leads out), a directory renamed over while it is the cwd, and
 * unlinked or renamed-over open files (/proc/self/fd " (deleted)", fstat, reopening
 * through /proc/self/fd). */
#include "check.h"
#include <sys/mount.h>
#include <sys/syscall.h>

/* A /proc link, relative to the scratch dir, with its " (deleted)" suffix kept apart. */
static void show_link(const char *label, const char *path)
{
	char l[4096];
	ssize_t n = readlink(path, l, sizeof l - 1);
	if (n < 0) {
		printf("%s: %s\n", label, errname(errno));
		return;
	}
	l[n] = 0;
	const char *suffix = " (deleted)";
	size_t sl = strlen(suffix);
	int deleted = (size_t)n > sl && strcmp(l + n - sl, suffix) == 0;
	if (deleted)
		l[n - sl] = 0;
	printf("%s: %s%s\n", label, scratch_rel(l), deleted ? " + (deleted)" : "");
}

static void show_cwd(const char *label)
{
	char b[4096];
	if (getcwd(b, sizeof b))
		printf("%s: %s\n", label, scratch_rel(b));
	else
		printf("%s: getcwd %s\n", label, errname(errno));
}

static void removed_cwd(int top)
{
	mkdir("gone", 0755);
	chdir("gone");
	CHECK_ERRNO(rmdir("../gone"), "rmdir the cwd");
	show_cwd("getcwd");
	show_link("/proc/self/cwd", "/proc/self/cwd");
	struct stat st;
	CHECK_ERRNO(stat(".", &st), "stat .");
	printf("  directory %d, nlink %ld\n", S_ISDIR(st.st_mode), (long)st.st_nlink);
	int fd = CHECK_ERRNO(open(".", O_RDONLY | O_DIRECTORY), "open .");
	char d[1024];
	CHECK_ERRNO(syscall(SYS_getdents64, fd, d, sizeof d), "getdents64 on it");
	CHECK_ERRNO(fstat(fd, &st), "fstat on it");
	printf("  nlink %ld\n", (long)st.st_nlink);
	CHECK_ERRNO(chmod(".", 0700), "chmod .");
	stat(".", &st);
	printf("  mode now %o\n", (unsigned)(st.st_mode & 07777));
	CHECK_ERRNO(mkdir("sub", 0755), "mkdir in it");
	CHECK_ERRNO(open("f", O_CREAT | O_WRONLY, 0644), "create in it");
	CHECK_ERRNO(open("f", O_RDONLY), "open a name in it");
	CHECK_ERRNO(chdir(".."), "chdir ..");
	show_cwd("getcwd");
	CHECK_ERRNO(fchdir(fd), "fchdir back into it");
	show_cwd("getcwd");
	close(fd);
	fchdir(top);
}

static void renamed_over_cwd(int top)
{
	mkdir("old", 0755);
	mkdir("new", 0755);
	chdir("old");
	CHECK_ERRNO(rename("../new", "../old"), "rename another dir over the cwd");
	show_cwd("getcwd");
	show_link("/proc/self/cwd", "/proc/self/cwd");
	struct stat st;
	CHECK_ERRNO(stat(".", &st), "stat .");
	printf("  nlink %ld\n", (long)st.st_nlink);
	fchdir(top);
	show_cwd("getcwd after fchdir");
	rmdir("old");
}

static void unlinked_files(void)
{
	char link[64], buf[64];
	write_file("u", "unlinked data", 0644);
	int fd = open("u", O_RDONLY);
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	show_link("fd link before unlink", link);
	CHECK_ERRNO(unlink("u"), "unlink the open file");
	show_link("fd link after unlink", link);
	struct stat st;
	CHECK_ERRNO(fstat(fd, &st), "fstat");
	printf("  nlink %ld size %lld\n", (long)st.st_nlink, (long long)st.st_size);
	int again = CHECK_ERRNO(open(link, O_RDONLY), "reopen through /proc/self/fd");
	memset(buf, 0, sizeof buf);
	CHECK_VAL(read(again, buf, sizeof buf - 1), "read the reopened file");
	SHOW_STR("data", buf);
	close(again);
	CHECK_ERRNO(access("u", F_OK), "the name is gone");
	close(fd);

	write_file("v", "old v", 0644);
	write_file("w", "new v", 0644);
	fd = open("v", O_RDONLY);
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	CHECK_ERRNO(rename("w", "v"), "rename another file over the open file");
	show_link("fd link", link);
	memset(buf, 0, sizeof buf);
	read(fd, buf, sizeof buf - 1);
	SHOW_STR("open file still reads", buf);
	read_file("v", buf, sizeof buf);
	SHOW_STR("the name reads", buf);
	close(fd);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	struct stat st;
	int mounted = 0;
	if (stat("/proc/self", &st) != 0) {
		mkdir("/proc", 0555);
		mounted = mount("proc", "/proc", "proc", 0, NULL) == 0;
	}
	int top = open(".", O_RDONLY | O_DIRECTORY);
	removed_cwd(top);
	renamed_over_cwd(top);
	unlinked_files();
	close(top);
	if (mounted)
		umount("/proc");
	return 0;
}
