/*
 * POSIX per-process timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun, timer_delete, with the semantics of Linux 6.13 and later:
 *
 *  - a periodic timer is not re-armed while its signal is queued; it is re-armed when
 *    the signal is delivered (or dequeued by sigwait), and the periods missed meanwhile
 *    become that signal's si_overrun and timer_getoverrun's answer;
 *  - a queued signal of a timer that has since been re-armed or deleted is dropped;
 *  - a periodic timer whose signal is ignored waits, and fires once it is not.
 *
 * Clocks: REALTIME, MONOTONIC, BOOTTIME and TAI (host clocks, waited for through the
 * loop's timer), and CPU-time clocks of a process or of a thread of the caller's (sampled
 * every CPU_CLOCK_POLL_NS). The alarm clocks need an RTC, which this machine lacks:
 * EOPNOTSUPP, as Linux answers when it has none.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kernel/kernel.h"
#include "platform/hostusage.h"
#include "platform/platform.h"
#include "signal/signal.h"
#include "signal/timers.h"
#include "sys/syscalls.h"
#include "task/accounting.h"

#define NS_PER_SEC 1000000000ULL
#define SIG_MAX (KSIG_MAX - 1)
#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID 4
#endif
/* Where Linux keeps a queued timer signal's private word (after si_value); it is
 * cleared before the guest sees the siginfo. We keep the arming's sequence number. */
#define SI_SEQ_OFFSET (offsetof(siginfo_t, si_value) + sizeof(union sigval))

enum timer_status { TIMER_DISARMED, TIMER_ARMED, TIMER_REQUEUE_PENDING };

struct ktimer {
	struct list_head link;           /* on all_timers */
	struct thread_group *owner;
	int id;
	clockid_t clock;                 /* a host clock, or CPU time (cpu_id != 0) */
	pid_t cpu_id;                    /* whose CPU time: a tgid, or a tid if cpu_thread */
	bool cpu_thread;
	int cpu_which;                   /* CPUCLOCK_PROF, _VIRT (user time) or _SCHED */
	uint64_t cpu_last;               /* last reading: the clock stops when its owner dies */
	int notify;                      /* SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD, |SIGEV_THREAD_ID */
	int signo;
	pid_t thread;                    /* SIGEV_THREAD_ID's target */
	union sigval value;
	uint64_t expires_ns;             /* on the timer's clock; 0 when never armed */
	uint64_t interval_ns;
	enum timer_status status;
	int64_t overrun;                 /* periods missed since the last delivery, from -1 */
	int overrun_last;                /* what the last delivered signal carried */
	uint32_t seq;                    /* changes with each arming: tells stale signals */
	bool ignored;                    /* expired while its signal was ignored: fires when not */
};

static struct list_head all_timers = LIST_HEAD_INIT(all_timers);

static uint64_t ts_to_ns(struct timespec ts)
{
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

static struct timespec ns_to_ts(uint64_t ns)
{
	return (struct timespec){ (time_t)(ns / NS_PER_SEC), (long)(ns % NS_PER_SEC) };
}

static bool ts_valid(struct timespec ts)
{
	return ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < (long)NS_PER_SEC;
}

/* CPU-time clock ids, as clock_getcpuclockid() and libc build them: ~pid << 3, a thread
 * flag (4) and which time (0 PROF: user+system, 1 VIRT: user, 2 SCHED: runtime). Pid 0
 * is the caller; CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID mean the same. */
enum { CPUCLOCK_PROF, CPUCLOCK_VIRT, CPUCLOCK_SCHED, CPUCLOCK_MAX };
#define CPUCLOCK_PERTHREAD 4

static bool cpu_clock(const struct ktimer *k) { return k->cpu_id != 0; }

/* A process clock may be any process's (named by its tgid), a thread clock only one of
 * the caller's threads. */
static int cpu_clock_parse(struct task *t, clockid_t c, struct ktimer *k)
{
	if (c == CLOCK_PROCESS_CPUTIME_ID || c == CLOCK_THREAD_CPUTIME_ID)
		c = (clockid_t)(~0U << 3) | (c == CLOCK_THREAD_CPUTIME_ID ? CPUCLOCK_PERTHREAD : 0) | CPUCLOCK_SCHED;
	pid_t pid = ~(c >> 3);
	k->cpu_which = c & 3;
	k->cpu_thread = c & CPUCLOCK_PERTHREAD;
	if (k->cpu_which >= CPUCLOCK_MAX)
		return -EINVAL;
	if (k->cpu_thread) {
		struct task *target = pid ? task_by_tid(pid) : t;
		if (!target || target->tg != t->tg)
			return -EINVAL;
		k->cpu_id = target->tid;
		return 0;
	}
	struct thread_group *tg = pid ? tg_by_pid(pid) : t->tg;
	if (!tg || tg->zombie)
		return -EINVAL;
	k->cpu_id = tg->tgid;
	return 0;
}

/* 0 if timers may run on clock c, else the error timer_create gives. */
static int clock_usable(struct task *t, clockid_t c, struct ktimer *k)
{
	if (c < 0 || c == CLOCK_PROCESS_CPUTIME_ID || c == CLOCK_THREAD_CPUTIME_ID)
		return cpu_clock_parse(t, c, k);
	switch (c) {
	case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_BOOTTIME: case CLOCK_TAI:
		return 0;
	case CLOCK_REALTIME_ALARM: case CLOCK_BOOTTIME_ALARM:
	case CLOCK_MONOTONIC_RAW: case CLOCK_REALTIME_COARSE: case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	}
	return -EINVAL;
}

static uint64_t cpu_clock_now(struct ktimer *k)
{
	uint64_t u, s;
	if (k->cpu_thread) {
		struct task *t = task_by_tid(k->cpu_id);
		if (!t || host_cputime(t->tg->host_tgid, t->host_tid, &u, &s) < 0)
			return k->cpu_last;
	} else {
		struct thread_group *tg = tg_by_pid(k->cpu_id);
		if (!tg)
			return k->cpu_last;
		tg_cputime(tg, &u, &s);
	}
	k->cpu_last = k->cpu_which == CPUCLOCK_VIRT ? u : u + s;
	return k->cpu_last;
}

static uint64_t clock_now(struct ktimer *k)
{
	if (cpu_clock(k))
		return cpu_clock_now(k);
	struct timespec ts;
	clock_gettime(k->clock, &ts);
	return ts_to_ns(ts);
}

static struct ktimer *timer_find(struct thread_group *tg, int id)
{
	struct list_head *p;
	list_for_each(p, &all_timers) {
		struct ktimer *k = list_entry(p, struct ktimer, link);
		if (k->owner == tg && k->id == id)
			return k;
	}
	return NULL;
}

static int timers_of(struct thread_group *tg)
{
	int n = 0;
	struct list_head *p;
	list_for_each(p, &all_timers)
		n += list_entry(p, struct ktimer, link)->owner == tg;
	return n;
}

/* Ids count up from 0 per process, skipping ones in use. */
static int timer_new_id(struct thread_group *tg)
{
	for (;;) {
		int id = tg->next_timer_id;
		tg->next_timer_id = id == INT32_MAX ? 0 : id + 1;
		if (!timer_find(tg, id))
			return id;
	}
}

/* Moves a periodic timer's expiry past now; returns how many periods that took. */
static int64_t timer_forward(struct ktimer *k, uint64_t now)
{
	if (k->expires_ns > now || !k->interval_ns)
		return 0;
	uint64_t n = (now - k->expires_ns) / k->interval_ns + 1;
	k->expires_ns += n * k->interval_ns;
	return (int64_t)n;
}

static void timer_queue_signal(struct ktimer *k)
{
	if (signal_is_ignored(k->owner, k->signo)) {
		k->ignored = k->interval_ns != 0;   /* a one-shot timer's signal is just lost */
		return;
	}
	k->ignored = false;
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	info.si_signo = k->signo;
	info.si_code = SI_TIMER;
	info.si_timerid = k->id;
	info.si_value = k->value;
	memcpy((char *)&info + SI_SEQ_OFFSET, &k->seq, sizeof(k->seq));
	if (k->notify & SIGEV_THREAD_ID) {
		struct task *t = task_by_tid(k->thread);
		if (t && t->tg == k->owner)
			signal_send_task(t, k->signo, &info);
		return;
	}
	signal_send_tg(k->owner, k->signo, &info);
}

static void timer_expire(struct ktimer *k)
{
	k->status = k->interval_ns ? TIMER_REQUEUE_PENDING : TIMER_DISARMED;
	timer_queue_signal(k);
}

bool posix_timer_deliver(struct thread_group *tg, siginfo_t *info)
{
	uint32_t seq;
	memcpy(&seq, (char *)info + SI_SEQ_OFFSET, sizeof(seq));
	memset((char *)info + SI_SEQ_OFFSET, 0, sizeof(seq));
	struct ktimer *k = timer_find(tg, info->si_timerid);
	if (!k || k->seq != seq)
		return false;
	if (!k->interval_ns || k->status != TIMER_REQUEUE_PENDING)
		return true;
	k->overrun += timer_forward(k, clock_now(k));
	k->status = TIMER_ARMED;
	k->overrun_last = k->overrun > INT32_MAX ? INT32_MAX : (int)k->overrun;
	k->overrun = -1;
	k->seq++;
	info->si_overrun = k->overrun_last;
	return true;
}

void posix_timers_fire(uint64_t mono_now, bool cpu_poll)
{
	(void)mono_now;
	struct list_head *p, *n;
	list_for_each_safe(p, n, &all_timers) {
		struct ktimer *k = list_entry(p, struct ktimer, link);
		if (k->ignored) {
			if (!signal_is_ignored(k->owner, k->signo))
				timer_queue_signal(k);
			continue;
		}
		if (k->status != TIMER_ARMED || (cpu_clock(k) && !cpu_poll))
			continue;
		if (clock_now(k) >= k->expires_ns)
			timer_expire(k);
	}
}

uint64_t posix_timers_next_deadline(uint64_t mono_now, bool *cpu_armed)
{
	uint64_t best = 0;
	struct list_head *p;
	list_for_each(p, &all_timers) {
		struct ktimer *k = list_entry(p, struct ktimer, link);
		if (k->status != TIMER_ARMED)
			continue;
		if (cpu_clock(k)) {
			*cpu_armed = true;
			continue;
		}
		uint64_t now = clock_now(k);
		uint64_t at = mono_now + (k->expires_ns > now ? k->expires_ns - now : 0);
		if (!best || at < best)
			best = at;
	}
	return best;
}

static void timer_free(struct ktimer *k)
{
	list_del_init(&k->link);
	free(k);
}

void posix_timers_exit(struct thread_group *tg)
{
	struct list_head *p, *n;
	list_for_each_safe(p, n, &all_timers) {
		struct ktimer *k = list_entry(p, struct ktimer, link);
		if (k->owner == tg)
			timer_free(k);
	}
}

/* Linux's good_sigevent(): a thread target must be in the caller's process, and a
 * signal must be a real one. SIGEV_THREAD reaches the kernel only as a signal. */
static int sigevent_check(struct task *t, const struct sigevent *ev)
{
	switch (ev->sigev_notify) {
	case SIGEV_SIGNAL | SIGEV_THREAD_ID: {
		struct task *target = task_by_tid(ev->_sigev_un._tid);
		if (!target || target->tg != t->tg)
			return -EINVAL;
	}
		/* fall through */
	case SIGEV_SIGNAL:
	case SIGEV_THREAD:
		if (ev->sigev_signo <= 0 || ev->sigev_signo > SIG_MAX)
			return -EINVAL;
		/* fall through */
	case SIGEV_NONE:
		return 0;
	}
	return -EINVAL;
}

/* k comes with its clock set up (clock_usable) and is filled in and listed here. */
static void timer_add(struct task *t, struct ktimer *k, const struct sigevent *ev)
{
	k->owner = t->tg;
	k->id = timer_new_id(t->tg);
	k->overrun = -1;
	if (ev) {
		k->notify = ev->sigev_notify;
		k->signo = ev->sigev_signo;
		k->value = ev->sigev_value;
		k->thread = ev->_sigev_un._tid;
	} else {
		/* the default: SIGALRM to the process, carrying the timer's id */
		k->notify = SIGEV_SIGNAL;
		k->signo = SIGALRM;
		k->value.sival_int = k->id;
	}
	list_add_tail(&k->link, &all_timers);
}

long sys_timer_create(struct task *t, struct syscall_args *a)
{
	struct sigevent ev;
	if (a->a[1] && guest_read(t, &ev, a->a[1], sizeof(ev)) < 0)
		return -EFAULT;
	struct ktimer probe = { .clock = (clockid_t)a->a[0] };
	int err = clock_usable(t, probe.clock, &probe);
	if (err < 0)
		return err;
	if ((rlim_t)timers_of(t->tg) >= t->tg->rlim[RLIMIT_SIGPENDING].rlim_cur)
		return -EAGAIN;   /* each timer holds a preallocated queued signal */
	if (a->a[1] && (err = sigevent_check(t, &ev)) < 0)
		return err;
	struct ktimer *k = xcalloc(1, sizeof(*k));
	*k = probe;
	timer_add(t, k, a->a[1] ? &ev : NULL);
	int id = k->id;
	if (guest_write(t, a->a[2], &id, sizeof(id)) < 0) {
		timer_free(k);
		return -EFAULT;
	}
	return 0;
}

/* timer_gettime's view. A periodic timer waiting for its signal's delivery is moved on
 * here too (the periods count as overruns); an expired one-shot SIGEV_NONE timer reads
 * zero, any other expired-but-armed timer 1 ns. */
static void timer_get(struct ktimer *k, struct itimerspec *out)
{
	memset(out, 0, sizeof(*out));
	bool none = k->notify == SIGEV_NONE;
	if (k->interval_ns)
		out->it_interval = ns_to_ts(k->interval_ns);
	else if (k->status == TIMER_DISARMED && !none)
		return;
	if (!k->expires_ns)
		return;
	uint64_t now = clock_now(k);
	if (k->interval_ns && k->status != TIMER_ARMED)
		k->overrun += timer_forward(k, now);
	if (k->expires_ns > now)
		out->it_value = ns_to_ts(k->expires_ns - now);
	else if (!none)
		out->it_value.tv_nsec = 1;
}

/* Arming (or disarming, with a zero value) makes any queued signal of the old arming
 * stale and resets the overrun count. SIGEV_NONE timers never fire; they only count. */
static void timer_set(struct ktimer *k, int flags, const struct itimerspec *nv)
{
	uint64_t value = ts_to_ns(nv->it_value);
	k->interval_ns = value ? ts_to_ns(nv->it_interval) : 0;
	k->overrun_last = 0;
	k->overrun = -1;
	k->seq++;
	k->ignored = false;
	k->status = TIMER_DISARMED;
	k->expires_ns = 0;
	if (!value)
		return;
	k->expires_ns = (flags & TIMER_ABSTIME) ? value : clock_now(k) + value;
	if (k->notify != SIGEV_NONE)
		k->status = TIMER_ARMED;
}

long sys_timer_settime(struct task *t, struct syscall_args *a)
{
	struct itimerspec nv, old;
	if (!a->a[2])
		return -EINVAL;
	if (guest_read(t, &nv, a->a[2], sizeof(nv)) < 0)
		return -EFAULT;
	if (!ts_valid(nv.it_interval) || !ts_valid(nv.it_value))
		return -EINVAL;
	struct ktimer *k = timer_find(t->tg, (int)a->a[0]);
	if (!k)
		return -EINVAL;
	timer_get(k, &old);
	timer_set(k, (int)a->a[1], &nv);
	if (a->a[3] && guest_write(t, a->a[3], &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_timer_gettime(struct task *t, struct syscall_args *a)
{
	struct ktimer *k = timer_find(t->tg, (int)a->a[0]);
	if (!k)
		return -EINVAL;
	struct itimerspec cur;
	timer_get(k, &cur);
	return guest_write(t, a->a[1], &cur, sizeof(cur)) < 0 ? -EFAULT : 0;
}

long sys_timer_getoverrun(struct task *t, struct syscall_args *a)
{
	struct ktimer *k = timer_find(t->tg, (int)a->a[0]);
	return k ? k->overrun_last : -EINVAL;
}

long sys_timer_delete(struct task *t, struct syscall_args *a)
{
	struct ktimer *k = timer_find(t->tg, (int)a->a[0]);
	if (!k)
		return -EINVAL;
	timer_free(k);
	return 0;
}
