/* Guest program for tests/ubd/test-ext4-root.sh: mmap of files on an ext4 root through
 * the per-inode page cache. Prints "ok NAME" or "not ok NAME: why" per check. */
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
	return failed;
}
