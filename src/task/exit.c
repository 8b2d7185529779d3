/*
 * Exit and wait: a task host's death (seen by waitpid on the host) becomes a guest
 * thread exit; the last thread makes the process a zombie for its guest parent, whose
 * wait4/waitid are served from our bookkeeping. Orphans go to the nearest subreaper or
 * init. init's death panics, as Linux does.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "drivers/tty/tty.h"
#include "fs/vfs.h"
#include "ipc/ipc.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "platform/platform.h"
#include "platform/ptrace_int.h"
#include "signal/signal.h"
#include "signal/timers.h"
#include "task/accounting.h"
#include "task/task.h"

static void tg_free(struct thread_group *tg)
{
	tg_unregister(tg);
	list_del_init(&tg->sibling);
	list_del_init(&tg->timer_link);
	pid_free(tg->tgid);
	sighand_put(tg->sighand);
	free(tg->cmdline);
	free(tg->environ);
	struct list_head *p, *n;
	list_for_each_safe(p, n, &tg->pending_info) {
		list_del_init(p);
		free(list_entry(p, struct pending_info, link));
	}
	free(tg);
}

static struct thread_group *find_reaper(struct thread_group *tg)
{
	for (struct thread_group *up = tg->parent; up; up = up->parent)
		if (up->child_subreaper && !up->zombie && up->nr_threads > 0)
			return up;
	return init_tg;
}

static bool parent_autoreaps(struct thread_group *parent)
{
	struct k_sigaction *sa = &parent->sighand->action[SIGCHLD];
	return sa->handler == (unsigned long)SIG_IGN || (sa->flags & SA_NOCLDWAIT);
}

static void notify_parent_exit(struct thread_group *tg)
{
	struct thread_group *parent = tg->parent;
	if (!parent)
		return;
	int st = tg->exit_status;
	if (tg->exit_signal > 0) {
		siginfo_t info;
		memset(&info, 0, sizeof(info));
		info.si_signo = tg->exit_signal;
		info.si_pid = tg->tgid;
		info.si_uid = tg->exit_uid;
		if (WIFEXITED(st)) {
			info.si_code = CLD_EXITED;
			info.si_status = WEXITSTATUS(st);
		} else {
			info.si_code = WCOREDUMP(st) ? CLD_DUMPED : CLD_KILLED;
			info.si_status = WTERMSIG(st);
		}
		info.si_utime = (clock_t)(tg->utime_ns / 10000000ULL);
		info.si_stime = (clock_t)(tg->stime_ns / 10000000ULL);
		signal_send_tg(parent, tg->exit_signal, &info);
	}
	waitq_wake_all(&parent->child_wait);
}

/* PR_SET_PDEATHSIG: sent as if by the dying parent with kill(2). */
static void send_pdeath_signal(struct thread_group *c, pid_t from, uid_t uid)
{
	if (!c->pdeath_signal)
		return;
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	info.si_signo = c->pdeath_signal;
	info.si_code = SI_USER;
	info.si_pid = from;
	info.si_uid = uid;
	signal_send_tg(c, c->pdeath_signal, &info);
}

/* In Linux a child's parent is the thread that forked it: when that thread exits, the
 * child passes to another thread of the process, and gets its parent-death signal. */
static void reparent_from_thread(struct task *t)
{
	struct task *heir = tg_leader(t->tg);
	struct list_head *p;
	list_for_each(p, &t->tg->children) {
		struct thread_group *c = list_entry(p, struct thread_group, sibling);
		if (c->parent_tid != t->tid)
			continue;
		c->parent_tid = heir ? heir->tid : t->tg->tgid;
		send_pdeath_signal(c, t->tg->tgid, t->cred.uid);
	}
}

static void reparent_children(struct thread_group *tg)
{
	struct thread_group *reaper = find_reaper(tg);
	struct task *reaper_thread = tg_leader(reaper);
	struct list_head *p, *n;
	list_for_each_safe(p, n, &tg->children) {
		struct thread_group *c = list_entry(p, struct thread_group, sibling);
		list_del_init(&c->sibling);
		c->parent = reaper;
		c->parent_tid = reaper_thread ? reaper_thread->tid : reaper->tgid;
		c->exit_signal = SIGCHLD;
		list_add_tail(&c->sibling, &reaper->children);
		send_pdeath_signal(c, tg->tgid, tg->exit_uid);
		if (c->zombie) {
			if (parent_autoreaps(reaper))
				tg_free(c);
			else
				notify_parent_exit(c);
		}
	}
}

static void process_exit(struct thread_group *tg)
{
	if (tg == init_tg) {
		int st = tg->exit_status;
		printk_emergency_init_death(st);
		kernel_halt(HALT_PANIC, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	}
	timers_exit(tg);
	ipc_exit(tg);
	if (tg->sid == tg->tgid)
		tty_session_leader_exit(tg);
	reparent_children(tg);
	tg->zombie = true;
	if (tg->parent && parent_autoreaps(tg->parent)) {
		waitq_wake_all(&tg->parent->child_wait);
		tg_free(tg);
		return;
	}
	notify_parent_exit(tg);
}

static void task_release(struct task *t)
{
	if (t->park_abort)
		t->park_abort(t);
	task_drop_waits(t);
	task_clear_deadline(t);
	if (t->on_runq) {
		list_del_init(&t->runq_link);
		t->on_runq = false;
	}
	files_put(t->files);
	fs_struct_put(t->fs);
	t->files = NULL;
	t->fs = NULL;
	task_unregister(t);
	struct list_head *p, *n;
	list_for_each_safe(p, n, &t->pending_info) {
		list_del_init(p);
		free(list_entry(p, struct pending_info, link));
	}
	if (t->tid != t->tg->tgid)
		pid_free(t->tid);
	free(t);
}

void task_host_died(struct task *t, int status)
{
	struct thread_group *tg = t->tg;
	t->state = TASK_DEAD;
	if (t->tid == tg->tgid || tg->nr_threads == 1)
		tg->exit_status = status;
	list_del_init(&t->thread_link);
	tg->nr_threads--;
	bool last = tg->nr_threads == 0;
	if (last)
		tg->exit_uid = t->cred.uid;   /* SIGCHLD and wait report the dead process's uid */
	else
		reparent_from_thread(t);
	task_release(t);
	if (last)
		process_exit(tg);
}

/* Does child c match wait4's pid argument for the waiting process w? */
static bool wait_matches(struct thread_group *w, struct thread_group *c, pid_t pid, int options)
{
	if (pid > 0 && c->tgid != pid)
		return false;
	if (pid == 0 && c->pgid != w->pgid)
		return false;
	if (pid < -1 && c->pgid != -pid)
		return false;
	bool clone_child = c->exit_signal != SIGCHLD;
	if (!(options & __WALL) && clone_child != !!(options & __WCLONE))
		return false;
	return true;
}

struct wait_result { pid_t pid; int status; int code; uid_t uid; struct rusage ru; };

static uid_t tg_uid(struct thread_group *tg)
{
	struct task *l = tg_leader(tg);
	return l ? l->cred.uid : tg->exit_uid;
}

/* One pass over the children; 1 with a result, 0 when some match but none is ready,
 * -ECHILD when none match. */
static int wait_scan(struct task *t, pid_t pid, int options, bool consume, struct wait_result *r)
{
	struct thread_group *w = t->tg;
	bool any = false;
	struct list_head *p, *n;
	list_for_each_safe(p, n, &w->children) {
		struct thread_group *c = list_entry(p, struct thread_group, sibling);
		if (!wait_matches(w, c, pid, options))
			continue;
		any = true;
		if (c->zombie && (options & WEXITED)) {
			r->pid = c->tgid;
			r->status = c->exit_status;
			r->code = WIFEXITED(c->exit_status) ? CLD_EXITED :
				  WCOREDUMP(c->exit_status) ? CLD_DUMPED : CLD_KILLED;
			r->uid = c->exit_uid;
			tg_wait_rusage(c, &r->ru);
			if (consume) {
				tg_reap_account(w, c);
				tg_free(c);
			}
			return 1;
		}
		if ((options & WUNTRACED) && c->stopped && !c->stop_reported) {
			r->pid = c->tgid;
			r->status = (c->stop_signal << 8) | 0x7f;
			r->code = CLD_STOPPED;
			r->uid = tg_uid(c);
			tg_wait_rusage(c, &r->ru);
			if (consume)
				c->stop_reported = true;
			return 1;
		}
		if ((options & WCONTINUED) && c->cont_reported) {
			r->pid = c->tgid;
			r->status = 0xffff;
			r->code = CLD_CONTINUED;
			r->uid = tg_uid(c);
			tg_wait_rusage(c, &r->ru);
			if (consume)
				c->cont_reported = false;
			return 1;
		}
	}
	return any ? 0 : -ECHILD;
}

long sys_wait4(struct task *t, struct syscall_args *a)
{
	pid_t pid = (pid_t)a->a[0];
	int options = (int)a->a[2];
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE | __WNOTHREAD))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	struct wait_result r;
	int found = wait_scan(t, pid, options | WEXITED, true, &r);
	if (found < 0)
		return found;
	if (found == 0) {
		if (options & WNOHANG)
			return 0;
		task_wait_on(t, &t->tg->child_wait);
		return SYSRET_BLOCK;
	}
	if (a->a[1] && guest_write(t, a->a[1], &r.status, sizeof(int)) < 0)
		return -EFAULT;
	if (a->a[3] && guest_write(t, a->a[3], &r.ru, sizeof(r.ru)) < 0)
		return -EFAULT;
	return r.pid;
}

long sys_waitid(struct task *t, struct syscall_args *a)
{
	int which = (int)a->a[0];
	pid_t id = (pid_t)a->a[1];
	int options = (int)a->a[3];
	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WALL | __WCLONE | __WNOTHREAD))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	pid_t pid;
	switch (which) {
	case P_ALL: pid = -1; break;
	case P_PID: if (id <= 0) return -EINVAL; pid = id; break;
	case P_PGID: if (id < 0) return -EINVAL; pid = id ? -id : 0; break;
	default: return -EINVAL;
	}
	int wopts = options & ~WSTOPPED;
	if (options & WSTOPPED)
		wopts |= WUNTRACED;
	struct wait_result r;
	int found = wait_scan(t, pid, wopts, !(options & WNOWAIT), &r);
	if (found < 0)
		return found;
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	if (found == 0) {
		if (options & WNOHANG)
			return a->a[2] && guest_write(t, a->a[2], &info, sizeof(info)) < 0 ? -EFAULT : 0;
		task_wait_on(t, &t->tg->child_wait);
		return SYSRET_BLOCK;
	}
	info.si_signo = SIGCHLD;
	info.si_code = r.code;
	info.si_pid = r.pid;
	info.si_uid = r.uid;
	if (r.code == CLD_EXITED)
		info.si_status = WEXITSTATUS(r.status);
	else if (r.code == CLD_STOPPED)
		info.si_status = WSTOPSIG(r.status);
	else if (r.code == CLD_CONTINUED)
		info.si_status = SIGCONT;
	else
		info.si_status = WTERMSIG(r.status);
	if (a->a[4] && guest_write(t, a->a[4], &r.ru, sizeof(r.ru)) < 0)
		return -EFAULT;
	if (a->a[2] && guest_write(t, a->a[2], &info, sizeof(info)) < 0)
		return -EFAULT;
	return 0;
}
