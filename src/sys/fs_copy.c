/*
 * sendfile and copy_file_range: bytes moved from one open file to another inside the
 * kernel, through a kernel buffer as Linux's do_splice_direct fallback moves them.
 * splice and tee, which need a pipe at one end, are in fs_splice.c.
 */
#include <limits.h>
#include <stdlib.h>
#include "fs/notify/fsnotify.h"
#include "fs/pipe.h"
#include "fs/vfs.h"
#include "sys/syscalls.h"

#define COPY_CHUNK ((size_t)1 << 20)

static bool is_type(struct file *f, mode_t type)
{
	return f->inode && (f->inode->mode & S_IFMT) == type;
}

/*
 * Reads from in at *in_pos and writes to out at *out_pos (ignored by pipes and other
 * streams) until count bytes moved, in hits its end or out takes less. Both positions
 * advance by what out took, so nothing read is lost. A blocking output with nothing
 * moved yet parks the caller (the retry starts over: nothing has changed).
 */
static long copy_chunks(struct file *in, off_t *in_pos, struct file *out, off_t *out_pos,
			size_t count)
{
	size_t done = 0;
	char *buf = malloc(count < COPY_CHUNK ? (count ? count : 1) : COPY_CHUNK);
	if (!buf)
		return -ENOMEM;
	while (done < count) {
		size_t want = count - done < COPY_CHUNK ? count - done : COPY_CHUNK;
		off_t rpos = *in_pos;
		ssize_t n = in->fops->read(in, buf, want, &rpos);
		if (n <= 0) {
			if (n < 0 && !done) {
				free(buf);
				return n;
			}
			break;
		}
		ssize_t w = out->fops->write(out, buf, (size_t)n, out_pos);
		if (w <= 0) {
			free(buf);
			if (done)
				return (long)done;
			return w ? w : -EIO;
		}
		*in_pos += w;
		done += (size_t)w;
		if (w < n)
			break;
	}
	free(buf);
	return (long)done;
}

/* As Linux's sendfile and copy_file_range, a copy that moved bytes is an IN_ACCESS of
 * its input and an IN_MODIFY of its output. */
static long copy_through_buffer(struct file *in, off_t *in_pos, struct file *out,
				off_t *out_pos, size_t count)
{
	long n = copy_chunks(in, in_pos, out, out_pos, count);
	if (n > 0) {
		fsnotify_access(in);
		fsnotify_modify(out);
	}
	return n;
}

/*
 * Into a pipe no more is read than it has room for, as splice_file_to_pipe does: an
 * input that cannot seek gives its bytes up as they are read. A full pipe parks the
 * caller (EAGAIN with O_NONBLOCK) before anything is read; one without readers is left
 * to the write's EPIPE.
 */
static long pipe_room(struct task *t, struct file *out, size_t *count)
{
	struct pipe *p = out->priv;
	size_t room = p->size - p->len;
	if (!p->readers)
		return 0;
	if (room == 0) {
		if (out->flags & O_NONBLOCK)
			return -EAGAIN;
		task_wait_on(t, &p->wq);
		return SYSRET_BLOCK;
	}
	if (*count > room)
		*count = room;
	return 0;
}

static bool can_read(struct file *f) { return f->fops && f->fops->read; }
static bool can_write(struct file *f) { return f->fops && f->fops->write; }

/* Linux's do_sendfile, in its order of checks. ppos NULL: the input's own position. */
static long do_sendfile(struct task *t, int out_fd, int in_fd, off_t *ppos, size_t count)
{
	struct file *in = fd_get(t, in_fd);
	if (!in || !file_may_read(in))
		return -EBADF;
	if (ppos && !file_seekable(in))
		return -ESPIPE;
	off_t pos = ppos ? *ppos : in->pos;
	if (pos < 0 || (ssize_t)count < 0)
		return -EINVAL;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	struct file *out = fd_get(t, out_fd);
	if (!out || !file_may_write(out))
		return -EBADF;
	bool to_pipe = is_type(out, S_IFIFO);
	/* do_splice_direct refuses appending outputs; pipes are spliced to instead */
	if (!to_pipe && (out->flags & O_APPEND))
		return -EINVAL;
	if (!can_read(in) || !can_write(out))
		return -EINVAL;
	/* An input needs a splice_read (not a directory, pipe or anonymous file) and,
	 * unless the output is a pipe, must be one do_splice_direct can seek in, so that
	 * what the output refuses is not lost. */
	if (!in->inode || !(in->inode->mode & S_IFMT) || is_type(in, S_IFDIR) ||
	    (to_pipe ? is_type(in, S_IFIFO) : !file_seekable(in)))
		return -EINVAL;
	long n = 0;
	if (is_type(out, S_IFREG))
		n = fsize_check(t, out, &out->pos, &count);
	if (n == 0 && count && to_pipe)
		n = pipe_room(t, out, &count);
	if (n < 0 || n == SYSRET_BLOCK || count == 0)
		return n;
	n = copy_through_buffer(in, &pos, out, &out->pos, count);
	if (n > 0) {
		if (ppos)
			*ppos = pos;
		else
			in->pos = pos;
	}
	return n;
}

long sys_sendfile(struct task *t, struct syscall_args *a)
{
	unsigned long uoff = a->a[2];
	off_t pos = 0;
	if (uoff && guest_read(t, &pos, uoff, sizeof(pos)) < 0)
		return -EFAULT;
	long n = do_sendfile(t, (int)a->a[0], (int)a->a[1], uoff ? &pos : NULL, a->a[3]);
	/* Linux writes the offset back whatever happened */
	if (uoff && n != SYSRET_BLOCK && guest_write(t, uoff, &pos, sizeof(pos)) < 0)
		return -EFAULT;
	return n;
}

static bool same_file(struct file *a, struct file *b)
{
	return a->inode == b->inode || (a->inode->sb == b->inode->sb && a->inode->ino == b->inode->ino);
}

/*
 * generic_copy_file_checks: only regular files, readable in and writable, non-appending
 * out, offsets that don't wrap, the count cut to the input's end, RLIMIT_FSIZE, and no
 * overlapping ranges of one file. Across superblocks Linux (since 5.19) copies only
 * between filesystems of one type that does the copy itself (nfs, cifs, fuse): hostfs
 * files all lie on the host, so one type is where the line is drawn here.
 */
static long copy_file_checks(struct task *t, struct file *in, off_t pos_in, struct file *out,
			     off_t pos_out, size_t *count)
{
	if (is_type(in, S_IFDIR) || is_type(out, S_IFDIR))
		return -EISDIR;
	if (!is_type(in, S_IFREG) || !is_type(out, S_IFREG))
		return -EINVAL;
	if (!file_may_read(in) || !file_may_write(out) || (out->flags & O_APPEND))
		return -EBADF;
	if (in->inode->sb != out->inode->sb &&
	    (!in->inode->sb || !out->inode->sb || in->inode->sb->type != out->inode->sb->type))
		return -EXDEV;
	uint64_t n = *count;
	if ((uint64_t)pos_in + n < (uint64_t)pos_in || (uint64_t)pos_out + n < (uint64_t)pos_out)
		return -EOVERFLOW;
	struct kstat st;
	long err = vfs_getattr(in->inode, &st);
	if (err < 0)
		return err;
	if (pos_in >= st.size)
		n = 0;
	else if (n > (uint64_t)(st.size - pos_in))
		n = (uint64_t)(st.size - pos_in);
	*count = (size_t)n;
	err = fsize_check(t, out, &pos_out, count);
	if (err < 0)
		return err;
	if (same_file(in, out) && pos_out + (off_t)*count > pos_in && pos_out < pos_in + (off_t)*count)
		return -EINVAL;
	/* rw_verify_area, for both ends */
	if (pos_in < 0 || pos_out < 0 || (ssize_t)*count < 0)
		return -EINVAL;
	return 0;
}

static long read_offset(struct task *t, unsigned long uaddr, struct file *f, off_t *pos)
{
	if (!uaddr) {
		*pos = f->pos;
		return 0;
	}
	return guest_read(t, pos, uaddr, sizeof(*pos)) < 0 ? -EFAULT : 0;
}

static long write_offset(struct task *t, unsigned long uaddr, struct file *f, off_t pos)
{
	if (!uaddr) {
		f->pos = pos;
		return 0;
	}
	return guest_write(t, uaddr, &pos, sizeof(pos)) < 0 ? -EFAULT : 0;
}

long sys_copy_file_range(struct task *t, struct syscall_args *a)
{
	struct file *in = fd_get(t, (int)a->a[0]);
	struct file *out = fd_get(t, (int)a->a[2]);
	unsigned long uoff_in = a->a[1], uoff_out = a->a[3];
	size_t count = a->a[4];
	off_t pos_in, pos_out;
	if (!in || !out)
		return -EBADF;
	if (read_offset(t, uoff_in, in, &pos_in) < 0 || read_offset(t, uoff_out, out, &pos_out) < 0)
		return -EFAULT;
	if ((unsigned)a->a[5] != 0)
		return -EINVAL;
	long n = copy_file_checks(t, in, pos_in, out, pos_out, &count);
	if (n < 0 || count == 0)
		return n;
	if (!can_read(in) || !can_write(out))
		return -EINVAL;
	n = copy_through_buffer(in, &pos_in, out, &pos_out, count);
	if (n <= 0)
		return n;
	if (write_offset(t, uoff_in, in, pos_in) < 0 || write_offset(t, uoff_out, out, pos_out) < 0)
		return -EFAULT;
	return n;
}
