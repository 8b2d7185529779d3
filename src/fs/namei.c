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

/* Steps to the parent, staying at the task's root and crossing mount boundaries. */
static void step_up(struct task *t, struct path *cur)
{
	for (;;) {
		if (path_same(cur, &t->fs->root))
			return;
		if (cur->dentry->parent) {
			path_set(cur, cur->mnt, cur->dentry->parent);
			return;
		}
		if (!cur->mnt->parent)
			return;
		path_set(cur, cur->mnt->parent, cur->mnt->mountpoint);
	}
}

static void cross_mounts(struct path *p)
{
	struct mount *m;
	while ((m = mount_lookup(p->mnt, p->dentry)) != NULL)
		path_set(p, m, m->root);
}

static int walk(struct task *t, struct path *cur, const char *name, unsigned flags,
		int *links, char *last);

static int follow_link(struct task *t, struct path *cur, struct inode *link, int *links,
		       unsigned flags)
{
	if (++*links > MAX_SYMLINKS)
		return -ELOOP;
	if (link->iops && link->iops->get_link_path) {
		struct path magic;
		int err = link->iops->get_link_path(link, t, &magic);
		if (err <= 0) {
			if (err == 0) {
				path_set(cur, magic.mnt, magic.dentry);
				path_put(&magic);
			}
			return err;
		}
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
	if (n == 0) {
		free(target);
		return -ENOENT;
	}
	if (target[0] == '/')
		path_set(cur, t->fs->root.mnt, t->fs->root.dentry);
	int err = walk(t, cur, target, flags | LOOKUP_FOLLOW, links, NULL);
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
static int walk(struct task *t, struct path *cur, const char *name, unsigned flags,
		int *links, char *last)
{
	char comp[NAME_MAX + 1];
	bool more, trailing;
	const char *s = name;
	if (last)
		strcpy(last, ".");
	for (;;) {
		const char *before = s;
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
		(void)before;
		struct inode *dir = cur->dentry->inode;
		if (!S_ISDIR(dir->mode))
			return -ENOTDIR;
		int err = inode_permission(t, dir, MAY_EXEC);
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
			step_up(t, cur);
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
		cross_mounts(&next);
		bool is_last = !more;
		if (S_ISLNK(next.dentry->inode->mode) &&
		    (!is_last || (flags & LOOKUP_FOLLOW) || trailing)) {
			struct inode *link = inode_get(next.dentry->inode);
			path_put(&next);
			err = follow_link(t, cur, link, links, is_last ? flags : (flags & ~LOOKUP_DIRECTORY));
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

static int walk_start(struct task *t, int dirfd, const char *name, unsigned flags, struct path *start)
{
	if (name[0] == '/') {
		*start = t->fs->root;
	} else if (dirfd == AT_FDCWD) {
		*start = t->fs->cwd;
	} else {
		struct file *f = fd_get(t, dirfd);
		if (!f)
			return -EBADF;
		if (!f->path.dentry)
			return name[0] || !(flags & LOOKUP_EMPTY) ? -ENOTDIR : -EBADF;
		if (name[0] && !S_ISDIR(f->path.dentry->inode->mode))
			return -ENOTDIR;
		*start = f->path;
	}
	path_get(start);
	return 0;
}

int path_walk(struct task *t, int dirfd, const char *name, unsigned flags, struct path *out)
{
	if (!name[0] && !(flags & LOOKUP_EMPTY))
		return -ENOENT;
	struct path cur;
	int err = walk_start(t, dirfd, name, flags, &cur);
	if (err < 0)
		return err;
	int links = 0;
	err = walk(t, &cur, name, flags, &links, NULL);
	if (err < 0) {
		path_put(&cur);
		return err;
	}
	*out = cur;
	return 0;
}

int path_walk_parent(struct task *t, int dirfd, const char *name, struct path *parent, char *last)
{
	if (!name[0])
		return -ENOENT;
	struct path cur;
	int err = walk_start(t, dirfd, name, 0, &cur);
	if (err < 0)
		return err;
	int links = 0;
	err = walk(t, &cur, name, 0, &links, last);
	if (err < 0) {
		path_put(&cur);
		return err;
	}
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
	if (err < 0 || !p->dentry->inode || !p->dentry->inode->dead)
		return err;
	if (strlen(buf) + sizeof(suffix) > len)
		return -ENAMETOOLONG;
	strcat(buf, suffix);
	return 0;
}

int inode_permission(struct task *t, struct inode *inode, int mask)
{
	struct kstat st;
	int err = vfs_getattr(inode, &st);
	if (err < 0)
		return err;
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
