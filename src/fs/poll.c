/*
 * poll and ppoll, and what every waiting-for-readiness call shares: a file's ready mask,
 * the call's timeout kept across retries, and its temporary signal mask.
 *
 * A call that finds nothing ready registers the task on every file's wait queues and
 * parks; any wake-up re-runs the whole handler, which rescans. The timeout is fixed on
 * the first run (t->hook_data[POLL_HOOK_END]) so retries do not extend it.
 */
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include "fs/poll.h"
#include "platform/platform.h"
#include "signal/signal.h"
#include "sys/syscalls.h"

#define POLL_HOOK_MASKF 1   /* MASK_GIVEN | MASK_APPLIED */
#define POLL_HOOK_OLD   2   /* the mask to put back */
#define POLL_HOOK_NEW   3   /* the temporary mask */
#define MASK_GIVEN   1L
#define MASK_APPLIED 2L
#define NSEC 1000000000ULL

unsigned file_poll(struct file *f, struct task *t)
{
	if (!f->fops || !f->fops->poll)
		return POLL_DEFAULT_MASK;
	return f->fops->poll(f, t);
}

void task_deadline_at_most(struct task *t, uint64_t deadline_ns)
{
	if (!t->deadline_ns || deadline_ns < t->deadline_ns)
		task_set_deadline(t, deadline_ns);
}

/* ---- timeouts ----------------------------------------------------------------- */

static void poll_call_start(struct task *t, uint64_t end)
{
	t->hook_data[POLL_HOOK_END] = (long)end;
	t->hook_data[POLL_HOOK_MASKF] = 0;
}

static uint64_t end_after(uint64_t sec, uint64_t nsec)
{
	if (sec == 0 && nsec == 0)
		return POLL_NO_WAIT;
	uint64_t now = now_ns();
	if (sec >= (POLL_FOREVER - now) / NSEC - 1)
		return POLL_FOREVER;   /* Linux saturates too: the wait never ends */
	return now + sec * NSEC + nsec;
}

int poll_timeout_begin(struct task *t, const struct timespec *ts)
{
	if (!ts) {
		poll_call_start(t, POLL_FOREVER);
		return 0;
	}
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (long)NSEC)
		return -EINVAL;
	poll_call_start(t, end_after((uint64_t)ts->tv_sec, (uint64_t)ts->tv_nsec));
	return 0;
}

void poll_timeout_begin_ms(struct task *t, int ms)
{
	if (ms < 0)
		poll_call_start(t, POLL_FOREVER);
	else
		poll_call_start(t, end_after((uint64_t)ms / 1000, (uint64_t)(ms % 1000) * 1000000));
}

uint64_t poll_timeout_end(struct task *t)
{
	return (uint64_t)t->hook_data[POLL_HOOK_END];
}

bool poll_timed_out(struct task *t)
{
	uint64_t end = poll_timeout_end(t);
	return end != POLL_FOREVER && (end == POLL_NO_WAIT || now_ns() >= end);
}

/* Never woken: poll(NULL, 0, -1) and select with no descriptors and no timeout sleep
 * until a signal interrupts them, as pause() does. */
static struct waitq nothing_to_watch = { LIST_HEAD_INIT(nothing_to_watch.waiters) };

static void poll_park_abort(struct task *t);

long poll_park(struct task *t)
{
	uint64_t end = poll_timeout_end(t);
	t->park_abort = poll_park_abort;
	if (end != POLL_FOREVER)
		task_deadline_at_most(t, end);
	else if (t->nwaits == 0 && !t->deadline_ns)
		task_wait_on(t, &nothing_to_watch);
	return SYSRET_BLOCK;
}

static struct timespec poll_time_left(struct task *t)
{
	uint64_t end = poll_timeout_end(t), now = now_ns();
	struct timespec ts = { 0, 0 };
	if (end != POLL_NO_WAIT && end > now) {
		ts.tv_sec = (time_t)((end - now) / NSEC);
		ts.tv_nsec = (long)((end - now) % NSEC);
	}
	return ts;
}

/* As Linux's poll_select_finish: however the call ends, a signal included, the time left
 * goes back into the caller's timeout (select's timeval, pselect6's and ppoll's
 * timespec), but not after a zero timeout; a failure to write it is ignored. */
void poll_write_time_left(struct task *t)
{
	unsigned long uts;
	switch (t->sc.nr) {
	case __NR_select: case __NR_pselect6:
		uts = t->sc.a[4];
		break;
	case __NR_ppoll:
		uts = t->sc.a[2];
		break;
	default:
		return;
	}
	if (!uts || poll_timeout_end(t) == POLL_NO_WAIT)
		return;
	struct timespec left = poll_time_left(t);
	struct timeval tv = { left.tv_sec, left.tv_nsec / 1000 };
	if (t->sc.nr == __NR_select)
		(void)guest_write(t, uts, &tv, sizeof(tv));
	else
		(void)guest_write(t, uts, &left, sizeof(left));
}

/* ---- the temporary signal mask ------------------------------------------------- */

int poll_sigmask_read(struct task *t, unsigned long uset, size_t sigsetsize, uint64_t *mask)
{
	if (sigsetsize != sizeof(*mask))
		return -EINVAL;
	if (guest_read(t, mask, uset, sizeof(*mask)) < 0)
		return -EFAULT;
	/* SIGKILL and SIGSTOP cannot be blocked */
	*mask &= ~((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)));
	t->hook_data[POLL_HOOK_NEW] = (long)*mask;
	t->hook_data[POLL_HOOK_MASKF] |= MASK_GIVEN;
	return 0;
}

/*
 * Linux sets the temporary mask for the whole call; setting it only when the call is
 * about to wait is the same to the guest. A signal the mask unblocks that is already
 * pending ends the call with EINTR at once, as signal_pending() does in Linux; one that
 * comes later interrupts the parked call (signal_interrupt_parked reads the host mask).
 * After EINTR the temporary mask stays until that signal is delivered; its handler's
 * frame then gets the old mask (signal/restore_mask.c), as Linux's restore_sigmask.
 */
int poll_sigmask_apply(struct task *t)
{
	long flags = t->hook_data[POLL_HOOK_MASKF];
	if (!(flags & MASK_GIVEN) || (flags & MASK_APPLIED))
		return 0;
	uint64_t old = 0, mask = (uint64_t)t->hook_data[POLL_HOOK_NEW];
	if (ptrace(PTRACE_GETSIGMASK, t->host_tid, sizeof(old), &old) < 0 ||
	    ptrace(PTRACE_SETSIGMASK, t->host_tid, sizeof(mask), &mask) < 0)
		return 0;   /* the task host is gone: its death is handled elsewhere */
	t->hook_data[POLL_HOOK_OLD] = (long)old;
	t->hook_data[POLL_HOOK_MASKF] |= MASK_APPLIED;
	uint64_t pending = platform_pending_signals(t) & ~mask;
	for (int sig = 1; sig < KSIG_MAX; sig++)
		if ((pending & (1ULL << (sig - 1))) && !signal_is_ignored(t->tg, sig))
			return -EINTR;
	return 0;
}

void poll_sigmask_restore(struct task *t)
{
	if (!(t->hook_data[POLL_HOOK_MASKF] & MASK_APPLIED))
		return;
	uint64_t old = (uint64_t)t->hook_data[POLL_HOOK_OLD];
	ptrace(PTRACE_SETSIGMASK, t->host_tid, sizeof(old), &old);
	t->hook_data[POLL_HOOK_MASKF] &= ~MASK_APPLIED;
}

/* The call ends with EINTR under its temporary mask: the old one comes back with the
 * delivery of the interrupting signal. */
static void poll_sigmask_restore_after_signal(struct task *t)
{
	if (!(t->hook_data[POLL_HOOK_MASKF] & MASK_APPLIED))
		return;
	signal_restore_mask_later(t, (uint64_t)t->hook_data[POLL_HOOK_OLD]);
	t->hook_data[POLL_HOOK_MASKF] &= ~MASK_APPLIED;
}

void poll_sigmask_finish(struct task *t, long ret)
{
	if (ret == -EINTR)
		poll_sigmask_restore_after_signal(t);
	else
		poll_sigmask_restore(t);
}

/* A parked call interrupted by a signal (signal_interrupt_parked) ends with EINTR. */
static void poll_park_abort(struct task *t)
{
	poll_sigmask_restore_after_signal(t);
	poll_write_time_left(t);
}

/* ---- poll, ppoll ------------------------------------------------------------- */

static int nofile_limit(struct task *t)
{
	rlim_t lim = t->tg->rlim[RLIMIT_NOFILE].rlim_cur;
	return lim > INT32_MAX ? INT32_MAX : (int)lim;
}

/* One pass over the array: revents as Linux's do_pollfd computes them. Once something
 * is ready the call will not wait, so later files need not register. */
static int poll_scan(struct task *t, struct pollfd *pfd, unsigned long n, bool wait)
{
	int count = 0;
	for (unsigned long i = 0; i < n; i++) {
		pfd[i].revents = 0;
		if (pfd[i].fd < 0)
			continue;
		struct file *f = fd_get(t, pfd[i].fd);
		unsigned mask = POLLNVAL;
		if (f) {
			/* errors and hang-ups are reported whether asked for or not */
			unsigned filter = (unsigned short)pfd[i].events | POLLERR | POLLHUP;
			mask = file_poll(f, wait && !count ? t : NULL) & filter;
		}
		pfd[i].revents = (short)mask;
		if (mask)
			count++;
	}
	return count;
}

/* The body of poll and ppoll, after the timeout and mask are recorded. */
static long poll_common(struct task *t, unsigned long ufds, unsigned long nfds)
{
	if (nfds > (unsigned long)nofile_limit(t))
		return -EINVAL;
	size_t len = nfds * sizeof(struct pollfd);
	struct pollfd *pfd = malloc(len ? len : 1);
	if (!pfd)
		return -ENOMEM;
	if (guest_read(t, pfd, ufds, len) < 0) {
		free(pfd);
		return -EFAULT;
	}
	long ret = poll_scan(t, pfd, nfds, !poll_timed_out(t));
	if (ret == 0)
		ret = poll_sigmask_apply(t);
	if (ret == 0 && !poll_timed_out(t)) {
		free(pfd);
		return poll_park(t);
	}
	poll_sigmask_finish(t, ret);
	/* revents go back even for EINTR, as in Linux (all zero then) */
	if (guest_write(t, ufds, pfd, len) < 0)
		ret = -EFAULT;
	free(pfd);
	return ret;
}

long sys_poll(struct task *t, struct syscall_args *a)
{
	if (!t->retrying)
		poll_timeout_begin_ms(t, (int)a->a[2]);
	return poll_common(t, a->a[0], a->a[1]);
}

static int ppoll_begin(struct task *t, struct syscall_args *a)
{
	struct timespec ts;
	if (a->a[2] && guest_read(t, &ts, a->a[2], sizeof(ts)) < 0)
		return -EFAULT;
	int err = poll_timeout_begin(t, a->a[2] ? &ts : NULL);
	if (err < 0 || !a->a[3])
		return err;
	uint64_t mask;
	return poll_sigmask_read(t, a->a[3], a->a[4], &mask);
}

long sys_ppoll(struct task *t, struct syscall_args *a)
{
	if (!t->retrying) {
		int err = ppoll_begin(t, a);
		if (err < 0)
			return err;
	}
	long ret = poll_common(t, a->a[0], a->a[1]);
	if (ret != SYSRET_BLOCK)
		poll_write_time_left(t);
	return ret;
}
