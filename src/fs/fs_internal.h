/* Helpers private to the VFS core. */
#ifndef UMLINUX_FS_INTERNAL_H
#define UMLINUX_FS_INTERNAL_H
#include <sys/mount.h>
#include "fs/vfs.h"
bool path_same(const struct path *a, const struct path *b);
struct mount *mount_lookup(struct mount *mnt, struct dentry *d);
bool cred_in_group(const struct cred *c, gid_t gid);
bool fs_capable(const struct task *t);   /* root for file access: fsuid 0 */
size_t vfs_format_filesystems(char *buf, size_t len);
#endif
