/*
 * A task's signals as its task host holds them: every guest signal is a host signal, so
 * what is pending for a guest thread is what the host has pending for its task host
 * thread (its own queue and its process's). signalfd looks there and takes from there.
 */
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <time.h>
#include "kernel/kernel.h"
#include "platform/platform.h"
#include "platform/ptrace_int.h"

uint64_t platform_pending_signals(struct task *t)
{
	uint64_t set = 0;
	siginfo_t si[32];
	for (int shared = 0; shared < 2; shared++) {
		for (long off = 0;; off += (long)ARRAY_SIZE(si)) {
			struct __ptrace_peeksiginfo_args args = {
				.off = (uint64_t)off, .nr = (int32_t)ARRAY_SIZE(si),
				.flags = shared ? PTRACE_PEEKSIGINFO_SHARED : 0,
			};
			long n = ptrace(PTRACE_PEEKSIGINFO, t->host_tid, &args, si);
			for (long i = 0; i < n; i++)
				if (si[i].si_signo > 0 && si[i].si_signo < KSIG_MAX)
					set |= 1ULL << (si[i].si_signo - 1);
			if (n < (long)ARRAY_SIZE(si))
				break;   /* the whole queue seen (or the task host is gone) */
		}
	}
	return set;
}

/*
 * rt_sigtimedwait with a zero timeout, run in the task. Every signal is blocked around
 * it, so that none is delivered (and swallowed by the injection) on the way to the call:
 * an unblocked pending signal in the mask is dequeued as Linux's signalfd would.
 */
int platform_dequeue_signal(struct task *t, uint64_t mask, siginfo_t *info)
{
	struct { uint64_t mask; struct timespec zero; siginfo_t info; } s;
	memset(&s, 0, sizeof(s));
	s.mask = mask;
	unsigned long at = platform_scratch_addr(t, sizeof(s));
	if (guest_write(t, at, &s, sizeof(s)) < 0)
		return -EFAULT;
	uint64_t old, all = ~0ULL;
	if (ptrace(PTRACE_GETSIGMASK, t->host_tid, sizeof(old), &old) < 0 ||
	    ptrace(PTRACE_SETSIGMASK, t->host_tid, sizeof(all), &all) < 0)
		return -ESRCH;
	long sig = platform_inject(t, __NR_rt_sigtimedwait, (long)at, (long)(at + offsetof(typeof(s), info)),
				   (long)(at + offsetof(typeof(s), zero)), sizeof(s.mask), 0, 0);
	ptrace(PTRACE_SETSIGMASK, t->host_tid, sizeof(old), &old);
	if (sig == -EAGAIN)
		return 0;
	if (sig < 0)
		return (int)sig;
	if (guest_read(t, info, at + offsetof(typeof(s), info), sizeof(*info)) < 0)
		return -EFAULT;
	return (int)sig;
}
