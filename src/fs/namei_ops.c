/*
 * Operations on names: mkdir, mknod, symlink, link, unlink, rmdir and rename. Each makes
 * Linux's checks in Linux's order (fs/namei.c: filename_create, may_create, may_delete,
 * do_renameat2...), so a guest that hits several failures at once sees the errno Linux
 * would give. Filesystems only do the final step.
 */
#include <stdio.h>      /* RENAME_* */
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "fs/vfs.h"
#include "fs/fs_internal.h"
#include "fs/notify/fsnotify.h"

/* What the final component of a name is, as Linux classifies it. */
enum last_type { LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT };

struct nameparent {
	struct path dir;          /* the directory holding the final component */
	char last[NAME_MAX + 2];  /* the final component, without its trailing '/' */
	enum last_type type;
	bool slash;               /* the name ended in '/' ("dir/") */
};

static int nameparent_get(struct task *t, int dirfd, const char *name, struct nameparent *np)
{
	int err = path_walk_parent(t, dirfd, name, 0, &np->dir, np->last);
	if (err < 0)
		return err;
	size_t n = strlen(np->last);
	np->slash = n > 1 && np->last[n - 1] == '/';
	if (np->slash)
		np->last[n - 1] = 0;
	if (strcmp(np->last, "..") == 0)
		np->type = LAST_DOTDOT;
	else if (strcmp(np->last, ".") == 0)
		np->type = name[strspn(name, "/")] ? LAST_DOT : LAST_ROOT;  /* "/" names no component */
	else
		np->type = LAST_NORM;
	return 0;
}

static struct inode *np_dir(const struct nameparent *np)
{
	return np->dir.dentry->inode;
}

/* The final component's inode (a new reference), or -ENOENT. Mounts are not crossed:
 * like Linux, name operations act on the mount point itself. */
static int lookup_last(const struct nameparent *np, struct inode **out)
{
	struct inode *dir = np_dir(np);
	if (!dir->iops || !dir->iops->lookup)
		return -ENOENT;
	return dir->iops->lookup(dir, np->last, out);
}

static bool same_inode(const struct inode *a, const struct inode *b)
{
	return a == b || (a->sb == b->sb && a->ino == b->ino);
}

/* CAP_CHOWN, CAP_FOWNER, CAP_FSETID...: Linux drops them when fsuid leaves 0. */
bool fs_capable(const struct task *t)
{
	return t->cred.fsuid == 0;
}

/* mnt_want_write(): a read-only mount or superblock refuses every change. */
int vfs_mnt_writable(const struct mount *mnt, const struct inode *inode)
{
	if (mnt && (mnt->flags & MS_RDONLY))
		return -EROFS;
	if (inode->sb && (inode->sb->flags & MS_RDONLY))
		return -EROFS;
	return 0;
}

static bool is_mountpoint(struct mount *mnt, struct inode *inode)
{
	struct dentry d = { .inode = inode };
	return mount_lookup(mnt, &d) != NULL;
}

static int may_create(struct task *t, struct inode *dir)
{
	return inode_permission(t, dir, MAY_WRITE | MAY_EXEC);
}

/* In a sticky directory only the file's owner, the directory's owner or root may
 * remove or rename an entry. */
static int check_sticky(struct task *t, struct inode *dir, struct inode *victim)
{
	struct kstat ds, vs;
	int err = vfs_getattr(dir, &ds);
	if (err < 0 || !(ds.mode & S_ISVTX))
		return err;
	err = vfs_getattr(victim, &vs);
	if (err < 0)
		return err;
	if (vs.uid == t->cred.fsuid || ds.uid == t->cred.fsuid || fs_capable(t))
		return 0;
	return -EPERM;
}

static int may_delete(struct task *t, struct inode *dir, struct inode *victim, bool isdir)
{
	int err = inode_permission(t, dir, MAY_WRITE | MAY_EXEC);
	if (err < 0)
		return err;
	err = check_sticky(t, dir, victim);
	if (err < 0)
		return err;
	if (isdir && !S_ISDIR(victim->mode))
		return -ENOTDIR;
	if (!isdir && S_ISDIR(victim->mode))
		return -EISDIR;
	return 0;
}

/*
 * filename_create(): the parent of a name about to be created. An existing entry is
 * EEXIST even on a read-only mount; "name/" for something other than a directory is
 * ENOENT; only then does a read-only mount count. On success np holds the parent.
 */
static int create_prepare(struct task *t, int dirfd, const char *name, bool want_dir,
			  struct nameparent *np)
{
	int err = nameparent_get(t, dirfd, name, np);
	if (err < 0)
		return err;
	struct inode *existing = NULL;
	if (np->type != LAST_NORM)
		err = -EEXIST;
	else if ((err = lookup_last(np, &existing)) == 0)
		err = -EEXIST;
	else if (err == -ENOENT)
		err = np->slash && !want_dir ? -ENOENT : vfs_mnt_writable(np->dir.mnt, np_dir(np));
	inode_put(existing);
	if (err == 0)
		err = may_create(t, np_dir(np));
	if (err < 0)
		path_put(&np->dir);
	return err;
}

int vfs_mkdir(struct task *t, int dirfd, const char *name, mode_t mode)
{
	struct nameparent np;
	int err = create_prepare(t, dirfd, name, true, &np);
	if (err < 0)
		return err;
	struct inode *dir = np_dir(&np);
	mode = mode & ~t->fs->umask & (0777 | S_ISVTX);
	err = dir->iops && dir->iops->mkdir ? dir->iops->mkdir(dir, np.last, mode, &t->cred) : -EPERM;
	if (err == 0)
		fsnotify_create(dir, np.last, true);
	path_put(&np.dir);
	return err;
}

/* may_mknod(): checked before the name is even looked at. */
static int mknod_type_ok(mode_t mode)
{
	switch (mode & S_IFMT) {
	case 0: case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		return 0;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
}

int vfs_mknod(struct task *t, int dirfd, const char *name, mode_t mode, dev_t dev)
{
	int err = mknod_type_ok(mode);
	if (err < 0)
		return err;
	struct nameparent np;
	err = create_prepare(t, dirfd, name, false, &np);
	if (err < 0)
		return err;
	mode_t type = (mode & S_IFMT) ? (mode & S_IFMT) : S_IFREG;
	bool device = S_ISCHR(type) || S_ISBLK(type);
	struct inode *dir = np_dir(&np), *inode = NULL;
	if (device && !cred_is_root(&t->cred))
		err = -EPERM;   /* CAP_MKNOD */
	else if (!dir->iops || !dir->iops->create)
		err = -EPERM;
	else
		err = dir->iops->create(dir, np.last, type | (mode & 07777 & ~t->fs->umask),
					device ? dev : 0, &t->cred, &inode);
	if (err == 0)
		fsnotify_create(dir, np.last, false);
	inode_put(inode);
	path_put(&np.dir);
	return err;
}

int vfs_symlink(struct task *t, const char *target, int dirfd, const char *name)
{
	if (!target[0])
		return -ENOENT;
	struct nameparent np;
	int err = create_prepare(t, dirfd, name, false, &np);
	if (err < 0)
		return err;
	struct inode *dir = np_dir(&np);
	err = dir->iops && dir->iops->symlink ? dir->iops->symlink(dir, np.last, target, &t->cred) : -EPERM;
	if (err == 0)
		fsnotify_create(dir, np.last, false);
	path_put(&np.dir);
	return err;
}

/*
 * fs.protected_hardlinks (on in every distribution): someone who doesn't own a file may
 * link it only if it is a regular file without set-id-on-exec bits that they could
 * read and write anyway.
 */
static int may_linkat(struct task *t, struct inode *inode)
{
	struct kstat st;
	int err = vfs_getattr(inode, &st);
	if (err < 0)
		return err;
	if (st.uid == t->cred.fsuid || fs_capable(t))
		return 0;
	if (!S_ISREG(st.mode) || (st.mode & S_ISUID) ||
	    (st.mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		return -EPERM;
	return inode_permission(t, inode, MAY_READ | MAY_WRITE) < 0 ? -EPERM : 0;
}

static int link_checked(struct task *t, const struct path *old, struct nameparent *np)
{
	struct inode *inode = old->dentry->inode, *dir = np_dir(np);
	if (old->mnt != np->dir.mnt || inode->sb != dir->sb)
		return -EXDEV;
	int err = may_linkat(t, inode);
	if (err < 0)
		return err;
	if (!dir->iops || !dir->iops->link || S_ISDIR(inode->mode))
		return -EPERM;
	/* A file with no link left gets no new name, unless it is an O_TMPFILE file opened
	 * without O_EXCL, and that only once (Linux's I_LINKABLE). */
	struct kstat st;
	if ((err = vfs_getattr(inode, &st)) < 0)
		return err;
	if (st.nlink == 0 && !inode->linkable)
		return -ENOENT;
	err = dir->iops->link(inode, dir, np->last);
	if (err == 0) {
		inode->linkable = false;
		fsnotify_link(dir, np->last, inode);
	}
	return err;
}

int vfs_link(struct task *t, const struct path *old, int newdirfd, const char *newname)
{
	struct nameparent np;
	int err = create_prepare(t, newdirfd, newname, false, &np);
	if (err < 0)
		return err;
	err = link_checked(t, old, &np);
	path_put(&np.dir);
	return err;
}

static int unlink_checked(struct task *t, const struct nameparent *np, struct inode **victim)
{
	struct inode *dir = np_dir(np);
	if (np->type != LAST_NORM)
		return -EISDIR;
	int err = vfs_mnt_writable(np->dir.mnt, dir);
	if (err < 0 || (err = lookup_last(np, victim)) < 0)
		return err;
	if (np->slash)  /* "file/": the name promised a directory */
		return S_ISDIR((*victim)->mode) ? -EISDIR : -ENOTDIR;
	if ((err = may_delete(t, dir, *victim, false)) < 0)
		return err;
	if (is_mountpoint(np->dir.mnt, *victim))
		return -EBUSY;
	err = dir->iops->unlink ? dir->iops->unlink(dir, np->last) : -EPERM;
	if (err == 0)
		fsnotify_remove(dir, np->last, *victim, false);
	return err;
}

static int rmdir_checked(struct task *t, const struct nameparent *np, struct inode **victim)
{
	struct inode *dir = np_dir(np);
	switch (np->type) {
	case LAST_DOTDOT: return -ENOTEMPTY;
	case LAST_DOT: return -EINVAL;
	case LAST_ROOT: return -EBUSY;   /* the task's root ("/") */
	case LAST_NORM: break;
	}
	int err = vfs_mnt_writable(np->dir.mnt, dir);
	if (err < 0 || (err = lookup_last(np, victim)) < 0)
		return err;
	if ((err = may_delete(t, dir, *victim, true)) < 0)
		return err;
	if (is_mountpoint(np->dir.mnt, *victim))
		return -EBUSY;
	err = dir->iops->rmdir ? dir->iops->rmdir(dir, np->last) : -EPERM;
	if (err == 0)
		fsnotify_remove(dir, np->last, *victim, true);
	return err;
}

/* Runs a removal's checks and the removal itself on the parent of name. */
static int remove_name(struct task *t, int dirfd, const char *name,
		       int (*checked)(struct task *, const struct nameparent *, struct inode **))
{
	struct nameparent np;
	struct inode *victim = NULL;
	int err = nameparent_get(t, dirfd, name, &np);
	if (err < 0)
		return err;
	err = checked(t, &np, &victim);
	inode_put(victim);
	path_put(&np.dir);
	return err;
}

int vfs_unlink(struct task *t, int dirfd, const char *name)
{
	return remove_name(t, dirfd, name, unlink_checked);
}

int vfs_rmdir(struct task *t, int dirfd, const char *name)
{
	return remove_name(t, dirfd, name, rmdir_checked);
}

/* ---- rename ---------------------------------------------------------------------- */

struct rename_req {
	struct nameparent from, to;
	struct inode *old, *new;   /* the source, and the target if it exists */
	unsigned flags;
};

/* Whether inode is d or one of d's ancestors (within d's mount). */
static bool on_ancestry(const struct dentry *d, const struct inode *inode)
{
	for (; d; d = d->parent)
		if (d->inode && same_inode(d->inode, inode))
			return true;
	return false;
}

/* lock_rename()'s trap: a directory may not move beneath itself, nor may the target be
 * an ancestor of the source. */
static int rename_trap(const struct rename_req *r)
{
	if (same_inode(np_dir(&r->from), np_dir(&r->to)))
		return 0;
	if (on_ancestry(r->to.dir.dentry, r->old))
		return -EINVAL;
	if (r->new && on_ancestry(r->from.dir.dentry, r->new))
		return (r->flags & RENAME_EXCHANGE) ? -EINVAL : -ENOTEMPTY;
	return 0;
}

/* do_renameat2()'s checks between the two lookups and vfs_rename(). */
static int rename_lookup(struct rename_req *r)
{
	int err = lookup_last(&r->from, &r->old);
	if (err < 0)
		return err;
	err = lookup_last(&r->to, &r->new);
	if (err < 0 && err != -ENOENT)
		return err;
	if ((r->flags & RENAME_NOREPLACE) && r->new)
		return -EEXIST;
	if (r->flags & RENAME_EXCHANGE) {
		if (!r->new)
			return -ENOENT;
		if (!S_ISDIR(r->new->mode) && r->to.slash)
			return -ENOTDIR;
	}
	/* trailing slashes promise directories */
	if (!S_ISDIR(r->old->mode) &&
	    (r->from.slash || (!(r->flags & RENAME_EXCHANGE) && r->to.slash)))
		return -ENOTDIR;
	return rename_trap(r);
}

/* vfs_rename()'s permission checks. */
static int rename_permission(struct task *t, struct rename_req *r)
{
	struct inode *odir = np_dir(&r->from), *ndir = np_dir(&r->to);
	bool is_dir = S_ISDIR(r->old->mode), new_is_dir = r->new && S_ISDIR(r->new->mode);
	int err = may_delete(t, odir, r->old, is_dir);
	if (err < 0)
		return err;
	if (!r->new)
		err = may_create(t, ndir);
	else
		err = may_delete(t, ndir, r->new, (r->flags & RENAME_EXCHANGE) ? new_is_dir : is_dir);
	if (err < 0)
		return err;
	if (!odir->iops->rename)
		return -EPERM;
	/* a directory changing parent has its ".." rewritten */
	if (!same_inode(odir, ndir)) {
		if (is_dir && (err = inode_permission(t, r->old, MAY_WRITE)) < 0)
			return err;
		if ((r->flags & RENAME_EXCHANGE) && new_is_dir)
			return inode_permission(t, r->new, MAY_WRITE);
	}
	return 0;
}

/* Linux's fsnotify_move() after vfs_rename: an exchange is two moves, each with its own
 * cookie; a replaced file loses its name. */
static void rename_notify(const struct rename_req *r)
{
	bool exchange = r->flags & RENAME_EXCHANGE;
	fsnotify_move(np_dir(&r->from), r->from.last, np_dir(&r->to), r->to.last, r->old,
		      exchange ? NULL : r->new);
	if (exchange)
		fsnotify_move(np_dir(&r->to), r->to.last, np_dir(&r->from), r->from.last, r->new, NULL);
}

static int rename_checked(struct task *t, struct rename_req *r)
{
	if (r->from.dir.mnt != r->to.dir.mnt)
		return -EXDEV;
	if (r->from.type != LAST_NORM)
		return -EBUSY;
	if (r->to.type != LAST_NORM)
		return (r->flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	int err = vfs_mnt_writable(r->from.dir.mnt, np_dir(&r->from));
	if (err < 0 || (err = rename_lookup(r)) < 0)
		return err;
	if (r->new && same_inode(r->old, r->new))
		return 0;   /* two names of one file: nothing to do */
	if ((err = rename_permission(t, r)) < 0)
		return err;
	if (is_mountpoint(r->from.dir.mnt, r->old) || (r->new && is_mountpoint(r->to.dir.mnt, r->new)))
		return -EBUSY;
	err = np_dir(&r->from)->iops->rename(np_dir(&r->from), r->from.last, np_dir(&r->to),
					     r->to.last, r->flags);
	if (err == 0)
		rename_notify(r);
	return err;
}

/* flags: RENAME_* already checked by the caller (renameat2 checks them first). */
int vfs_rename(struct task *t, int olddirfd, const char *oldname, int newdirfd,
	       const char *newname, unsigned flags)
{
	struct rename_req r = { .flags = flags };
	int err = nameparent_get(t, olddirfd, oldname, &r.from);
	if (err < 0)
		return err;
	err = nameparent_get(t, newdirfd, newname, &r.to);
	if (err < 0) {
		path_put(&r.from.dir);
		return err;
	}
	err = rename_checked(t, &r);
	inode_put(r.old);
	inode_put(r.new);
	path_put(&r.from.dir);
	path_put(&r.to.dir);
	return err;
}
