/* mkdir, mknod, symlink, link, unlink, rmdir, rename: names in, the VFS does the rest. */
#include <stdio.h>
#include "fs/vfs.h"
#include "sys/syscalls.h"

static long do_mkdirat(struct task *t, int dirfd, unsigned long upath, mode_t mode)
{
	char path[PATH_MAX];
	long err = copy_path_in(t, upath, path);
	return err < 0 ? err : vfs_mkdir(t, dirfd, path, mode);
}

long sys_mkdir(struct task *t, struct syscall_args *a) { return do_mkdirat(t, AT_FDCWD, a->a[0], (mode_t)a->a[1]); }
long sys_mkdirat(struct task *t, struct syscall_args *a) { return do_mkdirat(t, (int)a->a[0], a->a[1], (mode_t)a->a[2]); }

/* The syscall's dev is the 32-bit "new" encoding: 12 bits of major, 20 of minor. */
static dev_t decode_dev(unsigned dev)
{
	return makedev((dev & 0xfff00) >> 8, (dev & 0xff) | ((dev >> 12) & 0xfff00));
}

static long do_mknodat(struct task *t, int dirfd, unsigned long upath, mode_t mode, unsigned dev)
{
	char path[PATH_MAX];
	long err = copy_path_in(t, upath, path);
	return err < 0 ? err : vfs_mknod(t, dirfd, path, mode, decode_dev(dev));
}

long sys_mknod(struct task *t, struct syscall_args *a) { return do_mknodat(t, AT_FDCWD, a->a[0], (mode_t)a->a[1], (unsigned)a->a[2]); }
long sys_mknodat(struct task *t, struct syscall_args *a) { return do_mknodat(t, (int)a->a[0], a->a[1], (mode_t)a->a[2], (unsigned)a->a[3]); }

static long do_symlinkat(struct task *t, unsigned long utarget, int dirfd, unsigned long upath)
{
	char target[PATH_MAX], path[PATH_MAX];
	long err = copy_path_in(t, utarget, target);
	if (err < 0)
		return err;
	if (!target[0])
		return -ENOENT;   /* before the link's own name is looked at */
	if ((err = copy_path_in(t, upath, path)) < 0)
		return err;
	return vfs_symlink(t, target, dirfd, path);
}

long sys_symlink(struct task *t, struct syscall_args *a) { return do_symlinkat(t, a->a[0], AT_FDCWD, a->a[1]); }
long sys_symlinkat(struct task *t, struct syscall_args *a) { return do_symlinkat(t, a->a[0], (int)a->a[1], a->a[2]); }

static long do_linkat(struct task *t, int olddirfd, unsigned long uold, int newdirfd,
		      unsigned long unew, int flags)
{
	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	/* Linux 6.10+ lets anyone link a file they opened by its descriptor (O_TMPFILE);
	 * we don't record who opened a file, so AT_EMPTY_PATH is allowed to everyone. */
	int atflags = (flags & AT_SYMLINK_FOLLOW) ? 0 : AT_SYMLINK_NOFOLLOW;
	struct path old;
	char path[PATH_MAX];
	int err = resolve_at(t, olddirfd, uold, atflags | (flags & AT_EMPTY_PATH), &old);
	if (err < 0)
		return err;
	err = (int)copy_path_in(t, unew, path);
	if (err >= 0)
		err = vfs_link(t, &old, newdirfd, path);
	path_put(&old);
	return err;
}

long sys_link(struct task *t, struct syscall_args *a) { return do_linkat(t, AT_FDCWD, a->a[0], AT_FDCWD, a->a[1], 0); }
long sys_linkat(struct task *t, struct syscall_args *a)
{
	return do_linkat(t, (int)a->a[0], a->a[1], (int)a->a[2], a->a[3], (int)a->a[4]);
}

static long do_unlinkat(struct task *t, int dirfd, unsigned long upath, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	char path[PATH_MAX];
	long err = copy_path_in(t, upath, path);
	if (err < 0)
		return err;
	return (flags & AT_REMOVEDIR) ? vfs_rmdir(t, dirfd, path) : vfs_unlink(t, dirfd, path);
}

long sys_unlink(struct task *t, struct syscall_args *a) { return do_unlinkat(t, AT_FDCWD, a->a[0], 0); }
long sys_unlinkat(struct task *t, struct syscall_args *a) { return do_unlinkat(t, (int)a->a[0], a->a[1], (int)a->a[2]); }
long sys_rmdir(struct task *t, struct syscall_args *a) { return do_unlinkat(t, AT_FDCWD, a->a[0], AT_REMOVEDIR); }

static long do_renameat2(struct task *t, int olddirfd, unsigned long uold, int newdirfd,
			 unsigned long unew, unsigned flags)
{
	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	if ((flags & RENAME_WHITEOUT) && !cred_is_root(&t->cred))
		return -EPERM;   /* CAP_MKNOD */
	char from[PATH_MAX], to[PATH_MAX];
	long err = copy_path_in(t, uold, from);
	if (err < 0 || (err = copy_path_in(t, unew, to)) < 0)
		return err;
	return vfs_rename(t, olddirfd, from, newdirfd, to, flags);
}

long sys_rename(struct task *t, struct syscall_args *a) { return do_renameat2(t, AT_FDCWD, a->a[0], AT_FDCWD, a->a[1], 0); }
long sys_renameat(struct task *t, struct syscall_args *a)
{
	return do_renameat2(t, (int)a->a[0], a->a[1], (int)a->a[2], a->a[3], 0);
}
long sys_renameat2(struct task *t, struct syscall_args *a)
{
	return do_renameat2(t, (int)a->a[0], a->a[1], (int)a->a[2], a->a[3], (unsigned)a->a[4]);
}
