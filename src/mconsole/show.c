/*
 * Task dumps for sysrq p and t and MConsole's stack. Linux shows a task's kernel stack;
 * our kernel has no stack per task (a guest syscall in progress is a parked request,
 * not a sleeping kernel thread), so a dump shows what is there instead: the guest's
 * registers in Linux's show_regs layout, the syscall being served, and the top of the
 * guest's user stack. The registers of a task host that is running cannot be read
 * (they can once the machine is stopped); the host still tells which call, if any, it
 * is blocked in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include "fs/proc/hostproc.h"
#include "fs/proc/proc.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/version.h"
#include "mconsole/internal.h"
#include "platform/platform.h"
#include "sys/table.h"

#define STACK_WORDS 16

/* The task's registers: those we hold when it is stopped for us, else whatever the host
 * gives for a task host sitting in a stop we have not taken yet (machine stopped). */
static bool task_regs(struct task *t, struct user_regs_struct *regs)
{
	if (t->stop != STOP_NONE) {
		*regs = t->regs;
		return true;
	}
	return ptrace(PTRACE_GETREGS, t->host_tid, 0, regs) == 0;
}

static void print_regs(const struct user_regs_struct *r)
{
	printk("RIP: %04llx:0x%llx\n", r->cs, r->rip);
	printk("RSP: %04llx:%016llx EFLAGS: %08llx ORIG_RAX: %016llx\n", r->ss, r->rsp,
	       r->eflags, r->orig_rax);
	printk("RAX: %016llx RBX: %016llx RCX: %016llx\n", r->rax, r->rbx, r->rcx);
	printk("RDX: %016llx RSI: %016llx RDI: %016llx\n", r->rdx, r->rsi, r->rdi);
	printk("RBP: %016llx R08: %016llx R09: %016llx\n", r->rbp, r->r8, r->r9);
	printk("R10: %016llx R11: %016llx R12: %016llx\n", r->r10, r->r11, r->r12);
	printk("R13: %016llx R14: %016llx R15: %016llx\n", r->r13, r->r14, r->r15);
}

static const char *syscall_name_of(long nr)
{
	if (nr >= 0 && nr < SYSCALL_MAX && syscall_names[nr])
		return syscall_names[nr];
	return "?";
}

/* Where the task is, in words: the call it is in, or user space. A task host that runs
 * may be blocked in a call the host serves for it; the host's /proc/<tid>/syscall says
 * which (with its stack and instruction pointers), or "running". */
static void print_activity(struct task *t)
{
	if (t->stop != STOP_NONE) {
		if (t->in_syscall)
			printk(" %s()%s\n", syscall_name_of(t->sc.nr),
			       t->state == TASK_PARKED ? " waiting" : "");
		else
			printk(" stopped in user space\n");
		return;
	}
	size_t len;
	char *line = hostproc_read(t->tg->host_tgid, t->host_tid, "syscall", &len);
	long nr;
	unsigned long a[6], sp, pc;
	if (line && sscanf(line, "%ld %lx %lx %lx %lx %lx %lx %lx %lx", &nr, &a[0], &a[1], &a[2],
			   &a[3], &a[4], &a[5], &sp, &pc) == 9 && nr >= 0)
		printk(" %s() RIP 0x%lx RSP %016lx\n", syscall_name_of(nr), pc, sp);
	else
		printk(" running in user space\n");
	free(line);
}

static void print_user_stack(struct task *t, unsigned long rsp)
{
	unsigned long words[STACK_WORDS];
	if (guest_read(t, words, rsp, sizeof(words)) < 0) {
		printk(" (stack at %016lx not readable)\n", rsp);
		return;
	}
	for (int i = 0; i < STACK_WORDS; i += 4)
		printk(" %016lx %016lx %016lx %016lx\n", words[i], words[i + 1], words[i + 2],
		       words[i + 3]);
}

void show_regs_of(struct task *t)
{
	struct user_regs_struct r;
	printk("CPU: 0 PID: %d Comm: %.16s umlinux %s\n", (int)t->tid, t->comm, UMLINUX_VERSION);
	if (task_regs(t, &r))
		print_regs(&r);
	else
		printk("(not stopped: registers are read when it stops, e.g. after MConsole stop)\n");
}

void show_stack(struct task *t)
{
	struct user_regs_struct r;
	bool have = task_regs(t, &r);
	printk("Stack:\n");
	if (have)
		print_user_stack(t, (unsigned long)r.rsp);
	show_regs_of(t);
	printk("Call Trace:\n");
	print_activity(t);
}

/* Linux's sched_show_task line, then the stack. */
void show_task(struct task *t)
{
	struct thread_group *tg = t->tg;
	pid_t ppid = tg->parent ? tg->parent->tgid : 0;
	printk("task:%-15.15s state:%c stack:0     pid:%-5d ppid:%-6d flags:0x00000000\n",
	       t->comm, proc_task_state(tg, t), (int)t->tid, (int)ppid);
	show_stack(t);
}
