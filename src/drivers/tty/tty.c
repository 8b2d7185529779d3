/*
 * tty objects and their files: input from the channel through the line discipline,
 * reads (canonical, and raw with VMIN/VTIME), writes through output processing, poll,
 * and the controlling-tty hook of the open path.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include "drivers/tty/tty_int.h"
#include "signal/signal.h"
#include "sys/syscalls.h"

static struct tty *consoles[TTY_MAX_CONSOLES];

struct tty *console_tty(int index)
{
	return index >= 0 && index < TTY_MAX_CONSOLES ? consoles[index] : NULL;
}

void tty_set_console(int index, struct tty *tty) { consoles[index] = tty; }

dev_t tty_devnum(struct tty *tty) { return tty->dev; }
const char *tty_name(struct tty *tty) { return tty->name; }
pid_t tty_foreground_pgrp(struct tty *tty) { return tty->pgrp; }

bool file_is_tty(const struct file *f)
{
	return f->fops == &tty_fops || f->fops == &tty_console_fops;
}

bool tty_file_hung_up(const struct tty_file *tf)
{
	return !tf->console && tf->gen != tf->tty->hangup_gen;
}

/* Echo waits while output is stopped (^S), as Linux holds it in its echo buffer. */
static void tty_flush_echo(struct tty *tty)
{
	char buf[512];
	while (tty->ld.echo_len && !ldisc_output_stopped(&tty->ld)) {
		size_t n = ldisc_take_echo(&tty->ld, buf, sizeof(buf));
		tty->driver->write_kernel(tty, buf, n);
	}
}

void tty_ldisc_results(struct tty *tty)
{
	struct ldisc *ld = &tty->ld;
	if (ld->want_flush_output) {
		ld->want_flush_output = false;
		tty->driver->discard_output(tty);
	}
	uint32_t sigs = ldisc_take_signals(ld);
	static const int order[] = { SIGINT, SIGQUIT, SIGTSTP };
	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		if (sigs & (1u << order[i]))
			tty_kill_pgrp(tty->pgrp, order[i]);
	if (ld->output_started) {
		ld->output_started = false;
		waitq_wake_all(&tty->write_wait);
	}
	tty_flush_echo(tty);
}

size_t tty_input(struct tty *tty, const char *buf, size_t n)
{
	size_t k = ldisc_receive(&tty->ld, (const unsigned char *)buf, n);
	tty_ldisc_results(tty);
	if (k)
		waitq_wake_all(&tty->read_wait);
	return k;
}

void tty_termios_changed(struct tty *tty)
{
	tty_ldisc_results(tty);
	/* VMIN, canonical mode or IXON may have changed what readers and writers wait on */
	waitq_wake_all(&tty->read_wait);
	waitq_wake_all(&tty->write_wait);
	tty->driver->unthrottle(tty);
}

void tty_resize(struct tty *tty, unsigned short rows, unsigned short cols,
		unsigned short xpixel, unsigned short ypixel)
{
	struct winsize ws = { .ws_row = rows, .ws_col = cols, .ws_xpixel = xpixel,
			      .ws_ypixel = ypixel };
	if (!memcmp(&ws, &tty->ws, sizeof(ws)))
		return;
	tty->ws = ws;
	tty_kill_pgrp(tty->pgrp, SIGWINCH);
}

/* Channel callbacks. */
static size_t chan_receive(void *owner, const char *buf, size_t n)
{
	return tty_input(owner, buf, n);
}

static void chan_input_eof(void *owner)
{
	struct tty *tty = owner;
	tty->input_eof = true;
	ldisc_push_eof(&tty->ld);
	waitq_wake_all(&tty->read_wait);
}

static void chan_output_room(void *owner)
{
	struct tty *tty = owner;
	waitq_wake_all(&tty->write_wait);
}

static const struct chan_ops tty_chan_ops = {
	.receive = chan_receive,
	.input_eof = chan_input_eof,
	.output_room = chan_output_room,
};

/* The consoles' driver: a host channel. */
static size_t console_write_room(struct tty *tty) { return chan_write_room(tty->chan); }
static size_t console_write(struct tty *tty, const char *buf, size_t n) { return chan_write(tty->chan, buf, n); }
static void console_write_kern(struct tty *tty, const char *buf, size_t n) { chan_write_kernel(tty->chan, buf, n); }
static size_t console_output_queued(struct tty *tty) { return chan_output_queued(tty->chan); }
static void console_discard_output(struct tty *tty) { chan_discard_output(tty->chan); }
static void console_unthrottle(struct tty *tty) { chan_unthrottle(tty->chan); }
static void console_discard_input(struct tty *tty) { chan_discard_input(tty->chan); }
static void console_close(struct tty *tty) { (void)tty; }

static const struct tty_driver console_driver = {
	.write_room = console_write_room, .write = console_write,
	.write_kernel = console_write_kern, .output_queued = console_output_queued,
	.discard_output = console_discard_output, .unthrottle = console_unthrottle,
	.discard_input = console_discard_input, .close = console_close,
};

void tty_init(struct tty *tty, const char *name, dev_t dev, const struct tty_driver *driver,
	      void *driver_data)
{
	snprintf(tty->name, sizeof(tty->name), "%s", name);
	tty->dev = dev;
	tty->driver = driver;
	tty->driver_data = driver_data;
	ldisc_init(&tty->ld);
	waitq_init(&tty->read_wait);
	waitq_init(&tty->write_wait);
}

struct tty *tty_create(int index, const char *spec, int *err)
{
	struct tty *tty = xcalloc(1, sizeof(*tty));
	char line[16], name[16];
	tty->index = index;
	snprintf(name, sizeof(name), "tty%d", index);
	snprintf(line, sizeof(line), "con%d", index);
	tty_init(tty, name, makedev(TTY_MAJOR, index), &console_driver, NULL);
	*err = chan_open(line, spec, &tty_chan_ops, tty, &tty->chan);
	if (*err < 0) {
		free(tty);
		return NULL;
	}
	unsigned short rows, cols;
	if (chan_window_size(tty->chan, &rows, &cols) < 0) {
		rows = 24;
		cols = 80;
	}
	tty->ws.ws_row = rows;
	tty->ws.ws_col = cols;
	return tty;
}

void tty_attach_file(struct file *f, struct tty *tty, bool console)
{
	struct tty_file *tf = xcalloc(1, sizeof(*tf));
	tf->tty = tty;
	tf->gen = tty->hangup_gen;
	tf->console = console;
	f->priv = tf;
	f->fops = console ? &tty_console_fops : &tty_fops;
	tty->opens++;
}

static ssize_t take_input(struct tty *tty, char *buf, size_t len)
{
	size_t n = ldisc_read(&tty->ld, buf, len);
	tty->driver->unthrottle(tty);
	return (ssize_t)n;
}

static ssize_t park_reader(struct tty *tty, struct task *t)
{
	task_wait_on(t, &tty->read_wait);
	return SYSRET_BLOCK;
}

static ssize_t read_canonical(struct tty *tty, struct file *f, struct task *t, char *buf,
			      size_t len)
{
	if (ldisc_available(&tty->ld))
		return take_input(tty, buf, len);
	if (tty->input_eof)
		return 0;
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	return park_reader(tty, t);
}

/*
 * Non-canonical reads (POSIX's four VMIN/VTIME cases). The whole syscall is retried on
 * every wake-up, so nothing is taken from the buffer until the read can complete, and
 * VTIME is a park deadline: for VMIN 0 one timer from the start of the read, for VMIN > 0
 * an inter-byte timer restarted whenever input arrives (each arrival wakes us).
 */
static ssize_t read_raw(struct tty *tty, struct file *f, struct task *t, char *buf, size_t len)
{
	size_t avail = ldisc_available(&tty->ld);
	unsigned vmin = tty->ld.termios.c_cc[VMIN], vtime = tty->ld.termios.c_cc[VTIME];
	size_t want = vmin < len ? vmin : len;
	if (avail && avail >= want)
		return take_input(tty, buf, len);
	if (tty->input_eof || (vmin == 0 && vtime == 0))
		return avail ? take_input(tty, buf, len) : 0;
	if (f->flags & O_NONBLOCK)
		return avail ? take_input(tty, buf, len) : -EAGAIN;
	if (vtime) {
		uint64_t span = (uint64_t)vtime * 100000000ULL;
		if (vmin == 0) {
			if (t->timed_out)
				return 0;
			if (!t->deadline_ns)
				task_set_deadline(t, now_ns() + span);
		} else if (avail) {
			if (t->timed_out)
				return take_input(tty, buf, len);
			task_set_deadline(t, now_ns() + span);
		} else {
			t->timed_out = false;   /* the timer only runs once a byte is in */
		}
	}
	return park_reader(tty, t);
}

static ssize_t tty_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)pos;
	struct tty_file *tf = f->priv;
	struct tty *tty = tf->tty;
	struct task *t = current;
	if (tty_file_hung_up(tf))
		return 0;
	if (!tf->console) {
		long err = tty_job_check(tty, t, SIGTTIN);
		if (err)
			return err;
	}
	if (!len)
		return 0;
	if (tty->ld.termios.c_lflag & ICANON)
		return read_canonical(tty, f, t, buf, len);
	return read_raw(tty, f, t, buf, len);
}

/* Writes as much as the output side takes now; a writer waits only when nothing went. */
static ssize_t tty_write(struct file *f, const char *buf, size_t len, off_t *pos)
{
	(void)pos;
	struct tty_file *tf = f->priv;
	struct tty *tty = tf->tty;
	struct task *t = current;
	if (tty_file_hung_up(tf))
		return -EIO;
	if (!tf->console && (tty->ld.termios.c_lflag & TOSTOP)) {
		long err = tty_job_check(tty, t, SIGTTOU);
		if (err)
			return err;
	}
	if (!len)
		return 0;
	size_t done = 0;
	while (done < len && !ldisc_output_stopped(&tty->ld)) {
		char out[4096];
		size_t room = tty->driver->write_room(tty), produced;
		size_t cap = room < sizeof(out) ? room : sizeof(out);
		size_t k = ldisc_process_output(&tty->ld, buf + done, len - done, out, cap, &produced);
		if (!k)
			break;
		tty->driver->write(tty, out, produced);
		done += k;
	}
	if (done)
		return (ssize_t)done;
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	task_wait_on(t, &tty->write_wait);
	return SYSRET_BLOCK;
}

static unsigned tty_poll(struct file *f, struct task *t)
{
	struct tty_file *tf = f->priv;
	struct tty *tty = tf->tty;
	if (tty_file_hung_up(tf))
		return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
	unsigned mask = 0;
	if (ldisc_poll_readable(&tty->ld))
		mask |= POLLIN | POLLRDNORM;
	if (tty->input_eof)
		mask |= POLLIN | POLLRDNORM | POLLHUP;   /* a read returns 0 at once */
	if (!ldisc_output_stopped(&tty->ld) && tty->driver->write_room(tty))
		mask |= POLLOUT | POLLWRNORM;
	if (t) {
		task_wait_on(t, &tty->read_wait);
		task_wait_on(t, &tty->write_wait);
	}
	return mask;
}

static off_t tty_llseek(struct file *f, off_t off, int whence)
{
	(void)f; (void)off; (void)whence;
	return -ESPIPE;
}

static void tty_release(struct file *f)
{
	struct tty_file *tf = f->priv;
	if (!tf)
		return;
	struct tty *tty = tf->tty;
	if (--tty->opens == 0)
		tty->exclusive = false;   /* TIOCEXCL lasts until the last close */
	free(tf);
	f->priv = NULL;
	tty->driver->close(tty);
}

const struct file_ops tty_fops = {
	.read = tty_read, .write = tty_write, .poll = tty_poll, .ioctl = tty_ioctl,
	.llseek = tty_llseek, .release = tty_release,
};
const struct file_ops tty_console_fops = {
	.read = tty_read, .write = tty_write, .poll = tty_poll, .ioctl = tty_ioctl,
	.llseek = tty_llseek, .release = tty_release,
};

/* Linux's tty_open_proc_set_tty: a session leader without a controlling tty gets the
 * first tty it opens for reading, unless O_NOCTTY, the tty already belongs to a session,
 * or it came through /dev/console (console files never become a controlling tty). */
void tty_open_maybe_ctty(struct task *t, struct file *f, int flags)
{
	if (f->fops != &tty_fops || (flags & O_NOCTTY))
		return;
	struct tty *tty = ((struct tty_file *)f->priv)->tty;
	struct thread_group *tg = t->tg;
	if (tg->sid != tg->tgid || tg->ctty || (tty->session && !tty_held_by_init_only(tty)))
		return;
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return;
	if (tty->session && tg != init_tg)
		tty_clear_session_ctty(tty->session);   /* init's implicit hold yields */
	tty_set_ctty(tty, tg);
}

void file_opened_hook(struct task *t, struct file *f, int flags)
{
	if (file_is_tty(f))
		tty_open_maybe_ctty(t, f, flags);
}
