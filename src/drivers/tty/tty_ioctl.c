/*
 * tty ioctls: termios (TCGETS..., the termios2 and the old termio forms), window size,
 * job control (TIOCSPGRP, TIOCSCTTY ...), flushing and flow control, and the small
 * queries. What Linux's tty core, n_tty and a driver without modem lines answer, a
 * console here answers the same way; anything else is ENOTTY (KDGKBTYPE and TIOCLINUX
 * too: those belong to the VT driver, which UML does not have).
 */
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include "drivers/tty/tty_int.h"
#include "platform/platform.h"

/* <asm/termbits.h> values that glibc's <termios.h> leaves out. */
#define K_BOTHER  0010000
#define K_IBSHIFT 16
/* The termios2 requests. glibc's TCGETS2 names a struct termios2 it never defines;
 * struct ktermios has the same 44-byte layout, so these are the same numbers. */
#define K_TCGETS2  _IOR('T', 0x2A, struct ktermios)
#define K_TCSETS2  _IOW('T', 0x2B, struct ktermios)
#define K_TCSETSW2 _IOW('T', 0x2C, struct ktermios)
#define K_TCSETSF2 _IOW('T', 0x2D, struct ktermios)

static long put_int(struct task *t, unsigned long arg, int v)
{
	return guest_write(t, arg, &v, sizeof(v)) < 0 ? -EFAULT : 0;
}

static long get_int(struct task *t, unsigned long arg, int *v)
{
	return guest_read(t, v, arg, sizeof(*v)) < 0 ? -EFAULT : 0;
}

static long copy_out(struct task *t, unsigned long arg, const void *src, size_t n)
{
	return guest_write(t, arg, src, n) < 0 ? -EFAULT : 0;
}

/* The speeds that follow from the CBAUD/CIBAUD codes, unless a termios2 caller gave
 * them explicitly (BOTHER). An input code of 0 means "same as output". */
static void fix_speeds(struct ktermios *kt, bool v2)
{
	tcflag_t out = kt->c_cflag & CBAUD, in = (kt->c_cflag & CIBAUD) >> K_IBSHIFT;
	if (!v2 || out != K_BOTHER)
		kt->c_ospeed = ldisc_baud_to_speed(out);
	if (!v2 || in != K_BOTHER)
		kt->c_ispeed = in ? ldisc_baud_to_speed(in) : kt->c_ospeed;
}

/* Input flush: the line discipline's buffer and what the channel holds back. */
static void flush_input(struct tty *tty)
{
	ldisc_flush_input(&tty->ld);
	tty->driver->discard_input(tty);
}

enum { SET_V2 = 1, SET_FLUSH = 2, SET_TERMIO = 4 };

/* The old struct termio carries the low 16 bits of each flag word and 8 c_cc. */
static int read_termio(struct task *t, unsigned long arg, struct ktermios *kt)
{
	struct termio tio;
	if (guest_read(t, &tio, arg, sizeof(tio)) < 0)
		return -EFAULT;
	kt->c_iflag = (kt->c_iflag & 0xffff0000u) | tio.c_iflag;
	kt->c_oflag = (kt->c_oflag & 0xffff0000u) | tio.c_oflag;
	kt->c_cflag = (kt->c_cflag & 0xffff0000u) | tio.c_cflag;
	kt->c_lflag = (kt->c_lflag & 0xffff0000u) | tio.c_lflag;
	kt->c_line = tio.c_line;
	memcpy(kt->c_cc, tio.c_cc, sizeof(tio.c_cc));
	return 0;
}

static long get_termio(struct tty *tty, struct task *t, unsigned long arg)
{
	const struct ktermios *kt = &tty->ld.termios;
	struct termio tio = {
		.c_iflag = (unsigned short)kt->c_iflag, .c_oflag = (unsigned short)kt->c_oflag,
		.c_cflag = (unsigned short)kt->c_cflag, .c_lflag = (unsigned short)kt->c_lflag,
		.c_line = kt->c_line,
	};
	memcpy(tio.c_cc, kt->c_cc, sizeof(tio.c_cc));
	return copy_out(t, arg, &tio, sizeof(tio));
}

/* TCSETS and friends. The W forms wait for output to drain, which here is never
 * needed: output is already with the host or queued in order. */
static long set_termios(struct tty *tty, struct task *t, unsigned long arg, unsigned how)
{
	long err = tty_job_check(tty, t, SIGTTOU);
	if (err)
		return err;
	struct ktermios kt = tty->ld.termios;
	if (how & SET_TERMIO) {
		if (read_termio(t, arg, &kt) < 0)
			return -EFAULT;
	} else if (guest_read(t, &kt, arg, (how & SET_V2) ? sizeof(kt) : KTERMIOS_V1_SIZE) < 0) {
		return -EFAULT;
	}
	fix_speeds(&kt, how & SET_V2);
	if (how & SET_FLUSH)
		flush_input(tty);
	ldisc_set_termios(&tty->ld, &kt);
	tty_termios_changed(tty);
	return 0;
}

static long ioctl_spgrp(struct tty *tty, struct task *t, unsigned long arg)
{
	long err = tty_job_check(tty, t, SIGTTOU);
	if (err == -EIO)
		return -ENOTTY;
	if (err)
		return err;
	int pgrp;
	if (get_int(t, arg, &pgrp) < 0)
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	if (t->tg->ctty != tty || tty->session != t->tg->sid)
		return -ENOTTY;
	long sid = pgrp ? tty_session_of_pgrp(pgrp) : -ESRCH;
	if (sid < 0)
		return sid;
	if (sid != t->tg->sid)
		return -EPERM;
	tty->pgrp = pgrp;
	return 0;
}

static long ioctl_swinsz(struct tty *tty, struct task *t, unsigned long arg)
{
	struct winsize ws;
	if (guest_read(t, &ws, arg, sizeof(ws)) < 0)
		return -EFAULT;
	tty_resize(tty, ws.ws_row, ws.ws_col, ws.ws_xpixel, ws.ws_ypixel);
	return 0;
}

static long ioctl_flush(struct tty *tty, struct task *t, unsigned long arg)
{
	long err = tty_job_check(tty, t, SIGTTOU);
	if (err)
		return err;
	if (arg != TCIFLUSH && arg != TCOFLUSH && arg != TCIOFLUSH)
		return -EINVAL;
	if (arg != TCOFLUSH)
		flush_input(tty);
	if (arg != TCIFLUSH) {
		tty->driver->discard_output(tty);
		waitq_wake_all(&tty->write_wait);
	}
	return 0;
}

static long ioctl_xonc(struct tty *tty, struct task *t, unsigned long arg)
{
	long err = tty_job_check(tty, t, SIGTTOU);
	if (err)
		return err;
	char c;
	switch (arg) {
	case TCOOFF:
		ldisc_stop_output(&tty->ld, true);
		return 0;
	case TCOON:
		ldisc_start_output(&tty->ld, true);
		tty_ldisc_results(tty);
		return 0;
	case TCIOFF:
	case TCION:
		/* asks the other side to stop or resume sending: the STOP/START byte */
		c = (char)tty->ld.termios.c_cc[arg == TCIOFF ? VSTOP : VSTART];
		if (c)
			tty->driver->write_kernel(tty, &c, 1);
		return 0;
	default:
		return -EINVAL;
	}
}

static long ioctl_sti(struct tty *tty, struct task *t, unsigned long arg)
{
	if (t->tg->ctty != tty && !cred_is_root(&t->cred))
		return -EPERM;
	char c;
	if (guest_read(t, &c, arg, 1) < 0)
		return -EFAULT;
	tty_input(tty, &c, 1);
	return 0;
}

/* Linux's new_encode_dev: what TIOCGDEV reports. */
static unsigned encode_dev(dev_t dev)
{
	unsigned maj = major(dev), min = minor(dev);
	return (min & 0xff) | (maj << 8) | ((min & ~0xffu) << 12);
}

/* Job control and session ioctls; -ENOIOCTLCMD-like 1 when cmd is not one of them. */
static long ioctl_job(struct tty *tty, struct file *f, struct task *t, unsigned long cmd,
		      unsigned long arg)
{
	switch (cmd) {
	case TIOCGPGRP:
		if (t->tg->ctty != tty)
			return -ENOTTY;
		return put_int(t, arg, tty->pgrp);
	case TIOCSPGRP:
		return ioctl_spgrp(tty, t, arg);
	case TIOCGSID:
		if (t->tg->ctty != tty || !tty->session)
			return -ENOTTY;
		return put_int(t, arg, tty->session);
	case TIOCSCTTY:
		return tty_ioctl_sctty(tty, f, t, arg);
	case TIOCNOTTY:
		return tty_ioctl_notty(tty, t);
	case TIOCVHANGUP:
		if (!cred_is_root(&t->cred))
			return -EPERM;
		tty_hangup(tty);
		return 0;
	case TIOCSTI:
		return ioctl_sti(tty, t, arg);
	}
	return 1;
}

/* termios, window, flow and queue ioctls; 1 when cmd is not one of them. */
static long ioctl_line(struct tty *tty, struct task *t, unsigned long cmd, unsigned long arg)
{
	static const struct ktermios no_locks;
	int v;
	switch (cmd) {
	case TCGETS:
		return copy_out(t, arg, &tty->ld.termios, KTERMIOS_V1_SIZE);
	case K_TCGETS2:
		return copy_out(t, arg, &tty->ld.termios, sizeof(struct ktermios));
	case TCGETA:
		return get_termio(tty, t, arg);
	case TCSETS: case TCSETSW:
		return set_termios(tty, t, arg, 0);
	case TCSETSF:
		return set_termios(tty, t, arg, SET_FLUSH);
	case K_TCSETS2: case K_TCSETSW2:
		return set_termios(tty, t, arg, SET_V2);
	case K_TCSETSF2:
		return set_termios(tty, t, arg, SET_V2 | SET_FLUSH);
	case TCSETA: case TCSETAW:
		return set_termios(tty, t, arg, SET_TERMIO);
	case TCSETAF:
		return set_termios(tty, t, arg, SET_TERMIO | SET_FLUSH);
	case TIOCGLCKTRMIOS:   /* nothing is ever locked */
		return copy_out(t, arg, &no_locks, KTERMIOS_V1_SIZE);
	case TIOCSLCKTRMIOS:
		return cred_is_root(&t->cred) ? 0 : -EPERM;
	case TIOCGSOFTCAR:
		return put_int(t, arg, (tty->ld.termios.c_cflag & CLOCAL) ? 1 : 0);
	case TIOCSSOFTCAR:
		if (get_int(t, arg, &v) < 0)
			return -EFAULT;
		tty->ld.termios.c_cflag = (tty->ld.termios.c_cflag & ~(tcflag_t)CLOCAL) |
					  (v ? CLOCAL : 0);
		return 0;
	case TIOCGWINSZ:
		return copy_out(t, arg, &tty->ws, sizeof(tty->ws));
	case TIOCSWINSZ:
		return ioctl_swinsz(tty, t, arg);
	case TCFLSH:
		return ioctl_flush(tty, t, arg);
	case TCXONC:
		return ioctl_xonc(tty, t, arg);
	case TCSBRK: case TCSBRKP:   /* drain (nothing to wait for) and maybe a break */
		return tty_job_check(tty, t, SIGTTOU);
	case TIOCSBRK: case TIOCCBRK:
		return 0;
	case TIOCOUTQ:
		return put_int(t, arg, (int)tty->driver->output_queued(tty));
	case FIONREAD:
		return put_int(t, arg, (int)ldisc_inq(&tty->ld));
	}
	return 1;
}

long tty_ioctl(struct file *f, struct task *t, unsigned long cmd, unsigned long arg)
{
	struct tty_file *tf = f->priv;
	if (tty_file_hung_up(tf))
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	return tty_ioctl_on(tf->tty, f, t, cmd, arg);
}

long tty_ioctl_on(struct tty *tty, struct file *f, struct task *t, unsigned long cmd,
		  unsigned long arg)
{
	long rc = ioctl_line(tty, t, cmd, arg);
	if (rc != 1)
		return rc;
	rc = ioctl_job(tty, f, t, cmd, arg);
	if (rc != 1)
		return rc;
	int v;
	switch (cmd) {
	case TIOCGDEV: {
		unsigned dev = encode_dev(tty->dev);
		return copy_out(t, arg, &dev, sizeof(dev));
	}
	case TIOCGETD:
		return put_int(t, arg, 0);   /* N_TTY, the only line discipline */
	case TIOCSETD:
		if (get_int(t, arg, &v) < 0)
			return -EFAULT;
		return v == 0 ? 0 : -EINVAL;
	case TIOCEXCL:
		tty->exclusive = true;
		return 0;
	case TIOCNXCL:
		tty->exclusive = false;
		return 0;
	case TIOCGEXCL:
		return put_int(t, arg, tty->exclusive);
	case TIOCGICOUNT:   /* no serial counters */
		return -EINVAL;
	case TIOCCONS:      /* console redirection is not done; root is told it worked */
		return cred_is_root(&t->cred) ? 0 : -EPERM;
	case TIOCGPTPEER:   /* only a pty master has a peer */
		return -EIO;
	}
	return -ENOTTY;
}
