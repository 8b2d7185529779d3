/*
 * sysfs, with what common tools read: the tree a booted Linux has at its top, the CPU
 * lists glibc and procps read (one CPU, as the guest has), and empty /sys/dev/block and
 * /sys/block for lsblk. Read-only: the files are generated when opened, a write open is
 * EACCES (kernfs refuses attributes without a store method the same way).
 */
#include <dirent.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fs/vfs.h"

struct sysfs_node {
	const char *name;
	mode_t mode;
	const char *text;                    /* a file's contents */
	const struct sysfs_node *children;   /* a directory's, ending with a NULL name */
};

#define DIR(n, c) { .name = (n), .mode = S_IFDIR | 0755, .children = (c) }
#define FILE_TEXT(n, t) { .name = (n), .mode = S_IFREG | 0444, .text = (t) }
#define END { .name = NULL }

static const struct sysfs_node empty[] = { END };
static const struct sysfs_node cpu_dir[] = {
	DIR("cpu0", empty),
	FILE_TEXT("kernel_max", "0\n"),
	FILE_TEXT("offline", "\n"),
	FILE_TEXT("online", "0\n"),
	FILE_TEXT("possible", "0\n"),
	FILE_TEXT("present", "0\n"),
	END,
};
static const struct sysfs_node system_dir[] = { DIR("cpu", cpu_dir), END };
static const struct sysfs_node devices_dir[] = {
	DIR("system", system_dir), DIR("virtual", empty), END,
};
static const struct sysfs_node dev_dir[] = { DIR("block", empty), DIR("char", empty), END };
static const struct sysfs_node class_dir[] = { DIR("block", empty), DIR("tty", empty), END };
static const struct sysfs_node fs_dir[] = { DIR("cgroup", empty), END };
static const struct sysfs_node kernel_dir[] = { DIR("mm", empty), END };
static const struct sysfs_node root_dir[] = {
	DIR("block", empty), DIR("bus", empty), DIR("class", class_dir), DIR("dev", dev_dir),
	DIR("devices", devices_dir), DIR("firmware", empty), DIR("fs", fs_dir),
	DIR("kernel", kernel_dir), DIR("module", empty), DIR("power", empty), END,
};
static const struct sysfs_node root_node = DIR("/", root_dir);

static struct super_block *sysfs_sb;
static const struct inode_ops sysfs_iops;
static const struct file_ops sysfs_dir_fops, sysfs_file_fops;

/* Inode numbers follow the table: the root is 1, then each node in depth-first order. */
static uint64_t subtree_size(const struct sysfs_node *n)
{
	uint64_t size = 1;
	for (const struct sysfs_node *c = n->children; c && c->name; c++)
		size += subtree_size(c);
	return size;
}

static struct inode *node_inode(const struct sysfs_node *n, uint64_t ino)
{
	const struct file_ops *fops = S_ISDIR(n->mode) ? &sysfs_dir_fops : &sysfs_file_fops;
	struct inode *i = inode_new(sysfs_sb, ino, n->mode, &sysfs_iops, fops);
	i->priv = (void *)n;
	i->nlink = 1;
	if (S_ISDIR(n->mode)) {
		i->nlink = 2;
		for (const struct sysfs_node *c = n->children; c->name; c++)
			i->nlink += S_ISDIR(c->mode);
	}
	i->size = n->text ? PAGE_SIZE : 0;   /* what Linux shows for every attribute */
	i->mtime = i->ctime = i->atime = sysfs_sb->root ? sysfs_sb->root->mtime : i->mtime;
	return i;
}

static int sysfs_lookup(struct inode *dir, const char *name, struct inode **out)
{
	const struct sysfs_node *d = dir->priv;
	uint64_t ino = dir->ino + 1;
	for (const struct sysfs_node *c = d->children; c && c->name; c++) {
		if (strcmp(c->name, name) == 0) {
			*out = node_inode(c, ino);
			return 0;
		}
		ino += subtree_size(c);
	}
	return -ENOENT;
}

static bool emit(struct file *f, struct dirent_sink *s, const char *name, uint64_t ino, mode_t mode)
{
	if (!s->emit(s, name, ino, IFTODT(mode), f->pos + 1))
		return false;
	f->pos++;
	return true;
}

static int sysfs_iterate(struct file *f, struct dirent_sink *s)
{
	const struct sysfs_node *d = f->inode->priv;
	if (f->pos == 0 && !emit(f, s, ".", f->inode->ino, S_IFDIR))
		return 0;
	if (f->pos == 1 && !emit(f, s, "..", f->inode->ino, S_IFDIR))
		return 0;
	off_t idx = 2;
	uint64_t ino = f->inode->ino + 1;
	for (const struct sysfs_node *c = d->children; c->name; c++, idx++) {
		if (idx >= f->pos && !emit(f, s, c->name, ino, c->mode))
			return 0;
		ino += subtree_size(c);
	}
	return 0;
}

static int sysfs_open(struct inode *inode, struct file *f)
{
	if (!S_ISDIR(inode->mode) && (f->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;   /* no attribute here can be written */
	f->fops = inode->fops;
	return 0;
}

static ssize_t sysfs_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	const struct sysfs_node *n = f->inode->priv;
	size_t size = strlen(n->text);
	if (*pos < 0 || (size_t)*pos >= size)
		return 0;
	size_t k = size - (size_t)*pos < len ? size - (size_t)*pos : len;
	memcpy(buf, n->text + *pos, k);
	*pos += (off_t)k;
	return (ssize_t)k;
}

static off_t sysfs_file_llseek(struct file *f, off_t off, int whence)
{
	const struct sysfs_node *n = f->inode->priv;
	return generic_llseek(f, off, whence, (off_t)strlen(n->text));
}

static off_t sysfs_dir_llseek(struct file *f, off_t off, int whence)
{
	return whence == SEEK_END ? -EINVAL : generic_llseek(f, off, whence, 0);
}

static ssize_t sysfs_dir_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -EISDIR;
}

static const struct inode_ops sysfs_iops = { .lookup = sysfs_lookup, .open = sysfs_open };
static const struct file_ops sysfs_dir_fops = {
	.read = sysfs_dir_read, .iterate = sysfs_iterate, .llseek = sysfs_dir_llseek,
};
static const struct file_ops sysfs_file_fops = { .read = sysfs_read, .llseek = sysfs_file_llseek };

static int sysfs_statfs(struct super_block *sb, struct statfs *st)
{
	return fs_statfs_default(sb, st);
}

/* One tree for every mount, like Linux's sysfs in one network namespace. */
static void sysfs_kill(struct super_block *sb) { (void)sb; }

static const struct fs_type sysfs_fs_type;

static int sysfs_mount(const char *dev, unsigned long flags, const char *data, struct super_block **out)
{
	(void)dev, (void)flags, (void)data;
	if (!sysfs_sb) {
		sysfs_sb = xcalloc(1, sizeof(*sysfs_sb));
		sysfs_sb->type = &sysfs_fs_type;
		sysfs_sb->dev = vfs_anon_dev();
		sysfs_sb->magic = SYSFS_MAGIC;
		sysfs_sb->statfs = sysfs_statfs;
		sysfs_sb->kill = sysfs_kill;
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		sysfs_sb->root = node_inode(&root_node, 1);
		sysfs_sb->root->mtime = sysfs_sb->root->ctime = sysfs_sb->root->atime = now;
	}
	*out = sysfs_sb;
	return 0;
}

static const struct fs_type sysfs_fs_type = { .name = "sysfs", .nodev = true, .mount = sysfs_mount };

void sysfs_init(void)
{
	vfs_register_fs(&sysfs_fs_type);
}
