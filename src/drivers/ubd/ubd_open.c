/*
 * A unit's host files: the image or COW file opened read-write (or read-only with r,
 * O_SYNC with s), locked on the host as UML does, and its size. A lone file is checked
 * for a COW header unless the d flag says it is plain data.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "drivers/ubd/ubd_int.h"
#include "kernel/kernel.h"

int ubd_open_host(struct ubd *u, const char *path, bool writable, int *fd)
{
	int flags = (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC;
	if (writable && (u->cfg.sync || ubd_sync_all))
		flags |= O_SYNC;
	do
		*fd = open(path, flags);
	while (*fd < 0 && errno == EINTR);
	return *fd < 0 ? -errno : 0;
}

/*
 * UML's rule: a writer holds a write lock on its file, a reader a read lock, so two
 * instances can't both write one image or COW file while any number may share a
 * read-only backing file. Open-file-description locks, so that no other descriptor the
 * kernel opens and closes on the same file drops them.
 */
int ubd_lock(struct ubd *u, int fd, const char *path, bool exclusive)
{
	if (u->cfg.shared) {
		printk("Not locking \"%s\" on the host\n", path);
		return 0;
	}
	struct flock fl = { .l_type = exclusive ? F_WRLCK : F_RDLCK, .l_whence = SEEK_SET };
	if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
		return 0;
	int err = errno;
	printk("<3>Failed to lock '%s', err = %d\n", path, err);
	if (err == EAGAIN || err == EACCES)
		printk("<3>%s: '%s' is %s by another UML or umlinux; ubd flag c (%sc=) shares it "
		       "without a lock\n", u->name, path, exclusive ? "in use" : "being written", u->name);
	return -err;
}

/* Bytes in a host file or host block device. */
int ubd_file_size(int fd, uint64_t *size)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISBLK(st.st_mode))
		return ioctl(fd, BLKGETSIZE64, size) < 0 ? -errno : 0;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	*size = (uint64_t)st.st_size;
	return 0;
}

static uint64_t round_sector(uint64_t bytes)
{
	return (bytes + 511) & ~(uint64_t)511;
}

/* A lone file: a COW file (its header names the backing file) or a plain image. */
static int open_single(struct ubd *u)
{
	const char *file = u->cfg.file;
	bool writable = !u->cfg.read_only;
	int err = ubd_open_host(u, file, writable, &u->fd);
	if (err) {
		printk("<3>%s: can't open '%s': %s\n", u->name, file, strerror(-err));
		return err;
	}
	err = ubd_lock(u, u->fd, file, writable);
	if (err)
		return err;
	uint64_t size;
	err = ubd_file_size(u->fd, &size);
	if (err) {
		printk("<3>%s: can't use '%s': %s\n", u->name, file, strerror(-err));
		return err;
	}
	if (!u->cfg.no_cow) {
		struct cow_header h;
		int cerr = cow_read_header(u->fd, &h);
		if (cerr == COW_OK)
			return ubd_cow_attach(u, &h);
		/* the magic was there (or the read failed): never use a broken COW as data */
		if (cerr < 0 || (cerr != COW_ENOTCOW && !(cerr == COW_ESHORT && size < 8))) {
			printk("<3>%s: '%s' looks like a COW file but can't be used: %s (use %sd= "
			       "if it is plain data)\n", u->name, file,
			       cerr < 0 ? strerror(-cerr) : cow_strerror(cerr), u->name);
			return cerr < 0 ? cerr : -EINVAL;
		}
	}
	u->size = round_sector(size);
	return 0;
}

int ubd_open_files(struct ubd *u)
{
	u->fd = u->backing_fd = -1;
	if (!u->cfg.file[0]) {
		printk("<3>%s: no file given\n", u->name);
		return -ENOENT;
	}
	if (!u->cfg.backing[0])
		return open_single(u);
	bool writable = !u->cfg.read_only;
	int err = ubd_open_host(u, u->cfg.file, writable, &u->fd);
	if (err == -ENOENT) {
		err = ubd_cow_create(u);
		if (err)
			return err;
		err = ubd_open_host(u, u->cfg.file, writable, &u->fd);
	}
	if (err) {
		printk("<3>%s: can't open COW file '%s': %s\n", u->name, u->cfg.file, strerror(-err));
		return err;
	}
	err = ubd_lock(u, u->fd, u->cfg.file, writable);
	if (err)
		return err;
	struct cow_header h;
	int cerr = cow_read_header(u->fd, &h);
	if (cerr != COW_OK) {
		printk("<3>%s: '%s' can't be used as a COW file over '%s': %s\n", u->name,
		       u->cfg.file, u->cfg.backing, cerr < 0 ? strerror(-cerr) : cow_strerror(cerr));
		return cerr < 0 ? cerr : -EINVAL;
	}
	return ubd_cow_attach(u, &h);
}

void ubd_close_files(struct ubd *u)
{
	if (u->fd >= 0)
		close(u->fd);
	if (u->backing_fd >= 0)
		close(u->backing_fd);
	u->fd = u->backing_fd = -1;
	free(u->bitmap);
	u->bitmap = NULL;
}
