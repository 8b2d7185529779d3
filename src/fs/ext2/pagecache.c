/*
 * The page cache of ext2 files (DESIGN.md §4): mmap and exec need a host descriptor
 * holding a file's bytes, so a file gets a memfd filled from the image the first time
 * one is asked for. write() and truncate keep it in step. A writer's descriptor may map
 * it shared and writable, so such a memfd is compared with the image and the differing
 * blocks written back at fsync, at a writer's close, at sync and at umount.
 *
 * Inodes with a page cache are kept alive (pinned, most recently used first, at most
 * EXT2_PINNED_MAX) so that running the same program again maps the same pages.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <unistd.h>
#include "fs/ext2/ext2_int.h"

#define CHUNK (1u << 20)

static bool all_zero(const char *p, size_t len)
{
	return len == 0 || (p[0] == 0 && memcmp(p, p + 1, len - 1) == 0);
}

static int fill(struct inode *inode, int fd)
{
	char *buf = malloc(CHUNK);
	int err = 0;
	if (!buf)
		return -ENOMEM;
	for (uint64_t pos = 0; pos < (uint64_t)inode->size && !err; pos += CHUNK) {
		ssize_t n = ext2_read_data(inode, buf, CHUNK, pos);
		if (n < 0)
			err = (int)n;
		else if (!all_zero(buf, (size_t)n) && pwrite(fd, buf, (size_t)n, (off_t)pos) != n)
			err = -EIO;   /* holes stay holes in the memfd */
		if (n == 0)
			break;
	}
	free(buf);
	return err;
}

static void unpin(struct inode *inode)
{
	struct ext2_node *n = E2I(inode);
	if (!n->pinned)
		return;
	n->pinned = false;
	list_del_init(&n->pin);
	E2SB(inode->sb)->nr_pinned--;
	inode_put(inode);   /* may be the last reference: the inode goes */
}

static void pin(struct inode *inode)
{
	struct ext2_node *n = E2I(inode);
	struct ext2_sb *s = E2SB(inode->sb);
	if (n->pinned) {
		list_del_init(&n->pin);
		list_add_tail(&n->pin, s->pinned.next);   /* to the front */
		return;
	}
	n->pinned = true;
	inode_get(inode);
	list_add_tail(&n->pin, s->pinned.next);
	if (++s->nr_pinned > EXT2_PINNED_MAX) {
		struct inode *oldest = list_entry(s->pinned.prev, struct ext2_node, pin)->inode;
		ext2_pagecache_writeback(oldest);
		unpin(oldest);
	}
}

int ext2_pagecache_fd(struct inode *inode, bool writer)
{
	struct ext2_node *n = E2I(inode);
	if (!S_ISREG(inode->mode))
		return -ENODEV;
	if (n->memfd < 0) {
		char name[64];   /* one per inode: /proc/<pid>/maps finds the file by it */
		snprintf(name, sizeof(name), "ext2:%u:%u:%llu", major(inode->sb->dev),
			 minor(inode->sb->dev), (unsigned long long)inode->ino);
		int fd = memfd_create(name, MFD_CLOEXEC);
		if (fd < 0)
			return -errno;
		int err = ftruncate(fd, inode->size) < 0 ? -errno : fill(inode, fd);
		if (err) {
			close(fd);
			return err;
		}
		n->memfd = fd;
	}
	n->maybe_dirty |= writer;
	if (!n->gone)
		pin(inode);
	return n->memfd;
}

void ext2_pagecache_write(struct inode *inode, const char *buf, size_t len, uint64_t pos)
{
	struct ext2_node *n = E2I(inode);
	if (n && n->memfd >= 0 && pwrite(n->memfd, buf, len, (off_t)pos) != (ssize_t)len)
		ext2_pagecache_drop(inode);   /* can't keep it in step: forget it */
}

void ext2_pagecache_resize(struct inode *inode, uint64_t size)
{
	struct ext2_node *n = E2I(inode);
	if (n && n->memfd >= 0 && ftruncate(n->memfd, (off_t)size) < 0)
		ext2_pagecache_drop(inode);
}

/* Writes the blocks whose bytes differ between the memfd and the image. */
static int write_back_chunk(struct inode *inode, const char *mem, char *disk, size_t len, uint64_t pos)
{
	size_t bs = E2FS(inode)->blocksize;
	ssize_t got = ext2_read_data(inode, disk, len, pos);
	if (got < 0)
		return (int)got;
	memset(disk + got, 0, len - (size_t)got);
	for (size_t off = 0; off < len; off += bs) {
		size_t n = len - off < bs ? len - off : bs;
		if (memcmp(mem + off, disk + off, n) == 0)
			continue;
		int fd = E2I(inode)->memfd;
		E2I(inode)->memfd = -1;   /* the memfd already holds these bytes */
		ssize_t w = ext2_write_data(inode, mem + off, n, pos + off);
		E2I(inode)->memfd = fd;
		if (w < 0)
			return (int)w;
	}
	return 0;
}

int ext2_pagecache_writeback(struct inode *inode)
{
	struct ext2_node *n = E2I(inode);
	if (!n || n->memfd < 0 || !n->maybe_dirty || n->gone || (inode->sb->flags & MS_RDONLY))
		return 0;
	char *mem = malloc(CHUNK), *disk = malloc(CHUNK);
	int err = (!mem || !disk) ? -ENOMEM : 0;
	for (uint64_t pos = 0; pos < (uint64_t)inode->size && !err; pos += CHUNK) {
		size_t len = (uint64_t)inode->size - pos < CHUNK ? (size_t)((uint64_t)inode->size - pos) : CHUNK;
		if (pread(n->memfd, mem, len, (off_t)pos) != (ssize_t)len)
			err = -EIO;
		else
			err = write_back_chunk(inode, mem, disk, len, pos);
	}
	free(mem);
	free(disk);
	return err;
}

void ext2_pagecache_drop(struct inode *inode)
{
	struct ext2_node *n = E2I(inode);
	if (!n)
		return;
	if (n->memfd >= 0)
		close(n->memfd);
	n->memfd = -1;
	n->maybe_dirty = false;
	unpin(inode);
}

int ext2_pagecache_sync_all(struct super_block *sb)
{
	int first = 0;
	struct list_head *p;
	list_for_each(p, &E2SB(sb)->pinned) {
		int err = ext2_pagecache_writeback(list_entry(p, struct ext2_node, pin)->inode);
		if (err && !first)
			first = err;
	}
	return first;
}

void ext2_pagecache_release_all(struct super_block *sb)
{
	struct ext2_sb *s = E2SB(sb);
	while (!list_empty(&s->pinned)) {
		struct inode *i = list_entry(s->pinned.next, struct ext2_node, pin)->inode;
		ext2_pagecache_writeback(i);
		unpin(i);
	}
}
