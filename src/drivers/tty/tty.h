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
struct tty;

/* Creates the console ttys from the boot options (con0=fd:0,fd:1 ...), registers the
 * tty character devices (5,0 /dev/tty, 5,1 /dev/console, 4,n /dev/ttyN) and puts the
 * host terminal in raw mode when stdin is a terminal. Call after loop_init(). Prints
 * the driver's boot lines. "none" leaves con0 out (printk then keeps writing to the
 * kernel's stdout). */
int console_init(const char *con0_spec);
/* con<n>= for n = 1..15 (cmdline_con_channel(opts, n)); call after console_init.
 * "none" leaves the line out. /dev/tty1 is con0 unless con1 gets a channel other
 * than null. */
int console_setup_line(int n, const char *spec);
/* Restores the host terminal (every exit path calls this; safe to call twice). */
void console_restore_host(void);
/* Writes kernel messages to the console (printk's sink). */
void console_write_kernel(const char *s, size_t n);
/* When the session leader exits: SIGHUP/SIGCONT to the foreground group, drop the ctty. */
void tty_session_leader_exit(struct thread_group *tg);

/* Opens /dev/console as fds 0, 1 and 2 of t (Linux's console_on_rootfs): through the
 * VFS when /dev/console exists, else straight on con0. Never makes it t's controlling
 * tty (opening /dev/console never does). Returns 0 or -errno (and prints Linux's
 * warning). */
int console_open_for_init(struct task *t);
/* The open path's hook: a session leader without a controlling tty that opens a tty
 * without O_NOCTTY gets it as its controlling tty (not through /dev/console). */
void tty_open_maybe_ctty(struct task *t, struct file *f, int flags);

/* For /proc/<pid>/stat (tty_nr, tpgid) and ps (procfs declares the first two weak). */
dev_t tty_devnum(struct tty *tty);
pid_t tty_foreground_pgrp(struct tty *tty);    /* 0 when none */
const char *tty_name(struct tty *tty);         /* "tty0" */
bool file_is_tty(const struct file *f);
#endif
