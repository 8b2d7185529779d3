/*
 * memfd_create's files and file seals. A memfd is a tmpfs file on an instance mounted
 * nowhere (Linux's shm_mnt), born without a name: its dentry "memfd:NAME" hangs under
 * that instance's root, so /proc shows "/memfd:NAME (deleted)" as Linux does.
 *
 * Seals are the host memfd's own, made sealable for MFD_ALLOW_SEALING files only: the
 * host then refuses writes, growth and shrinking (EPERM) and writable shared mappings
 * (EPERM, or EBUSY when sealing), mappings included, which this kernel never sees.
 * Every other tmpfs file answers F_SEAL_SEAL, as Linux's shmem files do.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "fs/tmpfs/tmpfs_int.h"

static struct mount *memfd_mnt;

#define MEMFD_PREFIX "memfd:"

int tmpfs_memfd_create(const char *name, unsigned mfd_flags, const struct cred *cred,
		       struct file **out)
{
	if (!memfd_mnt) {
		int err = vfs_kern_mount("tmpfs", "size=0,nr_inodes=0", &memfd_mnt);   /* unlimited */
		if (err < 0)
			return err;
	}
	mode_t mode = S_IFREG | ((mfd_flags & MFD_NOEXEC_SEAL) ? 0666 : 0777);
	struct inode *inode;
	int err = tmpfs_inode_new(memfd_mnt->sb, NULL, mode, 0, cred, &inode);
	if (err < 0)
		return err;
	struct tmpfs_inode *ti = TI(inode);
	ti->sealable = mfd_flags & (MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL);
	ti->seal_exec = mfd_flags & MFD_NOEXEC_SEAL;
	inode->nlink = 0;
	inode->dead = true;
	inode->atime = inode->mtime = inode->ctime = tmpfs_now();

	char *dname = xcalloc(1, sizeof(MEMFD_PREFIX) + strlen(name));
	strcpy(dname, MEMFD_PREFIX);
	strcat(dname, name);
	struct path p = { memfd_mnt, dentry_new(dname, memfd_mnt->root, inode) };
	free(dname);
	memfd_mnt->refcount++;
	struct file *f = file_new(&p, O_RDWR | KERNEL_O_LARGEFILE);
	f->fops = inode->fops;
	*out = f;
	return 0;
}

long tmpfs_seals(struct file *f, bool add, unsigned seals)
{
	struct inode *i = f->inode;
	struct tmpfs_inode *ti = TI(i);
	int fd = ti->memfd;
	if (add && ti->sealable && fd < 0 && (fd = tmpfs_memfd(i)) < 0)
		return fd;
	/* until there is a host memfd: what the one tmpfs_memfd makes will say */
	unsigned now = ti->sealable ? 0 : F_SEAL_SEAL;
	if (fd >= 0) {
		int host = fcntl(fd, F_GET_SEALS);
		if (host < 0)
			return -errno;
		now = (unsigned)host & ~(unsigned)F_SEAL_EXEC;   /* ours, whatever the host's says */
	}
	if (ti->seal_exec)
		now |= F_SEAL_EXEC;
	if (!add)
		return now;
	if (now & F_SEAL_SEAL)
		return -EPERM;
	/* Linux 6.3+: sealing an executable file against exec makes it W^X from then on */
	if ((seals & F_SEAL_EXEC) && (i->mode & 0111))
		seals |= F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE;
	unsigned host_seals = seals & ~(unsigned)F_SEAL_EXEC;
	if (host_seals && fcntl(fd, F_ADD_SEALS, host_seals) < 0)
		return -errno;
	if (seals & F_SEAL_EXEC)
		ti->seal_exec = true;
	return 0;
}
