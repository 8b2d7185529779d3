/* O_TMPFILE in a humfs guest (BusyBox has no tool for it), for tests/humfs/guest/ops.sh:
 *   tmpfile link DIR NAME   an unnamed file, given to 1000:100 mode 0640, then named DIR/NAME
 *   tmpfile drop DIR BYTES  an unnamed file filled with BYTES bytes, closed unnamed
 * Prints "tmpfile-...: " lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int make(const char *dir)
{
	int fd = open(dir, O_TMPFILE | O_RDWR, 0600);
	if (fd < 0) {
		printf("tmpfile-open: %s\n", strerror(errno));
		exit(1);
	}
	return fd;
}

static int link_it(const char *dir, const char *name)
{
	char path[4096];
	struct stat st;
	int fd = make(dir);
	if (write(fd, "tmp\n", 4) != 4 || fchown(fd, 1000, 100) || fchmod(fd, 0640))
		printf("tmpfile-setup: %s\n", strerror(errno));
	fstat(fd, &st);
	printf("tmpfile-unnamed: %o %u %u %lu\n", st.st_mode & 07777, st.st_uid, st.st_gid,
	       (unsigned long)st.st_nlink);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH)) {
		printf("tmpfile-link: %s\n", strerror(errno));
		return 1;
	}
	stat(path, &st);
	printf("tmpfile-named: %o %u %u %lu\n", st.st_mode & 07777, st.st_uid, st.st_gid,
	       (unsigned long)st.st_nlink);
	return 0;
}

static int drop(const char *dir, long bytes)
{
	static char block[4096];
	int fd = make(dir);
	for (long done = 0; done < bytes; done += sizeof(block))
		if (write(fd, block, sizeof(block)) < 0) {
			printf("tmpfile-write: %s\n", strerror(errno));
			break;
		}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "link"))
		return link_it(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "drop"))
		return drop(argv[2], atol(argv[3]));
	fprintf(stderr, "usage: tmpfile link DIR NAME | drop DIR BYTES\n");
	return 2;
}
