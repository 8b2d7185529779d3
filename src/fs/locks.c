/*
 * File locks, as Linux's fs/locks.c keeps them. Record locks of both kinds (POSIX:
 * owned by the descriptor table, dropped by any close of the file through it; OFD:
 * owned by the open file, dropped when it is released) share one list per file and
 * conflict with each other when their owners differ; flock(2) locks belong to open
 * files and live apart. Without an inode cache the lists hang off a table keyed by
 * (superblock, inode number), as FIFO pipes do (fs/pipe.c).
 *
 * A request that must wait parks on the file's queue and is retried from the start
 * when any lock of the file changes. Waiting POSIX requests are remembered, so one
 * that would close a cycle of owners waiting for each other fails with EDEADLK.
 *
 * Every lock is also on one machine-wide list in the order it was made, for /proc/locks,
 * which (as Linux's on one CPU) shows the newest first, each followed by the requests
 * waiting for it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/sysmacros.h>
#include "fs/locks.h"
#include "fs/proc/proc.h"

#define OFFSET_MAX INT64_MAX
#define MAX_DEADLK_ITERATIONS 10   /* Linux's bound on the wait-for chain */

enum lock_kind { LK_POSIX, LK_OFD, LK_FLOCK };

struct file_lock {
	struct list_head link;    /* on locked_file.records or .flocks */
	struct list_head global;  /* on all_locks (held locks only) */
	struct locked_file *lf;   /* the file it locks (held locks only) */
	enum lock_kind kind;
	const void *owner;        /* files_struct (POSIX) or file (OFD, flock) */
	const struct file *file;  /* the open file it was set through, for fdinfo */
	pid_t pid;                /* the setter's process, for F_GETLK */
	short type;               /* F_RDLCK or F_WRLCK */
	off_t start, end;         /* inclusive; end OFFSET_MAX: to the end of the file */
};

struct locked_file {
	struct list_head link;    /* on locked_files */
	struct super_block *sb;
	uint64_t ino;
	struct list_head records; /* POSIX and OFD locks */
	struct list_head flocks;
	struct waitq wait;        /* requests waiting for a change */
};

/* An F_SETLKW that waits, for the deadlock check. */
struct lock_waiter {
	struct list_head link;    /* on lock_waiters */
	struct task *task;
	struct super_block *sb;
	uint64_t ino;
	struct file_lock req;
	const struct file_lock *blocked_on;   /* for /proc/locks: see waiters_place */
};

static struct list_head locked_files = LIST_HEAD_INIT(locked_files);
static struct list_head lock_waiters = LIST_HEAD_INIT(lock_waiters);
static struct list_head all_locks = LIST_HEAD_INIT(all_locks);

static struct locked_file *locked_file_of(struct super_block *sb, uint64_t ino, bool create)
{
	struct list_head *p;
	list_for_each(p, &locked_files) {
		struct locked_file *lf = list_entry(p, struct locked_file, link);
		if (lf->sb == sb && lf->ino == ino)
			return lf;
	}
	if (!create)
		return NULL;
	struct locked_file *lf = xcalloc(1, sizeof(*lf));
	lf->sb = sb;
	lf->ino = ino;
	list_init(&lf->records);
	list_init(&lf->flocks);
	waitq_init(&lf->wait);
	list_add_tail(&lf->link, &locked_files);
	return lf;
}

/* Forgets a file once it has no locks and no waiters. */
static void locked_file_tidy(struct locked_file *lf)
{
	if (list_empty(&lf->records) && list_empty(&lf->flocks) && list_empty(&lf->wait.waiters)) {
		list_del_init(&lf->link);
		free(lf);
	}
}

/* The locks of lf changed: every waiter tries again. */
static void locks_changed(struct locked_file *lf)
{
	waitq_wake_all(&lf->wait);
	locked_file_tidy(lf);
}

/* A held lock like tmpl on lf, [start, end], not yet on any of lf's lists. */
static struct file_lock *lock_new(const struct file_lock *tmpl, struct locked_file *lf,
				  off_t start, off_t end)
{
	struct file_lock *l = xcalloc(1, sizeof(*l));
	*l = *tmpl;
	list_init(&l->link);
	l->lf = lf;
	l->start = start;
	l->end = end;
	list_add_tail(&l->global, &all_locks);
	return l;
}

static void lock_free(struct file_lock *l)
{
	list_del_init(&l->link);
	list_del_init(&l->global);
	free(l);
}

static bool overlap(const struct file_lock *a, const struct file_lock *b)
{
	return a->start <= b->end && b->start <= a->end;
}

static bool records_conflict(const struct file_lock *req, const struct file_lock *held)
{
	if (req->owner == held->owner || !overlap(req, held))
		return false;
	return req->type == F_WRLCK || held->type == F_WRLCK;
}

static bool flocks_conflict(const struct file_lock *req, const struct file_lock *held)
{
	return req->owner != held->owner && (req->type == F_WRLCK || held->type == F_WRLCK);
}

static bool locks_conflict(const struct file_lock *req, const struct file_lock *held)
{
	if ((req->kind == LK_FLOCK) != (held->kind == LK_FLOCK))
		return false;
	return req->kind == LK_FLOCK ? flocks_conflict(req, held) : records_conflict(req, held);
}

/* The first held lock of lf in req's way, of req's family (record or flock). */
static struct file_lock *first_conflict(struct locked_file *lf, const struct file_lock *req)
{
	struct list_head *p, *list = req->kind == LK_FLOCK ? &lf->flocks : &lf->records;
	list_for_each(p, list) {
		struct file_lock *l = list_entry(p, struct file_lock, link);
		if (locks_conflict(req, l))
			return l;
	}
	return NULL;
}

/* ---- the record lock a struct flock describes ------------------------------------- */

/* Linux's flock64_to_posix_lock: the range from l_whence/l_start/l_len, and the type. */
static int record_from_flock(struct file *f, const struct flock *l, struct file_lock *out)
{
	off_t base;
	struct kstat st;
	switch (l->l_whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->pos; break;
	case SEEK_END:
		if (vfs_getattr(f->inode, &st) < 0)
			return -EINVAL;
		base = st.size;
		break;
	default: return -EINVAL;
	}
	if (l->l_start > OFFSET_MAX - base)
		return -EOVERFLOW;
	out->start = base + l->l_start;
	if (out->start < 0)
		return -EINVAL;
	if (l->l_len > 0) {
		if (l->l_len - 1 > OFFSET_MAX - out->start)
			return -EOVERFLOW;
		out->end = out->start + l->l_len - 1;
	} else if (l->l_len < 0) {
		if (out->start + l->l_len < 0)
			return -EINVAL;
		out->end = out->start - 1;
		out->start += l->l_len;
	} else {
		out->end = OFFSET_MAX;
	}
	if (l->l_type != F_RDLCK && l->l_type != F_WRLCK && l->l_type != F_UNLCK)
		return -EINVAL;
	out->type = l->l_type;
	return 0;
}

/* The request of t through f: owned by the descriptor table or, for OFD, by f. */
static int record_request(struct task *t, struct file *f, bool ofd, const struct flock *l,
			  struct file_lock *req)
{
	if (!f->inode)
		return -EINVAL;
	int err = record_from_flock(f, l, req);
	if (err < 0)
		return err;
	req->kind = ofd ? LK_OFD : LK_POSIX;
	req->owner = ofd ? (const void *)f : (const void *)t->files;
	req->file = f;
	req->pid = t->tg->tgid;
	return 0;
}

/* What F_GETLK reports: the first lock in req's way. An F_UNLCK request (only
 * F_OFD_GETLK takes one) asks for the caller's own overlapping lock, as Linux 6.10's
 * posix_test_locks_conflict does. */
static struct file_lock *record_tested(struct locked_file *lf, const struct file_lock *req)
{
	struct list_head *p;
	list_for_each(p, &lf->records) {
		struct file_lock *h = list_entry(p, struct file_lock, link);
		if (req->type == F_UNLCK ? h->owner == req->owner && overlap(req, h)
					 : records_conflict(req, h))
			return h;
	}
	return NULL;
}

int locks_test_record(struct task *t, struct file *f, bool ofd, struct flock *l)
{
	struct file_lock req;
	if (!ofd && l->l_type != F_RDLCK && l->l_type != F_WRLCK)
		return -EINVAL;
	int err = record_request(t, f, ofd, l, &req);
	if (err < 0)
		return err;
	if (ofd && l->l_pid != 0)
		return -EINVAL;
	struct locked_file *lf = locked_file_of(f->inode->sb, f->inode->ino, false);
	struct file_lock *found = lf ? record_tested(lf, &req) : NULL;
	if (!found) {
		l->l_type = F_UNLCK;
		return 0;
	}
	l->l_type = found->type;
	l->l_whence = SEEK_SET;
	l->l_start = found->start;
	l->l_len = found->end == OFFSET_MAX ? 0 : found->end - found->start + 1;
	l->l_pid = found->kind == LK_OFD ? -1 : found->pid;
	return 0;
}

/* ---- setting and clearing record locks -------------------------------------------- */

/*
 * Sets (or, for F_UNLCK, clears) req's range among its owner's locks, placing locks as
 * Linux's posix_lock_inode does, which /proc/locks ids and fdinfo order show: an owner's
 * locks stay together in lf's list, by start. A lock of req's type that overlaps or
 * touches req (the lowest one) grows to take it in and the others of that type go; else
 * req becomes a new lock, in the place of the first lock of another type it covers. A
 * lock of another type is trimmed, or split around req: the old lock keeps the part
 * after, a new one (made after req's) the part before.
 */
static void records_apply(struct locked_file *lf, const struct file_lock *req)
{
	struct file_lock *cur = NULL;       /* the held lock standing for req, once there is one */
	struct file_lock *left = NULL, *right = NULL;
	off_t start = req->start, end = req->end;
	bool done = false, in_group = false;   /* done: Linux's "added" */
	struct list_head *p, *n, *stop = &lf->records;
	list_for_each_safe(p, n, &lf->records) {
		struct file_lock *l = list_entry(p, struct file_lock, link);
		if (l->owner != req->owner) {
			if (in_group) {
				stop = p;
				break;
			}
			continue;
		}
		in_group = true;
		if (l->type == req->type) {
			if (l->end < start - 1)
				continue;
			if (l->start - 1 > end) {
				stop = p;
				break;
			}
			start = l->start < start ? l->start : start;
			end = l->end > end ? l->end : end;
			if (done) {
				lock_free(l);
			} else {
				cur = l;
				done = true;
			}
			cur->start = start;
			cur->end = end;
			continue;
		}
		if (l->end < start)
			continue;
		if (l->start > end) {
			stop = p;
			break;
		}
		if (req->type == F_UNLCK)
			done = true;
		if (l->start < start)
			left = l;
		if (l->end > end) {
			right = l;
			stop = p;
			break;
		}
		if (l->start >= start) {   /* covered: req takes the place of the first such */
			if (!done) {
				cur = lock_new(req, lf, start, end);
				list_add_tail(&cur->link, &l->link);
				done = true;
			}
			lock_free(l);
		}
	}
	if (!done && req->type == F_UNLCK)
		return;
	if (!done) {
		cur = lock_new(req, lf, start, end);
		list_add_tail(&cur->link, stop);
	}
	if (right && left == right) {
		left = lock_new(right, lf, right->start, start - 1);
		list_add_tail(&left->link, cur ? &cur->link : &right->link);
	}
	if (right)
		right->start = end + 1;
	if (left)
		left->end = start - 1;
}

static void waiter_forget(struct task *t)
{
	struct list_head *p, *n;
	list_for_each_safe(p, n, &lock_waiters) {
		struct lock_waiter *w = list_entry(p, struct lock_waiter, link);
		if (w->task == t) {
			list_del_init(&w->link);
			free(w);
		}
	}
}

void locks_wait_done(struct task *t)
{
	waiter_forget(t);
}

static void waiter_note(struct task *t, struct file *f, const struct file_lock *req)
{
	waiter_forget(t);
	struct lock_waiter *w = xcalloc(1, sizeof(*w));
	w->task = t;
	w->sb = f->inode->sb;
	w->ino = f->inode->ino;
	w->req = *req;
	list_add_tail(&w->link, &lock_waiters);
}

/* The owner a waiting POSIX request of owner is waiting for, or NULL. */
static const void *owner_waits_for(const void *owner)
{
	struct list_head *p;
	list_for_each(p, &lock_waiters) {
		struct lock_waiter *w = list_entry(p, struct lock_waiter, link);
		if (w->req.kind != LK_POSIX || w->req.owner != owner)
			continue;
		struct locked_file *lf = locked_file_of(w->sb, w->ino, false);
		struct file_lock *c = lf ? first_conflict(lf, &w->req) : NULL;
		if (c)
			return c->owner;
	}
	return NULL;
}

/* Linux's posix_locks_deadlock: does the owner of blocker wait, through a chain of
 * waiting owners, for req's owner? OFD owners are no processes and never deadlock. */
static bool would_deadlock(const struct file_lock *req, const struct file_lock *blocker)
{
	if (req->kind != LK_POSIX)
		return false;
	const void *owner = blocker->owner;
	for (int i = 0; (owner = owner_waits_for(owner)) != NULL; i++) {
		if (i > MAX_DEADLK_ITERATIONS)
			return false;
		if (owner == req->owner)
			return true;
	}
	return false;
}

/* A parked F_SETLKW or flock is interrupted or its task dies: its registration goes,
 * and with it maybe the last reason to keep a file's entry. */
static void lock_wait_abort(struct task *t)
{
	waiter_forget(t);
	task_drop_waits(t);
	struct list_head *p, *n;
	list_for_each_safe(p, n, &locked_files)
		locked_file_tidy(list_entry(p, struct locked_file, link));
}

/* Check fmode for F_RDLCK / F_WRLCK, as Linux's check_fmode_for_setlk. */
static int mode_allows(const struct file *f, short type)
{
	unsigned acc = f->flags & O_ACCMODE;
	if (type == F_RDLCK && acc == O_WRONLY)
		return -EBADF;
	if (type == F_WRLCK && acc == O_RDONLY)
		return -EBADF;
	return 0;
}

long locks_set_record(struct task *t, struct file *f, bool ofd, bool wait, const struct flock *l)
{
	struct file_lock req;
	int err = record_request(t, f, ofd, l, &req);
	if (err < 0 || (err = mode_allows(f, req.type)) < 0)
		return err;
	if (ofd && l->l_pid != 0)
		return -EINVAL;
	struct locked_file *lf = locked_file_of(f->inode->sb, f->inode->ino, true);
	if (req.type != F_UNLCK) {
		struct file_lock *c = first_conflict(lf, &req);
		if (c && !wait) {
			err = -EAGAIN;
		} else if (c && would_deadlock(&req, c)) {
			err = -EDEADLK;
		} else if (c) {
			waiter_note(t, f, &req);
			t->park_abort = lock_wait_abort;
			task_wait_on(t, &lf->wait);
			return SYSRET_BLOCK;
		}
		if (err < 0) {
			locked_file_tidy(lf);
			return err;
		}
	}
	records_apply(lf, &req);
	locks_changed(lf);
	return 0;
}

/* ---- flock(2) --------------------------------------------------------------------- */

/*
 * Linux's flock_lock_inode: a lock of the same type through the same open file is
 * already there; one of the other type is dropped first (so a conversion that has to
 * wait, or fails with LOCK_NB, has lost the old lock); then any other open file's
 * exclusive lock, or any other's lock against an exclusive request, is in the way.
 */
long locks_flock(struct task *t, struct file *f, short type, bool wait)
{
	if (!f->inode)
		return -EINVAL;
	struct file_lock req = {
		.kind = LK_FLOCK, .owner = f, .file = f, .pid = t->tg->tgid, .type = type,
		.start = 0, .end = OFFSET_MAX,
	};
	struct locked_file *lf = locked_file_of(f->inode->sb, f->inode->ino, true);
	struct list_head *p, *n;
	list_for_each_safe(p, n, &lf->flocks) {
		struct file_lock *l = list_entry(p, struct file_lock, link);
		if (l->owner != f)
			continue;
		if (l->type == type)
			return 0;
		lock_free(l);
		waitq_wake_all(&lf->wait);
		break;
	}
	if (type == F_UNLCK) {
		locked_file_tidy(lf);
		return 0;
	}
	list_for_each(p, &lf->flocks) {
		struct file_lock *l = list_entry(p, struct file_lock, link);
		if (!flocks_conflict(&req, l))
			continue;
		if (!wait) {
			locked_file_tidy(lf);
			return -EAGAIN;
		}
		waiter_note(t, f, &req);
		t->park_abort = lock_wait_abort;
		task_wait_on(t, &lf->wait);
		return SYSRET_BLOCK;
	}
	struct file_lock *nl = lock_new(&req, lf, req.start, req.end);
	list_add_tail(&nl->link, &lf->flocks);
	return 0;
}

/* ---- locks dying with their owners ------------------------------------------------ */

static void drop_owned(struct list_head *list, const void *owner)
{
	struct list_head *p, *n;
	list_for_each_safe(p, n, list) {
		struct file_lock *l = list_entry(p, struct file_lock, link);
		if (l->owner == owner)
			lock_free(l);
	}
}

void locks_remove_posix(const struct files_struct *owner, struct file *f)
{
	/* Linux's filp_flush: closing an O_PATH descriptor leaves the locks alone */
	if (!f || !f->inode || (f->flags & O_PATH) || list_empty(&locked_files))
		return;
	struct locked_file *lf = locked_file_of(f->inode->sb, f->inode->ino, false);
	if (!lf)
		return;
	drop_owned(&lf->records, owner);
	locks_changed(lf);
}

void locks_file_released(struct file *f)
{
	if (!f->inode || list_empty(&locked_files))
		return;
	struct locked_file *lf = locked_file_of(f->inode->sb, f->inode->ino, false);
	if (!lf)
		return;
	drop_owned(&lf->records, f);
	drop_owned(&lf->flocks, f);
	locks_changed(lf);
}

/* ---- /proc/locks and fdinfo's lock: lines ----------------------------------------- */

/*
 * Linux's tree of blocked requests: a waiter hangs under the first held lock in its way,
 * or under an earlier waiter on that lock it conflicts with (and so on down), as
 * __locks_insert_block files it. Waiters whose way is clear again (about to retry)
 * hang nowhere.
 */
static void waiters_place(void)
{
	struct list_head *p;
	list_for_each(p, &lock_waiters) {
		struct lock_waiter *w = list_entry(p, struct lock_waiter, link);
		struct locked_file *lf = locked_file_of(w->sb, w->ino, false);
		const struct file_lock *blocker = lf ? first_conflict(lf, &w->req) : NULL;
		struct list_head *q = lock_waiters.next;
		while (blocker && q != p) {
			struct lock_waiter *earlier = list_entry(q, struct lock_waiter, link);
			q = q->next;
			if (earlier->blocked_on == blocker && locks_conflict(&w->req, &earlier->req)) {
				blocker = &earlier->req;
				q = lock_waiters.next;
			}
		}
		w->blocked_on = blocker;
	}
}

/* Linux's lock_get_status: "ID: KIND  ADVISORY  TYPE PID MAJ:MIN:INO START END", a
 * waiter's ID being its lock's, followed by " ->" indented one space per level. */
static void lock_show(struct proc_buf *b, const char *lead, const struct file_lock *l,
		      long long id, int depth, const struct super_block *sb, uint64_t ino)
{
	static const char *const kinds[] = { [LK_POSIX] = "POSIX ", [LK_OFD] = "OFDLCK",
					     [LK_FLOCK] = "FLOCK " };
	const char *type = l->type == F_WRLCK ? "WRITE" : l->type == F_RDLCK ? "READ" : "UNLCK";
	dev_t dev = sb ? sb->dev : 0;
	proc_printf(b, "%s%lld:%*s %s ADVISORY  %s %d %02x:%02x:%llu %lld ", lead, id,
		    depth ? depth + 2 : 0, depth ? "->" : "", kinds[l->kind], type,
		    l->kind == LK_OFD ? -1 : (int)l->pid, major(dev), minor(dev),
		    (unsigned long long)ino, (long long)l->start);
	if (l->end == OFFSET_MAX)
		proc_printf(b, "EOF\n");
	else
		proc_printf(b, "%lld\n", (long long)l->end);
}

static void waiters_show(struct proc_buf *b, const struct file_lock *blocker, long long id, int depth)
{
	struct list_head *p;
	list_for_each(p, &lock_waiters) {
		struct lock_waiter *w = list_entry(p, struct lock_waiter, link);
		if (w->blocked_on != blocker)
			continue;
		lock_show(b, "", &w->req, id, depth, w->sb, w->ino);
		waiters_show(b, &w->req, id, depth + 1);
	}
}

void locks_show_all(struct proc_buf *b)
{
	waiters_place();
	long long id = 0;
	struct list_head *p;
	list_for_each_prev(p, &all_locks) {
		struct file_lock *l = list_entry(p, struct file_lock, global);
		lock_show(b, "", l, ++id, 0, l->lf->sb, l->lf->ino);
		waiters_show(b, l, id, 1);
	}
}

/* Linux's show_fd_locks: flock locks, then record locks, set through f by its owner. */
void locks_show_fdinfo(struct proc_buf *b, const struct file *f, const struct files_struct *files)
{
	if (!f->inode || list_empty(&all_locks))
		return;
	struct locked_file *lf = locked_file_of(f->inode->sb, f->inode->ino, false);
	if (!lf)
		return;
	struct list_head *lists[] = { &lf->flocks, &lf->records };
	long long id = 0;
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++) {
		struct list_head *p;
		list_for_each(p, lists[i]) {
			struct file_lock *l = list_entry(p, struct file_lock, link);
			if (l->file == f && (l->owner == files || l->owner == f))
				lock_show(b, "lock:\t", l, ++id, 0, lf->sb, lf->ino);
		}
	}
}
