/*
 * epoll. An epoll file holds items (file, fd, events, data). Each item puts a callback
 * waiter on the watched file's wait queues (learnt by calling the file's poll with the
 * task's wait_capture set); a wake-up moves the item to the ready list, in wake order, and
 * wakes whoever waits on the epoll file. epoll_wait then polls the ready items as Linux
 * does (level-triggered ones go back to the list's tail, edge-triggered ones wait for the
 * next wake-up, one-shot ones are disabled until EPOLL_CTL_MOD), and, so that a file that
 * changes state without waking its queue is still seen, also polls every other item:
 * level-triggered ones are reported when ready, edge-triggered ones on a rising edge of
 * their mask.
 *
 * Items hold their file weakly, like Linux's: an item goes away when its file is released
 * for good (file_put calls eventpoll_file_released), not when one descriptor is closed.
 * EPOLLEXCLUSIVE is accepted and checked but every waiter is woken.
 */
#include <limits.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include "fs/poll.h"
#include "fs/proc/proc.h"
#include "sys/syscalls.h"

#define EP_MAX_NESTS   4    /* epoll-in-epoll links on any chain, as Linux */
#define EP_ITEM_WAITS  4    /* wait queues per watched file (pipes use two) */
#define EP_MAX_EVENTS  (INT_MAX / (int)sizeof(struct epoll_event))
#define EP_PRIVATE     (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EP_EXCLUSIVE_OK (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | \
			 EPOLLEXCLUSIVE)
#define USER_TOP       0x7ffffffff000UL   /* x86-64 user address space */
#define REG_BUCKETS    256

struct eventpoll {
	struct list_head items;     /* every item, in insertion order */
	struct list_head rdllist;   /* items woken since last polled, in wake order */
	int nitems;
	struct waitq wq;            /* epoll_wait callers and pollers of the epoll file */
	struct file *file;          /* the epoll file, which owns this */
	bool waking;                /* guards the wake-up fan-out against re-entry */
};

struct epitem;
struct ep_waiter {
	struct waiter w;
	struct epitem *item;
};

struct epitem {
	struct list_head link;       /* on ep->items */
	struct list_head rdl_link;   /* on ep->rdllist (or a scan's list) when on_rdl */
	struct list_head reg_link;   /* in the registry, by file */
	bool on_rdl;
	struct eventpoll *ep;
	struct file *file;           /* weak: see eventpoll_file_released */
	int fd;
	uint32_t events;             /* as set, plus EPOLLERR | EPOLLHUP */
	uint64_t data;
	unsigned last_mask;          /* what the last scan saw: edges for EPOLLET */
	struct ep_waiter waits[EP_ITEM_WAITS];
	int nwaits;
};

static const struct file_ops eventpoll_fops;

/* ---- the registry: items by watched file, to drop them when the file goes ------- */

static struct list_head registry[REG_BUCKETS];
static int registry_items;

static struct list_head *registry_bucket(const struct file *f)
{
	if (!registry[0].next)
		for (int i = 0; i < REG_BUCKETS; i++)
			list_init(&registry[i]);
	return &registry[((uintptr_t)f >> 6) % REG_BUCKETS];
}

bool file_is_eventpoll(struct file *f)
{
	return f->fops == &eventpoll_fops;
}

/* ---- readiness ------------------------------------------------------------------ */

static void ep_wake(struct eventpoll *ep)
{
	if (ep->waking)
		return;
	ep->waking = true;
	waitq_wake_all(&ep->wq);
	ep->waking = false;
}

static void ep_list_ready(struct epitem *it)
{
	if (it->on_rdl)
		return;
	it->on_rdl = true;
	list_add_tail(&it->rdl_link, &it->ep->rdllist);
}

static bool ep_item_disabled(const struct epitem *it)
{
	return !(it->events & ~EP_PRIVATE);   /* a one-shot item that fired */
}

static void ep_item_woken(struct waiter *w)
{
	struct epitem *it = container_of(w, struct ep_waiter, w)->item;
	if (ep_item_disabled(it))
		return;
	ep_list_ready(it);
	ep_wake(it->ep);
}

struct ep_capture {
	struct waitq_capture c;
	struct epitem *item;
};

/* The watched file registers on q: hang one of the item's callback waiters there. */
static void ep_capture_queue(struct waitq_capture *c, struct waitq *q)
{
	struct epitem *it = container_of(c, struct ep_capture, c)->item;
	for (int i = 0; i < it->nwaits; i++)
		if (it->waits[i].w.q == q)
			return;
	if (it->nwaits == EP_ITEM_WAITS)
		return;   /* no file of ours has more queues */
	struct ep_waiter *ew = &it->waits[it->nwaits++];
	ew->item = it;
	ew->w.q = q;
	ew->w.task = NULL;
	ew->w.wake = ep_item_woken;
	list_add_tail(&ew->w.link, &q->waiters);
}

/* The item's file's mask (not yet filtered). With t, the file's queues get the item's
 * waiters, and time-driven files (timerfd) may set t's deadline. */
static unsigned ep_item_poll(struct epitem *it, struct task *t)
{
	if (!t)
		return file_poll(it->file, NULL);
	struct ep_capture cap = { { ep_capture_queue }, it };
	struct waitq_capture *saved = t->wait_capture;
	t->wait_capture = &cap.c;
	unsigned mask = file_poll(it->file, t);
	t->wait_capture = saved;
	return mask;
}

/* ---- items ---------------------------------------------------------------------- */

static struct epitem *ep_find(struct eventpoll *ep, struct file *f, int fd)
{
	struct list_head *p;
	list_for_each(p, &ep->items) {
		struct epitem *it = list_entry(p, struct epitem, link);
		if (it->file == f && it->fd == fd)
			return it;
	}
	return NULL;
}

static void ep_item_remove(struct epitem *it)
{
	for (int i = 0; i < it->nwaits; i++)
		list_del_init(&it->waits[i].w.link);
	if (it->on_rdl)
		list_del_init(&it->rdl_link);
	list_del_init(&it->link);
	list_del_init(&it->reg_link);
	it->ep->nitems--;
	registry_items--;
	free(it);
}

/* After ADD or MOD: an item that is ready now is reported by the next wait. */
static void ep_item_check_ready(struct epitem *it, struct task *t)
{
	if (ep_item_poll(it, t) & it->events) {
		ep_list_ready(it);
		ep_wake(it->ep);
	}
}

static void ep_insert(struct eventpoll *ep, struct file *f, int fd,
		      const struct epoll_event *ev, struct task *t)
{
	struct epitem *it = xcalloc(1, sizeof(*it));
	it->ep = ep;
	it->file = f;
	it->fd = fd;
	it->events = ev->events | EPOLLERR | EPOLLHUP;
	it->data = ev->data.u64;
	list_init(&it->rdl_link);
	list_add_tail(&it->link, &ep->items);
	list_add_tail(&it->reg_link, registry_bucket(f));
	ep->nitems++;
	registry_items++;
	ep_item_check_ready(it, t);
}

static void ep_modify(struct epitem *it, const struct epoll_event *ev, struct task *t)
{
	it->events = ev->events | EPOLLERR | EPOLLHUP;
	it->data = ev->data.u64;
	ep_item_check_ready(it, t);
}

void eventpoll_file_released(struct file *f)
{
	if (!registry_items)
		return;
	struct list_head *head = registry_bucket(f), *p, *n;
	list_for_each_safe(p, n, head) {
		struct epitem *it = list_entry(p, struct epitem, reg_link);
		if (it->file == f)
			ep_item_remove(it);
	}
}

/* ---- nesting ---------------------------------------------------------------------- */

/* Longest chain of epoll files below ep; -1 if `avoid` is among them (a cycle). */
static int ep_depth_below(struct eventpoll *ep, struct eventpoll *avoid, int limit)
{
	int best = 0;
	struct list_head *p;
	list_for_each(p, &ep->items) {
		struct epitem *it = list_entry(p, struct epitem, link);
		if (!file_is_eventpoll(it->file))
			continue;
		struct eventpoll *sub = it->file->priv;
		int d = sub == avoid || limit <= 0 ? -1 : ep_depth_below(sub, avoid, limit - 1);
		if (d < 0)
			return -1;
		if (d + 1 > best)
			best = d + 1;
	}
	return best;
}

/* Longest chain of epoll files watching epfile (found through the registry). */
static int ep_depth_above(struct file *epfile, int limit)
{
	if (limit < 0)
		return EP_MAX_NESTS + 1;
	int best = 0;
	struct list_head *p;
	list_for_each(p, registry_bucket(epfile)) {
		struct epitem *it = list_entry(p, struct epitem, reg_link);
		int d = it->file == epfile ? 1 + ep_depth_above(it->ep->file, limit - 1) : 0;
		if (d > best)
			best = d;
	}
	return best;
}

/* Linux refuses (ELOOP) a cycle, or a chain of more than EP_MAX_NESTS links. */
static int ep_loop_check(struct file *epfile, struct file *target)
{
	struct eventpoll *ep = epfile->priv, *sub = target->priv;
	if (sub == ep)
		return -ELOOP;
	int below = ep_depth_below(sub, ep, EP_MAX_NESTS);
	if (below < 0 || ep_depth_above(epfile, EP_MAX_NESTS) + 1 + below > EP_MAX_NESTS)
		return -ELOOP;
	return 0;
}

/* ---- harvesting ------------------------------------------------------------------- */

static void list_move_all(struct list_head *from, struct list_head *to_tail)
{
	while (!list_empty(from)) {
		struct list_head *e = from->next;
		list_del_init(e);
		list_add_tail(e, to_tail);
	}
}

/* Polls an item that is off the ready list; whether to report it, with its mask. */
static bool ep_item_due(struct epitem *it, struct task *t, bool woken, unsigned *maskp)
{
	unsigned mask = ep_item_disabled(it) ? 0 : ep_item_poll(it, t) & it->events;
	if (it->on_rdl) {   /* its own poll woke it (a timerfd seeing an expiry): one report */
		list_del_init(&it->rdl_link);
		it->on_rdl = false;
		woken = true;
	}
	bool rising = mask & ~it->last_mask;
	it->last_mask = mask;
	*maskp = mask;
	return mask && (woken || rising || !(it->events & EPOLLET));
}

/* One-shot items are disabled until EPOLL_CTL_MOD; level-triggered ones go to the ready
 * list's tail, so waits that take fewer events than are ready serve all in turn. */
static void ep_item_report(struct epitem *it, unsigned mask, struct epoll_event *out)
{
	out->events = mask;
	out->data.u64 = it->data;
	if (it->events & EPOLLONESHOT)
		it->events &= EP_PRIVATE;
	else if (!(it->events & EPOLLET))
		ep_list_ready(it);
}

static int ep_harvest_ready_list(struct eventpoll *ep, struct task *t, struct epoll_event *out, int max)
{
	struct list_head scan;
	list_init(&scan);
	list_move_all(&ep->rdllist, &scan);
	int n = 0;
	while (!list_empty(&scan) && n < max) {
		struct epitem *it = list_entry(scan.next, struct epitem, rdl_link);
		list_del_init(&it->rdl_link);
		it->on_rdl = false;
		unsigned mask;
		if (ep_item_due(it, t, true, &mask))
			ep_item_report(it, mask, &out[n++]);
	}
	/* the rest stay ready, ahead of the items listed meanwhile (as Linux's splice) */
	list_move_all(&ep->rdllist, &scan);
	list_move_all(&scan, &ep->rdllist);
	return n;
}

static int ep_harvest_others(struct eventpoll *ep, struct task *t, struct epoll_event *out, int n, int max)
{
	struct list_head *p;
	list_for_each(p, &ep->items) {
		struct epitem *it = list_entry(p, struct epitem, link);
		if (n == max)
			break;
		if (it->on_rdl || ep_item_disabled(it))
			continue;
		unsigned mask;
		if (ep_item_due(it, t, false, &mask))
			ep_item_report(it, mask, &out[n++]);
	}
	return n;
}

static int ep_harvest(struct eventpoll *ep, struct task *t, struct epoll_event *out, int max)
{
	int n = ep_harvest_ready_list(ep, t, out, max);
	return ep_harvest_others(ep, t, out, n, max);
}

/* ---- the epoll file --------------------------------------------------------------- */

/* Readable when a wait would report something; nothing is consumed. */
static unsigned ep_file_poll(struct file *f, struct task *t)
{
	struct eventpoll *ep = f->priv;
	if (t)
		task_wait_on(t, &ep->wq);
	struct list_head *p;
	list_for_each(p, &ep->items) {
		struct epitem *it = list_entry(p, struct epitem, link);
		if (ep_item_disabled(it))
			continue;
		unsigned mask = ep_item_poll(it, t) & it->events;
		if (mask && (it->on_rdl || !(it->events & EPOLLET) || (mask & ~it->last_mask)))
			return POLLIN | POLLRDNORM;
	}
	return 0;
}

static void ep_file_release(struct file *f)
{
	struct eventpoll *ep = f->priv;
	while (!list_empty(&ep->items))
		ep_item_remove(list_entry(ep->items.next, struct epitem, link));
	waitq_release(&ep->wq);
	free(ep);
}

/* A line per item, in the order they were added (Linux's follows its tree, by the
 * watched file's address). */
static void ep_show_fdinfo(struct file *f, struct proc_buf *b)
{
	struct eventpoll *ep = f->priv;
	struct list_head *p;
	list_for_each(p, &ep->items) {
		struct epitem *it = list_entry(p, struct epitem, link);
		struct inode *inode = it->file->inode;
		proc_printf(b, "tfd: %8d events: %8x data: %16llx  pos:%lli ino:%lx sdev:%x\n",
			    it->fd, it->events, (unsigned long long)it->data, (long long)it->file->pos,
			    inode ? (unsigned long)inode->ino : 0UL, proc_sdev(inode ? inode->sb : NULL));
	}
}

static const struct file_ops eventpoll_fops = {
	.poll = ep_file_poll, .release = ep_file_release, .llseek = anon_llseek,
	.show_fdinfo = ep_show_fdinfo,
};

/* ---- system calls ----------------------------------------------------------------- */

static long ep_create(struct task *t, int flags)
{
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	struct eventpoll *ep = xcalloc(1, sizeof(*ep));
	list_init(&ep->items);
	list_init(&ep->rdllist);
	waitq_init(&ep->wq);
	struct file *f = anon_file_new("[eventpoll]", &eventpoll_fops, ep, O_RDWR);
	ep->file = f;
	return fd_install(t, f, flags & EPOLL_CLOEXEC, 0);
}

long sys_epoll_create(struct task *t, struct syscall_args *a)
{
	if ((int)a->a[0] <= 0)
		return -EINVAL;
	return ep_create(t, 0);
}

long sys_epoll_create1(struct task *t, struct syscall_args *a)
{
	return ep_create(t, (int)a->a[0]);
}

/* Linux takes only files with a poll operation: not regular files or directories. */
static bool file_epollable(struct file *f)
{
	mode_t m = f->inode ? f->inode->mode : 0;
	return f->fops && f->fops->poll && !S_ISREG(m) && !S_ISDIR(m);
}

/* The checks of Linux's do_epoll_ctl before it looks the item up, in its order. */
static int ep_ctl_check(struct file *epf, struct file *tf, int op, struct epoll_event *ev)
{
	bool has_event = op != EPOLL_CTL_DEL;
	if (!file_epollable(tf))
		return -EPERM;
	if (epf == tf || !file_is_eventpoll(epf))
		return -EINVAL;
	if (has_event && (ev->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (op == EPOLL_CTL_ADD && (file_is_eventpoll(tf) || (ev->events & ~EP_EXCLUSIVE_OK)))
			return -EINVAL;
	}
	if (op == EPOLL_CTL_ADD && file_is_eventpoll(tf))
		return ep_loop_check(epf, tf);
	return 0;
}

long sys_epoll_ctl(struct task *t, struct syscall_args *a)
{
	int op = (int)a->a[1], fd = (int)a->a[2];
	struct epoll_event ev = { 0, { 0 } };
	if (op != EPOLL_CTL_DEL && guest_read(t, &ev, a->a[3], sizeof(ev)) < 0)
		return -EFAULT;
	struct file *epf = fd_get(t, (int)a->a[0]), *tf = fd_get(t, fd);
	if (!epf || !tf)
		return -EBADF;
	int err = ep_ctl_check(epf, tf, op, &ev);
	if (err < 0)
		return err;
	struct eventpoll *ep = epf->priv;
	struct epitem *it = ep_find(ep, tf, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		if (it)
			return -EEXIST;
		ep_insert(ep, tf, fd, &ev, t);
		return 0;
	case EPOLL_CTL_DEL:
		if (!it)
			return -ENOENT;
		ep_item_remove(it);
		return 0;
	case EPOLL_CTL_MOD:
		if (!it)
			return -ENOENT;
		if (it->events & EPOLLEXCLUSIVE)
			return -EINVAL;
		ep_modify(it, &ev, t);
		return 0;
	}
	return -EINVAL;
}

/* The body of the epoll_wait family, after the timeout and mask are recorded. */
static long ep_wait_common(struct task *t, int epfd, unsigned long uevents, int maxevents)
{
	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	size_t len = (size_t)maxevents * sizeof(struct epoll_event);
	if (uevents >= USER_TOP || USER_TOP - uevents < len)
		return -EFAULT;
	struct file *f = fd_get(t, epfd);
	if (!f)
		return -EBADF;
	if (!file_is_eventpoll(f))
		return -EINVAL;
	struct eventpoll *ep = f->priv;
	int max = maxevents < ep->nitems ? maxevents : ep->nitems;
	struct epoll_event *out = malloc((size_t)(max ? max : 1) * sizeof(*out));
	if (!out)
		return -ENOMEM;
	long ret = max ? ep_harvest(ep, t, out, max) : 0;
	if (ret > 0 && guest_write(t, uevents, out, (size_t)ret * sizeof(*out)) < 0)
		ret = -EFAULT;
	free(out);
	/* unlike poll, a wait that has timed out does not look for signals */
	if (ret == 0 && !poll_timed_out(t))
		ret = poll_sigmask_apply(t);
	if (ret == 0 && !poll_timed_out(t)) {
		task_wait_on(t, &ep->wq);
		return poll_park(t);
	}
	poll_sigmask_finish(t, ret);
	return ret;
}

long sys_epoll_wait(struct task *t, struct syscall_args *a)
{
	if (!t->retrying)
		poll_timeout_begin_ms(t, (int)a->a[3]);
	return ep_wait_common(t, (int)a->a[0], a->a[1], (int)a->a[2]);
}

long sys_epoll_pwait(struct task *t, struct syscall_args *a)
{
	if (!t->retrying) {
		poll_timeout_begin_ms(t, (int)a->a[3]);
		uint64_t mask;
		int err = a->a[4] ? poll_sigmask_read(t, a->a[4], a->a[5], &mask) : 0;
		if (err < 0)
			return err;
	}
	return ep_wait_common(t, (int)a->a[0], a->a[1], (int)a->a[2]);
}

long sys_epoll_pwait2(struct task *t, struct syscall_args *a)
{
	if (!t->retrying) {
		struct timespec ts;
		if (a->a[3] && guest_read(t, &ts, a->a[3], sizeof(ts)) < 0)
			return -EFAULT;
		int err = poll_timeout_begin(t, a->a[3] ? &ts : NULL);
		uint64_t mask;
		if (!err && a->a[4])
			err = poll_sigmask_read(t, a->a[4], a->a[5], &mask);
		if (err < 0)
			return err;
	}
	return ep_wait_common(t, (int)a->a[0], a->a[1], (int)a->a[2]);
}
