/* Inside the tty layer: the tty object and what its files share. */
#ifndef UMLINUX_TTY_INT_H
#define UMLINUX_TTY_INT_H
#include <sys/ioctl.h>
#include "drivers/chan/chan.h"
#include "drivers/tty/ldisc.h"
#include "drivers/tty/tty.h"

#define TTY_MAJOR        4    /* /dev/tty<n>: the consoles */
#define TTYAUX_MAJOR     5    /* /dev/tty (5,0) and /dev/console (5,1) */
#define TTY_MAX_CONSOLES 16   /* con0..con15, as the command line accepts */

/* A blocked tty syscall interrupted by a job-control signal restarts after SIGCONT, as
 * Linux's -ERESTARTSYS does. */
#define TTY_RESTART ERESTARTSYS_INTERNAL

struct tty;

/* What is on the far side of a tty's line discipline: a host channel for the consoles,
 * the master side for a pty slave. */
struct tty_driver {
	size_t (*write_room)(struct tty *tty);
	size_t (*write)(struct tty *tty, const char *buf, size_t n);   /* at most write_room */
	/* Echo and kernel text: never waits; dropped only beyond a hard limit. */
	void (*write_kernel)(struct tty *tty, const char *buf, size_t n);
	size_t (*output_queued)(struct tty *tty);
	void (*discard_output)(struct tty *tty);
	void (*unthrottle)(struct tty *tty);      /* a reader made room for input */
	void (*discard_input)(struct tty *tty);
	void (*close)(struct tty *tty);           /* a file closed; tty->opens remain */
};

struct tty {
	int index;                 /* con<index>, /dev/tty<index> */
	char name[16];             /* "tty0" */
	dev_t dev;                 /* (4, index) */
	struct ldisc ld;
	const struct tty_driver *driver;
	void *driver_data;
	struct chan *chan;         /* consoles only */
	bool input_eof;            /* the host side ended: reads return 0 once drained */
	pid_t session;             /* the session this is the controlling tty of, or 0 */
	pid_t pgrp;                /* its foreground process group, or 0 */
	struct winsize ws;
	struct waitq read_wait, write_wait;
	unsigned hangup_gen;       /* bumped by a hangup; older tty_fops files are dead */
	int opens;
	bool exclusive;            /* TIOCEXCL */
};

/* An open file of a tty. Files opened through /dev/console are exempt from job control
 * and survive hangups, like Linux's console_fops (redirected_tty_write). */
struct tty_file {
	struct tty *tty;
	unsigned gen;
	bool console;
};

extern const struct file_ops tty_fops, tty_console_fops;

/* tty.c */
struct tty *tty_create(int index, const char *spec, int *err);
/* Sets up a tty (zeroed by the caller) with a driver of its own. */
void tty_init(struct tty *tty, const char *name, dev_t dev, const struct tty_driver *driver,
	      void *driver_data);
struct tty *console_tty(int index);          /* NULL when the line does not exist */
void tty_set_console(int index, struct tty *tty);
void tty_attach_file(struct file *f, struct tty *tty, bool console);
bool tty_file_hung_up(const struct tty_file *tf);
size_t tty_input(struct tty *tty, const char *buf, size_t n);
void tty_ldisc_results(struct tty *tty);     /* echo, signals, flow changes */
void tty_termios_changed(struct tty *tty);
void tty_resize(struct tty *tty, unsigned short rows, unsigned short cols,
		unsigned short xpixel, unsigned short ypixel);

/* tty_job.c */
void tty_kill_pgrp(pid_t pgrp, int sig);
/* Linux's tty_check_change: 0 to go on, -EIO, or TTY_RESTART after signalling the
 * caller's (background) process group with sig. */
long tty_job_check(struct tty *tty, struct task *t, int sig);
void tty_set_ctty(struct tty *tty, struct thread_group *tg);
void tty_clear_session_ctty(pid_t sid);
bool tty_held_by_init_only(struct tty *tty);   /* the console as init got it at boot */
/* pid's session as TIOCSPGRP sees it: its process group's, else its own; -ESRCH. */
long tty_session_of_pgrp(pid_t pgrp);
long tty_ioctl_sctty(struct tty *tty, struct file *f, struct task *t, unsigned long arg);
long tty_ioctl_notty(struct tty *tty, struct task *t);
void tty_hangup(struct tty *tty);
/* Linux's tty_vhangup(): the controlling session's leader gets SIGHUP and SIGCONT, the
 * session loses the tty, and open files are hung up. */
void tty_vhangup(struct tty *tty);

/* tty_ioctl.c */
long tty_ioctl(struct file *f, struct task *t, unsigned long cmd, unsigned long arg);
/* The ioctls on tty itself, for a file f of it or (pty master) of its peer. */
long tty_ioctl_on(struct tty *tty, struct file *f, struct task *t, unsigned long cmd,
		  unsigned long arg);
#endif
