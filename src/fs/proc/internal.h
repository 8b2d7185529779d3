/* Pieces shared by the files of procfs. */
#ifndef UMLINUX_FS_PROC_INTERNAL_H
#define UMLINUX_FS_PROC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "fs/proc/proc.h"
#include "fs/vfs.h"
#include "kernel/kernel.h"

/* A growing text buffer: what a generated file holds between open and close. */
struct proc_buf {
	char *data;
	size_t len, cap;
};
void pbuf_put(struct proc_buf *b, const void *p, size_t n);
void pbuf_putc(struct proc_buf *b, char c);
void pbuf_puts(struct proc_buf *b, const char *s);
/* Pads the current line (which began at offset line_start) with spaces to width. */
void pbuf_pad(struct proc_buf *b, size_t line_start, size_t width);
/* Runs fill(ctx, dst, room) with growing room until the output fits, then appends it.
 * fill returns the bytes written and writes whole lines only. */
void pbuf_fill(struct proc_buf *b, size_t (*fill)(void *ctx, char *dst, size_t room), void *ctx);
void pbuf_free(struct proc_buf *b);

/* Where a proc inode sits: what it shows and for whom. */
struct proc_entry;
struct proc_node {
	const struct proc_entry *entry;
	uint64_t ino;
	pid_t pid;      /* thread group of a per-process node; 0 for system files */
	pid_t tid;      /* thread of a task/<tid>/ node; 0 for the whole group */
	int fd;         /* for fd/<n> and fdinfo/<n>; -1 otherwise */
};

struct proc_dir;
struct proc_entry {
	const char *name;
	mode_t mode;    /* type and permission bits */
	int (*show)(struct proc_buf *b, const struct proc_node *n, struct task *reader);
	int (*write)(const struct proc_node *n, struct task *writer, const char *buf, size_t len);
	/* Writes the NUL-terminated target into buf. */
	int (*readlink)(const struct proc_node *n, struct task *reader, char *buf, size_t len);
	/* A magic link's path (see inode_ops.get_link_path); NULL: follow the text. */
	int (*get_path)(const struct proc_node *n, struct task *reader, struct path *out);
	const struct proc_dir *dir;
	void *data;     /* the entry's own (a sysctl's variable, a registered callback) */
};

/* Directory iteration state: f->pos counts ".", "..", the table, then extra children. */
struct proc_iter {
	struct file *file;
	struct dirent_sink *sink;
	off_t base;     /* f->pos of the first extra child */
};
/* Emits one entry; false when the caller's buffer is full. Advances f->pos to next. */
bool proc_emit(struct proc_iter *it, const char *name, uint64_t ino, mode_t mode, off_t next);

struct proc_dir {
	const struct proc_entry *entries;
	size_t count;
	unsigned ino_base;      /* entries[i] gets inode id ino_base + i */
	/* Children that come and go (processes, threads, descriptors). */
	int (*lookup_extra)(const struct proc_node *dir, const char *name, struct proc_node *out);
	/* Emits extra children from cursor f->pos - it->base on; false when the buffer filled. */
	bool (*iterate_extra)(const struct proc_node *dir, struct proc_iter *it);
	/* Extra subdirectories, for the directory's link count. */
	unsigned (*count_extra_dirs)(const struct proc_node *dir);
};

/* Inode numbers: unique and stable per (process, thread, descriptor, file), because the
 * VFS has no dentry cache and knows a file by (superblock, inode number). */
#define PROC_INO(pid, tid, fd, id) \
	(((uint64_t)(pid) << 48) | ((uint64_t)(tid) << 32) | ((uint64_t)((fd) + 1) << 12) | (id))
#define PROC_ROOT_INO     1       /* as Linux's */
#define PROC_ID_PID_DIR   0x10
#define PROC_ID_TID_DIR   0x11
#define PROC_ID_FD_LINK   0x12
#define PROC_ID_FDINFO    0x13
#define PROC_ID_SELF      0x14
#define PROC_ID_THREAD_SELF 0x15
#define PROC_BASE_ROOT    0x100
#define PROC_BASE_REGISTERED 0x180
#define PROC_BASE_SYS     0x200   /* /proc/sys and below: 0x200-0x3ff */
#define PROC_BASE_PID     0x400
#define PROC_BASE_TID     0x480
#define PROC_BASE_FDDIR   0x500

/* Largest pid + 1, as the task code allocates them (its PID_MAX). */
#define PROC_PID_MAX 32768
#define USER_HZ 100
#define NS_PER_TICK (1000000000ULL / USER_HZ)

/* root.c */
extern const struct proc_dir proc_root_dir;
extern const struct proc_entry proc_root_entry;
uint64_t proc_boot_ns(void);    /* CLOCK_MONOTONIC at boot */

/* inode.c: nodes and lookup shared by all directories */
int proc_node_child(const struct proc_node *dir, const char *name, struct proc_node *out);
void proc_node_make(struct proc_node *out, const struct proc_entry *e, pid_t pid, pid_t tid,
		    int fd, unsigned id);
struct task *proc_reader_or_init(struct task *reader);

/* pid.c: per-process directories */
extern const struct proc_dir proc_pid_dir, proc_tid_dir;
extern const struct proc_entry proc_pid_dir_entry, proc_tid_dir_entry;
/* The thread group (and thread) a per-process node shows; -ENOENT once it is gone. The
 * task is the thread for task/<tid>/ nodes, else the group leader (NULL for a zombie
 * whose threads are all gone). */
int proc_node_target(const struct proc_node *n, struct thread_group **tg, struct task **t);
/* proc_node_target, then -EACCES when need_inspect and reader may not inspect it. */
int proc_node_target_for(const struct proc_node *n, struct task *reader, bool need_inspect,
			 struct thread_group **tg, struct task **t);
/* 0 while the process a node shows lives (always for system files), else -ENOENT. */
int proc_node_alive(const struct proc_node *n);
/* Linux's ptrace_may_access(PTRACE_MODE_READ_FSCREDS): may reader see tg's secrets? */
bool proc_may_inspect(struct task *reader, struct thread_group *tg, struct task *t);
void proc_node_owner(const struct proc_node *n, uid_t *uid, gid_t *gid);
const char *proc_task_comm(struct thread_group *tg, struct task *t);

/* pid_stat.c */
int proc_show_stat(struct proc_buf *b, const struct proc_node *n, struct task *reader);
int proc_show_status(struct proc_buf *b, const struct proc_node *n, struct task *reader);
int proc_show_statm(struct proc_buf *b, const struct proc_node *n, struct task *reader);
char proc_task_state(struct thread_group *tg, struct task *t);

/* pid_fd.c */
extern const struct proc_dir proc_fd_dir, proc_fdinfo_dir;
mode_t proc_fd_link_mode(const struct proc_node *n);

/* pid_maps.c */
int proc_show_maps(struct proc_buf *b, const struct proc_node *n, struct task *reader);

/* mountinfo.c */
int proc_show_mountinfo(struct proc_buf *b, const struct proc_node *n, struct task *reader);
int proc_show_mounts(struct proc_buf *b, const struct proc_node *n, struct task *reader);

/* system.c: the files at the top of /proc */
int proc_show_meminfo(struct proc_buf *b, const struct proc_node *n, struct task *reader);
int proc_show_cpuinfo(struct proc_buf *b, const struct proc_node *n, struct task *reader);
int proc_show_uptime(struct proc_buf *b, const struct proc_node *n, struct task *reader);
int proc_show_loadavg(struct proc_buf *b, const struct proc_node *n, struct task *reader);
int proc_show_locks(struct proc_buf *b, const struct proc_node *n, struct task *reader);
int proc_show_version(struct proc_buf *b, const struct proc_node *n, struct task *reader);
int proc_show_vmstat(struct proc_buf *b, const struct proc_node *n, struct task *reader);
int proc_show_stat_system(struct proc_buf *b, const struct proc_node *n, struct task *reader);
int proc_show_devices(struct proc_buf *b, const struct proc_node *n, struct task *reader);
int proc_show_filesystems(struct proc_buf *b, const struct proc_node *n, struct task *reader);
int proc_show_cmdline_system(struct proc_buf *b, const struct proc_node *n, struct task *reader);

/* sysctl.c */
extern const struct proc_dir proc_sys_dir;

/* The VFS core's /proc/filesystems lines (fs/mount.c). */
size_t vfs_format_filesystems(char *buf, size_t len);

#endif
