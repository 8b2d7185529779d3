/*
 * humfs mounts: `mount none DIR -t humfs -o HOSTDIR`, or the root with rootfstype=humfs
 * rootflags=HOSTDIR. HOSTDIR (beneath the hostfs= jail, if any) holds the superblock
 * file and the data/, file_metadata/ and dir_metadata/ trees. The superblock's total is
 * the filesystem's size; used is kept current in memory and written back within a
 * second of a change, at sync and at unmount.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>
#include "fs/humfs/humfs_int.h"

#define SUPER_WRITE_DELAY_NS 1000000000LL

int64_t humfs_host_bytes(int dirfd, const char *name)
{
	struct statx stx;

	if (hostfs_statx_at(dirfd, name, &stx))
		return 0;
	return (int64_t)stx.stx_blocks * 512;
}

uint64_t humfs_free_bytes(struct super_block *sb)
{
	const struct humfs_super *s = &HUM(sb)->super;

	return s->used >= s->total ? 0 : s->total - s->used;
}

static int write_super(struct humfs_sb *hum)
{
	char buf[256];
	int n = humfs_super_format(&hum->super, buf, sizeof(buf));

	if (hum->superfd < 0 || n < 0)
		return 0;
	if (pwrite(hum->superfd, buf, n, 0) != n || ftruncate(hum->superfd, n)) {
		printk("humfs: %s: cannot update the superblock: %s\n", hum->name, strerror(errno));
		return -EIO;
	}
	hum->super_dirty = false;
	return 0;
}

void humfs_charge(struct super_block *sb, int64_t bytes)
{
	struct humfs_sb *hum = HUM(sb);
	uint64_t now;

	if (!bytes)
		return;
	if (bytes < 0 && (uint64_t)-bytes > hum->super.used)
		hum->super.used = 0;
	else
		hum->super.used += (uint64_t)bytes;
	hum->super_dirty = true;
	now = now_ns();
	if (now - hum->super_written_ns >= SUPER_WRITE_DELAY_NS) {
		hum->super_written_ns = now;
		write_super(hum);
	}
}

static int humfs_statfs(struct super_block *sb, struct statfs *st)
{
	struct humfs_sb *hum = HUM(sb);

	if (fstatfs(hum->topfd, st))
		return -errno;
	st->f_type = HUMFS_SUPER_MAGIC;
	st->f_bsize = st->f_frsize = 4096;
	st->f_blocks = hum->super.total / 4096;
	st->f_bfree = st->f_bavail = humfs_free_bytes(sb) / 4096;
	st->f_namelen = NAME_MAX;
	return 0;
}

/* sync, syncfs and sysrq s: the superblock's used brought up to date, then everything
 * the host holds of the tree written out, so a copy taken now is consistent. */
static int humfs_sync(struct super_block *sb)
{
	struct humfs_sb *hum = HUM(sb);
	int err = write_super(hum);

	syncfs(hum->topfd);
	return err;
}

static void free_hum(struct humfs_sb *hum)
{
	if (!hum)
		return;
	if (hum->topfd >= 0)
		close(hum->topfd);
	if (hum->fmetafd >= 0)
		close(hum->fmetafd);
	if (hum->dmetafd >= 0)
		close(hum->dmetafd);
	if (hum->superfd >= 0)
		close(hum->superfd);
	free(hum->name);
	free(hum);
}

static void humfs_kill(struct super_block *sb)
{
	struct humfs_sb *hum = HUM(sb);

	if (hum)
		humfs_forget_recent(sb);
	if (hum && hum->super_dirty)
		write_super(hum);
	free_hum(hum);
	HSB(sb)->layer = NULL;
	hostfs_kill_super(sb);
}

static int read_super(struct humfs_sb *hum, bool rdonly)
{
	char buf[HUMFS_SUPER_MAX + 1];
	const char *why;
	ssize_t n;
	int fd = openat(hum->topfd, "superblock",
			(rdonly ? O_RDONLY : O_RDWR) | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		int err = errno;
		printk("humfs: %s: cannot open its superblock file: %s%s\n", hum->name, strerror(err),
		       err == ENOENT ? " (a humfs directory is made with humfsify)" : "");
		return -EINVAL;
	}
	n = pread(fd, buf, sizeof(buf), 0);
	if (n < 0 || humfs_super_parse(buf, (size_t)n, &hum->super, &why)) {
		printk("humfs: %s/superblock: %s\n", hum->name, n < 0 ? strerror(errno) : why);
		close(fd);
		return -EINVAL;
	}
	hum->superfd = rdonly ? -1 : fd;
	if (rdonly)
		close(fd);
	if (hum->super.version == 1) {
		printk("humfs: %s: version 1 trees (one metadata tree) are not supported; "
		       "convert it with `humfsify -r` and humfsify again\n", hum->name);
		return -EINVAL;
	}
	if (strcmp(hum->super.metadata, "shadow_fs")) {
		printk("humfs: %s: metadata format '%s' is not supported (only shadow_fs)\n",
		       hum->name, hum->super.metadata);
		return -EINVAL;
	}
	if (hum->super.used > hum->super.total)
		printk("humfs: %s: used (%llu) is over total (%llu): the filesystem is full\n",
		       hum->name, (unsigned long long)hum->super.used,
		       (unsigned long long)hum->super.total);
	return 0;
}

static int open_subdir(struct humfs_sb *hum, const char *name)
{
	int fd = hostfs_open_beneath(hum->topfd, name, O_PATH | O_DIRECTORY);

	if (fd < 0)
		printk("humfs: %s: no %s directory (%s)\n", hum->name, name, strerror(-fd));
	return fd;
}

static int open_humfs(const char *data, bool rdonly, struct humfs_sb **out, int *datafd)
{
	struct humfs_sb *hum = xcalloc(1, sizeof(*hum));
	int err;

	hum->fmetafd = hum->dmetafd = hum->superfd = -1;
	hum->name = xstrdup(data);
	hum->topfd = hostfs_open_host_root("humfs", data);
	err = hum->topfd;
	if (err >= 0)
		err = read_super(hum, rdonly);
	if (err >= 0)
		err = *datafd = open_subdir(hum, "data");
	if (err >= 0 && (err = hum->fmetafd = open_subdir(hum, "file_metadata")) >= 0)
		err = hum->dmetafd = open_subdir(hum, "dir_metadata");
	if (err < 0) {
		if (*datafd >= 0)
			close(*datafd);
		free_hum(hum);
		return err;
	}
	*out = hum;
	return 0;
}

static int humfs_mount(const char *dev, unsigned long flags, const char *data,
		       struct super_block **out)
{
	struct humfs_sb *hum;
	struct super_block *sb;
	struct hostfs_sb *hsb;
	int datafd = -1, err;

	(void)dev;
	if (!data || !data[0]) {
		printk("humfs: no host directory given: mount none DIR -t humfs -o HOSTDIR\n");
		return -EINVAL;
	}
	err = open_humfs(data, flags & MS_RDONLY, &hum, &datafd);
	if (err)
		return err;
	sb = hostfs_new_super(&humfs_fs_type, datafd, flags, data);
	hsb = HSB(sb);
	hsb->iops = &humfs_iops;
	hsb->fops = &humfs_fops_table;
	hsb->dir_fops = &humfs_dir_fops_table;
	hsb->append = false;   /* hostfs=...,append is hostfs's */
	hsb->layer = hum;
	sb->magic = HUMFS_SUPER_MAGIC;
	sb->statfs = humfs_statfs;
	sb->sync = humfs_sync;
	sb->kill = humfs_kill;
	err = hostfs_mount_root_inode(sb);
	if (!err && !HI(sb->root)->over.valid)
		err = humfs_load_meta(sb->root);
	if (err) {
		humfs_kill(sb);
		return err;
	}
	*out = sb;
	return 0;
}

const struct fs_type humfs_fs_type = {
	.name = "humfs",
	.nodev = true,
	.mount = humfs_mount,
};

void humfs_init(void)
{
	humfs_init_fops();
	vfs_register_fs(&humfs_fs_type);
}
