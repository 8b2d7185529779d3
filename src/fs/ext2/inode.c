/* ext2 inode operations: lookup, attributes and symlink targets (the name-changing
 * operations are in namei.c and rename.c). */
#include <string.h>
#include "fs/ext2/ext2_int.h"

static int ext2_lookup(struct inode *dir, const char *name, struct inode **out)
{
	ext2_ino_t ino;
	size_t len = strlen(name);
	if (E2I(dir)->gone)
		return -ENOENT;   /* a removed directory has no entries, as in Linux */
	if (len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	errcode_t err = ext2fs_lookup(E2FS(dir), (ext2_ino_t)dir->ino, name, (int)len, NULL, &ino);
	if (err)
		return err == EXT2_ET_FILE_NOT_FOUND ? -ENOENT : ext2_errno(err);
	return ext2_iget(dir->sb, ino, out);
}

static int ext2_getattr(struct inode *i, struct kstat *st)
{
	st->ino = i->ino;
	st->dev = i->sb->dev;
	st->mode = i->mode;
	st->nlink = i->nlink;
	st->uid = i->uid;
	st->gid = i->gid;
	st->rdev = i->rdev;
	st->size = i->size;
	st->blksize = (blksize_t)E2FS(i)->blocksize;
	st->blocks = (blkcnt_t)E2I(i)->blocks;
	st->atime = i->atime;
	st->mtime = i->mtime;
	st->ctime = i->ctime;
	st->btime = E2I(i)->btime;
	return 0;
}

/* uid/gid, mode and times (the checks were the VFS's); a size change goes first. */
static int ext2_setattr(struct inode *i, const struct iattr *a)
{
	ext2_filsys fs = E2FS(i);
	struct ext2_raw_inode raw;
	struct timespec now = ext2_now();
	int err;
	if (a->valid & ATTR_SIZE) {
		if (S_ISDIR(i->mode))
			return -EISDIR;
		if (!S_ISREG(i->mode))
			return -EINVAL;
		err = ext2_set_size(i, (uint64_t)a->size);
		if (err)
			return err;
	}
	err = ext2_read_raw(fs, (ext2_ino_t)i->ino, &raw);
	if (err)
		return err;
	struct ext2_inode_large *l = &raw.large;
	if (a->valid & ATTR_MODE)
		l->i_mode = (__u16)((l->i_mode & S_IFMT) | (a->mode & 07777));
	if (a->valid & ATTR_UID) {
		l->i_uid = (__u16)a->uid;
		ext2fs_set_i_uid_high(*l, a->uid >> 16);
	}
	if (a->valid & ATTR_GID) {
		l->i_gid = (__u16)a->gid;
		ext2fs_set_i_gid_high(*l, a->gid >> 16);
	}
	if (a->valid & (ATTR_ATIME | ATTR_ATIME_NOW))
		ext2_set_time(fs, &raw, EXT2_ATIME, (a->valid & ATTR_ATIME_NOW) ? now : a->atime);
	if (a->valid & (ATTR_MTIME | ATTR_MTIME_NOW))
		ext2_set_time(fs, &raw, EXT2_MTIME, (a->valid & ATTR_MTIME_NOW) ? now : a->mtime);
	else if (a->valid & ATTR_SIZE)
		ext2_set_time(fs, &raw, EXT2_MTIME, now);   /* truncate stamps even an unchanged size */
	ext2_set_time(fs, &raw, EXT2_CTIME, now);
	err = ext2_write_raw(fs, (ext2_ino_t)i->ino, &raw);
	if (!err)
		ext2_fill_vfs(i, fs, &raw);
	return err;
}

static long ext2_readlink(struct inode *i, char *buf, size_t len)
{
	ext2_filsys fs = E2FS(i);
	struct ext2_raw_inode raw;
	if (!S_ISLNK(i->mode))
		return -EINVAL;
	int err = ext2_read_raw(fs, (ext2_ino_t)i->ino, &raw);
	if (err)
		return err;
	uint64_t size = EXT2_I_SIZE(&raw.large);
	if (size >= fs->blocksize || size >= PATH_MAX)
		return -EIO;   /* no symlink is that long: the inode is damaged */
	size_t n = size < len ? (size_t)size : len;
	struct ext2_inode *small = (struct ext2_inode *)&raw.large;
	if (ext2fs_is_fast_symlink(small)) {
		memcpy(buf, small->i_block, n);
		return (long)n;
	}
	if (small->i_flags & EXT4_INLINE_DATA_FL) {
		char tmp[EXT2_N_BLOCKS * 4 + 256];
		size_t got = sizeof(tmp);
		err = ext2_errno(ext2fs_inline_data_get(fs, (ext2_ino_t)i->ino, small, tmp, &got));
		if (err)
			return err;
		memcpy(buf, tmp, n < got ? n : got);
		return (long)(n < got ? n : got);
	}
	ssize_t got = ext2_read_data(i, buf, n, 0);
	return got < 0 ? got : (long)got;
}

/* Declared in namei.c and rename.c. */
int ext2_create(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
		const struct cred *cred, struct inode **out);
int ext2_mkdir(struct inode *dir, const char *name, mode_t mode, const struct cred *cred);
int ext2_symlink(struct inode *dir, const char *name, const char *target, const struct cred *cred);
int ext2_link(struct inode *old, struct inode *dir, const char *name);
int ext2_tmpfile(struct inode *dir, mode_t mode, const struct cred *cred, struct inode **out);
int ext2_unlink(struct inode *dir, const char *name);
int ext2_rmdir(struct inode *dir, const char *name);
int ext2_rename(struct inode *olddir, const char *oldname, struct inode *newdir,
		const char *newname, unsigned flags);

const struct inode_ops ext2_iops = {
	.lookup = ext2_lookup,
	.getattr = ext2_getattr,
	.setattr = ext2_setattr,
	.create = ext2_create,
	.mkdir = ext2_mkdir,
	.symlink = ext2_symlink,
	.link = ext2_link,
	.tmpfile = ext2_tmpfile,
	.unlink = ext2_unlink,
	.rmdir = ext2_rmdir,
	.rename = ext2_rename,
	.readlink = ext2_readlink,
	.open = ext2_open,
	.destroy = ext2_destroy,
	.sync_mapping = ext2_sync_inode,
};
