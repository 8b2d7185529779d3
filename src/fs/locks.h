/*
 * File locks: fcntl record locks (POSIX, owned by a descriptor table; OFD, owned by an
 * open file) and flock(2) locks. Calls that may wait return SYSRET_BLOCK parked on the
 * file's lock queue; the syscall layer retries them when a lock of the file goes.
 */
#ifndef UMLINUX_FS_LOCKS_H
#define UMLINUX_FS_LOCKS_H
#include <fcntl.h>
#include "fs/vfs.h"

/* F_GETLK / F_OFD_GETLK: l describes the lock wanted; on return it is the first lock in
 * its way, or says F_UNLCK. */
int locks_test_record(struct task *t, struct file *f, bool ofd, struct flock *l);
/* F_SETLK(W) / F_OFD_SETLK(W). */
long locks_set_record(struct task *t, struct file *f, bool ofd, bool wait, const struct flock *l);
/* The waiting F_SETLKW of t is over (done, failed or interrupted). */
void locks_wait_done(struct task *t);
/* flock(2) with F_RDLCK, F_WRLCK or F_UNLCK. */
long locks_flock(struct task *t, struct file *f, short type, bool wait);

/* Any close of f through owner's table drops owner's record locks on the file. */
void locks_remove_posix(const struct files_struct *owner, struct file *f);
/* The last reference to f is gone: its OFD and flock locks go. */
void locks_file_released(struct file *f);

/* /proc/locks: every held lock, newest first, each followed by the requests waiting for
 * it, in Linux's format. */
struct proc_buf;
void locks_show_all(struct proc_buf *b);
/* fdinfo's "lock:" lines: the locks set through f by files (its descriptor table) or by f. */
void locks_show_fdinfo(struct proc_buf *b, const struct file *f, const struct files_struct *files);

#endif
