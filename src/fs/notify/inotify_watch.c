/*
 * inotify_add_watch and inotify_rm_watch: one watch per (instance, file), known by its
 * watch descriptor. Watch descriptors are handed out cyclically from 1, as Linux's
 * idr_alloc_cyclic does, so a removed one is not reused at once.
 */
#include <limits.h>
#include <stdlib.h>
#include "fs/notify/notify_int.h"
#include "sys/syscalls.h"

static struct inotify_watch *watch_by_wd(struct inotify_group *g, int wd)
{
	struct list_head *p;
	list_for_each(p, &g->watches) {
		struct inotify_watch *w = list_entry(p, struct inotify_watch, group_link);
		if (w->wd == wd)
			return w;
	}
	return NULL;
}

static struct inotify_watch *watch_on_mark(struct inotify_group *g, struct fsnotify_mark *m)
{
	struct list_head *p;
	if (m)
		list_for_each(p, &m->watches) {
			struct inotify_watch *w = list_entry(p, struct inotify_watch, mark_link);
			if (w->group == g)
				return w;
		}
	return NULL;
}

/* The first free wd from next_wd on, wrapping from INT_MAX to 1. A group has fewer
 * watches than max_user_watches, so one is always free. */
static int wd_alloc(struct inotify_group *g)
{
	int wd = g->next_wd;
	while (watch_by_wd(g, wd))
		wd = wd == INT_MAX ? 1 : wd + 1;
	g->next_wd = wd == INT_MAX ? 1 : wd + 1;
	return wd;
}

void inotify_watch_remove(struct inotify_watch *w, bool notify)
{
	struct inotify_group *g = w->group;
	list_del_init(&w->mark_link);
	list_del_init(&w->group_link);
	g->user->watches--;
	if (notify)
		inotify_queue_event(g, w->wd, IN_IGNORED, 0, NULL);
	fsnotify_mark_put_if_unused(w->mark);
	free(w);
}

void inotify_group_drop_watches(struct inotify_group *g)
{
	while (!list_empty(&g->watches))
		inotify_watch_remove(list_entry(g->watches.next, struct inotify_watch, group_link), false);
}

/* Linux's inotify_update_watch(): an existing watch gets the new mask (or the union,
 * with IN_MASK_ADD) and keeps its wd. */
static long watch_update(struct inotify_group *g, struct inode *inode, uint32_t mask)
{
	struct inotify_watch *w = watch_on_mark(g, fsnotify_mark_find(inode->sb, inode->ino));
	uint32_t keep = mask & INOTIFY_WATCH_BITS;
	if (w) {
		if (mask & IN_MASK_CREATE)
			return -EEXIST;
		w->mask = (mask & IN_MASK_ADD) ? w->mask | keep : keep;
		return w->wd;
	}
	if (g->user->watches >= (unsigned)inotify_max_user_watches())
		return -ENOSPC;
	w = xcalloc(1, sizeof(*w));
	w->group = g;
	w->mask = keep;
	w->wd = wd_alloc(g);
	w->mark = fsnotify_mark_get(inode);
	list_add_tail(&w->mark_link, &w->mark->watches);
	list_add_tail(&w->group_link, &g->watches);
	g->user->watches++;
	return w->wd;
}

/* The instance behind fd: EBADF for no file, EINVAL for another kind. */
static long group_of(struct task *t, int fd, struct inotify_group **out)
{
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	if (f->fops != &inotify_fops)
		return -EINVAL;
	*out = f->priv;
	return 0;
}

/* Linux's order: the mask, the descriptor, the path, read permission. */
SYSCALL(inotify_add_watch)
{
	uint32_t mask = (uint32_t)a->a[2];
	if (!(mask & INOTIFY_ALL_BITS) || (mask & ~INOTIFY_ALL_BITS))
		return -EINVAL;
	struct inotify_group *g;
	long err = group_of(t, (int)a->a[0], &g);
	if (err < 0)
		return err;
	if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE))
		return -EINVAL;
	char name[PATH_MAX];
	if ((err = copy_path_in(t, a->a[1], name)) < 0)
		return err;
	unsigned lf = (mask & IN_DONT_FOLLOW) ? 0 : LOOKUP_FOLLOW;
	if (mask & IN_ONLYDIR)
		lf |= LOOKUP_DIRECTORY;
	struct path p;
	if ((err = path_walk(t, AT_FDCWD, name, lf, &p)) < 0)
		return err;
	err = inode_permission(t, p.dentry->inode, MAY_READ);
	if (err == 0)
		err = watch_update(g, p.dentry->inode, mask);
	path_put(&p);
	return err;
}

SYSCALL(inotify_rm_watch)
{
	struct inotify_group *g;
	long err = group_of(t, (int)a->a[0], &g);
	if (err < 0)
		return err;
	struct inotify_watch *w = watch_by_wd(g, (int)a->a[1]);
	if (!w)
		return -EINVAL;
	inotify_watch_remove(w, true);
	return 0;
}
