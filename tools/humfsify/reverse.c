/*
 * humfsify -r: the metadata put back into data/ (owners, modes, device nodes and
 * sockets), then file_metadata/ and dir_metadata/ removed if nothing went wrong.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "humfs_format.h"
#include "humfsify.h"

static int problems;

static int read_meta(const char *path, struct humfs_meta *m)
{
	char buf[HUMFS_META_MAX + 2];
	const char *why;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW);

	if (fd < 0) {
		printf("Can't open metadata file '%s': %s\n", path, strerror(errno));
		return -1;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0 || humfs_meta_parse(buf, (size_t)n, m, &why)) {
		printf("Bad metadata in '%s': %s\n", path, n < 0 ? strerror(errno) : why);
		return -1;
	}
	return 0;
}

static void restore(const char *data, const struct humfs_meta *m)
{
	mode_t type = humfs_meta_type(m);
	struct stat st;

	if (lstat(data, &st)) {
		printf("'%s' has metadata but no data file\n", data);
		problems++;
		return;
	}
	if (type && (unlink(data) || mknod(data, type | m->perm, makedev(m->major, m->minor)))) {
		printf("making the %s node '%s' failed - %s\n", type == S_IFSOCK ? "socket" : "device",
		       data, strerror(errno));
		problems++;
		return;
	}
	if (lchown(data, m->uid, m->gid) ||
	    (!S_ISLNK(st.st_mode) && chmod(data, m->perm))) {
		printf("restoring '%s' failed - %s\n", data, strerror(errno));
		problems++;
	}
}

static int visit_file(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char data[PATH_MAX + 8];
	struct humfs_meta m;

	(void)ftw;
	if (flag != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	snprintf(data, sizeof(data), "data/%s", path + strlen("file_metadata/"));
	if (read_meta(path, &m))
		problems++;
	else
		restore(data, &m);
	return 0;
}

/* dir_metadata/D holds one regular file: D's metadata. */
static int visit_dir(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char data[PATH_MAX + 8], meta[PATH_MAX + NAME_MAX + 2];
	const char *rel = path + strlen("dir_metadata");
	struct humfs_meta m;
	struct dirent *d;
	DIR *dir;

	(void)st;
	(void)ftw;
	if (flag != FTW_D)
		return 0;
	dir = opendir(path);
	if (!dir)
		return 0;
	meta[0] = '\0';
	while ((d = readdir(dir))) {
		struct stat s;
		snprintf(meta, sizeof(meta), "%s/%s", path, d->d_name);
		if (!lstat(meta, &s) && S_ISREG(s.st_mode))
			break;
		meta[0] = '\0';
	}
	closedir(dir);
	if (!meta[0])
		return 0;
	snprintf(data, sizeof(data), "data%s", rel);
	if (read_meta(meta, &m))
		problems++;
	else
		restore(data, &m);
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) && errno != ENOENT)
		problems++;
	return 0;
}

int unhumfsify(void)
{
	if (access("data", F_OK) || access("file_metadata", F_OK) || access("dir_metadata", F_OK)) {
		printf("No humfs tree here: data/, file_metadata/ and dir_metadata/ are needed\n");
		return 1;
	}
	problems = 0;
	nftw("file_metadata", visit_file, 64, FTW_PHYS);
	nftw("dir_metadata", visit_dir, 64, FTW_PHYS);
	if (problems) {
		printf("%d problems; the metadata directories are kept\n", problems);
		return 1;
	}
	nftw("file_metadata", remove_entry, 64, FTW_PHYS | FTW_DEPTH);
	nftw("dir_metadata", remove_entry, 64, FTW_PHYS | FTW_DEPTH);
	return problems ? 1 : 0;
}
