/*
 * Accounting: getrusage, times, sysinfo, and the CPU time a process leaves its parent.
 * A live process's numbers are its task host's (the host counts guest code exactly);
 * a dead one's were taken from the host's wait4 as its last thread was reaped.
 */
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <time.h>
#include "kernel/kernel.h"
#include "fs/proc/proc.h"
#include "mm/meminfo.h"
#include "platform/hostusage.h"
#include "platform/platform.h"
#include "sys/syscalls.h"
#include "task/accounting.h"

#define NS_PER_SEC 1000000000ULL
#define NS_PER_TICK 10000000ULL        /* clock_t counts USER_HZ (100) ticks */

static uint64_t tv_to_ns(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * NS_PER_SEC + (uint64_t)tv.tv_usec * 1000;
}

static struct timeval ns_to_tv(uint64_t ns)
{
	return (struct timeval){ (time_t)(ns / NS_PER_SEC), (suseconds_t)(ns % NS_PER_SEC / 1000) };
}

/* Guest clocks are the host's (clock_gettime runs natively), so the guest has been up
 * as long as CLOCK_BOOTTIME says, which is what Linux's sysinfo reports too. */
static uint64_t boottime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

static bool tg_alive(const struct thread_group *tg) { return !tg->zombie && tg->nr_threads > 0; }

void tg_cputime(struct thread_group *tg, uint64_t *utime_ns, uint64_t *stime_ns)
{
	uint64_t u = 0, s = 0;
	if (tg_alive(tg))
		host_cputime(tg->host_tgid, 0, &u, &s);
	/* never below what was recorded: the host's figures only grow */
	*utime_ns = u > tg->utime_ns ? u : tg->utime_ns;
	*stime_ns = s > tg->stime_ns ? s : tg->stime_ns;
}

/* Each reaped host thread reports the whole process's usage so far: keep the latest. */
void task_account_exit(struct task *t, const struct rusage *ru)
{
	struct thread_group *tg = t->tg;
	uint64_t u = tv_to_ns(ru->ru_utime), s = tv_to_ns(ru->ru_stime);
	if (u > tg->utime_ns)
		tg->utime_ns = u;
	if (s > tg->stime_ns)
		tg->stime_ns = s;
	long maxrss = tg->exit_rusage.ru_maxrss;
	tg->exit_rusage = *ru;
	if (maxrss > ru->ru_maxrss)
		tg->exit_rusage.ru_maxrss = maxrss;
}

static void rusage_add_counts(struct rusage *to, const struct rusage *from)
{
	if (from->ru_maxrss > to->ru_maxrss)
		to->ru_maxrss = from->ru_maxrss;
	to->ru_minflt += from->ru_minflt;
	to->ru_majflt += from->ru_majflt;
	to->ru_inblock += from->ru_inblock;
	to->ru_oublock += from->ru_oublock;
	to->ru_nvcsw += from->ru_nvcsw;
	to->ru_nivcsw += from->ru_nivcsw;
}

/* What wait reports for a child (dead, or stopped or continued): its own usage plus
 * that of the children it reaped. */
void tg_wait_rusage(struct thread_group *c, struct rusage *out)
{
	if (!tg_alive(c) || host_rusage(c->host_tgid, 0, out) < 0)
		*out = c->exit_rusage;
	uint64_t u, s;
	tg_cputime(c, &u, &s);
	rusage_add_counts(out, &c->children_rusage);
	out->ru_utime = ns_to_tv(u + c->cutime_ns);
	out->ru_stime = ns_to_tv(s + c->cstime_ns);
}

/* A parent reaping a dead child by wait takes on its usage (not when it is
 * auto-reaped: then it is lost, as in Linux). */
void tg_reap_account(struct thread_group *parent, struct thread_group *c)
{
	struct rusage both;
	tg_wait_rusage(c, &both);
	parent->cutime_ns += c->utime_ns + c->cutime_ns;
	parent->cstime_ns += c->stime_ns + c->cstime_ns;
	rusage_add_counts(&parent->children_rusage, &both);
}

static void self_rusage(struct task *t, bool thread, struct rusage *ru)
{
	struct thread_group *tg = t->tg;
	memset(ru, 0, sizeof(*ru));
	if (host_rusage(tg->host_tgid, thread ? t->host_tid : 0, ru) < 0)
		*ru = tg->exit_rusage;
	if (thread)
		return;
	uint64_t u, s;
	tg_cputime(tg, &u, &s);
	ru->ru_utime = ns_to_tv(u);
	ru->ru_stime = ns_to_tv(s);
}

long sys_getrusage(struct task *t, struct syscall_args *a)
{
	int who = (int)a->a[0];
	struct rusage ru;
	struct thread_group *tg = t->tg;
	switch (who) {
	case RUSAGE_SELF:
	case RUSAGE_THREAD:
		self_rusage(t, who == RUSAGE_THREAD, &ru);
		break;
	case RUSAGE_CHILDREN:
		ru = tg->children_rusage;
		ru.ru_utime = ns_to_tv(tg->cutime_ns);
		ru.ru_stime = ns_to_tv(tg->cstime_ns);
		break;
	default:
		return -EINVAL;
	}
	return guest_write(t, a->a[1], &ru, sizeof(ru)) < 0 ? -EFAULT : 0;
}

/* Returns clock ticks since boot (Linux's starts from an arbitrary point; any is valid). */
long sys_times(struct task *t, struct syscall_args *a)
{
	if (a->a[0]) {
		uint64_t u, s;
		tg_cputime(t->tg, &u, &s);
		struct tms tms = {
			.tms_utime = (clock_t)(u / NS_PER_TICK), .tms_stime = (clock_t)(s / NS_PER_TICK),
			.tms_cutime = (clock_t)(t->tg->cutime_ns / NS_PER_TICK),
			.tms_cstime = (clock_t)(t->tg->cstime_ns / NS_PER_TICK),
		};
		if (guest_write(t, a->a[0], &tms, sizeof(tms)) < 0)
			return -EFAULT;
	}
	return (long)(boottime_ns() / NS_PER_TICK);
}

static unsigned count_threads(void)
{
	unsigned n = 0;
	struct list_head *p;
	list_for_each(p, &all_tasks)
		n++;
	return n;
}

/* Uptime is rounded up, as Linux does; memory is mem= and what the task hosts hold. */
long sys_sysinfo(struct task *t, struct syscall_args *a)
{
	struct sysinfo si;
	memset(&si, 0, sizeof(si));
	uint64_t up = boottime_ns();
	si.uptime = (long)(up / NS_PER_SEC + (up % NS_PER_SEC ? 1 : 0));
	uint64_t total = mem_total_bytes(), used = mem_used_bytes();
	si.totalram = total;
	si.freeram = total > used ? total - used : 0;
	proc_loadavg(si.loads, SI_LOAD_SHIFT);
	unsigned procs = count_threads();
	si.procs = (unsigned short)(procs > 0xffff ? 0xffff : procs);
	si.mem_unit = 1;
	return guest_write(t, a->a[0], &si, sizeof(si)) < 0 ? -EFAULT : 0;
}
