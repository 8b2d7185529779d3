/* ubd internals: ubd.c (switches, units, disks), ubd_open.c (host files and locks),
 * ubd_cow.c (COW files: attach, create, check), ubd_io.c (sector I/O). */
#ifndef UMLINUX_DRIVERS_UBD_INT_H
#define UMLINUX_DRIVERS_UBD_INT_H
#include <stdint.h>
#include "cow.h"
#include "drivers/ubd/ubd.h"
#include "fs/blkdev.h"

struct ubd {
	struct ubd_config cfg;
	char name[8];                 /* "ubda" */
	int fd;                       /* the image, or the COW file */
	int backing_fd;               /* -1 without a COW file */
	char backing_name[PATH_MAX];  /* the backing file in use */
	struct cow_header cow;        /* when backing_fd >= 0 */
	unsigned char *bitmap;        /* cow_bitmap_bytes(&cow) bytes; authoritative */
	uint64_t size;                /* bytes the guest sees */
	struct block_device disk;
};

/* ubd_open.c: each logs why it failed, naming the device and file, and returns -errno. */
int ubd_open_host(struct ubd *u, const char *path, bool writable, int *fd);
int ubd_lock(struct ubd *u, int fd, const char *path, bool exclusive);
int ubd_file_size(int fd, uint64_t *size);
int ubd_open_files(struct ubd *u);
void ubd_close_files(struct ubd *u);

/* ubd_cow.c */
int ubd_cow_create(struct ubd *u);       /* cfg.file does not exist: make it over cfg.backing */
int ubd_cow_attach(struct ubd *u, const struct cow_header *h);   /* u->fd holds h */

/* ubd_io.c */
extern const struct block_device_ops ubd_disk_ops;
ssize_t ubd_pread(int fd, void *buf, size_t len, uint64_t off);   /* short only at EOF */
int ubd_pwrite(int fd, const void *buf, size_t len, uint64_t off);

/* ubd.c: the sync-for-all switch (ubd=sync), and the units */
extern bool ubd_sync_all;
struct ubd *ubd_unit(int n);                     /* NULL when unconfigured */
int ubd_add_unit(const struct ubd_config *c);    /* opens, registers; logs why not */
void ubd_del_unit(int n);
#endif
