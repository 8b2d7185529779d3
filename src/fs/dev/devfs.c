/*
 * devtmpfs (see devfs.h). Names are devfs_node entries in a tree; what they name are
 * VFS inodes, which hold the attributes (mode, owner, rdev, times) themselves. A
 * directory inode's priv is its node, a symlink's its target.
 */
#include <dirent.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include "fs/chrdev.h"
#include "fs/dev/devfs.h"

struct devfs_node {
	char *name;
	struct devfs_node *parent;
	struct list_head children;    /* of devfs_node.sibling, for directories */
	struct list_head sibling;
	struct inode *inode;          /* a reference held while the name exists */
};

static struct super_block *devfs_sb;
static uint64_t next_ino = 1;
static const struct inode_ops devfs_iops;
static const struct file_ops devfs_dir_fops, devfs_file_fops;

static struct timespec now_real(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts;
}

static void touch(struct inode *i, bool content)
{
	i->ctime = now_real();
	if (content)
		i->mtime = i->ctime;
}

static struct devfs_node *node_of(struct inode *dir)
{
	return S_ISDIR(dir->mode) ? dir->priv : NULL;
}

static struct devfs_node *child_find(struct devfs_node *dir, const char *name)
{
	struct list_head *p;
	if (!dir)
		return NULL;
	list_for_each(p, &dir->children) {
		struct devfs_node *c = list_entry(p, struct devfs_node, sibling);
		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

static struct devfs_node *node_new(struct devfs_node *parent, const char *name, struct inode *inode)
{
	struct devfs_node *n = xcalloc(1, sizeof(*n));
	n->name = xstrdup(name);
	n->parent = parent;
	n->inode = inode;
	list_init(&n->children);
	list_init(&n->sibling);
	if (S_ISDIR(inode->mode))
		inode->priv = n;
	if (parent) {
		list_add_tail(&n->sibling, &parent->children);
		touch(parent->inode, true);
	}
	return n;
}

/* Takes the name away; the inode lives on while files hold it. */
static void node_free(struct devfs_node *n)
{
	list_del_init(&n->sibling);
	if (n->parent)
		touch(n->parent->inode, true);
	if (S_ISDIR(n->inode->mode))
		n->inode->priv = NULL;
	n->inode->nlink--;
	touch(n->inode, false);
	inode_put(n->inode);
	free(n->name);
	free(n);
}

static struct inode *inode_make(mode_t mode, dev_t rdev, uid_t uid, gid_t gid)
{
	const struct file_ops *fops = S_ISDIR(mode) ? &devfs_dir_fops : &devfs_file_fops;
	struct inode *i = inode_new(devfs_sb, next_ino++, mode, &devfs_iops, fops);
	i->rdev = rdev;
	i->uid = uid;
	i->gid = gid;
	i->nlink = S_ISDIR(mode) ? 2 : 1;
	return i;
}

/* Adds name under dir with a new inode; the owner is the creator's, or the directory's
 * group when it is set-group-id (as every Linux filesystem does). */
static int add_entry(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
		     const struct cred *cred, const char *target, struct devfs_node **out)
{
	struct devfs_node *d = node_of(dir);
	if (!d)
		return -ENOENT;   /* removed while open */
	if (child_find(d, name))
		return -EEXIST;
	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	gid_t gid = (dir->mode & S_ISGID) ? dir->gid : (cred ? cred->fsgid : 0);
	if (S_ISDIR(mode) && (dir->mode & S_ISGID))
		mode |= S_ISGID;
	struct inode *i = inode_make(mode, rdev, cred ? cred->fsuid : 0, gid);
	if (target) {
		i->priv = xstrdup(target);
		i->size = (off_t)strlen(target);
	}
	struct devfs_node *n = node_new(d, name, i);
	if (S_ISDIR(mode))
		dir->nlink++;
	if (out)
		*out = n;
	return 0;
}

static int devfs_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct devfs_node *c = child_find(node_of(dir), name);
	if (!c)
		return -ENOENT;
	*out = inode_get(c->inode);
	return 0;
}

/* /dev holds names, not data: a regular file here would have nowhere to keep its bytes
 * (Debian mounts a tmpfs on /dev/shm for that). */
static int devfs_create(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
			const struct cred *cred, struct inode **out)
{
	if (S_ISREG(mode) || (mode & S_IFMT) == 0)
		return -EPERM;
	if ((S_ISCHR(mode) || S_ISBLK(mode)) && !cred_is_root(cred))
		return -EPERM;   /* CAP_MKNOD */
	if (!S_ISCHR(mode) && !S_ISBLK(mode) && !S_ISFIFO(mode) && !S_ISSOCK(mode))
		return -EINVAL;
	struct devfs_node *n;
	int err = add_entry(dir, name, mode, S_ISCHR(mode) || S_ISBLK(mode) ? rdev : 0, cred, NULL, &n);
	if (err < 0)
		return err;
	*out = inode_get(n->inode);
	return 0;
}

static int devfs_mkdir(struct inode *dir, const char *name, mode_t mode, const struct cred *cred)
{
	return add_entry(dir, name, S_IFDIR | (mode & 07777), 0, cred, NULL, NULL);
}

static int devfs_symlink(struct inode *dir, const char *name, const char *target, const struct cred *cred)
{
	if (strlen(target) >= PATH_MAX)
		return -ENAMETOOLONG;
	return add_entry(dir, name, S_IFLNK | 0777, 0, cred, target, NULL);
}

static int devfs_link(struct inode *old, struct inode *dir, const char *name)
{
	struct devfs_node *d = node_of(dir);
	if (S_ISDIR(old->mode))
		return -EPERM;
	if (!d)
		return -ENOENT;
	if (child_find(d, name))
		return -EEXIST;
	old->nlink++;
	touch(old, false);
	node_new(d, name, inode_get(old));
	return 0;
}

static int devfs_unlink(struct inode *dir, const char *name)
{
	struct devfs_node *c = child_find(node_of(dir), name);
	if (!c)
		return -ENOENT;
	if (S_ISDIR(c->inode->mode))
		return -EISDIR;
	node_free(c);
	return 0;
}

static int devfs_rmdir(struct inode *dir, const char *name)
{
	struct devfs_node *c = child_find(node_of(dir), name);
	if (!c)
		return -ENOENT;
	if (!S_ISDIR(c->inode->mode))
		return -ENOTDIR;
	if (!list_empty(&c->children))
		return -ENOTEMPTY;
	c->inode->nlink--;   /* its "." */
	node_free(c);
	dir->nlink--;
	return 0;
}

static bool is_ancestor(struct devfs_node *a, struct devfs_node *d)
{
	for (; d; d = d->parent)
		if (d == a)
			return true;
	return false;
}

/* What may replace target with src, as rename(2) rules it. */
static int rename_check_target(struct devfs_node *src, struct devfs_node *dst)
{
	bool sdir = S_ISDIR(src->inode->mode), ddir = S_ISDIR(dst->inode->mode);
	if (sdir && !ddir)
		return -ENOTDIR;
	if (!sdir && ddir)
		return -EISDIR;
	if (ddir && !list_empty(&dst->children))
		return -ENOTEMPTY;
	return 0;
}

static void move_node(struct devfs_node *n, struct devfs_node *to, const char *newname)
{
	struct devfs_node *from = n->parent;
	list_del_init(&n->sibling);
	touch(from->inode, true);
	free(n->name);
	n->name = xstrdup(newname);
	n->parent = to;
	list_add_tail(&n->sibling, &to->children);
	touch(to->inode, true);
	touch(n->inode, false);
	if (S_ISDIR(n->inode->mode) && from != to) {
		from->inode->nlink--;
		to->inode->nlink++;
	}
}

static int devfs_rename(struct inode *olddir, const char *oldname, struct inode *newdir,
			const char *newname, unsigned flags)
{
	struct devfs_node *from = node_of(olddir), *to = node_of(newdir);
	struct devfs_node *src = child_find(from, oldname);
	if (!src || !to)
		return -ENOENT;
	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;   /* RENAME_EXCHANGE, RENAME_WHITEOUT: not here */
	if (S_ISDIR(src->inode->mode) && is_ancestor(src, to))
		return -EINVAL;
	struct devfs_node *dst = child_find(to, newname);
	if (dst == src || (dst && dst->inode == src->inode))
		return 0;
	if (dst && (flags & RENAME_NOREPLACE))
		return -EEXIST;
	if (dst) {
		int err = rename_check_target(src, dst);
		if (err < 0)
			return err;
		if (S_ISDIR(dst->inode->mode))
			devfs_rmdir(newdir, newname);
		else
			node_free(dst);
	}
	move_node(src, to, newname);
	return 0;
}

static int devfs_setattr(struct inode *i, const struct iattr *a)
{
	if (a->valid & ATTR_MODE)
		i->mode = (i->mode & S_IFMT) | (a->mode & 07777);
	if (a->valid & ATTR_UID)
		i->uid = a->uid;
	if (a->valid & ATTR_GID)
		i->gid = a->gid;
	if ((a->valid & ATTR_SIZE) && S_ISDIR(i->mode))
		return -EISDIR;
	/* a device node has no size of its own: truncating opens of it just succeed */
	struct timespec now = now_real();
	if (a->valid & ATTR_ATIME)
		i->atime = (a->valid & ATTR_ATIME_NOW) ? now : a->atime;
	if (a->valid & ATTR_MTIME)
		i->mtime = (a->valid & ATTR_MTIME_NOW) ? now : a->mtime;
	i->ctime = now;
	return 0;
}

static long devfs_readlink(struct inode *i, char *buf, size_t len)
{
	if (!S_ISLNK(i->mode) || !i->priv)
		return -EINVAL;
	size_t n = strlen(i->priv);
	if (n > len)
		n = len;
	memcpy(buf, i->priv, n);
	return (long)n;
}

/* The VFS itself sends character devices to their driver; this is for other callers. */
static int devfs_open(struct inode *i, struct file *f)
{
	if (S_ISCHR(i->mode))
		return chrdev_open(i, f);
	if (S_ISBLK(i->mode))
		return -ENXIO;
	f->fops = S_ISDIR(i->mode) ? &devfs_dir_fops : &devfs_file_fops;
	return 0;
}

static void devfs_destroy(struct inode *i)
{
	if (S_ISLNK(i->mode))
		free(i->priv);
	i->priv = NULL;
}

static bool emit(struct file *f, struct dirent_sink *s, const char *name, struct inode *i)
{
	if (!s->emit(s, name, i->ino, IFTODT(i->mode), f->pos + 1))
		return false;
	f->pos++;
	return true;
}

/* Positions: 0 ".", 1 "..", then the children in creation order. */
static int devfs_iterate(struct file *f, struct dirent_sink *s)
{
	struct devfs_node *d = node_of(f->inode);
	if (f->pos == 0 && !emit(f, s, ".", f->inode))
		return 0;
	if (f->pos == 1 && !emit(f, s, "..", d && d->parent ? d->parent->inode : f->inode))
		return 0;
	if (!d)
		return 0;
	off_t idx = 2;
	struct list_head *p;
	list_for_each(p, &d->children) {
		if (idx++ < f->pos)
			continue;
		struct devfs_node *c = list_entry(p, struct devfs_node, sibling);
		if (!emit(f, s, c->name, c->inode))
			return 0;
	}
	return 0;
}

static off_t devfs_dir_llseek(struct file *f, off_t off, int whence)
{
	if (whence == SEEK_END)
		return -EINVAL;
	return generic_llseek(f, off, whence, 0);
}

static ssize_t devfs_dir_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -EISDIR;
}

static const struct inode_ops devfs_iops = {
	.lookup = devfs_lookup,
	.setattr = devfs_setattr,
	.create = devfs_create,
	.mkdir = devfs_mkdir,
	.symlink = devfs_symlink,
	.link = devfs_link,
	.unlink = devfs_unlink,
	.rmdir = devfs_rmdir,
	.rename = devfs_rename,
	.readlink = devfs_readlink,
	.open = devfs_open,
	.destroy = devfs_destroy,
};

static const struct file_ops devfs_dir_fops = {
	.read = devfs_dir_read,
	.llseek = devfs_dir_llseek,
	.iterate = devfs_iterate,
};

/* Sockets and symlinks opened with O_PATH: nothing to read. */
static const struct file_ops devfs_file_fops = { 0 };

static int devfs_statfs(struct super_block *sb, struct statfs *st)
{
	return fs_statfs_default(sb, st);
}

/* The tree outlives its mounts, like Linux's devtmpfs. */
static void devfs_kill(struct super_block *sb)
{
	(void)sb;
}

static struct super_block *devfs_get_sb(void)
{
	if (devfs_sb)
		return devfs_sb;
	devfs_sb = xcalloc(1, sizeof(*devfs_sb));
	devfs_sb->type = &devtmpfs_fs_type;
	devfs_sb->dev = vfs_anon_dev();
	devfs_sb->magic = TMPFS_MAGIC;
	devfs_sb->statfs = devfs_statfs;
	devfs_sb->kill = devfs_kill;
	devfs_sb->root = inode_make(S_IFDIR | 0755, 0, 0, 0);
	node_new(NULL, "/", devfs_sb->root);
	return devfs_sb;
}

static int devfs_mount(const char *dev, unsigned long flags, const char *data, struct super_block **out)
{
	(void)dev, (void)flags, (void)data;
	*out = devfs_get_sb();
	return 0;
}

const struct fs_type devtmpfs_fs_type = {
	.name = "devtmpfs",
	.nodev = true,
	.mount = devfs_mount,
};

/* Walks path from the root, making missing directories when create is set. Returns the
 * directory holding the last component, which goes into last. */
static struct devfs_node *walk_parent(const char *path, bool create, char *last)
{
	struct devfs_node *d = devfs_get_sb()->root->priv;
	const char *p = path;
	for (;;) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 0 || n > NAME_MAX)
			return NULL;
		memcpy(last, p, n);
		last[n] = 0;
		p += n;
		if (!p[strspn(p, "/")])
			return d;
		struct devfs_node *c = child_find(d, last);
		if (!c && create && add_entry(d->inode, last, S_IFDIR | 0755, 0, NULL, NULL, &c) < 0)
			return NULL;
		if (!c || !S_ISDIR(c->inode->mode))
			return NULL;
		d = c;
	}
}

int devfs_add_node(const char *path, mode_t mode, dev_t rdev)
{
	char last[NAME_MAX + 1];
	struct devfs_node *d = walk_parent(path, true, last);
	if (!d)
		return -ENOENT;
	if (S_ISDIR(mode))
		return add_entry(d->inode, last, mode, 0, NULL, NULL, NULL);
	return add_entry(d->inode, last, mode, rdev, NULL, NULL, NULL);
}

int devfs_remove_node(const char *path)
{
	char last[NAME_MAX + 1];
	struct devfs_node *d = walk_parent(path, false, last);
	if (!d)
		return -ENOENT;
	struct devfs_node *c = child_find(d, last);
	if (!c)
		return -ENOENT;
	return S_ISDIR(c->inode->mode) ? devfs_rmdir(d->inode, last) : devfs_unlink(d->inode, last);
}

static void add_symlink(const char *name, const char *target)
{
	struct devfs_node *root = devfs_get_sb()->root->priv;
	add_entry(root->inode, name, S_IFLNK | 0777, 0, NULL, target, NULL);
}

/* The nodes a booted Linux has in /dev before any udev runs (devtmpfs's own plus the
 * links and directories init scripts make). */
void devfs_init(void)
{
	static const struct { const char *name; mode_t mode; unsigned major, minor; } nodes[] = {
		{ "null",    S_IFCHR | 0666, 1, 3 },
		{ "zero",    S_IFCHR | 0666, 1, 5 },
		{ "full",    S_IFCHR | 0666, 1, 7 },
		{ "random",  S_IFCHR | 0666, 1, 8 },
		{ "urandom", S_IFCHR | 0666, 1, 9 },
		{ "kmsg",    S_IFCHR | 0644, 1, 11 },
		{ "tty",     S_IFCHR | 0666, 5, 0 },
		{ "console", S_IFCHR | 0600, 5, 1 },
		{ "ptmx",    S_IFCHR | 0666, 5, 2 },
		{ "pts",     S_IFDIR | 0755, 0, 0 },
		{ "shm",     S_IFDIR | 01777, 0, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(nodes); i++)
		devfs_add_node(nodes[i].name, nodes[i].mode, makedev(nodes[i].major, nodes[i].minor));
	add_symlink("fd", "/proc/self/fd");
	add_symlink("stdin", "/proc/self/fd/0");
	add_symlink("stdout", "/proc/self/fd/1");
	add_symlink("stderr", "/proc/self/fd/2");
	vfs_register_fs(&devtmpfs_fs_type);
}
