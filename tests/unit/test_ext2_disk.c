/* Unit tests for ext2 on a disk that fails: an ext4 image made by mke2fs, mounted through
 * a block device whose writes can be made to fail with ENOSPC (a full host disk). A
 * write must then report the error, or a short count of exactly what reached the disk;
 * never a count that includes lost data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "fs/blkdev.h"
#include "fs/ext2/ext2.h"
#include "fs/vfs.h"

static char image[] = "/tmp/ext2-disk-test-XXXXXX";
static int image_fd = -1;
static long writes_left = -1;   /* -1: every write succeeds */

static int disk_read(struct block_device *b, void *buf, size_t len, uint64_t off)
{
	(void)b;
	return pread(image_fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -EIO;
}

static int disk_write(struct block_device *b, const void *buf, size_t len, uint64_t off)
{
	(void)b;
	if (writes_left == 0)
		return -ENOSPC;
	if (writes_left > 0)
		writes_left--;
	return pwrite(image_fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -EIO;
}

static int disk_flush(struct block_device *b)
{
	(void)b;
	return 0;
}

static const struct block_device_ops ops = { .read = disk_read, .write = disk_write, .flush = disk_flush };
static struct block_device disk = {
	.name = "testdisk", .driver = "test", .sector_size = 512, .ops = &ops,
};

static struct super_block *sb;

static int setup(void **state)
{
	(void)state;
	char cmd[256];
	int fd = mkstemp(image);
	if (fd < 0)
		return -1;
	close(fd);
	snprintf(cmd, sizeof(cmd), "PATH=$PATH:/sbin:/usr/sbin mke2fs -q -F -t ext4 %s 4M >/dev/null 2>&1", image);
	if (system(cmd) != 0) {
		unlink(image);
		return -1;
	}
	image_fd = open(image, O_RDWR);
	struct stat st;
	fstat(image_fd, &st);
	disk.size = (uint64_t)st.st_size;
	disk.dev = makedev(250, 0);
	if (blkdev_register(&disk))
		return -1;
	ext2_init();
	const struct fs_type *type = vfs_find_fs("ext4");
	if (!type || type->mount("/dev/testdisk", 0, "", &sb))
		return -1;
	sb->type = type;
	return 0;
}

/* Unmounts; with check, e2fsck -fn must find the image clean. */
static int unmount(bool check)
{
	writes_left = -1;
	sb->kill(sb);
	blkdev_unregister(&disk);
	close(image_fd);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "PATH=$PATH:/sbin:/usr/sbin e2fsck -fn %s >/dev/null 2>&1", image);
	int rc = check ? system(cmd) : 0;
	unlink(image);
	strcpy(image, "/tmp/ext2-disk-test-XXXXXX");
	return rc == 0 ? 0 : -1;
}

static int teardown_clean(void **state)
{
	(void)state;
	return unmount(true);
}

/* After writes the disk refused, the image may need e2fsck (as after a crash). */
static int teardown_any(void **state)
{
	(void)state;
	return unmount(false);
}

static struct file *open_new(const char *name)
{
	struct inode *root = sb->root, *inode = NULL;
	assert_int_equal(root->iops->create(root, name, S_IFREG | 0644, 0, NULL, &inode), 0);
	struct file *f = calloc(1, sizeof(*f));
	f->inode = inode;
	f->flags = O_RDWR;
	f->fops = inode->fops;
	return f;
}

static void close_file(struct file *f)
{
	if (f->fops->release)
		f->fops->release(f);
	inode_put(f->inode);
	free(f);
}

static void failing_disk_reports_errors(void **state)
{
	(void)state;
	static char data[64 * 1024], back[64 * 1024];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 13 + 1);
	struct file *f = open_new("f");
	off_t pos = 0;
	assert_int_equal(f->fops->write(f, data, 4096, &pos), 4096);

	/* the disk refuses everything: the error, and what was there is still there */
	writes_left = 0;
	off_t at = pos;
	assert_int_equal(f->fops->write(f, data, sizeof(data), &at), -ENOSPC);
	writes_left = -1;
	off_t rpos = 0;
	assert_int_equal(f->fops->read(f, back, 4096, &rpos), 4096);
	assert_memory_equal(back, data, 4096);

	/* the disk fills up part-way: a short count of what is there, and no more */
	writes_left = 6;
	at = pos;
	ssize_t n = f->fops->write(f, data, sizeof(data), &at);
	assert_true(n > 0 && n < (ssize_t)sizeof(data));
	writes_left = -1;
	rpos = 4096;
	ssize_t got = f->fops->read(f, back, sizeof(back), &rpos);
	assert_true(got >= n);
	assert_memory_equal(back, data, (size_t)n);
	close_file(f);
}

static void full_filesystem_is_enospc(void **state)
{
	(void)state;
	static char data[256 * 1024];
	memset(data, 'x', sizeof(data));
	struct file *f = open_new("big");
	off_t pos = 0;
	ssize_t n;
	do
		n = f->fops->write(f, data, sizeof(data), &pos);
	while (n == (ssize_t)sizeof(data));
	assert_true(n >= 0);           /* the last one that fitted was cut short */
	assert_int_equal(f->fops->write(f, data, sizeof(data), &pos), -ENOSPC);
	assert_int_equal(f->inode->size, pos);
	close_file(f);
	/* freeing a file that holds the filesystem's last block (libext2fs 1.47.0 refuses) */
	assert_int_equal(sb->root->iops->unlink(sb->root, "big"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(full_filesystem_is_enospc, setup, teardown_clean),
		cmocka_unit_test_setup_teardown(failing_disk_reports_errors, setup, teardown_any),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
