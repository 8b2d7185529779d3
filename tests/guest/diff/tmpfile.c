/* O_TMPFILE: flag checks (EINVAL before the name is read), the directory's errors
 * (ENOENT, ENOTDIR, EOPNOTSUPP on /proc, EROFS, EACCES), and on the root filesystem
 * (hostfs or ext4) and on a tmpfs: the unnamed file's mode, links, status flags,
 * /proc/self/fd text "DIR/#INO (deleted)", its absence from the directory, data,
 * naming it with linkat (AT_EMPTY_PATH and /proc/self/fd with AT_SYMLINK_FOLLOW),
 * O_EXCL and a second link after an unlink refused (ENOENT), EEXIST, EXDEV, a reopen
 * through /proc, and on tmpfs the inode given back at the last close. */
#include "check.h"
#include <sys/mount.h>
#include <sys/statvfs.h>

static int mounted_proc;

static int tmpfile_in(const char *dir, int flags, mode_t mode)
{
	return open(dir, O_TMPFILE | flags, mode);
}

static void flag_checks(void)
{
	CHECK_ERRNO(open(".", O_TMPFILE | O_RDONLY, 0600), "O_TMPFILE read-only");
	CHECK_ERRNO(open(".", (O_TMPFILE & ~O_DIRECTORY) | O_RDWR, 0600), "without O_DIRECTORY");
	CHECK_ERRNO(open(".", O_TMPFILE | O_RDWR | O_CREAT, 0600), "with O_CREAT");
	CHECK_ERRNO(open("newdir", O_CREAT | O_DIRECTORY | O_RDWR, 0600), "O_CREAT|O_DIRECTORY");
	CHECK_ERRNO(open((char *)1, O_TMPFILE | O_RDONLY, 0600), "read-only, bad name");
	CHECK_ERRNO(open((char *)1, O_TMPFILE | O_RDWR, 0600), "bad name");
	CHECK_ERRNO(openat(AT_FDCWD, "missing", O_TMPFILE | O_RDWR, 0600), "missing dir");
	CHECK_ERRNO(openat(AT_FDCWD, "plain", O_TMPFILE | O_RDWR, 0600), "a regular file");
	CHECK_ERRNO(openat(AT_FDCWD, "plain/", O_TMPFILE | O_RDWR, 0600), "a regular file/");
	CHECK_ERRNO(open("/proc", O_TMPFILE | O_RDWR, 0600), "/proc");
	CHECK_ERRNO(open("ro", O_TMPFILE | O_RDWR, 0600), "read-only tmpfs");
	int fd = open("dirlink", O_TMPFILE | O_RDWR, 0600);
	CHECK_ERRNO(fd, "through a symlink");
	close(fd);
	CHECK_ERRNO(open("dirlink", O_TMPFILE | O_RDWR | O_NOFOLLOW, 0600), "O_NOFOLLOW symlink");
	fd = open(".", O_TMPFILE | O_RDWR | O_PATH, 0600);
	SHOW_BOOL("O_PATH wins: a path of the directory", fd >= 0 && (fcntl(fd, F_GETFL) & O_PATH));
	close(fd);
}

/* "DIR/#INO (deleted)" with DIR the absolute path of dir */
static void show_link(const char *label, int fd, const char *dir)
{
	char link[64], text[512], want[600], cwd[256];
	struct stat st;
	fstat(fd, &st);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, text, sizeof(text) - 1);
	text[n < 0 ? 0 : n] = 0;
	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = 0;
	snprintf(want, sizeof(want), "%s/%s/#%llu (deleted)", cwd, dir, (unsigned long long)st.st_ino);
	if (!strcmp(dir, "."))
		snprintf(want, sizeof(want), "%s/#%llu (deleted)", cwd, (unsigned long long)st.st_ino);
	printf("%s: link %s\n", label, strcmp(text, want) ? text : "DIR/#INO (deleted)");
}

static void show_file(const char *label, int fd)
{
	struct stat st;
	if (fstat(fd, &st)) {
		printf("%s: fstat %s\n", label, errname(errno));
		return;
	}
	int fl = fcntl(fd, F_GETFL);
	printf("%s: reg %d mode %04o nlink %ld size %lld own %d tmpfile-flags %d acc %d\n", label,
	       S_ISREG(st.st_mode), st.st_mode & 07777, (long)st.st_nlink, (long long)st.st_size,
	       st.st_uid == geteuid() && st.st_gid == getegid(),
	       (fl & O_TMPFILE) == O_TMPFILE, fl & O_ACCMODE);
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void show_named(const char *label, const char *path, int fd)
{
	struct stat a, b;
	char buf[32] = "";
	if (stat(path, &a)) {
		printf("%s: stat %s\n", label, errname(errno));
		return;
	}
	fstat(fd, &b);
	int f = open(path, O_RDONLY);
	ssize_t n = read(f, buf, sizeof(buf) - 1);
	buf[n < 0 ? 0 : n] = 0;
	close(f);
	printf("%s: same %d nlink %ld mode %04o data '%s'\n", label,
	       a.st_ino == b.st_ino && a.st_dev == b.st_dev, (long)a.st_nlink, a.st_mode & 07777, buf);
}

static void naming(const char *dir)
{
	char named[64], named2[64], link[64];
	int before = entries(dir);
	int fd = tmpfile_in(dir, O_RDWR, 0640);
	CHECK_ERRNO(fd, "open");
	show_file("new", fd);
	show_link("new", fd, dir);
	SHOW_BOOL("not in the directory", entries(dir) == before);
	CHECK_VAL(write(fd, "hello", 5), "write");
	char buf[8] = "";
	CHECK_VAL(pread(fd, buf, sizeof(buf) - 1, 0), "pread");
	SHOW_STR("data", buf);

	snprintf(named, sizeof(named), "%s/named", dir);
	snprintf(named2, sizeof(named2), "%s/named2", dir);
	CHECK_ERRNO(linkat(fd, "", AT_FDCWD, named, AT_EMPTY_PATH), "linkat AT_EMPTY_PATH");
	show_named("named", named, fd);
	show_file("after link", fd);
	show_link("after link", fd, dir);
	SHOW_BOOL("one more entry", entries(dir) == before + 1);
	CHECK_ERRNO(linkat(fd, "", AT_FDCWD, named, AT_EMPTY_PATH), "linkat over a name");
	CHECK_ERRNO(linkat(fd, "", AT_FDCWD, "elsewhere/x", AT_EMPTY_PATH), "linkat to another mount");
	CHECK_ERRNO(linkat(fd, "", AT_FDCWD, named2, AT_EMPTY_PATH), "second name");
	show_file("two names", fd);
	CHECK_ERRNO(unlink(named), "unlink");
	CHECK_ERRNO(unlink(named2), "unlink 2");
	show_file("unlinked", fd);
	CHECK_ERRNO(linkat(fd, "", AT_FDCWD, named, AT_EMPTY_PATH), "linkat once unlinked");
	close(fd);

	fd = tmpfile_in(dir, O_RDWR | O_EXCL, 0600);
	CHECK_ERRNO(fd, "open O_EXCL");
	show_file("excl", fd);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	CHECK_ERRNO(linkat(fd, "", AT_FDCWD, named, AT_EMPTY_PATH), "O_EXCL: linkat AT_EMPTY_PATH");
	CHECK_ERRNO(linkat(AT_FDCWD, link, AT_FDCWD, named, AT_SYMLINK_FOLLOW), "O_EXCL: linkat /proc");
	close(fd);

	fd = tmpfile_in(dir, O_WRONLY, 0600);
	CHECK_ERRNO(fd, "open O_WRONLY");
	show_file("write-only", fd);
	CHECK_VAL(write(fd, "abc", 3), "write");
	CHECK_VAL(read(fd, buf, 1), "read");
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	int rd = open(link, O_RDONLY);
	CHECK_ERRNO(rd, "reopen through /proc");
	memset(buf, 0, sizeof(buf));
	CHECK_VAL(read(rd, buf, sizeof(buf) - 1), "read reopened");
	SHOW_STR("reopened data", buf);
	close(rd);
	CHECK_ERRNO(fchmod(fd, 0604), "fchmod");
	CHECK_ERRNO(ftruncate(fd, 2), "ftruncate");
	show_file("changed", fd);
	CHECK_ERRNO(linkat(AT_FDCWD, link, AT_FDCWD, named, AT_SYMLINK_FOLLOW), "linkat /proc");
	CHECK_ERRNO(linkat(AT_FDCWD, link, AT_FDCWD, named2, 0), "linkat /proc, no follow");
	show_named("named", named, fd);
	close(fd);
	CHECK_ERRNO(unlink(named), "unlink");
}

static void inode_given_back(void)
{
	struct statvfs a, b;
	statvfs("t", &a);
	int fd = tmpfile_in("t", O_RDWR, 0600);
	statvfs("t", &b);
	SHOW_INT("tmpfs: inodes taken by an open tmpfile", (long long)a.f_ffree - (long long)b.f_ffree);
	close(fd);
	statvfs("t", &b);
	SHOW_INT("tmpfs: inodes taken after close", (long long)a.f_ffree - (long long)b.f_ffree);
}

static void as_user(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (setresuid(1000, 1000, 1000)) {
			printf("cannot become uid 1000\n");
			_exit(1);
		}
		CHECK_ERRNO(open("locked", O_TMPFILE | O_RDWR, 0600), "uid 1000, no write permission");
		int fd = open("open", O_TMPFILE | O_RDWR, 0600);
		CHECK_ERRNO(fd, "uid 1000, writable directory");
		show_file("uid 1000", fd);
		CHECK_ERRNO(linkat(fd, "", AT_FDCWD, "open/mine", AT_EMPTY_PATH), "uid 1000: linkat AT_EMPTY_PATH");
		char link[64];
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		CHECK_ERRNO(linkat(AT_FDCWD, link, AT_FDCWD, "open/mine", AT_SYMLINK_FOLLOW), "uid 1000: linkat /proc");
		struct stat st;
		CHECK_ERRNO(stat("open/mine", &st), "uid 1000: stat the name");
		printf("uid 1000: owner %d mode %04o\n", st.st_uid, st.st_mode & 07777);
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
}

int test_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	mounted_proc = check_mount_proc();
	close(open("plain", O_CREAT | O_WRONLY, 0644));
	mkdir("t", 0755);
	mkdir("ro", 0755);
	mkdir("elsewhere", 0755);
	mkdir("locked", 0755);
	mkdir("open", 0777);
	symlink(".", "dirlink");
	chmod(".", 0755);
	chmod("open", 0777);
	if (mount("none", "t", "tmpfs", 0, NULL) || mount("none", "ro", "tmpfs", MS_RDONLY, NULL) ||
	    mount("none", "elsewhere", "tmpfs", 0, NULL)) {
		printf("mount tmpfs: %s\n", errname(errno));
		return 1;
	}
	flag_checks();
	printf("--- root filesystem\n");
	naming(".");
	printf("--- tmpfs\n");
	naming("t");
	inode_given_back();
	as_user();
	umount("t");
	umount("ro");
	umount("elsewhere");
	if (mounted_proc)
		umount("/proc");
	return 0;
}
