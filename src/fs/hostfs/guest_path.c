/*
 * Host paths back to guest paths. The host's /proc/<pid>/maps names a guest's file
 * mappings by host path (hostfs hands the host descriptors to mmap); the guest must see
 * the path under the hostfs mount that reaches the file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "fs/hostfs/hostfs_int.h"

/* The host directory mnt shows: its superblock's root, or below it for a mount whose
 * root is a subdirectory. Without a trailing '/' ("" for the host's root). */
static char *mount_host_dir(const struct mount *mnt)
{
	const char *root = HSB(mnt->sb)->host_root;
	const struct inode *top = mnt->root->inode;
	const char *sub = top && top->priv ? HI(top)->path : NULL;
	size_t rl, sl;
	char *dir;

	if (!root || (top && top->priv && !sub))
		return NULL;
	rl = strlen(root);
	while (rl && root[rl - 1] == '/')
		rl--;
	sl = sub ? strlen(sub) : 0;
	dir = xcalloc(1, rl + sl + 2);
	memcpy(dir, root, rl);
	if (sl) {
		dir[rl] = '/';
		memcpy(dir + rl + 1, sub, sl);
	}
	return dir;
}

/* The hostfs mount whose host directory holds host_path most closely (a later mount
 * wins a tie: it shadows the earlier one); *cut gets the directory's length. */
static struct mount *holding_mount(const char *host_path, size_t *cut)
{
	struct mount *best = NULL;
	struct list_head *p;

	list_for_each(p, &mount_list) {
		struct mount *m = list_entry(p, struct mount, link);
		char *dir;
		size_t n;

		if (!hostfs_backed(m->sb) || !(dir = mount_host_dir(m)))
			continue;
		n = strlen(dir);
		if (!strncmp(host_path, dir, n) && (host_path[n] == '/' || !host_path[n]) &&
		    (!best || n >= *cut)) {
			best = m;
			*cut = n;
		}
		free(dir);
	}
	return best;
}

int hostfs_guest_path(struct task *viewer, const char *host_path, char *buf, size_t len,
		      dev_t *dev)
{
	size_t cut = 0, have;
	struct mount *m = holding_mount(host_path, &cut);
	struct path top;
	const char *rest;
	int err;

	if (!m)
		return -ENOENT;
	top = (struct path){ m, m->root };
	err = path_to_string(viewer, &top, buf, len);
	if (err < 0)
		return err;
	rest = host_path + cut;
	have = strlen(buf);
	if (have == 1 && *rest)
		have = 0;   /* the mount is at "/": the rest brings its own '/' */
	if (have + strlen(rest) + 1 > len)
		return -ENAMETOOLONG;
	strcpy(buf + have, rest);
	*dev = m->sb->dev;
	return 0;
}
