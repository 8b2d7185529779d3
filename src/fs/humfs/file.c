/*
 * humfs open files: hostfs's, with writes held to the superblock's total (a write that
 * would pass it is shortened, or fails with ENOSPC) and what the host allocates charged
 * to "used". Directory listings leave a file's type to stat unless the data file's own
 * type is certain: a host regular file may be a guest device or socket.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include "fs/humfs/humfs_int.h"

struct file_ops humfs_fops_table, humfs_dir_fops_table;

static ssize_t humfs_write(struct file *f, const char *buf, size_t len, off_t *pos)
{
	struct super_block *sb = f->inode->sb;
	struct statx stx;
	int64_t before;
	ssize_t n;

	if (hostfs_statx_at(f->host_fd, "", &stx))
		return hostfs_fops.write(f, buf, len, pos);
	before = (int64_t)stx.stx_blocks * 512;
	if (len) {
		uint64_t size = stx.stx_size, room = humfs_free_bytes(sb);
		uint64_t start = (f->flags & O_APPEND) ? size : (uint64_t)*pos;
		uint64_t end = start + len;
		uint64_t grow = end > size ? end - (start > size ? start : size) : 0;
		if (grow > room) {
			if (grow - room >= len)
				return -ENOSPC;
			len -= grow - room;
		}
	}
	n = hostfs_fops.write(f, buf, len, pos);
	humfs_charge(sb, humfs_host_bytes(f->host_fd, "") - before);
	return n;
}

static int humfs_truncate(struct file *f, off_t size)
{
	int64_t before = humfs_host_bytes(f->host_fd, "");
	int err = hostfs_fops.truncate(f, size);

	humfs_charge(f->inode->sb, humfs_host_bytes(f->host_fd, "") - before);
	return err;
}

static int humfs_fallocate(struct file *f, int mode, off_t off, off_t len)
{
	int64_t before = humfs_host_bytes(f->host_fd, "");
	int err;

	if (!(mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE)) &&
	    (uint64_t)len > humfs_free_bytes(f->inode->sb))
		return -ENOSPC;
	err = hostfs_fops.fallocate(f, mode, off, len);
	humfs_charge(f->inode->sb, humfs_host_bytes(f->host_fd, "") - before);
	return err;
}

struct typing_sink {
	struct dirent_sink sink;
	struct dirent_sink *inner;
};

static bool emit_typed(struct dirent_sink *s, const char *name, uint64_t ino, unsigned type,
		       off_t next)
{
	struct typing_sink *ts = (struct typing_sink *)((char *)s - offsetof(struct typing_sink, sink));

	/* Directories and symlinks are what the host says; anything else may be a
	 * device or socket in its metadata. */
	if (type != DT_DIR && type != DT_LNK)
		type = DT_UNKNOWN;
	return ts->inner->emit(ts->inner, name, ino, type, next);
}

static int humfs_iterate(struct file *f, struct dirent_sink *sink)
{
	struct typing_sink ts = { .sink = { .emit = emit_typed }, .inner = sink };

	return hostfs_dir_fops.iterate(f, &ts.sink);
}

/* hostfs's tables with humfs's changes; filled once at registration. */
void humfs_init_fops(void)
{
	humfs_fops_table = hostfs_fops;
	humfs_fops_table.write = humfs_write;
	humfs_fops_table.truncate = humfs_truncate;
	humfs_fops_table.fallocate = humfs_fallocate;
	humfs_dir_fops_table = hostfs_dir_fops;
	humfs_dir_fops_table.iterate = humfs_iterate;
}
