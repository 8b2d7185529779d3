/*
 * ext2 name operations: create (files, devices, FIFOs, sockets), mkdir, symlink, link,
 * unlink and rmdir. The VFS has made Linux's checks; what is left is the on-disk work,
 * done so that an error part-way leaves no name pointing at a free inode.
 */
#include <string.h>
#include <sys/sysmacros.h>
#include "fs/ext2/ext2_int.h"

int ext2_dir_changed(struct inode *dir)
{
	return ext2_touch(dir, (1u << EXT2_MTIME) | (1u << EXT2_CTIME));
}

/* Linux's encodings of a device number in i_block (old 8:8 when it fits). */
static void encode_rdev(struct ext2_inode_large *l, dev_t rdev)
{
	unsigned ma = major(rdev), mi = minor(rdev);
	if (ma < 256 && mi < 256)
		l->i_block[0] = (ma << 8) | mi;
	else
		l->i_block[1] = (mi & 0xff) | (ma << 8) | ((mi & ~0xffu) << 12);
}

/* The new inode's on-disk form: owner, mode, times, and an empty extent tree for the
 * types that have data when the filesystem uses extents. */
static void init_raw(ext2_filsys fs, struct ext2_raw_inode *raw, mode_t mode, uid_t uid,
		     gid_t gid, dev_t rdev)
{
	struct ext2_inode_large *l = &raw->large;
	struct timespec now = ext2_now();
	memset(raw, 0, sizeof(*raw));
	l->i_mode = (__u16)mode;
	l->i_uid = (__u16)uid;
	ext2fs_set_i_uid_high(*l, uid >> 16);
	l->i_gid = (__u16)gid;
	ext2fs_set_i_gid_high(*l, gid >> 16);
	l->i_links_count = 1;
	if (EXT2_INODE_SIZE(fs->super) > EXT2_GOOD_OLD_INODE_SIZE)
		l->i_extra_isize = sizeof(struct ext2_inode_large) - EXT2_GOOD_OLD_INODE_SIZE;
	for (int t = EXT2_ATIME; t <= EXT2_CRTIME; t++)
		ext2_set_time(fs, raw, (enum ext2_time)t, now);
	if (S_ISCHR(mode) || S_ISBLK(mode)) {
		encode_rdev(l, rdev);
	} else if ((S_ISREG(mode) || S_ISDIR(mode)) && ext2fs_has_feature_extents(fs->super)) {
		ext2_extent_handle_t h;
		if (ext2fs_extent_open2(fs, 0, (struct ext2_inode *)l, &h) == 0)
			ext2fs_extent_free(h);
	}
}

/* A new inode, allocated near dir and written: links is 1, or 0 for O_TMPFILE. */
static int new_inode(struct inode *dir, mode_t mode, dev_t rdev, const struct cred *cred,
		     unsigned links, struct ext2_raw_inode *raw, ext2_ino_t *ino)
{
	ext2_filsys fs = E2FS(dir);
	uid_t uid;
	gid_t gid;
	vfs_init_owner(dir, &mode, cred, &uid, &gid);
	int err = ext2_errno(ext2fs_new_inode(fs, (ext2_ino_t)dir->ino, (int)mode, NULL, ino));
	if (err)
		return err;
	init_raw(fs, raw, mode, uid, gid, rdev);
	raw->large.i_links_count = (__u16)links;
	err = ext2_write_raw(fs, *ino, raw);
	if (err)
		return err;
	ext2fs_inode_alloc_stats2(fs, *ino, +1, 0);
	return 0;
}

int ext2_create(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
		const struct cred *cred, struct inode **out)
{
	if (E2I(dir)->gone)
		return -ENOENT;   /* nothing is made in a removed directory */
	ext2_filsys fs = E2FS(dir);
	struct ext2_raw_inode raw;
	ext2_ino_t ino;
	if (strlen(name) > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	int err = new_inode(dir, mode, rdev, cred, 1, &raw, &ino);
	if (err)
		return err;
	err = ext2_dir_add(fs, (ext2_ino_t)dir->ino, name, ino, ext2_file_type(mode));
	if (err) {
		ext2_free_inode(fs, ino);
		return err;
	}
	ext2_dir_changed(dir);
	return ext2_iget(dir->sb, ino, out);
}

/* O_TMPFILE: an inode with no link, freed at the last close unless linked (Linux puts
 * it on the orphan list; here, as for removed open files, after a crash e2fsck does). */
int ext2_tmpfile(struct inode *dir, mode_t mode, const struct cred *cred, struct inode **out)
{
	if (E2I(dir)->gone)
		return -ENOENT;
	struct ext2_raw_inode raw;
	ext2_ino_t ino;
	int err = new_inode(dir, S_IFREG | (mode & 07777), 0, cred, 0, &raw, &ino);
	if (err)
		return err;
	*out = ext2_iget_unlinked(dir->sb, ino, &raw);
	return 0;
}

int ext2_name_ino(struct inode *dir, const char *name, ext2_ino_t *ino)
{
	errcode_t err = ext2fs_lookup(E2FS(dir), (ext2_ino_t)dir->ino, name, (int)strlen(name), NULL, ino);
	return err == EXT2_ET_FILE_NOT_FOUND ? -ENOENT : ext2_errno(err);
}

/* Owner, mode and times of an inode libext2fs made (it makes them root's, 0777/0755). */
static int set_new_owner(struct inode *dir, ext2_ino_t ino, mode_t mode, const struct cred *cred)
{
	ext2_filsys fs = E2FS(dir);
	struct ext2_raw_inode raw;
	uid_t uid;
	gid_t gid;
	struct timespec now = ext2_now();
	vfs_init_owner(dir, &mode, cred, &uid, &gid);
	int err = ext2_read_raw(fs, ino, &raw);
	if (err)
		return err;
	struct ext2_inode_large *l = &raw.large;
	l->i_mode = (__u16)((l->i_mode & S_IFMT) | (mode & 07777));
	l->i_uid = (__u16)uid;
	ext2fs_set_i_uid_high(*l, uid >> 16);
	l->i_gid = (__u16)gid;
	ext2fs_set_i_gid_high(*l, gid >> 16);
	for (int t = EXT2_ATIME; t <= EXT2_CRTIME; t++)
		ext2_set_time(fs, &raw, (enum ext2_time)t, now);
	return ext2_write_raw(fs, ino, &raw);
}

/* libext2fs's mkdir and symlink give up when the parent is full: grow it and retry. */
static errcode_t retry_full(ext2_filsys fs, ext2_ino_t dir, errcode_t err)
{
	return err == EXT2_ET_DIR_NO_SPACE ? ext2fs_expand_dir(fs, dir) : err;
}

int ext2_mkdir(struct inode *dir, const char *name, mode_t mode, const struct cred *cred)
{
	if (E2I(dir)->gone)
		return -ENOENT;   /* nothing is made in a removed directory */
	ext2_filsys fs = E2FS(dir);
	ext2_ino_t parent = (ext2_ino_t)dir->ino, ino;
	if (strlen(name) > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	errcode_t e = ext2fs_mkdir(fs, parent, 0, name);
	if (e == EXT2_ET_DIR_NO_SPACE && retry_full(fs, parent, e) == 0)
		e = ext2fs_mkdir(fs, parent, 0, name);
	int err = ext2_errno(e);
	if (!err)
		err = ext2_name_ino(dir, name, &ino);
	if (!err)
		err = set_new_owner(dir, ino, S_IFDIR | mode, cred);
	if (!err)
		err = ext2_dir_changed(dir);
	return err;
}

int ext2_symlink(struct inode *dir, const char *name, const char *target, const struct cred *cred)
{
	if (E2I(dir)->gone)
		return -ENOENT;   /* nothing is made in a removed directory */
	ext2_filsys fs = E2FS(dir);
	ext2_ino_t parent = (ext2_ino_t)dir->ino, ino;
	size_t tlen = strlen(target);
	if (strlen(name) > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	if (tlen >= fs->blocksize || tlen >= PATH_MAX)
		return -ENAMETOOLONG;
	errcode_t e = ext2fs_symlink(fs, parent, 0, name, target);
	if (e == EXT2_ET_DIR_NO_SPACE && retry_full(fs, parent, e) == 0)
		e = ext2fs_symlink(fs, parent, 0, name, target);
	int err = ext2_errno(e);
	if (!err)
		err = ext2_name_ino(dir, name, &ino);
	if (!err)
		err = set_new_owner(dir, ino, S_IFLNK | 0777, cred);
	if (!err)
		err = ext2_dir_changed(dir);
	return err;
}

int ext2_link(struct inode *old, struct inode *dir, const char *name)
{
	if (E2I(dir)->gone)
		return -ENOENT;   /* nothing is made in a removed directory */
	ext2_filsys fs = E2FS(dir);
	struct ext2_raw_inode raw;
	if (strlen(name) > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	int err = ext2_read_raw(fs, (ext2_ino_t)old->ino, &raw);
	if (err)
		return err;
	if (raw.large.i_links_count >= EXT2_LINK_MAX)
		return -EMLINK;
	err = ext2_dir_add(fs, (ext2_ino_t)dir->ino, name, (ext2_ino_t)old->ino, ext2_file_type(old->mode));
	if (err)
		return err;
	raw.large.i_links_count++;
	ext2_set_time(fs, &raw, EXT2_CTIME, ext2_now());
	err = ext2_write_raw(fs, (ext2_ino_t)old->ino, &raw);
	if (err)
		return err;
	ext2_fill_vfs(old, fs, &raw);
	if (E2I(old)->gone) {   /* an O_TMPFILE file: kept from now on */
		E2I(old)->gone = false;
		old->dead = false;
	}
	return ext2_dir_changed(dir);
}

int ext2_unlink(struct inode *dir, const char *name)
{
	ext2_filsys fs = E2FS(dir);
	ext2_ino_t ino;
	int err = ext2_name_ino(dir, name, &ino);
	if (err)
		return err;
	err = ext2_errno(ext2fs_unlink(fs, (ext2_ino_t)dir->ino, name, ino, 0));
	if (err)
		return err;
	ext2_dir_changed(dir);
	return ext2_drop_link(dir->sb, ino, false);
}

/* One subdirectory more or fewer: a subdirectory's ".." is a link to dir. With
 * dir_nlink, a count past EXT2_LINK_MAX is kept as 1, meaning "many". */
int ext2_dir_child_count(struct inode *dir, int delta)
{
	ext2_filsys fs = E2FS(dir);
	struct ext2_raw_inode raw;
	int err = ext2_read_raw(fs, (ext2_ino_t)dir->ino, &raw);
	if (err)
		return err;
	__u16 *n = &raw.large.i_links_count;
	if (delta < 0 && *n > 2)
		(*n)--;
	else if (delta > 0 && *n != 1)
		*n = (*n + 1 >= EXT2_LINK_MAX && ext2fs_has_feature_dir_nlink(fs->super)) ? 1 : *n + 1;
	err = ext2_write_raw(fs, (ext2_ino_t)dir->ino, &raw);
	if (!err)
		ext2_fill_vfs(dir, fs, &raw);
	return err;
}

int ext2_rmdir(struct inode *dir, const char *name)
{
	ext2_filsys fs = E2FS(dir);
	ext2_ino_t ino;
	int err = ext2_name_ino(dir, name, &ino);
	if (err)
		return err;
	int empty = ext2_dir_empty(fs, ino);
	if (empty <= 0)
		return empty < 0 ? empty : -ENOTEMPTY;
	err = ext2_errno(ext2fs_unlink(fs, (ext2_ino_t)dir->ino, name, ino, 0));
	if (err)
		return err;
	ext2_dir_child_count(dir, -1);
	ext2_dir_changed(dir);
	return ext2_drop_link(dir->sb, ino, true);
}
