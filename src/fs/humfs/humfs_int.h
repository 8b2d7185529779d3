/* humfs internals: super.c (mount, superblock, space), meta.c (metadata files),
 * inode.c (inode operations over hostfs's), file.c (open files over hostfs's). */
#ifndef UMLINUX_FS_HUMFS_INT_H
#define UMLINUX_FS_HUMFS_INT_H

#include "fs/hostfs/hostfs_int.h"
#include "fs/humfs/humfs.h"
#include "humfs_format.h"

#define HUMFS_RECENT_DIRS 64

struct humfs_sb {
	int topfd;               /* the humfs directory (O_PATH) */
	int fmetafd, dmetafd;    /* file_metadata/ and dir_metadata/ (O_PATH) */
	int superfd;             /* the superblock file, open for rewriting (-1 read-only) */
	char *name;              /* the -o directory, for messages */
	struct humfs_super super;
	bool super_dirty;        /* used changed since the superblock was written */
	uint64_t super_written_ns;   /* when used was last written back (CLOCK_MONOTONIC) */
	/* The directories looked up last, kept alive with their metadata: a path walk looks
	 * up every component, and without them each would read its metadata file again. */
	struct inode *recent_dirs[HUMFS_RECENT_DIRS];
	unsigned recent_next;
};

static inline struct humfs_sb *HUM(const struct super_block *sb)
{
	return HSB(sb)->layer;
}

extern const struct inode_ops humfs_iops;
/* file.c: hostfs's file operations with humfs's changes, filled by humfs_init_fops */
extern struct file_ops humfs_fops_table, humfs_dir_fops_table;
void humfs_init_fops(void);

/* meta.c: path is the file's path under data/ ("" for the root); dir says whether it
 * is a directory (its metadata is in dir_metadata/, else file_metadata/). */
int humfs_meta_read(struct super_block *sb, const char *path, bool dir, struct humfs_meta *m);
int humfs_meta_write(struct super_block *sb, const char *path, bool dir,
		     const struct humfs_meta *m);
void humfs_meta_unlink(struct super_block *sb, const char *path);
int humfs_meta_link(struct super_block *sb, const char *from, const char *to);
int humfs_meta_mkdir(struct super_block *sb, const char *path, const struct humfs_meta *m);
void humfs_meta_rmdir(struct super_block *sb, const char *path);
int humfs_meta_rename(struct super_block *sb, const char *from, bool from_dir, const char *to,
		      bool to_dir, unsigned flags);
/* Before a directory is made or moved to path: its parent's metadata file moves out of
 * the way if it has that name. */
int humfs_meta_make_room(struct super_block *sb, const char *path);
/* After the directory at path is gone: the parent's metadata file gets back the name
 * "metadata" if it had to give it up. */
void humfs_meta_restore_name(struct super_block *sb, const char *path);

/* inode.c */
void humfs_forget_recent(struct super_block *sb);   /* at unmount */
/* Gives inode the attributes of its metadata; -EIO (logged) when they are missing or
 * damaged. */
int humfs_load_meta(struct inode *inode);

/* super.c: space accounting against the superblock's total */
uint64_t humfs_free_bytes(struct super_block *sb);
void humfs_charge(struct super_block *sb, int64_t bytes);
/* Bytes the host holds for the file at dirfd/name (an empty name: dirfd itself). */
int64_t humfs_host_bytes(int dirfd, const char *name);

#endif
