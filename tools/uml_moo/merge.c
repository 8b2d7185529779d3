/*
 * The merges, a chunk of sectors at a time. A new image takes each sector from the COW
 * file (bit set) or the backing file and leaves all-zero sectors as holes, so it is as
 * sparse as it can be and exactly as long as the backing file. An in-place merge writes
 * only the COW's sectors into the backing file, and a zero sector only where the backing
 * file holds something else.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "moo.h"

#define CHUNK_BYTES (1u << 20)

static ssize_t read_at(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
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

static int write_at(int fd, const void *buf, size_t len, uint64_t off)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

static bool all_zero(const unsigned char *p, size_t len)
{
	return len == 0 || (p[0] == 0 && memcmp(p, p + 1, len - 1) == 0);
}

/* Bytes of sector s that exist (the last sector may be partial). */
static size_t sector_bytes(const struct cow_header *h, uint64_t s)
{
	uint64_t start = s * h->sector_size;
	uint64_t left = h->size - start;
	return left < h->sector_size ? (size_t)left : h->sector_size;
}

static int io_failed(const char *what, const char *name, int err)
{
	fprintf(stderr, "uml_moo: %s %s: %s\n", what, name, strerror(-err));
	return 1;
}

/* Reads sector s's COW copy into buf; a set bit whose data lies past the end of the
 * COW file means the file was cut short. */
static int read_cow_sector(struct moo_job *j, uint64_t s, unsigned char *buf)
{
	size_t len = sector_bytes(&j->h, s);
	ssize_t n = read_at(j->cow_fd, buf, len, j->h.data_offset + s * j->h.sector_size);
	if (n < 0)
		return io_failed("reading", j->cow_name, (int)n);
	if ((size_t)n < len) {
		fprintf(stderr, "uml_moo: %s is truncated: sector %llu is marked as written but "
			"its data is missing\n", j->cow_name, (unsigned long long)s);
		return 1;
	}
	return 0;
}

/* Writes the non-zero sectors of buf (sectors first..first+count) to fd. */
static int write_nonzero(struct moo_job *j, int fd, const char *name, const unsigned char *buf,
			 uint64_t first, uint64_t count)
{
	const struct cow_header *h = &j->h;
	for (uint64_t i = 0; i < count; i++) {
		const unsigned char *p = buf + i * h->sector_size;
		size_t len = sector_bytes(h, first + i);
		if (all_zero(p, len))
			continue;
		int err = write_at(fd, p, len, (first + i) * h->sector_size);
		if (err)
			return io_failed("writing", name, err);
	}
	return 0;
}

static uint64_t chunk_sectors(const struct cow_header *h)
{
	uint64_t n = CHUNK_BYTES / h->sector_size;
	return n ? n : 1;
}

int moo_merge_new(struct moo_job *j)
{
	const struct cow_header *h = &j->h;
	uint64_t per = chunk_sectors(h);
	unsigned char *buf = malloc(per * h->sector_size);
	int rc = 0;
	if (!buf)
		return io_failed("merging", j->cow_name, -ENOMEM);
	progress_start(h->size);
	for (uint64_t s = 0; s < h->sectors && !rc; s += per) {
		uint64_t count = h->sectors - s < per ? h->sectors - s : per;
		size_t bytes = (size_t)(count - 1) * h->sector_size + sector_bytes(h, s + count - 1);
		ssize_t n = read_at(j->back_fd, buf, bytes, s * h->sector_size);
		if (n < 0) {
			rc = io_failed("reading", j->backing_name, (int)n);
			break;
		}
		memset(buf + n, 0, count * h->sector_size - (size_t)n);
		for (uint64_t i = 0; i < count && !rc; i++)
			if (cow_bitmap_test(j->bitmap, s + i))
				rc = read_cow_sector(j, s + i, buf + i * h->sector_size);
		if (!rc)
			rc = write_nonzero(j, j->out_fd, j->out_name, buf, s, count);
		progress_update((s + count) * h->sector_size);
	}
	progress_end();
	free(buf);
	if (!rc && ftruncate(j->out_fd, (off_t)h->size) < 0)
		rc = io_failed("extending", j->out_name, -errno);
	return rc;
}

/* One sector of an in-place merge: the COW copy goes over the backing one, except that
 * a zero sector over a zero (or missing) one is left alone to keep holes. */
static int merge_sector_in_place(struct moo_job *j, uint64_t s, unsigned char *cow,
				 unsigned char *back)
{
	size_t len = sector_bytes(&j->h, s);
	uint64_t off = s * j->h.sector_size;
	int rc = read_cow_sector(j, s, cow);
	if (rc)
		return rc;
	if (all_zero(cow, len)) {
		ssize_t n = read_at(j->back_fd, back, len, off);
		if (n < 0)
			return io_failed("reading", j->backing_name, (int)n);
		if (all_zero(back, (size_t)n))
			return 0;
	}
	int err = write_at(j->back_fd, cow, len, off);
	return err ? io_failed("writing", j->backing_name, err) : 0;
}

int moo_merge_in_place(struct moo_job *j)
{
	const struct cow_header *h = &j->h;
	unsigned char *cow = malloc(h->sector_size), *back = malloc(h->sector_size);
	int rc = 0;
	if (!cow || !back) {
		free(cow);
		free(back);
		return io_failed("merging", j->cow_name, -ENOMEM);
	}
	progress_start(h->size);
	for (uint64_t s = 0; s < h->sectors && !rc; s++) {
		if (!(s & 7) && j->bitmap[s >> 3] == 0) {
			s += 7;   /* a whole bitmap byte clear: nothing to do for 8 sectors */
			continue;
		}
		if (cow_bitmap_test(j->bitmap, s))
			rc = merge_sector_in_place(j, s, cow, back);
		if (!(s & 0xfff))
			progress_update(s * h->sector_size);
	}
	progress_end();
	free(cow);
	free(back);
	if (!rc && fsync(j->back_fd) < 0)
		rc = io_failed("syncing", j->backing_name, -errno);
	return rc;
}
