/*
 * The VFS: superblocks, inodes, dentries, mounts, open files and descriptor tables.
 * A filesystem is a set of operation tables plugged in here. Operations return 0 or a
 * value, or a negative errno, as Linux's do. Buffers passed to file operations are
 * kernel memory: the syscall layer copies to and from the guest.
 */
#ifndef UMLINUX_FS_VFS_H
#define UMLINUX_FS_VFS_H

#include <fcntl.h>
#include <linux/limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <time.h>
#include "kernel/kernel.h"

struct inode;
struct dentry;
struct file;
struct super_block;
struct poll_table;
struct path;
struct proc_buf;

/* What getattr reports: the guest's view of struct stat / statx. */
struct kstat {
	uint64_t ino;
	dev_t dev;
	mode_t mode;
	nlink_t nlink;
	uid_t uid;
	gid_t gid;
	dev_t rdev;
	off_t size;
	blksize_t blksize;
	blkcnt_t blocks;
	struct timespec atime, mtime, ctime, btime;
};

/* setattr's request (ATTR_* says which fields are set). */
#define ATTR_MODE  (1 << 0)
#define ATTR_UID   (1 << 1)
#define ATTR_GID   (1 << 2)
#define ATTR_SIZE  (1 << 3)
#define ATTR_ATIME (1 << 4)
#define ATTR_MTIME (1 << 5)
#define ATTR_ATIME_NOW (1 << 6)
#define ATTR_MTIME_NOW (1 << 7)
struct iattr {
	unsigned valid;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	off_t size;
	struct timespec atime, mtime;
};

struct inode_ops {
	int (*lookup)(struct inode *dir, const char *name, struct inode **out);
	int (*getattr)(struct inode *inode, struct kstat *st);
	int (*setattr)(struct inode *inode, const struct iattr *attr);
	int (*create)(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
		      const struct cred *cred, struct inode **out); /* regular files, fifos, sockets, devices */
	int (*mkdir)(struct inode *dir, const char *name, mode_t mode, const struct cred *cred);
	int (*symlink)(struct inode *dir, const char *name, const char *target, const struct cred *cred);
	int (*link)(struct inode *old, struct inode *dir, const char *name);
	/* O_TMPFILE: a new regular file of dir's filesystem with no name (nlink 0, dead),
	 * owned as a file created in dir; freed at its last reference unless link gives it
	 * a name first. NULL: the filesystem can't (EOPNOTSUPP). */
	int (*tmpfile)(struct inode *dir, mode_t mode, const struct cred *cred, struct inode **out);
	int (*unlink)(struct inode *dir, const char *name);
	int (*rmdir)(struct inode *dir, const char *name);
	int (*rename)(struct inode *olddir, const char *oldname, struct inode *newdir,
		      const char *newname, unsigned flags);
	long (*readlink)(struct inode *inode, char *buf, size_t len);
	/* Magic links (/proc/<pid>/fd/N, cwd, root) lead to the path itself, not through
	 * readlink's text, which may name nothing ("... (deleted)"). Returns 0 with a path
	 * reference in *out, LINK_TEXT for an ordinary symlink, LINK_MAGIC_TEXT for a magic
	 * link whose text is to be followed (RESOLVE_NO_MAGICLINKS still sees it), or -errno. */
	int (*get_link_path)(struct inode *inode, struct task *t, struct path *out);
	/* Fills file->fops/priv for an open of this inode (flags are O_* of the open). */
	int (*open)(struct inode *inode, struct file *file);
	void (*destroy)(struct inode *inode);  /* last reference gone: free priv */
	/* msync(MS_SYNC) over a shared mapping of the file: what was written through the
	 * mapping reaches the file's storage. NULL when the mapping is the storage (hostfs
	 * maps the host file itself, tmpfs its memfd). */
	int (*sync_mapping)(struct inode *inode);
};

/* Linux 6.3's, newer than the build host's uapi headers may be */
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

#define LINK_TEXT       1
#define LINK_MAGIC_TEXT 2

struct dirent_sink {
	/* returns false when the caller's buffer is full (the entry is not consumed) */
	bool (*emit)(struct dirent_sink *s, const char *name, uint64_t ino, unsigned type, off_t next_pos);
};

struct file_ops {
	ssize_t (*read)(struct file *f, char *buf, size_t len, off_t *pos);
	ssize_t (*write)(struct file *f, const char *buf, size_t len, off_t *pos);
	off_t (*llseek)(struct file *f, off_t off, int whence);
	int (*iterate)(struct file *f, struct dirent_sink *sink);  /* uses/advances f->pos */
	/* Returns the ready mask (POLLIN...). With pt, registers the caller for wake-ups. */
	unsigned (*poll)(struct file *f, struct task *t);
	long (*ioctl)(struct file *f, struct task *t, unsigned long cmd, unsigned long arg);
	int (*fsync)(struct file *f, bool datasync);
	int (*truncate)(struct file *f, off_t size);
	/* A host descriptor holding the bytes, for mmap (and exec). -ENODEV if none. */
	int (*host_fd)(struct file *f);
	void (*release)(struct file *f);
	int (*fallocate)(struct file *f, int mode, off_t off, off_t len);
	/* F_GET_SEALS (add false: returns the seals) and F_ADD_SEALS, whose caller checked
	 * the descriptor is writable and the seals known. NULL: the file takes no seals. */
	long (*seals)(struct file *f, bool add, unsigned seals);
	/* The kind's own lines of /proc/<pid>/fdinfo/<n>, after pos, flags, mnt_id and ino,
	 * appended with proc_printf in Linux's format (its ->show_fdinfo). NULL: none. */
	void (*show_fdinfo)(struct file *f, struct proc_buf *b);
	/* What preadv2/pwritev2's RWF_* flags find (FOP_RWF_*); 0: they apply, RWF_NOWAIT
	 * is EOPNOTSUPP (most files, Linux's without FMODE_NOWAIT). Directories are as
	 * FOP_RWF_READ_NONE. */
	unsigned rwf;
};
#define FOP_RWF_NOWAIT_READ  0x1   /* RWF_NOWAIT reads give EAGAIN for waiting (FMODE_NOWAIT) */
#define FOP_RWF_NOWAIT_WRITE 0x2
#define FOP_RWF_READ_NONE    0x4   /* reads take no flag but RWF_HIPRI (Linux: no ->read_iter) */
#define FOP_RWF_WRITE_NONE   0x8

struct fs_type {
	const char *name;
	bool nodev;  /* shows "nodev" in /proc/filesystems */
	/* data: the mount's option string (-o ...), dev: the source name */
	int (*mount)(const char *dev, unsigned long flags, const char *data, struct super_block **out);
};

struct super_block {
	const struct fs_type *type;
	dev_t dev;
	unsigned long flags;     /* MS_RDONLY, MS_SYNCHRONOUS, ... */
	unsigned long magic;
	void *priv;
	struct inode *root;
	int (*statfs)(struct super_block *sb, struct statfs *st);
	/* mount -o remount: new options for the instance (may be NULL: nothing to change) */
	int (*remount)(struct super_block *sb, unsigned long flags, const char *data);
	/* sync/syncfs: write out what the filesystem holds in memory and flush its disk
	 * (NULL: everything is written through already) */
	int (*sync)(struct super_block *sb);
	/* /proc/mounts and mountinfo: the filesystem's own options, each as ",opt" (Linux's
	 * show_options, vfs_show_option escapes one). Returns the length the text needs, as
	 * snprintf does. NULL: the mount's data as it was given. */
	size_t (*show_options)(const struct super_block *sb, char *buf, size_t len);
	void (*kill)(struct super_block *sb);
	int refcount;
	/* The inodes' mode, uid and gid are current (refreshed at every lookup and change),
	 * so permission checks need not ask getattr (a host round trip for hostfs). */
	bool attrs_in_inode;
	/* Its files are mapped from memfds (their page caches), which the host's maps name
	 * "/memfd:...": mm/mapped_names.c remembers their guest names. */
	bool maps_memfds;
};

struct inode {
	int refcount;
	struct super_block *sb;
	uint64_t ino;
	mode_t mode;             /* type bits at least; the full mode for in-memory filesystems */
	uid_t uid;
	gid_t gid;
	nlink_t nlink;
	dev_t rdev;
	off_t size;
	struct timespec atime, mtime, ctime;
	const struct inode_ops *iops;
	const struct file_ops *fops;  /* default for open when iops->open is NULL */
	void *priv;
	struct pipe *pipe;            /* a FIFO's pipe, shared by its openers */
	/* The name this inode was reached by is gone (unlinked, removed, renamed over): it
	 * lives on only through references. Linux's unhashed dentry: getcwd fails with
	 * ENOENT, /proc links get " (deleted)". Set by the filesystem. */
	bool dead;
	/* An O_TMPFILE file opened without O_EXCL and not linked yet: link may give it a
	 * name although it has no link (Linux's I_LINKABLE). Set and cleared by the VFS. */
	bool linkable;
};

struct dentry {
	int refcount;
	char *name;
	struct dentry *parent;   /* NULL for a filesystem root */
	struct inode *inode;
	/* An O_TMPFILE file's "#<ino>": never a name in its directory (Linux never hashes
	 * it), so its path reads " (deleted)" even after link has named the inode. */
	bool tmpfile;
};

struct mount {
	struct super_block *sb;
	struct dentry *root;
	struct mount *parent;        /* NULL for the root mount */
	struct dentry *mountpoint;   /* in parent */
	char *source;
	unsigned long flags;         /* MNT_FLAGS: Linux's per-mount flags, as MS_* bits */
	char *options;
	struct list_head link;
	int refcount;
};

struct path {
	struct mount *mnt;
	struct dentry *dentry;
};

struct file {
	int refcount;
	unsigned flags;          /* O_* status flags and access mode */
	off_t pos;
	struct path path;
	struct inode *inode;
	const struct file_ops *fops;
	void *priv;
	int host_fd;             /* -1 unless backed by a host descriptor */
	/* F_SETOWN(_EX) and F_SETSIG: recorded and reported (no SIGIO is sent yet) */
	int owner_type;          /* F_OWNER_TID (0, Linux's default), _PID or _PGRP */
	pid_t owner_pid;
	int owner_sig;
	bool notify_close;       /* opened by name: IN_CLOSE_* when the last reference goes */
};

struct files_struct {
	int refcount;
	int max;                 /* size of the arrays */
	struct file **fd;
	unsigned char *cloexec;
};

struct fs_struct {
	int refcount;
	struct path root, cwd;
	mode_t umask;
};

/* inode / dentry / path / file lifetimes */
struct inode *inode_new(struct super_block *sb, uint64_t ino, mode_t mode,
			const struct inode_ops *iops, const struct file_ops *fops);
struct inode *inode_get(struct inode *i);
void inode_put(struct inode *i);
struct dentry *dentry_new(const char *name, struct dentry *parent, struct inode *inode);
struct dentry *dentry_get(struct dentry *d);
void dentry_put(struct dentry *d);
void path_get(struct path *p);
void path_put(struct path *p);
struct file *file_new(struct path *p, unsigned flags);   /* takes a path reference */
struct file *file_get(struct file *f);
void file_put(struct file *f);
/* The last reference to f is going: epoll forgets it (fs/eventpoll.c). */
void eventpoll_file_released(struct file *f);
int vfs_getattr(struct inode *i, struct kstat *st);

/* mounts */
void vfs_register_fs(const struct fs_type *type);
/* sync(2) and emergency sync: every filesystem, then every disk (fs/sync.c) */
void vfs_sync_all(void);
/* Halt and reboot: every filesystem synced and shut down cleanly (a disk filesystem is
 * left as umount leaves it), whatever still holds it. */
void vfs_shutdown_all(void);
const struct fs_type *vfs_find_fs(const char *name);
int vfs_mount(struct task *t, const char *source, const char *target, const char *fstype,
	      unsigned long flags, const char *data);
/* fstype NULL: each filesystem type that needs a device is tried in turn, as Linux does
 * for a root without rootfstype= */
int vfs_mount_root(const char *fstype, const char *source, unsigned long flags, const char *data);
int vfs_umount(struct task *t, const char *target, int flags);
/* An instance mounted nowhere, for the kernel's own files (Linux's kern_mount): no path
 * leads to it and /proc/mounts does not show it. */
int vfs_kern_mount(const char *fstype, const char *data, struct mount **out);
extern struct list_head mount_list;
extern struct mount *root_mount;
dev_t vfs_anon_dev(void);
/* What a mount keeps of mount(2)'s flags (Linux's MNT_* flags), and what its
 * super_block keeps (SB_*): sync and the rest are the filesystem's, for all its mounts. */
#define MNT_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MNT_ATIME_FLAGS)
#define MNT_ATIME_FLAGS (MS_NOATIME | MS_NODIRATIME | MS_RELATIME)
#define SB_FLAGS (MS_RDONLY | MS_SYNCHRONOUS | MS_MANDLOCK | MS_DIRSYNC | MS_LAZYTIME)
/* Appends ",opt" to the len bytes at buf, which hold at bytes already, escaping what
 * would break the options field apart (, = space tab newline backslash, as \ooo);
 * returns the length the text needs, so a caller can chain calls and see truncation. */
size_t vfs_show_option(char *buf, size_t len, size_t at, const char *opt);

/* path walk */
#define LOOKUP_FOLLOW    0x1   /* follow a trailing symlink */
#define LOOKUP_DIRECTORY 0x2   /* the result must be a directory */
#define LOOKUP_EMPTY     0x4   /* "" names dirfd itself (AT_EMPTY_PATH) */
#define LOOKUP_NOMOUNT   0x8
/* openat2's RESOLVE_* flags, as Linux's LOOKUP_* of the same names */
#define LOOKUP_NO_XDEV       0x10   /* crossing a mount, either way: EXDEV */
#define LOOKUP_NO_MAGICLINKS 0x20   /* a /proc magic link: ELOOP */
#define LOOKUP_NO_SYMLINKS   0x40   /* any symlink: ELOOP */
#define LOOKUP_BENEATH       0x80   /* dirfd is the root; leaving it is EXDEV */
#define LOOKUP_IN_ROOT       0x100  /* dirfd is the root, as after chroot */
int path_walk(struct task *t, int dirfd, const char *name, unsigned flags, struct path *out);
/* Walks to the parent of the last component; last receives that component ("." or ".."
 * possible). Of flags only the RESOLVE ones count. */
int path_walk_parent(struct task *t, int dirfd, const char *name, unsigned flags,
		     struct path *parent, char *last);
/* The path of p as the task sees it (relative to its root). */
int path_to_string(struct task *t, const struct path *p, char *buf, size_t len);
/* As path_to_string, with Linux's d_path " (deleted)" after a dead file's path. */
int path_to_string_deleted(struct task *t, const struct path *p, char *buf, size_t len);

/* permissions */
#define MAY_EXEC  1
#define MAY_WRITE 2
#define MAY_READ  4
int inode_permission(struct task *t, struct inode *inode, int mask);
int path_permission(struct task *t, const struct path *p, int mask);

/* descriptor tables */
struct files_struct *files_new(void);
struct files_struct *files_copy(struct files_struct *old);
void files_put(struct files_struct *fs);
struct file *fd_get(struct task *t, int fd);           /* borrowed reference, NULL if bad */
int fd_install(struct task *t, struct file *f, bool cloexec, int min_fd); /* takes the reference */
int fd_close(struct task *t, int fd);
int fd_install_at(struct task *t, int fd, struct file *f, bool cloexec);
/* Record locks die with any close of the file by the process (POSIX); hook for locks. */
void fd_on_close(struct task *t, struct file *f);
void files_close_on_exec(struct files_struct *fs);
struct fs_struct *fs_struct_new(void);
struct fs_struct *fs_struct_copy(struct fs_struct *old);
void fs_struct_put(struct fs_struct *fs);

/* open */
/* The kernel's O_LARGEFILE on x86-64 (the C library defines its own as 0 there). */
#define KERNEL_O_LARGEFILE 0100000
/* O_TMPFILE without its O_DIRECTORY: the bit that asks for an unnamed file */
#define KERNEL_O_TMPFILE_BIT (O_TMPFILE & ~O_DIRECTORY)
/* resolve: LOOKUP_* flags for every walk of the open (openat2's RESOLVE_*) */
int vfs_open(struct task *t, int dirfd, const char *name, int flags, mode_t mode,
	     unsigned resolve, struct file **out);
int vfs_open_path(struct task *t, struct path *p, int flags, struct file **out);

/* Generic helpers filesystems may use. */
off_t generic_llseek(struct file *f, off_t off, int whence, off_t size);
int fs_statfs_default(struct super_block *sb, struct statfs *st);

/* name operations (namei_ops.c): Linux's checks, in Linux's order */
int vfs_mnt_writable(const struct mount *mnt, const struct inode *inode);  /* -EROFS */
int vfs_mkdir(struct task *t, int dirfd, const char *name, mode_t mode);
int vfs_mknod(struct task *t, int dirfd, const char *name, mode_t mode, dev_t dev);
int vfs_symlink(struct task *t, const char *target, int dirfd, const char *name);
int vfs_link(struct task *t, const struct path *old, int newdirfd, const char *newname);
int vfs_unlink(struct task *t, int dirfd, const char *name);
int vfs_rmdir(struct task *t, int dirfd, const char *name);
int vfs_rename(struct task *t, int olddirfd, const char *oldname, int newdirfd,
	       const char *newname, unsigned flags);

/* Owner and mode of a new inode in dir (Linux's inode_init_owner): the creator's fsuid
 * and fsgid; in a set-group-id directory, the directory's group (subdirectories inherit
 * the bit, and a set-group-id executable made by an outsider loses it). */
void vfs_init_owner(const struct inode *dir, mode_t *mode, const struct cred *cred,
		    uid_t *uid, gid_t *gid);

/* attribute changes (attr.c): p is the path the file was reached by, for its mount and
 * name; both are NULL for anonymous files */
int vfs_setattr(struct inode *inode, const struct iattr *ia);  /* unchecked */
int vfs_chmod(struct task *t, const struct path *p, struct inode *inode, mode_t mode);
int vfs_chown(struct task *t, const struct path *p, struct inode *inode, uid_t uid, gid_t gid);
/* times: NULL means now; UTIME_NOW / UTIME_OMIT as utimensat(2) */
int vfs_utimes(struct task *t, const struct path *p, struct inode *inode, const struct timespec *times);
int vfs_truncate(struct task *t, const struct path *p, off_t size);
/* The size change itself, with RLIMIT_FSIZE; f is the file for ftruncate or NULL. */
int vfs_do_truncate(struct task *t, struct inode *inode, struct file *f, off_t size);
int vfs_fallocate(struct task *t, struct file *f, int mode, off_t off, off_t len);

#endif
