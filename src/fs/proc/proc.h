/*
 * procfs: the synthetic filesystem at /proc. Files are generated when opened (a snapshot
 * read and seeked like a regular file), in Linux's exact formats, for ps, top, free,
 * mount, uptime, pgrep and procps.
 */
#ifndef UMLINUX_FS_PROC_H
#define UMLINUX_FS_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "fs/vfs.h"

extern const struct fs_type proc_fs_type;

/* Registers "proc" with the VFS and records the boot instant (uptime, starttime, btime
 * count from here), so call it early in boot. */
void procfs_init(void);

/* What /proc/cmdline shows (copied). */
void proc_set_cmdline(const char *cmdline);

/* /proc/sys/kernel/sysrq: the SysRq functions the guest enabled (Linux's bitmask). */
extern int sysctl_sysrq;

/* The name /proc/<pid>/fd/<n> shows for an open file, as the reader sees it: its path
 * (relative to the reader's root) when it has one, else pipe:[ino], socket:[ino] or
 * anon_inode:<name>. */
int proc_file_name(struct task *reader, struct file *f, char *buf, size_t len);

/* Anonymous files (no dentry) show as anon_inode:<name> in /proc/<pid>/fd when their
 * fops were registered here, e.g. (&eventfd_fops, "[eventfd]"), (&inotify_fops,
 * "inotify"). The name must outlive the kernel (a string literal). */
void proc_register_anon_name(const struct file_ops *fops, const char *name);

/* Adds a file at the top of /proc (e.g. "mconsole", "sysrq-trigger"). show appends the
 * contents with proc_printf (NULL: empty); write receives each write(2) (NULL: EINVAL).
 * Returns -ENOSPC when the table is full, -EEXIST for a taken name. */
struct proc_buf;
int proc_register_file(const char *name, mode_t mode,
		       int (*show)(struct proc_buf *b, struct task *reader),
		       int (*write)(struct task *writer, const char *buf, size_t len));
void proc_printf(struct proc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The contents of /proc/<relpath> as reader would read it (MConsole's "proc" command).
 * reader NULL reads as root with init's view. *out is malloc'd. */
int proc_read_path(const char *relpath, struct task *reader, char **out, size_t *len);

/* For sysinfo(2): time since boot, and the load averages scaled by 1 << shift
 * (sysinfo's SI_LOAD_SHIFT is 16). */
uint64_t proc_uptime_ns(void);
void proc_loadavg(unsigned long loads[3], unsigned shift);

/* Linux's one-letter task state (R, S, T, Z...), as /proc/<pid>/stat shows it. */
char proc_task_state(struct thread_group *tg, struct task *t);

/* A stable id for a mount, as /proc/<pid>/mountinfo and fdinfo show it. */
int proc_mount_id(const struct mount *m);

/* A filesystem's device as fdinfo's sdev: fields show it: Linux's internal dev_t
 * (major << 20 | minor), not the one stat gives. NULL (anonymous inodes): 0. */
unsigned proc_sdev(const struct super_block *sb);

#endif
