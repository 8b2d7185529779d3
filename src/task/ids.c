/* Process identity: pids, process groups, sessions, credentials. */
#include <string.h>
#include "kernel/kernel.h"
#include "fs/vfs.h"
#include "platform/platform.h"
#include "sys/syscalls.h"
#include "task/task.h"

bool cred_is_root(const struct cred *c) { return c->euid == 0; }

bool cred_in_group(const struct cred *c, gid_t gid)
{
	if (c->fsgid == gid)
		return true;
	for (int i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

long sys_getpid(struct task *t, struct syscall_args *a) { (void)a; return t->tg->tgid; }
long sys_gettid(struct task *t, struct syscall_args *a) { (void)a; return t->tid; }
long sys_getppid(struct task *t, struct syscall_args *a)
{
	(void)a;
	return t->tg->parent ? t->tg->parent->tgid : 0;
}
long sys_getuid(struct task *t, struct syscall_args *a) { (void)a; return t->cred.uid; }
long sys_geteuid(struct task *t, struct syscall_args *a) { (void)a; return t->cred.euid; }
long sys_getgid(struct task *t, struct syscall_args *a) { (void)a; return t->cred.gid; }
long sys_getegid(struct task *t, struct syscall_args *a) { (void)a; return t->cred.egid; }

long sys_set_tid_address(struct task *t, struct syscall_args *a)
{
	/* the host keeps the address for its CLEARTID work at exit; we keep our copy */
	t->clear_child_tid = a->a[0];
	unsigned long addr = a->a[0];
	long r = platform_inject(t, 218 /* __NR_set_tid_address */, (long)addr, 0, 0, 0, 0, 0);
	(void)r;
	return t->tid;
}

long sys_getpgid(struct task *t, struct syscall_args *a)
{
	pid_t pid = (pid_t)a->a[0];
	if (pid == 0)
		return t->tg->pgid;
	struct thread_group *tg = tg_by_pid(pid);
	return tg && !tg->zombie ? tg->pgid : -ESRCH;
}

long sys_getpgrp(struct task *t, struct syscall_args *a) { (void)a; return t->tg->pgid; }

long sys_getsid(struct task *t, struct syscall_args *a)
{
	pid_t pid = (pid_t)a->a[0];
	if (pid == 0)
		return t->tg->sid;
	struct thread_group *tg = tg_by_pid(pid);
	return tg && !tg->zombie ? tg->sid : -ESRCH;
}

static bool pgrp_exists_in_session(pid_t pgid, pid_t sid)
{
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct task *x = list_entry(p, struct task, all_link);
		if (x->tg->pgid == pgid && x->tg->sid == sid)
			return true;
	}
	return false;
}

long sys_setpgid(struct task *t, struct syscall_args *a)
{
	pid_t pid = (pid_t)a->a[0], pgid = (pid_t)a->a[1];
	if (pgid < 0)
		return -EINVAL;
	struct thread_group *target = pid ? tg_by_pid(pid) : t->tg;
	if (!target || target->zombie)
		return -ESRCH;
	if (target != t->tg) {
		if (target->parent != t->tg)
			return -ESRCH;
		if (target->sid != t->tg->sid)
			return -EPERM;
		if (target->exec_seen_by_parent)
			return -EACCES;
	}
	if (target->sid == target->tgid)
		return -EPERM;   /* a session leader */
	if (pgid == 0)
		pgid = target->tgid;
	if (pgid != target->tgid && !pgrp_exists_in_session(pgid, t->tg->sid))
		return -EPERM;
	target->pgid = pgid;
	return 0;
}

long sys_setsid(struct task *t, struct syscall_args *a)
{
	(void)a;
	struct thread_group *tg = t->tg;
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct task *x = list_entry(p, struct task, all_link);
		if (x->tg->pgid == tg->tgid)
			return -EPERM;   /* already a group leader (or the id is a group) */
	}
	tg->sid = tg->pgid = tg->tgid;
	tg->ctty = NULL;
	return tg->sid;
}

long sys_umask(struct task *t, struct syscall_args *a)
{
	mode_t old = t->fs->umask;
	t->fs->umask = (mode_t)a->a[0] & 0777;
	return old;
}

/*
 * POSIX: a process group is orphaned when no member has a parent in another group of
 * the same session; its terminal stop signals are dropped. Linux never counts init as
 * such a parent. Ours does when init holds a controlling terminal: umlinux makes init a
 * session leader on con0 (docs/architecture.md), and then a shell as init must be able
 * to stop its jobs with ^Z as a login shell can.
 */
bool pgrp_is_orphaned(pid_t pgid)
{
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct thread_group *tg = list_entry(p, struct task, all_link)->tg;
		struct thread_group *parent = tg->parent;
		if (tg->pgid != pgid || tg->zombie || !parent || parent->zombie)
			continue;
		if (parent == init_tg && !init_tg->ctty)
			continue;
		if (parent->pgid != pgid && parent->sid == tg->sid)
			return false;
	}
	return true;
}
