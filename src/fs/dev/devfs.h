/*
 * devtmpfs: the in-memory /dev. One tree for the whole kernel (every mount shows it, as
 * Linux's devtmpfs does), filled at boot with the standard nodes; drivers add theirs
 * with devfs_add_node, and root may mknod, mkdir, symlink, rename and unlink in it.
 */
#ifndef UMLINUX_FS_DEV_DEVFS_H
#define UMLINUX_FS_DEV_DEVFS_H

#include <sys/types.h>
#include "fs/vfs.h"

extern const struct fs_type devtmpfs_fs_type;

/* Registers "devtmpfs" and builds the standard nodes (null, zero, tty, pts/, shm/...). */
void devfs_init(void);

/* Creates a node at path (relative to /dev, e.g. "ubda" or "net/tun"), with missing
 * parent directories. mode holds the type (S_IFCHR, S_IFBLK) and permissions. */
int devfs_add_node(const char *path, mode_t mode, dev_t rdev);
int devfs_remove_node(const char *path);

#endif
