/* Filesystem types and the mount table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include "fs/blkdev.h"
#include "fs/notify/fsnotify.h"
#include "fs/vfs.h"

#define MAX_FS_TYPES 32
static const struct fs_type *fs_types[MAX_FS_TYPES];
static int nr_fs_types;
struct list_head mount_list = LIST_HEAD_INIT(mount_list);
struct mount *root_mount;

void vfs_register_fs(const struct fs_type *type)
{
	if (nr_fs_types < MAX_FS_TYPES && !vfs_find_fs(type->name))
		fs_types[nr_fs_types++] = type;
}

const struct fs_type *vfs_find_fs(const char *name)
{
	for (int i = 0; i < nr_fs_types; i++)
		if (strcmp(fs_types[i]->name, name) == 0)
			return fs_types[i];
	return NULL;
}

size_t vfs_format_filesystems(char *buf, size_t len)
{
	size_t n = 0;
	for (int i = 0; i < nr_fs_types && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s\t%s\n", fs_types[i]->nodev ? "nodev" : "",
				      fs_types[i]->name);
	return n < len ? n : len;
}

dev_t vfs_anon_dev(void)
{
	static unsigned next_minor = 20;
	return makedev(0, next_minor++);
}

int fs_statfs_default(struct super_block *sb, struct statfs *st)
{
	memset(st, 0, sizeof(*st));
	st->f_type = (long)sb->magic;
	st->f_bsize = 4096;
	st->f_namelen = 255;
	st->f_frsize = 4096;
	return 0;
}

static size_t put_at(char *buf, size_t len, size_t at, const char *s)
{
	for (; *s; s++, at++)
		if (at + 1 < len)
			buf[at] = *s;
	return at;
}

size_t vfs_show_option(char *buf, size_t len, size_t at, const char *opt)
{
	at = put_at(buf, len, at, ",");
	for (; *opt; opt++) {
		char esc[5] = { *opt, '\0' };
		if (strchr(",= \t\n\\", *opt))
			snprintf(esc, sizeof(esc), "\\%03o", (unsigned char)*opt);
		at = put_at(buf, len, at, esc);
	}
	if (len)
		buf[at < len ? at : len - 1] = '\0';
	return at;
}

/* The per-mount flags of a mount(2) call, as Linux keeps them: relatime unless noatime
 * is asked for, and neither with strictatime; nodiratime goes with any of them. */
static unsigned long mnt_flags(unsigned long ms)
{
	unsigned long f = ms & (MNT_FLAGS & ~MS_RELATIME);
	if (!(ms & MS_NOATIME))
		f |= MS_RELATIME;
	if (ms & MS_STRICTATIME)
		f &= ~(MS_RELATIME | MS_NOATIME);
	return f;
}

static struct mount *mount_new(struct super_block *sb, const char *source, unsigned long flags,
			       const char *data)
{
	struct mount *m = xcalloc(1, sizeof(*m));
	m->sb = sb;
	m->root = dentry_new("/", NULL, inode_get(sb->root));
	m->source = xstrdup(source ? source : "none");
	m->options = xstrdup(data ? data : "");
	m->flags = mnt_flags(flags);
	sb->refcount++;
	return m;
}

static int do_fs_mount(const char *fstype, const char *source, unsigned long flags,
		       const char *data, struct super_block **sb)
{
	const struct fs_type *type = vfs_find_fs(fstype);
	if (!type)
		return -ENODEV;
	int err = type->mount(source, flags, data, sb);
	if (err < 0)
		return err;
	(*sb)->type = type;
	(*sb)->flags = ((*sb)->flags | flags) & SB_FLAGS;
	return 0;
}

/* No type given: each type that needs a device, in registration order; the first that
 * recognises the disk wins (Linux's root mount without rootfstype=). */
static int mount_any(const char *source, unsigned long flags, const char *data,
		     struct super_block **sb)
{
	int err = -EINVAL;
	for (int i = 0; i < nr_fs_types; i++) {
		if (fs_types[i]->nodev)
			continue;
		err = do_fs_mount(fs_types[i]->name, source, flags, data, sb);
		if (err == 0 || (err != -EINVAL && err != -ENODEV))
			return err;
	}
	return err;
}

int vfs_kern_mount(const char *fstype, const char *data, struct mount **out)
{
	struct super_block *sb;
	int err = do_fs_mount(fstype, fstype, 0, data, &sb);
	if (err < 0)
		return err;
	*out = mount_new(sb, fstype, 0, data);
	(*out)->refcount = 1;   /* the kernel's, for good */
	return 0;
}

int vfs_mount_root(const char *fstype, const char *source, unsigned long flags, const char *data)
{
	struct super_block *sb;
	int err = fstype ? do_fs_mount(fstype, source, flags, data, &sb)
			 : mount_any(source, flags, data, &sb);
	if (err < 0)
		return err;
	root_mount = mount_new(sb, source, flags, data);
	root_mount->refcount = 1;
	list_add_tail(&root_mount->link, &mount_list);
	return 0;
}

/*
 * A filesystem on a disk is mounted from a block device node the caller names in its
 * own tree (Linux's lookup_bdev); the filesystem is handed the disk's canonical name.
 */
static int resolve_block_source(struct task *t, const char *source, char *canon, size_t len)
{
	struct path p;
	struct kstat st;
	if (!source || !*source)
		return -ENOTBLK;
	int err = path_walk(t, AT_FDCWD, source, LOOKUP_FOLLOW, &p);
	if (err < 0)
		return err;
	struct inode *inode = p.dentry->inode;
	if (!S_ISBLK(inode->mode))
		err = -ENOTBLK;
	else if (p.mnt->flags & MS_NODEV)
		err = -EACCES;
	else
		err = vfs_getattr(inode, &st);
	path_put(&p);
	if (err < 0)
		return err;
	struct block_device *b = blkdev_lookup(st.rdev);
	if (!b)
		return -ENXIO;
	snprintf(canon, len, "/dev/%s", b->name);
	return 0;
}

/* The mount stacked on (mnt, dentry), if any: the topmost one wins. */
struct mount *mount_lookup(struct mount *mnt, struct dentry *d)
{
	struct mount *found = NULL;
	struct list_head *p;
	list_for_each(p, &mount_list) {
		struct mount *m = list_entry(p, struct mount, link);
		if (m->parent == mnt && m->mountpoint && m->mountpoint->inode && d->inode &&
		    m->mountpoint->inode->ino == d->inode->ino &&
		    m->mountpoint->inode->sb == d->inode->sb)
			found = m;
	}
	return found;
}

static int remount(struct path *target, unsigned long flags, const char *data)
{
	struct mount *m = target->mnt;
	if (target->dentry->parent)  /* must name the mount's root */
		return -EINVAL;
	if (m->sb->remount) {
		int err = m->sb->remount(m->sb, flags, data);
		if (err < 0)
			return err;
	}
	/* Linux's do_remount: the mount's flags are replaced, but for atime's when none is
	 * given; the super_block's that a remount may change (MS_RMT_MASK) are replaced. */
	unsigned long mf = mnt_flags(flags);
	if (!(flags & (MNT_ATIME_FLAGS | MS_STRICTATIME)))
		mf = (mf & ~MNT_ATIME_FLAGS) | (m->flags & MNT_ATIME_FLAGS);
	m->flags = mf;
	m->sb->flags = (m->sb->flags & ~MS_RMT_MASK) | (flags & MS_RMT_MASK & SB_FLAGS);
	if (data && *data) {
		free(m->options);
		m->options = xstrdup(data);
	}
	return 0;
}

int vfs_mount(struct task *t, const char *source, const char *target, const char *fstype,
	      unsigned long flags, const char *data)
{
	if (!cred_is_root(&t->cred))
		return -EPERM;
	struct path tp;
	int err = path_walk(t, AT_FDCWD, target, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &tp);
	if (err < 0)
		return err;
	if (flags & MS_REMOUNT) {
		err = remount(&tp, flags, data);
		path_put(&tp);
		return err;
	}
	if (flags & (MS_BIND | MS_MOVE)) {
		path_put(&tp);
		return -EINVAL;   /* not yet: say so rather than pretend */
	}
	struct super_block *sb;
	const struct fs_type *type = vfs_find_fs(fstype ? fstype : "");
	char disk[64];
	const char *fs_source = source;
	if (type && !type->nodev) {
		err = resolve_block_source(t, source, disk, sizeof(disk));
		fs_source = disk;
	}
	if (err == 0)
		err = do_fs_mount(fstype ? fstype : "", fs_source, flags, data, &sb);
	if (err < 0) {
		path_put(&tp);
		return err;
	}
	struct mount *m = mount_new(sb, source, flags, data);
	m->parent = tp.mnt;
	m->mountpoint = tp.dentry;   /* keeps the path's dentry reference */
	tp.mnt->refcount++;
	list_add_tail(&m->link, &mount_list);
	return 0;
}

int vfs_umount(struct task *t, const char *target, int flags)
{
	(void)flags;
	if (!cred_is_root(&t->cred))
		return -EPERM;
	struct path tp;
	int err = path_walk(t, AT_FDCWD, target, LOOKUP_FOLLOW, &tp);
	if (err < 0)
		return err;
	struct mount *m = tp.mnt;
	bool is_root = tp.dentry == m->root;
	path_put(&tp);
	if (!is_root)
		return -EINVAL;
	if (m == root_mount)
		return -EBUSY;
	struct list_head *p;
	list_for_each(p, &mount_list)
		if (list_entry(p, struct mount, link)->parent == m)
			return -EBUSY;
	if (m->refcount > 0)
		return -EBUSY;  /* open files, cwds or roots inside */
	list_del_init(&m->link);
	m->parent->refcount--;
	dentry_put(m->mountpoint);
	dentry_put(m->root);
	if (--m->sb->refcount == 0)
		fsnotify_unmount(m->sb);
	if (m->sb->refcount == 0 && m->sb->kill)
		m->sb->kill(m->sb);
	free(m->source);
	free(m->options);
	free(m);
	return 0;
}
