/*
 * preadv2/pwritev2's RWF_* flags: Linux's checks (kiocb_set_rw_flags, and the plain
 * ->read/->write path that takes only RWF_HIPRI), then each flag as what it stands for
 * during the one call: RWF_APPEND and RWF_NOAPPEND set and clear O_APPEND, RWF_NOWAIT
 * is O_NONBLOCK, RWF_NOSIGNAL is MSG_NOSIGNAL for pipes and sockets, and RWF_DSYNC and
 * RWF_SYNC sync what a write wrote. RWF_HIPRI asks for polled direct I/O, which there is
 * none of: nothing to do.
 */
#include <sys/uio.h>
#include "fs/vfs.h"
#include "sys/syscalls.h"

#ifndef RWF_ATOMIC
#define RWF_ATOMIC 0x40      /* Linux 6.11, newer than the build host's headers may be */
#endif
#ifndef RWF_DONTCACHE
#define RWF_DONTCACHE 0x80   /* Linux 6.14 */
#endif
#ifndef RWF_NOSIGNAL
#define RWF_NOSIGNAL 0x100   /* Linux 6.18 */
#endif
#define RWF_KNOWN (RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND | RWF_NOAPPEND | \
		   RWF_ATOMIC | RWF_DONTCACHE | RWF_NOSIGNAL)

long rwf_check(struct file *f, int rwf, bool wr)
{
	if (!rwf)
		return 0;
	unsigned caps = f->fops ? f->fops->rwf : 0;
	bool none = (f->inode && S_ISDIR(f->inode->mode)) ||
		    (caps & (wr ? FOP_RWF_WRITE_NONE : FOP_RWF_READ_NONE));
	if (none)
		return (rwf & ~RWF_HIPRI) ? -EOPNOTSUPP : 0;
	if (rwf & ~RWF_KNOWN)
		return -EOPNOTSUPP;
	if ((rwf & RWF_APPEND) && (rwf & RWF_NOAPPEND))
		return -EINVAL;
	if ((rwf & RWF_NOWAIT) && !(caps & (wr ? FOP_RWF_NOWAIT_WRITE : FOP_RWF_NOWAIT_READ)))
		return -EOPNOTSUPP;
	/* no file here takes untorn writes or uncached buffered I/O */
	if (rwf & (RWF_ATOMIC | RWF_DONTCACHE))
		return -EOPNOTSUPP;
	return 0;
}

/* The call is the only thing the kernel does meanwhile, so no one else sees these. */
unsigned rwf_begin(struct task *t, struct file *f, int rwf)
{
	unsigned saved = f->flags;
	if (rwf & RWF_APPEND)
		f->flags |= O_APPEND;
	if (rwf & RWF_NOAPPEND)
		f->flags &= ~(unsigned)O_APPEND;
	if (rwf & RWF_NOWAIT)
		f->flags |= O_NONBLOCK;
	t->no_sigpipe = rwf & RWF_NOSIGNAL;
	return saved;
}

void rwf_end(struct task *t, struct file *f, unsigned saved)
{
	f->flags = saved;
	t->no_sigpipe = false;
}

/* Linux's generic_write_sync: only files with data of their own (regular files, disks)
 * sync, and a failed sync is the write's error. */
long rwf_sync(struct file *f, int rwf, long written)
{
	if (written <= 0 || !(rwf & (RWF_DSYNC | RWF_SYNC)) || !f->inode ||
	    !(S_ISREG(f->inode->mode) || S_ISBLK(f->inode->mode)) || !f->fops || !f->fops->fsync)
		return written;
	int err = f->fops->fsync(f, !(rwf & RWF_SYNC));
	return err < 0 ? err : written;
}
