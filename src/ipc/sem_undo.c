/*
 * SEM_UNDO: each process keeps, per set, what it would take back (the negated sum of
 * its SEM_UNDO operations), shared under CLONE_SYSVSEM; at exit the adjustments are
 * added back, clamped to what a semaphore can hold (Linux's exit_sem). SETVAL and
 * SETALL clear everyone's adjustments of what they set.
 */
#include <stdlib.h>
#include <string.h>
#include "ipc/sem_int.h"

static struct list_head all_undos = LIST_HEAD_INIT(all_undos);

static void undo_free(struct sem_undo *un)
{
	list_del_init(&un->link);
	list_del_init(&un->all);
	free(un->adj);
	free(un);
}

struct sem_undo *sem_undo_find(struct task *t, struct sem_set *s)
{
	struct ipc_proc *ip = ipc_proc_of(t->tg, true);
	if (!ip->undo) {
		ip->undo = xcalloc(1, sizeof(*ip->undo));
		ip->undo->refcount = 1;
		list_init(&ip->undo->undos);
	}
	struct list_head *p;
	list_for_each(p, &ip->undo->undos) {
		struct sem_undo *un = list_entry(p, struct sem_undo, link);
		if (un->semid == s->perm.id)
			return un;
	}
	struct sem_undo *un = xcalloc(1, sizeof(*un));
	un->semid = s->perm.id;
	un->adj = xcalloc((size_t)s->nsems, sizeof(*un->adj));
	list_add_tail(&un->link, &ip->undo->undos);
	list_add_tail(&un->all, &all_undos);
	return un;
}

void sem_undo_clear(int semid, int semnum, int nsems)
{
	struct list_head *p;
	list_for_each(p, &all_undos) {
		struct sem_undo *un = list_entry(p, struct sem_undo, all);
		if (un->semid != semid)
			continue;
		if (semnum < 0)
			memset(un->adj, 0, (size_t)nsems * sizeof(*un->adj));
		else
			un->adj[semnum] = 0;
	}
}

void sem_undo_share(struct ipc_proc *parent, struct ipc_proc *child)
{
	child->undo = parent->undo;
	parent->undo->refcount++;
}

/* exit_sem(): each adjustment is added back, clamped to what a semaphore can hold. */
static void undo_apply(struct sem_undo *un, pid_t pid)
{
	struct sem_set *s = sem_set_by_id(un->semid);
	if (!s)
		return;
	for (int i = 0; i < s->nsems; i++) {
		if (!un->adj[i])
			continue;
		int v = s->sems[i].val + un->adj[i];
		s->sems[i].val = (unsigned short)(v < 0 ? 0 : v > SEMVMX ? SEMVMX : v);
		s->sems[i].pid = pid;
	}
	waitq_wake_all(&s->wait);
}

void sem_exit(struct ipc_proc *ip)
{
	struct sem_undo_list *ul = ip->undo;
	ip->undo = NULL;
	if (!ul || --ul->refcount > 0)
		return;
	while (!list_empty(&ul->undos)) {
		struct sem_undo *un = list_entry(ul->undos.next, struct sem_undo, link);
		undo_apply(un, ip->tg->tgid);
		undo_free(un);
	}
	free(ul);
}

void sem_undo_forget_set(int semid)
{
	struct list_head *p, *n;
	list_for_each_safe(p, n, &all_undos) {
		struct sem_undo *un = list_entry(p, struct sem_undo, all);
		if (un->semid == semid)
			undo_free(un);
	}
}
