/* ext2 helpers: libext2fs errors as errno values, whole on-disk inodes, and timestamps
 * with ext4's nanosecond and epoch bits. */
#include <string.h>
#include <time.h>
#include "fs/ext2/ext2_int.h"

int ext2_errno(errcode_t err)
{
	if (err == 0)
		return 0;
	if (err > 0 && err < 4096)
		return -(int)err;   /* the io_manager and libc report errno values as they are */
	switch (err) {
	case EXT2_ET_NO_MEMORY:
		return -ENOMEM;
	case EXT2_ET_RO_FILSYS:
	case EXT2_ET_FILE_RO:
		return -EROFS;
	case EXT2_ET_FILE_NOT_FOUND:
		return -ENOENT;
	case EXT2_ET_DIR_EXISTS:
		return -EEXIST;
	case EXT2_ET_NO_DIRECTORY:
		return -ENOTDIR;
	case EXT2_ET_BLOCK_ALLOC_FAIL:
	case EXT2_ET_INODE_ALLOC_FAIL:
	case EXT2_ET_DIR_NO_SPACE:
	case EXT2_ET_EA_NO_SPACE:
		return -ENOSPC;
	case EXT2_ET_FILE_TOO_BIG:
		return -EFBIG;
	case EXT2_ET_INVALID_ARGUMENT:
		return -EINVAL;
	case EXT2_ET_UNIMPLEMENTED:
	case EXT2_ET_OP_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case EXT2_ET_SHORT_READ:
	case EXT2_ET_SHORT_WRITE:
	default:
		return -EIO;
	}
}

int ext2_read_raw(ext2_filsys fs, ext2_ino_t ino, struct ext2_raw_inode *raw)
{
	int size = EXT2_INODE_SIZE(fs->super);
	memset(raw, 0, sizeof(*raw));
	if (size > (int)sizeof(*raw))
		size = sizeof(*raw);
	return ext2_errno(ext2fs_read_inode_full(fs, ino, (struct ext2_inode *)&raw->large, size));
}

int ext2_write_raw(ext2_filsys fs, ext2_ino_t ino, struct ext2_raw_inode *raw)
{
	int size = EXT2_INODE_SIZE(fs->super);
	if (size > (int)sizeof(*raw))
		size = sizeof(*raw);
	return ext2_errno(ext2fs_write_inode_full(fs, ino, (struct ext2_inode *)&raw->large, size));
}

struct timespec ext2_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts;
}

/* Where each time lives: the 32-bit seconds in the base inode, and its _extra word (the
 * epoch bits and nanoseconds) in the large part when the inode has room for it. */
static void time_fields(struct ext2_raw_inode *raw, enum ext2_time which, __u32 **lo, __u32 **extra)
{
	struct ext2_inode_large *l = &raw->large;
	switch (which) {
	case EXT2_ATIME: *lo = &l->i_atime; *extra = &l->i_atime_extra; break;
	case EXT2_MTIME: *lo = &l->i_mtime; *extra = &l->i_mtime_extra; break;
	case EXT2_CTIME: *lo = &l->i_ctime; *extra = &l->i_ctime_extra; break;
	default: *lo = &l->i_crtime; *extra = &l->i_crtime_extra; break;
	}
}

static bool fits(ext2_filsys fs, const struct ext2_raw_inode *raw, const void *field)
{
	size_t end = (size_t)((const unsigned char *)field - raw->bytes) + sizeof(__u32);
	return EXT2_INODE_SIZE(fs->super) > EXT2_GOOD_OLD_INODE_SIZE &&
	       end <= EXT2_GOOD_OLD_INODE_SIZE + (size_t)raw->large.i_extra_isize;
}

struct timespec ext2_get_time(ext2_filsys fs, const struct ext2_raw_inode *raw, enum ext2_time which)
{
	__u32 *lo, *extra;
	time_fields((struct ext2_raw_inode *)raw, which, &lo, &extra);
	struct timespec ts = { .tv_sec = (int32_t)*lo, .tv_nsec = 0 };
	if (which == EXT2_CRTIME && !fits(fs, raw, lo))
		return (struct timespec){ 0, 0 };
	if (fits(fs, raw, extra)) {
		ts.tv_sec += (int64_t)(*extra & EXT4_EPOCH_MASK) << 32;
		ts.tv_nsec = (long)(*extra >> EXT4_EPOCH_BITS);
		if (ts.tv_nsec >= 1000000000L)
			ts.tv_nsec = 0;
	}
	return ts;
}

void ext2_set_time(ext2_filsys fs, struct ext2_raw_inode *raw, enum ext2_time which, struct timespec ts)
{
	__u32 *lo, *extra;
	time_fields(raw, which, &lo, &extra);
	if (which == EXT2_CRTIME && !fits(fs, raw, lo))
		return;
	*lo = (__u32)ts.tv_sec;
	if (fits(fs, raw, extra))
		*extra = (__u32)((((int64_t)ts.tv_sec - (int32_t)ts.tv_sec) >> 32) & EXT4_EPOCH_MASK) |
			 (__u32)((uint32_t)ts.tv_nsec << EXT4_EPOCH_BITS);
}

int ext2_file_type(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return EXT2_FT_REG_FILE;
	case S_IFDIR: return EXT2_FT_DIR;
	case S_IFCHR: return EXT2_FT_CHRDEV;
	case S_IFBLK: return EXT2_FT_BLKDEV;
	case S_IFIFO: return EXT2_FT_FIFO;
	case S_IFSOCK: return EXT2_FT_SOCK;
	case S_IFLNK: return EXT2_FT_SYMLINK;
	default: return EXT2_FT_UNKNOWN;
	}
}

int ext2_touch(struct inode *inode, unsigned which)
{
	ext2_filsys fs = E2FS(inode);
	struct ext2_raw_inode raw;
	struct timespec now = ext2_now();
	int err = ext2_read_raw(fs, (ext2_ino_t)inode->ino, &raw);
	if (err)
		return err;
	for (int t = EXT2_ATIME; t <= EXT2_CTIME; t++)
		if (which & (1u << t))
			ext2_set_time(fs, &raw, (enum ext2_time)t, now);
	err = ext2_write_raw(fs, (ext2_ino_t)inode->ino, &raw);
	if (!err)
		ext2_fill_vfs(inode, fs, &raw);
	return err;
}

/*
 * libext2fs 1.47.0 (Debian 12) refuses to free a run of blocks that ends at the
 * filesystem's last block: an off-by-one in punch_extent_blocks ("Illegal block
 * number"), fixed upstream in 2025 ("libext2fs: fix off-by-one bug in
 * punch_extent_blocks"). Calls that only free blocks (deleting a file, shrinking one)
 * run with the in-memory block count one higher, which lets its range check pass; the
 * blocks freed are all below the real count, and the count is back before anything
 * else can see it.
 */
void ext2_free_begin(ext2_filsys fs)
{
	ext2fs_blocks_count_set(fs->super, ext2fs_blocks_count(fs->super) + 1);
}

void ext2_free_end(ext2_filsys fs)
{
	ext2fs_blocks_count_set(fs->super, ext2fs_blocks_count(fs->super) - 1);
}
