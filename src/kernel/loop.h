/* The event loop: one epoll set for everything the kernel waits on. */
#ifndef UMLINUX_LOOP_H
#define UMLINUX_LOOP_H
#include <stdbool.h>
#include <stdint.h>
typedef void (*loop_fn)(int fd, uint32_t events, void *data);
/* Watches a host fd (EPOLLIN/EPOLLOUT...). Callbacks run on the loop thread. */
int loop_add_fd(int fd, uint32_t events, loop_fn fn, void *data);
/* Like loop_add_fd, and also served while the machine is stopped (MConsole stop): for
 * the MConsole socket and what its replies need. */
int loop_add_fd_always(int fd, uint32_t events, loop_fn fn, void *data);
/* MConsole stop/go: while stopped, the loop serves only the "always" watches and host
 * signals; task stops, timers and every other fd wait until it is started again. */
void loop_set_stopped(bool stopped);
int loop_mod_fd(int fd, uint32_t events);
void loop_del_fd(int fd);
/* Called on SIGWINCH of the kernel process (terminal resized). */
void loop_on_sigwinch(void (*fn)(void));
/* Runs until kernel_halt. */
void loop_run(void);
int loop_init(void);
#endif
