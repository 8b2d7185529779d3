/*
 * ext2 inode objects: one VFS inode per live inode number (the VFS has no dentry cache
 * and finds inodes by lookup on every walk, so the same file must come back as the same
 * object), its attributes copied from the disk inode, and the end of an inode: when its
 * last name goes while it is still open it is only marked, and its blocks and number
 * are freed at the last reference (Linux's orphans, without an on-disk orphan list).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include "fs/ext2/ext2_int.h"

static struct list_head *bucket(struct super_block *sb, ext2_ino_t ino)
{
	return &E2SB(sb)->hash[ino % EXT2_HASH_SIZE];
}

struct inode *ext2_ifind(struct super_block *sb, ext2_ino_t ino)
{
	struct list_head *head = bucket(sb, ino), *p;
	list_for_each(p, head) {
		struct ext2_node *n = list_entry(p, struct ext2_node, link);
		if (n->inode->ino == ino)
			return n->inode;
	}
	return NULL;
}

/* Device numbers in i_block: the old 8:8 form in word 0, or Linux's new form in word 1. */
static dev_t decode_rdev(const struct ext2_inode_large *l)
{
	if (l->i_block[0]) {
		unsigned v = l->i_block[0];
		return makedev((v >> 8) & 0xff, v & 0xff);
	}
	unsigned v = l->i_block[1];
	return makedev((v & 0xfff00) >> 8, (v & 0xff) | ((v >> 12) & 0xfff00));
}

void ext2_fill_vfs(struct inode *i, ext2_filsys fs, const struct ext2_raw_inode *raw)
{
	const struct ext2_inode_large *l = &raw->large;
	struct ext2_node *n = E2I(i);
	i->mode = l->i_mode;
	i->uid = inode_uid(*l);
	i->gid = inode_gid(*l);
	i->nlink = l->i_links_count;
	i->size = (off_t)EXT2_I_SIZE(l);
	i->rdev = (S_ISCHR(l->i_mode) || S_ISBLK(l->i_mode)) ? decode_rdev(l) : 0;
	i->atime = ext2_get_time(fs, raw, EXT2_ATIME);
	i->mtime = ext2_get_time(fs, raw, EXT2_MTIME);
	i->ctime = ext2_get_time(fs, raw, EXT2_CTIME);
	n->btime = ext2_get_time(fs, raw, EXT2_CRTIME);
	n->blocks = ext2fs_get_stat_i_blocks(fs, (struct ext2_inode *)l);
}

int ext2_refresh(struct inode *inode)
{
	struct ext2_raw_inode raw;
	int err = ext2_read_raw(E2FS(inode), (ext2_ino_t)inode->ino, &raw);
	if (!err)
		ext2_fill_vfs(inode, E2FS(inode), &raw);
	return err;
}

static const struct file_ops *fops_for(mode_t mode)
{
	if (S_ISDIR(mode))
		return &ext2_dir_fops;
	if (S_ISREG(mode))
		return &ext2_file_fops;
	return &ext2_special_fops;
}

/* The VFS inode of a disk inode read into raw, entered in the hash. */
static struct inode *inode_make(struct super_block *sb, ext2_ino_t ino,
				const struct ext2_raw_inode *raw)
{
	struct inode *i = inode_new(sb, ino, raw->large.i_mode, &ext2_iops, fops_for(raw->large.i_mode));
	struct ext2_node *n = xcalloc(1, sizeof(*n));
	n->inode = i;
	n->memfd = -1;
	list_init(&n->pin);
	i->priv = n;
	list_add_tail(&n->link, bucket(sb, ino));
	ext2_fill_vfs(i, E2SB(sb)->fs, raw);
	return i;
}

int ext2_iget(struct super_block *sb, ext2_ino_t ino, struct inode **out)
{
	struct inode *i = ext2_ifind(sb, ino);
	if (i) {
		*out = inode_get(i);
		return 0;
	}
	struct ext2_raw_inode raw;
	ext2_filsys fs = E2SB(sb)->fs;
	if (ino < 1 || ino > fs->super->s_inodes_count)
		return -EIO;
	int err = ext2_read_raw(fs, ino, &raw);
	if (err)
		return err;
	if (raw.large.i_links_count == 0 || raw.large.i_mode == 0)
		return -EIO;   /* a directory entry names a free inode: the disk needs fsck */
	*out = inode_make(sb, ino, &raw);
	return 0;
}

struct inode *ext2_iget_unlinked(struct super_block *sb, ext2_ino_t ino,
				 const struct ext2_raw_inode *raw)
{
	struct inode *i = inode_make(sb, ino, raw);
	E2I(i)->gone = true;
	i->dead = true;
	return i;
}

int ext2_free_inode(ext2_filsys fs, ext2_ino_t ino)
{
	struct ext2_raw_inode raw;
	int err = ext2_read_raw(fs, ino, &raw);
	if (err)
		return err;
	struct ext2_inode *small = (struct ext2_inode *)&raw.large;
	bool dir = LINUX_S_ISDIR(raw.large.i_mode);
	if (ext2fs_inode_has_valid_blocks2(fs, small)) {
		ext2_free_begin(fs);
		err = ext2_errno(ext2fs_punch(fs, ino, small, NULL, 0, ~0ULL));
		ext2_free_end(fs);
		if (err)
			return err;
	}
	if (ext2fs_file_acl_block(fs, small)) {
		err = ext2_errno(ext2fs_free_ext_attr(fs, ino, &raw.large));
		if (err)
			return err;
	}
	raw.large.i_links_count = 0;
	raw.large.i_dtime = (__u32)ext2_now().tv_sec;
	err = ext2_write_raw(fs, ino, &raw);
	if (err)
		return err;
	ext2fs_inode_alloc_stats2(fs, ino, -1, dir);
	return 0;
}

int ext2_drop_link(struct super_block *sb, ext2_ino_t ino, bool is_dir)
{
	ext2_filsys fs = E2SB(sb)->fs;
	struct ext2_raw_inode raw;
	int err = ext2_read_raw(fs, ino, &raw);
	if (err)
		return err;
	/* a directory loses its name and its own "." at once */
	if (is_dir || raw.large.i_links_count <= 1)
		raw.large.i_links_count = 0;
	else
		raw.large.i_links_count--;
	ext2_set_time(fs, &raw, EXT2_CTIME, ext2_now());
	err = ext2_write_raw(fs, ino, &raw);
	if (err)
		return err;
	struct inode *live = ext2_ifind(sb, ino);
	if (live)
		ext2_fill_vfs(live, fs, &raw);
	if (raw.large.i_links_count)
		return 0;
	if (live) {
		E2I(live)->gone = true;
		live->dead = true;
		ext2_pagecache_drop(live);
		return 0;
	}
	return ext2_free_inode(fs, ino);
}

void ext2_destroy(struct inode *inode)
{
	struct ext2_node *n = E2I(inode);
	if (!n)
		return;
	ext2_pagecache_drop(inode);
	list_del_init(&n->link);
	if (n->gone && E2SB(inode->sb)->fs)
		ext2_free_inode(E2FS(inode), (ext2_ino_t)inode->ino);
	free(n);
	inode->priv = NULL;
}
