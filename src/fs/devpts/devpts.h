/*
 * devpts: the /dev/pts filesystem. One instance for the whole kernel (every mount shows
 * it; the latest mount's or remount's options apply), holding "ptmx" (5,2) and one
 * character device node per live pseudo-terminal, named by its index.
 */
#ifndef UMLINUX_FS_DEVPTS_H
#define UMLINUX_FS_DEVPTS_H
#include "fs/vfs.h"

/* Registers "devpts" and the pseudo-terminal devices. */
void devpts_init(void);

/* /dev/pts/<index> for a new pty, owned as the mount options and cred say. */
int devpts_pty_new(int index, dev_t rdev, const struct cred *cred);
/* Its name goes (the master closed); open files of it live on. */
void devpts_pty_kill(int index);
/* A path to /dev/pts/<index> through a devpts mount (references taken): what
 * TIOCGPTPEER opens. -ENOENT when the node is gone. */
int devpts_pty_path(int index, struct path *out);
#endif
