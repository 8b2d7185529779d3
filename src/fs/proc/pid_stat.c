/*
 * /proc/<pid>/stat, status and statm: the guest's ids, credentials and signal actions
 * from our objects; memory, CPU time and pending/blocked masks from the task host,
 * which is where the guest process really runs.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include "fs/proc/format.h"
#include "fs/proc/hostproc.h"
#include "fs/proc/internal.h"

/* The tty layer's answers, when it is linked in (weak: procfs works without it). */
struct tty;
dev_t tty_devnum(struct tty *tty) __attribute__((weak));
pid_t tty_foreground_pgrp(struct tty *tty) __attribute__((weak));

#define PF_EXITING   0x00000004   /* Linux's task flags that ps looks at */
#define PF_RANDOMIZE 0x00400000
#define CAP_FULL     0x000001ffffffffffULL  /* the 41 capabilities of Linux 6.1 */
#define DEFAULT_PRIO 20

/* Linux's state letter. A task in a passed-through host call, or in one the seccomp
 * filter lets through (nanosleep, futex, pause), may really sleep there. */
static char state_letter(struct thread_group *tg, struct task *t, char host_state)
{
	if (tg->zombie || !t)
		return 'Z';
	if (t->state == TASK_DEAD)
		return 'X';
	if (t->group_stopped || tg->stopped)
		return 'T';
	if (t->state == TASK_PARKED)
		return 'S';
	if ((t->stop == STOP_SYSCALL_EXIT || t->stop == STOP_NONE) &&
	    (host_state == 'S' || host_state == 'D'))
		return host_state;
	return 'R';
}

char proc_task_state(struct thread_group *tg, struct task *t)
{
	struct hostproc_sigmasks hm = { 0 };
	if (t && t->state == TASK_RUNNING && (t->stop == STOP_SYSCALL_EXIT || t->stop == STOP_NONE))
		hostproc_sigmasks(tg->host_tgid, t->host_tid, &hm);
	return state_letter(tg, t, hm.state);
}

static const char *state_name(char c)
{
	switch (c) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'D': return "D (disk sleep)";
	case 'T': return "T (stopped)";
	case 't': return "t (tracing stop)";
	case 'X': return "X (dead)";
	default:  return "Z (zombie)";
	}
}

/* Linux's new_encode_dev, the form tty_nr takes. */
static int encode_dev(dev_t d)
{
	unsigned ma = major(d), mi = minor(d);
	return (int)((mi & 0xff) | (ma << 8) | ((mi & ~0xffu) << 12));
}

static void tty_fields(struct thread_group *tg, int *tty_nr, pid_t *tpgid)
{
	*tty_nr = 0;
	*tpgid = -1;
	if (!tg->ctty)
		return;
	if (tty_devnum)
		*tty_nr = encode_dev(tty_devnum(tg->ctty));
	if (tty_foreground_pgrp)
		*tpgid = tty_foreground_pgrp(tg->ctty);
}

static const struct k_sigaction *tg_actions(struct thread_group *tg)
{
	static const struct k_sigaction all_default[KSIG_MAX];
	return tg->sighand ? tg->sighand->action : all_default;
}

static unsigned long long ticks(uint64_t ns)
{
	return ns / NS_PER_TICK;
}

/* What our own objects know about the process. */
static void stat_from_task(struct proc_stat_fields *s, struct thread_group *tg, struct task *t,
			   bool whole, bool permitted)
{
	s->pid = whole || !t ? tg->tgid : t->tid;
	s->comm = proc_task_comm(tg, t);
	s->ppid = tg->parent ? tg->parent->tgid : 0;
	s->pgrp = tg->pgid;
	s->session = tg->sid;
	tty_fields(tg, &s->tty_nr, &s->tpgid);
	s->flags = PF_RANDOMIZE | (tg->zombie ? PF_EXITING : 0);
	s->cutime = (long long)ticks(tg->cutime_ns);
	s->cstime = (long long)ticks(tg->cstime_ns);
	/* Linux's task_prio(): 20 + nice for normal policies, -1 - priority for real time */
	bool rt = tg->sched_policy == SCHED_FIFO || tg->sched_policy == SCHED_RR;
	s->priority = rt ? -1 - tg->sched_priority : DEFAULT_PRIO + tg->nice;
	s->nice = tg->nice;   /* the static priority stays under a real-time policy */
	s->policy = (unsigned)tg->sched_policy;
	s->rt_priority = rt ? (unsigned)tg->sched_priority : 0;
	s->num_threads = tg->nr_threads;
	uint64_t boot = proc_boot_ns();
	s->starttime = tg->start_time_ns > boot ? ticks(tg->start_time_ns - boot) : 0;
	s->rsslim = tg->rlim[RLIMIT_RSS].rlim_cur;
	s->exit_signal = whole || !t || t->tid == tg->tgid ? tg->exit_signal : -1;
	uint64_t ign, cgt;
	proc_sigmasks_from_actions(tg_actions(tg), &ign, &cgt);
	s->sigignore = ign;
	s->sigcatch = cgt;
	bool mm = !tg->zombie && t;
	/* where Linux hides an address from others it shows 1 (code) or 0 */
	s->startcode = s->endcode = mm ? 1 : 0;
	s->startstack = mm && permitted ? tg->stack_top : 0;
	s->start_brk = mm && permitted ? tg->brk_start : 0;
	s->exit_code = permitted && tg->zombie ? tg->exit_status : 0;
}

/* What the host knows: faults, CPU time, memory, masks. */
static void stat_from_host(struct proc_stat_fields *s, struct thread_group *tg, struct task *t, bool whole)
{
	struct proc_host_stat hs;
	pid_t host_tid = whole || !t ? 0 : t->host_tid;
	struct hostproc_sigmasks hm = { 0 };
	if (tg->zombie || hostproc_stat(tg->host_tgid, host_tid, &hs) < 0) {
		s->utime = ticks(tg->utime_ns);
		s->stime = ticks(tg->stime_ns);
		s->state = state_letter(tg, t, 0);
		return;
	}
	if (t)
		hostproc_sigmasks(tg->host_tgid, t->host_tid, &hm);
	s->state = state_letter(tg, t, hm.state);
	s->minflt = hs.f[10];
	s->cminflt = hs.f[11];
	s->majflt = hs.f[12];
	s->cmajflt = hs.f[13];
	s->utime = hs.f[14];
	s->stime = hs.f[15];
	s->vsize = hs.f[23];
	s->rss = hs.f[24];
	s->signal = hm.pending;
	s->blocked = hm.blocked;
}

int proc_show_stat(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	struct thread_group *tg;
	struct task *t;
	int err = proc_node_target(n, &tg, &t);
	if (err < 0)
		return err;
	bool whole = n->tid == 0;
	struct proc_stat_fields s = { 0 };
	stat_from_task(&s, tg, t, whole, proc_may_inspect(reader, tg, t));
	stat_from_host(&s, tg, t, whole);
	proc_format_stat(b, &s);
	return 0;
}

static void status_ids(struct proc_buf *b, struct thread_group *tg, struct task *t, pid_t pid, char state)
{
	proc_printf(b, "Name:\t%s\n", proc_task_comm(tg, t));
	if (t && t->fs)
		proc_printf(b, "Umask:\t%04o\n", (unsigned)t->fs->umask);
	proc_printf(b, "State:\t%s\n", state_name(state));
	proc_printf(b, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", tg->tgid, pid,
		    tg->parent ? tg->parent->tgid : 0);
	struct cred none = { 0 };
	const struct cred *c = t ? &t->cred : &none;
	proc_printf(b, "Uid:\t%u\t%u\t%u\t%u\n", c->uid, c->euid, c->suid, c->fsuid);
	proc_printf(b, "Gid:\t%u\t%u\t%u\t%u\n", c->gid, c->egid, c->sgid, c->fsgid);
	proc_printf(b, "FDSize:\t%d\n", t && t->files ? t->files->max : 0);
	pbuf_puts(b, "Groups:\t");
	for (int i = 0; i < c->ngroups; i++)
		proc_printf(b, "%s%u", i ? " " : "", c->groups[i]);
	/* Linux has always ended this line with a space */
	pbuf_puts(b, " \n");
	proc_printf(b, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", tg->tgid, pid, tg->pgid, tg->sid);
}

static void status_memory(struct proc_buf *b, struct thread_group *tg, struct task *t)
{
	static const char *const vm_lines[] = { "Vm", "Rss", "HugetlbPages", NULL };
	if (tg->zombie || !t)
		return;   /* Linux shows no memory for a process without an mm */
	hostproc_status_copy(b, tg->host_tgid, 0, vm_lines);
	pbuf_puts(b, "CoreDumping:\t0\nTHP_enabled:\t0\n");
}

static void status_signals(struct proc_buf *b, struct thread_group *tg, struct task *t)
{
	struct hostproc_sigmasks hm = { 0 };
	uint64_t ign, cgt;
	if (t && !tg->zombie)
		hostproc_sigmasks(tg->host_tgid, t->host_tid, &hm);
	proc_sigmasks_from_actions(tg_actions(tg), &ign, &cgt);
	proc_printf(b, "Threads:\t%d\n", tg->nr_threads);
	proc_printf(b, "SigQ:\t0/%llu\n", (unsigned long long)tg->rlim[RLIMIT_SIGPENDING].rlim_cur);
	proc_printf(b, "SigPnd:\t%016llx\nShdPnd:\t%016llx\nSigBlk:\t%016llx\n",
		    (unsigned long long)hm.pending, (unsigned long long)hm.shared_pending,
		    (unsigned long long)hm.blocked);
	proc_printf(b, "SigIgn:\t%016llx\nSigCgt:\t%016llx\n", (unsigned long long)ign,
		    (unsigned long long)cgt);
}

/* Root holds every capability; Linux keeps the permitted set while any id is 0. */
static void status_caps(struct proc_buf *b, struct task *t)
{
	struct cred none = { .uid = 1, .euid = 1, .suid = 1 };
	const struct cred *c = t ? &t->cred : &none;
	uint64_t prm = c->uid == 0 || c->euid == 0 || c->suid == 0 ? CAP_FULL : 0;
	uint64_t eff = c->euid == 0 ? CAP_FULL : 0;
	proc_printf(b, "CapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\n", 0ULL,
		    (unsigned long long)prm, (unsigned long long)eff);
	proc_printf(b, "CapBnd:\t%016llx\nCapAmb:\t%016llx\n", CAP_FULL, 0ULL);
}

/* UML has one CPU and one memory node, and no speculation controls to report. */
static void status_tail(struct proc_buf *b, struct thread_group *tg, struct task *t)
{
	pbuf_puts(b, "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
	pbuf_puts(b, "Speculation_Store_Bypass:\tunknown\nSpeculationIndirectBranch:\tunknown\n");
	pbuf_puts(b, "Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\nMems_allowed_list:\t0\n");
	size_t before = b->len;
	static const char *const ctxt[] = { "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches", NULL };
	if (t && !tg->zombie)
		hostproc_status_copy(b, tg->host_tgid, t->host_tid, ctxt);
	if (b->len == before)
		pbuf_puts(b, "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
}

int proc_show_status(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	struct thread_group *tg;
	struct task *t;
	int err = proc_node_target_for(n, reader, false, &tg, &t);
	if (err < 0)
		return err;
	pid_t pid = n->tid ? n->tid : tg->tgid;
	status_ids(b, tg, t, pid, proc_task_state(tg, t));
	status_memory(b, tg, t);
	status_signals(b, tg, t);
	status_caps(b, t);
	status_tail(b, tg, t);
	return 0;
}

int proc_show_statm(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	struct thread_group *tg;
	struct task *t;
	int err = proc_node_target_for(n, reader, false, &tg, &t);
	if (err < 0)
		return err;
	size_t len = 0;
	char *text = tg->zombie || !t ? NULL : hostproc_read(tg->host_tgid, 0, "statm", &len);
	if (text)
		pbuf_put(b, text, len);
	else
		pbuf_puts(b, "0 0 0 0 0 0 0\n");
	free(text);
	return 0;
}
