/* The event loop: one epoll set for everything the kernel waits on. */
#ifndef UMLINUX_LOOP_H
#define UMLINUX_LOOP_H
#include <stdint.h>
typedef void (*loop_fn)(int fd, uint32_t events, void *data);
/* Watches a host fd (EPOLLIN/EPOLLOUT...). Callbacks run on the loop thread. */
int loop_add_fd(int fd, uint32_t events, loop_fn fn, void *data);
int loop_mod_fd(int fd, uint32_t events);
void loop_del_fd(int fd);
/* Called on SIGWINCH of the kernel process (terminal resized). */
void loop_on_sigwinch(void (*fn)(void));
/* Runs until kernel_halt. */
void loop_run(void);
int loop_init(void);
#endif
