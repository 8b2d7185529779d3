/*
 * humfsify: turns a directory holding data/ into a humfs tree (shadow_fs v2), run in
 * that directory as root:
 *
 *   humfsify USER GROUP SIZE     record every file's owner, group, mode and type under
 *                                file_metadata/ and dir_metadata/, give the files to
 *                                USER:GROUP, write the superblock (SIZE: bytes, K, M, G)
 *   humfsify -r                  the reverse: owners, modes and device nodes back into
 *                                data/, then the metadata trees removed
 *
 * Messages and exit codes are those of the humfsify in Debian's uml-utilities; trees are
 * interchangeable with its. Beyond it: set-id and sticky bits are kept, a subdirectory
 * called "metadata" gets its parent's metadata file out of the way (the book's rule),
 * and device nodes and sockets become empty regular files, so the host user they are
 * given to gets no access to host devices through them.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "humfs_format.h"
#include "humfsify.h"

static uid_t owner;
static gid_t group;
static struct progress progress;
static int problems;

/* A name or a number, as Debian's accepts; false if neither. */
static bool lookup_user(const char *arg, uid_t *uid)
{
	struct passwd *pw;
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*arg && !*end && arg[0] != '-') {
		*uid = (uid_t)v;
		return true;
	}
	pw = getpwnam(arg);
	if (pw)
		*uid = pw->pw_uid;
	return pw != NULL;
}

static bool lookup_group(const char *arg, gid_t *gid)
{
	struct group *gr;
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*arg && !*end && arg[0] != '-') {
		*gid = (gid_t)v;
		return true;
	}
	gr = getgrnam(arg);
	if (gr)
		*gid = gr->gr_gid;
	return gr != NULL;
}

static void problem(const char *what, const char *path)
{
	printf("%s '%s' failed - %s\n", what, path, strerror(errno));
	problems++;
}

/* mkdir -p of a metadata directory, owned by the new owner. */
static int make_meta_dir(const char *path)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -1;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST) {
		problem("mkdir", buf);
		return -1;
	}
	if (lchown(buf, owner, group))
		problem("chown", buf);
	return 0;
}

static void write_meta(const char *path, const struct humfs_meta *m)
{
	char line[HUMFS_META_MAX];
	int n = humfs_meta_format(m, line, sizeof(line));
	FILE *f = fopen(path, "w");

	if (!f || n < 0 || fputs(line, f) == EOF || fclose(f)) {
		problem("writing metadata", path);
		return;
	}
	if (lchown(path, owner, group))
		problem("chown", path);
}

static struct humfs_meta meta_of(const struct stat *st)
{
	struct humfs_meta m = { .perm = st->st_mode & 07777, .uid = st->st_uid, .gid = st->st_gid };

	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
		m.type = S_ISCHR(st->st_mode) ? 'c' : 'b';
		m.major = major(st->st_rdev);
		m.minor = minor(st->st_rdev);
	} else if (S_ISSOCK(st->st_mode)) {
		m.type = 's';
	}
	return m;
}

/* A device node or socket in data/ becomes an empty regular file. */
static void defuse_special(const char *data_path, const struct stat *st)
{
	int fd;

	if (!S_ISCHR(st->st_mode) && !S_ISBLK(st->st_mode) && !S_ISSOCK(st->st_mode))
		return;
	if (unlink(data_path)) {
		problem("replacing device node", data_path);
		return;
	}
	fd = open(data_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
	if (fd < 0)
		problem("creating", data_path);
	else
		close(fd);
}

static void give_away(const char *data_path, const struct stat *st)
{
	if (!S_ISLNK(st->st_mode) && chmod(data_path, S_ISDIR(st->st_mode) ? 0755 : 0644))
		problem("chmod", data_path);
	if (lchown(data_path, owner, group))
		problem("chown", data_path);
}

/* The name of directory d's metadata file in dir_metadata/d: "metadata", unless d has a
 * subdirectory of that name. */
static const char *dir_meta_name(const char *data_dir, char *buf, size_t len)
{
	struct stat st;
	char sub[PATH_MAX];

	snprintf(buf, len, "metadata");
	for (unsigned i = 0;; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", data_dir, buf);
		if (lstat(sub, &st) || !S_ISDIR(st.st_mode))
			return buf;
		snprintf(buf, len, i ? ".metadata.%u" : ".metadata", i);
	}
}

static int visit(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char meta[PATH_MAX + 64], name[NAME_MAX + 1];
	const char *rel = path + 4;   /* below "data" */
	struct humfs_meta m = meta_of(st);

	(void)ftw;
	if (flag == FTW_NS || flag == FTW_DNR) {
		problem("reading", path);
		return 0;
	}
	if (*rel == '/')
		rel++;
	progress_step(&progress);
	if (S_ISDIR(st->st_mode)) {
		snprintf(meta, sizeof(meta), "file_metadata/%s", rel);
		make_meta_dir(meta);
		snprintf(meta, sizeof(meta), "dir_metadata/%s", rel);
		make_meta_dir(meta);
		size_t n = strlen(meta);
		snprintf(meta + n, sizeof(meta) - n, "%s%s", n && meta[n - 1] != '/' ? "/" : "",
			 dir_meta_name(path, name, sizeof(name)));
		write_meta(meta, &m);
	} else {
		snprintf(meta, sizeof(meta), "file_metadata/%s", rel);
		if (!hardlink_seen(st, meta))
			write_meta(meta, &m);
		defuse_special(path, st);
	}
	give_away(path, st);
	return 0;
}

static uint64_t data_usage(void);

static int humfsify(const char *user, const char *grp, const char *size, const char *prog)
{
	struct humfs_super sb = { .version = 2, .metadata = "shadow_fs" };
	char buf[256];
	FILE *super;
	int n;

	if (!lookup_user(user, &owner)) {
		printf("User '%s' not present in the password file\n", user);
		return 1;
	}
	if (!lookup_group(grp, &group)) {
		printf("Group '%s' not present in the groups file\n", grp);
		return 1;
	}
	if (humfs_parse_size(size, &sb.total)) {
		printf("Bad filesystem size - '%s'\n", size);
		return 1;
	}
	(void)prog;
	if (access("data", F_OK)) {
		printf("No 'data' directory here: run humfsify in the directory that holds data/\n");
		return 1;
	}
	sb.used = data_usage();
	if (sb.used > sb.total) {
		printf("Current disk usage greater than the requested size - %llu vs %llu\n",
		       (unsigned long long)sb.used, (unsigned long long)sb.total);
		return 1;
	}
	/* Opened before the walk, so a tree where it can't be written is left alone. */
	super = fopen("superblock", "w");
	if (!super) {
		printf("Couldn't open superblock : %s\n", strerror(errno));
		return 1;
	}
	progress_start(&progress, "humfsify");
	if (nftw("data", visit, 64, FTW_PHYS))
		problem("walking", "data");
	progress_done(&progress);
	n = humfs_super_format(&sb, buf, sizeof(buf));
	if (n < 0 || fputs(buf, super) == EOF || fclose(super)) {
		printf("Couldn't write superblock : %s\n", strerror(errno));
		return 1;
	}
	if (lchown("superblock", owner, group))
		problem("chown", "superblock");
	return problems ? 1 : 0;
}

/* du -sk data, in bytes: each inode counted once. */
static uint64_t usage_total;

static int count(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path;
	(void)flag;
	(void)ftw;
	if (!hardlink_counted(st))
		usage_total += (uint64_t)st->st_blocks * 512;
	return 0;
}

static uint64_t data_usage(void)
{
	usage_total = 0;
	nftw("data", count, 64, FTW_PHYS);
	hardlink_reset();
	return usage_total;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "-r"))
		return unhumfsify();
	if (argc != 4) {
		printf("Usage: %s user group size\n", argv[0]);
		return 1;
	}
	return humfsify(argv[1], argv[2], argv[3], argv[0]);
}
