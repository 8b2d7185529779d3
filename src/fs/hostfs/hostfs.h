/*
 * hostfs: a host directory mounted in the guest, file for file. Files keep their host
 * owners, modes and types; every access runs with the host privileges of the kernel
 * process and can never reach outside the mounted directory (nor outside the hostfs=
 * jail prefix).
 */
#ifndef UMLINUX_FS_HOSTFS_H
#define UMLINUX_FS_HOSTFS_H

#include <stdbool.h>
#include <sys/statfs.h>  /* vfs.h names struct statfs */
#include "fs/vfs.h"

#define HOSTFS_SUPER_MAGIC 0x00c0ffee

extern const struct fs_type hostfs_fs_type;

/* Registers "hostfs" with the VFS. */
void hostfs_init(void);

/* The hostfs=<prefix>[,append] switch: later mounts are confined to prefix (NULL or ""
 * confines nothing); append makes every file append-only and undeletable. The prefix is
 * copied. */
void hostfs_set_jail(const char *prefix, bool append);

/* The guest's name for a host file (an absolute host path, as the host's
 * /proc/<pid>/maps shows it) as viewer sees it, through the hostfs mount whose host
 * directory holds it; *dev gets that mount's device. -ENOENT if no mount holds it. */
int hostfs_guest_path(struct task *viewer, const char *host_path, char *buf, size_t len,
		      dev_t *dev);

#endif
