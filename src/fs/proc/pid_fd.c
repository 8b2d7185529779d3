/*
 * /proc/<pid>/fd/ (a symlink per open descriptor, naming what it refers to) and
 * /proc/<pid>/fdinfo/ (position, flags, mount and inode of each, then what the file's
 * kind adds: an eventfd's count, an epoll file's watches...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include "fs/locks.h"
#include "fs/pipe.h"
#include "fs/proc/internal.h"

/* Anonymous file kinds, by their file operations. */
#define MAX_ANON_NAMES 32
static struct { const struct file_ops *fops; const char *name; } anon_names[MAX_ANON_NAMES];
static int nr_anon_names;

void proc_register_anon_name(const struct file_ops *fops, const char *name)
{
	for (int i = 0; i < nr_anon_names; i++)
		if (anon_names[i].fops == fops)
			return;
	if (nr_anon_names < MAX_ANON_NAMES)
		anon_names[nr_anon_names++] = (typeof(anon_names[0])){ fops, name };
}

static const char *anon_name(const struct file_ops *fops)
{
	for (int i = 0; i < nr_anon_names; i++)
		if (anon_names[i].fops == fops)
			return anon_names[i].name;
	return "[unknown]";
}

/*
 * Files opened by path keep it (f->path); pipes, sockets and the anon-inode family
 * (eventfd, epoll, signalfd...) have no dentry: Linux names those by kind and inode.
 */
int proc_file_name(struct task *reader, struct file *f, char *buf, size_t len)
{
	if (f->path.dentry && f->path.mnt && reader && reader->fs)
		return path_to_string_deleted(reader, &f->path, buf, len);
	mode_t mode = f->inode ? f->inode->mode : 0;
	unsigned long long ino = f->inode ? (unsigned long long)f->inode->ino : 0;
	int n;
	if (S_ISFIFO(mode))
		n = snprintf(buf, len, "pipe:[%llu]", ino);
	else if (S_ISSOCK(mode))
		n = snprintf(buf, len, "socket:[%llu]", ino);
	else
		n = snprintf(buf, len, "anon_inode:%s", anon_name(f->fops));
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* The open file behind an fd/ or fdinfo/ node, if reader may see it. */
static int node_file(const struct proc_node *n, struct task *reader, struct task **owner,
		     struct file **out)
{
	struct thread_group *tg;
	struct task *t;
	int err = proc_node_target_for(n, reader, true, &tg, &t);
	if (err < 0)
		return err;
	struct file *f = t && t->files ? fd_get(t, n->fd) : NULL;
	if (!f)
		return -ENOENT;
	*owner = t;
	*out = f;
	return 0;
}

static int fd_readlink(const struct proc_node *n, struct task *reader, char *buf, size_t len)
{
	struct task *t;
	struct file *f;
	int err = node_file(n, reader, &t, &f);
	if (err < 0)
		return err;
	return proc_file_name(reader ? reader : t, f, buf, len);
}

/* Linux shows the access mode in the link's permission bits (lr-x, l-wx, lrwx). */
mode_t proc_fd_link_mode(const struct proc_node *n)
{
	struct thread_group *tg;
	struct task *t;
	mode_t mode = S_IFLNK;
	if (proc_node_target(n, &tg, &t) < 0 || !t || !t->files)
		return mode | 0700;
	struct file *f = fd_get(t, n->fd);
	unsigned acc = f ? (f->flags & O_ACCMODE) : O_RDWR;
	if (acc == O_RDONLY || acc == O_RDWR)
		mode |= 0500;
	if (acc == O_WRONLY || acc == O_RDWR)
		mode |= 0300;
	return mode;
}

static int show_fdinfo(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	struct task *t;
	struct file *f;
	int err = node_file(n, reader, &t, &f);
	if (err < 0)
		return err;
	unsigned flags = f->flags | (t->files->cloexec[n->fd] ? O_CLOEXEC : 0);
	/* Linux forces O_LARGEFILE on every file opened by name on 64-bit */
	if (f->path.dentry)
		flags |= KERNEL_O_LARGEFILE;
	proc_printf(b, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%llu\n", (long long)f->pos,
		    flags, f->path.mnt ? proc_mount_id(f->path.mnt) : 0,
		    f->inode ? (unsigned long long)f->inode->ino : 0ULL);
	locks_show_fdinfo(b, f, t->files);   /* any kind of file may hold locks, shown first */
	if (f->fops && f->fops->show_fdinfo)
		f->fops->show_fdinfo(f, b);
	return 0;
}

unsigned proc_sdev(const struct super_block *sb)
{
	dev_t d = sb ? sb->dev : 0;
	return major(d) << 20 | minor(d);
}

/* Opening /proc/<pid>/fd/N reaches the file itself, even one whose name is gone; a pipe
 * opens again. Other files without a path (sockets, anonymous inodes) are followed by
 * their text, still as a magic link. */
static int fd_get_path(const struct proc_node *n, struct task *reader, struct path *out)
{
	struct task *t;
	struct file *f;
	int err = node_file(n, reader, &t, &f);
	if (err < 0)
		return err;
	if (!f->path.dentry || !f->path.mnt)
		return pipe_proc_path(f, out) == 1 ? LINK_MAGIC_TEXT : 0;
	*out = f->path;
	path_get(out);
	return 0;
}

static const struct proc_entry fd_link_entry = {
	.name = "<fd>", .mode = S_IFLNK | 0700, .readlink = fd_readlink, .get_path = fd_get_path,
};
static const struct proc_entry fdinfo_entry = {
	.name = "<fdinfo>", .mode = S_IFREG | 0444, .show = show_fdinfo,
};

static int fd_lookup_common(const struct proc_node *dir, const char *name, struct proc_node *out,
			    const struct proc_entry *e, unsigned id)
{
	struct thread_group *tg;
	struct task *t;
	char *end;
	long fd = strtol(name, &end, 10);
	if (*end || name[0] < '0' || name[0] > '9' || fd < 0 || fd >= (1 << 20) - 1)
		return -ENOENT;
	int err = proc_node_target(dir, &tg, &t);
	if (err < 0)
		return err;
	if (!t || !t->files || !fd_get(t, (int)fd))
		return -ENOENT;
	proc_node_make(out, e, dir->pid, dir->tid, (int)fd, id);
	return 0;
}

static int fd_lookup_extra(const struct proc_node *dir, const char *name, struct proc_node *out)
{
	return fd_lookup_common(dir, name, out, &fd_link_entry, PROC_ID_FD_LINK);
}

static int fdinfo_lookup_extra(const struct proc_node *dir, const char *name, struct proc_node *out)
{
	return fd_lookup_common(dir, name, out, &fdinfo_entry, PROC_ID_FDINFO);
}

/* Lists open descriptors from cursor fd on; listing needs the right to inspect. */
static bool fd_iterate_common(const struct proc_node *dir, struct proc_iter *it, mode_t mode, unsigned id)
{
	struct thread_group *tg;
	struct task *t;
	if (proc_node_target(dir, &tg, &t) < 0 || !t || !t->files ||
	    !proc_may_inspect(current, tg, t))
		return true;
	for (off_t fd = it->file->pos - it->base; fd < t->files->max; fd++) {
		if (!t->files->fd[fd])
			continue;
		char name[16];
		snprintf(name, sizeof(name), "%d", (int)fd);
		if (!proc_emit(it, name, PROC_INO(dir->pid, dir->tid, fd, id), mode, it->base + fd + 1))
			return false;
	}
	it->file->pos = it->base + t->files->max;
	return true;
}

static bool fd_iterate_extra(const struct proc_node *dir, struct proc_iter *it)
{
	return fd_iterate_common(dir, it, S_IFLNK, PROC_ID_FD_LINK);
}

static bool fdinfo_iterate_extra(const struct proc_node *dir, struct proc_iter *it)
{
	return fd_iterate_common(dir, it, S_IFREG, PROC_ID_FDINFO);
}

const struct proc_dir proc_fd_dir = {
	.ino_base = PROC_BASE_FDDIR,
	.lookup_extra = fd_lookup_extra,
	.iterate_extra = fd_iterate_extra,
};
const struct proc_dir proc_fdinfo_dir = {
	.ino_base = PROC_BASE_FDDIR,
	.lookup_extra = fdinfo_lookup_extra,
	.iterate_extra = fdinfo_iterate_extra,
};
