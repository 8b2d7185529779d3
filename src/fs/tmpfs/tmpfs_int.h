/*
 * Inside tmpfs. The tree of names is tmpfs's own (the VFS has no dentry cache and asks
 * lookup on every walk): a directory keeps its entries, each holding a reference on the
 * inode it names, so every walk finds the same inode object. Regular files keep their
 * bytes in a host memfd, created when the file first holds data.
 */
#ifndef UMLINUX_FS_TMPFS_INT_H
#define UMLINUX_FS_TMPFS_INT_H
#include "fs/tmpfs/tmpfs.h"

/* Linux's BOGO_DIRENT_SIZE: a directory's st_size grows by this per entry. */
#define TMPFS_DIRENT_SIZE 20
/* Symlink targets this long or longer take a page, as Linux's SHORT_SYMLINK_LEN. */
#define TMPFS_SHORT_SYMLINK 128

/* One mounted instance (super_block.priv). 0 limits mean unlimited. */
struct tmpfs_sb {
	bool ramfs;                  /* directories have no size (simple_* ones) */
	uint64_t max_pages, used_pages;
	uint64_t max_inodes, used_inodes;
	uint64_t next_ino;
	mode_t root_mode;
	uid_t root_uid;
	gid_t root_gid;
};

/* A name in a directory. Offsets only grow, so a reader's position survives entries
 * being removed under it (rm -r unlinks while it reads). */
struct tmpfs_dirent {
	struct list_head link;       /* in tmpfs_inode.entries, by offset */
	char *name;
	uint64_t off;                /* readdir position; 0 and 1 are "." and ".." */
	struct inode *inode;         /* a reference, held while the name exists */
};

/* inode.priv */
struct tmpfs_inode {
	/* directories */
	struct list_head entries;
	uint64_t next_off;
	struct inode *parent;        /* for ".."; NULL once removed (no reference: the
				      * parent cannot go while it holds us) */
	/* regular files */
	int memfd;                   /* -1 while the file has never held data */
	uint64_t pages;              /* pages charged to the superblock */
	/* A memfd_create file with MFD_ALLOW_SEALING: its host memfd takes seals, so the
	 * host refuses writes and writable shared mappings as Linux would. F_SEAL_EXEC,
	 * which older hosts do not know, is kept here. */
	bool sealable, seal_exec;
	/* symlinks */
	char *target;
};

static inline struct tmpfs_inode *TI(const struct inode *i) { return i->priv; }
static inline struct tmpfs_sb *TSB(const struct super_block *sb) { return sb->priv; }

extern const struct inode_ops tmpfs_iops;
extern const struct file_ops tmpfs_dir_fops, tmpfs_file_fops, tmpfs_special_fops;

/* inode.c */
struct timespec tmpfs_now(void);
/* What an entry adds to its directory's st_size. */
off_t tmpfs_dirent_size(const struct super_block *sb);
/* A new inode of sb, owned by cred (NULL: root) in dir (NULL for the root), with the
 * inode count charged; -ENOSPC when nr_inodes is used up. */
int tmpfs_inode_new(struct super_block *sb, struct inode *dir, mode_t mode, dev_t rdev,
		    const struct cred *cred, struct inode **out);
int tmpfs_charge_inode(struct super_block *sb);
void tmpfs_uncharge_inode(struct super_block *sb);
/* Pages: charged before data lands (-ENOSPC), and re-read from the memfd after. */
int tmpfs_charge_pages(struct super_block *sb, uint64_t pages);
void tmpfs_uncharge_pages(struct super_block *sb, uint64_t pages);
void tmpfs_sync_pages(struct inode *i);
int tmpfs_setattr(struct inode *i, const struct iattr *a);

/* file.c */
/* The file's memfd, made on first need. */
int tmpfs_memfd(struct inode *i);

/* memfd.c: F_GET_SEALS and F_ADD_SEALS of regular files */
long tmpfs_seals(struct file *f, bool add, unsigned seals);

/* dir.c */
/* Drops every entry below dir, for the unmount of the last instance. */
void tmpfs_dir_clear(struct inode *dir);
#endif
