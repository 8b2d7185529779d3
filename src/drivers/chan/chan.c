/*
 * Opening channels and the host terminal: private descriptors for each direction, raw
 * mode on an input terminal, and giving all of it back on every way out of the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include "drivers/chan/term_guard.h"
#include "drivers/chan/chan_int.h"
#include "kernel/kernel.h"

#define MAX_CHANS 64

static struct chan *chans[MAX_CHANS];
static int nchans;

void chan_register_for_restore(struct chan *c)
{
	if (nchans < MAX_CHANS)
		chans[nchans++] = c;
}

/*
 * Gets a descriptor of our own for host fd N. A pipe or terminal is reopened through
 * /proc/self/fd, which gives a new open file description: its O_NONBLOCK is ours alone,
 * where setting it on fd 0 would also make the invoking shell's terminal non-blocking.
 * Regular files are duplicated instead, to share the file offset (a reopen would start
 * at 0). Sockets cannot be reopened; those get O_NONBLOCK on the shared description,
 * put back at exit.
 */
static int host_end_open(const char *line, const struct chan_desc *d, bool input,
			 struct host_end *e)
{
	e->fd = e->host_fd = e->restore_flags = -1;
	if (d->type != CHAN_FD)
		return 0;
	e->host_fd = d->fd;
	int fl = fcntl(d->fd, F_GETFL);
	if (fl < 0) {
		printk("<3>umlinux: %s: host file descriptor %d is not open\n", line, d->fd);
		return -EBADF;
	}
	/* A direction the descriptor was not opened for: as in UML, input from it ends
	 * at once and output to it is lost. */
	if (input ? (fl & O_ACCMODE) == O_WRONLY : (fl & O_ACCMODE) == O_RDONLY)
		return 0;
	struct stat st;
	if (fstat(d->fd, &st) == 0 && (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
		e->fd = fcntl(d->fd, F_DUPFD_CLOEXEC, 3);
		e->regular = true;
	} else {
		char path[64];
		snprintf(path, sizeof(path), "/proc/self/fd/%d", d->fd);
		e->fd = open(path, (input ? O_RDONLY : O_WRONLY) | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (e->fd < 0) {
			e->fd = fcntl(d->fd, F_DUPFD_CLOEXEC, 3);
			if (e->fd >= 0 && !(fl & O_NONBLOCK)) {
				fcntl(e->fd, F_SETFL, fl | O_NONBLOCK);
				e->restore_flags = fl;
			}
		}
	}
	if (e->fd < 0) {
		int err = errno;
		printk("<3>umlinux: %s: cannot use host file descriptor %d: %s\n", line, d->fd,
		       strerror(err));
		return -err;
	}
	e->terminal = isatty(e->fd);
	return 0;
}

static void host_end_close(struct host_end *e)
{
	if (e->fd >= 0)
		close(e->fd);
	e->fd = -1;
}

/*
 * The guest's line discipline does all the terminal work (echo, editing, ONLCR), so
 * the host terminal must pass bytes through untouched: cfmakeraw's settings. A kernel
 * started in the background leaves the terminal alone: changing it would stop us with
 * SIGTTOU.
 */
static void host_terminal_raw(struct chan *c)
{
	if (!c->in.terminal)
		return;
	pid_t fg = tcgetpgrp(c->in.fd);
	if (fg >= 0 && fg != getpgrp())
		return;
	if (tcgetattr(c->in.fd, &c->saved_termios) < 0)
		return;
	struct termios raw = c->saved_termios;
	raw.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	raw.c_oflag &= ~(tcflag_t)OPOST;
	raw.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	raw.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
	raw.c_cflag |= CS8;
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(c->in.fd, TCSANOW, &raw) == 0) {
		c->termios_saved = true;
		term_guard_start(c->in.fd, &c->saved_termios);
	}
}

void chan_restore_host(struct chan *c)
{
	if (c->termios_saved) {
		/* never stopped by SIGTTOU on the way out */
		sigset_t ttou, old;
		sigemptyset(&ttou);
		sigaddset(&ttou, SIGTTOU);
		pthread_sigmask(SIG_BLOCK, &ttou, &old);
		tcsetattr(c->in.fd, TCSADRAIN, &c->saved_termios);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		c->termios_saved = false;
		term_guard_release();
	}
	struct host_end *ends[2] = { &c->in, &c->out };
	for (int i = 0; i < 2; i++) {
		if (ends[i]->restore_flags >= 0 && ends[i]->fd >= 0)
			fcntl(ends[i]->fd, F_SETFL, ends[i]->restore_flags);
		ends[i]->restore_flags = -1;
	}
}

void chan_restore_all(void)
{
	/* newest first, so a terminal shared by two lines ends in its original state */
	for (int i = nchans - 1; i >= 0; i--) {
		chan_drain_output(chans[i], 500);
		chan_restore_host(chans[i]);
	}
}

int chan_open(const char *line, const char *spec, const struct chan_ops *ops, void *owner,
	      struct chan **out)
{
	struct chan_spec sp;
	char err[512];
	int rc = chan_parse(line, spec, &sp, err, sizeof(err));
	if (rc < 0) {
		printk("<3>%s\n", err);
		return rc;
	}
	if (sp.in.type == CHAN_NONE)
		return -ENODEV;
	struct chan *c = xcalloc(1, sizeof(*c));
	snprintf(c->line, sizeof(c->line), "%s", line);
	c->ops = ops;
	c->owner = owner;
	rc = host_end_open(line, &sp.in, true, &c->in);
	if (rc == 0)
		rc = host_end_open(line, &sp.out, false, &c->out);
	if (rc < 0) {
		host_end_close(&c->in);
		host_end_close(&c->out);
		free(c);
		return rc;
	}
	c->in_none = sp.in.type == CHAN_NULL;
	c->all_null = c->in_none && sp.out.type == CHAN_NULL;
	host_terminal_raw(c);
	chan_register_for_restore(c);
	*out = c;
	return 0;
}

bool chan_output_is_terminal(const struct chan *c) { return c->out.terminal; }
bool chan_is_null(const struct chan *c) { return c->all_null; }

int chan_window_size(const struct chan *c, unsigned short *rows, unsigned short *cols)
{
	int fd = c->in.terminal ? c->in.fd : c->out.terminal ? c->out.fd : -1;
	struct winsize ws;
	if (fd < 0)
		return -ENOTTY;
	if (ioctl(fd, TIOCGWINSZ, &ws) < 0)
		return -errno;
	if (!ws.ws_row || !ws.ws_col)
		return -EINVAL;   /* a terminal that does not know its size */
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return 0;
}
