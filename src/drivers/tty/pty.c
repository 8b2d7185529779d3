/*
 * Pseudo-terminal pairs: allocation at the open of /dev/ptmx, slave opens (refused while
 * locked, or once the master is gone), the slave's tty driver (its output goes to a ring
 * the master reads; its readers making room lets master writers go on), and the end of
 * a pair: the master's close hangs the slave up, the last slave close makes the
 * master's reads fail with EIO.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include "drivers/tty/pty_int.h"
#include "fs/chrdev.h"
#include "fs/devpts/devpts.h"
#include "sys/syscalls.h"

static struct pty *ptys[PTY_MAX];

/* ---- the slave's driver: output into the ring ------------------------------------- */

static struct pty *pty_of(struct tty *tty) { return tty->driver_data; }

static void out_put(struct pty *p, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p->out[(p->out_head + p->out_len + i) % PTY_BUF_SIZE] = buf[i];
	p->out_len += n;
	waitq_wake_all(&p->read_wait);
}

size_t pty_out_take(struct pty *p, char *buf, size_t len)
{
	size_t n = len < p->out_len ? len : p->out_len;
	for (size_t i = 0; i < n; i++)
		buf[i] = p->out[(p->out_head + i) % PTY_BUF_SIZE];
	p->out_head = (p->out_head + n) % PTY_BUF_SIZE;
	p->out_len -= n;
	if (n)
		waitq_wake_all(&p->slave.write_wait);
	return n;
}

/* With the master gone output has nowhere to go; it is dropped, never waited for. */
static size_t slave_write_room(struct tty *tty)
{
	struct pty *p = pty_of(tty);
	return p->master_open ? PTY_BUF_SIZE - p->out_len : PTY_BUF_SIZE;
}

static size_t slave_write(struct tty *tty, const char *buf, size_t n)
{
	struct pty *p = pty_of(tty);
	if (p->master_open)
		out_put(p, buf, n);
	return n;
}

static void slave_write_kernel(struct tty *tty, const char *buf, size_t n)
{
	struct pty *p = pty_of(tty);
	size_t room = PTY_BUF_SIZE - p->out_len;
	if (p->master_open)
		out_put(p, buf, n < room ? n : room);
}

static size_t slave_output_queued(struct tty *tty) { return pty_of(tty)->out_len; }

static void packet_status(struct pty *p, unsigned char bits)
{
	if (!p->packet)
		return;
	p->pkt_status |= bits;
	waitq_wake_all(&p->read_wait);
}

static void slave_discard_output(struct tty *tty)
{
	struct pty *p = pty_of(tty);
	p->out_len = 0;
	packet_status(p, TIOCPKT_FLUSHWRITE);
}

static void slave_unthrottle(struct tty *tty)
{
	waitq_wake_all(&pty_of(tty)->write_wait);
}

static void slave_discard_input(struct tty *tty)
{
	struct pty *p = pty_of(tty);
	packet_status(p, TIOCPKT_FLUSHREAD);
	waitq_wake_all(&p->write_wait);
}

static void pty_maybe_free(struct pty *p)
{
	if (!p->master_open && p->slave.opens == 0) {
		free(p->out);
		p->out = NULL;
		p->in_use = false;
	}
}

static void slave_close(struct tty *tty)
{
	struct pty *p = pty_of(tty);
	if (tty->opens)
		return;
	p->other_closed = true;
	waitq_wake_all(&p->read_wait);
	waitq_wake_all(&p->write_wait);
	pty_maybe_free(p);
}

static const struct tty_driver pty_slave_driver = {
	.write_room = slave_write_room, .write = slave_write, .write_kernel = slave_write_kernel,
	.output_queued = slave_output_queued, .discard_output = slave_discard_output,
	.unthrottle = slave_unthrottle, .discard_input = slave_discard_input,
	.close = slave_close,
};

/* ---- pairs ------------------------------------------------------------------------- */

/* The lowest free index, as Linux's devpts_new_index. */
static struct pty *pty_alloc(void)
{
	for (int i = 0; i < PTY_MAX; i++) {
		struct pty *p = ptys[i];
		if (p && p->in_use)
			continue;
		if (!p)
			p = ptys[i] = xcalloc(1, sizeof(*p));
		memset(p, 0, sizeof(*p));
		char name[16];
		snprintf(name, sizeof(name), "pts/%d", i);
		p->index = i;
		tty_init(&p->slave, name, makedev(PTY_SLAVE_MAJOR, i), &pty_slave_driver, p);
		p->slave.index = i;
		p->out = xcalloc(1, PTY_BUF_SIZE);
		waitq_init(&p->read_wait);
		waitq_init(&p->write_wait);
		p->in_use = p->master_open = p->locked = true;   /* unlockpt() opens it */
		return p;
	}
	return NULL;
}

static int ptmx_open(struct inode *inode, struct file *f, unsigned minor)
{
	(void)inode, (void)minor;
	struct pty *p = pty_alloc();
	if (!p)
		return -ENOSPC;
	static const struct cred root;
	int err = devpts_pty_new(p->index, p->slave.dev, current ? &current->cred : &root);
	if (err < 0) {
		p->master_open = false;
		pty_maybe_free(p);
		return err;
	}
	f->fops = &pty_master_fops;
	f->priv = p;
	return 0;
}

static int slave_open(struct inode *inode, struct file *f, unsigned minor)
{
	(void)inode;
	struct pty *p = minor < PTY_MAX ? ptys[minor] : NULL;
	if (!p || !p->in_use || !p->master_open || p->locked)
		return -EIO;
	if (p->slave.exclusive && !(current && cred_is_root(&current->cred)))
		return -EBUSY;
	tty_attach_file(f, &p->slave, false);
	p->other_closed = false;
	return 0;
}

void pty_master_closed(struct pty *p)
{
	p->master_open = false;
	devpts_pty_kill(p->index);
	tty_vhangup(&p->slave);
	p->slave.input_eof = true;
	waitq_wake_all(&p->slave.read_wait);
	pty_maybe_free(p);
}

long pty_open_peer(struct pty *p, struct task *t, unsigned long flags)
{
	/* Linux takes any flags here; only these mean something for a tty */
	flags &= O_ACCMODE | O_NOCTTY | O_NONBLOCK | O_CLOEXEC | O_APPEND;
	struct path path;
	int err = devpts_pty_path(p->index, &path);
	if (err < 0)
		return -EIO;
	struct file *f;
	err = vfs_open_path(t, &path, (int)flags, &f);
	path_put(&path);
	if (err < 0)
		return err;
	file_opened_hook(t, f, (int)flags);
	return fd_install(t, f, flags & O_CLOEXEC, 0);
}

static const struct chrdev chrdev_ptmx = { "ptmx", PTY_MASTER_MAJOR, PTY_MASTER_MINOR, 1, ptmx_open };
static const struct chrdev chrdev_pts = { "pts", PTY_SLAVE_MAJOR, 0, PTY_MAX, slave_open };

void pty_init(void)
{
	chrdev_register(&chrdev_ptmx);
	chrdev_register(&chrdev_pts);
}
