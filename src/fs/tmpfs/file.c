/*
 * tmpfs regular files: bytes in a host memfd per inode (made on first need), read and
 * written with pread/pwrite at the guest's offset, and handed to mmap and exec as is,
 * so every path to the data sees the same pages. The instance's size= limit is kept
 * by charging each page before data lands in a hole.
 */
#include <linux/falloc.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fs/tmpfs/tmpfs_int.h"

int tmpfs_memfd(struct inode *i)
{
	struct tmpfs_inode *ti = TI(i);
	if (ti->memfd >= 0)
		return ti->memfd;
	char name[48];
	/* one per inode: /proc/<pid>/maps finds the file by it */
	snprintf(name, sizeof(name), "tmpfs:%u:%u:%llu", major(i->sb->dev), minor(i->sb->dev),
		 (unsigned long long)i->ino);
	int fd = memfd_create(name, MFD_CLOEXEC | (TI(i)->sealable ? MFD_ALLOW_SEALING : 0));
	if (fd < 0)
		return errno == EMFILE || errno == ENFILE ? -ENOMEM : -errno;
	if (i->size && ftruncate(fd, i->size) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	ti->memfd = fd;
	return fd;
}

static off_t page_down(off_t x) { return x & ~(off_t)(PAGE_SIZE - 1); }
static off_t page_up(off_t x) { return (x + (off_t)PAGE_SIZE - 1) & ~(off_t)(PAGE_SIZE - 1); }

/*
 * How many bytes of len at off fit: pages the file already has cost nothing, each
 * page of a hole one of free_pages (shmem's holes are whole pages; the end of file
 * counts as a hole, except the page it falls in, which holds data).
 */
static size_t bytes_that_fit(int fd, off_t off, size_t len, uint64_t free_pages)
{
	off_t end = off + (off_t)len, p = page_down(off);
	while (p < end) {
		off_t data = lseek(fd, p, SEEK_DATA);
		if (data == p) {
			off_t hole = lseek(fd, p, SEEK_HOLE);
			p = hole > p ? page_up(hole) : p + (off_t)PAGE_SIZE;
			continue;
		}
		off_t hole_end = data < 0 || data > end ? page_up(end) : data;
		uint64_t pages = (uint64_t)(hole_end - p) / PAGE_SIZE;
		if (pages > free_pages) {
			off_t stop = p + (off_t)(free_pages * PAGE_SIZE);
			return stop > off ? (size_t)(stop - off) : 0;
		}
		free_pages -= pages;
		p = hole_end;
	}
	return len;
}

/* Charges the pages a write of len at off may fill; returns the bytes to write (fewer
 * when the instance is nearly full: a short write, then ENOSPC, as Linux's). */
static ssize_t charge_write(struct inode *i, int fd, off_t off, size_t len)
{
	struct tmpfs_sb *s = TSB(i->sb);
	if (!s->max_pages)
		return (ssize_t)len;
	size_t fit = bytes_that_fit(fd, off, len, s->max_pages - s->used_pages);
	return fit ? (ssize_t)fit : -ENOSPC;
}

/* relatime: the access time moves when it is older than the last change, or a day old. */
static void touch_atime(struct inode *i)
{
	struct timespec now = tmpfs_now();
	const struct timespec *a = &i->atime;
	bool stale = a->tv_sec < i->mtime.tv_sec ||
		     (a->tv_sec == i->mtime.tv_sec && a->tv_nsec <= i->mtime.tv_nsec) ||
		     a->tv_sec < i->ctime.tv_sec ||
		     (a->tv_sec == i->ctime.tv_sec && a->tv_nsec <= i->ctime.tv_nsec) ||
		     now.tv_sec - a->tv_sec >= 24 * 3600;
	if (stale)
		i->atime = now;
}

static ssize_t tmpfs_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	struct inode *i = f->inode;
	int fd = TI(i)->memfd;
	ssize_t n = 0;
	if (fd >= 0 && len) {
		do
			n = pread(fd, buf, len, *pos);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -errno;
	}
	*pos += n;
	touch_atime(i);
	return n;
}

/* file_remove_privs(): a write by anyone but root drops set-user-id, and set-group-id
 * when it means "execute as the group". */
static void drop_setid(struct inode *i)
{
	if (!current || current->cred.fsuid == 0)
		return;
	mode_t mode = i->mode & ~S_ISUID;
	if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		mode &= ~S_ISGID;
	if (mode != i->mode) {
		i->mode = mode;
		i->ctime = tmpfs_now();
	}
}

static ssize_t tmpfs_write(struct file *f, const char *buf, size_t len, off_t *pos)
{
	struct inode *i = f->inode;
	if (!len)
		return 0;
	off_t at = (f->flags & O_APPEND) ? i->size : *pos;
	if (at < 0 || (off_t)len > INT64_MAX - at)
		return -EFBIG;
	int fd = tmpfs_memfd(i);
	if (fd < 0)
		return fd;
	ssize_t n = charge_write(i, fd, at, len);
	if (n < 0)
		return n;
	do
		n = pwrite(fd, buf, (size_t)n, at);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (at + n > i->size)
		i->size = at + n;
	tmpfs_sync_pages(i);
	i->mtime = i->ctime = tmpfs_now();
	drop_setid(i);
	*pos = at + n;
	return n;
}

static off_t tmpfs_llseek(struct file *f, off_t off, int whence)
{
	struct inode *i = f->inode;
	if (whence != SEEK_DATA && whence != SEEK_HOLE)
		return generic_llseek(f, off, whence, i->size);
	if (off < 0 || off >= i->size)
		return -ENXIO;
	int fd = TI(i)->memfd;
	off_t r;
	if (fd < 0)
		r = whence == SEEK_HOLE ? off : -ENXIO;   /* all hole */
	else if ((r = lseek(fd, off, whence)) < 0)
		r = -errno;
	if (r >= 0)
		f->pos = r;
	return r;
}

static int tmpfs_host_fd(struct file *f)
{
	return tmpfs_memfd(f->inode);
}

static int tmpfs_fsync(struct file *f, bool datasync)
{
	(void)f, (void)datasync;
	return 0;   /* memory is where the data lives */
}

/* shmem_fallocate(): preallocation (charged like a write) and hole punching; the other
 * modes are not tmpfs's. */
static int tmpfs_fallocate(struct file *f, int mode, off_t off, off_t len)
{
	struct inode *i = f->inode;
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	int fd = tmpfs_memfd(i);
	if (fd < 0)
		return fd;
	if (!(mode & FALLOC_FL_PUNCH_HOLE) && TSB(i->sb)->max_pages &&
	    bytes_that_fit(fd, off, (size_t)len, TSB(i->sb)->max_pages - TSB(i->sb)->used_pages) < (size_t)len)
		return -ENOSPC;   /* all or nothing */
	if (fallocate(fd, mode, off, len) < 0)
		return -errno;
	if (!(mode & (FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) && off + len > i->size)
		i->size = off + len;
	tmpfs_sync_pages(i);
	i->ctime = tmpfs_now();
	if (!(mode & FALLOC_FL_KEEP_SIZE) || (mode & FALLOC_FL_PUNCH_HOLE))
		i->mtime = i->ctime;
	return 0;
}

const struct file_ops tmpfs_file_fops = {
	.read = tmpfs_read,
	.write = tmpfs_write,
	.llseek = tmpfs_llseek,
	.host_fd = tmpfs_host_fd,
	.fsync = tmpfs_fsync,
	.fallocate = tmpfs_fallocate,
	.seals = tmpfs_seals,
};

/* Symlinks and sockets opened with O_PATH: nothing to read or write. */
const struct file_ops tmpfs_special_fops = { 0 };
