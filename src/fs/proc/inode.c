/*
 * procfs inodes: every file is a proc_node (what it shows, for which process), turned
 * into a fresh inode at each lookup. Regular files are generated at open into a buffer
 * that read and llseek then serve, so one read(2) loop sees one consistent snapshot.
 */
#include <dirent.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs/proc/internal.h"
#include "task/task.h"

static const struct inode_ops proc_iops;
static const struct file_ops proc_file_fops, proc_dir_fops;

void proc_node_make(struct proc_node *out, const struct proc_entry *e, pid_t pid, pid_t tid,
		    int fd, unsigned id)
{
	out->entry = e;
	out->pid = pid;
	out->tid = tid;
	out->fd = fd;
	out->ino = PROC_INO(pid, tid, fd, id);
}

struct task *proc_reader_or_init(struct task *reader)
{
	if (reader)
		return reader;
	return init_tg ? tg_leader(init_tg) : NULL;
}

static const struct proc_node *inode_node(struct inode *inode)
{
	return inode->priv;
}

static mode_t node_mode(const struct proc_node *n)
{
	if (n->entry->readlink && n->fd >= 0)
		return proc_fd_link_mode(n);
	return n->entry->mode;
}

static struct inode *node_inode(struct super_block *sb, const struct proc_node *n)
{
	struct proc_node *copy = xcalloc(1, sizeof(*copy));
	*copy = *n;
	mode_t mode = node_mode(n);
	struct inode *inode = inode_new(sb, n->ino, mode, &proc_iops,
					S_ISDIR(mode) ? &proc_dir_fops : &proc_file_fops);
	inode->priv = copy;
	proc_node_owner(n, &inode->uid, &inode->gid);
	return inode;
}

/* A child of a directory node by name: the table first, then the changing children. */
int proc_node_child(const struct proc_node *dir, const char *name, struct proc_node *out)
{
	const struct proc_dir *d = dir->entry->dir;
	if (!d)
		return -ENOTDIR;
	int err = proc_node_alive(dir);
	if (err < 0)
		return err;
	for (size_t i = 0; i < d->count; i++) {
		if (strcmp(d->entries[i].name, name) == 0) {
			proc_node_make(out, &d->entries[i], dir->pid, dir->tid, -1,
				       d->ino_base + (unsigned)i);
			return 0;
		}
	}
	return d->lookup_extra ? d->lookup_extra(dir, name, out) : -ENOENT;
}

static int proc_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct proc_node child;
	int err = proc_node_child(inode_node(dir), name, &child);
	if (err < 0)
		return err;
	*out = node_inode(dir->sb, &child);
	return 0;
}

static unsigned count_table_dirs(const struct proc_dir *d)
{
	unsigned n = 0;
	for (size_t i = 0; i < d->count; i++)
		n += S_ISDIR(d->entries[i].mode);
	return n;
}

static int proc_getattr(struct inode *inode, struct kstat *st)
{
	const struct proc_node *n = inode_node(inode);
	const struct proc_dir *d = n->entry->dir;
	int err = proc_node_alive(n);
	if (err < 0)
		return err;
	st->ino = inode->ino;
	st->dev = inode->sb ? inode->sb->dev : 0;
	st->mode = node_mode(n);
	if (n->entry->readlink && n->fd >= 0)
		st->size = 64;   /* Linux gives its fd links this size (ls -l shows it) */
	/* like Linux: a directory links to itself, its parent and each subdirectory */
	st->nlink = d ? 2 + count_table_dirs(d) + (d->count_extra_dirs ? d->count_extra_dirs(n) : 0) : 1;
	proc_node_owner(n, &st->uid, &st->gid);
	st->blksize = 1024;
	st->atime = inode->atime;
	st->mtime = inode->mtime;
	st->ctime = inode->ctime;
	return 0;
}

/* Linux's proc_setattr: no chmod; a truncating open of a sysctl file must succeed. */
static int proc_setattr(struct inode *inode, const struct iattr *attr)
{
	(void)inode;
	if (attr->valid & (ATTR_MODE | ATTR_UID | ATTR_GID))
		return -EPERM;
	return 0;
}

static long proc_readlink(struct inode *inode, char *buf, size_t len)
{
	const struct proc_node *n = inode_node(inode);
	if (!n->entry->readlink)
		return -EINVAL;
	char *target = malloc(PATH_MAX);
	if (!target)
		return -ENOMEM;
	int err = n->entry->readlink(n, current, target, PATH_MAX);
	if (err < 0) {
		free(target);
		return err;
	}
	size_t tl = strlen(target);
	if (tl > len)
		tl = len;
	memcpy(buf, target, tl);
	free(target);
	return (long)tl;
}

static int proc_get_link_path(struct inode *inode, struct task *t, struct path *out)
{
	const struct proc_node *n = inode_node(inode);
	return n->entry->get_path ? n->entry->get_path(n, t, out) : LINK_TEXT;
}

/* Generates the whole text of n as reader sees it. */
static int node_generate(const struct proc_node *n, struct task *reader, struct proc_buf *b)
{
	if (!n->entry->show)
		return 0;
	int err = n->entry->show(b, n, reader);
	if (err < 0)
		pbuf_free(b);
	return err;
}

static int proc_open(struct inode *inode, struct file *f)
{
	const struct proc_node *n = inode_node(inode);
	if (S_ISDIR(inode->mode)) {
		f->fops = &proc_dir_fops;
		return 0;
	}
	struct proc_buf *b = xcalloc(1, sizeof(*b));
	int err = node_generate(n, current, b);
	if (err < 0) {
		free(b);
		return err;
	}
	f->priv = b;
	f->fops = &proc_file_fops;
	return 0;
}

static void proc_destroy(struct inode *inode)
{
	free(inode->priv);
	inode->priv = NULL;
}

static ssize_t proc_file_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	struct proc_buf *b = f->priv;
	if (!b || *pos < 0 || (size_t)*pos >= b->len)
		return 0;
	size_t n = b->len - (size_t)*pos;
	if (n > len)
		n = len;
	memcpy(buf, b->data + *pos, n);
	*pos += (off_t)n;
	return (ssize_t)n;
}

/* Each write(2) is one request to the file (a sysctl value, a new comm), as Linux's
 * sysctl handlers take it; writes past the start are refused rather than merged. */
static ssize_t proc_file_write(struct file *f, const char *buf, size_t len, off_t *pos)
{
	const struct proc_node *n = inode_node(f->inode);
	if (!n->entry->write)
		return -EINVAL;
	if (*pos != 0)
		return -EINVAL;
	int err = n->entry->write(n, current, buf, len);
	if (err < 0)
		return err;
	*pos += (off_t)len;
	return (ssize_t)len;
}

static off_t proc_file_llseek(struct file *f, off_t off, int whence)
{
	struct proc_buf *b = f->priv;
	return generic_llseek(f, off, whence, b ? (off_t)b->len : 0);
}

static void proc_file_release(struct file *f)
{
	struct proc_buf *b = f->priv;
	if (b) {
		pbuf_free(b);
		free(b);
	}
	f->priv = NULL;
}

bool proc_emit(struct proc_iter *it, const char *name, uint64_t ino, mode_t mode, off_t next)
{
	if (!it->sink->emit(it->sink, name, ino, IFTODT(mode), next))
		return false;
	it->file->pos = next;
	return true;
}

/* ".", "..", the table, then the changing children: the order Linux lists them in. */
static int proc_dir_iterate(struct file *f, struct dirent_sink *sink)
{
	const struct proc_node *n = inode_node(f->inode);
	const struct proc_dir *d = n->entry->dir;
	struct proc_iter it = { f, sink, (off_t)(2 + d->count) };
	int err = proc_node_alive(n);
	if (err < 0)
		return err;
	if (f->pos == 0 && !proc_emit(&it, ".", n->ino, S_IFDIR, 1))
		return 0;
	if (f->pos == 1 && !proc_emit(&it, "..", n->ino, S_IFDIR, 2))
		return 0;
	while (f->pos >= 2 && f->pos < it.base) {
		size_t i = (size_t)f->pos - 2;
		const struct proc_entry *e = &d->entries[i];
		uint64_t ino = PROC_INO(n->pid, n->tid, -1, d->ino_base + (unsigned)i);
		if (!proc_emit(&it, e->name, ino, e->mode, f->pos + 1))
			return 0;
	}
	if (d->iterate_extra)
		d->iterate_extra(n, &it);
	return 0;
}

static off_t proc_dir_llseek(struct file *f, off_t off, int whence)
{
	if (whence == SEEK_END)
		return -EINVAL;
	return generic_llseek(f, off, whence, 0);
}

static ssize_t proc_dir_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -EISDIR;
}

static const struct inode_ops proc_iops = {
	.lookup = proc_lookup,
	.getattr = proc_getattr,
	.setattr = proc_setattr,
	.readlink = proc_readlink,
	.get_link_path = proc_get_link_path,
	.open = proc_open,
	.destroy = proc_destroy,
};

static const struct file_ops proc_file_fops = {
	.read = proc_file_read,
	.write = proc_file_write,
	.llseek = proc_file_llseek,
	.release = proc_file_release,
	.rwf = FOP_RWF_READ_NONE | FOP_RWF_WRITE_NONE,   /* Linux's seq_file ->read and ->write */
};

static const struct file_ops proc_dir_fops = {
	.read = proc_dir_read,
	.llseek = proc_dir_llseek,
	.iterate = proc_dir_iterate,
};

static int proc_statfs(struct super_block *sb, struct statfs *st)
{
	return fs_statfs_default(sb, st);
}

static void proc_kill(struct super_block *sb)
{
	inode_put(sb->root);
	free(sb);
}

/* Every mount gets its own superblock: the tree is generated, so nothing is shared. */
static int proc_mount(const char *dev, unsigned long flags, const char *data, struct super_block **out)
{
	(void)dev, (void)data;
	struct super_block *sb = xcalloc(1, sizeof(*sb));
	sb->type = &proc_fs_type;
	sb->dev = vfs_anon_dev();
	sb->flags = flags;
	sb->magic = PROC_SUPER_MAGIC;
	sb->statfs = proc_statfs;
	sb->kill = proc_kill;
	struct proc_node root;
	proc_node_make(&root, &proc_root_entry, 0, 0, -1, 0);
	root.ino = PROC_ROOT_INO;
	sb->root = node_inode(sb, &root);
	*out = sb;
	return 0;
}

const struct fs_type proc_fs_type = {
	.name = "proc",
	.nodev = true,
	.mount = proc_mount,
};

/* Walks relpath from the root node, following no symlinks but "self". */
static int node_walk(const char *relpath, struct task *reader, struct proc_node *out)
{
	proc_node_make(out, &proc_root_entry, 0, 0, -1, 0);
	char comp[NAME_MAX + 1];
	const char *p = relpath;
	while (*p) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (!n)
			break;
		if (n > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(comp, p, n);
		comp[n] = 0;
		p += n;
		if (strcmp(comp, "self") == 0 && out->entry == &proc_root_entry && reader)
			snprintf(comp, sizeof(comp), "%d", reader->tg->tgid);
		struct proc_node child;
		int err = proc_node_child(out, comp, &child);
		if (err < 0)
			return err;
		*out = child;
	}
	return 0;
}

int proc_read_path(const char *relpath, struct task *reader, char **out, size_t *len)
{
	struct proc_node n;
	reader = proc_reader_or_init(reader);
	int err = node_walk(relpath, reader, &n);
	if (err < 0)
		return err;
	if (S_ISDIR(n.entry->mode))
		return -EISDIR;
	if (!n.entry->show)
		return -EINVAL;
	struct proc_buf b = { 0 };
	err = node_generate(&n, reader, &b);
	if (err < 0)
		return err;
	*out = b.data ? b.data : xstrdup("");
	*len = b.len;
	return 0;
}
