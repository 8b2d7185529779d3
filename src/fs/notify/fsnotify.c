/*
 * From VFS hooks to inotify queues. A watched file has a mark, found by (superblock,
 * inode number); an event reaches the marks of the file and, for events on an open or
 * named file, of the directory it was reached through (with its name), in Linux's order:
 * the directory's watches hear first. Deletion follows Linux's dentry life: a file whose
 * last link goes says IN_DELETE_SELF (then IN_IGNORED) at once if nothing else uses it,
 * else when its last user lets go.
 */
#include <stdlib.h>
#include "fs/notify/notify_int.h"

#define MARK_HASH_SIZE 256

unsigned fsnotify_marks;
static struct list_head mark_hash[MARK_HASH_SIZE];
static uint32_t last_cookie;

static struct list_head *mark_bucket(struct super_block *sb, uint64_t ino)
{
	if (!mark_hash[0].next)
		for (int i = 0; i < MARK_HASH_SIZE; i++)
			list_init(&mark_hash[i]);
	uint64_t h = ((uintptr_t)sb >> 4) ^ ino ^ (ino >> 17);
	return &mark_hash[h % MARK_HASH_SIZE];
}

struct fsnotify_mark *fsnotify_mark_find(struct super_block *sb, uint64_t ino)
{
	if (!fsnotify_marks)
		return NULL;
	struct list_head *head = mark_bucket(sb, ino), *p;
	list_for_each(p, head) {
		struct fsnotify_mark *m = list_entry(p, struct fsnotify_mark, hash_link);
		if (m->sb == sb && m->ino == ino)
			return m;
	}
	return NULL;
}

struct fsnotify_mark *fsnotify_mark_get(struct inode *inode)
{
	struct super_block *sb = inode->sb;
	uint64_t ino = inode->ino;
	struct fsnotify_mark *m = fsnotify_mark_find(sb, ino);
	if (m)
		return m;
	m = xcalloc(1, sizeof(*m));
	m->sb = sb;
	m->ino = ino;
	m->isdir = S_ISDIR(inode->mode);
	list_init(&m->watches);
	list_add_tail(&m->hash_link, mark_bucket(sb, ino));
	fsnotify_marks++;
	return m;
}

void fsnotify_mark_put_if_unused(struct fsnotify_mark *m)
{
	if (m->busy || !list_empty(&m->watches))
		return;
	list_del_init(&m->hash_link);
	fsnotify_marks--;
	free(m);
}

static struct fsnotify_mark *inode_mark(const struct inode *inode)
{
	return inode ? fsnotify_mark_find(inode->sb, inode->ino) : NULL;
}

static bool mark_has_flag(const struct fsnotify_mark *m, uint32_t flag)
{
	struct list_head *p;
	if (m)
		list_for_each(p, &m->watches)
			if (list_entry(p, struct inotify_watch, mark_link)->mask & flag)
				return true;
	return false;
}

/*
 * The event to every watch of m that asked for it. excluded: the file is unlinked, and
 * IN_EXCL_UNLINK watches want no more of it. A IN_ONESHOT watch ends after one event.
 */
static void deliver(struct fsnotify_mark *m, uint32_t mask, uint32_t cookie, const char *name,
		    bool excluded)
{
	struct list_head *p, *n;
	m->busy++;
	list_for_each_safe(p, n, &m->watches) {
		struct inotify_watch *w = list_entry(p, struct inotify_watch, mark_link);
		if (!(w->mask & mask & IN_ALL_EVENTS) || (excluded && (w->mask & IN_EXCL_UNLINK)))
			continue;
		/* inotify reports no IN_ISDIR with the self events */
		uint32_t out = (mask & (IN_DELETE_SELF | IN_MOVE_SELF)) ? mask & ~IN_ISDIR : mask;
		inotify_queue_event(w->group, w->wd, out, cookie, name);
		if (w->mask & IN_ONESHOT)
			inotify_watch_remove(w, true);
	}
	m->busy--;
	fsnotify_mark_put_if_unused(m);
}

/* d's directory, if it is on d's file system (a mount's root has none). */
static struct inode *parent_dir(const struct dentry *d, const struct inode *inode)
{
	if (!d || !d->parent || !d->parent->inode || d->parent->inode->sb != inode->sb)
		return NULL;
	return d->parent->inode;
}

/* Linux's d_unlinked(): the name the file was opened by is gone. */
static bool file_unlinked(struct inode *inode)
{
	struct kstat st;
	return inode->dead || vfs_getattr(inode, &st) < 0 || st.nlink == 0;
}

/* An event on the file d names: its directory hears with the name, then the file. */
static void dentry_event(struct dentry *d, struct inode *inode, uint32_t mask, bool by_path)
{
	if (S_ISDIR(inode->mode))
		mask |= IN_ISDIR;
	struct fsnotify_mark *pm = inode_mark(parent_dir(d, inode)), *m = inode_mark(inode);
	if (pm == m)
		pm = NULL;
	if (!pm && !m)
		return;
	/* IN_EXCL_UNLINK concerns events through open files (Linux's path events) */
	bool excluded = by_path && (mark_has_flag(pm, IN_EXCL_UNLINK) || mark_has_flag(m, IN_EXCL_UNLINK)) &&
			file_unlinked(inode);
	if (pm)
		deliver(pm, mask, 0, d->name, excluded);
	if (m)
		deliver(m, mask, 0, NULL, excluded);
}

void fsnotify_file_event(struct file *f, uint32_t mask)
{
	if (!f->path.dentry || !f->inode || (f->flags & O_PATH))
		return;
	if (!mask)
		mask = (f->flags & O_ACCMODE) != O_RDONLY ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE;
	dentry_event(f->path.dentry, f->inode, mask, true);
}

/* Linux's fsnotify_change(): both times is a utimes (IN_ATTRIB), one alone is taken for
 * the access or modification it records. */
void fsnotify_change_event(struct dentry *d, struct inode *inode, unsigned valid)
{
	uint32_t mask = 0;
	if (valid & (ATTR_UID | ATTR_GID | ATTR_MODE))
		mask |= IN_ATTRIB;
	if (valid & ATTR_SIZE)
		mask |= IN_MODIFY;
	bool atime = valid & (ATTR_ATIME | ATTR_ATIME_NOW), mtime = valid & (ATTR_MTIME | ATTR_MTIME_NOW);
	if (atime && mtime)
		mask |= IN_ATTRIB;
	else if (atime)
		mask |= IN_ACCESS;
	else if (mtime)
		mask |= IN_MODIFY;
	if (mask)
		dentry_event(d, inode, mask, false);
}

static void name_event(struct inode *dir, uint32_t mask, const char *name, uint32_t cookie)
{
	struct fsnotify_mark *m = inode_mark(dir);
	if (m)
		deliver(m, mask, cookie, name, false);
}

/* An event for the file itself only (Linux's fsnotify_inode). */
static void self_event(struct inode *inode, uint32_t mask)
{
	struct fsnotify_mark *m = inode_mark(inode);
	if (m)
		deliver(m, S_ISDIR(inode->mode) ? mask | IN_ISDIR : mask, 0, NULL, false);
}

void fsnotify_create_event(struct inode *dir, const char *name, bool isdir)
{
	name_event(dir, isdir ? IN_CREATE | IN_ISDIR : IN_CREATE, name, 0);
}

void fsnotify_link_event(struct inode *dir, const char *name, struct inode *inode)
{
	self_event(inode, IN_ATTRIB);   /* the link count */
	name_event(dir, IN_CREATE, name, 0);
}

/* The file is gone: IN_DELETE_SELF to all its watches, then each ends (IN_IGNORED). */
static void mark_deleted(struct fsnotify_mark *m)
{
	struct list_head *p, *n;
	m->busy++;
	deliver(m, IN_DELETE_SELF, 0, NULL, false);
	list_for_each_safe(p, n, &m->watches)
		inotify_watch_remove(list_entry(p, struct inotify_watch, mark_link), true);
	m->busy--;
	fsnotify_mark_put_if_unused(m);
}

/* After victim lost a name: if that was its last, it is deleted now, or when its last
 * other user (an open file, a cwd) lets go. The caller holds one reference. */
static void maybe_deleted(struct inode *victim, bool isdir)
{
	struct fsnotify_mark *m = inode_mark(victim);
	struct kstat st;
	if (!m || (!isdir && vfs_getattr(victim, &st) == 0 && st.nlink > 0))
		return;
	if (victim->refcount > 1)
		m->delete_pending = true;
	else
		mark_deleted(m);
}

void fsnotify_remove_event(struct inode *dir, const char *name, struct inode *victim, bool isdir)
{
	if (!isdir)
		self_event(victim, IN_ATTRIB);   /* the link count */
	maybe_deleted(victim, isdir);
	name_event(dir, isdir ? IN_DELETE | IN_ISDIR : IN_DELETE, name, 0);
}

void fsnotify_move_event(struct inode *olddir, const char *oldname, struct inode *newdir,
			 const char *newname, struct inode *moved, struct inode *replaced)
{
	uint32_t isdir = S_ISDIR(moved->mode) ? IN_ISDIR : 0;
	if (++last_cookie == 0)
		last_cookie = 1;
	uint32_t cookie = last_cookie;
	name_event(olddir, IN_MOVED_FROM | isdir, oldname, cookie);
	name_event(newdir, IN_MOVED_TO | isdir, newname, cookie);
	if (replaced)
		self_event(replaced, IN_ATTRIB);
	self_event(moved, IN_MOVE_SELF);
	if (replaced)
		maybe_deleted(replaced, S_ISDIR(replaced->mode));
}

void fsnotify_inode_released(struct inode *inode)
{
	struct fsnotify_mark *m = inode_mark(inode);
	if (m && m->delete_pending)
		mark_deleted(m);
}

/* The file's watches end with IN_UNMOUNT, whatever they asked for, then IN_IGNORED. */
static void mark_unmounted(struct fsnotify_mark *m)
{
	struct list_head *p, *n;
	m->busy++;
	list_for_each(p, &m->watches) {
		struct inotify_watch *w = list_entry(p, struct inotify_watch, mark_link);
		inotify_queue_event(w->group, w->wd, m->isdir ? IN_UNMOUNT | IN_ISDIR : IN_UNMOUNT, 0, NULL);
	}
	list_for_each_safe(p, n, &m->watches)
		inotify_watch_remove(list_entry(p, struct inotify_watch, mark_link), true);
	m->busy--;
	fsnotify_mark_put_if_unused(m);
}

static int by_ino_descending(const void *a, const void *b)
{
	uint64_t x = (*(struct fsnotify_mark *const *)a)->ino, y = (*(struct fsnotify_mark *const *)b)->ino;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* Linux's fsnotify_unmount_inodes() walks the superblock's inodes newest first; inode
 * numbers grow in the in-memory file systems, so the highest goes first here. */
void fsnotify_unmount_event(struct super_block *sb)
{
	struct fsnotify_mark **v = xcalloc(fsnotify_marks, sizeof(*v));
	size_t n = 0;
	for (int b = 0; b < MARK_HASH_SIZE; b++) {
		struct list_head *p;
		list_for_each(p, &mark_hash[b]) {
			struct fsnotify_mark *m = list_entry(p, struct fsnotify_mark, hash_link);
			if (m->sb == sb)
				v[n++] = m;
		}
	}
	qsort(v, n, sizeof(*v), by_ino_descending);
	for (size_t i = 0; i < n; i++)
		mark_unmounted(v[i]);
	free(v);
}
