/*
 * Path walk: one component at a time through each filesystem's lookup, with mounts,
 * "..", chroot roots and symlinks resolved here (never by the host), as Linux does.
 * There is no dentry cache: identity is (superblock, inode number).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fs/vfs.h"
#include "fs/fs_internal.h"

#define MAX_SYMLINKS 40

bool path_same(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->dentry->inode && b->dentry->inode &&
	       a->dentry->inode->sb == b->dentry->inode->sb &&
	       a->dentry->inode->ino == b->dentry->inode->ino;
}

static void path_set(struct path *dst, struct mount *mnt, struct dentry *d)
{
	struct path old = *dst;
	dst->mnt = mnt;
	dst->dentry = d;
	path_get(dst);
	path_put(&old);
}

/*
 * One walk: the task, its LOOKUP_* flags, the root that "/" and ".." stop at (the
 * task's, or dirfd under RESOLVE_BENEATH and RESOLVE_IN_ROOT, Linux's nd->root), and
 * the count of symlinks followed.
 */
struct nameidata {
	struct task *t;
	unsigned flags;
	struct path root;
	int links;
};

/* Steps to the parent, staying at the walk's root and crossing mount boundaries. */
static int step_up(struct nameidata *nd, struct path *cur)
{
	for (;;) {
		if (path_same(cur, &nd->root))
			return (nd->flags & LOOKUP_BENEATH) ? -EXDEV : 0;
		if (cur->dentry->parent) {
			path_set(cur, cur->mnt, cur->dentry->parent);
			return 0;
		}
		if (!cur->mnt->parent)
			return 0;
		if (nd->flags & LOOKUP_NO_XDEV)
			return -EXDEV;
		path_set(cur, cur->mnt->parent, cur->mnt->mountpoint);
	}
}

static int cross_mounts(struct nameidata *nd, struct path *p)
{
	struct mount *m;
	while ((m = mount_lookup(p->mnt, p->dentry)) != NULL) {
		if (nd->flags & LOOKUP_NO_XDEV)
			return -EXDEV;
		path_set(p, m, m->root);
	}
	return 0;
}

/* An absolute symlink starts again at the root (Linux's nd_jump_root). */
static int jump_root(struct nameidata *nd, struct path *cur)
{
	if (nd->flags & LOOKUP_BENEATH)
		return -EXDEV;
	if ((nd->flags & LOOKUP_NO_XDEV) && cur->mnt != nd->root.mnt)
		return -EXDEV;
	path_set(cur, nd->root.mnt, nd->root.dentry);
	return 0;
}

/* May the walk go through a magic link, from cur to target (NULL: to its text)?
 * Scoped walks never do, as Linux's nd_jump_link: it cannot tell where they lead. */
static int magic_link_allowed(const struct nameidata *nd, const struct path *cur,
			      const struct path *target)
{
	if (nd->flags & LOOKUP_NO_MAGICLINKS)
		return -ELOOP;
	if ((nd->flags & LOOKUP_NO_XDEV) && target && cur->mnt != target->mnt)
		return -EXDEV;
	if (nd->flags & (LOOKUP_BENEATH | LOOKUP_IN_ROOT))
		return -EXDEV;
	return 0;
}

static int walk(struct nameidata *nd, struct path *cur, const char *name, unsigned flags,
		char *last);

/* Follows a magic link (a /proc fd, cwd or root link) to its path; 1 when its text is
 * to be followed instead. */
static int follow_magic(struct nameidata *nd, struct path *cur, struct inode *link)
{
	struct path magic = { 0 };
	int err = link->iops->get_link_path(link, nd->t, &magic);
	if (err < 0 || err == LINK_TEXT)
		return err;
	if (err == LINK_MAGIC_TEXT) {
		err = magic_link_allowed(nd, cur, NULL);
		return err < 0 ? err : 1;
	}
	err = magic_link_allowed(nd, cur, &magic);
	if (err == 0)
		path_set(cur, magic.mnt, magic.dentry);
	path_put(&magic);
	return err;
}

static int follow_link(struct nameidata *nd, struct path *cur, struct inode *link, unsigned flags)
{
	if (++nd->links > MAX_SYMLINKS)
		return -ELOOP;
	if (nd->flags & LOOKUP_NO_SYMLINKS)
		return -ELOOP;
	if (link->iops && link->iops->get_link_path) {
		int err = follow_magic(nd, cur, link);
		if (err <= 0)
			return err;
	}
	char *target = malloc(PATH_MAX);
	if (!target)
		return -ENOMEM;
	long n = link->iops && link->iops->readlink ? link->iops->readlink(link, target, PATH_MAX - 1) : -EINVAL;
	if (n < 0) {
		free(target);
		return (int)n;
	}
	target[n] = 0;
	int err = n == 0 ? -ENOENT : 0;
	if (!err && target[0] == '/')
		err = jump_root(nd, cur);
	if (!err)
		err = walk(nd, cur, target, flags | LOOKUP_FOLLOW, NULL);
	free(target);
	return err;
}

/* Next component of *s into comp; false at the end. Sets *more when components follow. */
static bool next_component(const char **s, char *comp, bool *more, bool *trailing_slash)
{
	const char *p = *s;
	while (*p == '/')
		p++;
	if (!*p)
		return false;
	const char *e = p;
	while (*e && *e != '/')
		e++;
	size_t len = (size_t)(e - p);
	memcpy(comp, p, len);
	comp[len] = 0;
	const char *q = e;
	while (*q == '/')
		q++;
	*more = *q != 0;
	*trailing_slash = !*more && *e == '/';
	*s = e;
	return true;
}

/*
 * Walks name from *cur (owned, updated in place). With last != NULL, stops before the
 * final component and copies it into last ("." when the name has no components).
 */
static int walk(struct nameidata *nd, struct path *cur, const char *name, unsigned flags,
		char *last)
{
	char comp[NAME_MAX + 1];
	bool more, trailing;
	const char *s = name;
	if (last)
		strcpy(last, ".");
	for (;;) {
		{
			/* components longer than NAME_MAX */
			const char *p = s;
			while (*p == '/')
				p++;
			size_t len = strcspn(p, "/");
			if (len > NAME_MAX)
				return -ENAMETOOLONG;
		}
		if (!next_component(&s, comp, &more, &trailing))
			break;
		struct inode *dir = cur->dentry->inode;
		if (!S_ISDIR(dir->mode))
			return -ENOTDIR;
		int err = inode_permission(nd->t, dir, MAY_EXEC);
		if (err < 0)
			return err;
		if (last && !more) {
			strcpy(last, comp);
			if (trailing)
				strcat(last, "/");  /* callers that care strip and check it */
			return 0;
		}
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			err = step_up(nd, cur);
			if (err < 0)
				return err;
			continue;
		}
		struct inode *child = NULL;
		if (!dir->iops || !dir->iops->lookup)
			return -ENOTDIR;
		err = dir->iops->lookup(dir, comp, &child);
		if (err < 0)
			return err;
		struct dentry *d = dentry_new(comp, cur->dentry, child);
		struct path next = { cur->mnt, d };
		next.mnt->refcount++;
		err = cross_mounts(nd, &next);
		if (err < 0) {
			path_put(&next);
			return err;
		}
		bool is_last = !more;
		if (S_ISLNK(next.dentry->inode->mode) &&
		    (!is_last || (flags & LOOKUP_FOLLOW) || trailing)) {
			struct inode *link = inode_get(next.dentry->inode);
			path_put(&next);
			err = follow_link(nd, cur, link, is_last ? flags : (flags & ~LOOKUP_DIRECTORY));
			inode_put(link);
			if (err < 0)
				return err;
			if (trailing && !S_ISDIR(cur->dentry->inode->mode))
				return -ENOTDIR;
			continue;
		}
		path_put(cur);
		*cur = next;
		if (trailing && !S_ISDIR(cur->dentry->inode->mode))
			return -ENOTDIR;
	}
	if ((flags & LOOKUP_DIRECTORY) && !S_ISDIR(cur->dentry->inode->mode))
		return -ENOTDIR;
	return 0;
}

/*
 * Where a walk starts, and its root: an absolute name starts at the task's root, other
 * names at dirfd or the cwd; under RESOLVE_IN_ROOT every name starts at dirfd, and a
 * scoped walk (BENEATH, IN_ROOT) takes its start as its root (Linux's path_init).
 */
static int walk_start(struct nameidata *nd, int dirfd, const char *name, struct path *start)
{
	struct task *t = nd->t;
	if (name[0] == '/' && !(nd->flags & LOOKUP_IN_ROOT)) {
		if (nd->flags & LOOKUP_BENEATH)
			return -EXDEV;
		*start = t->fs->root;
	} else if (dirfd == AT_FDCWD) {
		*start = t->fs->cwd;
	} else {
		struct file *f = fd_get(t, dirfd);
		if (!f)
			return -EBADF;
		if (!f->path.dentry)
			return name[0] || !(nd->flags & LOOKUP_EMPTY) ? -ENOTDIR : -EBADF;
		if (name[0] && !S_ISDIR(f->path.dentry->inode->mode))
			return -ENOTDIR;
		*start = f->path;
	}
	path_get(start);
	nd->root = (nd->flags & (LOOKUP_BENEATH | LOOKUP_IN_ROOT)) ? *start : t->fs->root;
	path_get(&nd->root);
	return 0;
}

/* The walk of path_walk (last NULL) and path_walk_parent. */
static int walk_from(struct task *t, int dirfd, const char *name, unsigned flags,
		     struct path *out, char *last)
{
	struct nameidata nd = { .t = t, .flags = flags };
	struct path cur;
	int err = walk_start(&nd, dirfd, name, &cur);
	if (err < 0)
		return err;
	err = walk(&nd, &cur, name, flags, last);
	path_put(&nd.root);
	if (err < 0) {
		path_put(&cur);
		return err;
	}
	*out = cur;
	return 0;
}

int path_walk(struct task *t, int dirfd, const char *name, unsigned flags, struct path *out)
{
	if (!name[0] && !(flags & LOOKUP_EMPTY))
		return -ENOENT;
	return walk_from(t, dirfd, name, flags, out, NULL);
}

int path_walk_parent(struct task *t, int dirfd, const char *name, unsigned flags,
		     struct path *parent, char *last)
{
	if (!name[0])
		return -ENOENT;
	struct path cur;
	int err = walk_from(t, dirfd, name, flags & ~(LOOKUP_FOLLOW | LOOKUP_DIRECTORY | LOOKUP_EMPTY),
			    &cur, last);
	if (err < 0)
		return err;
	if (!S_ISDIR(cur.dentry->inode->mode)) {
		path_put(&cur);
		return -ENOTDIR;
	}
	*parent = cur;
	return 0;
}

int path_to_string(struct task *t, const struct path *p, char *buf, size_t len)
{
	char *tmp = malloc(PATH_MAX);
	if (!tmp)
		return -ENOMEM;
	size_t pos = PATH_MAX - 1;
	tmp[pos] = 0;
	struct path cur = *p;
	path_get(&cur);
	int err = 0;
	for (;;) {
		if (path_same(&cur, &t->fs->root))
			break;
		if (!cur.dentry->parent) {
			if (!cur.mnt->parent)
				break;
			path_set(&cur, cur.mnt->parent, cur.mnt->mountpoint);
			continue;
		}
		size_t n = strlen(cur.dentry->name);
		if (n + 1 > pos) {
			err = -ENAMETOOLONG;
			break;
		}
		pos -= n;
		memcpy(tmp + pos, cur.dentry->name, n);
		tmp[--pos] = '/';
		path_set(&cur, cur.mnt, cur.dentry->parent);
	}
	path_put(&cur);
	if (!err) {
		const char *s = tmp[pos] ? tmp + pos : "/";
		if (strlen(s) + 1 > len)
			err = -ERANGE;
		else
			strcpy(buf, s);
	}
	free(tmp);
	return err;
}

int path_to_string_deleted(struct task *t, const struct path *p, char *buf, size_t len)
{
	static const char suffix[] = " (deleted)";
	int err = path_to_string(t, p, buf, len);
	if (err < 0 || !p->dentry->inode || (!p->dentry->inode->dead && !p->dentry->tmpfile))
		return err;
	if (strlen(buf) + sizeof(suffix) > len)
		return -ENAMETOOLONG;
	strcat(buf, suffix);
	return 0;
}

int inode_permission(struct task *t, struct inode *inode, int mask)
{
	struct kstat st;
	if (inode->sb && inode->sb->attrs_in_inode) {
		st.mode = inode->mode;
		st.uid = inode->uid;
		st.gid = inode->gid;
	} else {
		int err = vfs_getattr(inode, &st);
		if (err < 0)
			return err;
	}
	if ((mask & MAY_WRITE) && inode->sb && (inode->sb->flags & MS_RDONLY) &&
	    (S_ISREG(st.mode) || S_ISDIR(st.mode) || S_ISLNK(st.mode)))
		return -EROFS;
	const struct cred *c = &t->cred;
	if (c->fsuid == 0) {
		/* root may do anything but execute a file no one may execute */
		if ((mask & MAY_EXEC) && !S_ISDIR(st.mode) && !(st.mode & 0111))
			return -EACCES;
		return 0;
	}
	mode_t bits;
	if (st.uid == c->fsuid)
		bits = (st.mode >> 6) & 7;
	else if (cred_in_group(c, st.gid))
		bits = (st.mode >> 3) & 7;
	else
		bits = st.mode & 7;
	return ((unsigned)mask & ~bits) ? -EACCES : 0;
}

int path_permission(struct task *t, const struct path *p, int mask)
{
	if ((mask & MAY_WRITE) && (p->mnt->flags & MS_RDONLY))
		return -EROFS;
	return inode_permission(t, p->dentry->inode, mask);
}
