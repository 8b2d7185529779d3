/*
 * humfs: a host directory tree whose files keep guest ownership, permissions and types
 * in metadata files beside it (UML's shadow_fs v2 layout: data/, file_metadata/,
 * dir_metadata/, superblock), so an unprivileged host user can hold root-owned files,
 * device nodes and set-id programs. Built on hostfs, which serves the data/ tree.
 */
#ifndef UMLINUX_FS_HUMFS_H
#define UMLINUX_FS_HUMFS_H

#include "fs/vfs.h"

/* UML's humfs came with hostfs in its externfs patches and no magic number of its own
 * is on record, so statfs reports hostfs's: programs that check the type (coreutils'
 * tail trusts inotify only on filesystems it knows) then treat both alike. */
#define HUMFS_SUPER_MAGIC 0x00c0ffee

extern const struct fs_type humfs_fs_type;

/* Registers "humfs" with the VFS. */
void humfs_init(void);

#endif
