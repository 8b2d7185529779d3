/* Unit tests for devtmpfs (src/fs/dev/devfs.c): the boot nodes and root's changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include <cmocka.h>

#include "fs/dev/devfs.h"

static const struct cred root_cred = { 0 };
static const struct cred user_cred = { .uid = 1000, .euid = 1000, .suid = 1000, .fsuid = 1000,
				       .gid = 100, .egid = 100, .sgid = 100, .fsgid = 100 };

static struct inode *dev_root(void)
{
	static bool ready;
	if (!ready) {
		devfs_init();
		ready = true;
	}
	struct super_block *sb;
	assert_int_equal(devtmpfs_fs_type.mount("devtmpfs", 0, "", &sb), 0);
	return sb->root;
}

static struct inode *lookup(const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	struct inode *cur = inode_get(dev_root());
	for (char *c = strtok(buf, "/"); c; c = strtok(NULL, "/")) {
		struct inode *next;
		int err = cur->iops->lookup(cur, c, &next);
		inode_put(cur);
		if (err < 0)
			return NULL;
		cur = next;
	}
	return cur;
}

static void expect_node(const char *path, mode_t mode, unsigned ma, unsigned mi)
{
	struct inode *i = lookup(path);
	assert_non_null(i);
	assert_int_equal(i->mode, mode);
	assert_int_equal(major(i->rdev), ma);
	assert_int_equal(minor(i->rdev), mi);
	inode_put(i);
}

static void expect_link(const char *path, const char *target)
{
	struct inode *i = lookup(path);
	char buf[64] = { 0 };
	assert_non_null(i);
	assert_int_equal(i->iops->readlink(i, buf, sizeof(buf)), (long)strlen(target));
	assert_string_equal(buf, target);
	inode_put(i);
}

static void test_boot_nodes(void **state)
{
	(void)state;
	expect_node("null", S_IFCHR | 0666, 1, 3);
	expect_node("zero", S_IFCHR | 0666, 1, 5);
	expect_node("full", S_IFCHR | 0666, 1, 7);
	expect_node("random", S_IFCHR | 0666, 1, 8);
	expect_node("urandom", S_IFCHR | 0666, 1, 9);
	expect_node("kmsg", S_IFCHR | 0644, 1, 11);
	expect_node("tty", S_IFCHR | 0666, 5, 0);
	expect_node("console", S_IFCHR | 0600, 5, 1);
	expect_node("ptmx", S_IFCHR | 0666, 5, 2);
	expect_node("pts", S_IFDIR | 0755, 0, 0);
	expect_node("shm", S_IFDIR | 01777, 0, 0);
	expect_link("fd", "/proc/self/fd");
	expect_link("stdin", "/proc/self/fd/0");
	expect_link("stdout", "/proc/self/fd/1");
	expect_link("stderr", "/proc/self/fd/2");
}

static void test_mknod_needs_root_and_a_special_type(void **state)
{
	(void)state;
	struct inode *root = dev_root(), *out = NULL;
	assert_int_equal(root->iops->create(root, "x", S_IFCHR | 0600, makedev(10, 200), &user_cred, &out), -EPERM);
	assert_int_equal(root->iops->create(root, "x", S_IFREG | 0600, 0, &root_cred, &out), -EPERM);
	assert_int_equal(root->iops->create(root, "null", S_IFCHR | 0600, makedev(1, 3), &root_cred, &out), -EEXIST);
	assert_int_equal(root->iops->create(root, "x", S_IFCHR | 0600, makedev(10, 200), &root_cred, &out), 0);
	assert_int_equal(out->rdev, makedev(10, 200));
	inode_put(out);
	/* a FIFO is anyone's to make where they may write */
	struct inode *shm = lookup("shm");
	assert_int_equal(shm->iops->create(shm, "fifo", S_IFIFO | 0600, 0, &user_cred, &out), 0);
	assert_int_equal(out->uid, 1000);
	assert_int_equal(out->gid, 100);
	inode_put(out);
	assert_int_equal(shm->iops->unlink(shm, "fifo"), 0);
	inode_put(shm);
	assert_int_equal(root->iops->unlink(root, "x"), 0);
	assert_null(lookup("x"));
}

static void test_directories_and_link_counts(void **state)
{
	(void)state;
	struct inode *root = dev_root();
	nlink_t before = root->nlink;
	assert_int_equal(root->iops->mkdir(root, "net", 0755, &root_cred), 0);
	assert_int_equal(root->nlink, before + 1);
	assert_int_equal(devfs_add_node("net/tun", S_IFCHR | 0666, makedev(10, 200)), 0);
	expect_node("net/tun", S_IFCHR | 0666, 10, 200);
	assert_int_equal(root->iops->rmdir(root, "net"), -ENOTEMPTY);
	assert_int_equal(devfs_remove_node("net/tun"), 0);
	assert_int_equal(root->iops->rmdir(root, "net"), 0);
	assert_int_equal(root->nlink, before);
	/* drivers' nodes get their missing directories */
	assert_int_equal(devfs_add_node("input/event0", S_IFCHR | 0640, makedev(13, 64)), 0);
	expect_node("input", S_IFDIR | 0755, 0, 0);
	expect_node("input/event0", S_IFCHR | 0640, 13, 64);
}

static void test_rename(void **state)
{
	(void)state;
	struct inode *root = dev_root();
	assert_int_equal(root->iops->symlink(root, "cdrom", "sr0", &root_cred), 0);
	struct inode *pts = lookup("pts");
	assert_int_equal(root->iops->rename(root, "cdrom", pts, "cd", 0), 0);
	assert_null(lookup("cdrom"));
	expect_link("pts/cd", "sr0");
	assert_int_equal(pts->iops->rename(pts, "cd", root, "null", RENAME_NOREPLACE), -EEXIST);
	assert_int_equal(pts->iops->unlink(pts, "cd"), 0);
	/* a directory cannot move below itself */
	struct inode *input = lookup("input");
	assert_int_equal(root->iops->rename(root, "input", input, "self", 0), -EINVAL);
	inode_put(input);
	inode_put(pts);
}

struct names {
	struct dirent_sink sink;
	char all[1024];
};

static bool collect(struct dirent_sink *s, const char *name, uint64_t ino, unsigned type, off_t next)
{
	(void)ino, (void)type, (void)next;
	struct names *n = (struct names *)s;
	strcat(n->all, name);
	strcat(n->all, " ");
	return true;
}

static void test_listing_and_unlinked_open_inode(void **state)
{
	(void)state;
	struct inode *root = dev_root();
	struct file *f = file_new(NULL, O_RDONLY);
	f->inode = inode_get(root);
	assert_int_equal(root->iops->open(root, f), 0);
	struct names n = { .sink = { collect } };
	assert_int_equal(f->fops->iterate(f, &n.sink), 0);
	assert_memory_equal(n.all, ". .. null zero full random urandom kmsg tty console ptmx pts shm fd ", 67);
	file_put(f);
	/* a name goes; the inode stays while something holds it */
	struct inode *tty = lookup("tty");
	assert_int_equal(root->iops->unlink(root, "tty"), 0);
	assert_int_equal(tty->nlink, 0);
	assert_int_equal(tty->rdev, makedev(5, 0));
	inode_put(tty);
	assert_int_equal(devfs_add_node("tty", S_IFCHR | 0666, makedev(5, 0)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_nodes),
		cmocka_unit_test(test_mknod_needs_root_and_a_special_type),
		cmocka_unit_test(test_directories_and_link_counts),
		cmocka_unit_test(test_rename),
		cmocka_unit_test(test_listing_and_unlinked_open_inode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
