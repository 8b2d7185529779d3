/*
 * hostfs inode operations. Each maps onto the host call of the same name, made by the
 * kernel process with its host privileges, so the host's permission checks apply on top
 * of the guest's and the host's errno comes back unchanged. Guest credentials are not
 * used: new files belong to the host user, as in UML.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fs/hostfs/hostfs_int.h"

static int hostfs_lookup(struct inode *dir, const char *name, struct inode **out)
{
	int dirfd = hostfs_open_child_dir(dir, name);
	struct statx stx;
	int err;

	if (dirfd < 0)
		return dirfd;
	err = hostfs_statx_at(dirfd, name, &stx);
	close(dirfd);
	if (err)
		return err;
	return hostfs_inode_for(dir->sb, hostfs_child_path(HI(dir)->path, name), &stx, out);
}

static int inode_statx(struct inode *inode, struct statx *stx)
{
	struct hostfs_loc loc;
	int err = hostfs_locate(inode, true, &loc);

	if (err)
		return err;
	err = hostfs_statx_at(loc.dirfd, loc.name, stx);
	hostfs_loc_done(&loc);
	if (!err)
		hostfs_fill_inode(inode, stx);
	return err;
}

static struct timespec stx_time(struct statx_timestamp t)
{
	return (struct timespec){ t.tv_sec, t.tv_nsec };
}

/* What the host reports, except the device: ours, so st_dev tells mounts apart. */
static int hostfs_getattr(struct inode *inode, struct kstat *st)
{
	struct statx stx;
	int err = inode_statx(inode, &stx);

	if (err)
		return err;
	/* Owner, mode and device from the inode: a layered filesystem may override them. */
	*st = (struct kstat){
		.ino = stx.stx_ino, .dev = inode->sb->dev, .mode = inode->mode,
		.nlink = stx.stx_nlink, .uid = inode->uid, .gid = inode->gid,
		.rdev = inode->rdev, .size = stx.stx_size, .blksize = stx.stx_blksize,
		.blocks = stx.stx_blocks, .atime = stx_time(stx.stx_atime),
		.mtime = stx_time(stx.stx_mtime), .ctime = stx_time(stx.stx_ctime),
	};
	if (stx.stx_mask & STATX_BTIME)
		st->btime = stx_time(stx.stx_btime);
	return 0;
}

static int set_owner(const struct hostfs_loc *loc, const struct iattr *a)
{
	uid_t uid = a->valid & ATTR_UID ? a->uid : (uid_t)-1;
	gid_t gid = a->valid & ATTR_GID ? a->gid : (gid_t)-1;
	int flags = loc->fd >= 0 ? AT_EMPTY_PATH : AT_SYMLINK_NOFOLLOW;

	return fchownat(loc->dirfd, loc->name, uid, gid, flags) ? -errno : 0;
}

static int set_mode(const struct hostfs_loc *loc, mode_t mode)
{
	int ret;

	/* fchmodat cannot take AT_EMPTY_PATH before Linux 6.6's fchmodat2. */
	if (loc->fd >= 0)
		ret = fchmod(loc->fd, mode & 07777);
	else
		ret = fchmodat(loc->dirfd, loc->name, mode & 07777, AT_SYMLINK_NOFOLLOW);
	return ret ? -errno : 0;
}

static struct timespec pick_time(const struct iattr *a, unsigned set, unsigned now,
				 struct timespec t)
{
	if (a->valid & now)
		return (struct timespec){ 0, UTIME_NOW };
	if (a->valid & set)
		return t;
	return (struct timespec){ 0, UTIME_OMIT };
}

static int set_times(const struct hostfs_loc *loc, const struct iattr *a)
{
	struct timespec ts[2] = {
		pick_time(a, ATTR_ATIME, ATTR_ATIME_NOW, a->atime),
		pick_time(a, ATTR_MTIME, ATTR_MTIME_NOW, a->mtime),
	};
	int ret;

	if (loc->fd >= 0)
		ret = futimens(loc->fd, ts);
	else
		ret = utimensat(loc->dirfd, loc->name, ts, AT_SYMLINK_NOFOLLOW);
	return ret ? -errno : 0;
}

/* A descriptor open for writing, if the guest has one: ftruncate needs no path then. */
static int writable_fd(struct inode *inode)
{
	struct list_head *pos;

	list_for_each(pos, &HI(inode)->files) {
		struct hostfs_file *hf = list_entry(pos, struct hostfs_file, link);
		if (hf->writable)
			return hf->fd;
	}
	return -1;
}

static int truncate_by_path(struct inode *inode, off_t size)
{
	struct hostfs_loc loc;
	int fd, err = hostfs_locate(inode, false, &loc);

	if (err)
		return err;
	fd = openat(loc.dirfd, loc.name, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	err = fd < 0 ? -errno : 0;
	hostfs_loc_done(&loc);
	if (err)
		return err;
	err = ftruncate(fd, size) ? -errno : 0;
	close(fd);
	return err;
}

/* hostfs=...,append: data may be added but never destroyed, so no shrinking. */
int hostfs_may_resize(struct inode *inode, off_t size)
{
	struct statx stx;
	int err;

	if (hostfs_rdonly(inode->sb))
		return -EROFS;
	if (!HSB(inode->sb)->append)
		return 0;
	err = inode_statx(inode, &stx);
	if (err)
		return err;
	return size < (off_t)stx.stx_size ? -EPERM : 0;
}

static int set_size(struct inode *inode, off_t size)
{
	int fd, err = hostfs_may_resize(inode, size);

	if (err)
		return err;
	fd = writable_fd(inode);
	if (fd < 0)
		return truncate_by_path(inode, size);
	return ftruncate(fd, size) ? -errno : 0;
}

static int apply_attrs(struct inode *inode, const struct hostfs_loc *loc, const struct iattr *a)
{
	int err = 0;

	/* Owner first: the host clears set-id bits on chown, and a mode given alongside
	 * must survive that. Times last: a size change would move mtime. */
	if (a->valid & (ATTR_UID | ATTR_GID))
		err = set_owner(loc, a);
	if (!err && (a->valid & ATTR_MODE))
		err = set_mode(loc, a->mode);
	if (!err && (a->valid & ATTR_SIZE))
		err = set_size(inode, a->size);
	if (!err && (a->valid & (ATTR_ATIME | ATTR_MTIME | ATTR_ATIME_NOW | ATTR_MTIME_NOW)))
		err = set_times(loc, a);
	return err;
}

static int hostfs_setattr(struct inode *inode, const struct iattr *a)
{
	struct hostfs_loc loc;
	struct statx stx;
	int err;

	if (hostfs_rdonly(inode->sb))
		return -EROFS;
	err = hostfs_locate(inode, true, &loc);
	if (err)
		return err;
	err = apply_attrs(inode, &loc, a);
	hostfs_loc_done(&loc);
	inode_statx(inode, &stx);  /* refresh the cached attributes, even after a partial change */
	return err;
}

/* The host process's umask must not narrow a mode the guest's umask already shaped.
 * Set-id bits the host added (a set-group-id parent directory) are kept. */
void hostfs_undo_host_umask(int fd, int dirfd, const char *name, mode_t want, struct statx *stx)
{
	mode_t mode = (stx->stx_mode & 07000) | (want & 0777);
	int ret;

	if ((stx->stx_mode & 0777) == (want & 0777))
		return;
	if (fd >= 0)
		ret = fchmod(fd, mode);
	else
		ret = fchmodat(dirfd, name, mode, AT_SYMLINK_NOFOLLOW);
	if (!ret)
		stx->stx_mode = (stx->stx_mode & S_IFMT) | mode;
}

/* A regular file, created exclusively. The read-write descriptor is kept for the
 * guest's open that follows: a file created mode 0444 must still open for writing. */
static int create_regular(struct super_block *sb, int dirfd, const char *name, mode_t mode)
{
	int flags = O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY;

	if (sb->flags & MS_SYNCHRONOUS)
		flags |= O_SYNC;
	int fd = openat(dirfd, name, flags, mode & 07777);
	return fd < 0 ? -errno : fd;
}

static int create_node(int dirfd, const char *name, mode_t mode, dev_t rdev)
{
	int ret;

	if (S_ISFIFO(mode))
		ret = mkfifoat(dirfd, name, mode & 07777);
	else  /* sockets, and devices, which the host refuses an unprivileged user */
		ret = mknodat(dirfd, name, mode, rdev);
	return ret ? -errno : 0;
}

/* A new node belongs to its creator, as on any Linux filesystem: the fsuid, and the
 * fsgid unless the directory is set-group-id (then the host already gave it the
 * directory's group). A host that may not chown (umlinux run by an ordinary user)
 * leaves it to the host user, which guests then see, as UML's hostfs always does. */
void hostfs_give_to_creator(int fd, int dirfd, const char *name, const struct cred *cred,
			    struct statx *stx)
{
	struct statx dir;
	uid_t uid, gid;
	int ret;

	if (!cred)
		return;   /* made by the kernel itself */
	uid = cred->fsuid;
	gid = cred->fsgid;
	if (!hostfs_statx_at(dirfd, "", &dir) && (dir.stx_mode & S_ISGID))
		gid = stx->stx_gid;
	if (stx->stx_uid == uid && stx->stx_gid == gid)
		return;
	if (fd >= 0)
		ret = fchown(fd, uid, gid);
	else
		ret = fchownat(dirfd, name, uid, gid, AT_SYMLINK_NOFOLLOW);
	if (ret == 0) {
		stx->stx_uid = uid;
		stx->stx_gid = gid;
	}
}

static int created_inode(struct inode *dir, int dirfd, const char *name, int fd, mode_t mode,
			 const struct cred *cred, struct inode **out)
{
	struct statx stx;
	int err = hostfs_statx_at(fd >= 0 ? fd : dirfd, fd >= 0 ? "" : name, &stx);

	if (err)
		return err;
	hostfs_give_to_creator(fd, dirfd, name, cred, &stx);   /* before the mode: chown clears set-id bits */
	hostfs_undo_host_umask(fd, dirfd, name, mode, &stx);
	return hostfs_inode_for(dir->sb, hostfs_child_path(HI(dir)->path, name), &stx, out);
}

static int hostfs_create(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
			 const struct cred *cred, struct inode **out)
{
	int dirfd, fd = -1, err;

	if (hostfs_rdonly(dir->sb))
		return -EROFS;
	dirfd = hostfs_open_child_dir(dir, name);
	if (dirfd < 0)
		return dirfd;
	if (S_ISREG(mode) || !(mode & S_IFMT))
		err = fd = create_regular(dir->sb, dirfd, name, mode);
	else
		err = create_node(dirfd, name, mode, rdev);
	if (err >= 0)
		err = created_inode(dir, dirfd, name, fd, mode, cred, out);
	close(dirfd);
	if (err < 0) {
		if (fd >= 0)
			close(fd);
		return err;
	}
	if (fd >= 0) {
		if (HI(*out)->created_fd >= 0)
			close(HI(*out)->created_fd);
		HI(*out)->created_fd = fd;
	}
	return 0;
}

static int hostfs_mkdir(struct inode *dir, const char *name, mode_t mode, const struct cred *cred)
{
	struct statx stx;
	int dirfd, err;

	if (hostfs_rdonly(dir->sb))
		return -EROFS;
	dirfd = hostfs_open_child_dir(dir, name);
	if (dirfd < 0)
		return dirfd;
	err = mkdirat(dirfd, name, mode & 07777) ? -errno : 0;
	if (!err && !hostfs_statx_at(dirfd, name, &stx)) {
		hostfs_give_to_creator(-1, dirfd, name, cred, &stx);
		hostfs_undo_host_umask(-1, dirfd, name, mode, &stx);
	}
	close(dirfd);
	return err;
}

static int hostfs_symlink(struct inode *dir, const char *name, const char *target,
			  const struct cred *cred)
{
	struct statx stx;
	int dirfd, err;

	if (hostfs_rdonly(dir->sb))
		return -EROFS;
	dirfd = hostfs_open_child_dir(dir, name);
	if (dirfd < 0)
		return dirfd;
	err = symlinkat(target, dirfd, name) ? -errno : 0;
	if (!err && !hostfs_statx_at(dirfd, name, &stx))
		hostfs_give_to_creator(-1, dirfd, name, cred, &stx);
	close(dirfd);
	return err;
}

static int hostfs_link(struct inode *old, struct inode *dir, const char *name)
{
	struct hostfs_loc loc;
	int dirfd, err;

	if (hostfs_rdonly(dir->sb))
		return -EROFS;
	dirfd = hostfs_open_child_dir(dir, name);
	if (dirfd < 0)
		return dirfd;
	if (!HI(old)->path) {
		/* an O_TMPFILE file, or a removed one with links elsewhere (the VFS checked it
		 * may be linked): found by the new name from now on */
		err = hostfs_link_unnamed(old, dirfd, name);
		if (!err)
			hostfs_adopt_path(old, hostfs_child_path(HI(dir)->path, name));
	} else if (!(err = hostfs_locate(old, false, &loc))) {
		err = linkat(loc.dirfd, loc.name, dirfd, name, 0) ? -errno : 0;
		hostfs_loc_done(&loc);
	}
	close(dirfd);
	return err;
}

static int remove_entry(struct inode *dir, const char *name, int flags)
{
	char *path;
	int dirfd, pin, err;

	if (hostfs_rdonly(dir->sb))
		return -EROFS;
	dirfd = hostfs_open_child_dir(dir, name);
	if (dirfd < 0)
		return dirfd;
	path = hostfs_child_path(HI(dir)->path, name);
	pin = hostfs_pin(dir->sb, dirfd, name, path);
	err = unlinkat(dirfd, name, flags) ? -errno : 0;
	close(dirfd);
	if (err) {
		if (pin >= 0)
			close(pin);
	} else {
		hostfs_removed(dir->sb, path, pin);
	}
	free(path);
	return err;
}

static int hostfs_unlink(struct inode *dir, const char *name)
{
	if (hostfs_rdonly(dir->sb))
		return -EROFS;
	if (HSB(dir->sb)->append)
		return -EPERM;  /* hostfs=...,append: files can't be removed */
	return remove_entry(dir, name, 0);
}

static int hostfs_rmdir(struct inode *dir, const char *name)
{
	return remove_entry(dir, name, AT_REMOVEDIR);
}

/* With the append jail a rename may not replace (destroy) an existing file; asking the
 * host for RENAME_NOREPLACE makes that check atomic. */
static int rename_host(struct super_block *sb, int odir, const char *oname, int ndir,
		       const char *nname, unsigned flags)
{
	bool guard = HSB(sb)->append && !(flags & (RENAME_EXCHANGE | RENAME_NOREPLACE));

	if (!renameat2(odir, oname, ndir, nname, flags | (guard ? RENAME_NOREPLACE : 0)))
		return 0;
	if (guard && errno == EEXIST)
		return -EPERM;
	return -errno;
}

static void renamed(struct inode *olddir, const char *oldname, const char *to,
		    unsigned flags, int replaced_fd)
{
	char *from = hostfs_child_path(HI(olddir)->path, oldname);

	hostfs_moved(olddir->sb, from, to, flags & RENAME_EXCHANGE, replaced_fd);
	free(from);
}

static int hostfs_rename(struct inode *olddir, const char *oldname, struct inode *newdir,
			 const char *newname, unsigned flags)
{
	int odir, ndir, pin, err;
	struct statx stx;
	char *to;

	if (hostfs_rdonly(olddir->sb))
		return -EROFS;
	odir = hostfs_open_child_dir(olddir, oldname);
	if (odir < 0)
		return odir;
	ndir = hostfs_open_child_dir(newdir, newname);
	if (ndir < 0) {
		close(odir);
		return ndir;
	}
	to = hostfs_child_path(HI(newdir)->path, newname);
	pin = (flags & RENAME_EXCHANGE) ? -1 : hostfs_pin(newdir->sb, ndir, newname, to);
	err = rename_host(olddir->sb, odir, oldname, ndir, newname, flags);
	/* Renaming one hard link over another of the same file succeeds and changes
	 * nothing: the old name is still there and its inodes stay put. */
	if (!err && ((flags & RENAME_EXCHANGE) || hostfs_statx_at(odir, oldname, &stx)))
		renamed(olddir, oldname, to, flags, pin);
	else if (pin >= 0)
		close(pin);
	free(to);
	close(odir);
	close(ndir);
	return err;
}

long hostfs_readlink(struct inode *inode, char *buf, size_t len)
{
	struct hostfs_loc loc;
	ssize_t n;
	int err = hostfs_locate(inode, false, &loc);

	if (err)
		return err;
	n = readlinkat(loc.dirfd, loc.name, buf, len);
	err = n < 0 ? -errno : 0;
	hostfs_loc_done(&loc);
	return err ? err : n;
}

void hostfs_destroy(struct inode *inode)
{
	struct hostfs_inode *hi = HI(inode);

	if (!hi)
		return;
	list_del_init(&hi->link);
	if (hi->created_fd >= 0)
		close(hi->created_fd);
	if (hi->orphan_fd >= 0)
		close(hi->orphan_fd);
	free(hi->path);
	free(hi);
	inode->priv = NULL;
}

const struct inode_ops hostfs_iops = {
	.lookup = hostfs_lookup,
	.getattr = hostfs_getattr,
	.setattr = hostfs_setattr,
	.create = hostfs_create,
	.mkdir = hostfs_mkdir,
	.symlink = hostfs_symlink,
	.link = hostfs_link,
	.tmpfile = hostfs_tmpfile,
	.unlink = hostfs_unlink,
	.rmdir = hostfs_rmdir,
	.rename = hostfs_rename,
	.readlink = hostfs_readlink,
	.open = hostfs_open,
	.destroy = hostfs_destroy,
};
