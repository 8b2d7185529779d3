/* hostfs internals shared by its files: super.c (mount), resolve.c (host path access),
 * icache.c (live inodes by path), inode.c (inode ops), file.c (open files). */
#ifndef UMLINUX_FS_HOSTFS_INT_H
#define UMLINUX_FS_HOSTFS_INT_H

#include <sys/mount.h>
#include <sys/stat.h>
#include "fs/hostfs/hostfs.h"
#include "kernel/list.h"

#define HOSTFS_HASH_SIZE 1024

struct hostfs_sb {
	int rootfd;               /* O_PATH descriptor of the mounted host directory */
	char *host_root;          /* its host path when mounted, for hostfs_guest_path; NULL if
				   * the host could not say */
	char *data;               /* the host directory as the mount named it (its data) */
	bool append;              /* the hostfs= jail's append flag, fixed at mount time */
	/* The operation tables new inodes and open files get: hostfs's own, or those of a
	 * filesystem layered on it (humfs), which keeps its state in layer. */
	const struct inode_ops *iops;
	const struct file_ops *fops, *dir_fops;
	void *layer;
	/* Live inodes hashed by path, so a lookup finds the inode already in use (a FIFO's
	 * openers must share one pipe) and a rename can re-path everything it moved. */
	struct list_head hash[HOSTFS_HASH_SIZE];
};

/* Attributes a layered filesystem keeps apart from the host file (humfs's metadata
 * files): when valid, they stand in for the host's owner, permissions and type. */
struct hostfs_override {
	bool valid;
	mode_t mode;              /* type and permission bits */
	uid_t uid;
	gid_t gid;
	dev_t rdev;
};

struct hostfs_inode {
	struct inode *inode;
	mode_t host_type;         /* S_IFMT of the host file, whatever the guest is shown */
	struct hostfs_override over;
	char *path;               /* relative to the root, "" for it; NULL once removed */
	struct list_head link;    /* in hostfs_sb.hash, or self-linked when unhashed */
	struct list_head files;   /* of hostfs_file.link: host descriptors of this file */
	int created_fd;           /* read-write descriptor from create, for the open that follows */
	int orphan_fd;            /* taken just before the guest removed the name, so a dead
				   * inode still in use (a removed cwd) keeps reaching its file,
				   * or an O_TMPFILE file's own descriptor */
	bool tmpfile;             /* an O_TMPFILE file never linked: it has never had a name */
};

struct hostfs_file {
	struct list_head link;    /* on hostfs_inode.files */
	int fd;
	bool writable;
	bool jail_append;         /* hostfs=...,append: writes always go to the end */
	bool host_append;         /* O_APPEND is currently set on fd */
	/* Directory stream: host getdents64 records not yet handed out, starting at host
	 * position dpos (the d_off of the last record consumed). */
	char *dbuf;
	size_t dlen, dcur;
	off_t dpos;
};

/* Where a host call acts on a file: the final name in a directory, or, when the file is
 * open, one of its own descriptors (name "", AT_EMPTY_PATH). */
struct hostfs_loc {
	int dirfd;
	const char *name;
	int fd;                   /* an open descriptor of the file itself, or -1 */
	bool close_dirfd;
};

static inline struct hostfs_sb *HSB(const struct super_block *sb) { return sb->priv; }
static inline struct hostfs_inode *HI(const struct inode *i) { return i->priv; }

extern const struct inode_ops hostfs_iops;
extern const struct file_ops hostfs_fops;
extern const struct file_ops hostfs_dir_fops;

/* super.c */
int hostfs_open_host_root(const char *fsname, const char *data);
struct super_block *hostfs_new_super(const struct fs_type *type, int rootfd, unsigned long flags,
				     const char *data);
int hostfs_mount_root_inode(struct super_block *sb);
void hostfs_kill_super(struct super_block *sb);

/* resolve.c */
int hostfs_open_beneath(int rootfd, const char *path, int flags);
int hostfs_check_name(const char *name);
char *hostfs_child_path(const char *dir, const char *name);
int hostfs_open_dir(struct super_block *sb, const char *path);
int hostfs_open_child_dir(struct inode *dir, const char *name);
int hostfs_locate(struct inode *inode, bool allow_fd, struct hostfs_loc *loc);
int hostfs_held_fd(struct inode *inode);
void hostfs_loc_done(struct hostfs_loc *loc);
int hostfs_statx_at(int dirfd, const char *name, struct statx *stx);

/* icache.c */
int hostfs_inode_for(struct super_block *sb, char *path, const struct statx *stx,
		     struct inode **out);
void hostfs_fill_inode(struct inode *inode, const struct statx *stx);
int hostfs_inode_unnamed(struct super_block *sb, int fd, const struct statx *stx,
			 struct inode **out);
void hostfs_adopt_path(struct inode *inode, char *path);
int hostfs_pin(struct super_block *sb, int dirfd, const char *name, const char *path);
void hostfs_moved(struct super_block *sb, const char *from, const char *to, bool exchange,
		  int replaced_fd);
void hostfs_removed(struct super_block *sb, const char *path, int pin_fd);
void hostfs_unhash_all(struct super_block *sb);
/* Calls fn for every live inode of the host file ino (hard links, re-created inodes). */
void hostfs_for_each_ino(struct super_block *sb, uint64_t ino,
			 void (*fn)(struct hostfs_inode *hi, void *arg), void *arg);

/* inode.c */
long hostfs_readlink(struct inode *inode, char *buf, size_t len);
void hostfs_destroy(struct inode *inode);
int hostfs_may_resize(struct inode *inode, off_t size);
void hostfs_give_to_creator(int fd, int dirfd, const char *name, const struct cred *cred,
			    struct statx *stx);
void hostfs_undo_host_umask(int fd, int dirfd, const char *name, mode_t want, struct statx *stx);

/* tmpfile.c */
int hostfs_tmpfile(struct inode *dir, mode_t mode, const struct cred *cred, struct inode **out);
int hostfs_link_unnamed(struct inode *old, int dirfd, const char *name);

/* file.c */
int hostfs_open(struct inode *inode, struct file *f);

/* hostfs, or humfs over it: sb->priv is a hostfs_sb. */
static inline bool hostfs_backed(const struct super_block *sb)
{
	extern const struct fs_type humfs_fs_type;
	return sb->type == &hostfs_fs_type || sb->type == &humfs_fs_type;
}

static inline bool hostfs_rdonly(const struct super_block *sb)
{
	return sb->flags & MS_RDONLY;
}

#endif
