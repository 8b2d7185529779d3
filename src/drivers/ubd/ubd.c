/*
 * The ubd driver: ubd<n>= switches become units, each unit a disk /dev/ubd<letter>
 * (major 98, minor 16*n) for the guest and for filesystems mounted from it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "drivers/ubd/ubd_int.h"
#include "fs/dev/devfs.h"
#include "kernel/kernel.h"

bool ubd_sync_all;
static struct ubd *units[UBD_MAX_DEV];
static int fake_major;

bool ubd_configured(int unit)
{
	return unit >= 0 && unit < UBD_MAX_DEV && units[unit];
}

static int register_disk(struct ubd *u)
{
	struct block_device *b = &u->disk;
	snprintf(b->name, sizeof(b->name), "%s", u->name);
	b->driver = "ubd";
	b->dev = makedev(UBD_MAJOR, (unsigned)u->cfg.unit << UBD_SHIFT);
	b->size = u->size;
	b->sector_size = 512;
	b->read_only = u->cfg.read_only;
	b->ops = &ubd_disk_ops;
	b->priv = u;
	int err = blkdev_register(b);
	if (err)
		return err;
	err = devfs_add_node(u->name, S_IFBLK | 0660, b->dev);
	if (err)
		blkdev_unregister(b);
	return err;
}

struct ubd *ubd_unit(int n)
{
	return n >= 0 && n < UBD_MAX_DEV ? units[n] : NULL;
}

int ubd_add_unit(const struct ubd_config *c)
{
	struct ubd *u = xcalloc(1, sizeof(*u));
	u->cfg = *c;
	snprintf(u->name, sizeof(u->name), "ubd%c", 'a' + c->unit);
	int err = ubd_open_files(u);
	if (!err) {
		err = register_disk(u);
		if (err)
			printk("<3>%s: can't register the disk: error %d\n", u->name, -err);
	}
	if (err) {
		ubd_close_files(u);
		free(u);
		return err;
	}
	units[c->unit] = u;
	return 0;
}

void ubd_del_unit(int n)
{
	struct ubd *u = ubd_unit(n);
	if (!u)
		return;
	devfs_remove_node(u->name);
	blkdev_drain(&u->disk);   /* a killed task's request may still be running */
	blkdev_unregister(&u->disk);
	ubd_close_files(u);
	free(u);
	units[n] = NULL;
}

/* One switch; returns the parsed unit config through c when it names a device. */
static bool parse_one(const char *word, struct ubd_config *c, bool *seen)
{
	const char *s = word + 3, *why;   /* after "ubd" */
	int major = 0;
	switch (ubd_parse_switch(s, c, &major, &why)) {
	case UBD_SWITCH_DEVICE:
		if (!seen[c->unit]) {
			seen[c->unit] = true;
			return true;
		}
		why = "Device is already configured";
		break;
	case UBD_SWITCH_SYNC_ALL:
		ubd_sync_all = true;
		printk("ubd: Synchronous mode\n");
		return false;
	case UBD_SWITCH_FAKE_MAJOR:
		if (fake_major) {
			printk("<3>Can't assign a fake major twice\n");
			return false;
		}
		fake_major = major;
		printk("Setting extra ubd major number to %d (fake majors are not supported: "
		       "the disks stay on major %d)\n", major, UBD_MAJOR);
		return false;
	}
	printk("<3>Failed to initialize device with \"%s\" : %s\n", s, why);
	return false;
}

int ubd_init(const char *const *args)
{
	static struct ubd_config cfgs[UBD_MAX_DEV];
	bool seen[UBD_MAX_DEV] = { false };
	int n = 0;
	/* every switch first (ubd=sync applies to all units, wherever it stands) */
	for (; args && *args; args++) {
		struct ubd_config c;
		if (strncmp(*args, "ubd", 3) == 0 && parse_one(*args, &c, seen))
			cfgs[n++] = c;
	}
	for (int i = 0; i < n; i++)
		ubd_add_unit(&cfgs[i]);
	ubd_mconsole_register();
	int configured = 0;
	for (int i = 0; i < UBD_MAX_DEV; i++)
		configured += units[i] != NULL;
	return configured;
}
