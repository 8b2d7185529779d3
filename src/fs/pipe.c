/*
 * Pipes: a ring buffer with Linux's semantics (PIPE_BUF atomicity, EOF when writers are
 * gone, EPIPE and SIGPIPE when readers are gone, O_NONBLOCK), blocking by parking.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "fs/pipe.h"
#include "fs/poll.h"
#include "platform/platform.h"
#include "signal/signal.h"

/*
 * A FIFO's pipe belongs to the file (superblock, inode number), not to one in-memory
 * inode: without a dentry cache the inode object may be gone while an opener waits.
 */
struct fifo_entry {
	struct list_head link;
	struct super_block *sb;
	uint64_t ino;
	struct pipe *pipe;
};
static struct list_head fifos = LIST_HEAD_INIT(fifos);

static uint64_t pipe_ino = 1000;

static struct pipe *pipe_new(void)
{
	struct pipe *p = xcalloc(1, sizeof(*p));
	p->size = PIPE_DEFAULT_SIZE;
	p->buf = xcalloc(1, p->size);
	waitq_init(&p->rq);
	waitq_init(&p->wq);
	return p;
}

static void pipe_free_if_unused(struct pipe *p)
{
	if (p->readers || p->writers)
		return;
	if (p->fifo) {
		/* the last opener of a FIFO is gone: its data goes, and so does the pipe unless
		 * an opener is still waiting for a partner */
		p->head = p->len = 0;
		if (!list_empty(&p->rq.waiters) || !list_empty(&p->wq.waiters))
			return;
		struct fifo_entry *e = p->fifo;
		list_del_init(&e->link);
		free(e);
	}
	waitq_release(&p->rq);   /* a poller may still hold registrations on a dead pipe */
	waitq_release(&p->wq);
	free(p->buf);
	free(p);
}

static ssize_t pipe_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)pos;
	struct pipe *p = f->priv;
	if (len == 0)
		return 0;
	if (p->len == 0) {
		if (p->writers == 0)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		task_wait_on(current, &p->rq);
		return SYSRET_BLOCK;
	}
	size_t n = len < p->len ? len : p->len;
	for (size_t i = 0; i < n; i++)
		buf[i] = p->buf[(p->head + i) % p->size];
	p->head = (p->head + n) % p->size;
	p->len -= n;
	waitq_wake_all(&p->wq);
	return (ssize_t)n;
}

static ssize_t pipe_write(struct file *f, const char *buf, size_t len, off_t *pos)
{
	(void)pos;
	struct pipe *p = f->priv;
	if (p->readers == 0) {
		if (!current->no_sigpipe)
			signal_send_task(current, SIGPIPE, NULL);
		return -EPIPE;
	}
	if (len == 0)
		return 0;
	size_t room = p->size - p->len;
	/* up to PIPE_BUF bytes go in whole or not at all */
	if (room == 0 || (len <= 4096 && room < len)) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		task_wait_on(current, &p->wq);
		return SYSRET_BLOCK;
	}
	size_t n = len < room ? len : room;
	for (size_t i = 0; i < n; i++)
		p->buf[(p->head + p->len + i) % p->size] = buf[i];
	p->len += n;
	waitq_wake_all(&p->rq);
	return (ssize_t)n;
}

static unsigned pipe_poll(struct file *f, struct task *t)
{
	struct pipe *p = f->priv;
	unsigned mask = 0;
	if ((f->flags & O_ACCMODE) != O_WRONLY) {
		if (p->len)
			mask |= POLLIN | POLLRDNORM;
		if (!p->writers && f->fops == &pipe_read_fops)
			mask |= POLLHUP;
		if (t)
			task_wait_on(t, &p->rq);
	}
	if ((f->flags & O_ACCMODE) != O_RDONLY) {
		if (p->size - p->len >= 4096)
			mask |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			mask |= POLLERR;
		if (t)
			task_wait_on(t, &p->wq);
	}
	return mask;
}

static long pipe_ioctl(struct file *f, struct task *t, unsigned long cmd, unsigned long arg)
{
	struct pipe *p = f->priv;
	if (cmd == FIONREAD) {
		int n = (int)p->len;
		return guest_write(t, arg, &n, sizeof(n));
	}
	return -ENOTTY;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;
	if ((f->flags & O_ACCMODE) != O_WRONLY)
		p->readers--;
	if ((f->flags & O_ACCMODE) != O_RDONLY)
		p->writers--;
	waitq_wake_all(&p->rq);
	waitq_wake_all(&p->wq);
	pipe_free_if_unused(p);
}

static off_t pipe_llseek(struct file *f, off_t off, int whence)
{
	(void)f; (void)off; (void)whence;
	return -ESPIPE;
}

const struct file_ops pipe_read_fops = {
	.read = pipe_read, .write = pipe_write, .poll = pipe_poll, .ioctl = pipe_ioctl,
	.release = pipe_release, .llseek = pipe_llseek,
	.rwf = FOP_RWF_NOWAIT_READ | FOP_RWF_NOWAIT_WRITE,
};
const struct file_ops pipe_write_fops = {
	.read = pipe_read, .write = pipe_write, .poll = pipe_poll, .ioctl = pipe_ioctl,
	.release = pipe_release, .llseek = pipe_llseek,
	.rwf = FOP_RWF_NOWAIT_READ | FOP_RWF_NOWAIT_WRITE,
};

/* ---- the ring as splice and tee use it (sys/fs_splice.c) ---------------------- */

struct pipe *file_pipe(struct file *f)
{
	return f->fops == &pipe_read_fops || f->fops == &pipe_write_fops ? f->priv : NULL;
}

size_t pipe_peek(const struct pipe *p, char *buf, size_t len)
{
	size_t n = len < p->len ? len : p->len;
	for (size_t i = 0; i < n; i++)
		buf[i] = p->buf[(p->head + i) % p->size];
	return n;
}

void pipe_consume(struct pipe *p, size_t n)
{
	p->head = (p->head + n) % p->size;
	p->len -= n;
	waitq_wake_all(&p->wq);
}

size_t pipe_put(struct pipe *p, const char *buf, size_t len)
{
	size_t room = p->size - p->len, n = len < room ? len : room;
	for (size_t i = 0; i < n; i++)
		p->buf[(p->head + p->len + i) % p->size] = buf[i];
	p->len += n;
	if (n)
		waitq_wake_all(&p->rq);
	return n;
}

static const struct inode_ops pipe_iops = { 0 };

int pipe_create(struct task *t, struct file **rd, struct file **wr)
{
	(void)t;
	struct pipe *p = pipe_new();
	struct inode *inode = inode_new(NULL, pipe_ino++, S_IFIFO | 0600, &pipe_iops, NULL);
	inode->uid = t->cred.fsuid;
	inode->gid = t->cred.fsgid;
	*rd = file_new(NULL, O_RDONLY);
	*wr = file_new(NULL, O_WRONLY);
	(*rd)->inode = inode;
	(*wr)->inode = inode_get(inode);
	(*rd)->fops = &pipe_read_fops;
	(*wr)->fops = &pipe_write_fops;
	(*rd)->priv = (*wr)->priv = p;
	inode->pipe = p;   /* reopened through /proc/<pid>/fd/N (pipe_proc_path) */
	p->readers = p->writers = 1;
	return 0;
}

/*
 * Opening /proc/<pid>/fd/N of a pipe opens that pipe again, with FIFO open rules, as
 * Linux does through pipefs (bash's <(...) and /dev/stdin rely on it). The path lives
 * on a mount of no filesystem, only for the open; the file made from it is anonymous
 * again (vfs_open_path), so it reads as pipe:[N] like the original.
 */
static struct mount anon_pipe_mnt = { .refcount = 1 };

int pipe_proc_path(struct file *f, struct path *out)
{
	char name[32];

	if (!f->inode || !f->inode->pipe || f->inode->sb)
		return 1;
	snprintf(name, sizeof(name), "pipe:[%llu]", (unsigned long long)f->inode->ino);
	out->mnt = &anon_pipe_mnt;
	out->mnt->refcount++;
	out->dentry = dentry_new(name, NULL, inode_get(f->inode));
	return 0;
}

/*
 * FIFO open, as Linux's fifo_open: an opener counts itself at once, then a blocking
 * reader waits for a writer (or for one to have come and gone: the counter moved) and a
 * blocking writer for a reader; O_NONBLOCK readers never wait, O_NONBLOCK writers
 * without a reader get ENXIO. The count survives the retries of a parked open in
 * current->scratch and is undone if a signal interrupts the wait.
 */
#define FIFO_OPENING 0x6669666fL

static void fifo_open_abort(struct task *t)
{
	struct pipe *p = (struct pipe *)t->scratch[2];
	if (t->scratch[3] == O_RDONLY)
		p->readers--;
	else
		p->writers--;
	t->scratch[0] = 0;
	task_drop_waits(t);
	waitq_wake_all(&p->rq);
	waitq_wake_all(&p->wq);
	pipe_free_if_unused(p);
}

static int fifo_wait(struct pipe *p, struct waitq *q, long counter)
{
	struct task *t = current;
	if (!t->retrying || t->scratch[0] != FIFO_OPENING) {
		t->scratch[0] = FIFO_OPENING;
		t->scratch[1] = counter;
		t->scratch[2] = (long)p;
	}
	t->park_abort = fifo_open_abort;
	task_wait_on(t, q);
	return (int)SYSRET_BLOCK;
}


static struct pipe *fifo_pipe(struct inode *inode)
{
	struct list_head *l;
	if (inode->pipe)
		return inode->pipe;   /* an anonymous pipe, reopened */
	list_for_each(l, &fifos) {
		struct fifo_entry *e = list_entry(l, struct fifo_entry, link);
		if (e->sb == inode->sb && e->ino == inode->ino)
			return e->pipe;
	}
	struct fifo_entry *e = xcalloc(1, sizeof(*e));
	e->sb = inode->sb;
	e->ino = inode->ino;
	e->pipe = pipe_new();
	e->pipe->fifo = e;
	list_add_tail(&e->link, &fifos);
	return e->pipe;
}

int fifo_open(struct inode *inode, struct file *f)
{
	struct pipe *p = fifo_pipe(inode);
	int acc = f->flags & O_ACCMODE;
	bool again = current && current->retrying && current->scratch[0] == FIFO_OPENING;
	bool is_pipe = !inode->sb;   /* an anonymous pipe reopened: no partner to wait for */
	f->priv = p;
	f->fops = acc == O_WRONLY ? &pipe_write_fops : &pipe_read_fops;
	if (acc == O_RDONLY) {
		if (!again) {
			p->fifo_readers_seen++;
			p->readers++;
			waitq_wake_all(&p->wq);
		}
		if (!is_pipe && !p->writers && !(f->flags & O_NONBLOCK) &&
		    (!again || current->scratch[1] == p->fifo_writers_seen)) {
			current->scratch[3] = O_RDONLY;
			return fifo_wait(p, &p->rq, again ? current->scratch[1] : p->fifo_writers_seen);
		}
	} else if (acc == O_WRONLY) {
		if (!again) {
			if (!is_pipe && !p->readers && (f->flags & O_NONBLOCK))
				return -ENXIO;
			p->fifo_writers_seen++;
			p->writers++;
			waitq_wake_all(&p->rq);
		}
		if (!is_pipe && !p->readers && (!again || current->scratch[1] == p->fifo_readers_seen)) {
			current->scratch[3] = O_WRONLY;
			return fifo_wait(p, &p->wq, again ? current->scratch[1] : p->fifo_readers_seen);
		}
	} else {
		/* O_RDWR never blocks: it is its own partner */
		p->readers++;
		p->writers++;
		p->fifo_readers_seen++;
		p->fifo_writers_seen++;
	}
	if (current)
		current->scratch[0] = 0;
	return 0;
}

/* F_GETPIPE_SZ / F_SETPIPE_SZ: a power-of-two number of pages, at most pipe-max-size
 * (1 MiB) unless root, never below what the pipe holds. */
long pipe_fcntl_size(struct file *f, struct task *t, int cmd, unsigned long arg)
{
	if (f->fops != &pipe_read_fops && f->fops != &pipe_write_fops)
		return -EBADF;
	struct pipe *p = f->priv;
	if (cmd == F_GETPIPE_SZ)
		return (long)p->size;
	size_t want = arg < PAGE_SIZE ? PAGE_SIZE : arg;
	if (want > (1UL << 31))
		return -ENOMEM;
	size_t size = PAGE_SIZE;
	while (size < want)
		size <<= 1;
	if (size > 1048576 && !cred_is_root(&t->cred))
		return -EPERM;
	if (size < p->len)
		return -EBUSY;
	char *buf = xcalloc(1, size);
	for (size_t i = 0; i < p->len; i++)
		buf[i] = p->buf[(p->head + i) % p->size];
	free(p->buf);
	p->buf = buf;
	p->head = 0;
	p->size = size;
	waitq_wake_all(&p->wq);
	return (long)size;
}
