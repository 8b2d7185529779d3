/*
 * ext2 regular files: reads and writes through libext2fs's file I/O (a handle per call,
 * so no stale copy of the inode outlives it), size changes, fsync, and the host
 * descriptor mmap and exec need (pagecache.c). Times: writes stamp mtime and ctime;
 * reads leave atime alone (as with noatime).
 */
#include <linux/falloc.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include "fs/ext2/ext2_int.h"

#define IO_CHUNK (1u << 30)   /* ext2fs_file_read/write take an unsigned int */

int ext2_open(struct inode *inode, struct file *f)
{
	f->fops = S_ISDIR(inode->mode) ? &ext2_dir_fops : &ext2_file_fops;
	if (S_ISREG(inode->mode) && (f->flags & O_ACCMODE) != O_RDONLY && !(f->flags & O_PATH) &&
	    (inode->sb->flags & MS_RDONLY))
		return -EROFS;
	return 0;
}

static int file_open(struct inode *inode, int flags, ext2_file_t *out)
{
	return ext2_errno(ext2fs_file_open2(E2FS(inode), (ext2_ino_t)inode->ino, NULL, flags, out));
}

ssize_t ext2_read_data(struct inode *inode, char *buf, size_t len, uint64_t pos)
{
	ext2_file_t file;
	size_t done = 0;
	int err = file_open(inode, 0, &file);
	if (err)
		return err;
	errcode_t e = ext2fs_file_llseek(file, pos, EXT2_SEEK_SET, NULL);
	while (!e && done < len) {
		unsigned got = 0, want = len - done > IO_CHUNK ? IO_CHUNK : (unsigned)(len - done);
		e = ext2fs_file_read(file, buf + done, want, &got);
		done += got;
		if (got == 0)
			break;
	}
	ext2fs_file_close(file);
	if (e && done == 0)
		return ext2_errno(e);
	return (ssize_t)done;
}

/*
 * A block's worth at a time, with libext2fs's one-block buffer flushed after each, so
 * that what is counted has reached the disk: a disk or filesystem that fills up part-way
 * gives a short write of exactly what is there (then, with nothing written, the error),
 * never a count that includes a block still in the buffer.
 */
ssize_t ext2_write_data(struct inode *inode, const char *buf, size_t len, uint64_t pos)
{
	ext2_file_t file;
	size_t done = 0, bs = E2FS(inode)->blocksize;
	int err = file_open(inode, EXT2_FILE_WRITE, &file);
	if (err)
		return err;
	errcode_t e = ext2fs_file_llseek(file, pos, EXT2_SEEK_SET, NULL);
	while (!e && done < len) {
		size_t piece = bs - (size_t)((pos + done) % bs);
		unsigned put = 0;
		if (piece > len - done)
			piece = len - done;
		e = ext2fs_file_write(file, buf + done, (unsigned)piece, &put);
		if (!e)
			e = ext2fs_file_flush(file);
		if (!e)
			done += put;
	}
	if (e) {
		/* the failed piece may have grown the file: only what was written counts */
		__u64 size = 0;
		uint64_t keep = (uint64_t)inode->size > pos + done ? (uint64_t)inode->size : pos + done;
		if (ext2fs_file_get_lsize(file, &size) == 0 && size > keep) {
			ext2_free_begin(E2FS(inode));
			ext2fs_file_set_size2(file, keep);
			ext2_free_end(E2FS(inode));
		}
	}
	errcode_t ce = ext2fs_file_close(file);
	if (!e)
		e = ce;
	if (done)
		ext2_pagecache_write(inode, buf, done, pos);
	if (ext2_touch(inode, (1u << EXT2_MTIME) | (1u << EXT2_CTIME)))
		ext2_refresh(inode);   /* the times could not be written: the size at least */
	if (e && done == 0)
		return ext2_errno(e);
	return (ssize_t)done;
}

/* With a page cache, it is the file's current contents (shared mappings write there). */
static ssize_t read_cached(struct inode *inode, char *buf, size_t len, uint64_t pos)
{
	int fd = E2I(inode)->memfd;
	ssize_t n;
	/* a read(2) parks for the disk (aread.c), and finishes there once started */
	if (current && current->io_may_park && (fd < 0 || current->scratch[0]))
		return ext2_read_parked(inode, buf, len, pos);
	if (fd < 0)
		return ext2_read_data(inode, buf, len, pos);
	if (len > (uint64_t)inode->size - pos)
		len = (size_t)((uint64_t)inode->size - pos);
	do
		n = pread(fd, buf, len, (off_t)pos);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

static ssize_t ext2_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	if (*pos < 0)
		return -EINVAL;
	if ((uint64_t)*pos >= (uint64_t)f->inode->size || len == 0)
		return 0;
	ssize_t n = read_cached(f->inode, buf, len, (uint64_t)*pos);
	if (n > 0)
		*pos += n;
	return n;
}

static ssize_t ext2_write(struct file *f, const char *buf, size_t len, off_t *pos)
{
	struct inode *inode = f->inode;
	if (f->flags & O_APPEND)
		*pos = inode->size;
	if (*pos < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	ssize_t n = ext2_write_data(inode, buf, len, (uint64_t)*pos);
	if (n > 0)
		*pos += n;
	if (n > 0 && (f->flags & (O_SYNC | O_DSYNC) || (inode->sb->flags & MS_SYNCHRONOUS))) {
		int err = ext2_sync_fs(inode->sb);
		if (err)
			return err;
	}
	return n;
}

int ext2_set_size(struct inode *inode, uint64_t size)
{
	ext2_file_t file;
	int err = file_open(inode, EXT2_FILE_WRITE, &file);
	if (err)
		return err;
	bool shrink = size < (uint64_t)inode->size;
	if (shrink)
		ext2_free_begin(E2FS(inode));   /* shrinking only frees blocks */
	errcode_t e = ext2fs_file_set_size2(file, size);
	if (shrink)
		ext2_free_end(E2FS(inode));
	errcode_t ce = ext2fs_file_close(file);
	err = ext2_errno(e ? e : ce);
	if (err)
		return err;
	ext2_pagecache_resize(inode, size);
	return ext2_refresh(inode);
}

static off_t ext2_llseek(struct file *f, off_t off, int whence)
{
	if (whence == SEEK_DATA || whence == SEEK_HOLE) {
		/* the whole file counts as data, with the one hole at its end (allowed) */
		if (off < 0 || off >= f->inode->size)
			return -ENXIO;
		f->pos = whence == SEEK_DATA ? off : f->inode->size;
		return f->pos;
	}
	return generic_llseek(f, off, whence, f->inode->size);
}

static unsigned ext2_poll(struct file *f, struct task *t)
{
	(void)f;
	(void)t;
	return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
}

/* fsync, and msync(MS_SYNC) of a mapping: the page cache's changes, then the rest of
 * the filesystem, written out and the disk flushed. */
int ext2_sync_inode(struct inode *inode)
{
	int err = ext2_pagecache_writeback(inode);
	int serr = ext2_sync_fs(inode->sb);
	return err ? err : serr;
}

static int ext2_fsync(struct file *f, bool datasync)
{
	(void)datasync;
	return ext2_sync_inode(f->inode);
}

static int ext2_truncate(struct file *f, off_t size)
{
	return ext2_set_size(f->inode, (uint64_t)size);
}

/* Zeros over part of a block (the edges of a punched hole). */
static int zero_bytes(struct inode *inode, uint64_t pos, uint64_t len)
{
	static const char zeros[4096];
	while (len) {
		size_t n = len < sizeof(zeros) ? (size_t)len : sizeof(zeros);
		ssize_t w = ext2_write_data(inode, zeros, n, pos);
		if (w < 0)
			return (int)w;
		pos += n;
		len -= n;
	}
	return 0;
}

static int punch_hole(struct inode *inode, uint64_t off, uint64_t len)
{
	ext2_filsys fs = E2FS(inode);
	uint64_t bs = fs->blocksize, size = (uint64_t)inode->size;
	uint64_t end = off + len > size ? size : off + len;
	if (off >= end)
		return 0;
	uint64_t first = (off + bs - 1) / bs, last = end / bs;   /* whole blocks [first, last) */
	if (first >= last)
		return zero_bytes(inode, off, end - off);
	int err = zero_bytes(inode, off, first * bs - off);
	if (!err)
		err = zero_bytes(inode, last * bs, end - last * bs);
	if (!err)
		err = ext2_errno(ext2fs_punch(fs, (ext2_ino_t)inode->ino, NULL, NULL, first, last - 1));
	int fd = E2I(inode)->memfd;
	if (!err && fd >= 0)
		fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off, (off_t)(end - off));
	return err ? err : ext2_refresh(inode);
}

/* Preallocation (mode 0, KEEP_SIZE) and hole punching; the VFS checked the rest. */
static int ext2_fallocate(struct file *f, int mode, off_t off, off_t len)
{
	struct inode *inode = f->inode;
	ext2_filsys fs = E2FS(inode);
	if (mode == (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE))
		return punch_hole(inode, (uint64_t)off, (uint64_t)len);
	if (mode & ~FALLOC_FL_KEEP_SIZE)
		return -EOPNOTSUPP;
	uint64_t bs = fs->blocksize, start = (uint64_t)off / bs;
	uint64_t count = ((uint64_t)off + (uint64_t)len + bs - 1) / bs - start;
	struct ext2_raw_inode raw;
	int err = ext2_read_raw(fs, (ext2_ino_t)inode->ino, &raw);
	if (err)
		return err;
	/* extent files get unwritten extents (read as zeros); block-mapped ones zeroed blocks */
	int flags = (raw.large.i_flags & EXT4_EXTENTS_FL) ? EXT2_FALLOCATE_FORCE_UNINIT
		  : EXT2_FALLOCATE_ZERO_BLOCKS | EXT2_FALLOCATE_FORCE_INIT;
	err = ext2_errno(ext2fs_fallocate(fs, flags | EXT2_FALLOCATE_INIT_BEYOND_EOF,
					  (ext2_ino_t)inode->ino, NULL, ~0ULL, start, count));
	if (!err && !(mode & FALLOC_FL_KEEP_SIZE) && off + len > inode->size)
		err = ext2_set_size(inode, (uint64_t)(off + len));
	if (!err)
		err = ext2_touch(inode, 1u << EXT2_CTIME);
	return err;
}

static int ext2_host_fd(struct file *f)
{
	return ext2_pagecache_fd(f->inode, (f->flags & O_ACCMODE) == O_RDWR);
}

/* A writer's close is when its shared mappings are most likely done with. */
static void ext2_release(struct file *f)
{
	if ((f->flags & O_ACCMODE) != O_RDONLY && f->inode->priv)
		ext2_pagecache_writeback(f->inode);
}

const struct file_ops ext2_file_fops = {
	.read = ext2_read,
	.write = ext2_write,
	.llseek = ext2_llseek,
	.poll = ext2_poll,
	.fsync = ext2_fsync,
	.truncate = ext2_truncate,
	.host_fd = ext2_host_fd,
	.release = ext2_release,
	.fallocate = ext2_fallocate,
	.rwf = FOP_RWF_NOWAIT_READ,   /* as ext4's: buffered writes refuse RWF_NOWAIT */
};

const struct file_ops ext2_special_fops = { 0 };
