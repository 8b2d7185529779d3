/*
 * uml_mkcow [-f] <COW file> <backing file>: make an empty v3 COW file over a backing
 * file, as uml-utilities' tool does (same usage, exit codes and messages). Unlike it, a
 * COW file this run created is removed again when the backing file turns out unusable,
 * and -f starts the file afresh rather than keeping an old bitmap.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cow.h"

static void usage(void)
{
	fprintf(stderr, "uml_mkcow usage: \n"
		"\tuml_mkcow [-f] <COW file> <backing file>\n"
		"\t-f forces overwrite of an existing COW file\n");
	exit(2);
}

/* Reports err the way uml-utilities does (perror after a failed write_cow_header). */
static int header_failed(int err)
{
	fflush(stdout);   /* the explanation printed on stdout comes first */
	fprintf(stderr, "write_cow_header: %s\n", strerror(err));
	return 1;
}

/* The backing file's size: block devices report theirs through an ioctl. */
static int backing_size(const char *path, const struct stat *st, uint64_t *size)
{
	if (!S_ISBLK(st->st_mode)) {
		*size = (uint64_t)st->st_size;
		return 0;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	int err = ioctl(fd, BLKGETSIZE64, size) < 0 ? errno : 0;
	close(fd);
	return err;
}

/* Fills h for backing; 0, or a value to exit with after printing why. */
static int make_header(const char *backing, struct cow_header *h)
{
	char abs[PATH_MAX];
	struct stat st;
	uint64_t size;
	int err = cow_absolute_path(backing, abs, sizeof(abs));
	if (err == -ENOENT || err == -ENOTDIR) {
		printf("absolutize : Can't cd to '%.*s' - errno = %d\n",
		       (int)(strrchr(backing, '/') ? strrchr(backing, '/') - backing : 0), backing, -err);
		return header_failed(-err);
	}
	if (err)
		return header_failed(-err);
	if (stat(abs, &st) < 0) {
		err = errno;
		printf("write_cow_header - backing file '%s' mtime request failed, err = %d\n", abs, err);
		return header_failed(err);
	}
	if (S_ISDIR(st.st_mode)) {
		fprintf(stderr, "uml_mkcow: backing file '%s' is a directory, not a disk image\n", abs);
		return 1;
	}
	err = backing_size(abs, &st, &size);
	if (err) {
		printf("write_cow_header - backing file '%s' size request failed, err = %d\n", abs, err);
		return header_failed(err);
	}
	long page = sysconf(_SC_PAGESIZE);
	err = cow_init_v3(h, abs, st.st_mtime, size, COW_SECTOR_SIZE, page > 0 ? (uint32_t)page : 4096);
	if (err == COW_EPATH)
		return header_failed(ENAMETOOLONG);
	if (err)
		return header_failed(EFBIG);
	return 0;
}

int main(int argc, char **argv)
{
	bool force = argc > 1 && strcmp(argv[1], "-f") == 0;
	int first = force ? 2 : 1;
	if (argc - first < 2)
		usage();
	const char *cow = argv[first], *backing = argv[first + 1];
	int fd = open(cow, O_RDWR | O_CREAT | O_CLOEXEC | (force ? 0 : O_EXCL), 0644);
	if (fd < 0) {
		perror("open COW file");
		return 1;
	}
	struct stat before;
	bool created = fstat(fd, &before) == 0 && before.st_size == 0 && !force;
	struct cow_header h;
	int rc = make_header(backing, &h);
	if (rc == 0) {
		int err = cow_write_new(fd, &h);
		if (err)
			rc = header_failed(-err);
	}
	if (close(fd) < 0 && rc == 0)
		rc = header_failed(errno);
	if (rc && created)
		unlink(cow);
	return rc;
}
