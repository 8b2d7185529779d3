/*
 * The live inodes of a hostfs mount, hashed by their path under the root. Inodes are
 * path-based, as UML's are: the path names the host file. Keeping them findable by path
 * lets a second lookup return the inode already in use (a FIFO's openers must meet on
 * one pipe) and lets a rename or unlink re-path or retire every inode it affects.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "fs/hostfs/hostfs_int.h"

static struct list_head *bucket(struct hostfs_sb *hsb, const char *path)
{
	uint32_t h = 2166136261u;  /* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * 16777619u;
	return &hsb->hash[h % HOSTFS_HASH_SIZE];
}

static struct hostfs_inode *icache_find(struct hostfs_sb *hsb, const char *path)
{
	struct list_head *head = bucket(hsb, path), *pos;

	list_for_each(pos, head) {
		struct hostfs_inode *hi = list_entry(pos, struct hostfs_inode, link);
		if (!strcmp(hi->path, path))
			return hi;
	}
	return NULL;
}

/* The file is gone from its path: the inode lives on only through open descriptors. */
static void icache_retire(struct hostfs_inode *hi)
{
	list_del_init(&hi->link);
	free(hi->path);
	hi->path = NULL;
	hi->inode->dead = true;
}

/* A dead inode keeps pin_fd (see hostfs_pin), unless it already holds one. */
static void icache_keep_pin(struct hostfs_inode *hi, int pin_fd)
{
	if (pin_fd < 0)
		return;
	if (hi && hi->orphan_fd < 0)
		hi->orphan_fd = pin_fd;
	else
		close(pin_fd);
}

/*
 * Before the guest removes or renames over name (path under the root) in dirfd: if an
 * inode of that file is live, a descriptor of the file, for hostfs_removed or
 * hostfs_moved to hand to it. Linux lets a process stat its removed cwd and chdir("..")
 * from it; without the name, only a descriptor still reaches the host file. Directories
 * are opened for reading where the host allows it, so fchmod and fchdir work on them.
 */
int hostfs_pin(struct super_block *sb, int dirfd, const char *name, const char *path)
{
	struct hostfs_inode *hi = icache_find(HSB(sb), path);
	int fd = -1;

	if (!hi)
		return -1;
	if (S_ISDIR(hi->inode->mode))
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	return fd;
}

/* The inode's attributes from the host's statx, except those a layered filesystem
 * keeps itself (hostfs_override). */
void hostfs_fill_inode(struct inode *inode, const struct statx *stx)
{
	struct hostfs_inode *hi = HI(inode);

	inode->ino = stx->stx_ino;
	inode->mode = stx->stx_mode;
	inode->uid = stx->stx_uid;
	inode->gid = stx->stx_gid;
	inode->nlink = stx->stx_nlink;
	inode->rdev = makedev(stx->stx_rdev_major, stx->stx_rdev_minor);
	hi->host_type = stx->stx_mode & S_IFMT;
	if (hi->over.valid) {
		inode->mode = hi->over.mode;
		inode->uid = hi->over.uid;
		inode->gid = hi->over.gid;
		inode->rdev = hi->over.rdev;
	}
	inode->size = stx->stx_size;
	inode->atime = (struct timespec){ stx->stx_atime.tv_sec, stx->stx_atime.tv_nsec };
	inode->mtime = (struct timespec){ stx->stx_mtime.tv_sec, stx->stx_mtime.tv_nsec };
	inode->ctime = (struct timespec){ stx->stx_ctime.tv_sec, stx->stx_ctime.tv_nsec };
}

static struct inode *icache_new(struct super_block *sb, char *path, const struct statx *stx)
{
	struct hostfs_sb *hsb = HSB(sb);
	struct inode *inode = inode_new(sb, stx->stx_ino, stx->stx_mode, hsb->iops, hsb->fops);
	struct hostfs_inode *hi;

	if (!inode)
		return NULL;
	hi = xcalloc(1, sizeof(*hi));
	hi->inode = inode;
	hi->path = path;
	hi->created_fd = -1;
	hi->orphan_fd = -1;
	list_init(&hi->files);
	list_init(&hi->link);
	if (path)
		list_add_tail(&hi->link, bucket(HSB(sb), path));
	inode->priv = hi;
	hostfs_fill_inode(inode, stx);
	return inode;
}

/* The inode for the host file at path (which this takes over), as stx describes it. */
int hostfs_inode_for(struct super_block *sb, char *path, const struct statx *stx,
		     struct inode **out)
{
	struct hostfs_inode *hi = icache_find(HSB(sb), path);

	if (hi && hi->inode->ino == stx->stx_ino && hi->host_type == (stx->stx_mode & S_IFMT)) {
		free(path);
		hostfs_fill_inode(hi->inode, stx);
		*out = inode_get(hi->inode);
		return 0;
	}
	if (hi)
		icache_retire(hi);  /* replaced on the host under the same name */
	*out = icache_new(sb, path, stx);
	if (!*out) {
		free(path);
		return -ENOMEM;
	}
	return 0;
}

/* An O_TMPFILE file: no path, reached only through fd, which the inode keeps. */
int hostfs_inode_unnamed(struct super_block *sb, int fd, const struct statx *stx,
			 struct inode **out)
{
	struct inode *inode = icache_new(sb, NULL, stx);

	if (!inode)
		return -ENOMEM;
	HI(inode)->orphan_fd = fd;
	HI(inode)->tmpfile = true;
	inode->dead = true;
	*out = inode;
	return 0;
}

/* A file without a path was just linked at path (taken over): from now on it is found
 * there, as if it had been looked up. An inode left at that path is stale. */
void hostfs_adopt_path(struct inode *inode, char *path)
{
	struct hostfs_inode *hi = HI(inode), *stale = icache_find(HSB(inode->sb), path);

	if (stale)
		icache_retire(stale);
	hi->path = path;
	hi->tmpfile = false;
	list_del_init(&hi->link);
	list_add_tail(&hi->link, bucket(HSB(inode->sb), path));
	inode->dead = false;
}

static bool path_under(const char *path, const char *prefix, size_t len)
{
	return !strncmp(path, prefix, len) && (path[len] == '\0' || path[len] == '/');
}

static char *path_rebase(const char *path, size_t cut, const char *to)
{
	size_t tlen = strlen(to), rest = strlen(path + cut);
	char *p = xcalloc(1, tlen + rest + 1);

	memcpy(p, to, tlen);
	memcpy(p + tlen, path + cut, rest + 1);
	return p;
}

/* Gives hi its path after a rename of from to to; false if it is unaffected. */
static bool icache_repath(struct hostfs_inode *hi, const char *from, const char *to, bool exchange)
{
	size_t flen = strlen(from), tlen = strlen(to);
	char *np;

	if (path_under(hi->path, from, flen))
		np = path_rebase(hi->path, flen, to);
	else if (path_under(hi->path, to, tlen) && exchange)
		np = path_rebase(hi->path, tlen, from);
	else if (path_under(hi->path, to, tlen))
		np = NULL;  /* the file renamed over, now unlinked */
	else
		return false;
	free(hi->path);
	hi->path = np;
	return true;
}

/* After from was renamed to to (or swapped with it): every inode at or below either
 * name follows its file. The file renamed over dies, keeping replaced_fd (hostfs_pin of
 * to, or -1). */
void hostfs_moved(struct super_block *sb, const char *from, const char *to, bool exchange,
		  int replaced_fd)
{
	struct hostfs_sb *hsb = HSB(sb);
	struct hostfs_inode *replaced = NULL;
	struct list_head moved, *pos, *n;

	/* Collected first: rehashing while walking the buckets could visit an inode twice. */
	list_init(&moved);
	for (int b = 0; b < HOSTFS_HASH_SIZE; b++) {
		list_for_each_safe(pos, n, &hsb->hash[b]) {
			struct hostfs_inode *hi = list_entry(pos, struct hostfs_inode, link);
			bool at_to = !strcmp(hi->path, to);
			if (!icache_repath(hi, from, to, exchange))
				continue;
			list_del_init(&hi->link);
			if (hi->path) {
				list_add_tail(&hi->link, &moved);
				continue;
			}
			hi->inode->dead = true;
			if (at_to)
				replaced = hi;
		}
	}
	icache_keep_pin(replaced, replaced_fd);
	list_for_each_safe(pos, n, &moved) {
		struct hostfs_inode *hi = list_entry(pos, struct hostfs_inode, link);
		list_del_init(&hi->link);
		list_add_tail(&hi->link, bucket(hsb, hi->path));
	}
}

/* The guest removed path; pin_fd is hostfs_pin's descriptor of it, or -1. */
void hostfs_removed(struct super_block *sb, const char *path, int pin_fd)
{
	struct hostfs_inode *hi = icache_find(HSB(sb), path);

	if (hi)
		icache_retire(hi);
	icache_keep_pin(hi, pin_fd);
}

void hostfs_for_each_ino(struct super_block *sb, uint64_t ino,
			 void (*fn)(struct hostfs_inode *hi, void *arg), void *arg)
{
	struct list_head *pos, *n;

	for (int b = 0; b < HOSTFS_HASH_SIZE; b++) {
		list_for_each_safe(pos, n, &HSB(sb)->hash[b]) {
			struct hostfs_inode *hi = list_entry(pos, struct hostfs_inode, link);
			if (hi->inode->ino == ino)
				fn(hi, arg);
		}
	}
}

/* At unmount: inodes still referenced (open files) outlive the hash table. */
void hostfs_unhash_all(struct super_block *sb)
{
	struct list_head *pos, *n;

	for (int b = 0; b < HOSTFS_HASH_SIZE; b++)
		list_for_each_safe(pos, n, &HSB(sb)->hash[b])
			list_del_init(pos);
}
