/* Unit tests for tmpfs (src/fs/tmpfs/): the same inode object on every lookup, readdir
 * positions that survive removals, link counts through renames, the inode and page
 * charges of size= and nr_inodes=, and data through the memfd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>

#include <cmocka.h>

#include "fs/tmpfs/tmpfs.h"

static const struct cred root_cred = { 0 };

static struct super_block *mount_tmpfs(const char *opts)
{
	struct super_block *sb;
	assert_int_equal(tmpfs_fs_type.mount("tmpfs", 0, opts, &sb), 0);
	sb->type = &tmpfs_fs_type;
	return sb;
}

static struct inode *lookup(struct inode *dir, const char *name)
{
	struct inode *i = NULL;
	return dir->iops->lookup(dir, name, &i) == 0 ? i : NULL;
}

static struct inode *create(struct inode *dir, const char *name)
{
	struct inode *i = NULL;
	assert_int_equal(dir->iops->create(dir, name, S_IFREG | 0644, 0, &root_cred, &i), 0);
	return i;
}

static struct file *open_inode(struct inode *i)
{
	struct file *f = file_new(NULL, O_RDWR);
	f->inode = inode_get(i);
	f->fops = i->fops;
	return f;
}

static void test_lookup_same_object(void **state)
{
	(void)state;
	struct super_block *sb = mount_tmpfs("");
	inode_put(create(sb->root, "a"));
	struct inode *x = lookup(sb->root, "a"), *y = lookup(sb->root, "a");
	assert_non_null(x);
	assert_ptr_equal(x, y);
	assert_int_equal(sb->root->iops->link(x, sb->root, "b"), 0);
	struct inode *z = lookup(sb->root, "b");
	assert_ptr_equal(x, z);
	assert_int_equal(x->nlink, 2);
	inode_put(x);
	inode_put(y);
	inode_put(z);
	sb->kill(sb);
}

struct names {
	struct dirent_sink sink;
	char seen[64][16];
	int n, cap;
};

static bool collect(struct dirent_sink *s, const char *name, uint64_t ino, unsigned type, off_t next)
{
	(void)ino, (void)type, (void)next;
	struct names *c = (struct names *)s;
	if (c->n == c->cap)
		return false;
	snprintf(c->seen[c->n++], sizeof(c->seen[0]), "%s", name);
	return true;
}

/* rm -r reads a few names, removes them, reads on: nothing is skipped. */
static void test_readdir_survives_removal(void **state)
{
	(void)state;
	struct super_block *sb = mount_tmpfs("");
	char name[16];
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		inode_put(create(sb->root, name));
	}
	struct file *dir = open_inode(sb->root);
	int files = 0;
	for (;;) {
		struct names c = { .sink = { collect }, .cap = 3 };
		assert_int_equal(dir->fops->iterate(dir, &c.sink), 0);
		if (!c.n)
			break;
		for (int i = 0; i < c.n; i++) {
			if (c.seen[i][0] == '.')
				continue;
			files++;
			assert_int_equal(sb->root->iops->unlink(sb->root, c.seen[i]), 0);
		}
	}
	assert_int_equal(files, 10);
	assert_int_equal(sb->root->size, 40);   /* back to an empty directory's */
	file_put(dir);
	sb->kill(sb);
}

static void test_rename_link_counts(void **state)
{
	(void)state;
	struct super_block *sb = mount_tmpfs("");
	struct inode *root = sb->root;
	assert_int_equal(root->iops->mkdir(root, "a", 0755, &root_cred), 0);
	assert_int_equal(root->iops->mkdir(root, "b", 0755, &root_cred), 0);
	struct inode *a = lookup(root, "a"), *b = lookup(root, "b");
	assert_int_equal(a->iops->mkdir(a, "sub", 0755, &root_cred), 0);
	assert_int_equal(a->nlink, 3);
	assert_int_equal(root->iops->rename(a, "sub", b, "sub", 0), 0);
	assert_int_equal(a->nlink, 2);
	assert_int_equal(b->nlink, 3);
	struct inode *sub = lookup(b, "sub"), *up = lookup(sub, "..");
	assert_ptr_equal(up, b);
	inode_put(create(a, "file"));
	/* a directory and a file trade places across parents */
	assert_int_equal(root->iops->rename(a, "file", b, "sub", RENAME_EXCHANGE), 0);
	assert_int_equal(a->nlink, 3);
	assert_int_equal(b->nlink, 2);
	inode_put(up);
	up = lookup(sub, "..");
	assert_ptr_equal(up, a);
	assert_int_equal(root->iops->rename(root, "a", sub, "x", 0), -EINVAL);   /* into itself */
	inode_put(up);
	inode_put(sub);
	inode_put(a);
	inode_put(b);
	sb->kill(sb);
}

static void test_limits(void **state)
{
	(void)state;
	struct super_block *sb = mount_tmpfs("size=8k,nr_inodes=3");
	struct statfs st;
	sb->statfs(sb, &st);
	assert_int_equal(st.f_blocks, 2);
	assert_int_equal(st.f_ffree, 2);   /* the root takes one */
	struct inode *f = create(sb->root, "f");
	struct inode *g = NULL;
	assert_int_equal(sb->root->iops->create(sb->root, "g", S_IFREG | 0644, 0, &root_cred, &g), 0);
	assert_int_equal(sb->root->iops->create(sb->root, "h", S_IFREG | 0644, 0, &root_cred, &g), -ENOSPC);
	struct file *fl = open_inode(f);
	char buf[6000];
	memset(buf, 'x', sizeof(buf));
	off_t pos = 0;
	assert_int_equal(fl->fops->write(fl, buf, sizeof(buf), &pos), 6000);
	assert_int_equal(fl->fops->write(fl, buf, sizeof(buf), &pos), 8192 - 6000);
	assert_int_equal(fl->fops->write(fl, buf, sizeof(buf), &pos), -ENOSPC);
	sb->statfs(sb, &st);
	assert_int_equal(st.f_bfree, 0);
	struct iattr ia = { .valid = ATTR_SIZE, .size = 100 };
	assert_int_equal(f->iops->setattr(f, &ia), 0);
	sb->statfs(sb, &st);
	assert_int_equal(st.f_bfree, 1);
	char back[8] = "";
	pos = 95;
	assert_int_equal(fl->fops->read(fl, back, sizeof(back), &pos), 5);
	assert_memory_equal(back, "xxxxx", 5);
	assert_int_equal(sb->remount(sb, 0, "size=4k"), 0);
	assert_int_equal(sb->remount(sb, 0, "size=1"), 0);   /* one page: what is used */
	file_put(fl);
	inode_put(f);
	inode_put(g);
	sb->kill(sb);
}

static void test_bad_options(void **state)
{
	(void)state;
	struct super_block *sb;
	assert_int_equal(tmpfs_fs_type.mount("tmpfs", 0, "size=12q", &sb), -EINVAL);
	assert_int_equal(tmpfs_fs_type.mount("tmpfs", 0, "nosuchoption", &sb), -EINVAL);
	assert_int_equal(tmpfs_fs_type.mount("tmpfs", 0, "mode=8", &sb), -EINVAL);
	sb = mount_tmpfs("mode=0700,uid=5,gid=6,huge=never");
	assert_int_equal(sb->root->mode, S_IFDIR | 0700);
	assert_int_equal(sb->root->uid, 5);
	assert_int_equal(sb->root->gid, 6);
	sb->kill(sb);
}

int main(void)
{
	tmpfs_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_same_object),
		cmocka_unit_test(test_readdir_survives_removal),
		cmocka_unit_test(test_rename_link_counts),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_bad_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
