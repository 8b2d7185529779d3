/*
 * Attribute changes: mode, owner, times, size and preallocation, with the permission
 * rules of Linux's setattr_prepare()/notify_change() and the errno order of the calls
 * that lead there (chmod_common, chown_common, vfs_utimes, vfs_truncate,
 * vfs_fallocate). mnt may be NULL for anonymous files (pipes), which have no mount.
 */
#include <linux/falloc.h>
#include <stdint.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "fs/vfs.h"
#include "fs/fs_internal.h"
#include "fs/notify/fsnotify.h"
#include "signal/signal.h"

static bool owner_or_capable(const struct task *t, const struct kstat *st)
{
	return st->uid == t->cred.fsuid || fs_capable(t);
}

static bool in_group_or_capable(const struct task *t, gid_t gid)
{
	return cred_in_group(&t->cred, gid) || fs_capable(t);
}

void vfs_init_owner(const struct inode *dir, mode_t *mode, const struct cred *cred,
		    uid_t *uid, gid_t *gid)
{
	*uid = cred ? cred->fsuid : 0;
	*gid = cred ? cred->fsgid : 0;
	if (!dir || !(dir->mode & S_ISGID))
		return;
	*gid = dir->gid;
	if (S_ISDIR(*mode)) {
		*mode |= S_ISGID;
		return;
	}
	if ((*mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) && cred && cred->fsuid != 0 &&
	    !cred_in_group(cred, dir->gid))
		*mode &= ~S_ISGID;
}

/* For inodes whose attributes live only in memory (pipes, in-memory filesystems). */
static int simple_setattr(struct inode *inode, const struct iattr *ia)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	if (ia->valid & ATTR_MODE)
		inode->mode = (inode->mode & S_IFMT) | (ia->mode & 07777);
	if (ia->valid & ATTR_UID)
		inode->uid = ia->uid;
	if (ia->valid & ATTR_GID)
		inode->gid = ia->gid;
	if (ia->valid & ATTR_SIZE)
		inode->size = ia->size;
	if (ia->valid & (ATTR_ATIME | ATTR_ATIME_NOW))
		inode->atime = (ia->valid & ATTR_ATIME_NOW) ? now : ia->atime;
	if (ia->valid & (ATTR_MTIME | ATTR_MTIME_NOW))
		inode->mtime = (ia->valid & ATTR_MTIME_NOW) ? now : ia->mtime;
	inode->ctime = now;
	return 0;
}

int vfs_setattr(struct inode *inode, const struct iattr *ia)
{
	if (inode->iops && inode->iops->setattr)
		return inode->iops->setattr(inode, ia);
	/* attributes a filesystem computes on the fly can't be stored */
	if (inode->iops && inode->iops->getattr)
		return -EPERM;
	return simple_setattr(inode, ia);
}

/* Linux's notify_change(): the change, then its event. */
static int notify_change(const struct path *p, struct inode *inode, const struct iattr *ia)
{
	int err = vfs_setattr(inode, ia);
	if (err == 0)
		fsnotify_change(p ? p->dentry : NULL, inode, ia->valid);
	return err;
}

int vfs_chmod(struct task *t, const struct path *p, struct inode *inode, mode_t mode)
{
	struct kstat st;
	int err = vfs_mnt_writable(p->mnt, inode);
	if (err < 0 || (err = vfs_getattr(inode, &st)) < 0)
		return err;
	if (S_ISLNK(st.mode))
		return -EOPNOTSUPP;   /* symlinks have no mode of their own */
	if (!owner_or_capable(t, &st))
		return -EPERM;
	mode &= 07777;
	/* setting set-group-id needs membership of the file's group */
	if ((mode & S_ISGID) && !in_group_or_capable(t, st.gid))
		mode &= ~S_ISGID;
	struct iattr ia = { .valid = ATTR_MODE, .mode = (st.mode & S_IFMT) | mode };
	return notify_change(p, inode, &ia);
}

/* chown_ok()/chgrp_ok(): root may give files away; an owner may only move the file to
 * one of its own groups. */
static int chown_permitted(const struct task *t, const struct kstat *st, uid_t uid, gid_t gid)
{
	bool owner = st->uid == t->cred.fsuid;
	if (uid != (uid_t)-1 && !(owner && uid == st->uid) && !fs_capable(t))
		return -EPERM;
	if (gid != (gid_t)-1 && !(owner && (gid == st->gid || cred_in_group(&t->cred, gid))) &&
	    !fs_capable(t))
		return -EPERM;
	return 0;
}

/* A chown of a non-directory drops set-user-id, and set-group-id when it means
 * "execute as the group" or the caller may not keep it, even for root: a new owner
 * must not inherit a set-id program made for someone else. */
static mode_t chown_drop_setid(const struct task *t, const struct kstat *st, gid_t newgid)
{
	mode_t mode = st->mode;
	if (S_ISDIR(mode))
		return mode;
	mode &= ~S_ISUID;
	if ((mode & S_ISGID) && ((mode & S_IXGRP) || !in_group_or_capable(t, st->gid) ||
				 !in_group_or_capable(t, newgid)))
		mode &= ~S_ISGID;
	return mode;
}

int vfs_chown(struct task *t, const struct path *p, struct inode *inode, uid_t uid, gid_t gid)
{
	struct kstat st;
	int err = vfs_mnt_writable(p->mnt, inode);
	if (err < 0 || (err = vfs_getattr(inode, &st)) < 0)
		return err;
	if ((err = chown_permitted(t, &st, uid, gid)) < 0)
		return err;
	struct iattr ia = { .uid = uid, .gid = gid };
	if (uid != (uid_t)-1)
		ia.valid |= ATTR_UID;
	if (gid != (gid_t)-1)
		ia.valid |= ATTR_GID;
	mode_t mode = chown_drop_setid(t, &st, gid != (gid_t)-1 ? gid : st.gid);
	if (mode != st.mode) {
		/* dropping the bits is a mode change: the owner's or root's to make */
		if (!owner_or_capable(t, &st))
			return -EPERM;
		ia.valid |= ATTR_MODE;
		ia.mode = mode;
	}
	return notify_change(p, inode, &ia);
}

static bool nsec_valid(long nsec)
{
	return nsec == UTIME_NOW || nsec == UTIME_OMIT || (nsec >= 0 && nsec <= 999999999);
}

static void utimes_attr(const struct timespec *times, struct iattr *ia)
{
	if (!times) {
		ia->valid = ATTR_ATIME_NOW | ATTR_MTIME_NOW;
		return;
	}
	if (times[0].tv_nsec == UTIME_NOW)
		ia->valid |= ATTR_ATIME_NOW;
	else if (times[0].tv_nsec != UTIME_OMIT) {
		ia->valid |= ATTR_ATIME;
		ia->atime = times[0];
	}
	if (times[1].tv_nsec == UTIME_NOW)
		ia->valid |= ATTR_MTIME_NOW;
	else if (times[1].tv_nsec != UTIME_OMIT) {
		ia->valid |= ATTR_MTIME;
		ia->mtime = times[1];
	}
}

/*
 * times NULL (or both UTIME_NOW) is a "touch": write permission is enough. Any explicit
 * time needs the owner or root.
 */
int vfs_utimes(struct task *t, const struct path *p, struct inode *inode, const struct timespec *times)
{
	if (times && (!nsec_valid(times[0].tv_nsec) || !nsec_valid(times[1].tv_nsec)))
		return -EINVAL;
	if (times && times[0].tv_nsec == UTIME_NOW && times[1].tv_nsec == UTIME_NOW)
		times = NULL;
	struct kstat st;
	int err = vfs_mnt_writable(p->mnt, inode);
	if (err < 0 || (err = vfs_getattr(inode, &st)) < 0)
		return err;
	if (!owner_or_capable(t, &st)) {
		if (times)
			return -EPERM;
		if ((err = inode_permission(t, inode, MAY_WRITE)) < 0)
			return err;
	}
	struct iattr ia = { 0 };
	utimes_attr(times, &ia);
	return notify_change(p, inode, &ia);
}

/* inode_newsize_ok(): growing past RLIMIT_FSIZE raises SIGXFSZ. */
static int size_ok(struct task *t, const struct kstat *st, off_t size)
{
	rlim_t limit = t->tg->rlim[RLIMIT_FSIZE].rlim_cur;
	if (size <= st->size || limit == RLIM_INFINITY || (rlim_t)size <= limit)
		return 0;
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGXFSZ;
	info.si_code = SI_KERNEL;
	signal_send_task(t, SIGXFSZ, &info);
	return -EFBIG;
}

/* do_truncate(): f is the open file for ftruncate, NULL for truncate. */
static int do_truncate(struct task *t, const struct path *p, struct inode *inode, struct file *f,
		       off_t size)
{
	struct kstat st;
	int err = vfs_getattr(inode, &st);
	if (err < 0 || (err = size_ok(t, &st, size)) < 0)
		return err;
	struct iattr ia = { .valid = ATTR_SIZE, .size = size };
	/* writing without CAP_FSETID drops set-id bits, as a write does */
	mode_t mode = st.mode & ~S_ISUID;
	if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		mode &= ~S_ISGID;
	if (!fs_capable(t) && mode != st.mode) {
		ia.valid |= ATTR_MODE;
		ia.mode = mode;
	}
	if (f && f->fops && f->fops->truncate) {
		if ((err = f->fops->truncate(f, size)) < 0)
			return err;
		if (!(ia.valid & ATTR_MODE)) {
			fsnotify_change(p->dentry, inode, ATTR_SIZE);
			return 0;
		}
		ia.valid = ATTR_MODE;
		if ((err = vfs_setattr(inode, &ia)) == 0)
			fsnotify_change(p->dentry, inode, ATTR_SIZE | ATTR_MODE);
		return err;
	}
	return notify_change(p, inode, &ia);
}

int vfs_do_truncate(struct task *t, struct inode *inode, struct file *f, off_t size)
{
	static const struct path none;
	return do_truncate(t, f ? &f->path : &none, inode, f, size);
}

int vfs_truncate(struct task *t, const struct path *p, off_t size)
{
	struct inode *inode = p->dentry->inode;
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	int err = vfs_mnt_writable(p->mnt, inode);
	if (err < 0 || (err = inode_permission(t, inode, MAY_WRITE)) < 0)
		return err;
	return do_truncate(t, p, inode, NULL, size);
}

#ifndef FALLOC_FL_WRITE_ZEROES
#define FALLOC_FL_WRITE_ZEROES 0x80   /* Linux 6.17 */
#endif
#define FALLOC_MODES (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | \
		      FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_WRITE_ZEROES)

/* Since Linux 6.13 the modes exclude one another and KEEP_SIZE is their only modifier. */
static int fallocate_mode_ok(int mode)
{
	bool keep = mode & FALLOC_FL_KEEP_SIZE;
	if (mode & ~(FALLOC_MODES | FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	switch (mode & FALLOC_MODES) {
	case 0:
	case FALLOC_FL_UNSHARE_RANGE:
	case FALLOC_FL_ZERO_RANGE:
		return 0;
	case FALLOC_FL_PUNCH_HOLE:
		return keep ? 0 : -EOPNOTSUPP;
	case FALLOC_FL_COLLAPSE_RANGE:
	case FALLOC_FL_INSERT_RANGE:
	case FALLOC_FL_WRITE_ZEROES:
		return keep ? -EOPNOTSUPP : 0;
	default:
		return -EOPNOTSUPP;
	}
}

int vfs_fallocate(struct task *t, struct file *f, int mode, off_t off, off_t len)
{
	(void)t;
	if (off < 0 || len <= 0)
		return -EINVAL;
	int err = fallocate_mode_ok(mode);
	if (err < 0)
		return err;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	mode_t type = f->inode->mode & S_IFMT;
	if (type == S_IFIFO)
		return -ESPIPE;
	if (type == S_IFDIR)
		return -EISDIR;
	if (type != S_IFREG && type != S_IFBLK)
		return -ENODEV;
	if (len > INT64_MAX - off)
		return -EFBIG;   /* off + len would wrap: guest values, checked without overflow */
	if (!f->fops || !f->fops->fallocate)
		return -EOPNOTSUPP;
	err = f->fops->fallocate(f, mode, off, len);
	if (err == 0)
		fsnotify_modify(f);
	return err;
}
