/* inotify's tunables, /proc/sys/fs/inotify (kept in inotify.c). */
#ifndef UMLINUX_FS_NOTIFY_INOTIFY_H
#define UMLINUX_FS_NOTIFY_INOTIFY_H

extern int inotify_max_queued_events;    /* a new instance's queue length */
extern int inotify_max_user_instances;   /* per user: inotify_init beyond it is EMFILE */
/* Per user: add_watch beyond it is ENOSPC. Linux's default comes from memory size. */
int inotify_max_user_watches(void);
void inotify_set_max_user_watches(int n);

#endif
