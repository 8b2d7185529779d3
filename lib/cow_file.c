/* COW files on the host: reading the header and bitmap, creating a fresh file, and the
 * absolute backing-file name recorded in a new header. */
#include "cow.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ssize_t pread_full(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, off + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static int pwrite_full(int fd, const void *buf, size_t len, off_t off)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done, off + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}

int cow_read_header(int fd, struct cow_header *h)
{
	unsigned char buf[COW_HEADER_READ_SIZE];
	ssize_t n = pread_full(fd, buf, sizeof(buf), 0);
	if (n < 0)
		return (int)n;
	return cow_parse_header(buf, (size_t)n, h);
}

int cow_read_bitmap(int fd, const struct cow_header *h, unsigned char *bitmap)
{
	uint64_t want = cow_bitmap_bytes(h);
	/* only what the file's own bitmap holds: past it lies padding or data */
	uint64_t have = h->bitmap_len < want ? h->bitmap_len : want;
	memset(bitmap, 0, want);
	ssize_t n = pread_full(fd, bitmap, have, (off_t)h->bitmap_offset);
	if (n < 0)
		return (int)n;
	if ((uint64_t)n < have)
		memset(bitmap + n, 0, have - (uint64_t)n);  /* a file cut short: nothing there */
	return 0;
}

int cow_write_new(int fd, const struct cow_header *h)
{
	unsigned char hdr[COW_HEADER_V3_SIZE];
	/* Start from nothing, so no bitmap bit of an earlier file survives; the data area
	 * is a hole until sectors are written. */
	if (ftruncate(fd, 0) < 0)
		return -errno;
	cow_format_v3(h, hdr);
	int err = pwrite_full(fd, hdr, sizeof(hdr), 0);
	if (err)
		return err;
	if (ftruncate(fd, (off_t)(h->data_offset + h->size)) < 0)
		return -errno;
	return 0;
}

int cow_absolute_path(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	const char *base;
	if (!*path)
		return -ENOENT;
	if (!slash) {
		if (!getcwd(dir, sizeof(dir)))
			return -errno;
		base = path;
	} else {
		size_t dlen = (size_t)(slash - path);
		char given[PATH_MAX];
		if (dlen >= sizeof(given))
			return -ENAMETOOLONG;
		memcpy(given, path, dlen);
		given[dlen] = 0;
		if (!realpath(dlen ? given : "/", dir))
			return -errno;
		base = slash + 1;
	}
	if (!*base)
		return -EISDIR;   /* "dir/": names a directory, never an image */
	int n = snprintf(out, len, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", base);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}
