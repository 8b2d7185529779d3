/* The character device registry: (major, minor range) -> driver open. */
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "fs/chrdev.h"

#define MAX_CHRDEVS 64
static const struct chrdev *chrdevs[MAX_CHRDEVS];
static int nr_chrdevs;

int chrdev_register(const struct chrdev *dev)
{
	for (int i = 0; i < nr_chrdevs; i++) {
		const struct chrdev *d = chrdevs[i];
		if (d->major == dev->major && dev->minor < d->minor + d->count &&
		    d->minor < dev->minor + dev->count)
			return -EBUSY;
	}
	if (nr_chrdevs == MAX_CHRDEVS)
		return -ENOSPC;
	chrdevs[nr_chrdevs++] = dev;
	return 0;
}

int chrdev_open(struct inode *inode, struct file *f)
{
	struct kstat st;
	int err = vfs_getattr(inode, &st);
	if (err < 0)
		return err;
	unsigned maj = major(st.rdev), min = minor(st.rdev);
	for (int i = 0; i < nr_chrdevs; i++) {
		const struct chrdev *d = chrdevs[i];
		if (d->major == maj && min >= d->minor && min < d->minor + d->count)
			return d->open(inode, f, min);
	}
	return -ENXIO;   /* no such device, as Linux says for an unknown node */
}

size_t chrdev_format_devices(char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "Character devices:\n");
	for (unsigned maj = 0; maj < 512 && n < len; maj++) {
		for (int i = 0; i < nr_chrdevs; i++) {
			if (chrdevs[i]->major != maj)
				continue;
			n += (size_t)snprintf(buf + n, len - n, "%3u %s\n", maj, chrdevs[i]->name);
			break;
		}
	}
	return n < len ? n : len;
}
