/* The block device registry: disks by device number and by name, and their claims. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include "fs/blkdev.h"
#include "fs/proc/proc.h"

#define MAX_BLKDEVS 64
static struct block_device *disks[MAX_BLKDEVS];
static int show_partitions(struct proc_buf *b, struct task *reader);

int blkdev_register(struct block_device *b)
{
	static bool proc_file;
	if (!proc_file)
		proc_file = proc_register_file("partitions", 0444, show_partitions, NULL) == 0;
	int free_slot = -1;
	for (int i = 0; i < MAX_BLKDEVS; i++) {
		if (!disks[i]) {
			if (free_slot < 0)
				free_slot = i;
		} else if (disks[i]->dev == b->dev || strcmp(disks[i]->name, b->name) == 0) {
			return -EBUSY;
		}
	}
	if (free_slot < 0)
		return -ENOSPC;
	disks[free_slot] = b;
	return 0;
}

void blkdev_unregister(struct block_device *b)
{
	for (int i = 0; i < MAX_BLKDEVS; i++)
		if (disks[i] == b)
			disks[i] = NULL;
}

struct block_device *blkdev_lookup(dev_t dev)
{
	for (int i = 0; i < MAX_BLKDEVS; i++)
		if (disks[i] && disks[i]->dev == dev)
			return disks[i];
	return NULL;
}

struct block_device *blkdev_lookup_name(const char *name)
{
	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	for (int i = 0; i < MAX_BLKDEVS; i++)
		if (disks[i] && strcmp(disks[i]->name, name) == 0)
			return disks[i];
	return NULL;
}

int blkdev_claim(struct block_device *b)
{
	if (b->mounted || b->excl)
		return -EBUSY;
	b->mounted = true;
	b->users++;
	return 0;
}

void blkdev_release(struct block_device *b)
{
	b->mounted = false;
	b->users--;
}

int blkdev_flush_all(void)
{
	int first = 0;
	for (int i = 0; i < MAX_BLKDEVS; i++) {
		if (!disks[i])
			continue;
		int err = blkdev_flush(disks[i]);
		if (err && !first)
			first = err;
	}
	return first;
}

/* Each driver once, by major, as Linux lists them. */
size_t blkdev_format_devices(char *buf, size_t len)
{
	size_t n = 0;
	for (unsigned maj = 0; maj < 4096 && n < len; maj++) {
		for (int i = 0; i < MAX_BLKDEVS; i++) {
			if (!disks[i] || major(disks[i]->dev) != maj)
				continue;
			n += (size_t)snprintf(buf + n, len - n, "%3u %s\n", maj, disks[i]->driver);
			break;
		}
	}
	return n < len ? n : len;
}

/* /proc/partitions (what blkid, fdisk -l and mount LABEL= read): whole disks only, as
 * no partition tables are read. */
static int by_dev(const void *a, const void *b)
{
	dev_t x = (*(struct block_device *const *)a)->dev, y = (*(struct block_device *const *)b)->dev;
	return x < y ? -1 : x > y;
}

static int show_partitions(struct proc_buf *b, struct task *reader)
{
	(void)reader;
	struct block_device *list[MAX_BLKDEVS];
	int n = 0;
	for (int i = 0; i < MAX_BLKDEVS; i++)
		if (disks[i])
			list[n++] = disks[i];
	qsort(list, (size_t)n, sizeof(list[0]), by_dev);
	proc_printf(b, "major minor  #blocks  name\n\n");
	for (int i = 0; i < n; i++)
		proc_printf(b, "%4u  %7u %10llu %s\n", major(list[i]->dev), minor(list[i]->dev),
			    (unsigned long long)(list[i]->size >> 10), list[i]->name);
	return 0;
}
