/* Guest program for tests/ubd/test-ext4-root.sh: mmap of files on an ext4 root through
 * the per-inode page cache. Prints "ok NAME" or "not ok NAME: why" per check. */
#define _GNU_SOURCE   /* memmem */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int failed;

static void check(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("ok %s\n", name);
	} else {
		printf("not ok %s: %s\n", name, why);
		failed = 1;
	}
}

/* Whether the disk under the root holds text (read raw from /dev/ubda). */
static int disk_has(const char *text)
{
	static char chunk[1 << 20];
	size_t tl = strlen(text), keep = 0;
	int fd = open("/dev/ubda", O_RDONLY), found = 0;
	ssize_t n;
	if (fd < 0)
		return -1;
	while (!found && (n = read(fd, chunk + keep, sizeof(chunk) - keep)) > 0) {
		size_t have = keep + (size_t)n;
		found = memmem(chunk, have, text, tl) != NULL;
		keep = tl - 1;   /* a match may straddle two reads */
		memmove(chunk, chunk + have - keep, keep);
	}
	close(fd);
	return found;
}

static int read_back(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = pread(fd, buf, len, 0);
	close(fd);
	return (int)n;
}

int main(void)
{
	const char *path = "/mapped";
	char page[4096], buf[4096];
	memset(page, 'a', sizeof(page));
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, page, sizeof(page)) != (ssize_t)sizeof(page)) {
		check("create", 0, "open/write failed");
		return 1;
	}
	char *ro = mmap(NULL, sizeof(page), PROT_READ, MAP_SHARED, fd, 0);
	check("map-read", ro != MAP_FAILED && memcmp(ro, page, sizeof(page)) == 0, "contents differ");
	/* write() is seen through an existing mapping (one page cache) */
	pwrite(fd, "WRITTEN", 7, 100);
	check("write-seen-by-map", ro != MAP_FAILED && memcmp(ro + 100, "WRITTEN", 7) == 0, "stale mapping");
	/* a shared writable mapping reaches the file, and read() sees it */
	char *rw = mmap(NULL, sizeof(page), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (rw != MAP_FAILED) {
		memcpy(rw + 1000, "MAPPED", 6);
		msync(rw, sizeof(page), MS_SYNC);
		munmap(rw, sizeof(page));
	}
	close(fd);
	int n = read_back(path, buf, sizeof(buf));
	check("shared-write-reaches-file", n == (int)sizeof(buf) && memcmp(buf + 1000, "MAPPED", 6) == 0,
	      "read() does not see the mapped write");
	/* a private mapping's writes stay private */
	fd = open(path, O_RDWR);
	char *priv = mmap(NULL, sizeof(page), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (priv != MAP_FAILED)
		memcpy(priv + 2000, "PRIVATE", 7);
	close(fd);
	n = read_back(path, buf, sizeof(buf));
	check("private-write-stays", n == (int)sizeof(buf) && memcmp(buf + 2000, "aaaaaaa", 7) == 0,
	      "a private write reached the file");
	fsync(fd);
	/* msync(MS_SYNC) alone puts a shared mapping's writes on the disk: the text is made
	 * at run time, so the disk holds it nowhere else (not even in this program) */
	char marker[32];
	snprintf(marker, sizeof(marker), "MS%dNC%d", 4217, 90210);
	fd = open("/msynced", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0 && write(fd, page, sizeof(page)) == (ssize_t)sizeof(page)) {
		fsync(fd);
		char *m = mmap(NULL, sizeof(page), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m != MAP_FAILED) {
			memcpy(m + 512, marker, strlen(marker));
			check("mapped-write-not-yet-on-disk", disk_has(marker) == 0, "on the disk before msync");
			msync(m, sizeof(page), MS_SYNC);
			check("msync-reaches-disk", disk_has(marker) == 1, "not on the disk after msync");
		} else {
			check("msync-reaches-disk", 0, "mmap failed");
		}
	}
	return failed;
}
