/*
 * ext2 directories: readdir positions are byte offsets into the directory (as Linux's
 * for linear directories), entries are added with the directory grown when full, and
 * an existing entry can be pointed at another inode in place (rename over a name).
 */
#include <dirent.h>
#include <string.h>
#include "fs/ext2/ext2_int.h"

struct iter_state {
	struct file *file;
	struct dirent_sink *sink;
	unsigned blocksize;
	uint64_t block;             /* index of the directory block being walked */
	bool started;
	int err;
};

static unsigned dirent_dtype(int ft)
{
	static const unsigned char map[] = {
		[EXT2_FT_REG_FILE] = DT_REG, [EXT2_FT_DIR] = DT_DIR, [EXT2_FT_CHRDEV] = DT_CHR,
		[EXT2_FT_BLKDEV] = DT_BLK, [EXT2_FT_FIFO] = DT_FIFO, [EXT2_FT_SOCK] = DT_SOCK,
		[EXT2_FT_SYMLINK] = DT_LNK,
	};
	return ft > 0 && ft < (int)sizeof(map) ? map[ft] : DT_UNKNOWN;
}

static int iterate_one(ext2_ino_t dir, int entry, struct ext2_dir_entry *d, int offset,
		       int blocksize, char *buf, void *priv)
{
	(void)dir;
	(void)entry;
	(void)buf;
	struct iter_state *s = priv;
	/* every block starts with an entry at offset 0 (empty ones are included) */
	if (offset == 0 && s->started)
		s->block++;
	s->started = true;
	uint64_t pos = s->block * (uint64_t)blocksize + (uint64_t)offset;
	uint64_t next = pos + d->rec_len;
	if (d->inode == 0 || pos < (uint64_t)s->file->pos)
		return 0;
	char name[EXT2_NAME_LEN + 1];
	int len = ext2fs_dirent_name_len(d);
	memcpy(name, d->name, (size_t)len);
	name[len] = 0;
	if (!s->sink->emit(s->sink, name, d->inode, dirent_dtype(ext2fs_dirent_file_type(d)), (off_t)next))
		return DIRENT_ABORT;
	s->file->pos = (off_t)next;
	return 0;
}

static int ext2_iterate(struct file *f, struct dirent_sink *sink)
{
	struct inode *dir = f->inode;
	struct iter_state s = { .file = f, .sink = sink };
	if (E2I(dir)->gone)
		return -ENOENT;
	errcode_t err = ext2fs_dir_iterate2(E2FS(dir), (ext2_ino_t)dir->ino,
					    DIRENT_FLAG_INCLUDE_EMPTY, NULL, iterate_one, &s);
	return ext2_errno(err);
}

static off_t ext2_dir_llseek(struct file *f, off_t off, int whence)
{
	return generic_llseek(f, off, whence, f->inode->size);
}

static ssize_t ext2_dir_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -EISDIR;
}

static int ext2_dir_fsync(struct file *f, bool datasync)
{
	(void)datasync;
	return ext2_sync_fs(f->inode->sb);
}

const struct file_ops ext2_dir_fops = {
	.read = ext2_dir_read,
	.llseek = ext2_dir_llseek,
	.iterate = ext2_iterate,
	.fsync = ext2_dir_fsync,
};

int ext2_dir_add(ext2_filsys fs, ext2_ino_t dir, const char *name, ext2_ino_t ino, int ftype)
{
	errcode_t err = ext2fs_link(fs, dir, name, ino, ftype);
	if (err == EXT2_ET_DIR_NO_SPACE) {
		err = ext2fs_expand_dir(fs, dir);
		if (!err)
			err = ext2fs_link(fs, dir, name, ino, ftype);
	}
	return ext2_errno(err);
}

struct set_state {
	const char *name;
	size_t len;
	ext2_ino_t ino;
	int ftype;
	bool done;
};

static int set_one(ext2_ino_t dir, int entry, struct ext2_dir_entry *d, int offset,
		   int blocksize, char *buf, void *priv)
{
	(void)dir, (void)entry, (void)offset, (void)blocksize, (void)buf;
	struct set_state *s = priv;
	if (!d->inode || (size_t)ext2fs_dirent_name_len(d) != s->len || memcmp(d->name, s->name, s->len))
		return 0;
	d->inode = s->ino;
	if (s->ftype >= 0)
		ext2fs_dirent_set_file_type(d, s->ftype);
	s->done = true;
	return DIRENT_CHANGED | DIRENT_ABORT;
}

int ext2_dir_set(ext2_filsys fs, ext2_ino_t dir, const char *name, ext2_ino_t ino, int ftype)
{
	struct set_state s = { name, strlen(name), ino, ext2fs_has_feature_filetype(fs->super) ? ftype : -1, false };
	errcode_t err = ext2fs_dir_iterate2(fs, dir, 0, NULL, set_one, &s);
	if (err)
		return ext2_errno(err);
	return s.done ? 0 : -ENOENT;
}

static int empty_one(ext2_ino_t dir, int entry, struct ext2_dir_entry *d, int offset,
		     int blocksize, char *buf, void *priv)
{
	(void)dir, (void)d, (void)offset, (void)blocksize, (void)buf;
	if (entry == DIRENT_DOT_FILE || entry == DIRENT_DOT_DOT_FILE)
		return 0;
	*(bool *)priv = false;
	return DIRENT_ABORT;
}

int ext2_dir_empty(ext2_filsys fs, ext2_ino_t dir)
{
	bool empty = true;
	errcode_t err = ext2fs_dir_iterate2(fs, dir, 0, NULL, empty_one, &empty);
	return err ? ext2_errno(err) : empty;
}
