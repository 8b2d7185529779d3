/*
 * The master side of a pseudo-terminal: its writes are the slave's input (through the
 * slave's line discipline: echo, editing, ^C), its reads take the slave's output. Most
 * ioctls act on the slave, as Linux's tty_mode_ioctl does for a master (termios, window
 * size, the foreground group); the pty ones are answered here.
 */
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include "drivers/tty/pty_int.h"
#include "sys/syscalls.h"

static struct pty *master_pty(struct file *f) { return f->priv; }

/* Packet mode: a status byte alone when one is waiting, else TIOCPKT_DATA before the
 * data. */
static ssize_t read_packet(struct pty *p, char *buf, size_t len)
{
	if (p->pkt_status) {
		buf[0] = (char)p->pkt_status;
		p->pkt_status = 0;
		return 1;
	}
	buf[0] = TIOCPKT_DATA;
	return 1 + (ssize_t)pty_out_take(p, buf + 1, len - 1);
}

static ssize_t master_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)pos;
	struct pty *p = master_pty(f);
	if (!len)
		return 0;
	if (p->out_len || (p->packet && p->pkt_status))
		return p->packet ? read_packet(p, buf, len) : (ssize_t)pty_out_take(p, buf, len);
	if (p->other_closed)
		return -EIO;   /* every slave file is closed (and all output read) */
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	task_wait_on(current, &p->read_wait);
	return SYSRET_BLOCK;
}

/* Whatever the slave's line discipline takes now; a writer waits only when it took
 * nothing (its buffer is full of input nobody has read). */
static ssize_t master_write(struct file *f, const char *buf, size_t len, off_t *pos)
{
	(void)pos;
	struct pty *p = master_pty(f);
	if (!len)
		return 0;
	size_t n = tty_input(&p->slave, buf, len);
	if (n)
		return (ssize_t)n;
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	task_wait_on(current, &p->write_wait);
	return SYSRET_BLOCK;
}

static unsigned master_poll(struct file *f, struct task *t)
{
	struct pty *p = master_pty(f);
	unsigned mask = 0;
	if (p->out_len || (p->packet && p->pkt_status))
		mask |= POLLIN | POLLRDNORM;
	if (p->packet && p->pkt_status)
		mask |= POLLPRI;
	if (p->other_closed)
		mask |= POLLHUP;
	if (p->slave.ld.count < LDISC_BUF_SIZE)
		mask |= POLLOUT | POLLWRNORM;
	if (t) {
		task_wait_on(t, &p->read_wait);
		task_wait_on(t, &p->write_wait);
	}
	return mask;
}

static long put_int(struct task *t, unsigned long arg, int v)
{
	return guest_write(t, arg, &v, sizeof(v)) < 0 ? -EFAULT : 0;
}

static long get_int(struct task *t, unsigned long arg, int *v)
{
	return guest_read(t, v, arg, sizeof(*v)) < 0 ? -EFAULT : 0;
}

/* The pty ioctls; 1 when cmd is not one of them. */
static long master_own_ioctl(struct pty *p, struct task *t, unsigned long cmd, unsigned long arg)
{
	int v;
	switch (cmd) {
	case TIOCGPTN:
		return put_int(t, arg, p->index);
	case TIOCSPTLCK:
		if (get_int(t, arg, &v) < 0)
			return -EFAULT;
		p->locked = v != 0;
		return 0;
	case TIOCGPTLCK:
		return put_int(t, arg, p->locked);
	case TIOCPKT:
		if (get_int(t, arg, &v) < 0)
			return -EFAULT;
		if (v && !p->packet)
			p->pkt_status = 0;
		p->packet = v != 0;
		return 0;
	case TIOCGPKT:
		return put_int(t, arg, p->packet);
	case TIOCGPTPEER:
		return pty_open_peer(p, t, arg);
	case TIOCSIG:   /* pty_signal(): only what the keyboard could send */
		if (arg != SIGINT && arg != SIGQUIT && arg != SIGTSTP)
			return -EINVAL;
		tty_kill_pgrp(p->slave.pgrp, (int)arg);
		return 0;
	case FIONREAD:
		return put_int(t, arg, (int)p->out_len);
	case TIOCOUTQ:
		return put_int(t, arg, 0);
	case TIOCGPGRP:   /* the slave's, without being its session (tcgetpgrp(master)) */
		return put_int(t, arg, p->slave.pgrp);
	case TIOCGSID:
		return p->slave.session ? put_int(t, arg, p->slave.session) : -ENOTTY;
	case TIOCSCTTY:   /* a master as a controlling terminal: not here */
		return -EINVAL;
	}
	return 1;
}

static long master_ioctl(struct file *f, struct task *t, unsigned long cmd, unsigned long arg)
{
	struct pty *p = master_pty(f);
	long rc = master_own_ioctl(p, t, cmd, arg);
	return rc != 1 ? rc : tty_ioctl_on(&p->slave, f, t, cmd, arg);
}

static off_t master_llseek(struct file *f, off_t off, int whence)
{
	(void)f, (void)off, (void)whence;
	return -ESPIPE;
}

static void master_release(struct file *f)
{
	struct pty *p = master_pty(f);
	if (p)
		pty_master_closed(p);
	f->priv = NULL;
}

const struct file_ops pty_master_fops = {
	.read = master_read, .write = master_write, .poll = master_poll,
	.ioctl = master_ioctl, .llseek = master_llseek, .release = master_release,
};
