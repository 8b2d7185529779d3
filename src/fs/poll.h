/*
 * Readiness and waiting shared by poll, select, epoll and the event files (eventfd,
 * timerfd): asking a file for its ready mask, the timeout and temporary signal mask of a
 * waiting call, and anonymous files.
 */
#ifndef UMLINUX_FS_POLL_H
#define UMLINUX_FS_POLL_H
#include <poll.h>
#include <stdint.h>
#include "fs/vfs.h"

/* What a file without a poll operation reports (Linux's DEFAULT_POLLMASK). */
#define POLL_DEFAULT_MASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/* f's ready mask; with t, also registers t to be woken when it may change. */
unsigned file_poll(struct file *f, struct task *t);

/* Also wakes t at deadline_ns (CLOCK_MONOTONIC) unless it is due earlier anyway: for files
 * whose readiness comes with time (timerfd). */
void task_deadline_at_most(struct task *t, uint64_t deadline_ns);

/*
 * The timeout of a waiting call, fixed on its first run and kept across retries in
 * t->hook_data[POLL_HOOK_END]: an absolute CLOCK_MONOTONIC time, POLL_NO_WAIT for a zero
 * timeout, POLL_FOREVER for none.
 */
#define POLL_HOOK_END   0
#define POLL_NO_WAIT    0
#define POLL_FOREVER    UINT64_MAX
/* Validates ts (EINVAL as Linux's timespec64_valid) and records the end; NULL: forever. */
int poll_timeout_begin(struct task *t, const struct timespec *ts);
void poll_timeout_begin_ms(struct task *t, int ms);   /* negative: forever */
uint64_t poll_timeout_end(struct task *t);
bool poll_timed_out(struct task *t);
/* Parks t until a wake-up or its end time. */
long poll_park(struct task *t);
/* select, pselect6 and ppoll: the time left back into the caller's timeout. */
void poll_write_time_left(struct task *t);

/*
 * The temporary signal mask of ppoll, pselect6 and epoll_pwait: set on the task host
 * while the call waits, so the signal code sees exactly what may interrupt it, and the
 * old mask back when the call completes normally.
 */
/* Reads a guest sigset of sigsetsize bytes (EINVAL unless 8, as Linux) and records it as
 * the call's temporary mask (after poll_timeout_begin*, which starts the call). */
int poll_sigmask_read(struct task *t, unsigned long uset, size_t sigsetsize, uint64_t *mask);
/* Applies the recorded mask (once per call); -EINTR if a signal it unblocks is already
 * pending. Without a recorded mask, 0. */
int poll_sigmask_apply(struct task *t);
void poll_sigmask_restore(struct task *t);
/* At the end of a call: the old mask back now, or after the signal of an EINTR. */
void poll_sigmask_finish(struct task *t, long ret);

/* Anonymous files (eventfd, epoll, timerfd): no path, all on one shared inode, as Linux's
 * anon_inode files are. name is the kind, as /proc shows it ("[eventfd]"). */
struct file *anon_file_new(const char *name, const struct file_ops *fops, void *priv,
			   unsigned flags);
/* Their lseek: succeeds and changes nothing (Linux's noop_llseek). */
off_t anon_llseek(struct file *f, off_t off, int whence);
/* Before an object holding q is freed: wakes its waiters and unlinks them. */
void waitq_release(struct waitq *q);

/* eventpoll.c */
bool file_is_eventpoll(struct file *f);
#endif
