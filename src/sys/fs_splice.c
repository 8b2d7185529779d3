/*
 * splice and tee: bytes moved between a pipe and a file, or between two pipes, inside
 * the kernel. Linux moves page references; here bytes are copied through a kernel
 * buffer, and taken out of the input pipe only once the output has accepted them, so
 * a call either makes progress and returns it or parks having changed nothing (the
 * retry after a wake-up starts over with nothing to redo or lose). Checks follow
 * Linux's __do_splice, do_splice and do_tee in their order. vmsplice is a writev into
 * a pipe's write end or a readv from its read end.
 */
#include <limits.h>
#include <stdlib.h>
#include "fs/notify/fsnotify.h"
#include "fs/pipe.h"
#include "fs/vfs.h"
#include "signal/signal.h"
#include "sys/syscalls.h"

#define SPLICE_F_ALL (SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)

/* Files Linux gives a splice_read/splice_write: not anonymous inodes (eventfd, epoll,
 * timerfd...), not directories. Sockets are not spliced here yet. */
static bool spliceable(struct file *f, bool writing)
{
	if (!f->inode || !(f->inode->mode & S_IFMT) || S_ISDIR(f->inode->mode) ||
	    S_ISSOCK(f->inode->mode))
		return false;
	return writing ? f->fops && f->fops->write : f->fops && f->fops->read;
}

static long broken_pipe(struct task *t)
{
	signal_send_task(t, SIGPIPE, NULL);   /* splice sends it whatever MSG_NOSIGNAL */
	return -EPIPE;
}

/* ipipe_prep: data to take, or the writers gone (then 0 bytes move). */
static long wait_for_data(struct task *t, struct pipe *p, bool nonblock)
{
	if (p->len || !p->writers)
		return 0;
	if (nonblock)
		return -EAGAIN;
	task_wait_on(t, &p->rq);
	return SYSRET_BLOCK;
}

/* opipe_prep / wait_for_space: room to write, or EPIPE without readers. Linux's pipe
 * is full when its page buffers are all used, however much each holds: less than a
 * page of room left in this ring counts as full. */
static long wait_for_room(struct task *t, struct pipe *p, bool nonblock)
{
	if (!p->readers)
		return broken_pipe(t);
	if (p->size - p->len >= PAGE_SIZE)
		return 0;
	if (nonblock)
		return -EAGAIN;
	task_wait_on(t, &p->wq);
	return SYSRET_BLOCK;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

/* Pipe to pipe, or (tee) a copy of the input's front, which stays. */
static long pipe_to_pipe(struct task *t, struct pipe *ip, struct pipe *op, size_t len,
			 bool nonblock, bool keep)
{
	long err = wait_for_data(t, ip, nonblock);
	if (err == 0)
		err = wait_for_room(t, op, nonblock);
	if (err)
		return err;
	size_t n = min3(len, ip->len, op->size - op->len);
	if (n == 0)
		return 0;   /* the input's writers are gone */
	char *buf = malloc(n);
	if (!buf)
		return -ENOMEM;
	pipe_peek(ip, buf, n);
	pipe_put(op, buf, n);
	free(buf);
	if (!keep)
		pipe_consume(ip, n);
	return (long)n;
}

/* From a pipe to a file at *pos: what is in the pipe now, as much as out takes. */
static long pipe_to_file(struct task *t, struct pipe *ip, struct file *out, off_t *pos,
			 size_t len, bool nonblock)
{
	if (!spliceable(out, true))
		return -EINVAL;
	long err = wait_for_data(t, ip, nonblock);
	if (err || ip->len == 0)
		return err;
	size_t n = len < ip->len ? len : ip->len;
	if (S_ISREG(out->inode->mode) && (err = fsize_check(t, out, pos, &n)) < 0)
		return err;
	char *buf = malloc(n);
	if (!buf)
		return -ENOMEM;
	pipe_peek(ip, buf, n);
	ssize_t w = out->fops->write(out, buf, n, pos);
	free(buf);
	if (w > 0)
		pipe_consume(ip, (size_t)w);
	return w;
}

/* From a file at *pos into a pipe: no more is read than the pipe has room for. */
static long file_to_pipe(struct task *t, struct file *in, off_t *pos, struct pipe *op,
			 size_t len, bool nonblock)
{
	long err = wait_for_room(t, op, nonblock);
	if (err)
		return err;
	if (!spliceable(in, false))
		return -EINVAL;
	size_t room = op->size - op->len;
	/* Linux fills one pipe buffer per page of a file's page cache: reading from inside
	 * a page leaves the rest of that buffer's page unused. */
	if (S_ISREG(in->inode->mode) && room > (size_t)(*pos % PAGE_SIZE))
		room -= (size_t)(*pos % PAGE_SIZE);
	size_t n = len < room ? len : room;
	char *buf = malloc(n);
	if (!buf)
		return -ENOMEM;
	ssize_t r = in->fops->read(in, buf, n, pos);
	if (r > 0)
		pipe_put(op, buf, (size_t)r);
	free(buf);
	return r;
}

/* do_splice's file end: an explicit offset needs a file that has positions. */
static long file_end_pos(struct file *f, off_t *off, off_t **pos)
{
	if (off && !file_seekable(f))
		return -EINVAL;
	*pos = off ? off : &f->pos;
	return **pos < 0 ? -EINVAL : 0;
}

static long do_splice(struct task *t, struct file *in, off_t *off_in, struct file *out,
		      off_t *off_out, size_t len, unsigned flags)
{
	if (!file_may_read(in) || !file_may_write(out))
		return -EBADF;
	struct pipe *ip = file_pipe(in), *op = file_pipe(out);
	bool nonblock = flags & SPLICE_F_NONBLOCK;
	off_t *pos;
	long err;
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	if (ip && op) {
		if (ip == op)
			return -EINVAL;
		nonblock |= (in->flags | out->flags) & O_NONBLOCK;
		return pipe_to_pipe(t, ip, op, len, nonblock, false);
	}
	if (ip) {
		if ((err = file_end_pos(out, off_out, &pos)) < 0)
			return err;
		if (out->flags & O_APPEND)
			return -EINVAL;
		return pipe_to_file(t, ip, out, pos, len, nonblock || (in->flags & O_NONBLOCK));
	}
	if (op) {
		if ((err = file_end_pos(in, off_in, &pos)) < 0)
			return err;
		return file_to_pipe(t, in, pos, op, len, nonblock || (out->flags & O_NONBLOCK));
	}
	return -EINVAL;
}

static long offset_in(struct task *t, unsigned long uoff, off_t *off)
{
	return guest_read(t, off, uoff, sizeof(*off)) < 0 ? -EFAULT : 0;
}

long sys_splice(struct task *t, struct syscall_args *a)
{
	unsigned long uoff_in = a->a[1], uoff_out = a->a[3];
	size_t len = a->a[4];
	unsigned flags = (unsigned)a->a[5];
	if (!len)
		return 0;
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	struct file *in = fd_get(t, (int)a->a[0]), *out = fd_get(t, (int)a->a[2]);
	if (!in || !out)
		return -EBADF;
	if ((file_pipe(in) && uoff_in) || (file_pipe(out) && uoff_out))
		return -ESPIPE;
	off_t off_in = 0, off_out = 0;
	long n;
	if ((uoff_in && (n = offset_in(t, uoff_in, &off_in)) < 0) ||
	    (uoff_out && (n = offset_in(t, uoff_out, &off_out)) < 0))
		return n;
	n = do_splice(t, in, uoff_in ? &off_in : NULL, out, uoff_out ? &off_out : NULL, len, flags);
	if (n < 0)   /* SYSRET_BLOCK included: the retry reads the offsets again */
		return n;
	if (n > 0) {
		fsnotify_modify(out);
		fsnotify_access(in);
	}
	if ((uoff_in && guest_write(t, uoff_in, &off_in, sizeof(off_in)) < 0) ||
	    (uoff_out && guest_write(t, uoff_out, &off_out, sizeof(off_out)) < 0))
		return -EFAULT;
	return n;
}

long sys_tee(struct task *t, struct syscall_args *a)
{
	size_t len = a->a[2];
	unsigned flags = (unsigned)a->a[3];
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	if (!len)
		return 0;
	struct file *in = fd_get(t, (int)a->a[0]), *out = fd_get(t, (int)a->a[1]);
	if (!in || !out)
		return -EBADF;
	if (!file_may_read(in) || !file_may_write(out))
		return -EBADF;
	struct pipe *ip = file_pipe(in), *op = file_pipe(out);
	if (!ip || !op || ip == op)
		return -EINVAL;
	bool nonblock = (flags & SPLICE_F_NONBLOCK) || ((in->flags | out->flags) & O_NONBLOCK);
	return pipe_to_pipe(t, ip, op, len > MAX_RW_COUNT ? MAX_RW_COUNT : len, nonblock, true);
}

/* Linux's vmsplice: the direction is the descriptor's (its write end: the vectors into
 * the pipe; its read end: out of it); SPLICE_F_NONBLOCK acts as O_NONBLOCK. */
long sys_vmsplice(struct task *t, struct syscall_args *a)
{
	unsigned flags = (unsigned)a->a[3];
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	struct file *f = fd_get(t, (int)a->a[0]);
	if (!f || !(file_may_write(f) || file_may_read(f)))
		return -EBADF;
	if (!file_pipe(f))
		return -EBADF;   /* Linux: get_pipe_info finds none */
	struct syscall_args vec = { .a = { a->a[0], a->a[1], a->a[2] } };
	unsigned saved = f->flags;
	if (flags & SPLICE_F_NONBLOCK)
		f->flags |= O_NONBLOCK;
	long n = file_may_write(f) ? sys_writev(t, &vec) : sys_readv(t, &vec);
	f->flags = saved;
	return n;
}
