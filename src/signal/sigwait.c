/*
 * Waiting for and queueing signals with siginfo: rt_sigtimedwait, rt_sigqueueinfo,
 * rt_tgsigqueueinfo; and the guest siginfo of a signal the host dequeued (signalfd too).
 *
 * rt_sigtimedwait only dequeues the calling thread's own pending signals, which live in
 * the host (every guest signal is a host signal), so the host runs it. What it returns
 * is the host's siginfo, naming our kernel as the sender; at the exit stop the guest
 * siginfo we recorded when sending is put in its place, as the delivery stop does for
 * signals that reach a handler.
 */
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include "kernel/kernel.h"
#include "platform/platform.h"
#include "signal/signal.h"
#include "sys/syscalls.h"
#include "task/task.h"

/* hook_data slots while the host waits: the guest's siginfo buffer (or 0), and the
 * signal mask from before the call (Linux's real_blocked). */
enum { H_UINFO, H_BLOCKED };

/* Re-issues the call: used when the dequeued signal was a stale timer signal, which
 * Linux drops without ending the wait (the timeout starts again here). */
static void restart_sigtimedwait(struct task *t)
{
	t->regs.rax = __NR_rt_sigtimedwait;
	t->regs.rip -= 2;
	t->regs_dirty = true;
	task_resume(t, 0);
}

static void sigtimedwait_exit_hook(struct task *t)
{
	long sig = (long)t->regs.rax;
	unsigned long uinfo = (unsigned long)t->hook_data[H_UINFO];
	if (sig <= 0 || sig >= KSIG_MAX) {
		task_resume(t, 0);
		return;
	}
	siginfo_t host;
	memset(&host, 0, sizeof(host));
	host.si_code = SI_TKILL;   /* without a buffer: the host took the thread's own first */
	host.si_pid = kernel_host_pid;
	if (uinfo && guest_read(t, &host, uinfo, sizeof(host)) < 0) {
		task_resume(t, 0);
		return;
	}
	siginfo_t g;
	int guest = signal_dequeued_info(t, (int)sig, &host, &g);
	if (guest < 0) {
		restart_sigtimedwait(t);
		return;
	}
	if (guest > 0 && uinfo)
		guest_write(t, uinfo, &g, sizeof(g));
	task_resume(t, 0);
}

int signal_dequeued_info(struct task *t, int sig, const siginfo_t *host, siginfo_t *out)
{
	bool ours = host->si_pid == kernel_host_pid && (host->si_code == SI_USER || host->si_code == SI_TKILL);
	if (!ours || !signal_take_info(t, sig, host->si_code, out)) {
		*out = *host;
		return 0;
	}
	if (out->si_code == SI_TIMER && !posix_timer_deliver(t->tg, out))
		return -1;
	return 1;
}

long sys_rt_sigtimedwait(struct task *t, struct syscall_args *a)
{
	uint64_t blocked = 0;
	ptrace(PTRACE_GETSIGMASK, t->host_tid, sizeof(blocked), &blocked);
	t->hook_data[H_UINFO] = (long)a->a[1];
	t->hook_data[H_BLOCKED] = (long)blocked;
	t->exit_hook = sigtimedwait_exit_hook;
	return SYSRET_PASSTHROUGH;
}

/* While the host waits, the thread's mask has the awaited signals taken out; whether a
 * signal counts as blocked (so is never discarded as ignored) goes by the mask it had. */
bool sigwait_real_blocked(struct task *t, uint64_t *mask)
{
	if (t->exit_hook != sigtimedwait_exit_hook)
		return false;
	*mask = (uint64_t)t->hook_data[H_BLOCKED];
	return true;
}

/* A caller-made siginfo, for signal sig. */
static long read_user_info(struct task *t, unsigned long uinfo, int sig, siginfo_t *info)
{
	if (guest_read(t, info, uinfo, sizeof(*info)) < 0)
		return -EFAULT;
	info->si_signo = sig;
	return 0;
}

/* Only a negative si_code (SI_QUEUE, SI_ASYNCIO, ...) may be sent to others: the
 * kernel's codes and a forged kill()/tgkill() only to oneself (target is a tid or tgid,
 * compared with the calling thread's tid as Linux does). */
static bool code_allowed(struct task *t, const siginfo_t *info, pid_t target)
{
	return (info->si_code < 0 && info->si_code != SI_TKILL) || target == t->tid;
}

/* kill(2)'s checks, made only when the code claims to come from user space (<= 0). */
static long queue_to(struct task *t, struct task *target, bool thread, int sig, const siginfo_t *info)
{
	if (!target)
		return -ESRCH;
	if (sig < 0 || sig >= KSIG_MAX)
		return -EINVAL;
	if (info->si_code <= 0 && !signal_may_send(t, target->tg, sig))
		return -EPERM;
	if (!sig)
		return 0;
	return thread ? signal_send_task(target, sig, info) : signal_send_tg(target->tg, sig, info);
}

long sys_rt_sigqueueinfo(struct task *t, struct syscall_args *a)
{
	pid_t pid = (pid_t)a->a[0];
	int sig = (int)a->a[1];
	siginfo_t info;
	long err = read_user_info(t, a->a[2], sig, &info);
	if (err < 0)
		return err;
	if (!code_allowed(t, &info, pid))
		return -EPERM;
	return queue_to(t, task_by_tid(pid), false, sig, &info);
}

long sys_rt_tgsigqueueinfo(struct task *t, struct syscall_args *a)
{
	pid_t tgid = (pid_t)a->a[0], tid = (pid_t)a->a[1];
	int sig = (int)a->a[2];
	siginfo_t info;
	long err = read_user_info(t, a->a[3], sig, &info);
	if (err < 0)
		return err;
	if (tid <= 0 || tgid <= 0)
		return -EINVAL;
	if (!code_allowed(t, &info, tid))
		return -EPERM;
	struct task *target = task_by_tid(tid);
	return queue_to(t, target && target->tg->tgid == tgid ? target : NULL, true, sig, &info);
}
