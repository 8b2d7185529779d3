/* mount, umount2, chroot, statfs, fstatfs, sync, syncfs: whole filesystems and roots. */
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include "fs/vfs.h"
#include "sys/syscalls.h"

#define MOUNT_DATA_MAX PAGE_SIZE   /* copy_mount_options() copies one page */

/* copy_mount_string(): NULL stays NULL. */
static long mount_string_in(struct task *t, unsigned long addr, char **out)
{
	*out = NULL;
	if (!addr)
		return 0;
	char *s = malloc(PATH_MAX);
	if (!s)
		return -ENOMEM;
	long n = guest_read_str(t, s, addr, PATH_MAX);
	if (n < 0) {
		free(s);
		return n == -ENAMETOOLONG ? -EINVAL : n;
	}
	*out = s;
	return 0;
}

/* copy_mount_options(): whatever lies in the first page, cut at its end. */
static long mount_data_in(struct task *t, unsigned long addr, char **out)
{
	*out = NULL;
	if (!addr)
		return 0;
	char *s = malloc(MOUNT_DATA_MAX);
	if (!s)
		return -ENOMEM;
	long n = guest_read_str(t, s, addr, MOUNT_DATA_MAX);
	if (n == -ENAMETOOLONG) {
		s[MOUNT_DATA_MAX - 1] = 0;
	} else if (n < 0) {
		free(s);
		return n;
	}
	*out = s;
	return 0;
}

/* Mounts here have no propagation: every mount is already private, so asking for any
 * propagation type only needs the target to be a mount's root. */
static long change_type(struct task *t, const char *target)
{
	struct path p;
	int err = path_walk(t, AT_FDCWD, target, LOOKUP_FOLLOW, &p);
	if (err < 0)
		return err;
	bool root = p.dentry == p.mnt->root;
	path_put(&p);
	return root ? 0 : -EINVAL;
}

/* The lookup's error, if any: Linux looks the target up before anything else. Returns
 * the target's file type. */
static long target_lookup(struct task *t, const char *target, unsigned lookup)
{
	struct path p;
	int err = path_walk(t, AT_FDCWD, target, lookup, &p);
	if (err < 0)
		return err;
	long type = p.dentry->inode->mode & S_IFMT;
	path_put(&p);
	return type;
}

static long do_mount(struct task *t, const char *source, const char *target, const char *type,
		     unsigned long flags, const char *data)
{
	long err = target_lookup(t, target, LOOKUP_FOLLOW);
	if (err < 0)
		return err;
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;   /* the pre-1.0 magic number */
	if (flags & MS_NOUSER)
		return -EINVAL;
	if (!cred_is_root(&t->cred))
		return -EPERM;
	if (!(flags & (MS_REMOUNT | MS_BIND | MS_MOVE)) &&
	    (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)))
		return change_type(t, target);
	if (!(flags & (MS_REMOUNT | MS_BIND | MS_MOVE)) && !type)
		return -EINVAL;
	return vfs_mount(t, source, target, type, flags, data);
}

long sys_mount(struct task *t, struct syscall_args *a)
{
	char *type = NULL, *source = NULL, *data = NULL, target[PATH_MAX];
	long err = mount_string_in(t, a->a[2], &type);
	if (err >= 0)
		err = mount_string_in(t, a->a[0], &source);
	if (err >= 0)
		err = mount_data_in(t, a->a[4], &data);
	if (err >= 0)
		err = copy_path_in(t, a->a[1], target);
	if (err >= 0)
		err = do_mount(t, source, target, type, a->a[3], data);
	free(type);
	free(source);
	free(data);
	return err;
}

long sys_umount2(struct task *t, struct syscall_args *a)
{
	int flags = (int)a->a[1];
	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	char target[PATH_MAX];
	long err = copy_path_in(t, a->a[0], target);
	if (err < 0)
		return err;
	/* Linux looks the target up before asking for privilege */
	err = target_lookup(t, target, (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW);
	if (err < 0)
		return err;
	if (!cred_is_root(&t->cred))
		return -EPERM;
	if (S_ISLNK(err))
		return -EINVAL;   /* UMOUNT_NOFOLLOW named a symlink: never a mount's root */
	if (flags & MNT_EXPIRE) {
		/* Expiry marks aren't kept: every request only marks, as Linux's first does. */
		return (flags & (MNT_FORCE | MNT_DETACH)) ? -EINVAL : -EAGAIN;
	}
	/* MNT_FORCE and MNT_DETACH: nothing to abort and no lazy detach; a busy mount stays */
	return vfs_umount(t, target, flags);
}

long sys_chroot(struct task *t, struct syscall_args *a)
{
	struct path p;
	int err = resolve_at(t, AT_FDCWD, a->a[0], 0, &p);
	if (err < 0)
		return err;
	if (!S_ISDIR(p.dentry->inode->mode))
		err = -ENOTDIR;
	else if ((err = path_permission(t, &p, MAY_EXEC)) == 0 && !cred_is_root(&t->cred))
		err = -EPERM;   /* CAP_SYS_CHROOT, checked after the lookup as Linux does */
	if (err < 0) {
		path_put(&p);
		return err;
	}
	path_put(&t->fs->root);
	t->fs->root = p;   /* takes the reference */
	return 0;
}

/* ---- statfs ---------------------------------------------------------------------- */

/* What pipes and other inodes without a filesystem report (Linux's pipefs). */
static void anon_statfs(const struct inode *inode, struct statfs *st)
{
	memset(st, 0, sizeof(*st));
	st->f_type = S_ISSOCK(inode->mode) ? SOCKFS_MAGIC : PIPEFS_MAGIC;
	st->f_bsize = PAGE_SIZE;
	st->f_frsize = PAGE_SIZE;
	st->f_namelen = NAME_MAX;
}

#define ST_VALID 0x0020   /* f_flags means something (Linux's include/linux/statfs.h) */

/* f_flags: ST_VALID and our mount's flags, not whatever a host filesystem said. */
static unsigned long statfs_flags(const struct mount *mnt, const struct super_block *sb)
{
	static const struct { unsigned long ms, st; } map[] = {
		{ MS_RDONLY, ST_RDONLY }, { MS_NOSUID, ST_NOSUID }, { MS_NODEV, ST_NODEV },
		{ MS_NOEXEC, ST_NOEXEC }, { MS_SYNCHRONOUS, ST_SYNCHRONOUS },
		{ MS_MANDLOCK, ST_MANDLOCK }, { MS_NOATIME, ST_NOATIME },
		{ MS_NODIRATIME, ST_NODIRATIME }, { MS_RELATIME, ST_RELATIME },
	};
	unsigned long ms = (mnt ? mnt->flags : 0) | (sb ? sb->flags : 0), st = ST_VALID;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (ms & map[i].ms)
			st |= map[i].st;
	return st;
}

static long statfs_out(struct task *t, const struct mount *mnt, const struct inode *inode,
		       unsigned long ubuf)
{
	struct super_block *sb = inode->sb;
	struct statfs st;
	int err = 0;
	if (!sb)
		anon_statfs(inode, &st);
	else if (sb->statfs)
		err = sb->statfs(sb, &st);
	else
		err = fs_statfs_default(sb, &st);
	if (err < 0)
		return err;
	st.f_flags = (long)statfs_flags(mnt, sb);
	return guest_write(t, ubuf, &st, sizeof(st));
}

long sys_statfs(struct task *t, struct syscall_args *a)
{
	struct path p;
	int err = resolve_at(t, AT_FDCWD, a->a[0], 0, &p);
	if (err < 0)
		return err;
	long r = statfs_out(t, p.mnt, p.dentry->inode, a->a[1]);
	path_put(&p);
	return r;
}

long sys_fstatfs(struct task *t, struct syscall_args *a)
{
	struct file *f = fd_get(t, (int)a->a[0]);   /* O_PATH descriptors too */
	if (!f)
		return -EBADF;
	return statfs_out(t, f->path.mnt, f->inode, a->a[1]);
}

/* ---- sync ------------------------------------------------------------------------ */

/* Filesystems that keep state in memory (ext2/3/4's metadata) write it out and their
 * disks are flushed; the others write through to the host already. */
long sys_sync(struct task *t, struct syscall_args *a)
{
	(void)t; (void)a;
	vfs_sync_all();
	return 0;
}

long sys_syncfs(struct task *t, struct syscall_args *a)
{
	struct file *f = fd_get(t, (int)a->a[0]);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	struct super_block *sb = f->inode ? f->inode->sb : NULL;
	return sb && sb->sync ? sb->sync(sb) : 0;
}
