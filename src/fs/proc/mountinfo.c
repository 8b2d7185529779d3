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

struct flag_text {
	unsigned long flag;
	const char *text;
};

/* Linux's show_sb_opts: the super_block's flags after rw or ro. */
static const struct flag_text sb_opts[] = {
	{ MS_SYNCHRONOUS, ",sync" }, { MS_DIRSYNC, ",dirsync" },
	{ MS_MANDLOCK, ",mand" },    { MS_LAZYTIME, ",lazytime" },
	{ 0, NULL },
};

/* Linux's show_mnt_opts: the mount's own flags. */
static const struct flag_text mnt_opts[] = {
	{ MS_NOSUID, ",nosuid" },   { MS_NODEV, ",nodev" },
	{ MS_NOEXEC, ",noexec" },   { MS_NOATIME, ",noatime" },
	{ MS_NODIRATIME, ",nodiratime" }, { MS_RELATIME, ",relatime" },
	{ 0, NULL },
};

static void put_flags(struct proc_buf *b, unsigned long flags, const struct flag_text *t)
{
	for (; t->flag; t++)
		if (flags & t->flag)
			pbuf_puts(b, t->text);
}

/* The filesystem's own options: what its show_options says, or else the mount's data. */
static void put_fs_opts(struct proc_buf *b, const struct mount *m)
{
	const struct super_block *sb = m->sb;
	if (!sb->show_options) {
		if (*m->options)
			proc_printf(b, ",%s", m->options);
		return;
	}
	char small[256], *text = small;
	size_t n = sb->show_options(sb, small, sizeof(small));
	if (n >= sizeof(small)) {
		text = xcalloc(1, n + 1);
		sb->show_options(sb, text, n + 1);
	}
	pbuf_puts(b, text);
	if (text != small)
		free(text);
}

/* A line of /proc/<pid>/mounts (Linux's show_vfsmnt): ro when the mount or its
 * filesystem is; then the super_block's flags, the mount's and the filesystem's own. */
static void mounts_line(struct proc_buf *b, struct task *viewer, struct mount *m)
{
	char where[PATH_MAX];
	struct path mp = { m, m->root };
	if (path_to_string(viewer, &mp, where, sizeof(where)) < 0)
		return;
	put_escaped(b, m->source);
	pbuf_putc(b, ' ');
	put_escaped(b, where);
	pbuf_putc(b, ' ');
	put_escaped(b, m->sb->type->name);
	pbuf_puts(b, (m->flags | m->sb->flags) & MS_RDONLY ? " ro" : " rw");
	put_flags(b, m->sb->flags, sb_opts);
	put_flags(b, m->flags, mnt_opts);
	put_fs_opts(b, m);
	pbuf_puts(b, " 0 0\n");
}

/* A line of mountinfo (Linux's show_mountinfo): the mount's flags before the " - ", the
 * super_block's and the filesystem's options after it. */
static void mountinfo_line(struct proc_buf *b, struct task *viewer, struct mount *m)
{
	char where[PATH_MAX];
	struct path mp = { m, m->root };
	if (path_to_string(viewer, &mp, where, sizeof(where)) < 0)
		return;
	int parent = m->parent ? proc_mount_id(m->parent) : ROOT_PARENT_ID;
	proc_printf(b, "%d %d %u:%u / ", proc_mount_id(m), parent, major(m->sb->dev), minor(m->sb->dev));
	put_escaped(b, where);
	pbuf_puts(b, m->flags & MS_RDONLY ? " ro" : " rw");
	put_flags(b, m->flags, mnt_opts);
	pbuf_puts(b, " - ");
	put_escaped(b, m->sb->type->name);
	pbuf_putc(b, ' ');
	put_escaped(b, m->source);
	pbuf_puts(b, m->sb->flags & MS_RDONLY ? " ro" : " rw");
	put_flags(b, m->sb->flags, sb_opts);
	put_fs_opts(b, m);
	pbuf_putc(b, '\n');
}

static int viewer_for(const struct proc_node *n, struct task **viewer)
{
	struct thread_group *tg;
	int err = proc_node_target(n, &tg, viewer);
	if (err < 0)
		return err;
	return *viewer && (*viewer)->fs ? 0 : -ENOENT;
}

static int show_mount_table(struct proc_buf *b, const struct proc_node *n,
			    void (*line)(struct proc_buf *, struct task *, struct mount *))
{
	struct task *viewer;
	int err = viewer_for(n, &viewer);
	if (err < 0)
		return err;
	struct list_head *p;
	list_for_each(p, &mount_list)
		line(b, viewer, list_entry(p, struct mount, link));
	return 0;
}

int proc_show_mountinfo(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)reader;
	return show_mount_table(b, n, mountinfo_line);
}

int proc_show_mounts(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)reader;
	return show_mount_table(b, n, mounts_line);
}
