/*
 * Host path access. Every host call hostfs makes goes through here: the directory
 * holding the final name is opened with openat2 beneath the mount's root, refusing every
 * symlink and magic link on the way, and the caller then acts on the final name with the
 * *at call that does not follow it. So a symlink planted on the host, or made by the
 * guest, is never followed by the host: the guest's symlinks are followed by the VFS
 * path walk (through readlink) and come back to hostfs as fresh lookups.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "fs/hostfs/hostfs_int.h"

int hostfs_check_name(const char *name)
{
	if (!name[0])
		return -ENOENT;
	/* The VFS walks "." and ".." itself; here they could only step sideways or out. */
	if (!strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/'))
		return -EINVAL;
	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	return 0;
}

char *hostfs_child_path(const char *dir, const char *name)
{
	size_t dlen = strlen(dir), nlen = strlen(name);
	char *path = xcalloc(1, dlen + nlen + 2);

	memcpy(path, dir, dlen);
	if (dlen)
		path[dlen++] = '/';
	memcpy(path + dlen, name, nlen + 1);
	return path;
}

/* Opens path (relative, "" for rootfd itself) beneath rootfd with flags, refusing
 * every symlink, magic link and ".." on the way out. */
int hostfs_open_beneath(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd;
	int tries = 0;

	if (flags & O_CREAT)
		how.mode = 0644;
	/* EAGAIN is openat2's answer to a concurrent rename on the host; worth a retry. */
	do
		fd = syscall(SYS_openat2, rootfd, path[0] ? path : ".", &how, sizeof(how));
	while (fd < 0 && (errno == EINTR || (errno == EAGAIN && ++tries < 8)));
	return fd < 0 ? -errno : (int)fd;
}

int hostfs_open_dir(struct super_block *sb, const char *path)
{
	return hostfs_open_beneath(HSB(sb)->rootfd, path, O_PATH | O_DIRECTORY);
}

/* Opens dir for an operation on its entry name. */
int hostfs_open_child_dir(struct inode *dir, const char *name)
{
	int err = hostfs_check_name(name);

	if (err)
		return err;
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (!HI(dir)->path)
		return -ENOENT;  /* removed, as Linux answers inside a deleted directory */
	return hostfs_open_dir(dir->sb, HI(dir)->path);
}

static struct hostfs_file *first_open_file(struct inode *inode)
{
	if (list_empty(&HI(inode)->files))
		return NULL;
	return list_entry(HI(inode)->files.next, struct hostfs_file, link);
}

/* A host descriptor of the file itself, if we hold one: an open file's, or the one a
 * removal left to a dead inode. -1 if none. */
int hostfs_held_fd(struct inode *inode)
{
	struct hostfs_file *hf = first_open_file(inode);

	if (hf)
		return hf->fd;
	return HI(inode)->path ? -1 : HI(inode)->orphan_fd;
}

/* Finds where host calls reach inode. With allow_fd, a descriptor of the file is
 * preferred: it still reaches the file after an unlink or a rename behind our back. */
int hostfs_locate(struct inode *inode, bool allow_fd, struct hostfs_loc *loc)
{
	const char *path = HI(inode)->path;
	int held = allow_fd ? hostfs_held_fd(inode) : -1;
	char parent[PATH_MAX];
	const char *slash;
	int fd;

	*loc = (struct hostfs_loc){ .dirfd = HSB(inode->sb)->rootfd, .name = ".", .fd = -1 };
	if (held >= 0) {
		loc->dirfd = loc->fd = held;
		loc->name = "";
		return 0;
	}
	if (!path)
		return -ENOENT;
	if (!path[0])
		return 0;
	slash = strrchr(path, '/');
	loc->name = slash ? slash + 1 : path;
	if (!slash)
		return 0;
	if ((size_t)(slash - path) >= sizeof(parent))
		return -ENAMETOOLONG;
	memcpy(parent, path, slash - path);
	parent[slash - path] = '\0';
	fd = hostfs_open_dir(inode->sb, parent);
	if (fd < 0)
		return fd;
	loc->dirfd = fd;
	loc->close_dirfd = true;
	return 0;
}

void hostfs_loc_done(struct hostfs_loc *loc)
{
	if (loc->close_dirfd)
		close(loc->dirfd);
	loc->close_dirfd = false;
}

/* An empty name stats dirfd itself (an open file's descriptor). */
int hostfs_statx_at(int dirfd, const char *name, struct statx *stx)
{
	int flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | (name[0] ? 0 : AT_EMPTY_PATH);

	if (statx(dirfd, name, flags, STATX_BASIC_STATS | STATX_BTIME, stx))
		return -errno;
	return 0;
}
