/*
 * Block devices: drivers (ubd) register each disk with its operations; opening a block
 * device node on any filesystem finds the disk here by the inode's rdev, and disk-based
 * filesystems (ext2/3/4) reach their disk through the same object. Offsets and lengths
 * are in bytes; the operations move the whole range or fail with -errno.
 */
#ifndef UMLINUX_FS_BLKDEV_H
#define UMLINUX_FS_BLKDEV_H
#include "fs/vfs.h"

struct block_device;

struct block_device_ops {
	int (*read)(struct block_device *b, void *buf, size_t len, uint64_t off);
	int (*write)(struct block_device *b, const void *buf, size_t len, uint64_t off);
	/* read, but only from what the host has cached: -EAGAIN when it would wait (NULL:
	 * always wait) */
	int (*read_nowait)(struct block_device *b, void *buf, size_t len, uint64_t off);
	/* Everything written so far is stable (fsync, sync, umount, a journal commit). */
	int (*flush)(struct block_device *b);
};

struct block_device {
	char name[32];               /* "ubda": /dev/<name>, /proc/partitions */
	const char *driver;          /* "ubd": /proc/devices */
	dev_t dev;
	uint64_t size;               /* bytes */
	unsigned sector_size;        /* logical block size (BLKSSZGET) */
	bool read_only;
	const struct block_device_ops *ops;
	void *priv;
	int users;                   /* open files and mounts: a busy disk can't be removed */
	bool mounted;                /* a filesystem holds it (only one may) */
	bool excl;                   /* opened with O_EXCL (mke2fs, e2fsck): no mount meanwhile */
	int inflight;                /* blkdev_submit requests not yet put */
};

/* Requests (blkdev_queue.c). The driver's ops are only ever called through these, one
 * request at a time, in the order they were made. */
enum blk_op { BLK_READ, BLK_WRITE, BLK_FLUSH };

/* Synchronous, on the calling (event loop) thread, after every request queued before. */
int blkdev_read(struct block_device *b, void *buf, size_t len, uint64_t off);
int blkdev_write(struct block_device *b, const void *buf, size_t len, uint64_t off);
int blkdev_flush(struct block_device *b);   /* 0 for a read-only disk */
/* A read that never waits: -EAGAIN when a request is queued or running, or the data is
 * not in the host's cache; the caller then submits it to the worker. */
int blkdev_read_nowait(struct block_device *b, void *buf, size_t len, uint64_t off);

/* A piece of a gathered read: len bytes of the disk at off into the request's buffer
 * at at (a file's blocks, wherever they lie; what no piece covers stays zero). */
struct blk_seg {
	uint64_t off;
	size_t len;
	size_t at;
};

/* Asynchronous, on the disk worker thread: waiters are woken (from the event loop) when
 * done is set, with result 0 or -errno and a read's data in buf. */
struct blk_request {
	struct block_device *disk;
	enum blk_op op;
	void *buf;                   /* len bytes, owned by the request */
	size_t len;
	uint64_t off;
	struct blk_seg *segs;        /* a gathered read (BLK_READ), else NULL */
	unsigned nsegs;
	int result;
	bool done;
	bool abandoned;              /* its task stopped waiting: freed when done */
	struct waitq waiters;
	struct list_head link;
};
/* A write's data is copied. NULL when out of memory or no worker could be started. */
struct blk_request *blkdev_submit(struct block_device *b, enum blk_op op, const void *data,
				  size_t len, uint64_t off);
/* A gathered read of nsegs pieces into a zeroed buffer of len bytes (segs copied). */
struct blk_request *blkdev_submit_gather(struct block_device *b, size_t len,
					 const struct blk_seg *segs, unsigned nsegs);
/* A task waiting for its request across the retries of its call (rq lives in
 * t->scratch[0]): 0 when rq is done, else the task parks on it, uninterruptibly as for
 * a disk in Linux (a SIGKILL drops the request), and SYSRET_BLOCK. */
long blkdev_task_wait(struct task *t, struct blk_request *rq);
/* That task is done with it: scratch cleared, request put. */
void blkdev_task_done(struct task *t, struct blk_request *rq);
/* The submitter is done with rq (finished or not). */
void blkdev_request_put(struct blk_request *rq);
/* Waits until no request of b is queued or running (before the disk goes away). */
void blkdev_drain(struct block_device *b);

int blkdev_register(struct block_device *b);
void blkdev_unregister(struct block_device *b);
struct block_device *blkdev_lookup(dev_t dev);
/* By name: "ubda" or "/dev/ubda". */
struct block_device *blkdev_lookup_name(const char *name);
/* A filesystem takes the disk for a mount (-EBUSY if a mount or an O_EXCL opener
 * already has it) and gives it back at umount. */
int blkdev_claim(struct block_device *b);
void blkdev_release(struct block_device *b);
/* Flushes every disk (sync, halt). Returns the first error. */
int blkdev_flush_all(void);

/* open() of a block device node (S_ISBLK); sets f->fops/priv. flags are the open's:
 * O_EXCL fails with EBUSY while the disk is mounted or held exclusively, as in Linux. */
int blkdev_open(struct inode *inode, struct file *f, int flags);
size_t blkdev_format_devices(char *buf, size_t len);     /* /proc/devices part */
#endif
