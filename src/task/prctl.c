/*
 * prctl(2) and personality(2): per-process switches kept in our bookkeeping. Options we
 * do not model fail with EINVAL, which is what Linux answers for options it lacks.
 */
#include <linux/prctl.h>
#include <linux/securebits.h>
#include <signal.h>
#include <string.h>
#include "kernel/kernel.h"
#include "platform/platform.h"
#include "sys/syscalls.h"
#include "task/cred.h"
#include "task/prctl.h"

#define TIMER_SLACK_DEFAULT_NS 50000UL
#define SUID_DUMP_DISABLE 0
#define SUID_DUMP_USER 1

static long put_int(struct task *t, unsigned long addr, int v)
{
	return guest_write(t, addr, &v, sizeof(v)) < 0 ? -EFAULT : 0;
}

/* The name is per thread; the process's name (/proc/<pid>/stat) is its leader's. */
static long set_name(struct task *t, unsigned long uname)
{
	char name[16];
	memset(name, 0, sizeof(name));
	if (guest_read_str(t, name, uname, sizeof(name)) == -EFAULT)
		return -EFAULT;
	name[sizeof(name) - 1] = 0;   /* longer names are cut to TASK_COMM_LEN - 1 */
	memcpy(t->comm, name, sizeof(t->comm));
	if (t->tid == t->tg->tgid)
		memcpy(t->tg->comm, name, sizeof(t->tg->comm));
	return 0;
}

static long get_name(struct task *t, unsigned long uname)
{
	char name[16];
	memcpy(name, t->comm, sizeof(name));
	name[sizeof(name) - 1] = 0;
	return guest_write(t, uname, name, sizeof(name)) < 0 ? -EFAULT : 0;
}

/* The capability options Linux's security module answers before the generic ones;
 * -ENOSYS means "not one of them". */
static long cap_prctl(struct task *t, int option, unsigned long arg2)
{
	struct cred *c = &t->cred;
	switch (option) {
	case PR_CAPBSET_READ:
		if (arg2 > CAP_LAST_CAP)
			return -EINVAL;
		return !!(cred_cap_bset(c) & (1ULL << arg2));
	case PR_CAPBSET_DROP:
		if (!cred_capable(c, CAP_SETPCAP))
			return -EPERM;
		if (arg2 > CAP_LAST_CAP)
			return -EINVAL;
		cred_bset_drop(c, (int)arg2);
		return 0;
	case PR_GET_KEEPCAPS:
		return c->keep_caps;
	case PR_SET_KEEPCAPS:
		if (arg2 > 1)
			return -EINVAL;
		c->keep_caps = arg2;
		return 0;
	case PR_GET_SECUREBITS:
		return c->keep_caps ? SECBIT_KEEP_CAPS : 0;
	}
	return -ENOSYS;
}

static long no_new_privs_prctl(struct task *t, int option, const unsigned long *arg)
{
	if (option == PR_SET_NO_NEW_PRIVS) {
		if (arg[2] != 1 || arg[3] || arg[4] || arg[5])
			return -EINVAL;
		t->cred.no_new_privs = true;
		return 0;
	}
	if (arg[2] || arg[3] || arg[4] || arg[5])
		return -EINVAL;
	return t->cred.no_new_privs;
}

static long process_prctl(struct task *t, int option, const unsigned long *arg)
{
	struct thread_group *tg = t->tg;
	switch (option) {
	case PR_SET_PDEATHSIG:
		if (arg[2] >= KSIG_MAX)
			return -EINVAL;
		tg->pdeath_signal = (int)arg[2];
		return 0;
	case PR_GET_PDEATHSIG:
		return put_int(t, arg[2], tg->pdeath_signal);
	case PR_SET_DUMPABLE:
		if (arg[2] != SUID_DUMP_DISABLE && arg[2] != SUID_DUMP_USER)
			return -EINVAL;
		tg->dumpable = (int)arg[2];
		return 0;
	case PR_GET_DUMPABLE:
		return tg->dumpable;
	case PR_SET_CHILD_SUBREAPER:
		tg->child_subreaper = arg[2] != 0;
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return put_int(t, arg[2], tg->child_subreaper);
	case PR_SET_TIMERSLACK:
		tg->timer_slack_ns = (long)arg[2] <= 0 ? 0 : arg[2];
		return 0;
	case PR_GET_TIMERSLACK:
		return (long)(tg->timer_slack_ns ? tg->timer_slack_ns : TIMER_SLACK_DEFAULT_NS);
	}
	return -ENOSYS;
}

long sys_prctl(struct task *t, struct syscall_args *a)
{
	int option = (int)a->a[0];
	/* arg[2..5] are prctl's arg2..arg5, named as in the manual */
	const unsigned long arg[6] = { 0, 0, a->a[1], a->a[2], a->a[3], a->a[4] };
	long r = cap_prctl(t, option, arg[2]);
	if (r != -ENOSYS)
		return r;
	r = process_prctl(t, option, arg);
	if (r != -ENOSYS)
		return r;
	switch (option) {
	case PR_SET_NAME:
		return set_name(t, arg[2]);
	case PR_GET_NAME:
		return get_name(t, arg[2]);
	case PR_SET_NO_NEW_PRIVS:
	case PR_GET_NO_NEW_PRIVS:
		return no_new_privs_prctl(t, option, arg);
	case PR_GET_SECCOMP:
		return 0;   /* our own filter is the platform's, not the guest's */
	case PR_GET_TID_ADDRESS:
		return guest_write(t, arg[2], &t->clear_child_tid, sizeof(unsigned long)) < 0 ? -EFAULT : 0;
	case PR_SET_MM:
		return -EPERM;   /* rewriting the memory map's fields is not offered */
	}
	return -EINVAL;
}

/* Recorded and reported; the flags (ADDR_NO_RANDOMIZE, ...) change nothing here. */
long sys_personality(struct task *t, struct syscall_args *a)
{
	unsigned int persona = (unsigned int)a->a[0];
	unsigned long old = t->tg->personality;
	if (persona != 0xffffffffU)
		t->tg->personality = persona;
	return (long)(unsigned int)old;
}

/* What a new process takes from its parent besides memory, files and credentials; the
 * parent-death signal and subreaper flag are not inherited. */
void tg_fork_inherit(struct thread_group *child, const struct thread_group *parent)
{
	child->dumpable = parent->dumpable;
	child->personality = parent->personality;
	child->timer_slack_ns = parent->timer_slack_ns;
	tg_inherit_sched(child, parent);
}
