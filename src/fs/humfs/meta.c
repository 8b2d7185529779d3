/*
 * humfs metadata files (shadow_fs v2). A file data/P has file_metadata/P; a directory
 * data/D has the directory dir_metadata/D holding one regular file, normally named
 * "metadata", and an empty directory file_metadata/D mirroring it. When D gets a
 * subdirectory called "metadata", D's own file moves to another name: the only regular
 * file in dir_metadata/D is D's metadata, whatever it is called (the book's rule).
 *
 * Lines are rewritten in place (write, then truncate): a metadata file may be a hard
 * link shared by every name of the file, and a crash between the two steps leaves a
 * valid first line, which is all the parser reads.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fs/humfs/humfs_int.h"

#define DIR_META_NAME "metadata"

/* The parent of path beneath tree (O_PATH) and the final name in it. */
static int open_parent(int tree, const char *path, const char **name)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(path, '/');

	*name = slash ? slash + 1 : path;
	if (!slash)
		return hostfs_open_beneath(tree, "", O_PATH | O_DIRECTORY);
	if ((size_t)(slash - path) >= sizeof(parent))
		return -ENAMETOOLONG;
	memcpy(parent, path, slash - path);
	parent[slash - path] = '\0';
	return hostfs_open_beneath(tree, parent, O_PATH | O_DIRECTORY);
}

static bool is_regular(int dirfd, const char *name)
{
	struct statx stx;

	return !hostfs_statx_at(dirfd, name, &stx) && S_ISREG(stx.stx_mode);
}

/* The name of the metadata file in the dir_metadata directory ddir: 0, or -ENOENT. */
static int dir_meta_name(int ddir, char name[NAME_MAX + 1])
{
	struct dirent *d;
	DIR *dir;
	int fd, err = -ENOENT;

	if (is_regular(ddir, DIR_META_NAME)) {
		strcpy(name, DIR_META_NAME);
		return 0;
	}
	fd = openat(ddir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -ENOMEM;
	}
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' && (!d->d_name[1] || !strcmp(d->d_name, "..")))
			continue;
		if (is_regular(ddir, d->d_name)) {
			snprintf(name, NAME_MAX + 1, "%s", d->d_name);
			err = 0;
			break;
		}
	}
	closedir(dir);
	return err;
}

static ssize_t read_line(int dirfd, const char *name, char *buf, size_t len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = pread(fd, buf, len, 0);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

/* durable: a sync mount, where a change is on the host's disk when the call returns */
static int write_line(int dirfd, const char *name, const struct humfs_meta *m, bool durable)
{
	char line[HUMFS_META_MAX];
	int n = humfs_meta_format(m, line, sizeof(line));
	int fd, err = 0;

	if (n < 0)
		return -EINVAL;
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	errno = 0;   /* a short write sets none */
	if (pwrite(fd, line, n, 0) != n || ftruncate(fd, n) || (durable && fdatasync(fd)))
		err = errno ? -errno : -EIO;
	close(fd);
	return err;
}

/* Where the metadata of path lives: a directory fd and a name in it. */
static int locate(struct super_block *sb, const char *path, bool dir, char name[NAME_MAX + 1],
		  bool creating)
{
	struct humfs_sb *hum = HUM(sb);
	const char *base;
	int fd, err;

	if (!dir) {
		fd = open_parent(hum->fmetafd, path, &base);
		if (fd >= 0)
			snprintf(name, NAME_MAX + 1, "%s", base);
		return fd;
	}
	fd = hostfs_open_beneath(hum->dmetafd, path, O_PATH | O_DIRECTORY);
	if (fd < 0)
		return fd;
	err = dir_meta_name(fd, name);
	if (err == -ENOENT && creating) {
		strcpy(name, DIR_META_NAME);
		err = 0;
	}
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

int humfs_meta_read(struct super_block *sb, const char *path, bool dir, struct humfs_meta *m)
{
	char name[NAME_MAX + 1], buf[HUMFS_META_MAX + 2];
	const char *why;
	ssize_t n;
	int fd = locate(sb, path, dir, name, false);

	if (fd < 0) {
		printk("humfs: %s: no metadata for data/%s\n", HUM(sb)->name, path);
		return -EIO;
	}
	n = read_line(fd, name, buf, sizeof(buf));
	close(fd);
	if (n == -ENOENT) {
		printk("humfs: %s: no metadata for data/%s\n", HUM(sb)->name, path);
		return -EIO;
	}
	if (n < 0) {
		printk("humfs: %s: cannot read the metadata of data/%s: %s\n", HUM(sb)->name, path,
		       strerror((int)-n));
		return -EIO;
	}
	if (humfs_meta_parse(buf, (size_t)n, m, &why)) {
		printk("humfs: %s: damaged metadata for data/%s: %s\n", HUM(sb)->name, path, why);
		return -EIO;
	}
	return 0;
}

int humfs_meta_write(struct super_block *sb, const char *path, bool dir,
		     const struct humfs_meta *m)
{
	char name[NAME_MAX + 1];
	int fd = locate(sb, path, dir, name, true), err;

	if (fd < 0)
		return fd;
	err = write_line(fd, name, m, sb->flags & MS_SYNCHRONOUS);
	close(fd);
	return err;
}

void humfs_meta_unlink(struct super_block *sb, const char *path)
{
	const char *name;
	int fd = open_parent(HUM(sb)->fmetafd, path, &name);

	if (fd < 0)
		return;
	unlinkat(fd, name, 0);
	close(fd);
}

int humfs_meta_link(struct super_block *sb, const char *from, const char *to)
{
	const char *fname, *tname;
	int ffd, tfd, err;

	ffd = open_parent(HUM(sb)->fmetafd, from, &fname);
	if (ffd < 0)
		return ffd;
	tfd = open_parent(HUM(sb)->fmetafd, to, &tname);
	if (tfd < 0) {
		close(ffd);
		return tfd;
	}
	err = linkat(ffd, fname, tfd, tname, 0) ? -errno : 0;
	if (err == -EEXIST && !unlinkat(tfd, tname, 0))   /* a stray with no data file */
		err = linkat(ffd, fname, tfd, tname, 0) ? -errno : 0;
	if (err == -ENOENT)
		err = -EIO;   /* the source has no metadata: it is damaged */
	close(ffd);
	close(tfd);
	return err;
}

/* Empties (of files only) and removes the directory name in dirfd. */
static void clear_dir(int dirfd, const char *name)
{
	struct dirent *d;
	DIR *dir;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return;
	}
	while ((d = readdir(dir)))
		if (d->d_type != DT_DIR)
			unlinkat(fd, d->d_name, 0);
	closedir(dir);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

int humfs_meta_make_room(struct super_block *sb, const char *path)
{
	char cur[NAME_MAX + 1], spare[NAME_MAX + 1];
	const char *name;
	int fd = open_parent(HUM(sb)->dmetafd, path, &name), err = 0;

	if (fd < 0)
		return fd;
	if (!dir_meta_name(fd, cur) && !strcmp(cur, name)) {
		for (unsigned i = 0;; i++) {
			snprintf(spare, sizeof(spare), i ? ".metadata.%u" : ".metadata", i);
			if (faccessat(fd, spare, F_OK, AT_SYMLINK_NOFOLLOW) && errno == ENOENT)
				break;
		}
		err = renameat(fd, cur, fd, spare) ? -errno : 0;
	}
	close(fd);
	return err;
}

void humfs_meta_restore_name(struct super_block *sb, const char *path)
{
	char cur[NAME_MAX + 1];
	const char *name;
	int fd = open_parent(HUM(sb)->dmetafd, path, &name);

	if (fd < 0)
		return;
	if (faccessat(fd, DIR_META_NAME, F_OK, AT_SYMLINK_NOFOLLOW) && errno == ENOENT &&
	    !dir_meta_name(fd, cur))
		renameat(fd, cur, fd, DIR_META_NAME);
	close(fd);
}

/* mkdirat that accepts an existing directory and replaces a stray file. */
static int make_dir(int dirfd, const char *name)
{
	if (!mkdirat(dirfd, name, 0755))
		return 0;
	if (errno != EEXIST)
		return -errno;
	if (!is_regular(dirfd, name))
		return 0;
	if (unlinkat(dirfd, name, 0) || mkdirat(dirfd, name, 0755))
		return -errno;
	return 0;
}

int humfs_meta_mkdir(struct super_block *sb, const char *path, const struct humfs_meta *m)
{
	struct humfs_sb *hum = HUM(sb);
	const char *name;
	int fd, err;

	fd = open_parent(hum->fmetafd, path, &name);
	if (fd < 0)
		return fd;
	err = make_dir(fd, name);
	close(fd);
	if (err)
		return err;
	err = humfs_meta_make_room(sb, path);
	if (err)
		return err;
	fd = open_parent(hum->dmetafd, path, &name);
	if (fd < 0)
		return fd;
	err = make_dir(fd, name);
	close(fd);
	return err ? err : humfs_meta_write(sb, path, true, m);
}

void humfs_meta_rmdir(struct super_block *sb, const char *path)
{
	struct humfs_sb *hum = HUM(sb);
	const char *name;
	int fd;

	fd = open_parent(hum->dmetafd, path, &name);
	if (fd >= 0) {
		clear_dir(fd, name);
		close(fd);
	}
	fd = open_parent(hum->fmetafd, path, &name);
	if (fd >= 0) {
		clear_dir(fd, name);
		close(fd);
	}
	humfs_meta_restore_name(sb, path);
}

/* renameat2 of from to to beneath tree. */
static int rename_in(int tree, const char *from, const char *to, unsigned flags, bool clear_to)
{
	const char *fname, *tname;
	int ffd, tfd, err;

	ffd = open_parent(tree, from, &fname);
	if (ffd < 0)
		return ffd;
	tfd = open_parent(tree, to, &tname);
	if (tfd < 0) {
		close(ffd);
		return tfd;
	}
	if (clear_to)
		clear_dir(tfd, tname);
	err = renameat2(ffd, fname, tfd, tname, flags) ? -errno : 0;
	close(ffd);
	close(tfd);
	return err;
}

/* After data/from was renamed to data/to (flags as renameat2's; to_dir: to was an
 * existing directory, replaced or exchanged). */
int humfs_meta_rename(struct super_block *sb, const char *from, bool from_dir, const char *to,
		      bool to_dir, unsigned flags)
{
	struct humfs_sb *hum = HUM(sb);
	bool exchange = flags & RENAME_EXCHANGE;
	int err;

	/* A directory replacing an empty one: file_metadata/to is an empty directory
	 * (stray files aside) that the rename may replace. */
	err = rename_in(hum->fmetafd, from, to, exchange ? RENAME_EXCHANGE : 0,
			!exchange && from_dir && to_dir);
	if (err)
		return err == -ENOENT ? -EIO : err;
	if (exchange && from_dir && to_dir)
		err = rename_in(hum->dmetafd, from, to, RENAME_EXCHANGE, false);
	else if (from_dir)
		err = rename_in(hum->dmetafd, from, to, 0, to_dir);
	else if (exchange && to_dir)
		err = rename_in(hum->dmetafd, to, from, 0, false);
	if (err)
		return err == -ENOENT ? -EIO : err;
	if (from_dir && !exchange)
		humfs_meta_restore_name(sb, from);
	return 0;
}
