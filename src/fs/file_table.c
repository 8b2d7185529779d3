/* Descriptor tables (shared or copied as clone says) and the fs_struct (root, cwd, umask). */
#include <stdlib.h>
#include <string.h>
#include "fs/locks.h"
#include "fs/vfs.h"

#define FD_INITIAL 64

struct files_struct *files_new(void)
{
	struct files_struct *fs = xcalloc(1, sizeof(*fs));
	fs->refcount = 1;
	fs->max = FD_INITIAL;
	fs->fd = xcalloc((size_t)fs->max, sizeof(*fs->fd));
	fs->cloexec = xcalloc((size_t)fs->max, 1);
	return fs;
}

struct files_struct *files_copy(struct files_struct *old)
{
	struct files_struct *fs = xcalloc(1, sizeof(*fs));
	fs->refcount = 1;
	fs->max = old->max;
	fs->fd = xcalloc((size_t)fs->max, sizeof(*fs->fd));
	fs->cloexec = xcalloc((size_t)fs->max, 1);
	for (int i = 0; i < fs->max; i++) {
		fs->fd[i] = file_get(old->fd[i]);
		fs->cloexec[i] = old->cloexec[i];
	}
	return fs;
}

void files_put(struct files_struct *fs)
{
	if (!fs || --fs->refcount > 0)
		return;
	for (int i = 0; i < fs->max; i++) {
		locks_remove_posix(fs, fs->fd[i]);   /* the table owned them */
		file_put(fs->fd[i]);
	}
	free(fs->fd);
	free(fs->cloexec);
	free(fs);
}

struct file *fd_get(struct task *t, int fd)
{
	if (fd < 0 || fd >= t->files->max)
		return NULL;
	return t->files->fd[fd];
}

static int files_grow(struct files_struct *fs, int need)
{
	int max = fs->max;
	while (max <= need)
		max *= 2;
	struct file **fd = realloc(fs->fd, (size_t)max * sizeof(*fd));
	if (!fd)
		return -ENOMEM;
	fs->fd = fd;
	unsigned char *ce = realloc(fs->cloexec, (size_t)max);
	if (!ce)
		return -ENOMEM;
	fs->cloexec = ce;
	memset(fs->fd + fs->max, 0, (size_t)(max - fs->max) * sizeof(*fd));
	memset(fs->cloexec + fs->max, 0, (size_t)(max - fs->max));
	fs->max = max;
	return 0;
}

static int nofile_limit(struct task *t)
{
	rlim_t lim = t->tg->rlim[RLIMIT_NOFILE].rlim_cur;
	return lim > 1048576 ? 1048576 : (int)lim;
}

int fd_install(struct task *t, struct file *f, bool cloexec, int min_fd)
{
	struct files_struct *fs = t->files;
	int limit = nofile_limit(t);
	if (min_fd < 0) {
		file_put(f);
		return -EINVAL;
	}
	for (int i = min_fd; i < limit; i++) {
		if (i >= fs->max && files_grow(fs, i) < 0) {
			file_put(f);
			return -ENOMEM;
		}
		if (!fs->fd[i]) {
			fs->fd[i] = f;
			fs->cloexec[i] = cloexec;
			return i;
		}
	}
	file_put(f);
	return min_fd >= limit ? -EINVAL : -EMFILE;
}

/* Puts f at exactly fd (dup2/dup3), closing what was there. */
int fd_install_at(struct task *t, int fd, struct file *f, bool cloexec)
{
	struct files_struct *fs = t->files;
	if (fd < 0 || fd >= nofile_limit(t)) {
		file_put(f);
		return -EBADF;
	}
	if (fd >= fs->max && files_grow(fs, fd) < 0) {
		file_put(f);
		return -ENOMEM;
	}
	struct file *old = fs->fd[fd];
	fs->fd[fd] = f;
	fs->cloexec[fd] = cloexec;
	fd_on_close(t, old);
	file_put(old);
	return fd;
}

int fd_close(struct task *t, int fd)
{
	struct files_struct *fs = t->files;
	if (fd < 0 || fd >= fs->max || !fs->fd[fd])
		return -EBADF;
	struct file *f = fs->fd[fd];
	fs->fd[fd] = NULL;
	fs->cloexec[fd] = 0;
	fd_on_close(t, f);
	file_put(f);
	return 0;
}

void files_close_on_exec(struct files_struct *fs)
{
	for (int i = 0; i < fs->max; i++) {
		if (fs->fd[i] && fs->cloexec[i]) {
			locks_remove_posix(fs, fs->fd[i]);   /* a close like any other */
			file_put(fs->fd[i]);
			fs->fd[i] = NULL;
			fs->cloexec[i] = 0;
		}
	}
}

struct fs_struct *fs_struct_new(void)
{
	struct fs_struct *fs = xcalloc(1, sizeof(*fs));
	fs->refcount = 1;
	fs->umask = 022;
	return fs;
}

struct fs_struct *fs_struct_copy(struct fs_struct *old)
{
	struct fs_struct *fs = fs_struct_new();
	fs->root = old->root;
	fs->cwd = old->cwd;
	path_get(&fs->root);
	path_get(&fs->cwd);
	fs->umask = old->umask;
	return fs;
}

void fs_struct_put(struct fs_struct *fs)
{
	if (!fs || --fs->refcount > 0)
		return;
	path_put(&fs->root);
	path_put(&fs->cwd);
	free(fs);
}
