/*
 * tmpfs inodes: creation with the creator's ownership, the instance's inode and page
 * accounting, attributes (tmpfs is where guest ownership is real: it is kept here and
 * nowhere else), and the end of an inode's life.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fs/tmpfs/tmpfs_int.h"

struct timespec tmpfs_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts;
}

off_t tmpfs_dirent_size(const struct super_block *sb)
{
	return TSB(sb)->ramfs ? 0 : TMPFS_DIRENT_SIZE;
}

int tmpfs_charge_inode(struct super_block *sb)
{
	struct tmpfs_sb *s = TSB(sb);
	if (s->max_inodes && s->used_inodes >= s->max_inodes)
		return -ENOSPC;
	s->used_inodes++;
	return 0;
}

void tmpfs_uncharge_inode(struct super_block *sb)
{
	if (TSB(sb)->used_inodes)
		TSB(sb)->used_inodes--;
}

int tmpfs_charge_pages(struct super_block *sb, uint64_t pages)
{
	struct tmpfs_sb *s = TSB(sb);
	if (s->max_pages && pages > s->max_pages - s->used_pages)
		return -ENOSPC;
	s->used_pages += pages;
	return 0;
}

void tmpfs_uncharge_pages(struct super_block *sb, uint64_t pages)
{
	struct tmpfs_sb *s = TSB(sb);
	s->used_pages = pages < s->used_pages ? s->used_pages - pages : 0;
}

/* What the memfd really holds: writes through shared mappings and holes punched or
 * filled all show up here (st_blocks counts 512-byte units of whole pages). */
void tmpfs_sync_pages(struct inode *i)
{
	struct tmpfs_inode *ti = TI(i);
	struct stat st;
	if (!S_ISREG(i->mode) || ti->memfd < 0 || fstat(ti->memfd, &st) < 0)
		return;
	uint64_t now = (uint64_t)st.st_blocks / (PAGE_SIZE / 512);
	struct tmpfs_sb *s = TSB(i->sb);
	s->used_pages = s->used_pages - ti->pages + now;
	ti->pages = now;
}

static const struct file_ops *fops_for(mode_t mode)
{
	if (S_ISDIR(mode))
		return &tmpfs_dir_fops;
	if (S_ISREG(mode))
		return &tmpfs_file_fops;
	return &tmpfs_special_fops;
}

int tmpfs_inode_new(struct super_block *sb, struct inode *dir, mode_t mode, dev_t rdev,
		    const struct cred *cred, struct inode **out)
{
	int err = tmpfs_charge_inode(sb);
	if (err < 0)
		return err;
	struct tmpfs_inode *ti = xcalloc(1, sizeof(*ti));
	list_init(&ti->entries);
	ti->next_off = 2;
	ti->memfd = -1;
	struct inode *i = inode_new(sb, TSB(sb)->next_ino++, mode, &tmpfs_iops, fops_for(mode));
	i->priv = ti;
	vfs_init_owner(dir, &mode, cred, &i->uid, &i->gid);
	i->mode = mode;
	i->rdev = (S_ISCHR(mode) || S_ISBLK(mode)) ? rdev : 0;
	if (S_ISDIR(mode)) {
		i->nlink = 2;
		i->size = 2 * tmpfs_dirent_size(sb);
		ti->parent = dir ? dir : i;
	}
	*out = i;
	return 0;
}

static int tmpfs_getattr(struct inode *i, struct kstat *st)
{
	tmpfs_sync_pages(i);
	st->ino = i->ino;
	st->dev = i->sb->dev;
	st->mode = i->mode;
	st->nlink = i->nlink;
	st->uid = i->uid;
	st->gid = i->gid;
	st->rdev = i->rdev;
	st->size = i->size;
	st->blksize = PAGE_SIZE;
	st->blocks = (blkcnt_t)(TI(i)->pages * (PAGE_SIZE / 512));
	st->atime = i->atime;
	st->mtime = i->mtime;
	st->ctime = i->ctime;
	return 0;
}

/* A size change of a regular file: the memfd follows (made when the file grows from
 * nothing), and the pages it frees go back to the instance. */
static int set_size(struct inode *i, off_t size)
{
	if (S_ISDIR(i->mode))
		return -EISDIR;
	if (!S_ISREG(i->mode))
		return -EINVAL;
	if (size == i->size)
		return 0;
	int fd = TI(i)->memfd;
	if (fd < 0 && size > 0 && (fd = tmpfs_memfd(i)) < 0)
		return fd;
	if (fd >= 0 && ftruncate(fd, size) < 0)
		return -errno;
	i->size = size;
	tmpfs_sync_pages(i);
	return 0;
}

int tmpfs_setattr(struct inode *i, const struct iattr *a)
{
	struct timespec now = tmpfs_now();
	if ((a->valid & ATTR_MODE) && TI(i)->seal_exec && ((i->mode ^ a->mode) & 0111))
		return -EPERM;   /* F_SEAL_EXEC: the execute bits stay as they are */
	if (a->valid & ATTR_SIZE) {
		int err = set_size(i, a->size);
		if (err < 0)
			return err;
		i->mtime = now;   /* do_truncate() stamps the file even when the size stays */
	}
	if (a->valid & ATTR_MODE)
		i->mode = (i->mode & S_IFMT) | (a->mode & 07777);
	if (a->valid & ATTR_UID)
		i->uid = a->uid;
	if (a->valid & ATTR_GID)
		i->gid = a->gid;
	if (a->valid & (ATTR_ATIME | ATTR_ATIME_NOW))
		i->atime = (a->valid & ATTR_ATIME_NOW) ? now : a->atime;
	if (a->valid & (ATTR_MTIME | ATTR_MTIME_NOW))
		i->mtime = (a->valid & ATTR_MTIME_NOW) ? now : a->mtime;
	i->ctime = now;
	return 0;
}

static long tmpfs_readlink(struct inode *i, char *buf, size_t len)
{
	const char *target = TI(i)->target;
	if (!S_ISLNK(i->mode) || !target)
		return -EINVAL;
	size_t n = strlen(target);
	if (n > len)
		n = len;
	memcpy(buf, target, n);
	i->atime = tmpfs_now();
	return (long)n;
}

/* The last reference: the inode's own charge (its last name's) and its pages go back. */
static void tmpfs_destroy(struct inode *i)
{
	struct tmpfs_inode *ti = TI(i);
	if (!ti)
		return;
	tmpfs_uncharge_pages(i->sb, ti->pages);
	tmpfs_uncharge_inode(i->sb);
	if (ti->memfd >= 0)
		close(ti->memfd);
	free(ti->target);
	free(ti);
	i->priv = NULL;
}

/* Declared in dir.c. */
int tmpfs_lookup(struct inode *dir, const char *name, struct inode **out);
int tmpfs_create(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
		 const struct cred *cred, struct inode **out);
int tmpfs_mkdir(struct inode *dir, const char *name, mode_t mode, const struct cred *cred);
int tmpfs_symlink(struct inode *dir, const char *name, const char *target, const struct cred *cred);
int tmpfs_link(struct inode *old, struct inode *dir, const char *name);
int tmpfs_tmpfile(struct inode *dir, mode_t mode, const struct cred *cred, struct inode **out);
int tmpfs_unlink(struct inode *dir, const char *name);
int tmpfs_rmdir(struct inode *dir, const char *name);
int tmpfs_rename(struct inode *olddir, const char *oldname, struct inode *newdir,
		 const char *newname, unsigned flags);

const struct inode_ops tmpfs_iops = {
	.lookup = tmpfs_lookup,
	.getattr = tmpfs_getattr,
	.setattr = tmpfs_setattr,
	.create = tmpfs_create,
	.mkdir = tmpfs_mkdir,
	.symlink = tmpfs_symlink,
	.link = tmpfs_link,
	.tmpfile = tmpfs_tmpfile,
	.unlink = tmpfs_unlink,
	.rmdir = tmpfs_rmdir,
	.rename = tmpfs_rename,
	.readlink = tmpfs_readlink,
	.destroy = tmpfs_destroy,
};
