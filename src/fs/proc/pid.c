/*
 * /proc/<pid>/ and /proc/<pid>/task/<tid>/: the per-process files, read from the thread
 * group and its tasks (and, for memory, from the task host the guest process runs in).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs/proc/format.h"
#include "fs/proc/hostproc.h"
#include "fs/proc/internal.h"
#include "task/task.h"

int proc_node_target(const struct proc_node *n, struct thread_group **tgp, struct task **tp)
{
	struct thread_group *tg = tg_by_pid(n->pid);
	if (!tg || tg->reaped)
		return -ENOENT;
	struct task *t;
	if (n->tid) {
		t = task_by_tid(n->tid);
		if (!t || t->tg != tg)
			return -ENOENT;
	} else {
		t = tg_leader(tg);
	}
	*tgp = tg;
	*tp = t;
	return 0;
}

int proc_node_alive(const struct proc_node *n)
{
	struct thread_group *tg;
	struct task *t;
	return n->pid ? proc_node_target(n, &tg, &t) : 0;
}

bool proc_may_inspect(struct task *reader, struct thread_group *tg, struct task *t)
{
	if (!reader || reader->tg == tg || cred_is_root(&reader->cred))
		return true;
	if (!t)
		return false;
	const struct cred *r = &reader->cred, *c = &t->cred;
	return r->fsuid == c->uid && r->fsuid == c->euid && r->fsuid == c->suid &&
	       r->fsgid == c->gid && r->fsgid == c->egid && r->fsgid == c->sgid;
}

/* Like Linux, a process's files belong to its effective ids. */
void proc_node_owner(const struct proc_node *n, uid_t *uid, gid_t *gid)
{
	struct thread_group *tg;
	struct task *t;
	*uid = 0;
	*gid = 0;
	if (n->pid && proc_node_target(n, &tg, &t) == 0 && t) {
		*uid = t->cred.euid;
		*gid = t->cred.egid;
	}
}

const char *proc_task_comm(struct thread_group *tg, struct task *t)
{
	return t && t->comm[0] ? t->comm : tg->comm;
}

int proc_node_target_for(const struct proc_node *n, struct task *reader, bool need_inspect,
			 struct thread_group **tg, struct task **t)
{
	int err = proc_node_target(n, tg, t);
	if (err < 0)
		return err;
	if (need_inspect && !proc_may_inspect(reader, *tg, *t))
		return -EACCES;
	return 0;
}

/* cmdline and environ: the bytes exec recorded, gone once the process is a zombie;
 * environ is readable only by those who may ptrace it (restricted). */
static int show_exec_bytes(struct proc_buf *b, const struct proc_node *n, struct task *reader,
			   bool environ)
{
	struct thread_group *tg;
	struct task *t;
	int err = proc_node_target_for(n, reader, environ, &tg, &t);
	if (err < 0)
		return err;
	const char *bytes = environ ? tg->environ : tg->cmdline;
	if (!tg->zombie && bytes)
		pbuf_put(b, bytes, environ ? tg->environ_len : tg->cmdline_len);
	return 0;
}

static int show_cmdline(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	return show_exec_bytes(b, n, reader, false);
}

static int show_environ(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	return show_exec_bytes(b, n, reader, true);
}

static int show_comm(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	struct thread_group *tg;
	struct task *t;
	int err = proc_node_target_for(n, reader, false, &tg, &t);
	if (err < 0)
		return err;
	proc_printf(b, "%s\n", proc_task_comm(tg, t));
	return 0;
}

/* Linux lets only the process itself rename its threads here; the bytes are taken as
 * they come (a trailing newline included), cut to 15. */
static int write_comm(const struct proc_node *n, struct task *writer, const char *buf, size_t len)
{
	struct thread_group *tg;
	struct task *t;
	int err = proc_node_target(n, &tg, &t);
	if (err < 0)
		return err;
	if (!t || !writer || writer->tg != tg)
		return -EINVAL;
	char comm[16] = { 0 };
	memcpy(comm, buf, len < sizeof(comm) - 1 ? len : sizeof(comm) - 1);
	memcpy(t->comm, comm, sizeof(comm));
	if (t->tid == tg->tgid)
		memcpy(tg->comm, comm, sizeof(comm));
	return 0;
}

static int show_limits(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	struct thread_group *tg;
	struct task *t;
	int err = proc_node_target_for(n, reader, false, &tg, &t);
	if (err < 0)
		return err;
	proc_format_limits(b, tg->rlim);
	return 0;
}

/* The target's cwd or root, if reader may see it. */
static int task_path(const struct proc_node *n, struct task *reader, bool root, struct task **owner,
		     struct path **out)
{
	struct thread_group *tg;
	struct task *t;
	int err = proc_node_target_for(n, reader, true, &tg, &t);
	if (err < 0)
		return err;
	if (!t || !t->fs)
		return -ENOENT;
	*owner = t;
	*out = root ? &t->fs->root : &t->fs->cwd;
	return 0;
}

static int path_link(const struct proc_node *n, struct task *reader, bool root, char *buf, size_t len)
{
	struct task *t;
	struct path *p;
	int err = task_path(n, reader, root, &t, &p);
	if (err < 0)
		return err;
	struct task *viewer = reader && reader->fs ? reader : t;
	return path_to_string_deleted(viewer, p, buf, len);
}

static int path_link_get(const struct proc_node *n, struct task *reader, bool root, struct path *out)
{
	struct task *t;
	struct path *p;
	int err = task_path(n, reader, root, &t, &p);
	if (err < 0)
		return err;
	*out = *p;
	path_get(out);
	return 0;
}

static int cwd_readlink(const struct proc_node *n, struct task *reader, char *buf, size_t len)
{
	return path_link(n, reader, false, buf, len);
}

static int cwd_get_path(const struct proc_node *n, struct task *reader, struct path *out)
{
	return path_link_get(n, reader, false, out);
}

static int root_readlink(const struct proc_node *n, struct task *reader, char *buf, size_t len)
{
	return path_link(n, reader, true, buf, len);
}

static int root_get_path(const struct proc_node *n, struct task *reader, struct path *out)
{
	return path_link_get(n, reader, true, out);
}

static int exe_readlink(const struct proc_node *n, struct task *reader, char *buf, size_t len)
{
	struct thread_group *tg;
	struct task *t;
	int err = proc_node_target_for(n, reader, true, &tg, &t);
	if (err < 0)
		return err;
	if (tg->zombie || !tg->exe[0])
		return -ENOENT;
	if (strlen(tg->exe) + 1 > len)
		return -ENAMETOOLONG;
	strcpy(buf, tg->exe);
	return 0;
}

/* exe is a magic link in Linux (RESOLVE_NO_MAGICLINKS refuses it); here the path exec
 * recorded is followed as text. */
static int exe_get_path(const struct proc_node *n, struct task *reader, struct path *out)
{
	(void)n, (void)reader, (void)out;
	return LINK_MAGIC_TEXT;
}

static int show_cgroup(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)n, (void)reader;
	pbuf_puts(b, "0::/\n");
	return 0;
}

static int show_oom_score(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)n, (void)reader;
	pbuf_puts(b, "0\n");
	return 0;
}

/*
 * Values a process can set here that no kernel object holds yet (oom_score_adj,
 * loginuid). Kept per pid with the group's start time, so a reused pid starts fresh.
 * They are not inherited across fork, unlike Linux's.
 */
struct pid_value {
	uint64_t start_ns;
	long value;
	bool set;
};
static struct pid_value oom_adj_values[PROC_PID_MAX], loginuid_values[PROC_PID_MAX];

static long pid_value_get(const struct pid_value *tab, struct thread_group *tg, long dflt)
{
	const struct pid_value *v = &tab[tg->tgid];
	return v->set && v->start_ns == tg->start_time_ns ? v->value : dflt;
}

static void pid_value_set(struct pid_value *tab, struct thread_group *tg, long value)
{
	tab[tg->tgid] = (struct pid_value){ tg->start_time_ns, value, true };
}

static int parse_long(const char *buf, size_t len, long *out)
{
	char tmp[32];
	if (len == 0 || len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, len);
	tmp[len] = 0;
	char *end;
	*out = strtol(tmp, &end, 10);
	while (*end == '\n' || *end == ' ' || *end == '\t')
		end++;
	return end == tmp || *end ? -EINVAL : 0;
}

static int show_oom_score_adj(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	struct thread_group *tg;
	struct task *t;
	int err = proc_node_target_for(n, reader, false, &tg, &t);
	if (err < 0)
		return err;
	proc_printf(b, "%ld\n", pid_value_get(oom_adj_values, tg, 0));
	return 0;
}

/* Any owner may raise it; lowering it takes CAP_SYS_RESOURCE, as in Linux. */
static int write_oom_score_adj(const struct proc_node *n, struct task *writer, const char *buf, size_t len)
{
	struct thread_group *tg;
	struct task *t;
	long v;
	int err = proc_node_target(n, &tg, &t);
	if (err < 0)
		return err;
	if (parse_long(buf, len, &v) < 0 || v < -1000 || v > 1000)
		return -EINVAL;
	if (writer && !cred_is_root(&writer->cred) && v < pid_value_get(oom_adj_values, tg, 0))
		return -EACCES;
	pid_value_set(oom_adj_values, tg, v);
	return 0;
}

/* Linux prints these two without a newline. */
static int show_loginuid(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	struct thread_group *tg;
	struct task *t;
	int err = proc_node_target_for(n, reader, false, &tg, &t);
	if (err < 0)
		return err;
	proc_printf(b, "%u", (unsigned)pid_value_get(loginuid_values, tg, -1));
	return 0;
}

static int write_loginuid(const struct proc_node *n, struct task *writer, const char *buf, size_t len)
{
	struct thread_group *tg;
	struct task *t;
	long v;
	int err = proc_node_target(n, &tg, &t);
	if (err < 0)
		return err;
	if (writer && !cred_is_root(&writer->cred))
		return -EPERM;
	if (parse_long(buf, len, &v) < 0 || v < -1 || v > 4294967295L)
		return -EINVAL;
	pid_value_set(loginuid_values, tg, v);
	return 0;
}

static int show_sessionid(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)n, (void)reader;
	pbuf_puts(b, "4294967295");
	return 0;
}

/* task/: one directory per thread, listed by tid. */
static int task_lookup_extra(const struct proc_node *dir, const char *name, struct proc_node *out)
{
	char *end;
	long tid = strtol(name, &end, 10);
	if (*end || tid <= 0 || tid >= PROC_PID_MAX)
		return -ENOENT;
	struct task *t = task_by_tid((pid_t)tid);
	if (!t || t->tg->tgid != dir->pid)
		return -ENOENT;
	proc_node_make(out, &proc_tid_dir_entry, dir->pid, (pid_t)tid, -1, PROC_ID_TID_DIR);
	return 0;
}

/* The smallest tid in tg at or above from, or 0. */
static pid_t next_tid(struct thread_group *tg, pid_t from)
{
	pid_t best = 0;
	struct list_head *p;
	list_for_each(p, &tg->threads) {
		pid_t tid = list_entry(p, struct task, thread_link)->tid;
		if (tid >= from && (!best || tid < best))
			best = tid;
	}
	return best;
}

static bool task_iterate_extra(const struct proc_node *dir, struct proc_iter *it)
{
	struct thread_group *tg = tg_by_pid(dir->pid);
	if (!tg)
		return true;
	pid_t tid;
	while ((tid = next_tid(tg, (pid_t)(it->file->pos - it->base))) != 0) {
		char name[16];
		snprintf(name, sizeof(name), "%d", tid);
		if (!proc_emit(it, name, PROC_INO(dir->pid, tid, -1, PROC_ID_TID_DIR), S_IFDIR,
			       it->base + tid + 1))
			return false;
	}
	it->file->pos = it->base + PROC_PID_MAX;
	return true;
}

static unsigned task_count_extra_dirs(const struct proc_node *dir)
{
	struct thread_group *tg = tg_by_pid(dir->pid);
	return tg ? (unsigned)tg->nr_threads : 0;
}

static const struct proc_dir task_dir = {
	.lookup_extra = task_lookup_extra,
	.iterate_extra = task_iterate_extra,
	.count_extra_dirs = task_count_extra_dirs,
	.ino_base = PROC_BASE_TID,
};

#define FILE_ENTRY(n, m, fn) { .name = n, .mode = S_IFREG | (m), .show = fn }
#define RW_ENTRY(n, fn, wfn) { .name = n, .mode = S_IFREG | 0644, .show = fn, .write = wfn }
#define DIR_ENTRY(n, m, d)   { .name = n, .mode = S_IFDIR | (m), .dir = d }

/* In Linux's order (fs/proc/base.c lists them so). A thread's directory has the same
 * files but task/, which comes first so the thread table can start after it. */
static const struct proc_entry pid_entries[] = {
	DIR_ENTRY("task", 0555, &task_dir),
	DIR_ENTRY("fd", 0500, &proc_fd_dir),
	DIR_ENTRY("fdinfo", 0555, &proc_fdinfo_dir),
	FILE_ENTRY("environ", 0400, show_environ),
	FILE_ENTRY("status", 0444, proc_show_status),
	FILE_ENTRY("limits", 0444, show_limits),
	RW_ENTRY("comm", show_comm, write_comm),
	FILE_ENTRY("cmdline", 0444, show_cmdline),
	FILE_ENTRY("stat", 0444, proc_show_stat),
	FILE_ENTRY("statm", 0444, proc_show_statm),
	FILE_ENTRY("maps", 0444, proc_show_maps),
	{ .name = "cwd", .mode = S_IFLNK | 0777, .readlink = cwd_readlink, .get_path = cwd_get_path },
	{ .name = "root", .mode = S_IFLNK | 0777, .readlink = root_readlink, .get_path = root_get_path },
	{ .name = "exe", .mode = S_IFLNK | 0777, .readlink = exe_readlink, .get_path = exe_get_path },
	FILE_ENTRY("mounts", 0444, proc_show_mounts),
	FILE_ENTRY("mountinfo", 0444, proc_show_mountinfo),
	FILE_ENTRY("cgroup", 0444, show_cgroup),
	FILE_ENTRY("oom_score", 0444, show_oom_score),
	RW_ENTRY("oom_score_adj", show_oom_score_adj, write_oom_score_adj),
	RW_ENTRY("loginuid", show_loginuid, write_loginuid),
	FILE_ENTRY("sessionid", 0444, show_sessionid),
};

const struct proc_dir proc_pid_dir = {
	.entries = pid_entries, .count = ARRAY_SIZE(pid_entries), .ino_base = PROC_BASE_PID,
};
const struct proc_dir proc_tid_dir = {
	.entries = pid_entries + 1, .count = ARRAY_SIZE(pid_entries) - 1, .ino_base = PROC_BASE_TID,
};
const struct proc_entry proc_pid_dir_entry = { .name = "<pid>", .mode = S_IFDIR | 0555, .dir = &proc_pid_dir };
const struct proc_entry proc_tid_dir_entry = { .name = "<tid>", .mode = S_IFDIR | 0555, .dir = &proc_tid_dir };
