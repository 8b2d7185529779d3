/* The guest names of memfd-backed file mappings, for /proc/<pid>/maps (mapped_names.c). */
#ifndef UMLINUX_MM_MAPPED_NAMES_H
#define UMLINUX_MM_MAPPED_NAMES_H

#include "fs/vfs.h"

/* f is being mapped from host_fd: remembered if host_fd is a memfd. */
void mapped_name_note(struct task *t, struct file *f, int host_fd);
/* The inode is going away: its mappings keep its path, and " (deleted)" if it had no
 * name left. */
void mapped_name_forget(struct inode *inode);
/* host_name is a mapping's name in the host's maps without " (deleted)". 0 with the
 * guest path (and " (deleted)"), device and inode number, or -ENOENT. */
int mapped_name_lookup(const char *host_name, char *buf, size_t len, dev_t *dev, uint64_t *ino);
/* The live inode mapped from the memfd host_name (as above), or NULL. */
struct inode *mapped_name_inode(const char *host_name);

#endif
