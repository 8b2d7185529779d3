/*
 * tmpfs: the in-memory filesystem of /tmp, /run and /dev/shm. Each mount is an
 * instance of its own, bounded by size= and nr_inodes=; ownership and modes are the
 * guest's, and each regular file's bytes live in a host memfd, so read, write, mmap
 * and exec all see the same pages.
 */
#ifndef UMLINUX_FS_TMPFS_H
#define UMLINUX_FS_TMPFS_H
#include "fs/vfs.h"

extern const struct fs_type tmpfs_fs_type;

/* Registers "tmpfs" (and "ramfs", which mounts the same filesystem). */
void tmpfs_init(void);

/* Linux 6.3's, newer than the build host's uapi headers may be */
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#define MFD_EXEC        0x0010U
#endif

/* memfd_create's file (flags checked by the caller): an unnamed tmpfs file of cred,
 * read-write, which /proc names "/memfd:NAME (deleted)". */
int tmpfs_memfd_create(const char *name, unsigned mfd_flags, const struct cred *cred,
		       struct file **out);
#endif
