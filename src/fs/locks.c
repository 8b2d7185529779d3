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
 */
#include <stdint.h>
#include <stdlib.h>
#include "fs/locks.h"

#define OFFSET_MAX INT64_MAX
#define MAX_DEADLK_ITERATIONS 10   /* Linux's bound on the wait-for chain */

enum lock_kind { LK_POSIX, LK_OFD, LK_FLOCK };

struct file_lock {
	struct list_head link;    /* on locked_file.records or .flocks */
	enum lock_kind kind;
	const void *owner;        /* files_struct (POSIX) or file (OFD, flock) */
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
};

static struct list_head locked_files = LIST_HEAD_INIT(locked_files);
static struct list_head lock_waiters = LIST_HEAD_INIT(lock_waiters);

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

static void lock_free(struct file_lock *l)
{
	list_del_init(&l->link);
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

static struct file_lock *first_record_conflict(struct locked_file *lf, const struct file_lock *req)
{
	struct list_head *p;
	list_for_each(p, &lf->records) {
		struct file_lock *l = list_entry(p, struct file_lock, link);
		if (records_conflict(req, l))
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

static struct file_lock *lock_copy(const struct file_lock *l, off_t start, off_t end)
{
	struct file_lock *c = xcalloc(1, sizeof(*c));
	*c = *l;
	list_init(&c->link);
	c->start = start;
	c->end = end;
	return c;
}

/* Takes [start, end] out of every lock of owner, splitting one that spans it. */
static void records_clear(struct locked_file *lf, const void *owner, off_t start, off_t end)
{
	struct list_head *p, *n;
	list_for_each_safe(p, n, &lf->records) {
		struct file_lock *l = list_entry(p, struct file_lock, link);
		if (l->owner != owner || l->start > end || l->end < start)
			continue;
		if (l->start < start && l->end > end) {
			struct file_lock *tail = lock_copy(l, end + 1, l->end);
			list_add_tail(&tail->link, n);
			l->end = start - 1;
		} else if (l->start < start) {
			l->end = start - 1;
		} else if (l->end > end) {
			l->start = end + 1;
		} else {
			lock_free(l);
		}
	}
}

/* Adds req (its range already cleared) and merges it with the owner's locks of the same
 * type that touch it, as Linux keeps them. */
static void records_add(struct locked_file *lf, const struct file_lock *req)
{
	struct file_lock *nl = lock_copy(req, req->start, req->end);
	struct list_head *p, *n;
	list_for_each_safe(p, n, &lf->records) {
		struct file_lock *l = list_entry(p, struct file_lock, link);
		if (l->owner != nl->owner || l->type != nl->type)
			continue;
		bool before = l->end != OFFSET_MAX && l->end + 1 == nl->start;
		bool after = nl->end != OFFSET_MAX && nl->end + 1 == l->start;
		if (!before && !after)
			continue;
		if (before)
			nl->start = l->start;
		else
			nl->end = l->end;
		lock_free(l);
	}
	list_add_tail(&nl->link, &lf->records);
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
		struct file_lock *c = lf ? first_record_conflict(lf, &w->req) : NULL;
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
		struct file_lock *c = first_record_conflict(lf, &req);
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
	records_clear(lf, req.owner, req.start, req.end);
	if (req.type != F_UNLCK)
		records_add(lf, &req);
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
		if (l->owner == f || (l->type != F_WRLCK && type != F_WRLCK))
			continue;
		if (!wait) {
			locked_file_tidy(lf);
			return -EAGAIN;
		}
		t->park_abort = lock_wait_abort;
		task_wait_on(t, &lf->wait);
		return SYSRET_BLOCK;
	}
	struct file_lock *nl = xcalloc(1, sizeof(*nl));
	nl->kind = LK_FLOCK;
	nl->owner = f;
	nl->pid = t->tg->tgid;
	nl->type = type;
	nl->start = 0;
	nl->end = OFFSET_MAX;
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
