/*
 * A read(2) of an ext2/3/4 file without a page cache, done by the disk worker while the
 * task parks (fs/blkdev_queue.c), so the machine runs on while the host disk answers.
 * libext2fs can only wait, so what it must do stays on the loop thread and is brief:
 * the inode and the map from file blocks to disk blocks (bmap, metadata the host has
 * cached). The data blocks are read at once when the host has them all cached, else as
 * one gathered request; holes and unwritten extents stay zero. The task waits on it
 * with blkdev_task_wait, across the retries of the call.
 *
 * Ordering makes this safe: a write, truncate or reallocation by another task goes
 * through the synchronous path, which first waits for every request queued before it,
 * so the blocks read are still this file's when the worker reads them.
 */
#include <stdlib.h>
#include <string.h>
#include "fs/blkdev.h"
#include "fs/ext2/ext2_int.h"

#define MAX_SEGS 512

/* Adds the disk range for len bytes at buffer position at; contiguous ones merge.
 * False when there are too many pieces (then the caller reads synchronously). */
static bool add_seg(struct blk_seg *segs, unsigned *n, uint64_t off, size_t len, size_t at)
{
	struct blk_seg *last = *n ? &segs[*n - 1] : NULL;

	if (last && last->off + last->len == off && last->at + last->len == at) {
		last->len += len;
		return true;
	}
	if (*n == MAX_SEGS)
		return false;
	segs[(*n)++] = (struct blk_seg){ off, len, at };
	return true;
}

/* The disk pieces behind [pos, pos + len) of inode; 1 with *n pieces, 0 when it must be
 * read through libext2fs (inline data, a map error, too many pieces). */
static int plan(struct inode *inode, uint64_t pos, size_t len, struct blk_seg *segs, unsigned *n)
{
	ext2_filsys fs = E2FS(inode);
	struct ext2_raw_inode raw;
	uint64_t bs = fs->blocksize;

	*n = 0;
	if (ext2_read_raw(fs, (ext2_ino_t)inode->ino, &raw))
		return 0;
	if (raw.large.i_flags & EXT4_INLINE_DATA_FL)
		return 0;
	for (uint64_t at = 0; at < len;) {
		uint64_t lblk = (pos + at) / bs, in = (pos + at) % bs;
		size_t piece = bs - in < len - at ? (size_t)(bs - in) : (size_t)(len - at);
		blk64_t pblk = 0;
		int flags = 0;
		if (ext2fs_bmap2(fs, (ext2_ino_t)inode->ino, (struct ext2_inode *)&raw.large, NULL, 0,
				 lblk, &flags, &pblk))
			return 0;
		/* a hole or an unwritten extent reads as zeros: the buffer already is */
		if (pblk && !(flags & BMAP_RET_UNINIT) && !add_seg(segs, n, pblk * bs + in, piece, at))
			return 0;
		at += piece;
	}
	return 1;
}

/* The whole read at once if the host has every piece cached (most reads): no trip to
 * the worker. False if any piece would wait. */
static bool read_cached(struct block_device *disk, char *buf, size_t len,
			const struct blk_seg *segs, unsigned n)
{
	memset(buf, 0, len);
	for (unsigned i = 0; i < n; i++)
		if (blkdev_read_nowait(disk, buf + segs[i].at, segs[i].len, segs[i].off))
			return false;
	return true;
}

ssize_t ext2_read_parked(struct inode *inode, char *buf, size_t len, uint64_t pos)
{
	struct task *t = current;
	struct blk_request *rq = (struct blk_request *)t->scratch[0];
	struct blk_seg *segs;
	unsigned n;

	if (!rq) {
		if (len > (uint64_t)inode->size - pos)
			len = (size_t)((uint64_t)inode->size - pos);
		segs = malloc(MAX_SEGS * sizeof(*segs));
		if (!segs || !plan(inode, pos, len, segs, &n)) {
			free(segs);
			return ext2_read_data(inode, buf, len, pos);
		}
		if (read_cached(E2SB(inode->sb)->disk, buf, len, segs, n)) {
			free(segs);
			return (ssize_t)len;   /* all holes, or all in the host's cache */
		}
		rq = blkdev_submit_gather(E2SB(inode->sb)->disk, len, segs, n);
		free(segs);
		if (!rq)
			return ext2_read_data(inode, buf, len, pos);
	}
	if (blkdev_task_wait(t, rq))
		return SYSRET_BLOCK;
	ssize_t ret = rq->result ? rq->result : (ssize_t)(rq->len < len ? rq->len : len);
	if (ret > 0)
		memcpy(buf, rq->buf, (size_t)ret);
	blkdev_task_done(t, rq);
	return ret;
}
