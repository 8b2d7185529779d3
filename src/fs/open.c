/* Opening files: path walk, creation, permission and the per-type open. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "fs/blkdev.h"
#include "fs/chrdev.h"
#include "fs/vfs.h"
#include "fs/fs_internal.h"
#include "fs/notify/fsnotify.h"
#include "fs/pipe.h"

static int acc_mask(int flags)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY: return MAY_READ;
	case O_WRONLY: return MAY_WRITE;
	default: return MAY_READ | MAY_WRITE;
	}
}

/* An open has succeeded: IN_OPEN now, IN_CLOSE_* at the last close (Linux 6.x sends
 * IN_OPEN before an O_TRUNC's IN_MODIFY). */
static void opened_notify(struct file *f)
{
	f->notify_close = true;
	fsnotify_open(f);
}

int vfs_open_path(struct task *t, struct path *p, int flags, struct file **out)
{
	struct inode *inode = p->dentry->inode;
	if (flags & O_PATH) {
		if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
			return -ENOTDIR;
		path_get(p);
		*out = file_new(p, (unsigned)flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
		return 0;
	}
	if (S_ISLNK(inode->mode))
		return -ELOOP;
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
		return -ENOTDIR;
	if (S_ISDIR(inode->mode) && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC) || (flags & O_CREAT)))
		return -EISDIR;
	if (S_ISSOCK(inode->mode))
		return -ENXIO;
	int mask = acc_mask(flags);
	if (flags & O_TRUNC)
		mask |= MAY_WRITE;
	int err = path_permission(t, p, mask);
	if (err < 0)
		return err;
	if ((S_ISCHR(inode->mode) || S_ISBLK(inode->mode)) && (p->mnt->flags & MS_NODEV))
		return -EACCES;
	path_get(p);
	struct file *f = file_new(p, (unsigned)flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC));
	if (S_ISCHR(inode->mode))
		err = chrdev_open(inode, f);
	else if (S_ISFIFO(inode->mode))
		err = fifo_open(inode, f);
	else if (S_ISBLK(inode->mode))
		err = blkdev_open(inode, f, flags);
	else if (inode->iops && inode->iops->open)
		err = inode->iops->open(inode, f);
	else
		f->fops = inode->fops;
	if (err < 0) {
		f->fops = NULL;   /* the open failed: no release */
		file_put(f);
		return err;
	}
	if (!inode->sb) {
		/* an anonymous pipe reopened through /proc: no path, as the pipe's own files */
		inode_get(inode);
		path_put(&f->path);
	}
	opened_notify(f);
	if ((flags & O_TRUNC) && S_ISREG(inode->mode) && inode->iops && inode->iops->setattr) {
		struct iattr ia = { .valid = ATTR_SIZE, .size = 0 };
		err = inode->iops->setattr(inode, &ia);
		if (err < 0) {
			file_put(f);
			return err;
		}
		fsnotify_change(p->dentry, inode, ATTR_SIZE);
	}
	*out = f;
	return 0;
}

/* Creates name in parent; returns the new file's path. */
static int create_at(struct task *t, struct path *parent, const char *name, mode_t mode, struct path *out)
{
	struct inode *dir = parent->dentry->inode;
	int err = path_permission(t, parent, MAY_WRITE | MAY_EXEC);
	if (err < 0)
		return err;
	if (!dir->iops || !dir->iops->create)
		return -EACCES;
	struct inode *inode = NULL;
	err = dir->iops->create(dir, name, S_IFREG | (mode & 07777 & ~t->fs->umask), 0, &t->cred, &inode);
	if (err < 0)
		return err;
	fsnotify_create(dir, name, false);
	out->mnt = parent->mnt;
	out->dentry = dentry_new(name, parent->dentry, inode);
	out->mnt->refcount++;
	return 0;
}

/* The open of the file a filesystem just made, whatever its mode says (p: taken over). */
static int open_new(struct path *p, int flags, struct file **out)
{
	struct file *f = file_new(p, (unsigned)flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC));
	struct inode *inode = f->path.dentry->inode;
	int err = inode->iops && inode->iops->open ? inode->iops->open(inode, f) : 0;
	if (!err && !f->fops)
		f->fops = inode->fops;
	if (err < 0) {
		f->fops = NULL;
		file_put(f);
		return err;
	}
	opened_notify(f);
	*out = f;
	return 0;
}

/*
 * O_TMPFILE (Linux's vfs_tmpfile): name is a directory on a writable mount that the
 * caller may write in; its filesystem makes an unnamed regular file there. The file's
 * dentry is "#<ino>" under the directory, so /proc shows "DIR/#<ino> (deleted)". The
 * open keeps __O_TMPFILE and O_DIRECTORY in the status flags, as F_GETFL shows them.
 */
static int open_tmpfile(struct task *t, int dirfd, const char *name, int flags, mode_t mode,
			unsigned lf, struct file **out)
{
	struct path dir;
	int err = path_walk(t, dirfd, name, lf | LOOKUP_DIRECTORY, &dir);
	if (err < 0)
		return err;
	struct inode *d = dir.dentry->inode, *inode = NULL;
	err = vfs_mnt_writable(dir.mnt, d);
	if (!err)
		err = path_permission(t, &dir, MAY_WRITE | MAY_EXEC);
	if (!err && (!d->iops || !d->iops->tmpfile))
		err = -EOPNOTSUPP;
	if (!err)
		err = d->iops->tmpfile(d, S_IFREG | (mode & 07777 & ~t->fs->umask), &t->cred, &inode);
	if (err < 0) {
		path_put(&dir);
		return err;
	}
	char dname[32];
	snprintf(dname, sizeof(dname), "#%llu", (unsigned long long)inode->ino);
	struct path p = { dir.mnt, dentry_new(dname, dir.dentry, inode) };
	p.dentry->tmpfile = true;
	p.mnt->refcount++;
	path_put(&dir);
	err = open_new(&p, flags, out);
	if (!err)
		inode->linkable = !(flags & O_EXCL);
	return err;
}

int vfs_open(struct task *t, int dirfd, const char *name, int flags, mode_t mode,
	     unsigned resolve, struct file **out)
{
	struct path p;
	int err;
	if (flags & O_PATH)   /* Linux ignores every other flag with O_PATH (build_open_flags) */
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	unsigned lf = resolve | ((flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW);
	if (flags & O_DIRECTORY)
		lf |= LOOKUP_DIRECTORY;
	if (flags & KERNEL_O_TMPFILE_BIT)
		return open_tmpfile(t, dirfd, name, flags, mode, lf, out);
	if (!(flags & O_CREAT)) {
		err = path_walk(t, dirfd, name, lf, &p);
		if (err < 0)
			return err;
		if ((flags & O_NOFOLLOW) && S_ISLNK(p.dentry->inode->mode) && !(flags & O_PATH)) {
			path_put(&p);
			return -ELOOP;
		}
		err = vfs_open_path(t, &p, flags, out);
		path_put(&p);
		return err;
	}
	struct path parent;
	char last[NAME_MAX + 2];
	err = path_walk_parent(t, dirfd, name, resolve, &parent, last);
	if (err < 0)
		return err;
	size_t ll = strlen(last);
	bool dots = strcmp(last, ".") == 0 || strcmp(last, "..") == 0;
	if (dots || (ll && last[ll - 1] == '/')) {
		path_put(&parent);
		if (dots) {
			/* Linux steps on "." and ".." before EISDIR: ".." may escape a BENEATH */
			err = path_walk(t, dirfd, name, lf, &p);
			if (err < 0)
				return err;
			path_put(&p);
		}
		return -EISDIR;
	}
	struct inode *dir = parent.dentry->inode;
	struct inode *existing = NULL;
	err = dir->iops && dir->iops->lookup ? dir->iops->lookup(dir, last, &existing) : -ENOENT;
	if (err == 0) {
		bool is_link = S_ISLNK(existing->mode);
		inode_put(existing);
		if (flags & O_EXCL) {
			path_put(&parent);
			return -EEXIST;
		}
		path_put(&parent);
		if (is_link && (flags & O_NOFOLLOW))
			return -ELOOP;
		err = path_walk(t, dirfd, name, lf, &p);
		if (err < 0)
			return err;
		/* O_CREAT stays: an existing directory is EISDIR (Linux's do_open) */
		err = vfs_open_path(t, &p, flags, out);
		path_put(&p);
		return err;
	}
	if (err != -ENOENT) {
		path_put(&parent);
		return err;
	}
	err = create_at(t, &parent, last, mode, &p);
	path_put(&parent);
	if (err < 0)
		return err;
	/* a freshly created file may be opened with any access mode */
	return open_new(&p, flags, out);
}
