/*
 * hostfs mounts: the host directory named by the mount data (-o /home, or rootflags=
 * for the root), confined beneath the hostfs= jail prefix when one is set. The mount
 * keeps an O_PATH descriptor of that directory; every later host access resolves
 * beneath it (resolve.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "fs/hostfs/hostfs_int.h"

static char *jail_prefix;   /* hostfs=<prefix>, or NULL */
static bool jail_append;    /* hostfs=...,append */

void hostfs_set_jail(const char *prefix, bool append)
{
	free(jail_prefix);
	jail_prefix = prefix && prefix[0] ? xstrdup(prefix) : NULL;
	jail_append = append;
}

static int open_unjailed(const char *dir)
{
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* dir taken beneath the jail prefix: "/home" is <prefix>/home, and neither ".." nor a
 * symlink may lead out of the prefix. */
static int open_jailed(const char *dir)
{
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	int jfd = open(jail_prefix, O_PATH | O_DIRECTORY | O_CLOEXEC);
	long fd;

	if (jfd < 0)
		return -errno;
	while (*dir == '/')
		dir++;
	do
		fd = syscall(SYS_openat2, jfd, dir[0] ? dir : ".", &how, sizeof(how));
	while (fd < 0 && (errno == EINTR || errno == EAGAIN));
	close(jfd);
	if (fd < 0)
		return errno == EXDEV ? -EPERM : -errno;
	return (int)fd;
}

static void report_root_error(const char *fsname, const char *dir, int err)
{
	const char *where = jail_prefix ? jail_prefix : "";

	if (err == -ENOENT)
		printk("%s: host directory %s%s does not exist\n", fsname, where, dir);
	else if (err == -EPERM)
		printk("%s: %s leads outside the hostfs= directory %s\n", fsname, dir, jail_prefix);
	else if (err == -ENOTDIR)
		printk("%s: host path %s%s is not a directory\n", fsname, where, dir);
	else
		printk("%s: cannot open host directory %s%s: %s\n", fsname, where, dir, strerror(-err));
}

/* The host directory a mount names (its -o data), beneath the hostfs= jail when one is
 * set: every filesystem that shows host directories (hostfs, humfs) is confined by it.
 * Failures are logged under fsname. */
int hostfs_open_host_root(const char *fsname, const char *data)
{
	char dir[PATH_MAX];
	int fd;

	/* Always absolute: a relative one is taken from the host's root (or the jail's),
	 * never from wherever the kernel process happens to run. */
	if (snprintf(dir, sizeof(dir), "%s%s", data && data[0] == '/' ? "" : "/",
		     data && data[0] ? data : "") >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	fd = jail_prefix ? open_jailed(dir) : open_unjailed(dir);
	if (fd < 0)
		report_root_error(fsname, dir, fd);
	return fd;
}

static int hostfs_statfs(struct super_block *sb, struct statfs *st)
{
	if (fstatfs(HSB(sb)->rootfd, st))
		return -errno;
	st->f_type = HOSTFS_SUPER_MAGIC;
	return 0;
}

/* The last mount is gone: releases the root inode, hostfs's state and the super_block. */
void hostfs_kill_super(struct super_block *sb)
{
	struct hostfs_sb *hsb = HSB(sb);

	if (sb->root)
		inode_put(sb->root);
	sb->root = NULL;
	hostfs_unhash_all(sb);
	close(hsb->rootfd);
	free(hsb->host_root);
	free(hsb->data);
	free(hsb);
	free(sb);
}

/* Where the root is on the host, as the host names it in /proc/<pid>/maps: asked once,
 * from the descriptor, so it is the real path even through the jail or symlinks. */
static char *host_root_path(int rootfd)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", rootfd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0 || path[0] != '/')
		return NULL;
	path[n] = '\0';
	return xstrdup(path);
}

/* /proc/mounts: the host directory as the mount named it, if it named one, then
 * ",append" under the hostfs= jail's append (Linux's hostfs_show_options). */
static size_t hostfs_show_options(const struct super_block *sb, char *buf, size_t len)
{
	const struct hostfs_sb *hsb = HSB(sb);
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	if (hsb->data[0])
		n = vfs_show_option(buf, len, n, hsb->data);
	if (hsb->append)
		n = vfs_show_option(buf, len, n, "append");
	return n;
}

/* A super_block over the host directory rootfd (which it takes) that the mount's data
 * named, with hostfs's operations; a layered filesystem replaces them before the root
 * inode is made. */
struct super_block *hostfs_new_super(const struct fs_type *type, int rootfd, unsigned long flags,
				     const char *data)
{
	struct super_block *sb = xcalloc(1, sizeof(*sb));
	struct hostfs_sb *hsb = xcalloc(1, sizeof(*hsb));

	hsb->rootfd = rootfd;
	hsb->host_root = host_root_path(rootfd);
	hsb->data = xstrdup(data ? data : "");
	hsb->append = jail_append;
	hsb->iops = &hostfs_iops;
	hsb->fops = &hostfs_fops;
	hsb->dir_fops = &hostfs_dir_fops;
	for (int b = 0; b < HOSTFS_HASH_SIZE; b++)
		list_init(&hsb->hash[b]);
	sb->type = type;
	sb->dev = vfs_anon_dev();
	sb->flags = flags;
	sb->magic = HOSTFS_SUPER_MAGIC;
	sb->priv = hsb;
	sb->statfs = hostfs_statfs;
	/* every lookup refreshes an inode from the host, as Linux's hostfs revalidates */
	sb->attrs_in_inode = true;
	sb->show_options = hostfs_show_options;
	sb->kill = hostfs_kill_super;  /* sb->refcount counts mounts: the VFS takes them */
	return sb;
}

/* Looks up the root directory's inode, for sb->root. */
int hostfs_mount_root_inode(struct super_block *sb)
{
	struct statx stx;
	int err = hostfs_statx_at(HSB(sb)->rootfd, "", &stx);

	if (err)
		return err;
	return hostfs_inode_for(sb, xstrdup(""), &stx, &sb->root);
}

static int hostfs_mount(const char *dev, unsigned long flags, const char *data,
			struct super_block **out)
{
	struct super_block *sb;
	int fd, err;

	(void)dev;  /* "none" or "root": hostfs has no device */
	fd = hostfs_open_host_root("hostfs", data);
	if (fd < 0)
		return fd;
	sb = hostfs_new_super(&hostfs_fs_type, fd, flags, data);
	err = hostfs_mount_root_inode(sb);
	if (err) {
		hostfs_kill_super(sb);
		return err;
	}
	*out = sb;
	return 0;
}

const struct fs_type hostfs_fs_type = {
	.name = "hostfs",
	.nodev = true,
	.mount = hostfs_mount,
};

void hostfs_init(void)
{
	vfs_register_fs(&hostfs_fs_type);
}
