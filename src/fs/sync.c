/* sync: filesystems write out what they hold in memory, then the disks under them are
 * flushed; at halt every filesystem is also shut down as umount would. */
#include <stdlib.h>
#include "fs/blkdev.h"
#include "fs/vfs.h"

/* Calls fn once for each superblock on the mount list, newest mount first. */
static void each_sb(void (*fn)(struct super_block *sb))
{
	size_t n = 0, max = 0;
	struct list_head *p;
	list_for_each(p, &mount_list)
		max++;
	struct super_block **seen = xcalloc(max + 1, sizeof(*seen));
	for (p = mount_list.prev; p != &mount_list; p = p->prev) {
		struct super_block *sb = list_entry(p, struct mount, link)->sb;
		bool dup = false;
		for (size_t i = 0; i < n && !dup; i++)
			dup = seen[i] == sb;
		if (dup)
			continue;
		seen[n++] = sb;
	}
	for (size_t i = 0; i < n; i++)
		fn(seen[i]);
	free(seen);
}

static void sync_sb(struct super_block *sb)
{
	if (sb->sync)
		sb->sync(sb);
}

void vfs_sync_all(void)
{
	each_sb(sync_sb);
	blkdev_flush_all();
}

static void shutdown_sb(struct super_block *sb)
{
	sync_sb(sb);
	if (sb->kill) {
		void (*kill)(struct super_block *) = sb->kill;
		sb->kill = NULL;   /* never twice, whatever still refers to it */
		kill(sb);
	}
}

void vfs_shutdown_all(void)
{
	each_sb(shutdown_sb);
	blkdev_flush_all();
}
