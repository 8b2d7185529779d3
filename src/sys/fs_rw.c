/* read/write and friends: the data path between guest buffers and open files. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include "fs/notify/fsnotify.h"
#include "fs/vfs.h"
#include "signal/signal.h"
#include "net/sock.h"
#include "sys/syscalls.h"

#define IO_CHUNK (1 << 20)

bool file_may_read(struct file *f) { return (f->flags & O_ACCMODE) != O_WRONLY && !(f->flags & O_PATH); }
bool file_may_write(struct file *f) { return (f->flags & O_ACCMODE) != O_RDONLY && !(f->flags & O_PATH); }

/* Copies n bytes between kbuf and the guest's vectors, from byte off of them on. */
static int iov_copy(struct task *t, const struct iovec *iov, unsigned long cnt, size_t off,
		    char *kbuf, size_t n, bool to_guest)
{
	for (unsigned long i = 0; i < cnt && n; i++) {
		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		size_t m = iov[i].iov_len - off < n ? iov[i].iov_len - off : n;
		unsigned long at = (unsigned long)iov[i].iov_base + off;
		int err = to_guest ? guest_write(t, at, kbuf, m) : guest_read(t, kbuf, at, m);
		if (err)
			return err;
		kbuf += m;
		n -= m;
		off = 0;
	}
	return 0;
}

/*
 * A disk transfer is served whole, as Linux's block devices serve one (mke2fs and
 * e2fsck treat a short read as an error), a chunk at a time, each chunk parking the task
 * while the disk worker does it (fs/blkdev_file.c). The bytes already moved survive the
 * retries in t->io_progress; the file position moved with them, a pread/pwrite offset
 * (a fresh copy of the argument at each retry) is moved here.
 */
static long disk_transfer(struct task *t, struct file *f, const struct iovec *iov,
			  unsigned long cnt, size_t len, off_t *pos, bool wr)
{
	off_t *p = pos ? pos : &f->pos;
	size_t done = t->retrying ? t->io_progress : 0;

	if (pos)
		*pos += (off_t)done;
	while (done < len) {
		size_t chunk = len - done > IO_CHUNK ? IO_CHUNK : len - done;
		char *kbuf = malloc(chunk);
		ssize_t n = 0;
		if (!kbuf)
			return done ? (long)done : -ENOMEM;
		if (wr && iov_copy(t, iov, cnt, done, kbuf, chunk, false))
			n = -EFAULT;
		if (!n) {
			t->io_may_park = true;
			n = wr ? f->fops->write(f, kbuf, chunk, p) : f->fops->read(f, kbuf, chunk, p);
			t->io_may_park = false;
		}
		if (n > 0 && !wr && iov_copy(t, iov, cnt, done, kbuf, (size_t)n, true))
			n = -EFAULT;
		free(kbuf);
		if (n == SYSRET_BLOCK) {
			t->io_progress = done;
			return SYSRET_BLOCK;
		}
		if (n < 0)
			return done ? (long)done : n;
		done += (size_t)n;
		if ((size_t)n < chunk)
			break;
	}
	return (long)done;
}

static bool is_disk(const struct file *f) { return f->inode && S_ISBLK(f->inode->mode); }

/* One read into guest memory; pos NULL means the file position. may_park: a file on a
 * disk may park the task for its data (ext2's aread.c); not between a readv's vectors,
 * which must all be read in one go (Linux gives a regular file's readv whole). */
static long do_read(struct task *t, struct file *f, unsigned long buf, size_t len, off_t *pos,
		    bool may_park)
{
	if (!file_may_read(f))
		return -EBADF;
	if (f->fops == &socket_fops)
		return sock_rw(t, f, buf, len, false, false);   /* one message */
	if (!f->fops || !f->fops->read)
		return f->inode && S_ISDIR(f->inode->mode) ? -EISDIR : -EINVAL;
	if (is_disk(f)) {
		struct iovec one = { (void *)buf, len };
		return disk_transfer(t, f, &one, 1, len, pos, false);
	}
	/* other files get at most one chunk */
	size_t chunk = len > IO_CHUNK ? IO_CHUNK : len;
	char *kbuf = malloc(chunk ? chunk : 1);
	if (!kbuf)
		return -ENOMEM;
	t->io_may_park = may_park;
	ssize_t n = f->fops->read(f, kbuf, chunk, pos ? pos : &f->pos);
	t->io_may_park = false;
	if (n > 0 && guest_write(t, buf, kbuf, (size_t)n) < 0)
		n = -EFAULT;
	free(kbuf);
	return n;
}

/* RLIMIT_FSIZE on a regular file: a write crossing the limit is cut short at it, one
 * starting at or past it fails with EFBIG and a SIGXFSZ (Linux's generic_write_checks). */
long fsize_check(struct task *t, struct file *f, const off_t *pos, size_t *len)
{
	rlim_t limit = t->tg->rlim[RLIMIT_FSIZE].rlim_cur;
	if (limit == RLIM_INFINITY || *len == 0)
		return 0;
	off_t at = pos ? *pos : f->pos;
	struct kstat st;
	if ((f->flags & O_APPEND) && vfs_getattr(f->inode, &st) == 0)
		at = st.size;
	if (at >= 0 && (rlim_t)at >= limit) {
		siginfo_t info;
		signal_user_info(&info, SIGXFSZ, t);
		signal_send_task(t, SIGXFSZ, &info);
		return -EFBIG;
	}
	if (at >= 0 && *len > limit - (rlim_t)at)
		*len = (size_t)(limit - (rlim_t)at);
	return 0;
}

/*
 * A blocking write to a pipe, socket or tty moves everything before it returns, parking
 * as often as needed (Linux's pipe_write loop); the bytes already moved survive the
 * retries in t->io_progress, and a signal then returns that count, not EINTR.
 */
static long write_all_blocking(struct task *t, struct file *f, unsigned long buf, size_t len)
{
	size_t done = t->retrying ? t->io_progress : 0;
	while (done < len) {
		size_t chunk = len - done > IO_CHUNK ? IO_CHUNK : len - done;
		char *kbuf = malloc(chunk);
		if (!kbuf)
			return done ? (long)done : -ENOMEM;
		if (guest_read(t, kbuf, buf + done, chunk) < 0) {
			free(kbuf);
			return done ? (long)done : -EFAULT;
		}
		ssize_t n = f->fops->write(f, kbuf, chunk, &f->pos);
		free(kbuf);
		if (n == SYSRET_BLOCK) {
			t->io_progress = done;
			return SYSRET_BLOCK;
		}
		if (n <= 0)
			return done ? (long)done : (n ? n : -EIO);
		done += (size_t)n;
	}
	t->io_progress = 0;
	return (long)done;
}

static long do_write(struct task *t, struct file *f, unsigned long buf, size_t len, off_t *pos)
{
	if (!file_may_write(f))
		return -EBADF;
	if (f->fops == &socket_fops)
		return sock_rw(t, f, buf, len, false, true);   /* one message, all of it */
	if (!f->fops || !f->fops->write)
		return -EINVAL;
	bool regular = f->inode && S_ISREG(f->inode->mode);
	if (regular) {
		long err = fsize_check(t, f, pos, &len);
		if (err < 0)
			return err;
	}
	if (!regular && !pos && !(f->flags & O_NONBLOCK) && f->inode && S_ISFIFO(f->inode->mode))
		return write_all_blocking(t, f, buf, len);
	if (is_disk(f)) {
		struct iovec one = { (void *)buf, len };
		return disk_transfer(t, f, &one, 1, len, pos, true);
	}
	size_t done = 0;
	do {
		size_t chunk = len - done > IO_CHUNK ? IO_CHUNK : len - done;
		char *kbuf = malloc(chunk ? chunk : 1);
		if (!kbuf)
			return done ? (long)done : -ENOMEM;
		if (guest_read(t, kbuf, buf + done, chunk) < 0) {
			free(kbuf);
			return done ? (long)done : -EFAULT;
		}
		off_t *p = pos ? pos : &f->pos;
		ssize_t n = f->fops->write(f, kbuf, chunk, p);
		free(kbuf);
		if (n < 0)
			return done ? (long)done : n;
		done += (size_t)n;
		if ((size_t)n < chunk)
			break;
	} while (regular && done < len);
	return (long)done;
}

/* Linux's vfs_read/vfs_write: a call that moved bytes is one IN_ACCESS or IN_MODIFY,
 * however many vectors or chunks it took. */
static long notify_rw(struct file *f, long n, bool wr)
{
	if (n > 0) {
		if (wr)
			fsnotify_modify(f);
		else
			fsnotify_access(f);
	}
	return n;
}

long sys_read(struct task *t, struct syscall_args *a)
{
	struct file *f = fd_get(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	return notify_rw(f, do_read(t, f, a->a[1], a->a[2], NULL, true), false);
}

long sys_write(struct task *t, struct syscall_args *a)
{
	struct file *f = fd_get(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	return notify_rw(f, do_write(t, f, a->a[1], a->a[2], NULL), true);
}

bool file_seekable(struct file *f)
{
	/* anonymous inodes (eventfd, epoll, timerfd) have no type, and no pread in Linux */
	return f->inode && (f->inode->mode & S_IFMT) && !S_ISFIFO(f->inode->mode) &&
	       !S_ISSOCK(f->inode->mode) &&
	       (!f->fops || f->fops->llseek || S_ISREG(f->inode->mode) || S_ISBLK(f->inode->mode));
}

/* pread64/pwrite64: one transfer at an explicit offset, the file position untouched. */
static long do_pio(struct task *t, struct syscall_args *a, bool wr)
{
	struct file *f = fd_get(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	if ((long)a->a[3] < 0)
		return -EINVAL;
	if (!file_seekable(f))
		return -ESPIPE;
	off_t pos = (off_t)a->a[3];
	return notify_rw(f, wr ? do_write(t, f, a->a[1], a->a[2], &pos) : do_read(t, f, a->a[1], a->a[2], &pos, true), wr);
}

long sys_pread64(struct task *t, struct syscall_args *a) { return do_pio(t, a, false); }
long sys_pwrite64(struct task *t, struct syscall_args *a) { return do_pio(t, a, true); }

/* Each vector in turn, stopping at the first short transfer. */
static long vec_transfer(struct task *t, struct file *f, const struct iovec *iov, unsigned long cnt,
			 off_t *pos, bool wr)
{
	long total = 0;
	if (is_disk(f)) {   /* one whole transfer, resumable across parks */
		size_t len = 0;
		for (unsigned long i = 0; i < cnt; i++)
			len += iov[i].iov_len;
		if (!(wr ? file_may_write(f) : file_may_read(f)))
			return -EBADF;
		return disk_transfer(t, f, iov, cnt, len, pos, wr);
	}
	for (unsigned long i = 0; i < cnt; i++) {
		if (!iov[i].iov_len)
			continue;
		long n = wr ? do_write(t, f, (unsigned long)iov[i].iov_base, iov[i].iov_len, pos)
			    : do_read(t, f, (unsigned long)iov[i].iov_base, iov[i].iov_len, pos, false);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	return total;
}

/*
 * readv/writev and their positioned and flagged forms, in Linux's order (vfs_readv):
 * the access mode, the vectors (count, copy, lengths), nothing to do for no bytes,
 * then the RWF_* flags, which hold for this one transfer.
 */
static long do_vec(struct task *t, struct file *f, unsigned long iovp, unsigned long cnt, off_t *pos,
		   bool wr, int rwf)
{
	if (!(wr ? file_may_write(f) : file_may_read(f)))
		return -EBADF;
	if (cnt > UIO_MAXIOV)
		return -EINVAL;
	if (cnt == 0)
		return 0;
	long err;
	if (f->fops == &socket_fops && !pos) {   /* the vectors make one message */
		if ((err = rwf_check(f, rwf, wr)) < 0)
			return err;
		unsigned saved = rwf_begin(t, f, rwf);
		err = sock_rw(t, f, iovp, cnt, true, wr);
		rwf_end(t, f, saved);
		return err;
	}
	struct iovec *iov = malloc(cnt * sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	if (guest_read(t, iov, iovp, cnt * sizeof(*iov)) < 0) {
		free(iov);
		return -EFAULT;
	}
	size_t bytes = 0;
	for (unsigned long i = 0; i < cnt; i++) {
		if ((ssize_t)iov[i].iov_len < 0) {
			free(iov);
			return -EINVAL;
		}
		if (iov[i].iov_len > MAX_RW_COUNT - bytes)
			iov[i].iov_len = MAX_RW_COUNT - bytes;
		bytes += iov[i].iov_len;
	}
	err = bytes ? rwf_check(f, rwf, wr) : 0;
	if (bytes && err == 0) {
		unsigned saved = rwf_begin(t, f, rwf);
		err = vec_transfer(t, f, iov, cnt, pos, wr);
		rwf_end(t, f, saved);
		if (wr)
			err = rwf_sync(f, rwf, err);
	}
	free(iov);
	return err;
}

long sys_readv(struct task *t, struct syscall_args *a)
{
	struct file *f = fd_get(t, (int)a->a[0]);
	return f ? notify_rw(f, do_vec(t, f, a->a[1], a->a[2], NULL, false, 0), false) : -EBADF;
}

long sys_writev(struct task *t, struct syscall_args *a)
{
	struct file *f = fd_get(t, (int)a->a[0]);
	return f ? notify_rw(f, do_vec(t, f, a->a[1], a->a[2], NULL, true, 0), true) : -EBADF;
}

/* Vectors at an explicit offset; the file position stays. On x86-64 the offset is
 * pos_l whole: Linux shifts pos_h out of the 64 bits (pos_from_hilo), so it is unused. */
static long do_pvec(struct task *t, struct syscall_args *a, bool wr, int rwf)
{
	off_t pos = (off_t)a->a[3];
	if (pos < 0)
		return -EINVAL;
	struct file *f = fd_get(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	if (!file_seekable(f))
		return -ESPIPE;
	return notify_rw(f, do_vec(t, f, a->a[1], a->a[2], &pos, wr, rwf), wr);
}

long sys_preadv(struct task *t, struct syscall_args *a) { return do_pvec(t, a, false, 0); }
long sys_pwritev(struct task *t, struct syscall_args *a) { return do_pvec(t, a, true, 0); }

/* preadv2/pwritev2: offset -1 is readv/writev at (and moving) the file position. */
static long do_pvec2(struct task *t, struct syscall_args *a, bool wr)
{
	int rwf = (int)a->a[5];
	if ((off_t)a->a[3] != -1)
		return do_pvec(t, a, wr, rwf);
	struct file *f = fd_get(t, (int)a->a[0]);
	return f ? notify_rw(f, do_vec(t, f, a->a[1], a->a[2], NULL, wr, rwf), wr) : -EBADF;
}

long sys_preadv2(struct task *t, struct syscall_args *a) { return do_pvec2(t, a, false); }
long sys_pwritev2(struct task *t, struct syscall_args *a) { return do_pvec2(t, a, true); }

long sys_lseek(struct task *t, struct syscall_args *a)
{
	struct file *f = fd_get(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	if (f->fops && f->fops->llseek)
		return f->fops->llseek(f, (off_t)a->a[1], (int)a->a[2]);
	if (f->inode && (S_ISFIFO(f->inode->mode) || S_ISSOCK(f->inode->mode)))
		return -ESPIPE;
	off_t size = 0;
	if (f->inode) {
		struct kstat st;
		if (vfs_getattr(f->inode, &st) == 0)
			size = st.size;
	}
	return generic_llseek(f, (off_t)a->a[1], (int)a->a[2], size);
}

long sys_ioctl(struct task *t, struct syscall_args *a)
{
	struct file *f = fd_get(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	unsigned long cmd = a->a[1];
	int one;
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		t->files->cloexec[(int)a->a[0]] = cmd == FIOCLEX;
		return 0;
	case FIONBIO:
		if (guest_read(t, &one, a->a[2], sizeof(one)) < 0)
			return -EFAULT;
		if (one)
			f->flags |= O_NONBLOCK;
		else
			f->flags &= ~O_NONBLOCK;
		return 0;
	}
	if (f->fops && f->fops->ioctl)
		return f->fops->ioctl(f, t, cmd, a->a[2]);
	return -ENOTTY;
}
