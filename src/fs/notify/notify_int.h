/*
 * Inside file system notification: marks (one per watched file, found by superblock and
 * inode number), the inotify watches hanging on them, and the inotify instances (groups)
 * whose queues the events go to. fsnotify.c turns VFS hooks into deliveries to marks;
 * inotify.c is the descriptor and its queue; inotify_watch.c adds and removes watches.
 */
#ifndef UMLINUX_FS_NOTIFY_INT_H
#define UMLINUX_FS_NOTIFY_INT_H
#include "fs/notify/fsnotify.h"
#include "fs/notify/inotify.h"
#include "kernel/list.h"

/* Every bit inotify_add_watch accepts (Linux's ALL_INOTIFY_BITS). */
#define INOTIFY_ALL_BITS (IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | \
			  IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_ADD | \
			  IN_MASK_CREATE | IN_ISDIR | IN_ONESHOT)
/* What a watch keeps of the mask it was given. */
#define INOTIFY_WATCH_BITS (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK)

struct fsnotify_mark {
	struct list_head hash_link;
	struct super_block *sb;
	uint64_t ino;
	bool isdir;
	struct list_head watches;   /* struct inotify_watch.mark_link */
	int busy;                   /* deliveries under way: not freed until they end */
	bool delete_pending;        /* the last link went while the file was in use */
};

/* What one user holds, against max_user_instances and max_user_watches. */
struct inotify_user {
	struct list_head link;
	uid_t uid;
	unsigned instances, watches;
};

struct inotify_group {
	struct list_head queue;     /* struct inotify_kevent, oldest first */
	unsigned queued, max_queued; /* max_queued_events when the instance was made */
	bool overflow_queued;       /* IN_Q_OVERFLOW is in the queue (it is never twice) */
	struct waitq wq;            /* readers and pollers */
	struct list_head watches;   /* struct inotify_watch.group_link */
	int next_wd;                /* where the search for a free wd starts (cyclic) */
	struct inotify_user *user;
};

struct inotify_watch {
	struct list_head mark_link;
	struct list_head group_link;
	struct fsnotify_mark *mark;
	struct inotify_group *group;
	int wd;
	uint32_t mask;              /* INOTIFY_WATCH_BITS */
};

/* fsnotify.c */
struct fsnotify_mark *fsnotify_mark_find(struct super_block *sb, uint64_t ino);
struct fsnotify_mark *fsnotify_mark_get(struct inode *inode);  /* find or make */
void fsnotify_mark_put_if_unused(struct fsnotify_mark *m);

/* inotify.c */
extern const struct file_ops inotify_fops;
/* An event for the group's queue (name NULL for none), as Linux queues it: merged with
 * an identical last event, or IN_Q_OVERFLOW once the queue is full. */
void inotify_queue_event(struct inotify_group *g, int wd, uint32_t mask, uint32_t cookie,
			 const char *name);

/* inotify_watch.c */
/* Unhooks and frees w; with notify, the group hears IN_IGNORED. */
void inotify_watch_remove(struct inotify_watch *w, bool notify);
/* The watches of a group, each removed without a word (the descriptor is closing). */
void inotify_group_drop_watches(struct inotify_group *g);

#endif
