/*
 * Interval timers, one set per process: alarm(2), setitimer(2), getitimer(2).
 *
 * ITIMER_REAL runs on CLOCK_MONOTONIC and sends SIGALRM (SI_KERNEL, as Linux's does).
 * ITIMER_VIRTUAL and ITIMER_PROF run on the process's user and user+system CPU time,
 * which the host counts for the task host. CPU time cannot be waited for, so while such
 * a timer is armed it is sampled every CPU_CLOCK_POLL_NS; Linux itself checks them once
 * per tick, so both fire within about a tick of the mark.
 */
#include <sys/time.h>
#include "kernel/kernel.h"
#include "platform/platform.h"
#include "signal/signal.h"
#include "signal/timers.h"
#include "sys/syscalls.h"
#include "task/accounting.h"

#define NS_PER_SEC 1000000000ULL
#define USEC_PER_SEC 1000000

enum { CPU_VIRT, CPU_PROF };   /* index of itimer_cpu_*: ITIMER_VIRTUAL, ITIMER_PROF */

static struct list_head armed = LIST_HEAD_INIT(armed);   /* processes with an itimer armed */
static uint64_t next_cpu_poll;

static uint64_t tv_to_ns(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * NS_PER_SEC + (uint64_t)tv.tv_usec * 1000;
}

static struct timeval ns_to_tv(uint64_t ns)
{
	return (struct timeval){ (time_t)(ns / NS_PER_SEC), (suseconds_t)(ns % NS_PER_SEC / 1000) };
}

static bool tv_valid(struct timeval tv)
{
	return tv.tv_sec >= 0 && tv.tv_usec >= 0 && tv.tv_usec < USEC_PER_SEC;
}

static uint64_t cpu_clock(struct thread_group *tg, int i)
{
	uint64_t u, s;
	tg_cputime(tg, &u, &s);
	return i == CPU_VIRT ? u : u + s;
}

static bool cpu_itimer_armed(const struct thread_group *tg)
{
	return tg->itimer_cpu_next_ns[CPU_VIRT] || tg->itimer_cpu_next_ns[CPU_PROF];
}

static void update_armed(struct thread_group *tg)
{
	bool want = tg->itimer_real_next_ns || cpu_itimer_armed(tg);
	bool on = !list_empty(&tg->timer_link);
	if (want && !on)
		list_add_tail(&tg->timer_link, &armed);
	else if (!want && on)
		list_del_init(&tg->timer_link);
}

/* Time left: an armed timer already due still shows a little (1 us, or 1 tick for CPU
 * timers), so a caller never mistakes it for a disarmed one. */
static void itimer_get(struct thread_group *tg, int which, struct itimerval *out)
{
	uint64_t next, interval, now, due;
	if (which == ITIMER_REAL) {
		next = tg->itimer_real_next_ns;
		interval = tg->itimer_real_interval_ns;
		now = next ? now_ns() : 0;
		due = 1000;
	} else {
		int i = which == ITIMER_VIRTUAL ? CPU_VIRT : CPU_PROF;
		next = tg->itimer_cpu_next_ns[i];
		interval = tg->itimer_cpu_interval_ns[i];
		now = next ? cpu_clock(tg, i) : 0;
		due = CPU_CLOCK_POLL_NS;
	}
	uint64_t left = !next ? 0 : next > now ? next - now : due;
	out->it_value = ns_to_tv(left);
	out->it_interval = ns_to_tv(interval);
}

/* A zero value disarms; Linux then forgets a real timer's interval but keeps a CPU
 * timer's (getitimer shows it). */
static void itimer_set(struct thread_group *tg, int which, const struct itimerval *nv, struct itimerval *old)
{
	itimer_get(tg, which, old);
	uint64_t value = tv_to_ns(nv->it_value), interval = tv_to_ns(nv->it_interval);
	if (which == ITIMER_REAL) {
		tg->itimer_real_next_ns = value ? now_ns() + value : 0;
		tg->itimer_real_interval_ns = value ? interval : 0;
	} else {
		int i = which == ITIMER_VIRTUAL ? CPU_VIRT : CPU_PROF;
		tg->itimer_cpu_next_ns[i] = value ? cpu_clock(tg, i) + value : 0;
		tg->itimer_cpu_interval_ns[i] = interval;
	}
	update_armed(tg);
}

static bool valid_which(int which) { return which >= ITIMER_REAL && which <= ITIMER_PROF; }

/* A NULL new value disarms (Linux accepts it with a warning). */
long sys_setitimer(struct task *t, struct syscall_args *a)
{
	int which = (int)a->a[0];
	struct itimerval nv = { { 0, 0 }, { 0, 0 } }, old;
	if (a->a[1]) {
		if (guest_read(t, &nv, a->a[1], sizeof(nv)) < 0)
			return -EFAULT;
		if (!tv_valid(nv.it_value) || !tv_valid(nv.it_interval))
			return -EINVAL;
	}
	if (!valid_which(which))
		return -EINVAL;
	itimer_set(t->tg, which, &nv, &old);
	if (a->a[2] && guest_write(t, a->a[2], &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_getitimer(struct task *t, struct syscall_args *a)
{
	int which = (int)a->a[0];
	if (!valid_which(which))
		return -EINVAL;
	struct itimerval cur;
	itimer_get(t->tg, which, &cur);
	return guest_write(t, a->a[1], &cur, sizeof(cur)) < 0 ? -EFAULT : 0;
}

/* alarm never answers 0 for a pending alarm: the remainder is rounded to the nearest
 * second, and anything under a second counts as one. */
long sys_alarm(struct task *t, struct syscall_args *a)
{
	struct itimerval nv = { { 0, 0 }, { (time_t)(unsigned int)a->a[0], 0 } }, old;
	itimer_set(t->tg, ITIMER_REAL, &nv, &old);
	if ((!old.it_value.tv_sec && old.it_value.tv_usec) || old.it_value.tv_usec >= 500000)
		old.it_value.tv_sec++;
	return old.it_value.tv_sec;
}

/* A late periodic real timer skips the periods it missed instead of firing a burst. */
static void fire_real(struct thread_group *tg, uint64_t now)
{
	uint64_t next = tg->itimer_real_next_ns, iv = tg->itimer_real_interval_ns;
	if (!next || next > now)
		return;
	tg->itimer_real_next_ns = iv ? next + iv * ((now - next) / iv + 1) : 0;
	signal_send_tg(tg, SIGALRM, NULL);
}

/* CPU timers reload by one period per expiry, as Linux's tick check does. */
static void fire_cpu(struct thread_group *tg)
{
	static const int signo[2] = { SIGVTALRM, SIGPROF };
	for (int i = CPU_VIRT; i <= CPU_PROF; i++) {
		uint64_t next = tg->itimer_cpu_next_ns[i], iv = tg->itimer_cpu_interval_ns[i];
		if (!next || cpu_clock(tg, i) < next)
			continue;
		tg->itimer_cpu_next_ns[i] = iv ? next + iv : 0;
		signal_send_tg(tg, signo[i], NULL);
	}
}

void itimer_fire_expired(void)
{
	uint64_t now = now_ns();
	bool poll = now >= next_cpu_poll;
	if (poll)
		next_cpu_poll = now + CPU_CLOCK_POLL_NS;
	struct list_head *p, *n;
	list_for_each_safe(p, n, &armed) {
		struct thread_group *tg = list_entry(p, struct thread_group, timer_link);
		fire_real(tg, now);
		if (poll)
			fire_cpu(tg);
		update_armed(tg);
	}
	posix_timers_fire(now, poll);
}

uint64_t itimer_next_deadline(void)
{
	uint64_t now = now_ns();
	bool cpu = false;
	uint64_t best = posix_timers_next_deadline(now, &cpu);
	struct list_head *p;
	list_for_each(p, &armed) {
		struct thread_group *tg = list_entry(p, struct thread_group, timer_link);
		uint64_t next = tg->itimer_real_next_ns;
		if (next && (!best || next < best))
			best = next;
		cpu |= cpu_itimer_armed(tg);
	}
	uint64_t poll = next_cpu_poll > now ? next_cpu_poll : now;
	if (cpu && (!best || poll < best))
		best = poll;
	return best;
}

void timers_exit(struct thread_group *tg)
{
	tg->itimer_real_next_ns = tg->itimer_real_interval_ns = 0;
	for (int i = CPU_VIRT; i <= CPU_PROF; i++)
		tg->itimer_cpu_next_ns[i] = tg->itimer_cpu_interval_ns[i] = 0;
	update_armed(tg);
	posix_timers_exit(tg);
}

void timers_exec(struct thread_group *tg)
{
	posix_timers_exit(tg);
}
