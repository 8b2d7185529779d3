/* Running a guest syscall through the table, parking it, and completing it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sys/table.h"
#include "kernel/kernel.h"
#include "signal/signal.h"
#include "sys/syscalls.h"

struct task *current;
static unsigned char reported_missing[1024];

static void report_missing(struct task *t, long nr)
{
	size_t i = (size_t)nr < sizeof(reported_missing) ? (size_t)nr : 0;
	if (reported_missing[i])
		return;
	reported_missing[i] = 1;
	const char *name = (size_t)nr < SYSCALL_MAX && syscall_names[nr] ? syscall_names[nr] : "?";
	printk("<4>umlinux: system call %s (%ld) is not implemented; %s[%d] gets ENOSYS\n",
	       name, nr, t->tg->comm, t->tid);
}

/* UMLINUX_STRACE=1 in the kernel's environment: one line per guest syscall on stderr. */
static int strace_on = -1;

static void strace_line(struct task *t, long ret)
{
	const char *name = (size_t)t->sc.nr < SYSCALL_MAX && syscall_names[t->sc.nr] ? syscall_names[t->sc.nr] : "?";
	fprintf(stderr, "[%d] %s(%#lx, %#lx, %#lx, %#lx) = %ld%s\n", t->tid, name, t->sc.a[0], t->sc.a[1],
		t->sc.a[2], t->sc.a[3], ret, ret == SYSRET_BLOCK ? " (parked)" : ret == SYSRET_PASSTHROUGH ? " (host)" : "");
}

void syscall_dispatch(struct task *t)
{
	long nr = t->sc.nr;
	long ret;
	if (strace_on < 0)
		strace_on = getenv("UMLINUX_STRACE") != NULL;
	current = t;
	if (nr < 0 || (size_t)nr >= syscall_table_size || !syscall_table[nr].fn) {
		report_missing(t, nr);
		ret = -ENOSYS;
	} else {
		ret = syscall_table[nr].fn(t, &t->sc);
	}
	current = NULL;
	if (strace_on)
		strace_line(t, ret);
	if (ret == SYSRET_BLOCK) {
		t->state = TASK_PARKED;
		if (t->nwaits == 0 && !t->deadline_ns)
			printk("<4>umlinux: %s parked with nothing to wake it\n",
			       syscall_table[nr].name);
		/* sent while it sat at this stop, before we saw it: nothing else wakes it */
		int sig = signal_queued_deliverable(t);
		if (sig)
			signal_interrupt_parked(t, sig);
		return;
	}
	task_drop_waits(t);
	task_clear_deadline(t);
	t->retrying = false;
	t->timed_out = false;
	t->park_abort = NULL;
	t->park_uninterruptible = false;
	if (ret == SYSRET_NORETURN)
		return;
	t->in_syscall = false;
	t->state = TASK_RUNNING;
	if (ret == SYSRET_PASSTHROUGH) {
		if (t->exit_hook)
			task_resume_syscall(t);
		else
			task_resume(t, 0);
		return;
	}
	syscall_complete(t, ret);
}

/*
 * -ERESTARTSYS from a handler that raised a signal itself (a background tty read sends
 * SIGTTIN): restart the call after the signal, unless a handler without SA_RESTART
 * is about to run, as Linux decides.
 */
static bool restart_after_signal(struct task *t)
{
	struct list_head *lists[2] = { &t->pending_info, &t->tg->pending_info };
	for (int i = 0; i < 2; i++) {
		struct list_head *p;
		list_for_each(p, lists[i]) {
			struct pending_info *pi = list_entry(p, struct pending_info, link);
			struct k_sigaction *sa = &t->tg->sighand->action[pi->signo];
			if (sa->handler > 1 && !(sa->flags & SA_RESTART))
				return false;
		}
	}
	return true;
}

void syscall_complete(struct task *t, long ret)
{
	if ((ret == ERESTARTSYS_INTERNAL || ret == ERESTARTNOHAND_INTERNAL) && t->stop == STOP_SECCOMP) {
		if (restart_after_signal(t)) {
			t->regs.orig_rax = (unsigned long)-1;
			t->regs.rax = (unsigned long)t->sc.nr;
			t->regs.rip -= 2;
			t->regs_dirty = true;
			t->in_syscall = false;
			t->state = TASK_RUNNING;
			task_drop_waits(t);
			task_clear_deadline(t);
			task_resume(t, 0);
			return;
		}
		ret = -EINTR;
	} else if (ret == ERESTARTSYS_INTERNAL || ret == ERESTARTNOHAND_INTERNAL) {
		ret = -EINTR;
	}
	t->regs.orig_rax = (unsigned long)-1;
	t->regs.rax = (unsigned long)ret;
	t->regs_dirty = true;
	t->in_syscall = false;
	t->state = TASK_RUNNING;
	task_drop_waits(t);
	task_clear_deadline(t);
	task_resume(t, 0);
}

__attribute__((weak)) void file_opened_hook(struct task *t, struct file *f, int flags)
{
	(void)t; (void)f; (void)flags;
}

__attribute__((weak)) long fcntl_more(struct task *t, struct file *f, int fd, int cmd, unsigned long arg)
{
	(void)t; (void)f; (void)fd; (void)cmd; (void)arg;
	return -EINVAL;
}

__attribute__((weak)) void fd_on_close(struct task *t, struct file *f)
{
	(void)t; (void)f;
}
