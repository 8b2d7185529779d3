/* stat family, getdents64, cwd, access and readlink. */
#include <linux/stat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fs/notify/fsnotify.h"
#include "fs/vfs.h"
#include "sys/syscalls.h"

static void kstat_to_stat(const struct kstat *k, struct stat *s)
{
	memset(s, 0, sizeof(*s));
	s->st_dev = k->dev;
	s->st_ino = k->ino;
	s->st_mode = k->mode;
	s->st_nlink = k->nlink;
	s->st_uid = k->uid;
	s->st_gid = k->gid;
	s->st_rdev = k->rdev;
	s->st_size = k->size;
	s->st_blksize = k->blksize ? k->blksize : 4096;
	s->st_blocks = k->blocks;
	s->st_atim = k->atime;
	s->st_mtim = k->mtime;
	s->st_ctim = k->ctime;
}

/* Resolves (dirfd, path, AT_* flags) to a path; AT_EMPTY_PATH takes dirfd itself. */
int resolve_at(struct task *t, int dirfd, unsigned long upath, int atflags, struct path *out)
{
	char path[PATH_MAX];
	long err = copy_path_in(t, upath, path);
	if (err < 0)
		return (int)err;
	unsigned lf = (atflags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	if (atflags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	if (!path[0] && (atflags & AT_EMPTY_PATH)) {
		if (dirfd == AT_FDCWD) {
			*out = t->fs->cwd;
			path_get(out);
			return 0;
		}
		struct file *f = fd_get(t, dirfd);
		if (!f)
			return -EBADF;
		if (!f->path.dentry) {
			/* anonymous files (pipes, sockets) have only an inode */
			out->mnt = NULL;
			out->dentry = dentry_new("", NULL, inode_get(f->inode));
			return 0;
		}
		*out = f->path;
		path_get(out);
		return 0;
	}
	return path_walk(t, dirfd, path, lf, out);
}

static long stat_out(struct task *t, struct inode *inode, unsigned long ubuf)
{
	struct kstat k;
	int err = vfs_getattr(inode, &k);
	if (err < 0)
		return err;
	struct stat s;
	kstat_to_stat(&k, &s);
	return guest_write(t, ubuf, &s, sizeof(s));
}

static long do_fstatat(struct task *t, int dirfd, unsigned long upath, unsigned long ubuf, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	struct path p;
	int err = resolve_at(t, dirfd, upath, flags, &p);
	if (err < 0)
		return err;
	long r = stat_out(t, p.dentry->inode, ubuf);
	path_put(&p);
	return r;
}

long sys_stat(struct task *t, struct syscall_args *a) { return do_fstatat(t, AT_FDCWD, a->a[0], a->a[1], 0); }
long sys_lstat(struct task *t, struct syscall_args *a) { return do_fstatat(t, AT_FDCWD, a->a[0], a->a[1], AT_SYMLINK_NOFOLLOW); }
long sys_newfstatat(struct task *t, struct syscall_args *a) { return do_fstatat(t, (int)a->a[0], a->a[1], a->a[2], (int)a->a[3]); }

long sys_fstat(struct task *t, struct syscall_args *a)
{
	struct file *f = fd_get(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	return stat_out(t, f->inode, a->a[1]);
}

long sys_statx(struct task *t, struct syscall_args *a)
{
	int flags = (int)a->a[2];
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (a->a[3] & STATX__RESERVED))
		return -EINVAL;
	struct path p;
	int err = resolve_at(t, (int)a->a[0], a->a[1], flags, &p);
	if (err < 0)
		return err;
	struct kstat k;
	err = vfs_getattr(p.dentry->inode, &k);
	if (!err && p.mnt == NULL && p.dentry->inode->sb == NULL)
		k.dev = 0;
	int mnt_id = 1;
	path_put(&p);
	if (err < 0)
		return err;
	struct statx x;
	memset(&x, 0, sizeof(x));
	x.stx_mask = STATX_BASIC_STATS | STATX_MNT_ID;
	x.stx_blksize = (uint32_t)(k.blksize ? k.blksize : 4096);
	x.stx_nlink = (uint32_t)k.nlink;
	x.stx_uid = k.uid;
	x.stx_gid = k.gid;
	x.stx_mode = (uint16_t)k.mode;
	x.stx_ino = k.ino;
	x.stx_size = (uint64_t)k.size;
	x.stx_blocks = (uint64_t)k.blocks;
	x.stx_atime.tv_sec = k.atime.tv_sec; x.stx_atime.tv_nsec = (uint32_t)k.atime.tv_nsec;
	x.stx_mtime.tv_sec = k.mtime.tv_sec; x.stx_mtime.tv_nsec = (uint32_t)k.mtime.tv_nsec;
	x.stx_ctime.tv_sec = k.ctime.tv_sec; x.stx_ctime.tv_nsec = (uint32_t)k.ctime.tv_nsec;
	x.stx_rdev_major = major(k.rdev);
	x.stx_rdev_minor = minor(k.rdev);
	x.stx_dev_major = major(k.dev);
	x.stx_dev_minor = minor(k.dev);
	x.stx_mnt_id = (uint64_t)mnt_id;
	return guest_write(t, a->a[4], &x, sizeof(x));
}

struct dirent64_sink {
	struct dirent_sink base;
	char *buf;
	size_t len, used;
};

static bool emit_dirent64(struct dirent_sink *s, const char *name, uint64_t ino, unsigned type, off_t next)
{
	struct dirent64_sink *d = (struct dirent64_sink *)s;
	size_t namelen = strlen(name);
	size_t reclen = (19 + namelen + 1 + 7) & ~7UL;
	if (d->used + reclen > d->len)
		return false;
	char *p = d->buf + d->used;
	memset(p, 0, reclen);
	memcpy(p, &ino, 8);
	int64_t off = next;
	memcpy(p + 8, &off, 8);
	uint16_t rl = (uint16_t)reclen;
	memcpy(p + 16, &rl, 2);
	p[18] = (char)type;
	memcpy(p + 19, name, namelen);
	d->used += reclen;
	return true;
}

long sys_getdents64(struct task *t, struct syscall_args *a)
{
	struct file *f = fd_get(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	if (!f->inode || !S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	if (!f->fops || !f->fops->iterate)
		return -ENOTDIR;
	size_t len = a->a[2] > 65536 ? 65536 : a->a[2];
	struct dirent64_sink s = { { emit_dirent64 }, malloc(len ? len : 1), len, 0 };
	if (!s.buf)
		return -ENOMEM;
	int err = f->fops->iterate(f, &s.base);
	fsnotify_access(f);   /* Linux's iterate_dir: every read of a directory, even at its end */
	long r;
	if (err < 0)
		r = err;
	else if (s.used == 0 && err == 0 && len < 280)
		r = f->pos == 0 && len < 24 ? -EINVAL : 0;
	else
		r = (long)s.used;
	if (r > 0 && guest_write(t, a->a[1], s.buf, s.used) < 0)
		r = -EFAULT;
	free(s.buf);
	return r;
}

long sys_getcwd(struct task *t, struct syscall_args *a)
{
	char buf[PATH_MAX];
	if (t->fs->cwd.dentry->inode->dead)
		return -ENOENT;   /* Linux: the cwd was removed (its dentry is unhashed) */
	int err = path_to_string(t, &t->fs->cwd, buf, sizeof(buf));
	if (err < 0)
		return err;
	size_t n = strlen(buf) + 1;
	if (n > a->a[1])
		return -ERANGE;
	if (guest_write(t, a->a[0], buf, n) < 0)
		return -EFAULT;
	return (long)n;
}

static long set_cwd(struct task *t, struct path *p)
{
	if (!S_ISDIR(p->dentry->inode->mode))
		return -ENOTDIR;
	int err = path_permission(t, p, MAY_EXEC);
	if (err < 0)
		return err;
	path_put(&t->fs->cwd);
	t->fs->cwd = *p;
	path_get(&t->fs->cwd);
	return 0;
}

long sys_chdir(struct task *t, struct syscall_args *a)
{
	struct path p;
	int err = resolve_at(t, AT_FDCWD, a->a[0], 0, &p);
	if (err < 0)
		return err;
	long r = set_cwd(t, &p);
	path_put(&p);
	return r;
}

long sys_fchdir(struct task *t, struct syscall_args *a)
{
	struct file *f = fd_get(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	if (!f->path.dentry)
		return -ENOTDIR;
	return set_cwd(t, &f->path);
}

static long do_faccessat(struct task *t, int dirfd, unsigned long upath, int mode, int flags)
{
	if (mode & ~7)
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	/* access(2) checks with the real ids unless AT_EACCESS */
	struct cred saved = t->cred;
	if (!(flags & AT_EACCESS)) {
		t->cred.fsuid = t->cred.uid;
		t->cred.fsgid = t->cred.gid;
	}
	struct path p;
	int err = resolve_at(t, dirfd, upath, flags, &p);
	if (!err) {
		if (mode)
			err = path_permission(t, &p, mode);
		path_put(&p);
	}
	t->cred = saved;
	return err;
}

long sys_access(struct task *t, struct syscall_args *a) { return do_faccessat(t, AT_FDCWD, a->a[0], (int)a->a[1], 0); }
long sys_faccessat(struct task *t, struct syscall_args *a) { return do_faccessat(t, (int)a->a[0], a->a[1], (int)a->a[2], 0); }
long sys_faccessat2(struct task *t, struct syscall_args *a) { return do_faccessat(t, (int)a->a[0], a->a[1], (int)a->a[2], (int)a->a[3]); }

static long do_readlinkat(struct task *t, int dirfd, unsigned long upath, unsigned long ubuf, long len)
{
	if (len <= 0)
		return -EINVAL;
	struct path p;
	int err = resolve_at(t, dirfd, upath, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &p);
	if (err < 0)
		return err;
	struct inode *i = p.dentry->inode;
	long n;
	char *buf = malloc(PATH_MAX);
	if (!buf) {
		path_put(&p);
		return -ENOMEM;
	}
	if (!S_ISLNK(i->mode) || !i->iops || !i->iops->readlink)
		n = -EINVAL;
	else
		n = i->iops->readlink(i, buf, PATH_MAX);
	path_put(&p);
	if (n > len)
		n = len;
	if (n > 0 && guest_write(t, ubuf, buf, (size_t)n) < 0)
		n = -EFAULT;
	free(buf);
	return n;
}

long sys_readlink(struct task *t, struct syscall_args *a) { return do_readlinkat(t, AT_FDCWD, a->a[0], a->a[1], (long)a->a[2]); }
long sys_readlinkat(struct task *t, struct syscall_args *a) { return do_readlinkat(t, (int)a->a[0], a->a[1], a->a[2], (long)a->a[3]); }
