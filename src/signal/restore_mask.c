/*
 * Linux's set_restore_sigmask(). ppoll, pselect6 and epoll_pwait run with a temporary
 * signal mask; when one ends with EINTR, the signal that interrupted it is delivered
 * under that mask, but the mask saved in its handler's frame, which sigreturn puts
 * back, is the one from before the call. Programs rely on it: startpar blocks SIGCHLD
 * and lets it in only inside pselect, so that its handler never runs between fork()
 * and the bookkeeping of the child's pid.
 *
 * The host builds the frame with the mask in force (the temporary one). So at the
 * delivery stop of the next signal we step the task into its handler: resumed with
 * PTRACE_SINGLESTEP, it stops again as soon as the frame is on its stack, before the
 * handler's first instruction, and we write the old mask into the frame. A signal that
 * runs no handler gets the old mask back at once.
 */
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <ucontext.h>
#include "kernel/kernel.h"
#include "platform/platform.h"
#include "signal/signal.h"

/* x86-64's rt_sigframe: the return address (pretcode), then the ucontext, whose
 * sigmask sits where glibc's ucontext_t has it. */
#define FRAME_SIGMASK_OFFSET (sizeof(unsigned long) + offsetof(ucontext_t, uc_sigmask))
_Static_assert(offsetof(ucontext_t, uc_sigmask) == 296, "x86-64 ucontext layout");

void signal_restore_mask_later(struct task *t, uint64_t old)
{
	t->restore_sigmask = true;
	t->saved_sigmask = old;
}

bool signal_restore_mask_deliver(struct task *t, int sig, bool handler)
{
	if (!t->restore_sigmask)
		return false;
	t->restore_sigmask = false;
	if (!handler) {
		ptrace(PTRACE_SETSIGMASK, t->host_tid, sizeof(t->saved_sigmask), &t->saved_sigmask);
		return false;
	}
	t->sigframe_fixup = true;
	task_resume_step(t, sig);
	return true;
}

bool signal_restore_mask_frame(struct task *t, int sig)
{
	if (!t->sigframe_fixup)
		return false;
	t->sigframe_fixup = false;
	if (sig != SIGTRAP)
		return false;   /* the step was overtaken (building the frame faulted) */
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, t->host_tid, 0, &r) == 0)
		guest_write(t, r.rsp + FRAME_SIGMASK_OFFSET, &t->saved_sigmask, sizeof(t->saved_sigmask));
	task_resume(t, 0);   /* the step's trap is ours, not the guest's */
	return true;
}
