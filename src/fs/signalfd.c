/*
 * signalfd: a descriptor through which a thread reads its own pending signals (those in
 * the descriptor's mask) as struct signalfd_siginfo records, as Linux's does: whoever
 * reads or polls it sees the signals pending for itself, whatever process made it.
 *
 * Guest signals are host signals pending on the task host, so a read takes them out of
 * the host's queues: rt_sigtimedwait with a zero timeout runs in the reading task
 * (platform_dequeue_signal), and the guest siginfo recorded when the kernel sent the
 * signal replaces the host's. Readiness is the host's pending set (thread and process)
 * against the mask. Every guest signal is sent by the kernel (signal/signal.c), which
 * wakes the thread group's signalfd readers and pollers. The host raises only faults
 * (delivered at once, never pending for a reader) and SIGXCPU for RLIMIT_CPU, which a
 * parked reader or poller does not see until something else wakes it.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include "fs/poll.h"
#include "fs/proc/proc.h"
#include "platform/platform.h"
#include "signal/signal.h"
#include "sys/syscalls.h"

#define UNBLOCKABLE ((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)))

struct signalfd_ctx {
	uint64_t mask;   /* bit sig-1 */
};

/* Which fields of a siginfo are meaningful, by signal and code (the union's members). */
enum siginfo_kind { SIK_KILL, SIK_TIMER, SIK_POLL, SIK_FAULT, SIK_CHILD, SIK_QUEUE, SIK_SYS };

static enum siginfo_kind siginfo_kind(int sig, int code)
{
	if (code > SI_USER && code < SI_KERNEL) {   /* a code the signal itself defines */
		switch (sig) {
		case SIGILL: case SIGFPE: case SIGSEGV: case SIGBUS: case SIGTRAP:
			return SIK_FAULT;
		case SIGCHLD:
			return SIK_CHILD;
		case SIGSYS:
			return SIK_SYS;
		default:
			return SIK_POLL;
		}
	}
	if (code == SI_TIMER)
		return SIK_TIMER;
	if (code == SI_SIGIO)
		return SIK_POLL;
	return code < 0 ? SIK_QUEUE : SIK_KILL;
}

static void siginfo_to_record(const siginfo_t *si, struct signalfd_siginfo *r)
{
	memset(r, 0, sizeof(*r));
	r->ssi_signo = (uint32_t)si->si_signo;
	r->ssi_errno = si->si_errno;
	r->ssi_code = si->si_code;
	switch (siginfo_kind(si->si_signo, si->si_code)) {
	case SIK_QUEUE:
		r->ssi_pid = (uint32_t)si->si_pid;
		r->ssi_uid = si->si_uid;
		r->ssi_ptr = (uint64_t)(uintptr_t)si->si_ptr;
		r->ssi_int = si->si_int;
		break;
	case SIK_KILL:
		r->ssi_pid = (uint32_t)si->si_pid;
		r->ssi_uid = si->si_uid;
		break;
	case SIK_TIMER:
		r->ssi_tid = (uint32_t)si->si_timerid;
		r->ssi_overrun = (uint32_t)si->si_overrun;
		r->ssi_ptr = (uint64_t)(uintptr_t)si->si_ptr;
		r->ssi_int = si->si_int;
		break;
	case SIK_POLL:
		r->ssi_band = (uint32_t)si->si_band;
		r->ssi_fd = si->si_fd;
		break;
	case SIK_FAULT:
		r->ssi_addr = (uint64_t)(uintptr_t)si->si_addr;
		if (si->si_signo == SIGBUS && (si->si_code == BUS_MCEERR_AR || si->si_code == BUS_MCEERR_AO))
			r->ssi_addr_lsb = (uint16_t)si->si_addr_lsb;
		break;
	case SIK_CHILD:
		r->ssi_pid = (uint32_t)si->si_pid;
		r->ssi_uid = si->si_uid;
		r->ssi_status = si->si_status;
		r->ssi_utime = (uint64_t)si->si_utime;
		r->ssi_stime = (uint64_t)si->si_stime;
		break;
	case SIK_SYS:
		r->ssi_call_addr = (uint64_t)(uintptr_t)si->si_call_addr;
		r->ssi_syscall = si->si_syscall;
		r->ssi_arch = si->si_arch;
		break;
	}
}

/* One signal in mask out of t's pending set, with its guest siginfo; 0 if none. */
static int signalfd_dequeue(struct task *t, uint64_t mask, siginfo_t *out)
{
	for (;;) {
		siginfo_t host;
		int sig = platform_dequeue_signal(t, mask, &host);
		if (sig <= 0)
			return sig;
		if (signal_dequeued_info(t, sig, &host, out) >= 0)
			return sig;
		/* a stale timer signal, dropped as Linux drops it: look again */
	}
}

/* As many records as fit; waits (unless O_NONBLOCK) only for the first. */
static ssize_t signalfd_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)pos;
	struct signalfd_ctx *ctx = f->priv;
	struct task *t = current;
	size_t max = len / sizeof(struct signalfd_siginfo), n = 0;
	if (max == 0)
		return -EINVAL;
	while (n < max) {
		siginfo_t info;
		int sig = signalfd_dequeue(t, ctx->mask, &info);
		if (sig < 0 && n == 0)
			return sig;
		if (sig <= 0)
			break;
		struct signalfd_siginfo rec;
		siginfo_to_record(&info, &rec);
		memcpy(buf + n * sizeof(rec), &rec, sizeof(rec));
		n++;
	}
	if (n)
		return (ssize_t)(n * sizeof(struct signalfd_siginfo));
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	task_wait_on(t, &t->tg->signalfd_wait);
	return SYSRET_BLOCK;
}

/* Ready for the task asking (poll's caller, epoll_wait's caller), as in Linux. */
static unsigned signalfd_poll(struct file *f, struct task *t)
{
	struct signalfd_ctx *ctx = f->priv;
	struct task *asker = t ? t : current;
	if (!asker)
		return 0;
	if (t)
		task_wait_on(t, &t->tg->signalfd_wait);
	return platform_pending_signals(asker) & ctx->mask ? POLLIN | POLLRDNORM : 0;
}

static void signalfd_release(struct file *f)
{
	free(f->priv);
}

static void signalfd_show_fdinfo(struct file *f, struct proc_buf *b)
{
	struct signalfd_ctx *ctx = f->priv;
	proc_printf(b, "sigmask:\t%016llx\n", (unsigned long long)ctx->mask);
}

static const struct file_ops signalfd_fops = {
	.read = signalfd_read, .poll = signalfd_poll, .release = signalfd_release,
	.llseek = anon_llseek, .rwf = FOP_RWF_NOWAIT_READ, .show_fdinfo = signalfd_show_fdinfo,
};

/* A new signalfd, or (fd >= 0) a new mask for an existing one. */
static long do_signalfd(struct task *t, int fd, unsigned long umask, size_t size, int flags)
{
	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	uint64_t mask;
	if (size != sizeof(mask))
		return -EINVAL;
	if (guest_read(t, &mask, umask, sizeof(mask)) < 0)
		return -EFAULT;
	mask &= ~UNBLOCKABLE;
	if (fd == -1) {
		struct signalfd_ctx *ctx = xcalloc(1, sizeof(*ctx));
		ctx->mask = mask;
		struct file *f = anon_file_new("[signalfd]", &signalfd_fops, ctx,
					       O_RDWR | (flags & SFD_NONBLOCK));
		return fd_install(t, f, flags & SFD_CLOEXEC, 0);
	}
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	if (f->fops != &signalfd_fops)
		return -EINVAL;
	((struct signalfd_ctx *)f->priv)->mask = mask;
	waitq_wake_all(&t->tg->signalfd_wait);   /* parked readers look again with the new mask */
	return fd;
}

long sys_signalfd(struct task *t, struct syscall_args *a)
{
	return do_signalfd(t, (int)a->a[0], a->a[1], a->a[2], 0);
}

long sys_signalfd4(struct task *t, struct syscall_args *a)
{
	return do_signalfd(t, (int)a->a[0], a->a[1], a->a[2], (int)a->a[3]);
}
