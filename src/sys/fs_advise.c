/*
 * Advice about file data: fadvise64, readahead and sync_file_range. umlinux keeps no
 * page cache of its own for hostfs (the host's serves, and guests share it), so each is
 * checked as Linux checks it and then has nothing to do. coreutils (cat, cp, sort, tar)
 * give POSIX_FADV_SEQUENTIAL; dpkg starts writeback with sync_file_range before its
 * renames. sync_file_range never promised durability: fsync is what writes to disk.
 */
#include <fcntl.h>
#include <limits.h>
#include "fs/vfs.h"
#include "sys/syscalls.h"

SYSCALL(fadvise64)
{
	struct file *f = fd_get(t, (int)a->a[0]);
	long len = (long)a->a[2];
	int advice = (int)a->a[3];
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (f->inode && S_ISFIFO(f->inode->mode))
		return -ESPIPE;   /* pipes and FIFOs, as generic_fadvise */
	if (len < 0)
		return -EINVAL;
	switch (advice) {
	case POSIX_FADV_NORMAL: case POSIX_FADV_RANDOM: case POSIX_FADV_SEQUENTIAL:
	case POSIX_FADV_WILLNEED: case POSIX_FADV_DONTNEED: case POSIX_FADV_NOREUSE:
		return 0;
	default:
		return -EINVAL;
	}
}

SYSCALL(readahead)
{
	struct file *f = fd_get(t, (int)a->a[0]);
	if (!f || !file_may_read(f))
		return -EBADF;
	if (!f->inode || !S_ISREG(f->inode->mode))
		return -EINVAL;
	return 0;
}

#define SYNC_FILE_RANGE_ALL (SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | \
			     SYNC_FILE_RANGE_WAIT_AFTER)

SYSCALL(sync_file_range)
{
	struct file *f = fd_get(t, (int)a->a[0]);
	long off = (long)a->a[1], nbytes = (long)a->a[2];
	unsigned flags = (unsigned)a->a[3];
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (flags & ~SYNC_FILE_RANGE_ALL)
		return -EINVAL;
	if (off < 0 || nbytes < 0 || off > LONG_MAX - nbytes)
		return -EINVAL;
	mode_t m = f->inode ? f->inode->mode : 0;
	if (!S_ISREG(m) && !S_ISBLK(m) && !S_ISDIR(m) && !S_ISLNK(m))
		return -ESPIPE;
	return 0;
}
