/*
 * /proc/<pid>/mounts and mountinfo: the mount table as the process sees it. Mount ids
 * are ours to give (the VFS numbers none), stable for a mount's lifetime.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include "fs/proc/internal.h"

#define MAX_MOUNT_IDS 256
#define FIRST_MOUNT_ID 21   /* Linux's early boot mounts take the small ids */
#define ROOT_PARENT_ID 1    /* the hidden rootfs under "/" */

static struct { const struct mount *m; int id; } mount_ids[MAX_MOUNT_IDS];
static int next_mount_id = FIRST_MOUNT_ID;

static bool mount_is_live(const struct mount *m)
{
	struct list_head *p;
	list_for_each(p, &mount_list)
		if (list_entry(p, struct mount, link) == m)
			return true;
	return false;
}

/* Forgets the ids of unmounted mounts, so their slots (and pointers) can be reused. */
static void mount_ids_prune(void)
{
	for (int i = 0; i < MAX_MOUNT_IDS; i++)
		if (mount_ids[i].m && !mount_is_live(mount_ids[i].m))
			mount_ids[i].m = NULL;
}

int proc_mount_id(const struct mount *m)
{
	int free_slot = -1;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < MAX_MOUNT_IDS; i++) {
			if (mount_ids[i].m == m)
				return mount_ids[i].id;
			if (!mount_ids[i].m && free_slot < 0)
				free_slot = i;
		}
		if (free_slot >= 0)
			break;
		mount_ids_prune();
	}
	if (free_slot < 0)
		return 0;
	mount_ids[free_slot].m = m;
	mount_ids[free_slot].id = next_mount_id++;
	return mount_ids[free_slot].id;
}

/* Linux escapes these so the space-separated fields stay parseable. */
static void put_escaped(struct proc_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			proc_printf(b, "\\%03o", (unsigned char)*s);
		else
			pbuf_putc(b, *s);
	}
}

static void put_mount_flags(struct proc_buf *b, unsigned long flags)
{
	pbuf_puts(b, flags & MS_RDONLY ? "ro" : "rw");
	if (flags & MS_NOSUID)
		pbuf_puts(b, ",nosuid");
	if (flags & MS_NODEV)
		pbuf_puts(b, ",nodev");
	if (flags & MS_NOEXEC)
		pbuf_puts(b, ",noexec");
	if (flags & MS_NOATIME)
		pbuf_puts(b, ",noatime");
	else if (!(flags & MS_STRICTATIME))
		pbuf_puts(b, ",relatime");
}

static void mountinfo_line(struct proc_buf *b, struct task *viewer, struct mount *m)
{
	char where[PATH_MAX];
	struct path mp = { m, m->root };
	if (path_to_string(viewer, &mp, where, sizeof(where)) < 0)
		return;
	int parent = m->parent ? proc_mount_id(m->parent) : ROOT_PARENT_ID;
	proc_printf(b, "%d %d %u:%u / ", proc_mount_id(m), parent, major(m->sb->dev), minor(m->sb->dev));
	put_escaped(b, where);
	pbuf_putc(b, ' ');
	put_mount_flags(b, m->flags);
	proc_printf(b, " - %s ", m->sb->type->name);
	put_escaped(b, m->source);
	proc_printf(b, " %s%s%s\n", m->sb->flags & MS_RDONLY ? "ro" : "rw", *m->options ? "," : "",
		    m->options);
}

static int viewer_for(const struct proc_node *n, struct task **viewer)
{
	struct thread_group *tg;
	int err = proc_node_target(n, &tg, viewer);
	if (err < 0)
		return err;
	return *viewer && (*viewer)->fs ? 0 : -ENOENT;
}

int proc_show_mountinfo(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)reader;
	struct task *viewer;
	int err = viewer_for(n, &viewer);
	if (err < 0)
		return err;
	struct list_head *p;
	list_for_each(p, &mount_list)
		mountinfo_line(b, viewer, list_entry(p, struct mount, link));
	return 0;
}

static size_t fill_mounts(void *ctx, char *dst, size_t room)
{
	return vfs_format_mounts(ctx, dst, room);
}

int proc_show_mounts(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)reader;
	struct task *viewer;
	int err = viewer_for(n, &viewer);
	if (err < 0)
		return err;
	pbuf_fill(b, fill_mounts, viewer);
	return 0;
}
