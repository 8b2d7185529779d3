/*
 * Guest signals over host signals. Sending: record the guest siginfo, send the host
 * signal to the task host, and interrupt a parked syscall the signal should break.
 * Delivery: the host stops the task at the signal-delivery stop; we put the guest
 * siginfo in, do job-control stops ourselves, and let the host run the handler (it
 * builds the frame with the full xstate) or the default action.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/kernel.h"
#include "platform/hostusage.h"
#include "platform/platform.h"
#include "signal/signal.h"
#include "sys/syscalls.h"
#include "task/accounting.h"
#include "task/task.h"

#define SIGMASK(s) (1ULL << ((s) - 1))
#define STOP_SIGS (SIGMASK(SIGSTOP) | SIGMASK(SIGTSTP) | SIGMASK(SIGTTIN) | SIGMASK(SIGTTOU))
#define IGNORE_SIGS (SIGMASK(SIGCHLD) | SIGMASK(SIGURG) | SIGMASK(SIGWINCH) | SIGMASK(SIGCONT))

struct sighand *sighand_copy(struct sighand *old)
{
	struct sighand *sh = xcalloc(1, sizeof(*sh));
	if (old)
		memcpy(sh->action, old->action, sizeof(sh->action));
	sh->refcount = 1;
	return sh;
}

void sighand_put(struct sighand *sh)
{
	if (sh && --sh->refcount == 0)
		free(sh);
}

void signal_exec_reset(struct thread_group *tg)
{
	if (tg->sighand->refcount > 1) {
		struct sighand *sh = sighand_copy(tg->sighand);
		sighand_put(tg->sighand);
		tg->sighand = sh;
	}
	for (int s = 1; s < KSIG_MAX; s++) {
		struct k_sigaction *sa = &tg->sighand->action[s];
		if (sa->handler != (unsigned long)SIG_IGN)
			memset(sa, 0, sizeof(*sa));
	}
}

static bool default_ignores(int sig) { return sig < 64 && (IGNORE_SIGS & SIGMASK(sig)); }
static bool default_stops(int sig) { return sig < 64 && (STOP_SIGS & SIGMASK(sig)); }

bool signal_is_ignored(struct thread_group *tg, int sig)
{
	if (sig == SIGKILL || sig == SIGSTOP)
		return false;
	unsigned long h = tg->sighand->action[sig].handler;
	return h == (unsigned long)SIG_IGN || (h == (unsigned long)SIG_DFL && default_ignores(sig));
}

/* ptrace reads the mask of a stopped task host; a running one's comes from the host. */
static uint64_t task_sigmask(struct task *t)
{
	uint64_t mask = 0;
	if (sigwait_real_blocked(t, &mask))
		return mask;
	if (ptrace(PTRACE_GETSIGMASK, t->host_tid, sizeof(mask), &mask) < 0)
		host_blocked_signals(t->tg->host_tgid, t->host_tid, &mask);
	return mask;
}

bool signal_is_blocked(struct task *t, int sig)
{
	return (task_sigmask(t) & SIGMASK(sig)) != 0;
}

/* Linux never discards a blocked signal as ignored: the handler may change before it is
 * unblocked. A process-directed signal is judged by the thread it names (the leader). */
static bool discard_ignored(struct thread_group *tg, struct task *target, int sig)
{
	if (!signal_is_ignored(tg, sig))
		return false;
	struct task *t = target ? target : tg_leader(tg);
	return !t || !(task_sigmask(t) & SIGMASK(sig));
}

/* A stop signal with its default action: SIGSTOP always stops, SIGTSTP, SIGTTIN and
 * SIGTTOU are dropped in an orphaned process group. 1 stop, 0 not a stop, -1 drop. */
static int default_stop_action(struct thread_group *tg, int sig)
{
	if (sig == SIGSTOP)
		return 1;
	if (!default_stops(sig) || tg->sighand->action[sig].handler != (unsigned long)SIG_DFL)
		return 0;
	return pgrp_is_orphaned(tg->pgid) ? -1 : 1;
}

void signal_user_info(siginfo_t *info, int sig, struct task *sender)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = SI_USER;
	info->si_pid = sender ? sender->tg->tgid : 0;
	info->si_uid = sender ? sender->cred.uid : 0;
}

/* Calls that a handler never restarts (Linux returns EINTR or ERESTARTNOHAND). */
static bool never_restarts(long nr)
{
	switch (nr) {
	case __NR_poll: case __NR_ppoll: case __NR_select: case __NR_pselect6:
	case __NR_epoll_wait: case __NR_epoll_pwait: case __NR_epoll_pwait2:
	case __NR_rt_sigtimedwait: case __NR_nanosleep: case __NR_clock_nanosleep:
	case __NR_pause: case __NR_rt_sigsuspend: case __NR_msgrcv: case __NR_msgsnd:
	case __NR_semop: case __NR_semtimedop:
		return true;
	}
	return false;
}

/*
 * A signal sent while the task sat at a syscall stop the kernel had not handled yet is
 * pending on the host, where a task parked at that stop never takes it. Returns such a
 * signal if one is deliverable now, else 0. Process-directed ones count only for a
 * single thread: with more, a running sibling may take it.
 */
int signal_queued_deliverable(struct task *t)
{
	struct list_head *lists[2] = { &t->pending_info, &t->tg->pending_info };
	uint64_t mask = 0, host_pending = 0;
	bool have_mask = false;
	for (int i = 0; i < (t->tg->nr_threads == 1 ? 2 : 1); i++) {
		struct list_head *p;
		list_for_each(p, lists[i]) {
			int sig = list_entry(p, struct pending_info, link)->signo;
			if (signal_is_ignored(t->tg, sig))
				continue;
			if (!have_mask) {
				mask = task_sigmask(t);
				host_pending = platform_pending_signals(t);
				have_mask = true;
			}
			/* a guest siginfo whose host signal is gone (discarded when the guest
			 * ignored it, taken by sigtimedwait) is stale: it must not interrupt */
			if (!(mask & SIGMASK(sig)) && (host_pending & SIGMASK(sig)))
				return sig;
		}
	}
	return 0;
}

void signal_interrupt_parked(struct task *t, int sig)
{
	if (t->state != TASK_PARKED || t->stop != STOP_SECCOMP)
		return;
	if (sig != SIGKILL && (task_sigmask(t) & SIGMASK(sig)))
		return;
	/* A disk request: the signal is delivered when it is done, as in Linux. */
	if (sig != SIGKILL && t->park_uninterruptible)
		return;
	struct k_sigaction *sa = &t->tg->sighand->action[sig];
	bool handler = sa->handler != (unsigned long)SIG_DFL && sa->handler != (unsigned long)SIG_IGN;
	task_drop_waits(t);
	task_clear_deadline(t);
	if (t->on_runq) {
		list_del_init(&t->runq_link);
		t->on_runq = false;
	}
	if (t->park_abort) {
		t->park_abort(t);
		t->park_abort = NULL;
	}
	t->park_uninterruptible = false;
	t->regs.orig_rax = (unsigned long)-1;
	if (t->io_progress) {
		t->regs.rax = t->io_progress;  /* a partly done write returns its count */
		t->io_progress = 0;
	} else if (handler && (sa->flags & SA_RESTART) && !never_restarts(t->sc.nr)) {
		t->regs.rax = (unsigned long)t->sc.nr;   /* re-issued after the handler */
		t->regs.rip -= 2;
		t->regs.rdi = t->sc.a[0]; t->regs.rsi = t->sc.a[1]; t->regs.rdx = t->sc.a[2];
		t->regs.r10 = t->sc.a[3]; t->regs.r8 = t->sc.a[4]; t->regs.r9 = t->sc.a[5];
	} else if (!handler && t->sc.nr != __NR_rt_sigtimedwait && !never_restarts(t->sc.nr)) {
		/* no handler runs (e.g. a stop/continue): transparently restart */
		t->regs.rax = (unsigned long)t->sc.nr;
		t->regs.rip -= 2;
	} else {
		t->regs.rax = (unsigned long)-EINTR;
	}
	t->regs_dirty = true;
	t->in_syscall = false;
	t->state = TASK_RUNNING;
	task_resume(t, 0);
}

static bool info_queued(struct list_head *list, int sig)
{
	struct list_head *p;
	list_for_each(p, list)
		if (list_entry(p, struct pending_info, link)->signo == sig)
			return true;
	return false;
}

static void queue_info(struct list_head *list, int sig, const siginfo_t *info)
{
	/* A standard signal does not queue: while one is pending, another of the same
	 * number is merged into it and the first one's siginfo is what is delivered. */
	if (sig < SIGRTMIN && info_queued(list, sig))
		return;
	struct pending_info *pi = xcalloc(1, sizeof(*pi));
	pi->signo = sig;
	if (info)
		pi->info = *info;
	else {
		pi->info.si_signo = sig;
		pi->info.si_code = SI_KERNEL;
	}
	list_add_tail(&pi->link, list);
}

static bool take_info(struct list_head *list, int sig, siginfo_t *out)
{
	struct list_head *p;
	list_for_each(p, list) {
		struct pending_info *pi = list_entry(p, struct pending_info, link);
		if (pi->signo == sig) {
			*out = pi->info;
			list_del_init(p);
			free(pi);
			return true;
		}
	}
	return false;
}

/* The host dequeues a thread's own signals before its process's; a tgkill'd signal
 * arrives as SI_TKILL, a kill'd one as SI_USER. */
bool signal_take_info(struct task *t, int sig, int host_code, siginfo_t *out)
{
	if (host_code == SI_TKILL)
		return take_info(&t->pending_info, sig, out) || take_info(&t->tg->pending_info, sig, out);
	return take_info(&t->tg->pending_info, sig, out) || take_info(&t->pending_info, sig, out);
}

static void notify_parent_stopcont(struct thread_group *tg, int code, int sig)
{
	struct thread_group *parent = tg->parent;
	if (!parent)
		return;
	waitq_wake_all(&parent->child_wait);
	if (parent->sighand->action[SIGCHLD].flags & SA_NOCLDSTOP)
		return;
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGCHLD;
	info.si_code = code;
	info.si_pid = tg->tgid;
	struct task *l = tg_leader(tg);
	info.si_uid = l ? l->cred.uid : 0;
	info.si_status = sig;
	uint64_t utime, stime;
	tg_cputime(tg, &utime, &stime);
	info.si_utime = (clock_t)(utime / 10000000ULL);   /* clock ticks (USER_HZ 100) */
	info.si_stime = (clock_t)(stime / 10000000ULL);
	signal_send_tg(parent, SIGCHLD, &info);
}

static void group_stop(struct thread_group *tg, int sig)
{
	if (tg->stopped)
		return;
	tg->stopped = true;
	tg->stop_signal = sig;
	tg->stop_reported = false;
	tg->cont_reported = false;
	struct list_head *p;
	list_for_each(p, &tg->threads) {
		struct task *t = list_entry(p, struct task, thread_link);
		if (t->state == TASK_RUNNING && t->stop == STOP_NONE && !t->interrupt_sent) {
			t->interrupt_sent = true;
			ptrace(PTRACE_INTERRUPT, t->host_tid, 0, 0);
		}
	}
	notify_parent_stopcont(tg, CLD_STOPPED, sig);
}

static void group_continue(struct thread_group *tg)
{
	if (!tg->stopped)
		return;
	tg->stopped = false;
	tg->cont_reported = true;
	struct list_head *p;
	list_for_each(p, &tg->threads) {
		struct task *t = list_entry(p, struct task, thread_link);
		if (t->group_stopped) {
			t->group_stopped = false;
			task_resume(t, 0);
		}
	}
	notify_parent_stopcont(tg, CLD_CONTINUED, SIGCONT);
}

static void host_send(struct thread_group *tg, struct task *t, int sig)
{
	if (t)
		syscall(SYS_tgkill, tg->host_tgid, t->host_tid, sig);
	else
		kill(tg->host_tgid, sig);
}

static int send_common(struct thread_group *tg, struct task *target, int sig, const siginfo_t *info)
{
	if (sig <= 0 || sig >= KSIG_MAX)
		return -EINVAL;
	if (tg->zombie || tg->nr_threads == 0)
		return 0;
	if (sig == SIGCONT || sig == SIGKILL)
		group_continue(tg);
	if (sig == SIGKILL) {
		tg->group_exiting = true;
		kill(tg->host_tgid, SIGKILL);
		return 0;
	}
	if (discard_ignored(tg, target, sig))
		return 0;
	int stop = default_stop_action(tg, sig);
	if (stop) {
		if (stop > 0)
			group_stop(tg, sig);
		return 0;
	}
	queue_info(target ? &target->pending_info : &tg->pending_info, sig, info);
	host_send(tg, target, sig);
	waitq_wake_all(&tg->signalfd_wait);
	if (target) {
		signal_interrupt_parked(target, sig);
		return 0;
	}
	struct list_head *p;
	list_for_each(p, &tg->threads) {
		struct task *t = list_entry(p, struct task, thread_link);
		if (t->state == TASK_PARKED && t->stop == STOP_SECCOMP && !(task_sigmask(t) & SIGMASK(sig))) {
			signal_interrupt_parked(t, sig);
			break;
		}
	}
	return 0;
}

int signal_send_tg(struct thread_group *tg, int sig, const siginfo_t *info)
{
	return send_common(tg, NULL, sig, info);
}

int signal_send_task(struct task *t, int sig, const siginfo_t *info)
{
	return send_common(t->tg, t, sig, info);
}

void signal_on_delivery_stop(struct task *t, int sig)
{
	struct thread_group *tg = t->tg;
	if (signal_restore_mask_frame(t, sig))
		return;
	if (tg->stopped && sig != SIGKILL) {
		/* re-sent on SIGCONT; its guest siginfo stays queued for that delivery */
		t->group_stopped = true;
		t->requeue_signals |= 1ULL << sig;
		return;
	}
	siginfo_t info;
	bool have_info = ptrace(PTRACE_GETSIGINFO, t->host_tid, 0, &info) == 0;
	bool ours = have_info && info.si_pid == kernel_host_pid &&
		    (info.si_code == SI_USER || info.si_code == SI_TKILL);
	if (have_info && !ours)
		signal_report_fault(t, sig, &info);
	siginfo_t g;
	if (ours && signal_take_info(t, sig, info.si_code, &g)) {
		if (g.si_code == SI_TIMER && !posix_timer_deliver(tg, &g)) {
			task_resume(t, 0);   /* its timer was re-armed or deleted since */
			return;
		}
		ptrace(PTRACE_SETSIGINFO, t->host_tid, 0, &g);
	}
	int stop = default_stop_action(tg, sig);
	if (stop < 0) {
		signal_restore_mask_deliver(t, sig, false);
		task_resume(t, 0);   /* a terminal stop signal in an orphaned process group */
		return;
	}
	if (stop > 0) {
		signal_restore_mask_deliver(t, sig, false);
		group_stop(tg, sig);
		t->group_stopped = true;
		return;
	}
	/* A fault the host raised (SIGSEGV on a bad access...) is never dropped: the host
	 * forces the default action when it is ignored or blocked, as Linux does. */
	if (ours && signal_is_ignored(tg, sig)) {
		signal_restore_mask_deliver(t, sig, false);
		task_resume(t, 0);
		return;
	}
	struct k_sigaction *sa = &tg->sighand->action[sig];
	bool handler = sa->handler > 1;
	if (handler && (sa->flags & SA_RESETHAND))
		memset(sa, 0, sizeof(*sa));   /* the host resets its copy as it delivers */
	if (signal_restore_mask_deliver(t, sig, handler))
		return;   /* stepped into the handler, to fix its frame's mask */
	task_resume(t, sig);
}

bool signal_may_send(struct task *sender, struct thread_group *target, int sig)
{
	const struct cred *c = &sender->cred;
	if (sender->tg == target)
		return true;   /* within a process any thread may signal any other */
	if (c->euid == 0)
		return true;
	if (sig == SIGCONT && sender->tg->sid == target->sid)
		return true;
	struct task *l = tg_leader(target);
	if (!l)
		return true;
	return c->euid == l->cred.suid || c->euid == l->cred.uid ||
	       c->uid == l->cred.suid || c->uid == l->cred.uid;
}

/* kill(2) to a pid, a group, or everyone. */
/* Linux's init is unkillable from inside: a signal it has no handler for is dropped,
 * SIGKILL and SIGSTOP included (SIGNAL_UNKILLABLE). */
static bool init_protected(struct thread_group *tg, int sig)
{
	if (tg != init_tg || sig == 0)
		return false;
	if (sig == SIGKILL || sig == SIGSTOP)
		return true;
	if (tg->sighand->action[sig].handler != (unsigned long)SIG_DFL)
		return false;
	/* a blocked signal is queued whatever its handler (BusyBox init blocks SIGUSR2 and
	 * takes it with sigtimedwait) */
	struct task *l = tg_leader(tg);
	return !l || !(task_sigmask(l) & SIGMASK(sig));
}

long sys_kill(struct task *t, struct syscall_args *a)
{
	pid_t pid = (pid_t)a->a[0];
	int sig = (int)a->a[1];
	if (sig < 0 || sig >= KSIG_MAX)
		return -EINVAL;
	siginfo_t info;
	signal_user_info(&info, sig, t);
	if (pid > 0) {
		struct thread_group *tg = tg_by_pid(pid);
		if (!tg || (tg->zombie && tg->nr_threads == 0 && !tg->zombie))
			return -ESRCH;
		if (!tg)
			return -ESRCH;
		if (!signal_may_send(t, tg, sig))
			return -EPERM;
		if (init_protected(tg, sig))
			return 0;
		return sig ? signal_send_tg(tg, sig, &info) : 0;
	}
	pid_t pgid = pid == 0 ? t->tg->pgid : -pid;
	bool all = pid == -1;
	int found = 0, sent = 0;
	struct thread_group *seen[1024];
	int nseen = 0;
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct task *x = list_entry(p, struct task, all_link);
		struct thread_group *tg = x->tg;
		bool dup = false;
		for (int i = 0; i < nseen; i++)
			dup |= seen[i] == tg;
		if (dup || nseen == 1024)
			continue;
		seen[nseen++] = tg;
		if (all ? (tg == init_tg || tg == t->tg) : tg->pgid != pgid)
			continue;
		found++;
		if (!signal_may_send(t, tg, sig))
			continue;
		sent++;
		if (sig && !init_protected(tg, sig))
			signal_send_tg(tg, sig, &info);
	}
	if (!found)
		return -ESRCH;
	return sent ? 0 : -EPERM;
}

static long do_tkill(struct task *t, pid_t tgid, pid_t tid, int sig)
{
	if (tid <= 0 || sig < 0 || sig >= KSIG_MAX)
		return -EINVAL;
	struct task *target = task_by_tid(tid);
	if (!target || (tgid > 0 && target->tg->tgid != tgid))
		return -ESRCH;
	if (!signal_may_send(t, target->tg, sig))
		return -EPERM;
	siginfo_t info;
	signal_user_info(&info, sig, t);
	info.si_code = SI_TKILL;
	if (init_protected(target->tg, sig))
		return 0;
	return sig ? signal_send_task(target, sig, &info) : 0;
}

long sys_tkill(struct task *t, struct syscall_args *a) { return do_tkill(t, -1, (pid_t)a->a[0], (int)a->a[1]); }
long sys_tgkill(struct task *t, struct syscall_args *a)
{
	if ((pid_t)a->a[0] <= 0)
		return -EINVAL;
	return do_tkill(t, (pid_t)a->a[0], (pid_t)a->a[1], (int)a->a[2]);
}

/* Recorded here (for ignore, restart and SIGCHLD decisions) and applied by the host. */
long sys_rt_sigaction(struct task *t, struct syscall_args *a)
{
	int sig = (int)a->a[0];
	if (a->a[3] != 8 || sig < 1 || sig >= KSIG_MAX)
		return -EINVAL;
	if (!a->a[1])
		return SYSRET_PASSTHROUGH;
	if (sig == SIGKILL || sig == SIGSTOP)
		return -EINVAL;
	struct k_sigaction ka;
	if (guest_read(t, &ka, a->a[1], sizeof(ka)) < 0)
		return -EFAULT;
	t->tg->sighand->action[sig] = ka;
	return SYSRET_PASSTHROUGH;
}

/* Interval timers and alarm live in signal/itimer.c when present. */
__attribute__((weak)) void itimer_fire_expired(void) {}
__attribute__((weak)) uint64_t itimer_next_deadline(void) { return 0; }
__attribute__((weak)) bool posix_timer_deliver(struct thread_group *tg, siginfo_t *info)
{
	(void)tg; (void)info;
	return true;
}
bool signal_pending_for(struct task *t) { (void)t; return false; }
