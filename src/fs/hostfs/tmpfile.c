/*
 * O_TMPFILE on hostfs: the host makes the unnamed file (its own O_TMPFILE, in the host
 * directory), and the inode keeps that descriptor, the only way to the file. Giving it
 * a name later is a host link of the descriptor through /proc/self/fd, which needs no
 * privilege where linkat's AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "fs/hostfs/hostfs_int.h"

/* The host file, open read-write whatever the guest asked: the guest's own open then
 * reopens it (through /proc/self/fd) with its access mode. */
static int host_tmpfile(struct super_block *sb, int dirfd, mode_t mode)
{
	int flags = O_TMPFILE | O_RDWR | O_CLOEXEC;
	int fd;

	if (sb->flags & MS_SYNCHRONOUS)
		flags |= O_SYNC;
	do
		fd = openat(dirfd, ".", flags, mode & 07777);
	while (fd < 0 && errno == EINTR);
	if (fd >= 0)
		return fd;
	/* a host filesystem without O_TMPFILE (old kernels answer EISDIR) */
	return errno == EISDIR || errno == EOPNOTSUPP ? -EOPNOTSUPP : -errno;
}

int hostfs_tmpfile(struct inode *dir, mode_t mode, const struct cred *cred, struct inode **out)
{
	struct statx stx;
	int dirfd, fd, err;

	if (hostfs_rdonly(dir->sb))
		return -EROFS;
	if (!HI(dir)->path)
		return -ENOENT;
	dirfd = hostfs_open_dir(dir->sb, HI(dir)->path);
	if (dirfd < 0)
		return dirfd;
	fd = host_tmpfile(dir->sb, dirfd, mode);
	err = fd < 0 ? fd : hostfs_statx_at(fd, "", &stx);
	if (!err) {
		hostfs_give_to_creator(fd, dirfd, "", cred, &stx);
		hostfs_undo_host_umask(fd, dirfd, "", mode, &stx);
		err = hostfs_inode_unnamed(dir->sb, fd, &stx, out);
	}
	close(dirfd);
	if (err && fd >= 0)
		close(fd);
	if (err)
		return err;
	/* for the guest's first open, whatever the mode allows (as create's descriptor) */
	HI(*out)->created_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	return 0;
}

/* A host link of a file that has no path but a descriptor (an O_TMPFILE file, or a
 * removed one that still has links elsewhere), to name in dirfd. */
int hostfs_link_unnamed(struct inode *old, int dirfd, const char *name)
{
	int held = hostfs_held_fd(old);
	char link[64];

	if (held < 0)
		return -ENOENT;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", held);
	return linkat(AT_FDCWD, link, dirfd, name, AT_SYMLINK_FOLLOW) ? -errno : 0;
}
