/*
 * libext2fs's view of a disk: an io_manager whose channels read and write a registered
 * block device (fs/blkdev.h) by name, so a filesystem on a ubd goes through its COW
 * file. Errors from the disk reach libext2fs as errno values (ENOSPC stays ENOSPC).
 */
#include <stdlib.h>
#include <string.h>
#include "fs/ext2/ext2_int.h"

static struct block_device *disk_of(io_channel ch) { return ch->private_data; }

static errcode_t bio_open(const char *name, int flags, io_channel *out)
{
	struct block_device *b = blkdev_lookup_name(name);
	if (!b)
		return ENXIO;
	if ((flags & IO_FLAG_RW) && b->read_only)
		return EROFS;
	io_channel ch = calloc(1, sizeof(*ch));
	if (!ch)
		return EXT2_ET_NO_MEMORY;
	ch->name = strdup(name);
	if (!ch->name) {
		free(ch);
		return EXT2_ET_NO_MEMORY;
	}
	ch->magic = EXT2_ET_MAGIC_IO_CHANNEL;
	ch->manager = ext2_blkdev_io_manager;
	ch->block_size = 1024;
	ch->refcount = 1;
	ch->private_data = b;
	*out = ch;
	return 0;
}

static errcode_t bio_close(io_channel ch)
{
	if (--ch->refcount > 0)
		return 0;
	free(ch->name);
	free(ch);
	return 0;
}

static errcode_t bio_set_blksize(io_channel ch, int blksize)
{
	ch->block_size = blksize;
	return 0;
}

/* count < 0 means -count bytes rather than blocks (libext2fs's convention). */
static size_t span(io_channel ch, int count)
{
	return count < 0 ? (size_t)-count : (size_t)count * (size_t)ch->block_size;
}

static errcode_t check_range(struct block_device *b, uint64_t off, size_t len)
{
	return off > b->size || len > b->size - off ? EXT2_ET_LLSEEK_FAILED : 0;
}

static errcode_t bio_read64(io_channel ch, unsigned long long block, int count, void *data)
{
	struct block_device *b = disk_of(ch);
	size_t len = span(ch, count);
	uint64_t off = block * (uint64_t)ch->block_size;
	errcode_t err = check_range(b, off, len);
	if (err)
		return err;
	int r = blkdev_read(b, data, len, off);
	return r ? (errcode_t)-r : 0;
}

static errcode_t bio_write64(io_channel ch, unsigned long long block, int count, const void *data)
{
	struct block_device *b = disk_of(ch);
	size_t len = span(ch, count);
	uint64_t off = block * (uint64_t)ch->block_size;
	errcode_t err = check_range(b, off, len);
	if (err)
		return err;
	int r = blkdev_write(b, data, len, off);
	return r ? (errcode_t)-r : 0;
}

static errcode_t bio_read(io_channel ch, unsigned long block, int count, void *data)
{
	return bio_read64(ch, block, count, data);
}

static errcode_t bio_write(io_channel ch, unsigned long block, int count, const void *data)
{
	return bio_write64(ch, block, count, data);
}

static errcode_t bio_write_byte(io_channel ch, unsigned long offset, int size, const void *data)
{
	struct block_device *b = disk_of(ch);
	errcode_t err = check_range(b, offset, (size_t)size);
	if (err)
		return err;
	int r = blkdev_write(b, data, (size_t)size, offset);
	return r ? (errcode_t)-r : 0;
}

static errcode_t bio_flush(io_channel ch)
{
	struct block_device *b = disk_of(ch);
	int r = blkdev_flush(b);
	return r ? (errcode_t)-r : 0;
}

static errcode_t bio_set_option(io_channel ch, const char *option, const char *arg)
{
	(void)ch;
	(void)option;
	(void)arg;
	return EXT2_ET_INVALID_ARGUMENT;
}

static errcode_t bio_unsupported(io_channel ch, unsigned long long block, unsigned long long count)
{
	(void)ch;
	(void)block;
	(void)count;
	return EXT2_ET_UNIMPLEMENTED;   /* libext2fs writes zeros itself */
}

static errcode_t bio_readahead(io_channel ch, unsigned long long block, unsigned long long count)
{
	(void)ch;
	(void)block;
	(void)count;
	return 0;
}

static struct struct_io_manager blkdev_io_manager = {
	.magic = EXT2_ET_MAGIC_IO_MANAGER,
	.name = "umlinux block device I/O manager",
	.open = bio_open,
	.close = bio_close,
	.set_blksize = bio_set_blksize,
	.read_blk = bio_read,
	.write_blk = bio_write,
	.flush = bio_flush,
	.write_byte = bio_write_byte,
	.set_option = bio_set_option,
	.read_blk64 = bio_read64,
	.write_blk64 = bio_write64,
	.discard = bio_unsupported,
	.cache_readahead = bio_readahead,
	.zeroout = bio_unsupported,
};

io_manager ext2_blkdev_io_manager = &blkdev_io_manager;
