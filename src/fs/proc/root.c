/*
 * The top of /proc: the system files, files other subsystems register, "self",
 * "thread-self", and one directory per thread group.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs/proc/internal.h"

static uint64_t boot_ns;

uint64_t proc_boot_ns(void)
{
	return boot_ns;
}

static int self_readlink(const struct proc_node *n, struct task *reader, char *buf, size_t len)
{
	(void)n;
	if (!reader)
		return -ENOENT;
	snprintf(buf, len, "%d", reader->tg->tgid);
	return 0;
}

static int thread_self_readlink(const struct proc_node *n, struct task *reader, char *buf, size_t len)
{
	(void)n;
	if (!reader)
		return -ENOENT;
	snprintf(buf, len, "%d/task/%d", reader->tg->tgid, reader->tid);
	return 0;
}

static int mounts_readlink(const struct proc_node *n, struct task *reader, char *buf, size_t len)
{
	(void)n, (void)reader;
	snprintf(buf, len, "self/mounts");
	return 0;
}

static const struct proc_entry self_entry = {
	.name = "self", .mode = S_IFLNK | 0777, .readlink = self_readlink,
};
static const struct proc_entry thread_self_entry = {
	.name = "thread-self", .mode = S_IFLNK | 0777, .readlink = thread_self_readlink,
};

static const struct proc_entry root_entries[] = {
	{ .name = "cmdline",     .mode = S_IFREG | 0444, .show = proc_show_cmdline_system },
	{ .name = "cpuinfo",     .mode = S_IFREG | 0444, .show = proc_show_cpuinfo },
	{ .name = "devices",     .mode = S_IFREG | 0444, .show = proc_show_devices },
	{ .name = "filesystems", .mode = S_IFREG | 0444, .show = proc_show_filesystems },
	{ .name = "loadavg",     .mode = S_IFREG | 0444, .show = proc_show_loadavg },
	{ .name = "locks",       .mode = S_IFREG | 0444, .show = proc_show_locks },
	{ .name = "meminfo",     .mode = S_IFREG | 0444, .show = proc_show_meminfo },
	{ .name = "mounts",      .mode = S_IFLNK | 0777, .readlink = mounts_readlink },
	{ .name = "stat",        .mode = S_IFREG | 0444, .show = proc_show_stat_system },
	{ .name = "sys",         .mode = S_IFDIR | 0555, .dir = &proc_sys_dir },
	{ .name = "uptime",      .mode = S_IFREG | 0444, .show = proc_show_uptime },
	{ .name = "version",     .mode = S_IFREG | 0444, .show = proc_show_version },
	{ .name = "vmstat",      .mode = S_IFREG | 0444, .show = proc_show_vmstat },
};

/* Files other subsystems add (proc_register_file). */
#define MAX_REGISTERED 32
struct registered_file {
	int (*show)(struct proc_buf *b, struct task *reader);
	int (*write)(struct task *writer, const char *buf, size_t len);
};
static struct proc_entry registered[MAX_REGISTERED];
static struct registered_file registered_cb[MAX_REGISTERED];
static size_t nr_registered;

static int registered_show(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	const struct registered_file *r = n->entry->data;
	return r->show ? r->show(b, reader) : 0;
}

static int registered_write(const struct proc_node *n, struct task *writer, const char *buf, size_t len)
{
	const struct registered_file *r = n->entry->data;
	return r->write ? r->write(writer, buf, len) : -EINVAL;
}

int proc_register_file(const char *name, mode_t mode,
		       int (*show)(struct proc_buf *b, struct task *reader),
		       int (*write)(struct task *writer, const char *buf, size_t len))
{
	struct proc_node root, existing;
	proc_node_make(&root, &proc_root_entry, 0, 0, -1, 0);
	if (proc_node_child(&root, name, &existing) == 0)
		return -EEXIST;
	if (nr_registered == MAX_REGISTERED)
		return -ENOSPC;
	size_t i = nr_registered++;
	registered_cb[i] = (struct registered_file){ show, write };
	registered[i] = (struct proc_entry){
		.name = xstrdup(name), .mode = S_IFREG | (mode & 07777),
		.show = registered_show, .write = registered_write, .data = &registered_cb[i],
	};
	return 0;
}

/* Extra children of the root, by cursor: registered files, self, thread-self, then
 * the thread groups by pid (so a listing resumes correctly while processes come and go). */
#define CURSOR_SELF        MAX_REGISTERED
#define CURSOR_THREAD_SELF (MAX_REGISTERED + 1)
#define CURSOR_PIDS        (MAX_REGISTERED + 2)

static bool tg_visible(struct thread_group *tg)
{
	return tg && !tg->reaped;
}

static int parse_pid(const char *name)
{
	char *end;
	if (name[0] < '1' || name[0] > '9')
		return -1;
	long v = strtol(name, &end, 10);
	return *end || v >= PROC_PID_MAX ? -1 : (int)v;
}

static int root_lookup_extra(const struct proc_node *dir, const char *name, struct proc_node *out)
{
	(void)dir;
	for (size_t i = 0; i < nr_registered; i++) {
		if (strcmp(registered[i].name, name) == 0) {
			proc_node_make(out, &registered[i], 0, 0, -1, PROC_BASE_REGISTERED + (unsigned)i);
			return 0;
		}
	}
	if (strcmp(name, "self") == 0) {
		proc_node_make(out, &self_entry, 0, 0, -1, PROC_ID_SELF);
		return 0;
	}
	if (strcmp(name, "thread-self") == 0) {
		proc_node_make(out, &thread_self_entry, 0, 0, -1, PROC_ID_THREAD_SELF);
		return 0;
	}
	int pid = parse_pid(name);
	if (pid <= 0)
		return -ENOENT;
	if (tg_visible(tg_by_pid(pid))) {
		proc_node_make(out, &proc_pid_dir_entry, pid, 0, -1, PROC_ID_PID_DIR);
		return 0;
	}
	/* like Linux, a thread's id names it too, though listings show only groups */
	struct task *t = task_by_tid(pid);
	if (t && tg_visible(t->tg)) {
		proc_node_make(out, &proc_tid_dir_entry, t->tg->tgid, pid, -1, PROC_ID_TID_DIR);
		return 0;
	}
	return -ENOENT;
}

static bool emit_registered(struct proc_iter *it)
{
	off_t c;
	while ((c = it->file->pos - it->base) < (off_t)nr_registered) {
		const struct proc_entry *e = &registered[c];
		if (!proc_emit(it, e->name, PROC_INO(0, 0, -1, PROC_BASE_REGISTERED + (unsigned)c),
			       e->mode, it->file->pos + 1))
			return false;
	}
	if (c < CURSOR_SELF)
		it->file->pos = it->base + CURSOR_SELF;
	return true;
}

static bool root_iterate_extra(const struct proc_node *dir, struct proc_iter *it)
{
	(void)dir;
	if (!emit_registered(it))
		return false;
	if (it->file->pos - it->base == CURSOR_SELF &&
	    !proc_emit(it, "self", PROC_INO(0, 0, -1, PROC_ID_SELF), S_IFLNK, it->file->pos + 1))
		return false;
	if (it->file->pos - it->base == CURSOR_THREAD_SELF &&
	    !proc_emit(it, "thread-self", PROC_INO(0, 0, -1, PROC_ID_THREAD_SELF), S_IFLNK,
		       it->file->pos + 1))
		return false;
	for (off_t pid = it->file->pos - it->base - CURSOR_PIDS; pid < PROC_PID_MAX; pid++) {
		if (!tg_visible(tg_by_pid((pid_t)pid)))
			continue;
		char name[16];
		snprintf(name, sizeof(name), "%d", (int)pid);
		if (!proc_emit(it, name, PROC_INO(pid, 0, -1, PROC_ID_PID_DIR), S_IFDIR,
			       it->base + CURSOR_PIDS + pid + 1))
			return false;
	}
	it->file->pos = it->base + CURSOR_PIDS + PROC_PID_MAX;
	return true;
}

static unsigned root_count_extra_dirs(const struct proc_node *dir)
{
	(void)dir;
	unsigned n = 0;
	for (pid_t pid = 1; pid < PROC_PID_MAX; pid++)
		n += tg_visible(tg_by_pid(pid));
	return n;
}

const struct proc_dir proc_root_dir = {
	.entries = root_entries,
	.count = ARRAY_SIZE(root_entries),
	.ino_base = PROC_BASE_ROOT,
	.lookup_extra = root_lookup_extra,
	.iterate_extra = root_iterate_extra,
	.count_extra_dirs = root_count_extra_dirs,
};

const struct proc_entry proc_root_entry = {
	.name = "/", .mode = S_IFDIR | 0555, .dir = &proc_root_dir,
};

void procfs_init(void)
{
	if (!boot_ns)
		boot_ns = now_ns();
	vfs_register_fs(&proc_fs_type);
}
