/* Unit tests for ext2 helpers (src/fs/ext2/util.c): timestamps with ext4's epoch and
 * nanosecond bits, and libext2fs errors as errno values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <string.h>
#include "fs/ext2/ext2_int.h"

static struct ext2_super_block super;
static struct struct_ext2_filsys fs_large, fs_small;

static int setup(void **state)
{
	(void)state;
	super.s_rev_level = EXT2_DYNAMIC_REV;
	super.s_inode_size = 256;
	fs_large.super = &super;
	static struct ext2_super_block small_super;
	small_super.s_rev_level = EXT2_DYNAMIC_REV;
	small_super.s_inode_size = 128;
	fs_small.super = &small_super;
	return 0;
}

static void round_trip(ext2_filsys fs, struct timespec ts, struct timespec want)
{
	struct ext2_raw_inode raw;
	memset(&raw, 0, sizeof(raw));
	raw.large.i_extra_isize = sizeof(struct ext2_inode_large) - EXT2_GOOD_OLD_INODE_SIZE;
	ext2_set_time(fs, &raw, EXT2_MTIME, ts);
	struct timespec got = ext2_get_time(fs, &raw, EXT2_MTIME);
	assert_int_equal(got.tv_sec, want.tv_sec);
	assert_int_equal(got.tv_nsec, want.tv_nsec);
}

static void times_with_nanoseconds_and_epochs(void **state)
{
	(void)state;
	struct timespec now = { 1795853784, 123456789 };
	round_trip(&fs_large, now, now);
	struct timespec before_1970 = { -1000, 5 };
	round_trip(&fs_large, before_1970, before_1970);
	struct timespec after_2038 = { (1LL << 31) + 100, 999999999 };
	round_trip(&fs_large, after_2038, after_2038);
	struct timespec far = { (1LL << 33) + 7, 1 };   /* the last epoch ext4 can hold */
	round_trip(&fs_large, far, far);
	/* 128-byte inodes: seconds only, 32 bits signed */
	struct timespec want = { 1795853784, 0 };
	round_trip(&fs_small, now, want);
	struct timespec wrapped = { -(1LL << 31) + 100, 0 };
	round_trip(&fs_small, after_2038, wrapped);
}

static void errors_as_errno(void **state)
{
	(void)state;
	assert_int_equal(ext2_errno(0), 0);
	assert_int_equal(ext2_errno(ENOSPC), -ENOSPC);
	assert_int_equal(ext2_errno(EXT2_ET_BLOCK_ALLOC_FAIL), -ENOSPC);
	assert_int_equal(ext2_errno(EXT2_ET_RO_FILSYS), -EROFS);
	assert_int_equal(ext2_errno(EXT2_ET_FILE_NOT_FOUND), -ENOENT);
	assert_int_equal(ext2_errno(EXT2_ET_FILE_TOO_BIG), -EFBIG);
	assert_int_equal(ext2_errno(EXT2_ET_DIR_CORRUPTED), -EIO);
}

static void file_types(void **state)
{
	(void)state;
	assert_int_equal(ext2_file_type(S_IFREG | 0644), EXT2_FT_REG_FILE);
	assert_int_equal(ext2_file_type(S_IFDIR), EXT2_FT_DIR);
	assert_int_equal(ext2_file_type(S_IFLNK), EXT2_FT_SYMLINK);
	assert_int_equal(ext2_file_type(S_IFBLK), EXT2_FT_BLKDEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(times_with_nanoseconds_and_epochs),
		cmocka_unit_test(errors_as_errno),
		cmocka_unit_test(file_types),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
