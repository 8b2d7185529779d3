/*
 * Open block device nodes: byte-addressed reads and writes straight to the disk (there
 * is no page cache in between, so what a reader sees is what a mounted filesystem
 * wrote), seeks bounded by the disk size, fsync as a flush, and the BLK* ioctls that
 * mke2fs, e2fsck, blkid and dd use.
 */
#include <linux/fs.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include "fs/blkdev.h"
#include "platform/platform.h"

/* file.priv */
struct blkdev_file {
	struct block_device *disk;
	bool excl;                 /* this open holds the disk exclusively */
};

static struct block_device *disk_of(struct file *f) { return ((struct blkdev_file *)f->priv)->disk; }

/*
 * A guest's read or write of the disk goes to the disk worker (fs/blkdev_queue.c) and
 * the task parks until it is done, so the rest of the machine runs meanwhile. The
 * request lives in current->scratch[0] across the retries of the call; the wait is
 * uninterruptible, as a disk request is in Linux (only SIGKILL ends it).
 */
/* The result of an I/O of len bytes at *pos: started, waited for, or finished (then
 * rq's data is copied out for a read). */
static ssize_t disk_io(struct block_device *b, enum blk_op op, char *buf, const char *data,
		       size_t len, off_t *pos)
{
	struct task *t = current && current->io_may_park ? current : NULL;
	struct blk_request *rq = t ? (struct blk_request *)t->scratch[0] : NULL;
	int err;

	if (!t) {   /* a kernel caller (sendfile, splice): wait here */
		err = op == BLK_READ ? blkdev_read(b, buf, len, (uint64_t)*pos)
				     : blkdev_write(b, data, len, (uint64_t)*pos);
		goto finish;
	}
	if (!rq && op == BLK_READ && !blkdev_read_nowait(b, buf, len, (uint64_t)*pos)) {
		err = 0;   /* the host had it all cached: no trip to the worker */
		goto finish;
	}
	if (!rq && !(rq = blkdev_submit(b, op, data, len, (uint64_t)*pos)))
		return -ENOMEM;
	if (blkdev_task_wait(t, rq))
		return SYSRET_BLOCK;
	err = rq->result;
	if (!err && op == BLK_READ)
		memcpy(buf, rq->buf, len);
	blkdev_task_done(t, rq);
finish:
	if (err)
		return err;
	*pos += (off_t)len;
	return (ssize_t)len;
}

static ssize_t blkdev_file_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	struct block_device *b = disk_of(f);
	if (*pos < 0)
		return -EINVAL;
	if ((uint64_t)*pos >= b->size || len == 0)
		return 0;
	if (len > b->size - (uint64_t)*pos)
		len = (size_t)(b->size - (uint64_t)*pos);
	return disk_io(b, BLK_READ, buf, NULL, len, pos);
}

/* Linux: a write at the end of a disk is ENOSPC, one across it is cut short. */
static ssize_t blkdev_file_write(struct file *f, const char *buf, size_t len, off_t *pos)
{
	struct block_device *b = disk_of(f);
	if (b->read_only)
		return -EPERM;
	if (*pos < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	if ((uint64_t)*pos >= b->size)
		return -ENOSPC;
	if (len > b->size - (uint64_t)*pos)
		len = (size_t)(b->size - (uint64_t)*pos);
	ssize_t n = disk_io(b, BLK_WRITE, NULL, buf, len, pos);
	if (n > 0 && (f->flags & (O_SYNC | O_DSYNC))) {
		int err = blkdev_flush(b);
		if (err)
			return err;
	}
	return n;
}

static off_t blkdev_llseek(struct file *f, off_t off, int whence)
{
	return generic_llseek(f, off, whence, (off_t)disk_of(f)->size);
}

static unsigned blkdev_poll(struct file *f, struct task *t)
{
	(void)f;
	(void)t;
	return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
}

static int blkdev_fsync(struct file *f, bool datasync)
{
	(void)datasync;
	struct block_device *b = disk_of(f);
	return blkdev_flush(b);
}

/* BLKZEROOUT: zeros written a chunk at a time; the range must be sector-aligned. */
static long zero_range(struct block_device *b, struct task *t, unsigned long arg)
{
	uint64_t range[2];
	static const char zeros[65536];
	int err = guest_read(t, range, arg, sizeof(range));
	if (err)
		return err;
	if (b->read_only)
		return -EPERM;
	if ((range[0] | range[1]) % b->sector_size || range[0] > b->size ||
	    range[1] > b->size - range[0])
		return -EINVAL;
	for (uint64_t done = 0; done < range[1];) {
		size_t n = range[1] - done < sizeof(zeros) ? (size_t)(range[1] - done) : sizeof(zeros);
		err = blkdev_write(b, zeros, n, range[0] + done);
		if (err)
			return err;
		done += n;
	}
	return 0;
}

static long put_int(struct task *t, unsigned long arg, int v) { return guest_write(t, arg, &v, sizeof(v)); }

static long blkdev_ioctl(struct file *f, struct task *t, unsigned long cmd, unsigned long arg)
{
	struct block_device *b = disk_of(f);
	switch (cmd) {
	case BLKGETSIZE64: {
		uint64_t size = b->size;
		return guest_write(t, arg, &size, sizeof(size));
	}
	case BLKGETSIZE: {
		unsigned long sectors = (unsigned long)(b->size >> 9);
		return guest_write(t, arg, &sectors, sizeof(sectors));
	}
	case BLKSSZGET:
	case BLKPBSZGET:
	case BLKIOMIN:
		return put_int(t, arg, (int)b->sector_size);
	case BLKBSZGET:
		return put_int(t, arg, 4096);
	case BLKIOOPT:
	case BLKALIGNOFF:
	case BLKDISCARDZEROES:
		return put_int(t, arg, 0);
	case BLKROGET:
		return put_int(t, arg, b->read_only);
	case BLKFLSBUF:
		/* nothing is cached here; the disk's own buffers are flushed */
		if (!cred_is_root(&t->cred))
			return -EACCES;
		return blkdev_flush(b);
	case BLKZEROOUT:
		if (!(f->flags & (O_WRONLY | O_RDWR)))
			return -EBADF;
		return zero_range(b, t, arg);
	case BLKDISCARD:
	case BLKSECDISCARD:
		return -EOPNOTSUPP;   /* no TRIM yet: mke2fs goes on without it */
	case BLKRRPART:
		return -EINVAL;       /* no partition tables are read */
	default:
		return -ENOTTY;
	}
}

static void blkdev_release_file(struct file *f)
{
	struct blkdev_file *bf = f->priv;
	if (!bf)
		return;
	bf->disk->users--;
	if (bf->excl)
		bf->disk->excl = false;
	free(bf);
	f->priv = NULL;
}

static const struct file_ops blkdev_fops = {
	.read = blkdev_file_read,
	.write = blkdev_file_write,
	.llseek = blkdev_llseek,
	.poll = blkdev_poll,
	.ioctl = blkdev_ioctl,
	.fsync = blkdev_fsync,
	.release = blkdev_release_file,
};

int blkdev_open(struct inode *inode, struct file *f, int flags)
{
	struct kstat st;
	int err = vfs_getattr(inode, &st);
	if (err < 0)
		return err;
	struct block_device *b = blkdev_lookup(st.rdev);
	if (!b)
		return -ENXIO;   /* no such disk, as Linux says for an unknown node */
	if (b->read_only && (f->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	if ((flags & O_EXCL) && (b->mounted || b->excl))
		return -EBUSY;
	struct blkdev_file *bf = xcalloc(1, sizeof(*bf));
	bf->disk = b;
	bf->excl = flags & O_EXCL;
	b->excl |= bf->excl;
	b->users++;
	f->priv = bf;
	f->fops = &blkdev_fops;
	return 0;
}
