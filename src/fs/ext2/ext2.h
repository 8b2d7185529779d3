/*
 * ext2, ext3 and ext4 on a block device, through libext2fs (e2fsprogs): the library
 * reads and writes the on-disk structures; this filesystem maps VFS operations onto it
 * and reaches the disk through an io_manager of its own over fs/blkdev (so ubd's COW
 * files sit underneath). See src/fs/ext2/ext2_int.h for how the pieces fit.
 */
#ifndef UMLINUX_FS_EXT2_H
#define UMLINUX_FS_EXT2_H

/* Registers "ext3", "ext2" and "ext4" (tried in that order for a root without
 * rootfstype=: the first whose feature set covers the disk's names it). */
void ext2_init(void);

#endif
