/*
 * ext2 rename: the new name is made (or pointed at the moved inode) before the old one
 * goes, as Linux does, so the file always has at least one name; a directory moved to
 * another parent gets its ".." and both parents' link counts fixed. RENAME_EXCHANGE
 * swaps the inodes the two names point at.
 */
#include <stdio.h>      /* RENAME_* */
#include <string.h>
#include "fs/ext2/ext2_int.h"

struct rename_end {
	struct inode *dir;
	const char *name;
	ext2_ino_t ino;       /* 0 when the name does not exist */
	mode_t mode;
};

static int end_init(struct rename_end *e, struct inode *dir, const char *name)
{
	struct ext2_raw_inode raw;
	e->dir = dir;
	e->name = name;
	e->ino = 0;
	e->mode = 0;
	if (strlen(name) > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	int err = ext2_name_ino(dir, name, &e->ino);
	if (err == -ENOENT) {
		e->ino = 0;
		return 0;
	}
	if (!err)
		err = ext2_read_raw(E2FS(dir), e->ino, &raw);
	if (!err)
		e->mode = raw.large.i_mode;
	return err;
}

/* A directory that now lives in newparent: its ".." follows. */
static int reparent(struct inode *oldparent, struct inode *newparent, ext2_ino_t ino)
{
	if (oldparent == newparent)
		return 0;
	int err = ext2_dir_set(E2FS(newparent), ino, "..", (ext2_ino_t)newparent->ino, EXT2_FT_DIR);
	if (!err)
		err = ext2_dir_child_count(oldparent, -1);
	if (!err)
		err = ext2_dir_child_count(newparent, +1);
	return err;
}

static int touch_ctime(struct super_block *sb, ext2_ino_t ino)
{
	struct inode *live = ext2_ifind(sb, ino);
	if (live)
		return ext2_touch(live, 1u << EXT2_CTIME);
	struct ext2_raw_inode raw;
	ext2_filsys fs = E2SB(sb)->fs;
	int err = ext2_read_raw(fs, ino, &raw);
	if (err)
		return err;
	ext2_set_time(fs, &raw, EXT2_CTIME, ext2_now());
	return ext2_write_raw(fs, ino, &raw);
}

static int exchange(struct rename_end *a, struct rename_end *b)
{
	ext2_filsys fs = E2FS(a->dir);
	int err = ext2_dir_set(fs, (ext2_ino_t)b->dir->ino, b->name, a->ino, ext2_file_type(a->mode));
	if (!err)
		err = ext2_dir_set(fs, (ext2_ino_t)a->dir->ino, a->name, b->ino, ext2_file_type(b->mode));
	if (!err && S_ISDIR(a->mode))
		err = reparent(a->dir, b->dir, a->ino);
	if (!err && S_ISDIR(b->mode))
		err = reparent(b->dir, a->dir, b->ino);
	return err;
}

/* from moves to to, replacing what to names (if anything). */
static int move(struct rename_end *from, struct rename_end *to)
{
	ext2_filsys fs = E2FS(from->dir);
	struct super_block *sb = from->dir->sb;
	bool is_dir = S_ISDIR(from->mode), over_dir = to->ino && S_ISDIR(to->mode);
	int err;
	if (over_dir) {
		int empty = ext2_dir_empty(fs, to->ino);
		if (empty <= 0)
			return empty < 0 ? empty : -ENOTEMPTY;
	}
	if (to->ino)
		err = ext2_dir_set(fs, (ext2_ino_t)to->dir->ino, to->name, from->ino, ext2_file_type(from->mode));
	else
		err = ext2_dir_add(fs, (ext2_ino_t)to->dir->ino, to->name, from->ino, ext2_file_type(from->mode));
	if (err)
		return err;
	err = ext2_errno(ext2fs_unlink(fs, (ext2_ino_t)from->dir->ino, from->name, from->ino, 0));
	if (!err && is_dir)
		err = reparent(from->dir, to->dir, from->ino);
	if (!err && over_dir)
		err = ext2_dir_child_count(to->dir, -1);   /* the replaced directory's ".." */
	if (!err && to->ino)
		err = ext2_drop_link(sb, to->ino, over_dir);
	return err;
}

int ext2_rename(struct inode *olddir, const char *oldname, struct inode *newdir,
		const char *newname, unsigned flags)
{
	struct rename_end from, to;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL;
	if (E2I(newdir)->gone || E2I(olddir)->gone)
		return -ENOENT;
	int err = end_init(&from, olddir, oldname);
	if (!err && !from.ino)
		err = -ENOENT;
	if (!err)
		err = end_init(&to, newdir, newname);
	if (err)
		return err;
	if (from.ino == to.ino)
		return 0;   /* two names of one inode: nothing to do, as in Linux */
	if (flags & RENAME_EXCHANGE)
		err = to.ino ? exchange(&from, &to) : -ENOENT;
	else
		err = move(&from, &to);
	if (err)
		return err;
	touch_ctime(olddir->sb, from.ino);
	if (flags & RENAME_EXCHANGE)
		touch_ctime(olddir->sb, to.ino);
	ext2_dir_changed(olddir);
	if (newdir != olddir)
		ext2_dir_changed(newdir);
	return 0;
}
