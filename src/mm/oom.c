/*
 * Choosing a victim as Linux's OOM killer does in spirit: the process holding the most
 * memory, which here is what its task host holds in the host (anonymous, file and
 * shared resident pages, plus page tables). init is never chosen, nor a process already
 * exiting.
 */
#include <signal.h>
#include "fs/proc/hostproc.h"
#include "kernel/kernel.h"
#include "mm/oom.h"
#include "signal/signal.h"

static long long kb(pid_t host, const char *field)
{
	long long v = hostproc_status_kb(host, 0, field);
	return v < 0 ? 0 : v;
}

static long long badness(struct thread_group *tg)
{
	return kb(tg->host_tgid, "VmRSS") + kb(tg->host_tgid, "VmPTE");
}

static bool eligible(struct task *t)
{
	struct thread_group *tg = t->tg;
	/* once per process: its first thread stands for it */
	return tg != init_tg && !tg->zombie && !tg->group_exiting && tg->nr_threads > 0 &&
	       list_entry(tg->threads.next, struct task, thread_link) == t;
}

bool oom_kill_biggest(void)
{
	struct thread_group *victim = NULL;
	long long worst = -1;
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct task *t = list_entry(p, struct task, all_link);
		if (!eligible(t))
			continue;
		long long b = badness(t->tg);
		if (b > worst) {
			worst = b;
			victim = t->tg;
		}
	}
	if (!victim)
		return false;
	pid_t h = victim->host_tgid;
	struct task *l = list_entry(victim->threads.next, struct task, thread_link);
	printk("<3>Out of memory: Killed process %d (%s) total-vm:%lldkB, anon-rss:%lldkB, "
	       "file-rss:%lldkB, shmem-rss:%lldkB, UID:%u pgtables:%lldkB oom_score_adj:0\n",
	       (int)victim->tgid, victim->comm, kb(h, "VmSize"), kb(h, "RssAnon"),
	       kb(h, "RssFile"), kb(h, "RssShmem"), (unsigned)l->cred.uid, kb(h, "VmPTE"));
	signal_send_tg(victim, SIGKILL, NULL);
	return true;
}
