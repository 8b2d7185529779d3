/*
 * Mounting ext2/3/4: the disk is opened through libext2fs; the type asked for must
 * cover the disk's features (as Linux's ext4 driver decides for "ext2" and "ext3");
 * a journal that needs recovery is refused with the way out (libext2fs does not replay
 * journals and writes no journal of its own: writes go straight to their place). A
 * read-write mount marks the filesystem "not clean" on disk until umount or halt
 * marks it clean again, so after a crash e2fsck checks it on its own.
 */
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <et/com_err.h>
#include "fs/ext2/ext2_int.h"
#include "kernel/kernel.h"

/* What each type's Linux driver takes (incompatible features and, for read-write,
 * read-only-compatible ones); ext4 takes whatever libext2fs supports. */
#define EXT2_INCOMPAT_OK (EXT2_FEATURE_INCOMPAT_FILETYPE | EXT2_FEATURE_INCOMPAT_META_BG)
#define EXT3_INCOMPAT_OK (EXT2_INCOMPAT_OK | EXT3_FEATURE_INCOMPAT_RECOVER)
#define EXT23_RO_COMPAT_OK (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
			    EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

static bool type_covers(const char *type, const struct ext2_super_block *s, bool rw)
{
	if (strcmp(type, "ext4") == 0)
		return true;
	__u32 incompat_ok = strcmp(type, "ext3") == 0 ? EXT3_INCOMPAT_OK : EXT2_INCOMPAT_OK;
	if (s->s_feature_incompat & ~incompat_ok)
		return false;
	if (rw && (s->s_feature_ro_compat & ~EXT23_RO_COMPAT_OK))
		return false;
	/* Linux's ext3 wants its journal */
	return strcmp(type, "ext3") != 0 || (s->s_feature_compat & EXT3_FEATURE_COMPAT_HAS_JOURNAL);
}

/* The superblock at byte 1024, read straight from the disk. */
static int probe(struct block_device *b, struct ext2_super_block *s)
{
	if (b->size < 2048)
		return -EINVAL;
	int err = blkdev_read(b, s, sizeof(*s), 1024);
	if (err)
		return err;
	return s->s_magic == EXT2_SUPER_MAGIC ? 0 : -EINVAL;
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static int refuse_journal(const char *name, const struct ext2_super_block *s)
{
	if (s->s_feature_incompat & EXT3_FEATURE_INCOMPAT_JOURNAL_DEV) {
		printk("<3>EXT4-fs (%s): this is an external journal device, not a filesystem\n", name);
		return -EINVAL;
	}
	if (s->s_feature_incompat & EXT3_FEATURE_INCOMPAT_RECOVER) {
		printk("<3>EXT4-fs (%s): the journal needs recovery (the filesystem was not cleanly "
		       "unmounted) and umlinux does not replay journals; run e2fsck -fy on the "
		       "image on the host, then mount it again\n", name);
		return -EINVAL;
	}
	if (s->s_journal_inum == 0 && (s->s_feature_compat & EXT3_FEATURE_COMPAT_HAS_JOURNAL) &&
	    !all_zero(s->s_journal_uuid, sizeof(s->s_journal_uuid))) {
		printk("<3>EXT4-fs (%s): the journal is on another device, which is not supported\n", name);
		return -EINVAL;
	}
	return 0;
}

static int ext2_statfs(struct super_block *sb, struct statfs *st)
{
	ext2_filsys fs = E2SB(sb)->fs;
	struct ext2_super_block *s = fs->super;
	memset(st, 0, sizeof(*st));
	st->f_type = EXT4_SUPER_MAGIC;
	st->f_bsize = fs->blocksize;
	st->f_frsize = fs->blocksize;
	st->f_blocks = ext2fs_blocks_count(s);
	st->f_bfree = ext2fs_free_blocks_count(s);
	uint64_t reserved = ext2fs_r_blocks_count(s);
	st->f_bavail = st->f_bfree > reserved ? st->f_bfree - reserved : 0;
	st->f_files = s->s_inodes_count;
	st->f_ffree = s->s_free_inodes_count;
	st->f_namelen = EXT2_NAME_LEN;
	uint32_t u[4];
	memcpy(u, s->s_uuid, sizeof(u));
	st->f_fsid.__val[0] = (int)(u[0] ^ u[2]);
	st->f_fsid.__val[1] = (int)(u[1] ^ u[3]);
	return 0;
}

/* Bitmaps, group descriptors and superblock out, then the disk flushed. */
int ext2_sync_fs(struct super_block *sb)
{
	struct ext2_sb *s = E2SB(sb);
	if (!s->fs || !(s->fs->flags & EXT2_FLAG_RW))
		return 0;
	int err = ext2_pagecache_sync_all(sb);
	int ferr = ext2_errno(ext2fs_flush(s->fs));
	int derr = blkdev_flush(s->disk);
	return err ? err : ferr ? ferr : derr;
}

/* Inodes whose names are all gone but that are still in use when the filesystem goes
 * (at halt, files open in killed tasks): freed now, as Linux's orphan cleanup would do
 * at the next mount. */
static void free_orphans(struct super_block *sb)
{
	struct ext2_sb *s = E2SB(sb);
	for (int i = 0; i < EXT2_HASH_SIZE; i++) {
		struct list_head *p;
		list_for_each(p, &s->hash[i]) {
			struct ext2_node *n = list_entry(p, struct ext2_node, link);
			if (n->gone) {
				n->gone = false;
				ext2_free_inode(s->fs, (ext2_ino_t)n->inode->ino);
			}
		}
	}
}

/* The on-disk "clean" flag: set while nothing is mounted read-write. */
static int set_clean(struct ext2_sb *s, bool clean)
{
	struct ext2_super_block *sup = s->fs->super;
	if (clean)
		sup->s_state |= EXT2_VALID_FS;
	else
		sup->s_state &= (__u16)~EXT2_VALID_FS;
	ext2fs_mark_super_dirty(s->fs);
	return ext2_errno(ext2fs_flush(s->fs));
}

static void ext2_kill(struct super_block *sb)
{
	struct ext2_sb *s = E2SB(sb);
	ext2_pagecache_release_all(sb);
	inode_put(sb->root);   /* frees whatever only it held */
	sb->root = NULL;
	if ((s->fs->flags & EXT2_FLAG_RW) && !(sb->flags & MS_RDONLY)) {
		free_orphans(sb);
		s->fs->super->s_state |= EXT2_VALID_FS;
		ext2fs_mark_super_dirty(s->fs);
	}
	errcode_t err = ext2fs_close2(s->fs, 0);
	if (err)
		printk("<3>EXT4-fs (%s): error writing the filesystem out at umount: %s\n",
		       s->disk->name, error_message(err));
	blkdev_flush(s->disk);
	s->fs = NULL;
	blkdev_release(s->disk);
	free(s);
	sb->priv = NULL;
}

/* Read-write: the disk says "not clean" until umount, and counts the mount. */
static int mark_mounted(struct ext2_sb *s)
{
	struct ext2_super_block *sup = s->fs->super;
	if (!(sup->s_state & EXT2_VALID_FS))
		printk("<4>EXT4-fs warning (%s): mounting unchecked fs, running e2fsck is recommended\n",
		       s->disk->name);
	else if (sup->s_state & EXT2_ERROR_FS)
		printk("<4>EXT4-fs warning (%s): mounting fs with errors, running e2fsck is recommended\n",
		       s->disk->name);
	sup->s_state &= (__u16)~EXT2_VALID_FS;
	sup->s_mnt_count++;
	sup->s_mtime = (__u32)ext2_now().tv_sec;
	ext2fs_mark_super_dirty(s->fs);
	s->fs->flags |= EXT2_FLAG_SUPER_ONLY;
	errcode_t err = ext2fs_flush(s->fs);
	s->fs->flags &= ~EXT2_FLAG_SUPER_ONLY;
	if (!err)
		err = (errcode_t)-blkdev_flush(s->disk);
	return ext2_errno(err);
}

static int open_fs(struct ext2_sb *s, bool rw)
{
	int flags = EXT2_FLAG_64BITS | EXT2_FLAG_SKIP_MMP | (rw ? EXT2_FLAG_RW : 0);
	errcode_t err = ext2fs_open2(s->disk->name, NULL, flags, 0, 0, ext2_blkdev_io_manager, &s->fs);
	if (err) {
		printk("<3>EXT4-fs (%s): can't open the filesystem: %s\n", s->disk->name, error_message(err));
		return -EINVAL;
	}
	s->fs->umask = 022;
	if (rw && (err = ext2fs_read_bitmaps(s->fs)) != 0) {
		printk("<3>EXT4-fs (%s): can't read the allocation bitmaps: %s\n", s->disk->name,
		       error_message(err));
		ext2fs_close_free(&s->fs);
		return -EIO;
	}
	return 0;
}

/* mount -o remount,ro / rw: read-only leaves the disk clean and synced; read-write
 * needs a handle that may write (reopened if the mount began read-only). */
static int ext2_remount(struct super_block *sb, unsigned long flags, const char *data)
{
	(void)data;
	struct ext2_sb *s = E2SB(sb);
	bool was_ro = sb->flags & MS_RDONLY, ro = flags & MS_RDONLY;
	if (ro == was_ro)
		return 0;
	if (ro) {
		int err = ext2_pagecache_sync_all(sb);
		free_orphans(sb);
		if (!err)
			err = set_clean(s, true);
		return err ? err : blkdev_flush(s->disk);
	}
	if (s->disk->read_only)
		return -EACCES;
	if (!(s->fs->flags & EXT2_FLAG_RW)) {
		ext2_filsys old = s->fs;
		s->fs = NULL;
		int err = open_fs(s, true);
		if (err) {
			s->fs = old;
			return err;
		}
		ext2fs_close_free(&old);
	}
	return mark_mounted(s);
}

static int mount_type(const char *type, const char *dev, unsigned long flags,
		      struct super_block **out)
{
	struct ext2_super_block sup;
	struct block_device *b = blkdev_lookup_name(dev ? dev : "");
	if (!b)
		return -ENXIO;
	bool rw = !(flags & MS_RDONLY);
	if (rw && b->read_only)
		return -EACCES;
	int err = probe(b, &sup);
	if (err)
		return err;
	if (!type_covers(type, &sup, rw))
		return -EINVAL;
	if ((err = refuse_journal(b->name, &sup)) != 0)
		return err;
	if ((err = blkdev_claim(b)) != 0)
		return err;
	struct ext2_sb *s = xcalloc(1, sizeof(*s));
	s->disk = b;
	s->type = type;
	for (int i = 0; i < EXT2_HASH_SIZE; i++)
		list_init(&s->hash[i]);
	list_init(&s->pinned);
	err = open_fs(s, rw);
	if (!err && rw)
		err = mark_mounted(s);
	struct super_block *sb = err ? NULL : xcalloc(1, sizeof(*sb));
	if (sb) {
		sb->dev = b->dev;
		sb->magic = EXT4_SUPER_MAGIC;
		sb->maps_memfds = true;
		sb->priv = s;
		sb->statfs = ext2_statfs;
		sb->sync = ext2_sync_fs;
		sb->remount = ext2_remount;
		sb->kill = ext2_kill;
		err = ext2_iget(sb, EXT2_ROOT_INO, &sb->root);
	}
	if (err) {
		if (s->fs)
			ext2fs_close_free(&s->fs);
		blkdev_release(b);
		free(s);
		free(sb);
		return err;
	}
	*out = sb;
	return 0;
}

static int mount_ext2(const char *dev, unsigned long flags, const char *data, struct super_block **out)
{
	(void)data;
	return mount_type("ext2", dev, flags, out);
}

static int mount_ext3(const char *dev, unsigned long flags, const char *data, struct super_block **out)
{
	(void)data;
	return mount_type("ext3", dev, flags, out);
}

static int mount_ext4(const char *dev, unsigned long flags, const char *data, struct super_block **out)
{
	(void)data;
	return mount_type("ext4", dev, flags, out);
}

static const struct fs_type ext2_type = { .name = "ext2", .mount = mount_ext2 };
static const struct fs_type ext3_type = { .name = "ext3", .mount = mount_ext3 };
static const struct fs_type ext4_type = { .name = "ext4", .mount = mount_ext4 };

void ext2_init(void)
{
	initialize_ext2_error_table();
	vfs_register_fs(&ext3_type);
	vfs_register_fs(&ext2_type);
	vfs_register_fs(&ext4_type);
}
