/*
 * The inotify descriptor: a queue of struct inotify_event records, each followed by its
 * name NUL-padded to a multiple of the record header (16 bytes), as Linux lays them out.
 * A read takes as many whole records as fit (EINVAL if not even the first does); an
 * event identical to the last one queued is merged into it; a full queue takes one
 * IN_Q_OVERFLOW and nothing more until it is read. Instances and watches are counted
 * per user against /proc/sys/fs/inotify.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "fs/notify/notify_int.h"
#include "fs/poll.h"
#include "fs/proc/proc.h"
#include "mm/meminfo.h"
#include "sys/syscalls.h"

/* <linux/inotify.h> (which cannot be included beside glibc's <fcntl.h>): _IOW('I', 0, __s32) */
#define INOTIFY_IOC_SETNEXTWD _IOW('I', 0, int32_t)

int inotify_max_queued_events = 16384;
int inotify_max_user_instances = 128;
static int max_user_watches;   /* 0: Linux's default for this memory size */

struct inotify_kevent {
	struct list_head link;
	struct inotify_event ev;    /* ev.len: the padded name length */
	char name[];
};

static struct list_head users = LIST_HEAD_INIT(users);

/* Linux: 1% of memory at about 1 KiB per watch, between 8192 and 1048576. */
int inotify_max_user_watches(void)
{
	if (max_user_watches)
		return max_user_watches;
	uint64_t n = mem_total_bytes() / 100 / 1024;
	return n < 8192 ? 8192 : n > 1048576 ? 1048576 : (int)n;
}

void inotify_set_max_user_watches(int n)
{
	max_user_watches = n;
}

static struct inotify_user *user_get(uid_t uid)
{
	struct list_head *p;
	list_for_each(p, &users) {
		struct inotify_user *u = list_entry(p, struct inotify_user, link);
		if (u->uid == uid)
			return u;
	}
	struct inotify_user *u = xcalloc(1, sizeof(*u));
	u->uid = uid;
	list_add_tail(&u->link, &users);
	return u;
}

static void user_put_if_unused(struct inotify_user *u)
{
	if (u->instances || u->watches)
		return;
	list_del_init(&u->link);
	free(u);
}

static size_t record_size(const struct inotify_kevent *k)
{
	return sizeof(k->ev) + k->ev.len;
}

/* Linux's inotify_merge(): the same watch, mask and name as the last event queued
 * (never after IN_IGNORED, which ends its wd). */
static bool merges_with_last(struct inotify_group *g, int wd, uint32_t mask, const char *name)
{
	if (list_empty(&g->queue))
		return false;
	struct inotify_kevent *last = list_entry(g->queue.prev, struct inotify_kevent, link);
	if ((last->ev.mask & IN_IGNORED) || last->ev.mask != mask || last->ev.wd != wd)
		return false;
	if (!name)
		return last->ev.len == 0;
	return last->ev.len && strcmp(last->name, name) == 0;
}

static void queue_add(struct inotify_group *g, int wd, uint32_t mask, uint32_t cookie,
		      const char *name)
{
	size_t nlen = name ? strlen(name) : 0;
	/* at least one NUL, rounded up to the header's size */
	size_t padded = nlen ? (nlen + sizeof(struct inotify_event)) & ~(sizeof(struct inotify_event) - 1) : 0;
	struct inotify_kevent *k = xcalloc(1, sizeof(*k) + padded);
	k->ev.wd = wd;
	k->ev.mask = mask;
	k->ev.cookie = cookie;
	k->ev.len = (uint32_t)padded;
	if (nlen)
		memcpy(k->name, name, nlen);
	list_add_tail(&k->link, &g->queue);
	g->queued++;
	waitq_wake_all(&g->wq);
}

void inotify_queue_event(struct inotify_group *g, int wd, uint32_t mask, uint32_t cookie,
			 const char *name)
{
	if (g->queued >= g->max_queued) {
		if (!g->overflow_queued) {
			g->overflow_queued = true;
			queue_add(g, -1, IN_Q_OVERFLOW, 0, NULL);
		}
		return;
	}
	if (!merges_with_last(g, wd, mask, name))
		queue_add(g, wd, mask, cookie, name);
}

static struct inotify_kevent *queue_take(struct inotify_group *g)
{
	struct inotify_kevent *k = list_entry(g->queue.next, struct inotify_kevent, link);
	list_del_init(&k->link);
	g->queued--;
	if (k->ev.mask == IN_Q_OVERFLOW && k->ev.wd == -1)
		g->overflow_queued = false;
	return k;
}

static ssize_t inotify_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)pos;
	struct inotify_group *g = f->priv;
	size_t done = 0;
	while (!list_empty(&g->queue)) {
		struct inotify_kevent *first = list_entry(g->queue.next, struct inotify_kevent, link);
		size_t size = record_size(first);
		if (size > len - done) {
			if (!done)
				return -EINVAL;
			break;
		}
		struct inotify_kevent *k = queue_take(g);
		memcpy(buf + done, &k->ev, sizeof(k->ev));
		memcpy(buf + done + sizeof(k->ev), k->name, k->ev.len);
		done += size;
		free(k);
	}
	if (done)
		return (ssize_t)done;
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	task_wait_on(current, &g->wq);
	return SYSRET_BLOCK;
}

static unsigned inotify_poll(struct file *f, struct task *t)
{
	struct inotify_group *g = f->priv;
	if (t)
		task_wait_on(t, &g->wq);
	return list_empty(&g->queue) ? 0 : POLLIN | POLLRDNORM;
}

static long inotify_ioctl(struct file *f, struct task *t, unsigned long cmd, unsigned long arg)
{
	struct inotify_group *g = f->priv;
	struct list_head *p;
	int bytes = 0;
	switch (cmd) {
	case FIONREAD:
		list_for_each(p, &g->queue)
			bytes += (int)record_size(list_entry(p, struct inotify_kevent, link));
		return guest_write(t, arg, &bytes, sizeof(bytes)) < 0 ? -EFAULT : 0;
	case INOTIFY_IOC_SETNEXTWD:   /* checkpoint/restore: the next wd to hand out */
		if (arg < 1 || arg > INT_MAX)
			return -EINVAL;
		g->next_wd = (int)arg;
		return 0;
	}
	return -ENOTTY;
}

static void inotify_release(struct file *f)
{
	struct inotify_group *g = f->priv;
	inotify_group_drop_watches(g);
	while (!list_empty(&g->queue))
		free(queue_take(g));
	waitq_release(&g->wq);
	g->user->instances--;
	user_put_if_unused(g->user);
	free(g);
}

/* A line per watch, newest first as Linux's list of marks goes. Linux then gives the
 * file handle (fhandle-bytes, fhandle-type, f_handle) when the filesystem can export
 * one; ours have no file handles (name_to_handle_at), so the line ends at ignored_mask. */
static void inotify_show_fdinfo(struct file *f, struct proc_buf *b)
{
	struct inotify_group *g = f->priv;
	struct list_head *p;
	list_for_each_prev(p, &g->watches) {
		struct inotify_watch *w = list_entry(p, struct inotify_watch, group_link);
		proc_printf(b, "inotify wd:%x ino:%llx sdev:%x mask:%x ignored_mask:0\n", w->wd,
			    (unsigned long long)w->mark->ino, proc_sdev(w->mark->sb), w->mask);
	}
}

const struct file_ops inotify_fops = {
	.read = inotify_read, .poll = inotify_poll, .ioctl = inotify_ioctl,
	.release = inotify_release, .llseek = anon_llseek, .show_fdinfo = inotify_show_fdinfo,
};

static long inotify_create(struct task *t, int flags)
{
	if (flags & ~(IN_CLOEXEC | IN_NONBLOCK))
		return -EINVAL;
	struct inotify_user *u = user_get(t->cred.euid);
	if (u->instances >= (unsigned)inotify_max_user_instances) {
		user_put_if_unused(u);
		return -EMFILE;
	}
	struct inotify_group *g = xcalloc(1, sizeof(*g));
	list_init(&g->queue);
	list_init(&g->watches);
	waitq_init(&g->wq);
	g->max_queued = (unsigned)inotify_max_queued_events;
	g->next_wd = 1;
	g->user = u;
	u->instances++;
	struct file *f = anon_file_new("inotify", &inotify_fops, g, O_RDONLY | (flags & IN_NONBLOCK));
	return fd_install(t, f, flags & IN_CLOEXEC, 0);
}

SYSCALL(inotify_init)
{
	(void)a;
	return inotify_create(t, 0);
}

SYSCALL(inotify_init1)
{
	return inotify_create(t, (int)a->a[0]);
}
