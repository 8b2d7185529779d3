/*
 * ext2/3/4 internals. One libext2fs handle per mounted disk (super_block.priv). VFS
 * inodes are found again by number through a hash of the live ones (icache.c), hold
 * the attributes the VFS reads on every path step (refreshed from the on-disk inode
 * after each change), and are freed on disk when their last name and last reference
 * are both gone (Linux's orphan rule, kept in memory: after a crash e2fsck reclaims
 * them). All libext2fs calls run on the event loop thread.
 *
 * Files: super.c (mount, statfs, sync, umount), io.c (the io_manager), icache.c (inode
 * objects, freeing), inode.c (lookup, attributes, symlinks), namei.c (create, mkdir,
 * symlink, link, unlink, rmdir), rename.c, dir.c (readdir and entry edits), file.c
 * (read, write, truncate, fsync), pagecache.c (memfds for mmap and exec), util.c
 * (errors, times, raw inode access).
 */
#ifndef UMLINUX_FS_EXT2_INT_H
#define UMLINUX_FS_EXT2_INT_H

#include <ext2fs/ext2_fs.h>
#include <ext2fs/ext2fs.h>
#include "fs/blkdev.h"
#include "fs/ext2/ext2.h"
#include "fs/vfs.h"
#include "kernel/list.h"

#define EXT2_HASH_SIZE 256
#define EXT2_PINNED_MAX 64       /* inodes kept alive for their page cache */

struct ext2_sb {
	ext2_filsys fs;
	struct block_device *disk;
	const char *type;            /* "ext2", "ext3" or "ext4", as mounted */
	struct list_head hash[EXT2_HASH_SIZE];   /* live inodes (ext2_node.link) */
	struct list_head pinned;     /* inodes with a page cache, most recent first */
	int nr_pinned;
};

struct ext2_node {
	struct inode *inode;
	struct list_head link;       /* in ext2_sb.hash */
	uint64_t blocks;             /* 512-byte units, for stat */
	struct timespec btime;
	bool gone;                   /* no name left: freed on disk at the last reference */
	/* page cache (pagecache.c) */
	int memfd;                   /* -1 when none */
	bool maybe_dirty;            /* mapped by a writer: compare and write back */
	struct list_head pin;        /* in ext2_sb.pinned while pinned */
	bool pinned;
};

static inline struct ext2_sb *E2SB(const struct super_block *sb) { return sb->priv; }
static inline ext2_filsys E2FS(const struct inode *i) { return E2SB(i->sb)->fs; }
static inline struct ext2_node *E2I(const struct inode *i) { return i->priv; }

extern const struct inode_ops ext2_iops;
extern const struct file_ops ext2_file_fops, ext2_dir_fops, ext2_special_fops;

/* util.c */
int ext2_errno(errcode_t err);               /* -errno for a libext2fs error */
/* The whole on-disk inode (its size is the filesystem's inode size, up to 1 KiB). */
struct ext2_raw_inode {
	union {
		struct ext2_inode_large large;
		unsigned char bytes[1024];
	};
};
int ext2_read_raw(ext2_filsys fs, ext2_ino_t ino, struct ext2_raw_inode *raw);
int ext2_write_raw(ext2_filsys fs, ext2_ino_t ino, struct ext2_raw_inode *raw);
struct timespec ext2_now(void);
enum ext2_time { EXT2_ATIME, EXT2_MTIME, EXT2_CTIME, EXT2_CRTIME };
struct timespec ext2_get_time(ext2_filsys fs, const struct ext2_raw_inode *raw, enum ext2_time which);
void ext2_set_time(ext2_filsys fs, struct ext2_raw_inode *raw, enum ext2_time which, struct timespec ts);
int ext2_file_type(mode_t mode);              /* EXT2_FT_* for a directory entry */
/* Around calls that only free blocks: libext2fs 1.47.0's off-by-one at the last block. */
void ext2_free_begin(ext2_filsys fs);
void ext2_free_end(ext2_filsys fs);
/* c/m/a times of an inode set to now (flags: 1 << EXT2_*TIME), and the VFS copy. */
int ext2_touch(struct inode *inode, unsigned which);

/* io.c */
extern io_manager ext2_blkdev_io_manager;

/* icache.c */
int ext2_iget(struct super_block *sb, ext2_ino_t ino, struct inode **out);
struct inode *ext2_ifind(struct super_block *sb, ext2_ino_t ino);  /* live only, no ref */
/* The inode of a file just made without a link (O_TMPFILE): gone from the start, so
 * it is freed at its last reference unless ext2_link names it first. */
struct inode *ext2_iget_unlinked(struct super_block *sb, ext2_ino_t ino,
				 const struct ext2_raw_inode *raw);
void ext2_fill_vfs(struct inode *inode, ext2_filsys fs, const struct ext2_raw_inode *raw);
int ext2_refresh(struct inode *inode);       /* VFS fields from the disk inode */
int ext2_drop_link(struct super_block *sb, ext2_ino_t ino, bool is_dir); /* nlink--, free at 0 */
int ext2_free_inode(ext2_filsys fs, ext2_ino_t ino);
void ext2_destroy(struct inode *inode);

/* dir.c */
int ext2_dir_add(ext2_filsys fs, ext2_ino_t dir, const char *name, ext2_ino_t ino, int ftype);
int ext2_dir_set(ext2_filsys fs, ext2_ino_t dir, const char *name, ext2_ino_t ino, int ftype);
int ext2_dir_empty(ext2_filsys fs, ext2_ino_t dir);   /* 1 empty, 0 not, -errno */

/* namei.c */
int ext2_name_ino(struct inode *dir, const char *name, ext2_ino_t *ino);  /* -ENOENT */
int ext2_dir_child_count(struct inode *dir, int delta);   /* links of dir +-1 */
int ext2_dir_changed(struct inode *dir);                  /* mtime, ctime now */

/* file.c */
int ext2_open(struct inode *inode, struct file *f);
int ext2_set_size(struct inode *inode, uint64_t size);
ssize_t ext2_read_data(struct inode *inode, char *buf, size_t len, uint64_t pos);
/* aread.c: the same for a read(2) by current, on the disk worker while it parks */
ssize_t ext2_read_parked(struct inode *inode, char *buf, size_t len, uint64_t pos);
ssize_t ext2_write_data(struct inode *inode, const char *buf, size_t len, uint64_t pos);

/* pagecache.c */
int ext2_pagecache_fd(struct inode *inode, bool writer);
void ext2_pagecache_write(struct inode *inode, const char *buf, size_t len, uint64_t pos);
void ext2_pagecache_resize(struct inode *inode, uint64_t size);
int ext2_pagecache_writeback(struct inode *inode);
int ext2_sync_inode(struct inode *inode);   /* file.c: fsync's work */
void ext2_pagecache_drop(struct inode *inode);
int ext2_pagecache_sync_all(struct super_block *sb);
void ext2_pagecache_release_all(struct super_block *sb);

/* super.c */
int ext2_sync_fs(struct super_block *sb);
#endif
