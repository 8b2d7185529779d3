/*
 * Sector I/O of a unit: pread/pwrite on the host files, called by fs/blkdev_queue.c
 * one request at a time (on the event loop thread for filesystems, on the disk worker
 * thread for a guest's reads and writes of the disk node). With a COW file, each sector is read from the COW file when its bitmap
 * bit is set and from the backing file otherwise; writes go to the COW file only.
 *
 * Crash ordering: a sector's data is written (pwrite has returned, so it is in the
 * host's page cache and survives the death of this process) before the bitmap bytes
 * that mark it present, so a kill -9 at any moment never leaves a bit set over missing
 * data. Against a host crash, flush (fdatasync) is the barrier: everything written
 * before it, data and bits, is stable after it; with the s flag every write is O_SYNC,
 * so data reaches the disk before its bit is even written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include "drivers/ubd/ubd_int.h"
#include "kernel/kernel.h"

/* nowait: only what the host has cached (RWF_NOWAIT), else -EAGAIN, for a reader that
 * would rather go to the disk worker than wait on the event loop. */
static ssize_t pread_all(int fd, void *buf, size_t len, uint64_t off, bool nowait)
{
	size_t done = 0;
	while (done < len) {
		struct iovec v = { (char *)buf + done, len - done };
		ssize_t n = preadv2(fd, &v, 1, (off_t)(off + done), nowait ? RWF_NOWAIT : 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && nowait)
			return -EAGAIN;   /* not cached, or the host can't tell (EOPNOTSUPP) */
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

ssize_t ubd_pread(int fd, void *buf, size_t len, uint64_t off)
{
	return pread_all(fd, buf, len, off, false);
}

int ubd_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;   /* ENOSPC, EDQUOT, EIO reach the guest as they are */
		if (n == 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}

/* Reads that run past the end of a file (a backing file whose size is not a multiple of
 * 512, an image extended on the host) find zeros there, as on a disk. */
static int read_or_zero(int fd, void *buf, size_t len, uint64_t off, bool nowait)
{
	ssize_t n = pread_all(fd, buf, len, off, nowait);
	if (n < 0)
		return (int)n;
	memset((char *)buf + n, 0, len - (size_t)n);
	return 0;
}

static bool present(const struct ubd *u, uint64_t sector)
{
	return sector < u->cow.sectors && cow_bitmap_test(u->bitmap, sector);
}

static int cow_read(struct ubd *u, char *buf, size_t len, uint64_t off, bool nowait)
{
	const uint64_t ss = u->cow.sector_size;
	while (len) {
		uint64_t s = off / ss, last = (off + len - 1) / ss, end = s + 1;
		bool here = present(u, s);
		while (end <= last && present(u, end) == here)
			end++;
		size_t n = end * ss - off < len ? (size_t)(end * ss - off) : len;
		int err;
		if (here) {
			ssize_t got = pread_all(u->fd, buf, n, u->cow.data_offset + off, nowait);
			err = got < 0 ? (int)got : (size_t)got < n ? -EIO : 0;  /* a COW file cut short */
		} else {
			err = read_or_zero(u->backing_fd, buf, n, off, nowait);
		}
		if (err)
			return err;
		buf += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* A write covering only part of a sector not yet in the COW file: the rest of the
 * sector comes from the backing file, and the whole sector goes to the COW file. */
static int fill_sector(struct ubd *u, uint64_t s, const char *piece, size_t at, size_t len)
{
	const size_t ss = u->cow.sector_size;
	char *sector = malloc(ss);
	if (!sector)
		return -ENOMEM;
	int err = read_or_zero(u->backing_fd, sector, ss, s * ss, false);
	if (!err) {
		memcpy(sector + at, piece, len);
		err = ubd_pwrite(u->fd, sector, ss, u->cow.data_offset + s * ss);
	}
	free(sector);
	return err;
}

/* Marks sectors first..last present, in memory and then in the file. */
static int mark_present(struct ubd *u, uint64_t first, uint64_t last)
{
	bool changed = false;
	for (uint64_t s = first; s <= last; s++) {
		if (!cow_bitmap_test(u->bitmap, s)) {
			cow_bitmap_set(u->bitmap, s);
			changed = true;
		}
	}
	if (!changed)
		return 0;
	uint64_t from = first >> 3, to = last >> 3;
	/* v1/v2's short bitmaps can't hold every bit: refuse rather than write into data */
	if (u->cow.bitmap_offset + to >= u->cow.data_offset)
		return -EIO;
	return ubd_pwrite(u->fd, u->bitmap + from, (size_t)(to - from + 1), u->cow.bitmap_offset + from);
}

static int cow_write(struct ubd *u, const char *buf, size_t len, uint64_t off)
{
	const uint64_t ss = u->cow.sector_size;
	uint64_t first = off / ss, last = (off + len - 1) / ss, end = off + len;
	int err;
	if (last >= u->cow.sectors)
		return -EIO;   /* past the data area the header defines */
	/* A partly covered first sector not yet in the COW file. If it is also the last
	 * sector, this is the whole write. */
	if ((off % ss || len < ss) && !present(u, first)) {
		size_t at = (size_t)(off % ss), n = ss - at < len ? (size_t)(ss - at) : len;
		err = fill_sector(u, first, buf, at, n);
		if (err)
			return err;
		buf += n;
		off += n;
	}
	/* A partly covered last sector not yet in the COW file: its piece starts on the
	 * sector boundary (the first sector was dealt with above). */
	if (off < end && end % ss && !present(u, last)) {
		size_t n = (size_t)(end % ss);
		err = fill_sector(u, last, buf + (end - n - off), 0, n);
		if (err)
			return err;
		end -= n;
	}
	/* the rest is whole sectors, or pieces of sectors the COW file already holds */
	if (off < end) {
		err = ubd_pwrite(u->fd, buf, (size_t)(end - off), u->cow.data_offset + off);
		if (err)
			return err;
	}
	return mark_present(u, first, last);
}

static int disk_read(struct block_device *b, void *buf, size_t len, uint64_t off, bool nowait)
{
	struct ubd *u = b->priv;
	if (len == 0)
		return 0;
	return u->backing_fd >= 0 ? cow_read(u, buf, len, off, nowait)
				  : read_or_zero(u->fd, buf, len, off, nowait);
}

static int ubd_disk_read(struct block_device *b, void *buf, size_t len, uint64_t off)
{
	return disk_read(b, buf, len, off, false);
}

static int ubd_disk_read_nowait(struct block_device *b, void *buf, size_t len, uint64_t off)
{
	return disk_read(b, buf, len, off, true);
}

static int ubd_disk_write(struct block_device *b, const void *buf, size_t len, uint64_t off)
{
	struct ubd *u = b->priv;
	if (len == 0)
		return 0;
	if (b->read_only)
		return -EROFS;
	return u->backing_fd >= 0 ? cow_write(u, buf, len, off) : ubd_pwrite(u->fd, buf, len, off);
}

static int ubd_disk_flush(struct block_device *b)
{
	struct ubd *u = b->priv;
	int r;
	do
		r = fdatasync(u->fd);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

const struct block_device_ops ubd_disk_ops = {
	.read = ubd_disk_read,
	.read_nowait = ubd_disk_read_nowait,
	.write = ubd_disk_write,
	.flush = ubd_disk_flush,
};
