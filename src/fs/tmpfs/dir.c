/*
 * tmpfs directories: the names, and every operation on names (the VFS has made Linux's
 * permission and sanity checks before calling; what is left is the change itself and
 * its bookkeeping: link counts, sizes, times, the instance's inode charge).
 */
#include <dirent.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs/tmpfs/tmpfs_int.h"

static struct tmpfs_dirent *entry_find(struct inode *dir, const char *name)
{
	struct list_head *p;
	list_for_each(p, &TI(dir)->entries) {
		struct tmpfs_dirent *e = list_entry(p, struct tmpfs_dirent, link);
		if (strcmp(e->name, name) == 0)
			return e;
	}
	return NULL;
}

static void dir_changed(struct inode *dir)
{
	dir->mtime = dir->ctime = tmpfs_now();
}

/* Links inode (the caller's reference) under name; a directory gets its new ".." */
static void entry_add(struct inode *dir, const char *name, struct inode *inode)
{
	struct tmpfs_inode *td = TI(dir);
	struct tmpfs_dirent *e = xcalloc(1, sizeof(*e));
	e->name = xstrdup(name);
	e->off = td->next_off++;
	e->inode = inode;
	list_add_tail(&e->link, &td->entries);
	dir->size += tmpfs_dirent_size(dir->sb);
	if (S_ISDIR(inode->mode)) {
		TI(inode)->parent = dir;
		dir->nlink++;
	}
	dir_changed(dir);
}

/* Unlinks e without touching the inode's link count. Returns the inode reference the
 * name held. */
static struct inode *entry_take(struct inode *dir, struct tmpfs_dirent *e)
{
	struct inode *inode = e->inode;
	list_del_init(&e->link);
	free(e->name);
	free(e);
	dir->size -= tmpfs_dirent_size(dir->sb);
	if (S_ISDIR(inode->mode))
		dir->nlink--;
	dir_changed(dir);
	return inode;
}

/* The name goes; the inode lives on while files hold it. Its inode charge stays with
 * it until then, unless other names remain (each name is charged, as in Linux). */
static void entry_remove(struct inode *dir, struct tmpfs_dirent *e)
{
	struct inode *inode = entry_take(dir, e);
	if (S_ISDIR(inode->mode)) {
		inode->nlink = 0;
		TI(inode)->parent = NULL;
	} else if (inode->nlink > 0) {
		inode->nlink--;
	}
	if (inode->nlink > 0)
		tmpfs_uncharge_inode(inode->sb);
	else
		inode->dead = true;
	inode->ctime = tmpfs_now();
	inode_put(inode);
}

/* A removed directory takes no new names (Linux's IS_DEADDIR). */
static int dir_usable(struct inode *dir, const char *name)
{
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (dir->dead)
		return -ENOENT;
	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	return entry_find(dir, name) ? -EEXIST : 0;
}

int tmpfs_lookup(struct inode *dir, const char *name, struct inode **out)
{
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (strcmp(name, ".") == 0 || (strcmp(name, "..") == 0 && !TI(dir)->parent)) {
		*out = inode_get(dir);
		return 0;
	}
	if (strcmp(name, "..") == 0) {
		*out = inode_get(TI(dir)->parent);
		return 0;
	}
	struct tmpfs_dirent *e = entry_find(dir, name);
	if (!e)
		return strlen(name) > NAME_MAX ? -ENAMETOOLONG : -ENOENT;
	*out = inode_get(e->inode);
	return 0;
}

static int new_entry(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
		     const struct cred *cred, struct inode **out)
{
	int err = dir_usable(dir, name);
	if (err < 0)
		return err;
	struct inode *inode;
	err = tmpfs_inode_new(dir->sb, dir, mode, rdev, cred, &inode);
	if (err < 0)
		return err;
	entry_add(dir, name, inode);
	if (out)
		*out = inode_get(inode);
	return 0;
}

int tmpfs_create(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
		 const struct cred *cred, struct inode **out)
{
	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	default:
		return -EINVAL;
	}
	return new_entry(dir, name, mode, rdev, cred, out);
}

int tmpfs_mkdir(struct inode *dir, const char *name, mode_t mode, const struct cred *cred)
{
	return new_entry(dir, name, S_IFDIR | (mode & 07777), 0, cred, NULL);
}

int tmpfs_symlink(struct inode *dir, const char *name, const char *target, const struct cred *cred)
{
	size_t len = strlen(target);
	if (len + 1 > PAGE_SIZE)
		return -ENAMETOOLONG;
	int err = dir_usable(dir, name);
	if (err < 0)
		return err;
	/* a long target takes a page of its own, as in Linux */
	if (len >= TMPFS_SHORT_SYMLINK && (err = tmpfs_charge_pages(dir->sb, 1)) < 0)
		return err;
	struct inode *inode;
	err = tmpfs_inode_new(dir->sb, dir, S_IFLNK | 0777, 0, cred, &inode);
	if (err < 0) {
		if (len >= TMPFS_SHORT_SYMLINK)
			tmpfs_uncharge_pages(dir->sb, 1);
		return err;
	}
	TI(inode)->target = xstrdup(target);
	TI(inode)->pages = len >= TMPFS_SHORT_SYMLINK;
	inode->size = (off_t)len;
	entry_add(dir, name, inode);
	return 0;
}

int tmpfs_link(struct inode *old, struct inode *dir, const char *name)
{
	if (S_ISDIR(old->mode))
		return -EPERM;
	int err = dir_usable(dir, name);
	if (err < 0)
		return err;
	/* an O_TMPFILE file's first name uses the inode charged at its making, as shmem */
	if (old->nlink > 0 && (err = tmpfs_charge_inode(dir->sb)) < 0)
		return err;
	old->nlink++;
	old->dead = false;
	old->ctime = tmpfs_now();
	entry_add(dir, name, inode_get(old));
	return 0;
}

/* O_TMPFILE: an inode charged like any, with no name; tmpfs_destroy frees it. */
int tmpfs_tmpfile(struct inode *dir, mode_t mode, const struct cred *cred, struct inode **out)
{
	struct inode *inode;
	int err = tmpfs_inode_new(dir->sb, dir, S_IFREG | (mode & 07777), 0, cred, &inode);
	if (err < 0)
		return err;
	inode->nlink = 0;
	inode->dead = true;
	inode->atime = inode->mtime = inode->ctime = tmpfs_now();
	*out = inode;
	return 0;
}

int tmpfs_unlink(struct inode *dir, const char *name)
{
	struct tmpfs_dirent *e = entry_find(dir, name);
	if (!e)
		return -ENOENT;
	if (S_ISDIR(e->inode->mode))
		return -EISDIR;
	entry_remove(dir, e);
	return 0;
}

int tmpfs_rmdir(struct inode *dir, const char *name)
{
	struct tmpfs_dirent *e = entry_find(dir, name);
	if (!e)
		return -ENOENT;
	if (!S_ISDIR(e->inode->mode))
		return -ENOTDIR;
	if (!list_empty(&TI(e->inode)->entries))
		return -ENOTEMPTY;
	entry_remove(dir, e);
	return 0;
}

/* ---- rename ---------------------------------------------------------------------- */

static bool is_ancestor(struct inode *a, struct inode *d)
{
	for (; d; d = TI(d)->parent == d ? NULL : TI(d)->parent)
		if (d == a)
			return true;
	return false;
}

/* Moves e from olddir to newdir as newname: a new offset there, so readers of newdir
 * see it once, and ".." follows a directory. */
static void entry_move(struct inode *olddir, struct tmpfs_dirent *e, struct inode *newdir,
		       const char *newname)
{
	struct inode *inode = entry_take(olddir, e);
	entry_add(newdir, newname, inode);
	inode->ctime = tmpfs_now();
}

/* RENAME_EXCHANGE: the two names swap their inodes. */
static int rename_exchange(struct inode *olddir, struct tmpfs_dirent *a, struct inode *newdir,
			   struct tmpfs_dirent *b)
{
	struct inode *ia = a->inode, *ib = b->inode;
	if (olddir != newdir && S_ISDIR(ia->mode) != S_ISDIR(ib->mode)) {
		/* a directory changing parent moves a link count with it */
		if (S_ISDIR(ia->mode)) {
			olddir->nlink--;
			newdir->nlink++;
		} else {
			newdir->nlink--;
			olddir->nlink++;
		}
	}
	a->inode = ib;
	b->inode = ia;
	if (S_ISDIR(ia->mode))
		TI(ia)->parent = newdir;
	if (S_ISDIR(ib->mode))
		TI(ib)->parent = olddir;
	struct timespec now = tmpfs_now();
	ia->ctime = ib->ctime = now;
	olddir->mtime = olddir->ctime = newdir->mtime = newdir->ctime = now;
	return 0;
}

/* What may be replaced by a rename of src, as rename(2) rules it. */
static int replace_check(struct inode *src, struct tmpfs_dirent *dst)
{
	bool sdir = S_ISDIR(src->mode), ddir = S_ISDIR(dst->inode->mode);
	if (sdir && !ddir)
		return -ENOTDIR;
	if (!sdir && ddir)
		return -EISDIR;
	if (ddir && !list_empty(&TI(dst->inode)->entries))
		return -ENOTEMPTY;
	return 0;
}

/* RENAME_WHITEOUT leaves a (0, 0) character device under the old name (overlayfs). */
static int whiteout_prepare(struct inode *olddir, struct inode **out)
{
	return tmpfs_inode_new(olddir->sb, olddir, S_IFCHR, makedev(0, 0), NULL, out);
}

int tmpfs_rename(struct inode *olddir, const char *oldname, struct inode *newdir,
		 const char *newname, unsigned flags)
{
	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	struct tmpfs_dirent *src = entry_find(olddir, oldname);
	if (!src || newdir->dead)
		return -ENOENT;
	if (S_ISDIR(src->inode->mode) && is_ancestor(src->inode, newdir))
		return -EINVAL;
	struct tmpfs_dirent *dst = entry_find(newdir, newname);
	if (flags & RENAME_EXCHANGE)
		return dst ? rename_exchange(olddir, src, newdir, dst) : -ENOENT;
	if (dst && (flags & RENAME_NOREPLACE))
		return -EEXIST;
	if (dst == src || (dst && dst->inode == src->inode))
		return 0;
	if (dst) {
		int err = replace_check(src->inode, dst);
		if (err < 0)
			return err;
	}
	struct inode *whiteout = NULL;
	if (flags & RENAME_WHITEOUT) {
		int err = whiteout_prepare(olddir, &whiteout);
		if (err < 0)
			return err;
	}
	if (dst)
		entry_remove(newdir, dst);
	entry_move(olddir, src, newdir, newname);
	if (whiteout)
		entry_add(olddir, oldname, whiteout);
	return 0;
}

/* ---- reading directories ----------------------------------------------------------- */

static bool emit(struct file *f, struct dirent_sink *s, const char *name, struct inode *i,
		 off_t next)
{
	if (!s->emit(s, name, i->ino, IFTODT(i->mode), next))
		return false;
	f->pos = next;
	return true;
}

/* Positions: 0 ".", 1 "..", then each entry's own offset. */
static int tmpfs_iterate(struct file *f, struct dirent_sink *s)
{
	struct inode *dir = f->inode;
	struct tmpfs_inode *td = TI(dir);
	if (dir->dead)
		return -ENOENT;   /* iterate_dir(): a removed directory lists nothing */
	if (f->pos == 0 && !emit(f, s, ".", dir, 1))
		return 0;
	if (f->pos == 1 && !emit(f, s, "..", td->parent ? td->parent : dir, 2))
		return 0;
	struct list_head *p;
	list_for_each(p, &td->entries) {
		struct tmpfs_dirent *e = list_entry(p, struct tmpfs_dirent, link);
		if ((off_t)e->off < f->pos)
			continue;
		if (!emit(f, s, e->name, e->inode, (off_t)e->off + 1))
			return 0;
	}
	dir->atime = tmpfs_now();
	return 0;
}

static off_t tmpfs_dir_llseek(struct file *f, off_t off, int whence)
{
	if (whence != SEEK_SET && whence != SEEK_CUR)
		return -EINVAL;
	return generic_llseek(f, off, whence, 0);
}

static ssize_t tmpfs_dir_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -EISDIR;
}

void tmpfs_dir_clear(struct inode *dir)
{
	struct list_head *p, *n;
	list_for_each_safe(p, n, &TI(dir)->entries) {
		struct tmpfs_dirent *e = list_entry(p, struct tmpfs_dirent, link);
		if (S_ISDIR(e->inode->mode))
			tmpfs_dir_clear(e->inode);
		entry_remove(dir, e);
	}
}

const struct file_ops tmpfs_dir_fops = {
	.read = tmpfs_dir_read,
	.llseek = tmpfs_dir_llseek,
	.iterate = tmpfs_iterate,
};
