/*
 * tmpfs instances: mount options (size=, nr_blocks=, nr_inodes=, mode=, uid=, gid=, as
 * shmem_parse_one takes them), statfs, remount with new limits, and unmount. ramfs is
 * the same filesystem without limits, which ignores what it does not know.
 */
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "fs/tmpfs/tmpfs_int.h"
#include "mm/meminfo.h"

struct tmpfs_opts {
	bool ramfs;
	uint64_t max_pages, max_inodes;
	bool seen_pages, seen_inodes;
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

static uint64_t ram_pages(void)
{
	uint64_t total = mem_total_bytes();
	return (total ? total : 128ull << 20) / PAGE_SIZE;
}

/* memparse(): a number with an optional K, M, G, T, P or E; 0 and no end when bad. */
static bool parse_size(const char *s, uint64_t *out, bool percent_ok)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (end == s || errno || *s == '-')
		return false;
	static const char units[] = "kmgtpe";
	const char *u = *end ? strchr(units, *end | 0x20) : NULL;
	if (u) {
		for (const char *k = units; k <= u; k++) {
			if (v > UINT64_MAX >> 10)
				return false;
			v <<= 10;
		}
		end++;
	} else if (percent_ok && *end == '%') {
		/* size=N%: of the machine's memory, in pages, then back to bytes */
		if (v > 100000)
			return false;
		v = ram_pages() * v / 100 * PAGE_SIZE;
		end++;
	}
	*out = v;
	return *end == 0;
}

static bool parse_octal(const char *s, mode_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 8);
	if (end == s || *end || v > 07777)
		return false;
	*out = (mode_t)v;
	return true;
}

static bool parse_id(const char *s, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (end == s || *end || errno || *s == '-' || v >= (unsigned)-1)
		return false;
	*out = (unsigned)v;
	return true;
}

/* Options tmpfs takes and has no use for here (NUMA, huge pages, swap, quotas). */
static bool ignored_option(const char *key)
{
	static const char *const keys[] = {
		"huge", "mpol", "inode32", "inode64", "noswap", "quota", "usrquota",
		"grpquota", "usrquota_block_hardlimit", "usrquota_inode_hardlimit",
		"grpquota_block_hardlimit", "grpquota_inode_hardlimit",
	};
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

/* 0, -EINVAL for a bad value, -ENOENT for an unknown key. */
static int parse_one(struct tmpfs_opts *o, char *key, const char *val)
{
	uint64_t v;
	unsigned id;
	if (strcmp(key, "mode") == 0)
		return val && parse_octal(val, &o->mode) ? 0 : -EINVAL;
	if (o->ramfs)
		return 0;   /* ramfs has always ignored every other option */
	if (strcmp(key, "size") == 0 || strcmp(key, "nr_blocks") == 0) {
		bool bytes = key[0] == 's';
		if (!val || !parse_size(val, &v, bytes))
			return -EINVAL;
		o->max_pages = bytes ? (v + PAGE_SIZE - 1) / PAGE_SIZE : v;
		o->seen_pages = true;
		return 0;
	}
	if (strcmp(key, "nr_inodes") == 0) {
		if (!val || !parse_size(val, &v, false))
			return -EINVAL;
		o->max_inodes = v;
		o->seen_inodes = true;
		return 0;
	}
	if (strcmp(key, "uid") == 0 || strcmp(key, "gid") == 0) {
		if (!val || !parse_id(val, &id))
			return -EINVAL;
		if (key[0] == 'u')
			o->uid = id;
		else
			o->gid = id;
		return 0;
	}
	return ignored_option(key) ? 0 : -ENOENT;
}

static int parse_options(const char *data, struct tmpfs_opts *o)
{
	if (!data || !*data)
		return 0;
	char *copy = xstrdup(data), *save = NULL, *opt;
	int err = 0;
	for (opt = strtok_r(copy, ",", &save); opt && !err; opt = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(opt, '=');
		if (eq)
			*eq++ = 0;
		err = parse_one(o, opt, eq);
		if (err == -ENOENT)
			printk("<3>tmpfs: Unknown parameter '%s'\n", opt);
		else if (err < 0)
			printk("<3>tmpfs: Bad value for '%s'\n", opt);
		err = err < 0 ? -EINVAL : 0;
	}
	free(copy);
	return err;
}

static int tmpfs_statfs(struct super_block *sb, struct statfs *st)
{
	struct tmpfs_sb *s = TSB(sb);
	memset(st, 0, sizeof(*st));
	st->f_type = (long)sb->magic;
	st->f_bsize = PAGE_SIZE;
	st->f_frsize = PAGE_SIZE;
	st->f_namelen = NAME_MAX;
	if (s->max_pages) {
		st->f_blocks = s->max_pages;
		st->f_bfree = st->f_bavail = s->max_pages - s->used_pages;
	}
	if (s->max_inodes) {
		st->f_files = s->max_inodes;
		st->f_ffree = s->max_inodes - s->used_inodes;
	}
	return 0;
}

/* shmem_reconfigure(): new limits must hold what is there, and an unlimited instance
 * cannot be limited afterwards. */
static int tmpfs_remount(struct super_block *sb, unsigned long flags, const char *data)
{
	(void)flags;
	struct tmpfs_sb *s = TSB(sb);
	struct tmpfs_opts o = { .ramfs = s->ramfs };
	int err = parse_options(data, &o);
	if (err < 0)
		return err;
	if (o.seen_pages && ((o.max_pages && !s->max_pages) || (o.max_pages && o.max_pages < s->used_pages)))
		return -EINVAL;
	if (o.seen_inodes && ((o.max_inodes && !s->max_inodes) ||
			      (o.max_inodes && o.max_inodes < s->used_inodes)))
		return -EINVAL;
	if (o.seen_pages)
		s->max_pages = o.max_pages;
	if (o.seen_inodes)
		s->max_inodes = o.max_inodes;
	return 0;
}

static void tmpfs_kill(struct super_block *sb)
{
	tmpfs_dir_clear(sb->root);
	inode_put(sb->root);
	free(sb->priv);
	free(sb);
}

static int fill_super(const struct tmpfs_opts *o, unsigned long magic, struct super_block **out)
{
	struct super_block *sb = xcalloc(1, sizeof(*sb));
	struct tmpfs_sb *s = xcalloc(1, sizeof(*s));
	s->ramfs = o->ramfs;
	s->max_pages = o->max_pages;
	s->max_inodes = o->max_inodes;
	s->next_ino = 1;
	sb->priv = s;
	sb->dev = vfs_anon_dev();
	sb->magic = magic;
	sb->maps_memfds = true;
	sb->statfs = tmpfs_statfs;
	sb->remount = tmpfs_remount;
	sb->kill = tmpfs_kill;
	struct cred owner = { .fsuid = o->uid, .fsgid = o->gid };
	int err = tmpfs_inode_new(sb, NULL, S_IFDIR | o->mode, 0, &owner, &sb->root);
	if (err < 0) {
		free(s);
		free(sb);
		return err;
	}
	*out = sb;
	return 0;
}

static int tmpfs_mount(const char *dev, unsigned long flags, const char *data, struct super_block **out)
{
	(void)dev, (void)flags;
	/* Linux's defaults: half of memory, as many inodes as half of its pages, 1777 */
	struct tmpfs_opts o = { .max_pages = ram_pages() / 2, .max_inodes = ram_pages() / 2,
				.mode = 01777 };
	int err = parse_options(data, &o);
	if (err < 0)
		return err;
	return fill_super(&o, TMPFS_MAGIC, out);
}

static int ramfs_mount(const char *dev, unsigned long flags, const char *data, struct super_block **out)
{
	(void)dev, (void)flags;
	struct tmpfs_opts o = { .ramfs = true, .mode = 0755 };
	int err = parse_options(data, &o);
	if (err < 0)
		return err;
	return fill_super(&o, RAMFS_MAGIC, out);
}

const struct fs_type tmpfs_fs_type = { .name = "tmpfs", .nodev = true, .mount = tmpfs_mount };
static const struct fs_type ramfs_fs_type = { .name = "ramfs", .nodev = true, .mount = ramfs_mount };

void tmpfs_init(void)
{
	/* Each tmpfs file with data holds a memfd: let the kernel process hold as many
	 * descriptors as the host allows it, not the 1024 a shell starts it with. */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	vfs_register_fs(&tmpfs_fs_type);
	vfs_register_fs(&ramfs_fs_type);
}
