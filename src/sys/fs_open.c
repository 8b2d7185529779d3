/* open, close, dup and pipe: descriptors. */
#include <string.h>
#include "fs/pipe.h"
#include "fs/vfs.h"
#include "sys/syscalls.h"

long copy_path_in(struct task *t, unsigned long addr, char *buf)
{
	if (!addr)
		return -EFAULT;
	return guest_read_str(t, buf, addr, PATH_MAX);
}

/* build_open_flags' refusals, before the name is read: O_CREAT with O_DIRECTORY
 * (Linux 6.4+; O_TMPFILE holds O_DIRECTORY), O_TMPFILE's bit without O_DIRECTORY or
 * without write access. openat drops every flag O_PATH does not take first. */
static long open_flags_check(int flags)
{
	if (flags & O_PATH)
		return 0;
	if ((flags & O_CREAT) && (flags & O_DIRECTORY))
		return -EINVAL;
	if ((flags & KERNEL_O_TMPFILE_BIT) &&
	    (!(flags & O_DIRECTORY) || (flags & O_ACCMODE) == O_RDONLY))
		return -EINVAL;
	return 0;
}

long do_openat(struct task *t, int dirfd, unsigned long upath, int flags, mode_t mode,
	       unsigned resolve)
{
	char path[PATH_MAX];
	long err = open_flags_check(flags);
	if (err < 0)
		return err;
	err = copy_path_in(t, upath, path);
	if (err < 0)
		return err;
	struct file *f;
	flags &= ~O_LARGEFILE;
	err = vfs_open(t, dirfd, path, flags, mode, resolve, &f);
	if (err < 0)
		return err;
	long fd = fd_install(t, f, flags & O_CLOEXEC, 0);
	if (fd >= 0)
		file_opened_hook(t, f, flags);
	return fd;
}

long sys_open(struct task *t, struct syscall_args *a)
{
	return do_openat(t, AT_FDCWD, a->a[0], (int)a->a[1], (mode_t)a->a[2], 0);
}

long sys_openat(struct task *t, struct syscall_args *a)
{
	return do_openat(t, (int)a->a[0], a->a[1], (int)a->a[2], (mode_t)a->a[3], 0);
}

long sys_creat(struct task *t, struct syscall_args *a)
{
	return do_openat(t, AT_FDCWD, a->a[0], O_CREAT | O_WRONLY | O_TRUNC, (mode_t)a->a[1], 0);
}

long sys_close(struct task *t, struct syscall_args *a)
{
	return fd_close(t, (int)a->a[0]);
}

long sys_close_range(struct task *t, struct syscall_args *a)
{
	unsigned first = (unsigned)a->a[0], last = (unsigned)a->a[1], flags = (unsigned)a->a[2];
	if (first > last || (flags & ~(4U /* CLOSE_RANGE_CLOEXEC */ | 2U /* UNSHARE */)))
		return -EINVAL;
	for (unsigned fd = first; fd <= last && fd < (unsigned)t->files->max; fd++) {
		if (!t->files->fd[fd])
			continue;
		if (flags & 4U)
			t->files->cloexec[fd] = 1;
		else
			fd_close(t, (int)fd);
	}
	return 0;
}

long sys_dup(struct task *t, struct syscall_args *a)
{
	struct file *f = fd_get(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	return fd_install(t, file_get(f), false, 0);
}

static long do_dup3(struct task *t, int oldfd, int newfd, int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	struct file *f = fd_get(t, oldfd);
	if (!f)
		return -EBADF;
	if (oldfd == newfd)
		return -EINVAL;
	return fd_install_at(t, newfd, file_get(f), flags & O_CLOEXEC);
}

long sys_dup2(struct task *t, struct syscall_args *a)
{
	int oldfd = (int)a->a[0], newfd = (int)a->a[1];
	if (oldfd == newfd)
		return fd_get(t, oldfd) ? newfd : -EBADF;
	return do_dup3(t, oldfd, newfd, 0);
}

long sys_dup3(struct task *t, struct syscall_args *a)
{
	return do_dup3(t, (int)a->a[0], (int)a->a[1], (int)a->a[2]);
}

long sys_pipe2(struct task *t, struct syscall_args *a)
{
	int flags = (int)a->a[1];
	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	struct file *rd, *wr;
	int err = pipe_create(t, &rd, &wr);
	if (err < 0)
		return err;
	rd->flags |= (unsigned)flags & O_NONBLOCK;
	wr->flags |= (unsigned)flags & O_NONBLOCK;
	int fds[2];
	fds[0] = fd_install(t, rd, flags & O_CLOEXEC, 0);
	if (fds[0] < 0) {
		file_put(wr);
		return fds[0];
	}
	fds[1] = fd_install(t, wr, flags & O_CLOEXEC, 0);
	if (fds[1] < 0) {
		fd_close(t, fds[0]);
		return fds[1];
	}
	if (guest_write(t, a->a[0], fds, sizeof(fds)) < 0) {
		fd_close(t, fds[0]);
		fd_close(t, fds[1]);
		return -EFAULT;
	}
	return 0;
}

long sys_pipe(struct task *t, struct syscall_args *a)
{
	struct syscall_args b = { .nr = a->nr, .a = { a->a[0], 0 } };
	return sys_pipe2(t, &b);
}

long sys_fcntl(struct task *t, struct syscall_args *a)
{
	int fd = (int)a->a[0], cmd = (int)a->a[1];
	unsigned long arg = a->a[2];
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		/* Linux takes the minimum as an unsigned int: -1 is huge, hence EINVAL */
		if ((unsigned)arg >= t->tg->rlim[RLIMIT_NOFILE].rlim_cur || (unsigned)arg > 1048576)
			return -EINVAL;
		return fd_install(t, file_get(f), cmd == F_DUPFD_CLOEXEC, (int)(unsigned)arg);
	case F_GETFD:
		return t->files->cloexec[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		t->files->cloexec[fd] = (arg & FD_CLOEXEC) != 0;
		return 0;
	case F_GETFL:
		return f->flags & ~O_CLOEXEC;
	case F_SETFL: {
		unsigned settable = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;
		f->flags = (f->flags & ~settable) | ((unsigned)arg & settable);
		return 0;
	}
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		return pipe_fcntl_size(f, t, cmd, arg);
	default:
		return fcntl_more(t, f, fd, cmd, arg);
	}
}
