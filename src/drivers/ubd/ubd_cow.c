/*
 * COW files under a unit: created on first use over the backing file given with them,
 * checked against that backing file (the COW is only valid over the exact file it was
 * made over: same size, same mtime), switched to a moved backing file the way UML does,
 * and their bitmap loaded into memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "drivers/ubd/ubd_int.h"
#include "kernel/kernel.h"

#define UBD_COW_ALIGN 4096              /* UML's PAGE_SIZE */
#define UBD_MAX_SECTOR_SIZE (1u << 20)

/* Opens and measures a backing file; logs why not. */
static int open_backing(struct ubd *u, const char *path, int *fd, uint64_t *size, int64_t *mtime)
{
	struct stat st;
	int err = ubd_open_host(u, path, false, fd);
	if (err) {
		printk("<3>%s: can't open backing file '%s' of '%s': %s\n", u->name, path,
		       u->cfg.file, strerror(-err));
		return err;
	}
	if (fstat(*fd, &st) < 0 || (err = ubd_file_size(*fd, size)) != 0) {
		err = err ? err : -errno;
		printk("<3>%s: backing file '%s' of '%s': %s\n", u->name, path, u->cfg.file,
		       err == -EISDIR ? "is a directory, not a disk image" : strerror(-err));
		close(*fd);
		*fd = -1;
		return err;
	}
	*mtime = st.st_mtime;
	return 0;
}

int ubd_cow_create(struct ubd *u)
{
	char abs[PATH_MAX];
	struct cow_header h;
	uint64_t size;
	int64_t mtime;
	int bfd, err = open_backing(u, u->cfg.backing, &bfd, &size, &mtime);
	if (err)
		return err;
	close(bfd);
	err = cow_absolute_path(u->cfg.backing, abs, sizeof(abs));
	if (!err && cow_init_v3(&h, abs, mtime, size, COW_SECTOR_SIZE, UBD_COW_ALIGN) != COW_OK)
		err = -ENAMETOOLONG;
	if (err) {
		printk("<3>%s: can't record backing file '%s' in a COW header: %s\n", u->name,
		       u->cfg.backing, strerror(-err));
		return err;
	}
	int fd = open(u->cfg.file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = -errno;
		printk("<3>%s: can't create COW file '%s': %s\n", u->name, u->cfg.file, strerror(-err));
		return err;
	}
	printk("Creating \"%s\" as COW file for \"%s\"\n", u->cfg.file, u->cfg.backing);
	err = cow_write_new(fd, &h);
	if (!err && fsync(fd) < 0)
		err = -errno;
	close(fd);
	if (err) {
		printk("<3>%s: can't write COW file '%s': %s\n", u->name, u->cfg.file, strerror(-err));
		unlink(u->cfg.file);
	}
	return err;
}

/* Says why a backing file no longer fits the COW file made over it. */
static int check_backing(struct ubd *u, const struct cow_header *h, const char *path,
			 uint64_t size, int64_t mtime)
{
	switch (cow_check_backing(h, size, mtime)) {
	case COW_ESIZE:
		printk("<3>%s: backing file %s changed size since %s was made (was %llu, now %llu)\n",
		       u->name, path, u->cfg.file, (unsigned long long)h->size, (unsigned long long)size);
		return -EINVAL;
	case COW_EMTIME:
		printk("<3>%s: backing file %s was modified since %s was made (mtime was %lld, now "
		       "%lld); the COW file is only valid over the unchanged file\n", u->name, path,
		       u->cfg.file, (long long)h->mtime, (long long)mtime);
		return -EINVAL;
	}
	return 0;
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * The backing file given on the command line is not the one the header names (the
 * image moved): UML uses it if it still matches the header and records its new name.
 * Only a v3 header can be rewritten in place; older ones are used as they are.
 */
static int switch_backing(struct ubd *u, struct cow_header *h, uint64_t size, int64_t mtime)
{
	printk("Backing file mismatch - \"%s\" requested, \"%s\" specified in COW header of \"%s\"\n",
	       u->cfg.backing, h->backing_file, u->cfg.file);
	int err = check_backing(u, h, u->cfg.backing, size, mtime);
	if (err)
		return err;
	char abs[PATH_MAX];
	if (u->cfg.read_only || h->version != 3 || h->broken_v3 ||
	    cow_absolute_path(u->cfg.backing, abs, sizeof(abs)) || strlen(abs) >= COW_PATH_LEN)
		return 0;
	printk("Switching backing file to '%s'\n", abs);
	unsigned char buf[COW_HEADER_V3_SIZE];
	snprintf(h->backing_file, sizeof(h->backing_file), "%s", abs);
	cow_format_v3(h, buf);
	err = ubd_pwrite(u->fd, buf, sizeof(buf), 0);
	if (!err && fdatasync(u->fd) < 0)
		err = -errno;
	if (err)
		printk("<3>%s: can't rewrite the header of '%s': %s\n", u->name, u->cfg.file, strerror(-err));
	return err;
}

static int load_bitmap(struct ubd *u)
{
	const struct cow_header *h = &u->cow;
	if (h->sector_size > UBD_MAX_SECTOR_SIZE) {
		printk("<3>%s: COW file '%s' has %u-byte sectors; at most %u are supported\n",
		       u->name, u->cfg.file, h->sector_size, UBD_MAX_SECTOR_SIZE);
		return -EINVAL;
	}
	u->bitmap = malloc(cow_bitmap_bytes(h) + 1);
	if (!u->bitmap) {
		printk("<3>%s: no memory for the bitmap of '%s'\n", u->name, u->cfg.file);
		return -ENOMEM;
	}
	int err = cow_read_bitmap(u->fd, h, u->bitmap);
	if (err)
		printk("<3>%s: can't read the bitmap of '%s': %s\n", u->name, u->cfg.file, strerror(-err));
	return err;
}

int ubd_cow_attach(struct ubd *u, const struct cow_header *hdr)
{
	uint64_t size;
	int64_t mtime;
	u->cow = *hdr;
	const char *path = u->cfg.backing[0] ? u->cfg.backing : u->cow.backing_file;
	int err = open_backing(u, path, &u->backing_fd, &size, &mtime);
	if (err)
		return err;
	snprintf(u->backing_name, sizeof(u->backing_name), "%s", path);
	err = ubd_lock(u, u->backing_fd, path, false);
	if (err)
		return err;
	if (u->cfg.backing[0] && !same_file(u->cfg.backing, u->cow.backing_file))
		err = switch_backing(u, &u->cow, size, mtime);
	else
		err = check_backing(u, &u->cow, path, size, mtime);
	if (err)
		return err;
	err = load_bitmap(u);
	if (err)
		return err;
	u->size = (u->cow.size + 511) & ~(uint64_t)511;
	return 0;
}
