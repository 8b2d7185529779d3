/*
 * Advice about future file use: fadvise64 and readahead. umlinux keeps no page cache of
 * its own for hostfs (the host's serves), so the advice is checked as Linux checks it
 * and then has nothing to do. coreutils (cat, cp, sort, tar) give POSIX_FADV_SEQUENTIAL.
 */
#include <fcntl.h>
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
