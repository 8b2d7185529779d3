/*
 * Pipes: a ring buffer with Linux's semantics (PIPE_BUF atomicity, EOF when writers are
 * gone, EPIPE and SIGPIPE when readers are gone, O_NONBLOCK), blocking by parking.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "fs/pipe.h"
#include "platform/platform.h"
#include "signal/signal.h"

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
	if (p->inode) {
		/* a FIFO keeps its pipe object for the next opener, but not its data */
		p->head = p->len = 0;
		return;
	}
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
};
const struct file_ops pipe_write_fops = {
	.read = pipe_read, .write = pipe_write, .poll = pipe_poll, .ioctl = pipe_ioctl,
	.release = pipe_release, .llseek = pipe_llseek,
};

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
	p->readers = p->writers = 1;
	return 0;
}

/*
 * FIFO open: a reader waits for a writer and vice versa unless O_NONBLOCK (then a
 * writer without readers gets ENXIO). Retried opens re-enter here after parking.
 */
int fifo_open(struct inode *inode, struct file *f)
{
	if (!inode->pipe) {
		inode->pipe = pipe_new();
		inode->pipe->inode = inode;
	}
	struct pipe *p = inode->pipe;
	int acc = f->flags & O_ACCMODE;
	f->priv = p;
	f->fops = acc == O_WRONLY ? &pipe_write_fops : &pipe_read_fops;
	if (acc == O_RDONLY) {
		if (!p->writers && !(f->flags & O_NONBLOCK) && p->fifo_writers_seen == 0) {
			task_wait_on(current, &p->wq);
			return (int)SYSRET_BLOCK;
		}
		p->readers++;
		p->fifo_readers_seen++;
		waitq_wake_all(&p->rq);
	} else if (acc == O_WRONLY) {
		if (!p->readers) {
			if (f->flags & O_NONBLOCK)
				return -ENXIO;
			p->fifo_writers_seen++;
			waitq_wake_all(&p->wq);
			task_wait_on(current, &p->rq);
			p->fifo_writers_seen--;
			return (int)SYSRET_BLOCK;
		}
		p->writers++;
		waitq_wake_all(&p->wq);
	} else {
		p->readers++;
		p->writers++;
	}
	return 0;
}
