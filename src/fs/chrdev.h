/* Character devices: drivers register a (major, minor range); opening a character
 * device inode on any filesystem finds the driver here by the inode's rdev. */
#ifndef UMLINUX_FS_CHRDEV_H
#define UMLINUX_FS_CHRDEV_H
#include "fs/vfs.h"

struct chrdev {
	const char *name;          /* as /proc/devices shows it */
	unsigned major, minor, count;
	/* sets f->fops/priv; may refuse (-ENXIO, -EBUSY ...) */
	int (*open)(struct inode *inode, struct file *f, unsigned minor);
};
int chrdev_register(const struct chrdev *dev);
int chrdev_open(struct inode *inode, struct file *f);
size_t chrdev_format_devices(char *buf, size_t len);  /* /proc/devices "Character devices:" part */
#endif
