/*
 * The consoles: con<n> lines as /dev/tty<n>, /dev/console and /dev/tty, kernel messages,
 * the host window size, the initial console of init, and the host terminal on the way
 * out.
 *
 * Device numbering. UML names its consoles tty0..tty63 on major 4 with con<n> =
 * /dev/tty<n> (uml-facts §7.4, offset unconfirmed); /dev/tty0 is con0 here as in UML.
 * /dev/tty1 is con0 as well unless con1= gives a channel other than null: Debian's
 * inittab starts its getty on tty1, and with UML's usual con=null that getty would
 * otherwise talk to nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include "drivers/tty/tty_int.h"
#include "fs/chrdev.h"
#include "fs/dev/devfs.h"
#include "kernel/loop.h"
#include "kernel/printk.h"

static bool console_ready;
static bool con1_is_separate;   /* con1 has a channel of its own: /dev/tty1 is con1 */

static int open_tty(struct file *f, struct tty *tty, bool console)
{
	if (!tty)
		return -ENODEV;
	if (tty->exclusive && !(current && cred_is_root(&current->cred)))
		return -EBUSY;
	tty_attach_file(f, tty, console);
	return 0;
}

static int open_ttyn(struct inode *inode, struct file *f, unsigned minor)
{
	(void)inode;
	if (minor == 1 && !con1_is_separate)
		minor = 0;
	return open_tty(f, console_tty((int)minor), false);
}

/* 5,0 is the opener's controlling tty; 5,1 is the console. */
static int open_aux(struct inode *inode, struct file *f, unsigned minor)
{
	(void)inode;
	if (minor == 1)
		return open_tty(f, console_tty(0), true);
	struct tty *ctty = current ? current->tg->ctty : NULL;
	if (!ctty)
		return -ENXIO;
	return open_tty(f, ctty, false);
}

static const struct chrdev chrdev_consoles = { "tty", TTY_MAJOR, 0, 64, open_ttyn };
static const struct chrdev chrdev_dev_tty = { "/dev/tty", TTYAUX_MAJOR, 0, 1, open_aux };
static const struct chrdev chrdev_console = { "/dev/console", TTYAUX_MAJOR, 1, 1, open_aux };

static void register_devices(void)
{
	const struct chrdev *devs[] = { &chrdev_consoles, &chrdev_dev_tty, &chrdev_console };
	for (size_t i = 0; i < ARRAY_SIZE(devs); i++) {
		int err = chrdev_register(devs[i]);
		if (err < 0)
			printk("<3>umlinux: cannot register character device %s (%u,%u): %s\n",
			       devs[i]->name, devs[i]->major, devs[i]->minor, strerror(-err));
	}
}

/* /dev/tty<n> for a line that exists, with devtmpfs's default mode for it. */
static void add_dev_node(int n)
{
	char name[16];
	snprintf(name, sizeof(name), "tty%d", n);
	int err = devfs_add_node(name, S_IFCHR | 0600, makedev(TTY_MAJOR, n));
	if (err < 0 && err != -EEXIST)
		printk("<4>umlinux: cannot create /dev/%s: %s\n", name, strerror(-err));
}

/* SIGWINCH of the kernel process: every console on a host terminal takes its size. */
static void console_host_winch(void)
{
	for (int i = 0; i < TTY_MAX_CONSOLES; i++) {
		struct tty *tty = console_tty(i);
		unsigned short rows, cols;
		if (tty && chan_window_size(tty->chan, &rows, &cols) == 0)
			tty_resize(tty, rows, cols, tty->ws.ws_xpixel, tty->ws.ws_ypixel);
	}
}

void console_restore_host(void) { chan_restore_all(); }

int console_init(const char *con0_spec)
{
	if (console_ready)
		return 0;
	int err;
	struct tty *tty = tty_create(0, con0_spec, &err);
	if (!tty && err != -ENODEV)
		return err;
	console_ready = true;
	register_devices();
	atexit(console_restore_host);
	loop_on_sigwinch(console_host_winch);
	if (!tty) {
		printk("<6>Initialized stdio console driver\n");
		return 0;
	}
	tty_set_console(0, tty);
	add_dev_node(0);
	add_dev_node(1);   /* con0 until con1 gets a channel of its own */
	/* the host terminal is raw by now: kernel text must go through our \r\n sink */
	printk_set_console(console_write_kernel);
	printk("<6>Initialized stdio console driver\n");
	chan_start_input(tty->chan);
	printk("<6>Console initialized on /dev/tty0\n");
	printk("<6>printk: console [tty0] enabled\n");
	return 0;
}

int console_setup_line(int n, const char *spec)
{
	if (n < 1 || n >= TTY_MAX_CONSOLES)
		return -EINVAL;
	if (console_tty(n))
		return -EBUSY;
	int err;
	struct tty *tty = tty_create(n, spec, &err);
	if (!tty)
		return err == -ENODEV ? 0 : err;
	tty_set_console(n, tty);
	if (n == 1)
		con1_is_separate = !chan_is_null(tty->chan);
	add_dev_node(n);
	chan_start_input(tty->chan);
	return 0;
}

/* Kernel text goes out as is, except that a raw host terminal needs "\r\n" to start a
 * new line (the guest's ONLCR does that for guest output). */
void console_write_kernel(const char *s, size_t n)
{
	struct tty *tty = console_tty(0);
	if (!tty) {
		fwrite(s, 1, n, stdout);
		fflush(stdout);
		return;
	}
	if (!chan_output_is_terminal(tty->chan)) {
		chan_write_kernel(tty->chan, s, n);
	} else {
		size_t start = 0;
		for (size_t i = 0; i < n; i++) {
			if (s[i] != '\n' || (i > 0 && s[i - 1] == '\r'))
				continue;
			chan_write_kernel(tty->chan, s + start, i - start);
			chan_write_kernel(tty->chan, "\r\n", 2);
			start = i + 1;
		}
		chan_write_kernel(tty->chan, s + start, n - start);
	}
	if (n && s[n - 1] == '\n')
		tty->ld.column = 0;   /* keeps the echo's tab and erase arithmetic right */
}

/* A file on con0 without /dev: what init gets when the root has no /dev/console. */
static struct file *console_file_direct(struct tty *tty)
{
	struct inode *inode = inode_new(NULL, 0, S_IFCHR | 0600, NULL, NULL);
	inode->rdev = makedev(TTYAUX_MAJOR, 1);
	struct file *f = file_new(NULL, O_RDWR);
	f->inode = inode;
	tty_attach_file(f, tty, true);
	return f;
}

int console_open_for_init(struct task *t)
{
	struct file *f = NULL;
	int err = vfs_open(t, AT_FDCWD, "/dev/console", O_RDWR, 0, 0, &f);
	if (err < 0) {
		struct tty *tty = console_tty(0);
		if (!tty) {
			printk("<3>Warning: unable to open an initial console.\n");
			return err == -ENOENT ? -ENODEV : err;
		}
		f = console_file_direct(tty);
	}
	for (int fd = 0; fd < 3; fd++) {
		int rc = fd_install_at(t, fd, fd ? file_get(f) : f, false);
		if (rc < 0) {
			if (fd == 0)
				return rc;
			printk("<3>Warning: unable to open an initial console.\n");
			return rc;
		}
	}
	return 0;
}
