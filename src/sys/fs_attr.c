/* chmod, chown, utimes, truncate, fallocate, fsync and the xattr calls. */
#include <linux/limits.h>
#include <linux/xattr.h>
#include <string.h>
#include <sys/time.h>
#include <utime.h>
#include "fs/vfs.h"
#include "sys/syscalls.h"

/* fdget(): the calls that act on an open file refuse O_PATH descriptors with EBADF. */
static struct file *fd_get_real(struct task *t, int fd)
{
	struct file *f = fd_get(t, fd);
	return f && !(f->flags & O_PATH) ? f : NULL;
}

static bool file_writable(const struct file *f)
{
	return (f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_ACCMODE) == O_RDWR;
}

/* ---- chmod ---------------------------------------------------------------------- */

static long do_fchmodat(struct task *t, int dirfd, unsigned long upath, mode_t mode)
{
	struct path p;
	int err = resolve_at(t, dirfd, upath, 0, &p);
	if (err < 0)
		return err;
	err = vfs_chmod(t, &p, p.dentry->inode, mode);
	path_put(&p);
	return err;
}

long sys_chmod(struct task *t, struct syscall_args *a) { return do_fchmodat(t, AT_FDCWD, a->a[0], (mode_t)a->a[1]); }
long sys_fchmodat(struct task *t, struct syscall_args *a) { return do_fchmodat(t, (int)a->a[0], a->a[1], (mode_t)a->a[2]); }

long sys_fchmod(struct task *t, struct syscall_args *a)
{
	struct file *f = fd_get_real(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	return vfs_chmod(t, &f->path, f->inode, (mode_t)a->a[1]);
}

/* ---- chown ---------------------------------------------------------------------- */

static long do_fchownat(struct task *t, int dirfd, unsigned long upath, uid_t uid, gid_t gid, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct path p;
	int err = resolve_at(t, dirfd, upath, flags, &p);
	if (err < 0)
		return err;
	err = vfs_chown(t, &p, p.dentry->inode, uid, gid);
	path_put(&p);
	return err;
}

long sys_chown(struct task *t, struct syscall_args *a)
{
	return do_fchownat(t, AT_FDCWD, a->a[0], (uid_t)a->a[1], (gid_t)a->a[2], 0);
}
long sys_lchown(struct task *t, struct syscall_args *a)
{
	return do_fchownat(t, AT_FDCWD, a->a[0], (uid_t)a->a[1], (gid_t)a->a[2], AT_SYMLINK_NOFOLLOW);
}
long sys_fchownat(struct task *t, struct syscall_args *a)
{
	return do_fchownat(t, (int)a->a[0], a->a[1], (uid_t)a->a[2], (gid_t)a->a[3], (int)a->a[4]);
}

long sys_fchown(struct task *t, struct syscall_args *a)
{
	struct file *f = fd_get_real(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	return vfs_chown(t, &f->path, f->inode, (uid_t)a->a[1], (gid_t)a->a[2]);
}

/* ---- times ---------------------------------------------------------------------- */

/* do_utimes(): no name and a real descriptor means the open file itself. */
static long do_utimes(struct task *t, int dirfd, unsigned long upath, const struct timespec *times,
		      int flags)
{
	if (!upath && dirfd != AT_FDCWD) {
		if (flags)
			return -EINVAL;
		struct file *f = fd_get_real(t, dirfd);
		if (!f)
			return -EBADF;
		return vfs_utimes(t, &f->path, f->inode, times);
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct path p;
	int err = resolve_at(t, dirfd, upath, flags, &p);
	if (err < 0)
		return err;
	err = vfs_utimes(t, &p, p.dentry->inode, times);
	path_put(&p);
	return err;
}

long sys_utimensat(struct task *t, struct syscall_args *a)
{
	struct timespec ts[2];
	if (a->a[2]) {
		if (guest_read(t, ts, a->a[2], sizeof(ts)) < 0)
			return -EFAULT;
		if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
			return 0;   /* nothing to do: Linux doesn't even look the name up */
	}
	return do_utimes(t, (int)a->a[0], a->a[1], a->a[2] ? ts : NULL, (int)a->a[3]);
}

/* futimesat/utimes: microseconds, checked before the multiplication hides bad ones. */
static long do_futimesat(struct task *t, int dirfd, unsigned long upath, unsigned long utv)
{
	struct timeval tv[2];
	struct timespec ts[2];
	if (!utv)
		return do_utimes(t, dirfd, upath, NULL, 0);
	if (guest_read(t, tv, utv, sizeof(tv)) < 0)
		return -EFAULT;
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return do_utimes(t, dirfd, upath, ts, 0);
}

long sys_utimes(struct task *t, struct syscall_args *a) { return do_futimesat(t, AT_FDCWD, a->a[0], a->a[1]); }
long sys_futimesat(struct task *t, struct syscall_args *a) { return do_futimesat(t, (int)a->a[0], a->a[1], a->a[2]); }

long sys_utime(struct task *t, struct syscall_args *a)
{
	struct utimbuf ub;
	if (!a->a[1])
		return do_utimes(t, AT_FDCWD, a->a[0], NULL, 0);
	if (guest_read(t, &ub, a->a[1], sizeof(ub)) < 0)
		return -EFAULT;
	struct timespec ts[2] = { { ub.actime, 0 }, { ub.modtime, 0 } };
	return do_utimes(t, AT_FDCWD, a->a[0], ts, 0);
}

/* ---- size ------------------------------------------------------------------------ */

long sys_truncate(struct task *t, struct syscall_args *a)
{
	off_t size = (off_t)a->a[1];
	if (size < 0)
		return -EINVAL;
	struct path p;
	int err = resolve_at(t, AT_FDCWD, a->a[0], 0, &p);
	if (err < 0)
		return err;
	err = vfs_truncate(t, &p, size);
	path_put(&p);
	return err;
}

long sys_ftruncate(struct task *t, struct syscall_args *a)
{
	off_t size = (off_t)a->a[1];
	if (size < 0)
		return -EINVAL;
	struct file *f = fd_get_real(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	/* not EBADF: Linux reports a descriptor not open for writing as EINVAL here */
	if (!S_ISREG(f->inode->mode) || !file_writable(f))
		return -EINVAL;
	return vfs_do_truncate(t, f->inode, f, size);
}

long sys_fallocate(struct task *t, struct syscall_args *a)
{
	struct file *f = fd_get_real(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	return vfs_fallocate(t, f, (int)a->a[1], (off_t)a->a[2], (off_t)a->a[3]);
}

/* ---- sync ------------------------------------------------------------------------ */

static long do_fsync(struct task *t, int fd, bool datasync)
{
	struct file *f = fd_get_real(t, fd);
	if (!f)
		return -EBADF;
	if (f->fops && f->fops->fsync)
		return f->fops->fsync(f, datasync);
	/* Files and directories without an fsync live in memory: nothing to flush. Pipes,
	 * sockets and devices without one get Linux's EINVAL. */
	if (S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode))
		return 0;
	return -EINVAL;
}

long sys_fsync(struct task *t, struct syscall_args *a) { return do_fsync(t, (int)a->a[0], false); }
long sys_fdatasync(struct task *t, struct syscall_args *a) { return do_fsync(t, (int)a->a[0], true); }

/* ---- extended attributes: none are supported, but names and paths are checked ------ */

/* import_xattr_name(): an empty name or one of XATTR_NAME_MAX+1 bytes is ERANGE. */
static long xattr_name_in(struct task *t, unsigned long uname)
{
	char name[XATTR_NAME_MAX + 1];
	long n = guest_read_str(t, name, uname, sizeof(name));
	if (n == 0 || n == -ENAMETOOLONG)
		return -ERANGE;
	return n < 0 ? n : 0;
}

/* The object an xattr call names: a path (l* calls: not following a final symlink),
 * or for the f* calls a descriptor. */
struct xattr_obj {
	unsigned long upath;
	int fd;
	bool by_fd, nofollow;
};

static struct xattr_obj by_path(const struct syscall_args *a, bool nofollow)
{
	return (struct xattr_obj){ .upath = a->a[0], .nofollow = nofollow };
}

static struct xattr_obj by_fd(const struct syscall_args *a)
{
	return (struct xattr_obj){ .fd = (int)a->a[0], .by_fd = true };
}

static long xattr_target(struct task *t, const struct xattr_obj *o, bool write)
{
	struct path p;
	if (o->by_fd) {
		struct file *f = fd_get_real(t, o->fd);
		if (!f)
			return -EBADF;
		return write ? vfs_mnt_writable(f->path.mnt, f->inode) : 0;
	}
	int err = resolve_at(t, AT_FDCWD, o->upath, o->nofollow ? AT_SYMLINK_NOFOLLOW : 0, &p);
	if (err < 0)
		return err;
	err = write ? vfs_mnt_writable(p.mnt, p.dentry->inode) : 0;
	path_put(&p);
	return err;
}

/* getxattr and removexattr: a name, an object, and no attributes to find. */
static long do_named_xattr(struct task *t, struct xattr_obj o, unsigned long uname, bool write)
{
	long err = xattr_name_in(t, uname);
	if (err < 0 || (err = xattr_target(t, &o, write)) < 0)
		return err;
	return -EOPNOTSUPP;
}

long sys_getxattr(struct task *t, struct syscall_args *a) { return do_named_xattr(t, by_path(a, false), a->a[1], false); }
long sys_lgetxattr(struct task *t, struct syscall_args *a) { return do_named_xattr(t, by_path(a, true), a->a[1], false); }
long sys_fgetxattr(struct task *t, struct syscall_args *a) { return do_named_xattr(t, by_fd(a), a->a[1], false); }

static long do_setxattr(struct task *t, struct xattr_obj o, const struct syscall_args *a)
{
	if ((int)a->a[4] & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	long err = xattr_name_in(t, a->a[1]);
	if (err < 0)
		return err;
	if (a->a[3] > XATTR_SIZE_MAX)
		return -E2BIG;
	if ((err = xattr_target(t, &o, true)) < 0)
		return err;
	return -EOPNOTSUPP;
}

long sys_setxattr(struct task *t, struct syscall_args *a) { return do_setxattr(t, by_path(a, false), a); }
long sys_lsetxattr(struct task *t, struct syscall_args *a) { return do_setxattr(t, by_path(a, true), a); }
long sys_fsetxattr(struct task *t, struct syscall_args *a) { return do_setxattr(t, by_fd(a), a); }

/* An empty list: there are no attributes to name. */
static long do_listxattr(struct task *t, struct xattr_obj o)
{
	long err = xattr_target(t, &o, false);
	return err < 0 ? err : 0;
}

long sys_listxattr(struct task *t, struct syscall_args *a) { return do_listxattr(t, by_path(a, false)); }
long sys_llistxattr(struct task *t, struct syscall_args *a) { return do_listxattr(t, by_path(a, true)); }
long sys_flistxattr(struct task *t, struct syscall_args *a) { return do_listxattr(t, by_fd(a)); }

long sys_removexattr(struct task *t, struct syscall_args *a) { return do_named_xattr(t, by_path(a, false), a->a[1], true); }
long sys_lremovexattr(struct task *t, struct syscall_args *a) { return do_named_xattr(t, by_path(a, true), a->a[1], true); }
long sys_fremovexattr(struct task *t, struct syscall_args *a) { return do_named_xattr(t, by_fd(a), a->a[1], true); }
