/*
 * Scheduling parameters: nice values (getpriority/setpriority), policies and priorities
 * (sched_*), CPU affinity and getcpu. The guest has one CPU, as UML does; policies and
 * nice values are kept per process and reported back with Linux's permission rules, but
 * do not change how the host schedules the task hosts.
 */
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include "kernel/kernel.h"
#include "platform/platform.h"
#include "sys/syscalls.h"
#include "task/cred.h"
#include "task/prctl.h"

#define NICE_MIN (-20)
#define NICE_MAX 19
#define RT_PRIO_MAX 99
#define POLICY_KEEP (-1)    /* sched_setparam: the current policy */

static bool rt_policy(int policy) { return policy == SCHED_FIFO || policy == SCHED_RR; }
static bool valid_policy(int policy)
{
	return policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE || rt_policy(policy);
}

/* nice as the rlimit scale (RLIMIT_NICE and getpriority's raw result): 40..1 */
static long nice_to_rlimit(int nice) { return 20 - nice; }

/* Lowering a nice value needs RLIMIT_NICE room or CAP_SYS_NICE. */
static bool can_nice(struct task *caller, struct thread_group *tg, int nice)
{
	return (rlim_t)nice_to_rlimit(nice) <= tg->rlim[RLIMIT_NICE].rlim_cur ||
	       cred_capable(&caller->cred, CAP_SYS_NICE);
}

/* setpriority's owner rule: the caller's euid is the target's real or effective uid. */
static bool may_renice(struct task *caller, const struct task *target)
{
	const struct cred *c = &caller->cred, *tc = &target->cred;
	return tc->uid == c->euid || tc->euid == c->euid || cred_capable(c, CAP_SYS_NICE);
}

/* sched_setscheduler's owner rule compares the caller's euid instead. */
static bool same_owner(struct task *caller, const struct task *target)
{
	const struct cred *c = &caller->cred, *tc = &target->cred;
	return c->euid == tc->euid || c->euid == tc->uid;
}

/* The threads a PRIO_* selector names; a thread is visited once per call. */
static bool prio_matches(struct task *caller, struct task *x, int which, int who)
{
	switch (which) {
	case PRIO_PROCESS:
		return x->tid == (who ? who : caller->tid);
	case PRIO_PGRP:
		return x->tg->pgid == (who ? who : caller->tg->pgid);
	default:
		return x->cred.uid == (who ? (uid_t)who : caller->cred.uid);
	}
}

/* Each target's failure replaces the result; a success only clears "nothing found". */
static long set_one_nice(struct task *caller, struct task *target, int nice, long error)
{
	if (!may_renice(caller, target))
		return -EPERM;
	if (nice < target->tg->nice && !can_nice(caller, target->tg, nice))
		return -EACCES;
	target->tg->nice = nice;
	return error == -ESRCH ? 0 : error;
}

long sys_setpriority(struct task *t, struct syscall_args *a)
{
	int which = (int)a->a[0], who = (int)a->a[1], nice = (int)a->a[2];
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	nice = nice < NICE_MIN ? NICE_MIN : nice > NICE_MAX ? NICE_MAX : nice;
	long error = -ESRCH;
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct task *x = list_entry(p, struct task, all_link);
		if (prio_matches(t, x, which, who))
			error = set_one_nice(t, x, nice, error);
	}
	return error;
}

/* The raw syscall answers 40..1 (20 - nice); libc turns it back into a nice value. */
long sys_getpriority(struct task *t, struct syscall_args *a)
{
	int which = (int)a->a[0], who = (int)a->a[1];
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	long best = -ESRCH;
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct task *x = list_entry(p, struct task, all_link);
		if (prio_matches(t, x, which, who) && nice_to_rlimit(x->tg->nice) > best)
			best = nice_to_rlimit(x->tg->nice);
	}
	return best;
}

static struct task *find_sched_target(struct task *t, pid_t pid)
{
	return pid ? task_by_tid(pid) : t;
}

static int policy_of(const struct thread_group *tg) { return tg->sched_policy & ~SCHED_RESET_ON_FORK; }

/* What an unprivileged caller may not do without CAP_SYS_NICE. */
static bool needs_cap_sys_nice(struct task *t, struct task *target, int policy, int prio, bool reset)
{
	struct thread_group *tg = target->tg;
	rlim_t rtprio = tg->rlim[RLIMIT_RTPRIO].rlim_cur;
	if (rt_policy(policy) && policy != policy_of(tg) && !rtprio)
		return true;
	if (rt_policy(policy) && prio > tg->sched_priority && (rlim_t)prio > rtprio)
		return true;
	if (policy_of(tg) == SCHED_IDLE && policy != SCHED_IDLE &&
	    (rlim_t)nice_to_rlimit(tg->nice) > tg->rlim[RLIMIT_NICE].rlim_cur)
		return true;
	if (!same_owner(t, target))
		return true;
	return (tg->sched_policy & SCHED_RESET_ON_FORK) && !reset;
}

static long set_scheduler(struct task *t, pid_t pid, int policy, unsigned long uparam)
{
	struct sched_param sp;
	if (!uparam || pid < 0)
		return -EINVAL;
	if (guest_read(t, &sp, uparam, sizeof(sp)) < 0)
		return -EFAULT;
	struct task *target = find_sched_target(t, pid);
	if (!target)
		return -ESRCH;
	bool reset = policy == POLICY_KEEP ? (target->tg->sched_policy & SCHED_RESET_ON_FORK) != 0
					   : (policy & SCHED_RESET_ON_FORK) != 0;
	policy = policy == POLICY_KEEP ? policy_of(target->tg) : policy & ~SCHED_RESET_ON_FORK;
	if (!valid_policy(policy))
		return -EINVAL;
	if ((unsigned)sp.sched_priority > RT_PRIO_MAX || rt_policy(policy) != (sp.sched_priority != 0))
		return -EINVAL;
	if (needs_cap_sys_nice(t, target, policy, sp.sched_priority, reset) &&
	    !cred_capable(&t->cred, CAP_SYS_NICE))
		return -EPERM;
	target->tg->sched_policy = policy | (reset ? SCHED_RESET_ON_FORK : 0);
	target->tg->sched_priority = sp.sched_priority;
	return 0;
}

long sys_sched_setscheduler(struct task *t, struct syscall_args *a)
{
	return set_scheduler(t, (pid_t)a->a[0], (int)a->a[1], a->a[2]);
}

long sys_sched_setparam(struct task *t, struct syscall_args *a)
{
	return set_scheduler(t, (pid_t)a->a[0], POLICY_KEEP, a->a[1]);
}

long sys_sched_getscheduler(struct task *t, struct syscall_args *a)
{
	pid_t pid = (pid_t)a->a[0];
	if (pid < 0)
		return -EINVAL;
	struct task *target = find_sched_target(t, pid);
	return target ? target->tg->sched_policy : -ESRCH;
}

long sys_sched_getparam(struct task *t, struct syscall_args *a)
{
	pid_t pid = (pid_t)a->a[0];
	if (!a->a[1] || pid < 0)
		return -EINVAL;
	struct task *target = find_sched_target(t, pid);
	if (!target)
		return -ESRCH;
	struct sched_param sp = { .sched_priority = target->tg->sched_priority };
	return guest_write(t, a->a[1], &sp, sizeof(sp)) < 0 ? -EFAULT : 0;
}

long sys_sched_get_priority_max(struct task *t, struct syscall_args *a)
{
	(void)t;
	int policy = (int)a->a[0];
	if (rt_policy(policy))
		return RT_PRIO_MAX;
	return valid_policy(policy) || policy == SCHED_DEADLINE ? 0 : -EINVAL;
}

long sys_sched_get_priority_min(struct task *t, struct syscall_args *a)
{
	(void)t;
	int policy = (int)a->a[0];
	if (rt_policy(policy))
		return 1;
	return valid_policy(policy) || policy == SCHED_DEADLINE ? 0 : -EINVAL;
}

/* Only CPU 0 exists: a mask without it leaves the task nowhere to run. */
long sys_sched_setaffinity(struct task *t, struct syscall_args *a)
{
	pid_t pid = (pid_t)a->a[0];
	size_t len = a->a[1];
	unsigned long mask = 0;
	if (guest_read(t, &mask, a->a[2], len < sizeof(mask) ? len : sizeof(mask)) < 0)
		return -EFAULT;
	struct task *target = pid >= 0 ? find_sched_target(t, pid) : NULL;
	if (!target)
		return -ESRCH;
	if (!same_owner(t, target) && !cred_capable(&t->cred, CAP_SYS_NICE))
		return -EPERM;
	return (mask & 1) ? 0 : -EINVAL;
}

long sys_getcpu(struct task *t, struct syscall_args *a)
{
	unsigned zero = 0;
	if (a->a[0] && guest_write(t, a->a[0], &zero, sizeof(zero)) < 0)
		return -EFAULT;
	if (a->a[1] && guest_write(t, a->a[1], &zero, sizeof(zero)) < 0)
		return -EFAULT;
	return 0;
}

/* What a new process takes from its parent (SCHED_RESET_ON_FORK gives it the defaults). */
void tg_inherit_sched(struct thread_group *child, const struct thread_group *parent)
{
	child->nice = parent->nice;
	child->sched_policy = parent->sched_policy;
	child->sched_priority = parent->sched_priority;
	if (!(parent->sched_policy & SCHED_RESET_ON_FORK))
		return;
	child->sched_policy = policy_of(parent);
	if (rt_policy(child->sched_policy)) {
		child->sched_policy = SCHED_OTHER;
		child->sched_priority = 0;
		child->nice = 0;
	} else if (child->nice < 0) {
		child->nice = 0;
	}
}
