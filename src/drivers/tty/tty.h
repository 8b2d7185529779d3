/*
 * The tty layer: a line discipline (termios, canonical editing, echo, signals) between a
 * channel (the host side: fds, ptys...) and guest readers and writers, plus job control
 * state (session, foreground process group).
 */
#ifndef UMLINUX_TTY_H
#define UMLINUX_TTY_H
#include <stdbool.h>
#include <stddef.h>
#include <termios.h>
#include "fs/vfs.h"

struct chan;

/* Creates the console ttys from the boot options (con0=fd:0,fd:1 ...), registers the
 * tty character devices (5,0 /dev/tty, 5,1 /dev/console, 4,n /dev/ttyN) and puts the
 * host terminal in raw mode when stdin is a terminal. */
int console_init(const char *con0_spec);
/* Restores the host terminal (every exit path calls this; safe to call twice). */
void console_restore_host(void);
/* Writes kernel messages to the console (printk's sink). */
void console_write_kernel(const char *s, size_t n);
/* When the session leader exits: SIGHUP/SIGCONT to the foreground group, drop the ctty. */
void tty_session_leader_exit(struct thread_group *tg);
#endif
