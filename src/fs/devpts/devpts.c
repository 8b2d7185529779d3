/*
 * devpts (see devpts.h). Inode numbers are Linux's: the root is 1, ptmx 2 and the node
 * of pty N is N + 3. Nodes hold their attributes in the VFS inode (chmod and chown work
 * there, as grantpt once needed).
 */
#include <dirent.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/tty/pty.h"
#include "fs/devpts/devpts.h"

struct devpts_opts {
	bool set_uid, set_gid;
	uid_t uid;
	gid_t gid;
	mode_t mode;          /* of new pty nodes */
	mode_t ptmxmode;
	unsigned max;
};

static struct devpts_opts opts = { .mode = 0600, .ptmxmode = 0, .max = PTY_MAX };
static struct super_block *devpts_sb;
static struct inode *ptmx_node;
static struct inode *nodes[PTY_MAX];
static const struct inode_ops devpts_root_iops;
static const struct file_ops devpts_root_fops;

static bool parse_num(const char *s, int base, unsigned long max, unsigned long *out)
{
	char *end;
	if (!s || !*s)
		return false;
	errno = 0;
	*out = strtoul(s, &end, base);
	return !*end && !errno && *s != '-' && *out <= max;
}

/* devpts_parse_param(): unknown options are refused, as Linux does. */
static int parse_options(const char *data, struct devpts_opts *o)
{
	if (!data || !*data)
		return 0;
	char *copy = xstrdup(data), *save = NULL, *opt;
	int err = 0;
	for (opt = strtok_r(copy, ",", &save); opt && !err; opt = strtok_r(NULL, ",", &save)) {
		char *val = strchr(opt, '=');
		unsigned long v = 0;
		if (val)
			*val++ = 0;
		if (strcmp(opt, "newinstance") == 0)
			continue;   /* there is one instance; every mount shows it */
		if (strcmp(opt, "uid") == 0 && parse_num(val, 10, UINT32_MAX - 1, &v)) {
			o->uid = (uid_t)v;
			o->set_uid = true;
		} else if (strcmp(opt, "gid") == 0 && parse_num(val, 10, UINT32_MAX - 1, &v)) {
			o->gid = (gid_t)v;
			o->set_gid = true;
		} else if (strcmp(opt, "mode") == 0 && parse_num(val, 8, 07777, &v)) {
			o->mode = (mode_t)v & 0777;
		} else if (strcmp(opt, "ptmxmode") == 0 && parse_num(val, 8, 07777, &v)) {
			o->ptmxmode = (mode_t)v & 0777;
		} else if (strcmp(opt, "max") == 0 && parse_num(val, 10, PTY_MAX, &v)) {
			o->max = (unsigned)v;
		} else {
			printk("<3>devpts: called with bogus options\n");
			err = -EINVAL;
		}
	}
	free(copy);
	return err;
}

static int apply_options(const char *data)
{
	struct devpts_opts o = { .mode = 0600, .ptmxmode = 0, .max = PTY_MAX };
	int err = parse_options(data, &o);
	if (err < 0)
		return err;
	opts = o;
	ptmx_node->mode = S_IFCHR | opts.ptmxmode;
	ptmx_node->ctime = ptmx_node->mtime;
	return 0;
}

/* ---- the root directory ------------------------------------------------------------ */

static int pty_index(const char *name)
{
	unsigned long v;
	if (name[0] == '0' && name[1])
		return -1;   /* "01" names nothing */
	return parse_num(name, 10, PTY_MAX - 1, &v) ? (int)v : -1;
}

static int devpts_lookup(struct inode *dir, const char *name, struct inode **out)
{
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		*out = inode_get(dir);
		return 0;
	}
	if (strcmp(name, "ptmx") == 0) {
		*out = inode_get(ptmx_node);
		return 0;
	}
	int i = pty_index(name);
	if (i < 0 || !nodes[i])
		return -ENOENT;
	*out = inode_get(nodes[i]);
	return 0;
}

static bool emit(struct file *f, struct dirent_sink *s, const char *name, struct inode *i, off_t next)
{
	if (!s->emit(s, name, i->ino, IFTODT(i->mode), next))
		return false;
	f->pos = next;
	return true;
}

/* Positions: 0 ".", 1 "..", 2 "ptmx", then pty N at N + 3. */
static int devpts_iterate(struct file *f, struct dirent_sink *s)
{
	struct inode *root = devpts_sb->root;
	if (f->pos == 0 && !emit(f, s, ".", root, 1))
		return 0;
	if (f->pos == 1 && !emit(f, s, "..", root, 2))
		return 0;
	if (f->pos == 2 && !emit(f, s, "ptmx", ptmx_node, 3))
		return 0;
	for (off_t i = f->pos - 3; i >= 0 && i < PTY_MAX; i++) {
		if (!nodes[i])
			continue;
		char name[16];
		snprintf(name, sizeof(name), "%ld", (long)i);
		if (!emit(f, s, name, nodes[i], i + 4))
			return 0;
	}
	return 0;
}

static off_t devpts_llseek(struct file *f, off_t off, int whence)
{
	if (whence != SEEK_SET && whence != SEEK_CUR)
		return -EINVAL;
	return generic_llseek(f, off, whence, 0);
}

static ssize_t devpts_dir_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -EISDIR;
}

static const struct inode_ops devpts_root_iops = { .lookup = devpts_lookup };
static const struct file_ops devpts_root_fops = {
	.read = devpts_dir_read, .llseek = devpts_llseek, .iterate = devpts_iterate,
};

/* ---- pty nodes --------------------------------------------------------------------- */

int devpts_pty_new(int index, dev_t rdev, const struct cred *cred)
{
	if (index < 0 || index >= PTY_MAX || nodes[index])
		return -EIO;
	if ((unsigned)index >= opts.max)
		return -ENOSPC;
	struct inode *i = inode_new(devpts_sb, (uint64_t)index + 3, S_IFCHR | opts.mode, NULL, NULL);
	i->rdev = rdev;
	i->uid = opts.set_uid ? opts.uid : cred->fsuid;
	i->gid = opts.set_gid ? opts.gid : cred->fsgid;
	nodes[index] = i;
	return 0;
}

void devpts_pty_kill(int index)
{
	if (index < 0 || index >= PTY_MAX || !nodes[index])
		return;
	nodes[index]->dead = true;
	nodes[index]->nlink = 0;
	inode_put(nodes[index]);
	nodes[index] = NULL;
}

int devpts_pty_path(int index, struct path *out)
{
	if (index < 0 || index >= PTY_MAX || !nodes[index])
		return -ENOENT;
	struct list_head *p;
	list_for_each(p, &mount_list) {
		struct mount *m = list_entry(p, struct mount, link);
		if (m->sb != devpts_sb)
			continue;
		char name[16];
		snprintf(name, sizeof(name), "%d", index);
		out->mnt = m;
		out->dentry = dentry_new(name, m->root, inode_get(nodes[index]));
		m->refcount++;
		return 0;
	}
	return -ENOENT;
}

/* ---- the filesystem ---------------------------------------------------------------- */

static int devpts_remount(struct super_block *sb, unsigned long flags, const char *data)
{
	(void)sb, (void)flags;
	return data && *data ? apply_options(data) : 0;
}

static void devpts_kill(struct super_block *sb)
{
	(void)sb;   /* the one instance outlives its mounts */
}

static int devpts_mount(const char *dev, unsigned long flags, const char *data, struct super_block **out)
{
	(void)dev, (void)flags;
	int err = apply_options(data);
	if (err < 0)
		return err;
	*out = devpts_sb;
	return 0;
}

static const struct fs_type devpts_fs_type = { .name = "devpts", .nodev = true, .mount = devpts_mount };

void devpts_init(void)
{
	devpts_sb = xcalloc(1, sizeof(*devpts_sb));
	devpts_sb->dev = vfs_anon_dev();
	devpts_sb->magic = DEVPTS_SUPER_MAGIC;
	devpts_sb->remount = devpts_remount;
	devpts_sb->kill = devpts_kill;
	devpts_sb->root = inode_new(devpts_sb, 1, S_IFDIR | 0755, &devpts_root_iops, &devpts_root_fops);
	devpts_sb->root->nlink = 2;
	ptmx_node = inode_new(devpts_sb, 2, S_IFCHR | opts.ptmxmode, NULL, NULL);
	ptmx_node->rdev = makedev(PTY_MASTER_MAJOR, PTY_MASTER_MINOR);
	vfs_register_fs(&devpts_fs_type);
	pty_init();
}
