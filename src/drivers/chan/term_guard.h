#ifndef UMLINUX_TERM_GUARD_H
#define UMLINUX_TERM_GUARD_H
#include <termios.h>
/* Starts the guardian that restores *saved on tty_fd if the kernel dies unclean. */
void term_guard_start(int tty_fd, const struct termios *saved);
/* The kernel restored the terminal itself: the guardian leaves without touching it. */
void term_guard_release(void);
#endif
