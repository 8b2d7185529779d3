/*
 * hostfs open files: each holds a real host descriptor (file->host_fd), so reads,
 * writes, mmap and exec go straight to the host file. Reads and writes are positional:
 * the guest's offset lives in file->pos, never in the host descriptor.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fs/hostfs/hostfs_int.h"

#define DIRBUF_SIZE 32768

/* The host open flags for a guest open with flags, or a negative errno. */
static int host_flags(struct inode *inode, unsigned flags)
{
	unsigned acc = flags & O_ACCMODE;
	int h = O_NOFOLLOW | O_CLOEXEC | O_NOCTTY;

	/* By the host file's type: a layered filesystem may show another (a humfs
	 * device is a host regular file that must never be opened as one). */
	if ((inode->mode & S_IFMT) != HI(inode)->host_type)
		return -ENXIO;
	switch (inode->mode & S_IFMT) {
	case S_IFDIR:
		return acc == O_RDONLY ? h | O_RDONLY | O_DIRECTORY : -EISDIR;
	case S_IFREG:
	case S_IFLNK:  /* only reached with O_NOFOLLOW: the host answers ELOOP */
		break;
	default:
		/* Sockets can't be opened (as on Linux); FIFOs and devices are the VFS's to
		 * serve, never the host's. */
		return -ENXIO;
	}
	if ((acc != O_RDONLY || (flags & O_TRUNC)) && hostfs_rdonly(inode->sb))
		return -EROFS;
	h |= acc | (flags & (O_APPEND | O_TRUNC | O_SYNC | O_DSYNC | O_NONBLOCK));
	if (inode->sb->flags & MS_SYNCHRONOUS)
		h |= O_SYNC;
	if (HSB(inode->sb)->append && acc != O_RDONLY)
		h = (h | O_APPEND) & ~O_TRUNC;  /* O_TRUNC is judged after the open */
	return h;
}

/* A file whose name is gone is reopened the host's way, through /proc/self/fd of a
 * descriptor we still hold: Linux opens a removed cwd's "." and /proc/<pid>/fd links of
 * unlinked files too. */
static int reopen_dead(struct inode *inode, int hflags)
{
	char link[64];
	int fd, held = hostfs_held_fd(inode);

	if (held < 0)
		return -ENOENT;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", held);
	do
		fd = open(link, hflags & ~O_NOFOLLOW);
	while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

static int open_host(struct inode *inode, int hflags)
{
	struct hostfs_loc loc;
	int fd, err;

	if (!HI(inode)->path)
		return reopen_dead(inode, hflags);
	err = hostfs_locate(inode, false, &loc);

	if (err)
		return err;
	do
		fd = openat(loc.dirfd, loc.name, hflags);
	while (fd < 0 && errno == EINTR);
	err = fd < 0 ? -errno : fd;
	hostfs_loc_done(&loc);
	return err;
}

/* The first open after create may use create's descriptor: the guest's open of a file
 * it just created succeeds whatever mode it gave the file, and the host's would not. */
static int take_created_fd(struct inode *inode, int fd, int hflags)
{
	struct hostfs_inode *hi = HI(inode);
	int created = hi->created_fd;

	if (created < 0)
		return fd;
	hi->created_fd = -1;
	if (fd != -EACCES) {
		close(created);
		return fd;
	}
	if (fcntl(created, F_SETFL, hflags & (O_APPEND | O_NONBLOCK)) < 0) {
		close(created);
		return fd;
	}
	return created;
}

/* hostfs=...,append: truncating on open destroys data, unless there is none. */
static int check_jail_trunc(struct inode *inode, int fd, unsigned flags)
{
	struct statx stx;
	int err;

	if (!HSB(inode->sb)->append || !(flags & O_TRUNC) || (flags & O_ACCMODE) == O_RDONLY)
		return 0;
	err = hostfs_statx_at(fd, "", &stx);
	if (err)
		return err;
	return stx.stx_size ? -EPERM : 0;
}

int hostfs_open(struct inode *inode, struct file *f)
{
	struct hostfs_file *hf;
	int hflags, fd, err;

	f->fops = S_ISDIR(inode->mode) ? HSB(inode->sb)->dir_fops : HSB(inode->sb)->fops;
	f->host_fd = -1;
	f->priv = NULL;
	if (f->flags & O_PATH)
		return 0;
	hflags = host_flags(inode, f->flags);
	if (hflags < 0)
		return hflags;
	fd = take_created_fd(inode, open_host(inode, hflags), hflags);
	if (fd < 0)
		return fd;
	err = check_jail_trunc(inode, fd, f->flags);
	if (err) {
		close(fd);
		return err;
	}
	hf = xcalloc(1, sizeof(*hf));
	hf->fd = fd;
	hf->writable = (f->flags & O_ACCMODE) != O_RDONLY;
	hf->jail_append = HSB(inode->sb)->append && hf->writable;
	hf->host_append = hflags & O_APPEND;
	list_add_tail(&hf->link, &HI(inode)->files);
	f->priv = hf;
	f->host_fd = fd;
	return 0;
}

static ssize_t hostfs_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	ssize_t n;

	do
		n = pread(f->host_fd, buf, len, *pos);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	*pos += n;
	return n;
}

/* The host descriptor's O_APPEND follows the guest's, which fcntl(F_SETFL) may change. */
static int set_host_append(struct hostfs_file *hf, bool on)
{
	int fl;

	if (hf->host_append == on)
		return 0;
	fl = fcntl(hf->fd, F_GETFL);
	if (fl < 0 || fcntl(hf->fd, F_SETFL, on ? fl | O_APPEND : fl & ~O_APPEND) < 0)
		return -errno;
	hf->host_append = on;
	return 0;
}

/* Appends are left to the host so they stay atomic against other writers (the host's,
 * or another UML's); the new position is where the host put the data. */
static ssize_t write_append(struct hostfs_file *hf, const char *buf, size_t len, off_t *pos)
{
	ssize_t n;
	off_t end;

	do
		n = write(hf->fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	end = lseek(hf->fd, 0, SEEK_CUR);
	if (end >= 0)
		*pos = end;
	return n;
}

static ssize_t hostfs_write(struct file *f, const char *buf, size_t len, off_t *pos)
{
	struct hostfs_file *hf = f->priv;
	bool append = (f->flags & O_APPEND) || hf->jail_append;
	int err = set_host_append(hf, append);
	ssize_t n;

	if (err)
		return err;
	if (append)
		return write_append(hf, buf, len, pos);
	do
		n = pwrite(hf->fd, buf, len, *pos);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	*pos += n;
	return n;
}

static off_t hostfs_llseek(struct file *f, off_t off, int whence)
{
	struct statx stx;
	off_t ret;
	int err;

	if (whence == SEEK_DATA || whence == SEEK_HOLE) {
		/* Only the host knows where its holes are. */
		ret = lseek(f->host_fd, off, whence);
		if (ret < 0)
			return -errno;
		f->pos = ret;
		return ret;
	}
	if (whence != SEEK_END)
		return generic_llseek(f, off, whence, 0);
	err = hostfs_statx_at(f->host_fd, "", &stx);
	if (err)
		return err;
	return generic_llseek(f, off, whence, stx.stx_size);
}

static unsigned hostfs_poll(struct file *f, struct task *t)
{
	(void)f;
	(void)t;
	return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;  /* regular files never block */
}

static int hostfs_fsync(struct file *f, bool datasync)
{
	int ret = datasync ? fdatasync(f->host_fd) : fsync(f->host_fd);

	return ret ? -errno : 0;
}

static int hostfs_truncate(struct file *f, off_t size)
{
	int err = hostfs_may_resize(f->inode, size);

	if (err)
		return err;
	return ftruncate(f->host_fd, size) ? -errno : 0;
}

/* hostfs=...,append: punching, zeroing or shifting ranges would destroy data. */
#define FALLOC_DESTRUCTIVE (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | \
			    FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE)

static int hostfs_fallocate(struct file *f, int mode, off_t off, off_t len)
{
	if (hostfs_rdonly(f->inode->sb))
		return -EROFS;
	if (HSB(f->inode->sb)->append && (mode & FALLOC_DESTRUCTIVE))
		return -EPERM;
	return fallocate(f->host_fd, mode, off, len) ? -errno : 0;
}

static int hostfs_host_fd(struct file *f)
{
	return f->host_fd >= 0 ? f->host_fd : -ENODEV;
}

static void hostfs_release(struct file *f)
{
	struct hostfs_file *hf = f->priv;

	if (!hf)
		return;
	list_del_init(&hf->link);
	close(hf->fd);
	free(hf->dbuf);
	free(hf);
	f->priv = NULL;
	f->host_fd = -1;
}

/* Directories */

static ssize_t hostfs_dir_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)f;
	(void)buf;
	(void)len;
	(void)pos;
	return -EISDIR;
}

/* Directory positions are the host's own d_off cookies, so telldir/seekdir values the
 * guest saves stay meaningful to the host. */
static off_t hostfs_dir_llseek(struct file *f, off_t off, int whence)
{
	struct hostfs_file *hf = f->priv;
	off_t ret;

	if (whence == SEEK_CUR && off == 0)
		return f->pos;  /* telldir: keep the buffered entries */
	if (whence == SEEK_CUR) {
		if (__builtin_add_overflow(f->pos, off, &off))
			return -EOVERFLOW;
		whence = SEEK_SET;  /* the host descriptor runs ahead of f->pos */
	}
	ret = lseek(hf->fd, off, whence);
	if (ret < 0)
		return -errno;
	f->pos = hf->dpos = ret;
	hf->dlen = hf->dcur = 0;
	return ret;
}

/* Refills the buffer from the host: bytes read, 0 at the end, or -errno. */
static ssize_t dir_refill(struct hostfs_file *hf)
{
	ssize_t n;

	if (!hf->dbuf)
		hf->dbuf = xcalloc(1, DIRBUF_SIZE);
	do
		n = getdents64(hf->fd, hf->dbuf, DIRBUF_SIZE);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	hf->dlen = n;
	hf->dcur = 0;
	return n;
}

/* Some host filesystems leave d_type unknown; the guest's ls and find want it. */
static unsigned dirent_type(struct hostfs_file *hf, const struct dirent64 *d)
{
	struct statx stx;

	if (d->d_type != DT_UNKNOWN)
		return d->d_type;
	/* ".." of the mount's root lies outside it: not even its type leaks. */
	if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
		return DT_DIR;
	if (hostfs_statx_at(hf->fd, d->d_name, &stx))
		return DT_UNKNOWN;
	return IFTODT(stx.stx_mode);
}

/* The guest moved f->pos (seekdir, rewinddir): restart the host stream there. */
static int dir_resync(struct file *f, struct hostfs_file *hf)
{
	if (f->pos == hf->dpos)
		return 0;
	if (lseek(hf->fd, f->pos, SEEK_SET) < 0)
		return -errno;
	hf->dpos = f->pos;
	hf->dlen = hf->dcur = 0;
	return 0;
}

static int hostfs_iterate(struct file *f, struct dirent_sink *sink)
{
	struct hostfs_file *hf = f->priv;
	int err = dir_resync(f, hf);

	if (err)
		return err;
	for (;;) {
		if (hf->dcur == hf->dlen) {
			ssize_t n = dir_refill(hf);
			if (n <= 0)
				return n;
		}
		const struct dirent64 *d = (const void *)(hf->dbuf + hf->dcur);
		if (!sink->emit(sink, d->d_name, d->d_ino, dirent_type(hf, d), d->d_off))
			return 0;
		hf->dcur += d->d_reclen;
		f->pos = hf->dpos = d->d_off;
	}
}

static int hostfs_dir_host_fd(struct file *f)
{
	(void)f;
	return -ENODEV;  /* a directory's bytes can't be mapped */
}

const struct file_ops hostfs_fops = {
	.read = hostfs_read,
	.write = hostfs_write,
	.llseek = hostfs_llseek,
	.poll = hostfs_poll,
	.fsync = hostfs_fsync,
	.truncate = hostfs_truncate,
	.host_fd = hostfs_host_fd,
	.release = hostfs_release,
	.fallocate = hostfs_fallocate,
	/* as the host's disk filesystems (ext4): a read never waits for long, buffered
	 * writes refuse RWF_NOWAIT */
	.rwf = FOP_RWF_NOWAIT_READ,
};

const struct file_ops hostfs_dir_fops = {
	.read = hostfs_dir_read,
	.llseek = hostfs_dir_llseek,
	.iterate = hostfs_iterate,
	.fsync = hostfs_fsync,
	.host_fd = hostfs_dir_host_fd,
	.release = hostfs_release,
};
