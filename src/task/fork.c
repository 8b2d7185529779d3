/*
 * fork, vfork and clone. The host does the copying: the guest's call is rewritten into a
 * host clone with CLONE_PARENT (so every task host is the kernel's child, reaped here)
 * and the guest-visible ids are ours: the return value and the *_SETTID words are fixed
 * up at the parent's exit stop and the child's first stop.
 */
#include <linux/sched.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "fs/vfs.h"
#include "ipc/ipc.h"
#include "kernel/kernel.h"
#include "platform/platform.h"
#include "signal/signal.h"
#include "task/prctl.h"
#include "task/task.h"

#define NS_FLAGS (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | \
		  CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME)

/* Host stops of children whose parent's clone event we have not seen yet. */
#define MAX_EARLY 64
static struct { pid_t host; int status; } early[MAX_EARLY];

enum { H_FLAGS, H_PTID, H_CTID, H_CHILD };

/* The syscall ABI preserves every register but rax, rcx and r11; our rewrite of the
 * arguments must not show (glibc's vfork keeps its return address in rdi). */
static void restore_arg_regs(struct task *t, const struct syscall_args *orig)
{
	t->regs.rdi = orig->a[0]; t->regs.rsi = orig->a[1]; t->regs.rdx = orig->a[2];
	t->regs.r10 = orig->a[3]; t->regs.r8 = orig->a[4]; t->regs.r9 = orig->a[5];
	t->regs_dirty = true;
}

static void clone_exit_hook(struct task *t)
{
	restore_arg_regs(t, &t->sc);
	long r = (long)t->regs.rax;
	if (r > 0) {
		pid_t child = (pid_t)t->hook_data[H_CHILD];
		t->regs.rax = (unsigned long)child;
		t->regs_dirty = true;
	}
	task_resume(t, 0);
}

static long start_clone(struct task *t, unsigned long flags, unsigned long newsp,
			unsigned long ptid, unsigned long ctid, unsigned long tls)
{
	if (flags & NS_FLAGS)
		return -EINVAL;       /* namespaces are not offered */
	if (flags & CLONE_PIDFD)
		return -EINVAL;       /* a pidfd would be a host descriptor */
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	unsigned long host = flags & ~(CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_PTRACE |
				      CLONE_UNTRACED | CLONE_DETACHED | CSIGNAL | CLONE_IO);
	if (!(flags & CLONE_THREAD))
		host |= CLONE_PARENT | SIGCHLD;  /* the kernel reaps every task host */
	t->hook_data[H_FLAGS] = (long)flags;
	t->hook_data[H_PTID] = (long)ptid;
	t->hook_data[H_CTID] = (long)ctid;
	t->hook_data[H_CHILD] = 0;
	t->regs.orig_rax = __NR_clone;
	t->regs.rdi = host;
	t->regs.rsi = newsp;
	t->regs.rdx = 0;
	t->regs.r10 = (flags & CLONE_CHILD_CLEARTID) ? ctid : 0;
	t->regs.r8 = tls;
	t->regs_dirty = true;
	t->exit_hook = clone_exit_hook;
	return SYSRET_PASSTHROUGH;
}

long sys_clone(struct task *t, struct syscall_args *a)
{
	/* x86-64 order: flags, newsp, parent_tid, child_tid, tls */
	return start_clone(t, a->a[0], a->a[1], a->a[2], a->a[3], a->a[4]);
}

long sys_fork(struct task *t, struct syscall_args *a)
{
	(void)a;
	return start_clone(t, SIGCHLD, 0, 0, 0, 0);
}

long sys_vfork(struct task *t, struct syscall_args *a)
{
	(void)a;
	return start_clone(t, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

long sys_clone3(struct task *t, struct syscall_args *a)
{
	(void)t; (void)a;
	return -ENOSYS;   /* glibc and musl fall back to clone */
}

static struct thread_group *new_process(struct task *parent, pid_t tid, unsigned long flags)
{
	struct thread_group *ptg = parent->tg;
	struct thread_group *up = (flags & CLONE_PARENT) && ptg->parent ? ptg->parent : ptg;
	struct thread_group *tg = tg_alloc(tid, up);
	/* the parent is a thread in Linux: its exit fires the child's pdeath_signal */
	tg->parent_tid = up == ptg ? parent->tid : ptg->parent_tid;
	tg_fork_inherit(tg, ptg);
	tg->pgid = ptg->pgid;
	tg->sid = ptg->sid;
	tg->ctty = ptg->ctty;
	memcpy(tg->rlim, ptg->rlim, sizeof(tg->rlim));
	memcpy(tg->comm, ptg->comm, sizeof(tg->comm));
	memcpy(tg->exe, ptg->exe, sizeof(tg->exe));
	if (ptg->cmdline) {
		tg->cmdline = xcalloc(1, ptg->cmdline_len);
		memcpy(tg->cmdline, ptg->cmdline, ptg->cmdline_len);
		tg->cmdline_len = ptg->cmdline_len;
	}
	if (ptg->environ) {
		tg->environ = xcalloc(1, ptg->environ_len);
		memcpy(tg->environ, ptg->environ, ptg->environ_len);
		tg->environ_len = ptg->environ_len;
	}
	tg->brk_start = ptg->brk_start;
	tg->brk = ptg->brk;
	tg->stack_top = ptg->stack_top;
	tg->exit_signal = (int)(flags & CSIGNAL);
	tg->sighand = (flags & CLONE_SIGHAND) ? ptg->sighand : sighand_copy(ptg->sighand);
	if (flags & CLONE_SIGHAND)
		tg->sighand->refcount++;
	ipc_fork(ptg, tg, flags);
	return tg;
}

void task_on_clone_event(struct task *parent, int event)
{
	unsigned long host_child = 0;
	ptrace(PTRACE_GETEVENTMSG, parent->host_tid, 0, &host_child);
	unsigned long flags = (unsigned long)parent->hook_data[H_FLAGS];
	pid_t tid = pid_alloc();
	if (tid < 0) {
		/* no guest pid left: the child dies, the parent sees EAGAIN */
		syscall(SYS_tgkill, (pid_t)host_child, (pid_t)host_child, SIGKILL);
		parent->hook_data[H_CHILD] = -EAGAIN;
		task_resume_syscall(parent);
		return;
	}
	struct task *c = task_alloc(tid, (pid_t)host_child);
	c->cred = parent->cred;
	c->sc = parent->sc;       /* the guest's own clone arguments, restored at its first stop */
	memcpy(c->comm, parent->comm, sizeof(c->comm));
	if (event == PTRACE_EVENT_CLONE && (flags & CLONE_THREAD)) {
		tg_add_thread(parent->tg, c);
	} else {
		struct thread_group *tg = new_process(parent, tid, flags);
		tg->host_tgid = (pid_t)host_child;
		tg_add_thread(tg, c);
	}
	c->files = (flags & CLONE_FILES) ? parent->files : files_copy(parent->files);
	if (flags & CLONE_FILES)
		c->files->refcount++;
	c->fs = (flags & CLONE_FS) ? parent->fs : fs_struct_copy(parent->fs);
	if (flags & CLONE_FS)
		c->fs->refcount++;
	c->set_child_tid = (flags & CLONE_CHILD_SETTID) ? (unsigned long)parent->hook_data[H_CTID] : 0;
	c->clear_child_tid = (flags & CLONE_CHILD_CLEARTID) ? (unsigned long)parent->hook_data[H_CTID] : 0;
	if (flags & CLONE_VFORK)
		c->vfork_parent = parent;
	parent->hook_data[H_CHILD] = tid;
	/* The child is still at its first stop: write the parent's tid word now, or a
	 * thread that exits at once would have its CLEARTID undone by a late write. */
	if ((flags & CLONE_PARENT_SETTID) && parent->hook_data[H_PTID])
		guest_write(parent, (unsigned long)parent->hook_data[H_PTID], &tid, sizeof(tid));
	task_resume_syscall(parent);  /* its exit stop fixes the return value */

	for (int i = 0; i < MAX_EARLY; i++) {
		if (early[i].host == (pid_t)host_child) {
			early[i].host = 0;
			task_on_event_stop(c, WSTOPSIG(early[i].status));
		}
	}
}

void task_on_new_host_stop(pid_t host_tid, int status)
{
	if (!WIFSTOPPED(status))
		return;   /* a task host we no longer track */
	for (int i = 0; i < MAX_EARLY; i++) {
		if (!early[i].host) {
			early[i].host = host_tid;
			early[i].status = status;
			return;
		}
	}
	printk("<3>umlinux: too many unattached task hosts; killing %d\n", host_tid);
	syscall(SYS_tgkill, host_tid, host_tid, SIGKILL);
}

/* PTRACE_EVENT_STOP: a new task's first stop, or an interrupt/group stop we asked for. */
void task_on_event_stop(struct task *t, int sig)
{
	(void)sig;
	if (t->state == TASK_NEW) {
		t->state = TASK_RUNNING;
		if (platform_get_regs(t) == 0)
			restore_arg_regs(t, &t->sc);
		if (t->set_child_tid) {
			pid_t tid = t->tid;
			guest_write(t, t->set_child_tid, &tid, sizeof(tid));
		}
		if (t->tg->stopped) {
			t->group_stopped = true;
			return;
		}
		task_resume(t, 0);
		return;
	}
	t->interrupt_sent = false;
	if (t->tg->stopped) {
		t->group_stopped = true;   /* stays stopped until SIGCONT */
		return;
	}
	task_resume(t, 0);
}
