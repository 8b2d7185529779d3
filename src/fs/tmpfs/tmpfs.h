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
#endif
