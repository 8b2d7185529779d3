/*
 * Unit tests for hostfs (src/fs/hostfs/), driving its inode and file operations
 * directly against a fresh temporary host directory, including attempts to reach files
 * outside it through host symlinks.
 *
 * Built by the Makefile against the real VFS. Without it, build alone with the test
 * doubles below: add -DHOSTFS_TEST_DOUBLES and link only the src/fs/hostfs sources.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs/hostfs/hostfs.h"
#include "fs/vfs.h"

#ifdef HOSTFS_TEST_DOUBLES
/* Minimal stand-ins for the VFS core and kernel helpers hostfs uses. */
struct inode *inode_new(struct super_block *sb, uint64_t ino, mode_t mode,
			const struct inode_ops *iops, const struct file_ops *fops)
{
	struct inode *i = calloc(1, sizeof(*i));

	i->refcount = 1;
	i->sb = sb;
	i->ino = ino;
	i->mode = mode;
	i->iops = iops;
	i->fops = fops;
	return i;
}

struct inode *inode_get(struct inode *i)
{
	i->refcount++;
	return i;
}

void inode_put(struct inode *i)
{
	if (--i->refcount)
		return;
	if (i->iops && i->iops->destroy)
		i->iops->destroy(i);
	free(i);
}

static const struct fs_type *registered_fs;
void vfs_register_fs(const struct fs_type *type) { registered_fs = type; }
dev_t vfs_anon_dev(void) { return makedev(0, 42); }

off_t generic_llseek(struct file *f, off_t off, int whence, off_t size)
{
	off_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->pos : size;

	if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
		return -EINVAL;
	if (base + off < 0)
		return -EINVAL;
	f->pos = base + off;
	return f->pos;
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		abort();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		abort();
	return p;
}
#endif

struct fixture {
	char root[64];       /* the mounted host directory */
	char outside[64];    /* a host directory no hostfs operation may touch */
	struct super_block *sb;
};

static char *at(const struct fixture *fx, const char *name)
{
	static char buf[4][PATH_MAX];
	static int n;
	char *p = buf[n++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", fx->root, name);
	return p;
}

static void put_host_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static char *host_file_text(const char *path)
{
	static char buf[256];
	FILE *fp = fopen(path, "r");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static struct super_block *mount_ok(const char *data, unsigned long flags)
{
	struct super_block *sb = NULL;

	assert_int_equal(hostfs_fs_type.mount("none", flags, data, &sb), 0);
	assert_non_null(sb);
	return sb;
}

static void umount_sb(struct super_block *sb)
{
	sb->kill(sb);  /* frees sb */
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	strcpy(fx->root, "/tmp/hostfs-test-XXXXXX");
	strcpy(fx->outside, "/tmp/hostfs-outside-XXXXXX");
	if (!mkdtemp(fx->root) || !mkdtemp(fx->outside))
		return -1;
	umask(022);
	hostfs_set_jail(NULL, false);
	fx->sb = mount_ok(fx->root, 0);
	*state = fx;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	if (fx->sb)
		umount_sb(fx->sb);
	hostfs_set_jail(NULL, false);
	nftw(fx->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	nftw(fx->outside, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

static struct inode *lookup_ok(struct inode *dir, const char *name)
{
	struct inode *i = NULL;

	assert_int_equal(dir->iops->lookup(dir, name, &i), 0);
	assert_non_null(i);
	return i;
}

static int lookup_err(struct inode *dir, const char *name)
{
	struct inode *i = NULL;
	int err = dir->iops->lookup(dir, name, &i);

	if (!err)
		inode_put(i);
	return err;
}

static struct inode *create_ok(struct inode *dir, const char *name, mode_t mode)
{
	struct inode *i = NULL;

	assert_int_equal(dir->iops->create(dir, name, mode, 0, NULL, &i), 0);
	assert_non_null(i);
	return i;
}

static int open_file(struct inode *i, unsigned flags, struct file **out)
{
	struct file *f = calloc(1, sizeof(*f));
	int err;

	f->refcount = 1;
	f->flags = flags;
	f->inode = i;
	f->host_fd = -1;
	err = i->iops->open(i, f);
	if (err) {
		free(f);
		return err;
	}
	*out = f;
	return 0;
}

static struct file *open_ok(struct inode *i, unsigned flags)
{
	struct file *f = NULL;

	assert_int_equal(open_file(i, flags, &f), 0);
	return f;
}

static int open_err(struct inode *i, unsigned flags)
{
	struct file *f = NULL;
	int err = open_file(i, flags, &f);

	if (!err) {
		f->fops->release(f);
		free(f);
	}
	return err;
}

static void close_file(struct file *f)
{
	if (f->fops->release)
		f->fops->release(f);
	free(f);
}

static void write_ok(struct file *f, const char *text)
{
	assert_int_equal(f->fops->write(f, text, strlen(text), &f->pos), (ssize_t)strlen(text));
}

static char *read_all(struct file *f)
{
	static char buf[256];
	off_t pos = 0;
	ssize_t n = f->fops->read(f, buf, sizeof(buf) - 1, &pos);

	assert_true(n >= 0);
	buf[n] = '\0';
	return buf;
}

static struct kstat getattr_ok(struct inode *i)
{
	struct kstat st;

	assert_int_equal(i->iops->getattr(i, &st), 0);
	return st;
}

/* Mounting */

static void test_mount_root(void **state)
{
	struct fixture *fx = *state;
	struct inode *root = fx->sb->root;
	struct stat hst;
	struct statfs sfs;
	struct kstat st = getattr_ok(root);

	assert_int_equal(stat(fx->root, &hst), 0);
	assert_true(S_ISDIR(root->mode));
	assert_int_equal(root->ino, hst.st_ino);
	assert_int_equal(st.ino, hst.st_ino);
	assert_int_equal(st.dev, fx->sb->dev);
	assert_int_equal(st.mode, hst.st_mode);
	assert_int_equal(fx->sb->magic, HOSTFS_SUPER_MAGIC);
	assert_int_equal(fx->sb->statfs(fx->sb, &sfs), 0);
	assert_int_equal(sfs.f_type, HOSTFS_SUPER_MAGIC);
	assert_string_equal(hostfs_fs_type.name, "hostfs");
	assert_true(hostfs_fs_type.nodev);
}

static void test_mount_errors(void **state)
{
	struct fixture *fx = *state;
	struct super_block *sb = NULL;

	assert_int_equal(hostfs_fs_type.mount("none", 0, at(fx, "missing"), &sb), -ENOENT);
	put_host_file(at(fx, "file"), "x");
	assert_int_equal(hostfs_fs_type.mount("none", 0, at(fx, "file"), &sb), -ENOTDIR);
	assert_null(sb);
}

static void test_mount_default_is_host_root(void **state)
{
	struct super_block *sb = mount_ok(NULL, 0);
	struct stat hst;

	(void)state;
	assert_int_equal(stat("/", &hst), 0);
	assert_int_equal(sb->root->ino, hst.st_ino);
	umount_sb(sb);
	sb = mount_ok("", 0);
	assert_int_equal(sb->root->ino, hst.st_ino);
	umount_sb(sb);
}

/* Files */

static void test_create_write_read(void **state)
{
	struct fixture *fx = *state;
	struct inode *root = fx->sb->root;
	struct inode *i = create_ok(root, "f", S_IFREG | 0640);
	struct inode *again;
	struct file *f;
	struct stat hst;

	assert_true(S_ISREG(i->mode));
	assert_int_equal(i->mode & 07777, 0640);
	f = open_ok(i, O_RDWR);
	assert_true(f->host_fd >= 0);
	assert_int_equal(f->fops->host_fd(f), f->host_fd);
	write_ok(f, "hello");
	assert_int_equal(f->pos, 5);
	write_ok(f, " world");
	assert_string_equal(read_all(f), "hello world");
	assert_string_equal(host_file_text(at(fx, "f")), "hello world");
	assert_int_equal(getattr_ok(i).size, 11);
	assert_int_equal(stat(at(fx, "f"), &hst), 0);
	assert_int_equal(hst.st_mode & 07777, 0640);
	assert_int_equal(i->ino, hst.st_ino);
	close_file(f);

	/* The inode in use is the one a second lookup finds. */
	again = lookup_ok(root, "f");
	assert_ptr_equal(again, i);
	assert_int_equal(i->refcount, 2);
	inode_put(again);
	assert_int_equal(root->iops->create(root, "f", S_IFREG | 0644, 0, NULL, &again), -EEXIST);
	inode_put(i);
}

static void test_create_ignores_host_umask(void **state)
{
	struct fixture *fx = *state;
	struct inode *root = fx->sb->root;
	struct stat hst;

	umask(077);
	inode_put(create_ok(root, "wide", S_IFREG | 0666));
	assert_int_equal(root->iops->mkdir(root, "widedir", 0775, NULL), 0);
	umask(022);
	assert_int_equal(stat(at(fx, "wide"), &hst), 0);
	assert_int_equal(hst.st_mode & 07777, 0666);
	assert_int_equal(stat(at(fx, "widedir"), &hst), 0);
	assert_int_equal(hst.st_mode & 07777, 0775);
}

static void test_lookup_errors(void **state)
{
	struct fixture *fx = *state;
	struct inode *root = fx->sb->root;
	struct inode *f;

	assert_int_equal(lookup_err(root, "missing"), -ENOENT);
	assert_int_equal(lookup_err(root, ""), -ENOENT);
	assert_int_equal(lookup_err(root, "."), -EINVAL);
	assert_int_equal(lookup_err(root, ".."), -EINVAL);
	assert_int_equal(lookup_err(root, "a/b"), -EINVAL);
	put_host_file(at(fx, "plain"), "");
	f = lookup_ok(root, "plain");
	assert_int_equal(lookup_err(f, "x"), -ENOTDIR);
	inode_put(f);
}

static void test_llseek(void **state)
{
	struct fixture *fx = *state;
	struct inode *i;
	struct file *f;

	put_host_file(at(fx, "data"), "0123456789");
	i = lookup_ok(fx->sb->root, "data");
	f = open_ok(i, O_RDONLY);
	assert_int_equal(f->fops->llseek(f, -3, SEEK_END), 7);
	assert_int_equal(f->pos, 7);
	assert_int_equal(f->fops->llseek(f, 1, SEEK_CUR), 8);
	assert_int_equal(f->fops->llseek(f, 0, SEEK_DATA), 0);
	assert_int_equal(f->fops->llseek(f, 0, SEEK_HOLE), 10);
	assert_int_equal(f->fops->llseek(f, 11, SEEK_DATA), -ENXIO);
	close_file(f);
	inode_put(i);
}

static void test_append_flag(void **state)
{
	struct fixture *fx = *state;
	struct inode *i;
	struct file *f;

	put_host_file(at(fx, "log"), "abc");
	i = lookup_ok(fx->sb->root, "log");
	f = open_ok(i, O_WRONLY | O_APPEND);
	write_ok(f, "de");
	assert_int_equal(f->pos, 5);
	/* fcntl(F_SETFL) clearing O_APPEND: writes go back to the position. */
	f->flags &= ~O_APPEND;
	f->pos = 0;
	write_ok(f, "X");
	assert_string_equal(host_file_text(at(fx, "log")), "Xbcde");
	close_file(f);
	inode_put(i);
}

static void test_sync_mount(void **state)
{
	struct fixture *fx = *state;
	struct super_block *sb = mount_ok(fx->root, MS_SYNCHRONOUS);
	struct inode *i = create_ok(sb->root, "s", S_IFREG | 0644);
	struct file *f;

	inode_put(i);
	i = lookup_ok(sb->root, "s");
	f = open_ok(i, O_WRONLY);
	assert_true((fcntl(f->host_fd, F_GETFL) & O_SYNC) == O_SYNC);
	close_file(f);
	inode_put(i);
	umount_sb(sb);
}

static void test_setattr(void **state)
{
	struct fixture *fx = *state;
	struct inode *i;
	struct stat hst;
	struct kstat st;
	struct iattr a = { .valid = ATTR_MODE, .mode = 0600 };

	put_host_file(at(fx, "t"), "12345");
	i = lookup_ok(fx->sb->root, "t");
	assert_int_equal(i->iops->setattr(i, &a), 0);
	assert_int_equal(i->mode & 07777, 0600);
	a = (struct iattr){ .valid = ATTR_MTIME | ATTR_ATIME, .mtime = { 12345, 678 },
			    .atime = { 1000, 0 } };
	assert_int_equal(i->iops->setattr(i, &a), 0);
	st = getattr_ok(i);
	assert_int_equal(st.mtime.tv_sec, 12345);
	assert_int_equal(st.mtime.tv_nsec, 678);
	assert_int_equal(st.atime.tv_sec, 1000);
	a = (struct iattr){ .valid = ATTR_ATIME | ATTR_ATIME_NOW };
	assert_int_equal(i->iops->setattr(i, &a), 0);
	st = getattr_ok(i);
	assert_true(st.atime.tv_sec > 1000);
	assert_int_equal(st.mtime.tv_sec, 12345);
	a = (struct iattr){ .valid = ATTR_SIZE, .size = 2 };
	assert_int_equal(i->iops->setattr(i, &a), 0);
	assert_int_equal(stat(at(fx, "t"), &hst), 0);
	assert_int_equal(hst.st_size, 2);
	assert_int_equal(hst.st_mode & 07777, 0600);
	assert_int_equal(i->size, 2);
	inode_put(i);
}

/* Directories */

struct names {
	struct dirent_sink sink;
	int n, limit;
	char name[16][32];
	unsigned type[16];
	off_t next[16];
};

static bool names_emit(struct dirent_sink *s, const char *name, uint64_t ino, unsigned type,
		       off_t next)
{
	struct names *nm = (struct names *)s;

	(void)ino;
	if (nm->n >= nm->limit)
		return false;
	snprintf(nm->name[nm->n], sizeof(nm->name[0]), "%s", name);
	nm->type[nm->n] = type;
	nm->next[nm->n++] = next;
	return true;
}

static void names_reset(struct names *nm, int limit)
{
	memset(nm, 0, sizeof(*nm));
	nm->sink.emit = names_emit;
	nm->limit = limit;
}

static int names_find(const struct names *nm, const char *name)
{
	for (int k = 0; k < nm->n; k++)
		if (!strcmp(nm->name[k], name))
			return k;
	return -1;
}

static void test_iterate(void **state)
{
	struct fixture *fx = *state;
	struct names all, part;
	struct inode *d;
	struct file *f;
	off_t mark;

	assert_int_equal(mkdir(at(fx, "d"), 0755), 0);
	put_host_file(at(fx, "d/a"), "");
	put_host_file(at(fx, "d/b"), "");
	assert_int_equal(mkdir(at(fx, "d/c"), 0755), 0);
	assert_int_equal(symlink("a", at(fx, "d/l")), 0);
	d = lookup_ok(fx->sb->root, "d");
	f = open_ok(d, O_RDONLY | O_DIRECTORY);

	names_reset(&all, 16);
	assert_int_equal(f->fops->iterate(f, &all.sink), 0);
	assert_int_equal(all.n, 6);
	assert_int_equal(all.type[names_find(&all, ".")], DT_DIR);
	assert_int_equal(all.type[names_find(&all, "..")], DT_DIR);
	assert_int_equal(all.type[names_find(&all, "a")], DT_REG);
	assert_int_equal(all.type[names_find(&all, "c")], DT_DIR);
	assert_int_equal(all.type[names_find(&all, "l")], DT_LNK);
	assert_int_equal(f->pos, all.next[5]);
	names_reset(&part, 16);
	assert_int_equal(f->fops->iterate(f, &part.sink), 0);
	assert_int_equal(part.n, 0);  /* at the end */

	/* A full buffer stops the walk without consuming the entry. */
	assert_int_equal(f->fops->llseek(f, 0, SEEK_SET), 0);
	names_reset(&part, 2);
	assert_int_equal(f->fops->iterate(f, &part.sink), 0);
	assert_int_equal(part.n, 2);
	mark = f->fops->llseek(f, 0, SEEK_CUR);
	assert_int_equal(mark, all.next[1]);
	names_reset(&part, 16);
	assert_int_equal(f->fops->iterate(f, &part.sink), 0);
	assert_int_equal(part.n, 4);
	assert_string_equal(part.name[0], all.name[2]);

	/* seekdir to a saved position, and in steps of one. */
	assert_int_equal(f->fops->llseek(f, mark, SEEK_SET), mark);
	names_reset(&part, 1);
	assert_int_equal(f->fops->iterate(f, &part.sink), 0);
	assert_string_equal(part.name[0], all.name[2]);
	names_reset(&part, 1);
	assert_int_equal(f->fops->iterate(f, &part.sink), 0);
	assert_string_equal(part.name[0], all.name[3]);

	assert_int_equal(f->fops->read(f, (char[4]){ 0 }, 4, &f->pos), -EISDIR);
	assert_int_equal(f->fops->host_fd(f), -ENODEV);
	assert_int_equal(open_err(d, O_WRONLY), -EISDIR);
	close_file(f);
	inode_put(d);
}

static void test_mkdir_rmdir_unlink(void **state)
{
	struct fixture *fx = *state;
	struct inode *root = fx->sb->root;
	struct inode *d, *x;
	struct file *f;
	struct stat hst;

	assert_int_equal(root->iops->mkdir(root, "d", 0750, NULL), 0);
	assert_int_equal(stat(at(fx, "d"), &hst), 0);
	assert_true(S_ISDIR(hst.st_mode));
	assert_int_equal(hst.st_mode & 07777, 0750);
	assert_int_equal(root->iops->mkdir(root, "d", 0750, NULL), -EEXIST);
	d = lookup_ok(root, "d");
	x = create_ok(d, "x", S_IFREG | 0644);
	assert_int_equal(root->iops->rmdir(root, "d"), -ENOTEMPTY);

	/* An unlinked file lives on through its open descriptor. */
	f = open_ok(x, O_RDWR);
	write_ok(f, "still here");
	assert_int_equal(d->iops->unlink(d, "x"), 0);
	assert_int_equal(lookup_err(d, "x"), -ENOENT);
	assert_int_equal(getattr_ok(x).nlink, 0);
	assert_string_equal(read_all(f), "still here");
	close_file(f);
	/* Held without a descriptor (a cwd, an O_PATH open), it is still reached through
	 * the one taken at the removal, as Linux reaches an unlinked inode. */
	assert_true(x->dead);
	assert_int_equal(getattr_ok(x).nlink, 0);
	f = open_ok(x, O_RDONLY);
	assert_string_equal(read_all(f), "still here");
	close_file(f);
	inode_put(x);

	assert_int_equal(d->iops->unlink(d, "x"), -ENOENT);
	assert_int_equal(root->iops->unlink(root, "d"), -EISDIR);
	assert_int_equal(root->iops->rmdir(root, "d"), 0);
	assert_int_equal(lstat(at(fx, "d"), &hst), -1);
	/* Inside a removed directory, as on Linux, nothing can be found or made. */
	assert_int_equal(lookup_err(d, "x"), -ENOENT);
	assert_int_equal(d->iops->mkdir(d, "y", 0755, NULL), -ENOENT);
	inode_put(d);
}

static void test_rename(void **state)
{
	struct fixture *fx = *state;
	struct inode *root = fx->sb->root;
	struct inode *a, *b, *d, *x, *e;
	struct file *f;

	put_host_file(at(fx, "a"), "content of a");
	put_host_file(at(fx, "other"), "other");
	a = lookup_ok(root, "a");
	assert_int_equal(root->iops->rename(root, "a", root, "b", 0), 0);
	assert_int_equal(lookup_err(root, "a"), -ENOENT);
	/* The inode held under the old name follows its file. */
	f = open_ok(a, O_RDONLY);
	assert_string_equal(read_all(f), "content of a");
	close_file(f);
	assert_ptr_equal(lookup_ok(root, "b"), a);
	inode_put(a);

	assert_int_equal(root->iops->rename(root, "b", root, "other", RENAME_NOREPLACE), -EEXIST);
	assert_int_equal(root->iops->rename(root, "b", root, "other", RENAME_EXCHANGE), 0);
	assert_string_equal(host_file_text(at(fx, "b")), "other");
	f = open_ok(a, O_RDONLY);
	assert_string_equal(read_all(f), "content of a");
	close_file(f);
	assert_ptr_equal(lookup_ok(root, "other"), a);
	inode_put(a);

	/* Descendants of a renamed directory follow it too. */
	assert_int_equal(mkdir(at(fx, "d"), 0755), 0);
	put_host_file(at(fx, "d/x"), "deep");
	d = lookup_ok(root, "d");
	x = lookup_ok(d, "x");
	assert_int_equal(root->iops->mkdir(root, "e", 0755, NULL), 0);
	e = lookup_ok(root, "e");
	assert_int_equal(root->iops->rename(root, "d", e, "d2", 0), 0);
	f = open_ok(x, O_RDONLY);
	assert_string_equal(read_all(f), "deep");
	close_file(f);
	inode_put(lookup_ok(d, "x"));
	assert_int_equal(lookup_err(root, "d"), -ENOENT);

	/* Renaming over a file retires the replaced inode (a is at "other" now); a holder
	 * still reaches the old file. */
	assert_int_equal(root->iops->rename(root, "b", root, "other", 0), 0);
	assert_true(a->dead);
	assert_int_equal(lookup_err(root, "b"), -ENOENT);
	f = open_ok(a, O_RDONLY);
	assert_string_equal(read_all(f), "content of a");
	close_file(f);
	b = lookup_ok(root, "other");
	assert_ptr_not_equal(b, a);
	inode_put(b);
	inode_put(a);
	inode_put(x);
	inode_put(d);
	inode_put(e);
}

static void test_rename_hard_link_noop(void **state)
{
	struct fixture *fx = *state;
	struct inode *root = fx->sb->root;
	struct inode *a;

	put_host_file(at(fx, "a"), "same");
	a = lookup_ok(root, "a");
	assert_int_equal(root->iops->link(a, root, "b"), 0);
	assert_int_equal(getattr_ok(a).nlink, 2);
	assert_int_equal(root->iops->rename(root, "a", root, "b", 0), 0);
	assert_int_equal(access(at(fx, "a"), F_OK), 0);
	assert_ptr_equal(lookup_ok(root, "a"), a);
	inode_put(a);
	inode_put(a);
}

static void test_symlink_readlink(void **state)
{
	struct fixture *fx = *state;
	struct inode *root = fx->sb->root;
	struct inode *l;
	char buf[64];
	char host[64];

	assert_int_equal(root->iops->symlink(root, "l", "target/x", NULL), 0);
	assert_int_equal(readlink(at(fx, "l"), host, sizeof(host)), 8);
	l = lookup_ok(root, "l");
	assert_true(S_ISLNK(l->mode));
	assert_int_equal(l->iops->readlink(l, buf, sizeof(buf)), 8);
	assert_memory_equal(buf, "target/x", 8);
	assert_int_equal(l->iops->readlink(l, buf, 3), 3);
	assert_int_equal(open_err(l, O_RDONLY | O_NOFOLLOW), -ELOOP);
	assert_int_equal(root->iops->readlink(root, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(root->iops->symlink(root, "l", "again", NULL), -EEXIST);
	inode_put(l);
}

/* Escapes */

static void test_escape_through_host_symlink(void **state)
{
	struct fixture *fx = *state;
	struct inode *root = fx->sb->root;
	struct inode *esc, *escfile;
	char secret[128];
	struct stat before, after;
	struct iattr a = { .valid = ATTR_MODE | ATTR_SIZE, .mode = 0777, .size = 0 };

	snprintf(secret, sizeof(secret), "%s/secret", fx->outside);
	put_host_file(secret, "do not touch");
	assert_int_equal(chmod(secret, 0600), 0);
	assert_int_equal(stat(secret, &before), 0);
	assert_int_equal(symlink(fx->outside, at(fx, "escape")), 0);
	assert_int_equal(symlink(secret, at(fx, "escfile")), 0);
	assert_int_equal(symlink("../../../../../../etc", at(fx, "dotdot")), 0);

	esc = lookup_ok(root, "escape");
	assert_true(S_ISLNK(esc->mode));
	assert_int_not_equal(lookup_err(esc, "secret"), 0);
	assert_int_not_equal(lookup_err(esc, "passwd"), 0);
	inode_put(esc);
	esc = lookup_ok(root, "dotdot");
	assert_int_not_equal(lookup_err(esc, "passwd"), 0);
	inode_put(esc);

	/* Acting on the symlink itself never reaches its target. */
	escfile = lookup_ok(root, "escfile");
	assert_true(S_ISLNK(escfile->mode));
	assert_int_not_equal(open_err(escfile, O_RDWR), 0);
	assert_int_not_equal(escfile->iops->setattr(escfile, &a), 0);
	assert_int_equal(stat(secret, &after), 0);
	assert_int_equal(after.st_mode, before.st_mode);
	assert_int_equal(after.st_size, before.st_size);
	inode_put(escfile);
	assert_string_equal(host_file_text(secret), "do not touch");
}

/* A directory the guest already looked up is swapped on the host for a symlink to the
 * outside: nothing reached through the old inode may follow it. */
static void test_escape_by_swapping_directory(void **state)
{
	struct fixture *fx = *state;
	struct inode *root = fx->sb->root;
	struct inode *sub, *file, *out = NULL;
	char secret[128];

	snprintf(secret, sizeof(secret), "%s/file", fx->outside);
	put_host_file(secret, "outside");
	assert_int_equal(mkdir(at(fx, "sub"), 0755), 0);
	put_host_file(at(fx, "sub/file"), "inside");
	sub = lookup_ok(root, "sub");
	file = lookup_ok(sub, "file");
	assert_int_equal(unlink(at(fx, "sub/file")), 0);
	assert_int_equal(rmdir(at(fx, "sub")), 0);
	assert_int_equal(symlink(fx->outside, at(fx, "sub")), 0);

	assert_int_equal(lookup_err(sub, "file"), -ELOOP);
	assert_int_not_equal(open_err(file, O_RDWR | O_TRUNC), 0);
	assert_int_not_equal(file->iops->getattr(file, &(struct kstat){ 0 }), 0);
	assert_int_not_equal(sub->iops->create(sub, "new", S_IFREG | 0644, 0, NULL, &out), 0);
	assert_int_not_equal(sub->iops->unlink(sub, "file"), 0);
	assert_int_not_equal(root->iops->rename(sub, "file", root, "stolen", 0), 0);
	assert_int_not_equal(root->iops->link(file, root, "stolen"), 0);
	assert_string_equal(host_file_text(secret), "outside");
	assert_int_equal(access(at(fx, "stolen"), F_OK), -1);
	{
		char newpath[128];
		snprintf(newpath, sizeof(newpath), "%s/new", fx->outside);
		assert_int_equal(access(newpath, F_OK), -1);
	}
	inode_put(file);
	inode_put(sub);
}

static void test_jail(void **state)
{
	struct fixture *fx = *state;
	struct super_block *sb = NULL;
	struct stat hst;

	assert_int_equal(mkdir(at(fx, "sub"), 0755), 0);
	assert_int_equal(stat(at(fx, "sub"), &hst), 0);
	assert_int_equal(symlink(fx->outside, at(fx, "out")), 0);
	hostfs_set_jail(fx->root, false);

	sb = mount_ok("/sub", 0);
	assert_int_equal(sb->root->ino, hst.st_ino);
	umount_sb(sb);
	sb = mount_ok("sub", 0);
	assert_int_equal(sb->root->ino, hst.st_ino);
	umount_sb(sb);
	assert_int_equal(stat(fx->root, &hst), 0);
	sb = mount_ok(NULL, 0);
	assert_int_equal(sb->root->ino, hst.st_ino);
	umount_sb(sb);

	sb = NULL;
	assert_int_equal(hostfs_fs_type.mount("none", 0, "/../..", &sb), -EPERM);
	assert_int_equal(hostfs_fs_type.mount("none", 0, "/sub/../../etc", &sb), -EPERM);
	assert_int_equal(hostfs_fs_type.mount("none", 0, "/out", &sb), -EPERM);
	assert_int_equal(hostfs_fs_type.mount("none", 0, "/missing", &sb), -ENOENT);
	assert_null(sb);
}

static void test_append_jail(void **state)
{
	struct fixture *fx = *state;
	struct super_block *sb;
	struct inode *root, *log, *n;
	struct file *f;
	struct iattr shrink = { .valid = ATTR_SIZE, .size = 1 };
	struct iattr grow = { .valid = ATTR_SIZE, .size = 100 };

	put_host_file(at(fx, "log"), "old");
	put_host_file(at(fx, "other"), "keep");
	hostfs_set_jail(fx->root, true);
	sb = mount_ok(NULL, 0);
	root = sb->root;
	log = lookup_ok(root, "log");

	f = open_ok(log, O_WRONLY);
	write_ok(f, "new");  /* at position 0, yet appended */
	assert_string_equal(host_file_text(at(fx, "log")), "oldnew");
	assert_int_equal(f->fops->truncate(f, 0), -EPERM);
	close_file(f);
	assert_int_equal(open_err(log, O_WRONLY | O_TRUNC), -EPERM);
	assert_int_equal(log->iops->setattr(log, &shrink), -EPERM);
	assert_int_equal(log->iops->setattr(log, &grow), 0);  /* growing destroys nothing */
	assert_int_equal(root->iops->unlink(root, "log"), -EPERM);
	assert_int_equal(root->iops->rename(root, "log", root, "other", 0), -EPERM);
	assert_string_equal(host_file_text(at(fx, "other")), "keep");
	assert_int_equal(root->iops->rename(root, "log", root, "fresh", 0), 0);

	/* A new file may be created, and truncated while it is still empty. */
	n = create_ok(root, "n", S_IFREG | 0644);
	f = open_ok(n, O_WRONLY | O_CREAT | O_TRUNC);
	write_ok(f, "x");
	close_file(f);
	inode_put(n);
	inode_put(log);
	umount_sb(sb);
}

static void test_rdonly_mount(void **state)
{
	struct fixture *fx = *state;
	struct super_block *sb;
	struct inode *root, *i, *out = NULL;
	struct file *f;
	struct iattr a = { .valid = ATTR_MODE, .mode = 0600 };

	put_host_file(at(fx, "r"), "readable");
	sb = mount_ok(fx->root, MS_RDONLY);
	root = sb->root;
	i = lookup_ok(root, "r");
	f = open_ok(i, O_RDONLY);
	assert_string_equal(read_all(f), "readable");
	close_file(f);
	assert_int_equal(open_err(i, O_WRONLY), -EROFS);
	assert_int_equal(open_err(i, O_RDONLY | O_TRUNC), -EROFS);
	assert_int_equal(i->iops->setattr(i, &a), -EROFS);
	assert_int_equal(root->iops->create(root, "c", S_IFREG | 0644, 0, NULL, &out), -EROFS);
	assert_int_equal(root->iops->mkdir(root, "d", 0755, NULL), -EROFS);
	assert_int_equal(root->iops->symlink(root, "s", "r", NULL), -EROFS);
	assert_int_equal(root->iops->link(i, root, "h"), -EROFS);
	assert_int_equal(root->iops->unlink(root, "r"), -EROFS);
	assert_int_equal(root->iops->rename(root, "r", root, "q", 0), -EROFS);
	assert_string_equal(host_file_text(at(fx, "r")), "readable");
	inode_put(i);
	umount_sb(sb);
}

/* Sockets and FIFOs */

static void test_special_files(void **state)
{
	struct fixture *fx = *state;
	struct inode *root = fx->sb->root;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct inode *p, *s;
	struct stat hst;
	int sock;

	assert_int_equal(mkfifo(at(fx, "hostfifo"), 0644), 0);
	p = lookup_ok(root, "hostfifo");
	assert_true(S_ISFIFO(p->mode));
	inode_put(p);
	p = create_ok(root, "fifo", S_IFIFO | 0600);
	assert_true(S_ISFIFO(p->mode));
	assert_int_equal(stat(at(fx, "fifo"), &hst), 0);
	assert_true(S_ISFIFO(hst.st_mode));
	inode_put(p);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", at(fx, "sock"));
	sock = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(sock, (struct sockaddr *)&sun, sizeof(sun)), 0);
	s = lookup_ok(root, "sock");
	assert_true(S_ISSOCK(s->mode));
	assert_int_equal(open_err(s, O_RDWR), -ENXIO);
	inode_put(s);
	close(sock);
	s = create_ok(root, "guestsock", S_IFSOCK | 0755);
	assert_true(S_ISSOCK(s->mode));
	inode_put(s);
}

/* Host permissions, checked as an unprivileged host user in a child process (cmocka's
 * asserts can't cross a fork, so the child reports the line that failed). */
#define CHECK(c) do { if (!(c)) return __LINE__; } while (0)

static int unprivileged_checks(struct fixture *fx)
{
	struct inode *root = fx->sb->root;
	struct inode *ro = NULL, *dev = NULL;
	struct file *f = NULL;
	struct iattr chown_root = { .valid = ATTR_UID, .uid = 0 };

	CHECK(root->iops->create(root, "ro", S_IFREG | 0444, 0, NULL, &ro) == 0);
	/* The open following create works whatever mode the file was given... */
	CHECK(open_file(ro, O_WRONLY, &f) == 0);
	CHECK(f->fops->write(f, "w", 1, &f->pos) == 1);
	close_file(f);
	/* ...but a later one meets the host's permission check. */
	CHECK(open_file(ro, O_WRONLY, &f) == -EACCES);
	CHECK(ro->iops->setattr(ro, &chown_root) == -EPERM);
	CHECK(root->iops->create(root, "null", S_IFCHR | 0666, makedev(1, 3), NULL, &dev) == -EPERM);
	inode_put(ro);
	return 0;
}

static void test_host_permissions(void **state)
{
	struct fixture *fx = *state;
	int status;
	pid_t pid;

	assert_int_equal(chmod(fx->root, 0777), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (getuid() == 0 && (setgroups(0, NULL) || setgid(65534) || setuid(65534)))
			_exit(255);
		_exit(unprivileged_checks(fx));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);  /* else the failing line, mod 256 */
}

static void test_init_registers(void **state)
{
	(void)state;
	hostfs_init();
#ifdef HOSTFS_TEST_DOUBLES
	assert_ptr_equal(registered_fs, &hostfs_fs_type);
#else
	assert_ptr_equal(vfs_find_fs("hostfs"), &hostfs_fs_type);
#endif
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_mount_root),
		T(test_mount_errors),
		T(test_mount_default_is_host_root),
		T(test_create_write_read),
		T(test_create_ignores_host_umask),
		T(test_lookup_errors),
		T(test_llseek),
		T(test_append_flag),
		T(test_sync_mount),
		T(test_setattr),
		T(test_iterate),
		T(test_mkdir_rmdir_unlink),
		T(test_rename),
		T(test_rename_hard_link_noop),
		T(test_symlink_readlink),
		T(test_escape_through_host_symlink),
		T(test_escape_by_swapping_directory),
		T(test_jail),
		T(test_append_jail),
		T(test_rdonly_mount),
		T(test_special_files),
		T(test_host_permissions),
		T(test_init_registers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
