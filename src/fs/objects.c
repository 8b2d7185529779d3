/* Lifetimes of inodes, dentries, paths and open files: explicit reference counts. */
#include <stdlib.h>
#include <string.h>
#include "mm/mapped_names.h"
#include "fs/locks.h"
#include "fs/notify/fsnotify.h"
#include "fs/vfs.h"

struct inode *inode_new(struct super_block *sb, uint64_t ino, mode_t mode,
			const struct inode_ops *iops, const struct file_ops *fops)
{
	struct inode *i = xcalloc(1, sizeof(*i));
	i->refcount = 1;
	i->sb = sb;
	i->ino = ino;
	i->mode = mode;
	i->nlink = 1;
	i->iops = iops;
	i->fops = fops;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	i->atime = i->mtime = i->ctime = now;
	return i;
}

struct inode *inode_get(struct inode *i)
{
	if (i)
		i->refcount++;
	return i;
}

void inode_put(struct inode *i)
{
	if (!i || --i->refcount > 0)
		return;
	fsnotify_inode_put(i);   /* a file unlinked while in use is deleted now */
	mapped_name_forget(i);
	if (i->iops && i->iops->destroy)
		i->iops->destroy(i);
	free(i);
}

struct dentry *dentry_new(const char *name, struct dentry *parent, struct inode *inode)
{
	struct dentry *d = xcalloc(1, sizeof(*d));
	d->refcount = 1;
	d->name = xstrdup(name);
	d->parent = parent ? dentry_get(parent) : NULL;
	d->inode = inode;  /* takes the caller's reference */
	return d;
}

struct dentry *dentry_get(struct dentry *d)
{
	if (d)
		d->refcount++;
	return d;
}

void dentry_put(struct dentry *d)
{
	while (d && --d->refcount == 0) {
		struct dentry *parent = d->parent;
		inode_put(d->inode);
		free(d->name);
		free(d);
		d = parent;
	}
}

void path_get(struct path *p)
{
	dentry_get(p->dentry);
	if (p->mnt)
		p->mnt->refcount++;
}

void path_put(struct path *p)
{
	dentry_put(p->dentry);
	if (p->mnt)
		p->mnt->refcount--;
	p->dentry = NULL;
	p->mnt = NULL;
}

struct file *file_new(struct path *p, unsigned flags)
{
	struct file *f = xcalloc(1, sizeof(*f));
	f->refcount = 1;
	f->flags = flags;
	f->host_fd = -1;
	if (p) {
		f->path = *p;
		f->inode = p->dentry ? p->dentry->inode : NULL;
	}
	return f;
}

struct file *file_get(struct file *f)
{
	if (f)
		f->refcount++;
	return f;
}

void file_put(struct file *f)
{
	if (!f || --f->refcount > 0)
		return;
	if (f->notify_close)
		fsnotify_close(f);
	eventpoll_file_released(f);   /* epoll holds files weakly: drop its items first */
	locks_file_released(f);       /* OFD and flock locks belong to the open file */
	if (f->fops && f->fops->release)
		f->fops->release(f);
	if (!f->path.dentry && f->inode)
		inode_put(f->inode);   /* anonymous files own their inode directly */
	path_put(&f->path);
	free(f);
}

int vfs_getattr(struct inode *i, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	if (i->iops && i->iops->getattr)
		return i->iops->getattr(i, st);
	st->ino = i->ino;
	st->dev = i->sb ? i->sb->dev : 0;
	st->mode = i->mode;
	st->nlink = i->nlink;
	st->uid = i->uid;
	st->gid = i->gid;
	st->rdev = i->rdev;
	st->size = i->size;
	st->blksize = 4096;
	st->blocks = (i->size + 511) / 512;
	st->atime = i->atime;
	st->mtime = i->mtime;
	st->ctime = i->ctime;
	return 0;
}

off_t generic_llseek(struct file *f, off_t off, int whence, off_t size)
{
	off_t base;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->pos; break;
	case SEEK_END: base = size; break;
	default: return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = base + off;
	return f->pos;
}
