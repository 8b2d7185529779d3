/* working directory: chdir/fchdir/getcwd (printed relative to the scratch
 * dir), relative path resolution, ".." at "/", getcwd ERANGE, chdir errors
 * (ENOENT, ENOTDIR, EACCES as non-root), cwd removed under us, cwd through
 * a symlink is reported physically, cwd inherited by children, openat with
 * dirfds, chroot (paths and ".." confined). */
#include "check.h"
#include <sys/syscall.h>

static void pwd(const char *label)
{
	char b[4096];
	if (getcwd(b, sizeof b))
		printf("%s: %s\n", label, scratch_rel(b));
	else
		printf("%s: getcwd %s\n", label, errname(errno));
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	pwd("initial cwd");
	mkdir("a", 0755);
	mkdir("a/b", 0755);
	mkdir("a/b/c", 0755);
	write_file("a/b/file", "in b", 0644);

	CHECK_ERRNO(chdir("a/b"), "chdir a/b");
	pwd("cwd");
	char buf[64];
	read_file("file", buf, sizeof buf);
	printf("relative open file: %s\n", buf);
	CHECK_ERRNO(chdir("c/../../b/./c"), "chdir c/../../b/./c");
	pwd("cwd");
	CHECK_ERRNO(chdir(".."), "chdir ..");
	pwd("cwd");
	CHECK_ERRNO(chdir("file"), "chdir to a file");
	CHECK_ERRNO(chdir("nope"), "chdir missing");
	CHECK_ERRNO(chdir(""), "chdir empty");
	pwd("cwd unchanged after errors");

	/* fchdir */
	int top = open(scratch, O_RDONLY | O_DIRECTORY);
	CHECK_ERRNO(fchdir(top), "fchdir to scratch");
	pwd("cwd");
	int ffd = open("a/b/file", O_RDONLY);
	CHECK_ERRNO(fchdir(ffd), "fchdir to file fd");
	CHECK_ERRNO(fchdir(99), "fchdir bad fd");
	close(ffd);

	/* getcwd buffer sizes */
	char small[4];
	errno = 0;
	SHOW_BOOL("getcwd(small, 4) fails", getcwd(small, sizeof small) == NULL);
	SHOW_ERR("  errno", errno);
	SHOW_BOOL("getcwd(buf, 0) fails", getcwd(buf, 0) == NULL);
	SHOW_ERR("  errno", errno);
	char *dyn = getcwd(NULL, 0);
	printf("getcwd(NULL, 0): %s\n", dyn ? scratch_rel(dyn) : errname(errno));
	free(dyn);
	char raw[4096];
	long n = syscall(79 /* getcwd */, raw, sizeof raw);
	printf("raw getcwd returns strlen+1: %d\n", n == (long)strlen(raw) + 1);

	/* "/" and ".." at the root */
	CHECK_ERRNO(chdir("/"), "chdir /");
	pwd("cwd");
	CHECK_ERRNO(chdir(".."), "chdir .. at /");
	char rb[16];
	getcwd(rb, sizeof rb);
	printf("cwd after .. at /: %s\n", rb);
	struct stat s1, s2;
	stat("/", &s1);
	stat("/..", &s2);
	SHOW_BOOL("/.. is /", s1.st_ino == s2.st_ino && s1.st_dev == s2.st_dev);
	fchdir(top);

	/* symlink to a directory: getcwd is physical */
	symlink("a/b", "blink");
	CHECK_ERRNO(chdir("blink"), "chdir via symlink");
	pwd("cwd via symlink");
	CHECK_ERRNO(chdir(".."), "chdir .. from there");
	pwd("cwd");
	fchdir(top);

	/* children inherit the cwd; their chdir does not affect us */
	chdir("a");
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		char b[4096];
		getcwd(b, sizeof b);
		int ok = strcmp(scratch_rel(b), "/a") == 0;
		chdir("b");
		_exit(ok ? 0 : 1);
	}
	SHOW_STATUS("child inherits cwd (0=yes)", wait_for(p));
	pwd("parent cwd after child's chdir");
	fchdir(top);

	/* removed cwd */
	mkdir("doomed", 0755);
	chdir("doomed");
	CHECK_ERRNO(rmdir("../doomed"), "rmdir our own cwd");
	errno = 0;
	char *g = getcwd(buf, sizeof buf);
	printf("getcwd in removed dir: %s\n", g ? "ok" : errname(errno));
	CHECK_ERRNO(open("newfile", O_CREAT | O_WRONLY, 0644), "create file in removed cwd");
	CHECK_ERRNO(mkdir("newdir", 0755), "mkdir in removed cwd");
	struct stat st;
	CHECK_ERRNO(stat(".", &st), "stat . in removed cwd");
	printf("nlink of removed cwd: %ld\n", (long)st.st_nlink);
	CHECK_ERRNO(chdir(".."), "chdir .. from removed cwd");
	pwd("cwd");
	fchdir(top);

	/* openat relative to dirfds */
	int dfd = open("a/b", O_RDONLY | O_DIRECTORY);
	int fd = openat(dfd, "file", O_RDONLY);
	CHECK_ERRNO(fd, "openat(dirfd, file)");
	close(fd);
	CHECK_ERRNO(openat(dfd, "../b/file", O_RDONLY), "openat(dirfd, ../b/file)");
	CHECK_ERRNO(openat(dfd, "missing", O_RDONLY), "openat(dirfd, missing)");
	fd = openat(99, "a/b/file", O_RDONLY);
	CHECK_ERRNO(fd, "openat(bad fd, relative)");
	int abs = openat(99, "/", O_RDONLY);
	CHECK_ERRNO(abs, "openat(bad fd, absolute)");
	close(dfd);

	/* EACCES as non-root */
	chmod(".", 0755);
	mkdir("locked", 0700);
	mkdir("noexec", 0644);
	chmod("noexec", 0644);
	fflush(stdout);
	p = fork();
	if (p == 0) {
		setresgid(1000, 1000, 1000);
		setresuid(1000, 1000, 1000);
		CHECK_ERRNO(chdir("locked"), "uid 1000: chdir into 0700 root dir");
		CHECK_ERRNO(chdir("noexec"), "uid 1000: chdir into 0644 dir");
		fflush(stdout);
		_exit(0);
	}
	wait_for(p);

	/* chroot */
	mkdir("jail", 0755);
	mkdir("jail/etc", 0755);
	write_file("jail/etc/hello", "jailed", 0644);
	fflush(stdout);
	p = fork();
	if (p == 0) {
		CHECK_ERRNO(chroot("jail"), "chroot jail");
		CHECK_ERRNO(chdir("/"), "chdir / inside jail");
		char b[64];
		read_file("/etc/hello", b, sizeof b);
		printf("read /etc/hello in jail: %s\n", b);
		read_file("/../../etc/hello", b, sizeof b);
		printf("read /../../etc/hello in jail: %s\n", b);
		getcwd(b, sizeof b);
		printf("getcwd in jail: %s\n", b);
		CHECK_ERRNO(access("/tmp", F_OK), "access /tmp in jail");
		CHECK_ERRNO(chroot("/nonexistent"), "chroot missing");
		fflush(stdout);
		_exit(0);
	}
	wait_for(p);
	p = fork();
	if (p == 0) {
		setresuid(1000, 1000, 1000);
		CHECK_ERRNO(chroot("jail"), "chroot as uid 1000");
		fflush(stdout);
		_exit(0);
	}
	wait_for(p);
	close(top);
	return 0;
}
