/*
 * System V semaphores. semop is all or nothing: the operations are applied in order and
 * rolled back at the first one that would block or overflow; a caller that must wait
 * parks on the set and is retried whenever a value in it changes (so it takes its turn
 * with fresh values, never with a half-applied array). GETNCNT and GETZCNT count the
 * parked callers by the operation they wait on. SEM_UNDO adjustments live per process
 * (shared under CLONE_SYSVSEM) and are applied when it exits (sem_undo.c).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>
#include "fs/poll.h"
#include "ipc/sem_int.h"
#include "sys/syscalls.h"

#ifndef SEM_STAT_ANY
#define SEM_STAT_ANY 20
#endif

/* A caller parked in semop, by the operation it waits on (GETNCNT/GETZCNT). */
struct sem_waiter {
	struct list_head link;
	struct task *task;
	int semid;
	unsigned short semnum;
	bool for_zero;
};

static struct ipc_ids sem_ids = { .max = SEMMNI };
static long used_sems;
static struct list_head waiters = LIST_HEAD_INIT(waiters);

static struct sem_set *set_of(struct ipc_obj *o) { return (struct sem_set *)o; }
struct sem_set *sem_set_by_id(int id)
{
	struct ipc_obj *o = ipc_find_id(&sem_ids, id);
	return o ? set_of(o) : NULL;
}

/* ---- semget ----------------------------------------------------------------------- */

static int sem_create(struct task *t, key_t key, int flg, unsigned long nsems)
{
	if (nsems == 0 || nsems > SEMMSL)
		return -EINVAL;
	if (used_sems + (long)nsems > SEMMNS)
		return -ENOSPC;
	struct sem_set *s = xcalloc(1, sizeof(*s));
	s->nsems = (int)nsems;
	s->sems = xcalloc(nsems, sizeof(*s->sems));
	s->ctime = ipc_now();
	waitq_init(&s->wait);
	int id = ipc_add(&sem_ids, &s->perm, key, flg, &t->cred);
	if (id < 0) {
		free(s->sems);
		free(s);
		return id;
	}
	used_sems += (long)nsems;
	return id;
}

static int sem_check(struct ipc_obj *o, unsigned long nsems)
{
	return nsems > (unsigned long)set_of(o)->nsems ? -EINVAL : 0;
}

static const struct ipc_get_ops sem_get_ops = { sem_create, sem_check };

long sys_semget(struct task *t, struct syscall_args *a)
{
	int nsems = (int)a->a[1];
	if (nsems < 0 || nsems > SEMMSL)
		return -EINVAL;
	return ipc_get(&sem_ids, t, (key_t)a->a[0], (int)a->a[2], (unsigned long)nsems, &sem_get_ops);
}

/* ---- semop ------------------------------------------------------------------------ */

static void waiter_forget(struct task *t)
{
	struct list_head *p, *n;
	list_for_each_safe(p, n, &waiters) {
		struct sem_waiter *w = list_entry(p, struct sem_waiter, link);
		if (w->task == t) {
			list_del_init(&w->link);
			free(w);
		}
	}
}

static void park_abort(struct task *t)
{
	waiter_forget(t);
}

static void waiter_add(struct task *t, int semid, const struct sembuf *sop)
{
	struct sem_waiter *w = xcalloc(1, sizeof(*w));
	w->task = t;
	w->semid = semid;
	w->semnum = sop->sem_num;
	w->for_zero = sop->sem_op == 0;
	list_add_tail(&w->link, &waiters);
	t->park_abort = park_abort;
}

/* Applies sops in order; at the first that cannot be done everything is rolled back.
 * Returns 0, -ERANGE, -EAGAIN (IPC_NOWAIT) or 1 with *blocker the operation to wait on. */
static int apply_ops(struct sem_set *s, const struct sembuf *sops, int n, struct sem_undo *un,
		     int *blocker)
{
	int i, err = 0;
	for (i = 0; i < n; i++) {
		const struct sembuf *op = &sops[i];
		struct sem *sem = &s->sems[op->sem_num];
		int v = sem->val + op->sem_op;
		if ((op->sem_op == 0 && sem->val) || v < 0) {
			*blocker = i;
			err = (op->sem_flg & IPC_NOWAIT) ? -EAGAIN : 1;
			break;
		}
		if (v > SEMVMX) {
			err = -ERANGE;
			break;
		}
		if (op->sem_flg & SEM_UNDO) {
			int adj = un->adj[op->sem_num] - op->sem_op;
			if (adj < -SEMAEM - 1 || adj > SEMAEM) {
				err = -ERANGE;
				break;
			}
			un->adj[op->sem_num] = (short)adj;
		}
		sem->val = (unsigned short)v;
	}
	if (!err)
		return 0;
	while (--i >= 0) {
		s->sems[sops[i].sem_num].val = (unsigned short)(s->sems[sops[i].sem_num].val - sops[i].sem_op);
		if (sops[i].sem_flg & SEM_UNDO)
			un->adj[sops[i].sem_num] = (short)(un->adj[sops[i].sem_num] + sops[i].sem_op);
	}
	return err;
}

static void ops_done(struct task *t, struct sem_set *s, const struct sembuf *sops, int n)
{
	bool changed = false;
	for (int i = 0; i < n; i++) {
		s->sems[sops[i].sem_num].pid = t->tg->tgid;
		changed |= sops[i].sem_op != 0;
	}
	s->otime = ipc_now();
	if (changed)
		waitq_wake_all(&s->wait);   /* every waiter looks again */
}

/* The first call reads the timeout and sets the deadline; retries find it passed. */
static long timeout_setup(struct task *t, unsigned long utimeout)
{
	if (!utimeout || t->retrying)
		return 0;
	struct timespec ts;
	if (guest_read(t, &ts, utimeout, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
		return -EINVAL;
	uint64_t ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	task_set_deadline(t, now_ns() + (ns ? ns : 1));
	return 0;
}

static long do_semop(struct task *t, int semid, const struct sembuf *sops, int n)
{
	unsigned max = 0;
	bool undo = false, alter = false;
	for (int i = 0; i < n; i++) {
		if (sops[i].sem_num > max)
			max = sops[i].sem_num;
		undo |= (sops[i].sem_flg & SEM_UNDO) != 0;
		alter |= sops[i].sem_op != 0;
	}
	struct sem_set *s = sem_set_by_id(semid);
	if (!s)
		return t->retrying ? -EIDRM : -EINVAL;   /* removed while we waited */
	if ((int)max >= s->nsems)
		return -EFBIG;
	if (ipc_perms(&t->cred, &s->perm, alter ? IPC_MAY_WRITE : IPC_MAY_READ) < 0)
		return -EACCES;
	struct sem_undo *un = undo ? sem_undo_find(t, s) : NULL;
	int blocker = 0;
	int err = apply_ops(s, sops, n, un, &blocker);
	if (err == 0) {
		ops_done(t, s, sops, n);
		return 0;
	}
	if (err < 0)
		return err;
	if (t->timed_out)
		return -EAGAIN;
	waiter_add(t, semid, &sops[blocker]);
	task_wait_on(t, &s->wait);
	return SYSRET_BLOCK;
}

static long do_semtimedop(struct task *t, int semid, unsigned long usops, long nsops,
		       unsigned long utimeout)
{
	waiter_forget(t);
	if (nsops < 1 || semid < 0)
		return -EINVAL;
	if (nsops > SEMOPM)
		return -E2BIG;
	struct sembuf sops[SEMOPM];
	if (guest_read(t, sops, usops, (size_t)nsops * sizeof(*sops)) < 0)
		return -EFAULT;
	long err = timeout_setup(t, utimeout);
	return err < 0 ? err : do_semop(t, semid, sops, (int)nsops);
}

long sys_semop(struct task *t, struct syscall_args *a)
{
	return do_semtimedop(t, (int)a->a[0], a->a[1], (long)a->a[2], 0);
}

long sys_semtimedop(struct task *t, struct syscall_args *a)
{
	return do_semtimedop(t, (int)a->a[0], a->a[1], (long)a->a[2], a->a[3]);
}

/* ---- semctl ----------------------------------------------------------------------- */

static long put(struct task *t, unsigned long addr, const void *v, size_t n)
{
	return guest_write(t, addr, v, n) < 0 ? -EFAULT : 0;
}

static int count_waiters(int semid, int semnum, bool for_zero)
{
	int n = 0;
	struct list_head *p;
	list_for_each(p, &waiters) {
		struct sem_waiter *w = list_entry(p, struct sem_waiter, link);
		n += w->semid == semid && w->semnum == semnum && w->for_zero == for_zero;
	}
	return n;
}

static void stat_out(const struct sem_set *s, struct semid_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_perm_out(&s->perm, &ds->sem_perm);
	ds->sem_otime = s->otime;
	ds->sem_ctime = s->ctime;
	ds->sem_nsems = (unsigned long)s->nsems;
}

static long info(struct task *t, int cmd, unsigned long buf)
{
	struct seminfo si = {
		.semmap = SEMMNS, .semmni = SEMMNI, .semmns = SEMMNS, .semmnu = SEMMNS,
		.semmsl = SEMMSL, .semopm = SEMOPM, .semume = SEMOPM, .semusz = 20,
		.semvmx = SEMVMX, .semaem = SEMAEM,
	};
	if (cmd == SEM_INFO) {
		si.semusz = sem_ids.in_use;
		si.semaem = (int)used_sems;
	}
	long r = put(t, buf, &si, sizeof(si));
	return r < 0 ? r : ipc_highest_index(&sem_ids);
}

static long stat_by_index(struct task *t, int cmd, int index, unsigned long buf)
{
	struct ipc_obj *o = ipc_find_index(&sem_ids, index);
	if (!o)
		return -EINVAL;
	if (cmd == SEM_STAT && ipc_perms(&t->cred, o, IPC_MAY_READ) < 0)
		return -EACCES;
	struct semid_ds ds;
	stat_out(set_of(o), &ds);
	long r = put(t, buf, &ds, sizeof(ds));
	return r < 0 ? r : o->id;
}

static void set_destroy(struct sem_set *s)
{
	sem_undo_forget_set(s->perm.id);
	struct list_head *p, *n;
	list_for_each_safe(p, n, &waiters) {
		struct sem_waiter *w = list_entry(p, struct sem_waiter, link);
		if (w->semid == s->perm.id) {
			list_del_init(&w->link);
			free(w);
		}
	}
	waitq_release(&s->wait);   /* the waiters find the set gone: EIDRM */
	ipc_remove(&sem_ids, &s->perm);
	used_sems -= s->nsems;
	free(s->sems);
	free(s);
}

static long setval(struct task *t, int semid, int semnum, int val)
{
	if (val < 0 || val > SEMVMX)
		return -ERANGE;
	struct sem_set *s = sem_set_by_id(semid);
	if (!s || semnum < 0 || semnum >= s->nsems)
		return -EINVAL;
	if (ipc_perms(&t->cred, &s->perm, IPC_MAY_WRITE) < 0)
		return -EACCES;
	sem_undo_clear(semid, semnum, s->nsems);
	s->sems[semnum].val = (unsigned short)val;
	s->sems[semnum].pid = t->tg->tgid;
	s->ctime = ipc_now();
	waitq_wake_all(&s->wait);
	return 0;
}

static long setall(struct task *t, struct sem_set *s, unsigned long uarray)
{
	unsigned short *v = xcalloc((size_t)s->nsems, sizeof(*v));
	long err = 0;
	if (guest_read(t, v, uarray, (size_t)s->nsems * sizeof(*v)) < 0)
		err = -EFAULT;
	for (int i = 0; !err && i < s->nsems; i++)
		if (v[i] > SEMVMX)
			err = -ERANGE;
	if (!err) {
		sem_undo_clear(s->perm.id, -1, s->nsems);
		for (int i = 0; i < s->nsems; i++) {
			s->sems[i].val = v[i];
			s->sems[i].pid = t->tg->tgid;
		}
		s->ctime = ipc_now();
		waitq_wake_all(&s->wait);
	}
	free(v);
	return err;
}

static long getall(struct task *t, struct sem_set *s, unsigned long uarray)
{
	unsigned short *v = xcalloc((size_t)s->nsems, sizeof(*v));
	for (int i = 0; i < s->nsems; i++)
		v[i] = s->sems[i].val;
	long err = put(t, uarray, v, (size_t)s->nsems * sizeof(*v));
	free(v);
	return err;
}

/* GETVAL, GETPID, GETNCNT, GETZCNT, GETALL and SETALL (semctl_main). */
static long semctl_main(struct task *t, int semid, int semnum, int cmd, unsigned long arg)
{
	struct sem_set *s = sem_set_by_id(semid);
	if (!s)
		return -EINVAL;
	if (ipc_perms(&t->cred, &s->perm, cmd == SETALL ? IPC_MAY_WRITE : IPC_MAY_READ) < 0)
		return -EACCES;
	if (cmd == GETALL)
		return getall(t, s, arg);
	if (cmd == SETALL)
		return setall(t, s, arg);
	if (semnum < 0 || semnum >= s->nsems)
		return -EINVAL;
	switch (cmd) {
	case GETVAL: return s->sems[semnum].val;
	case GETPID: return s->sems[semnum].pid;
	case GETNCNT: return count_waiters(semid, semnum, false);
	default: return count_waiters(semid, semnum, true);
	}
}

/* IPC_STAT, IPC_SET and IPC_RMID. */
static long semctl_down(struct task *t, int semid, int cmd, unsigned long buf)
{
	struct semid_ds ds;
	if (cmd == IPC_SET && guest_read(t, &ds, buf, sizeof(ds)) < 0)
		return -EFAULT;   /* copied before the lookup, as Linux does */
	struct sem_set *s = sem_set_by_id(semid);
	if (!s)
		return -EINVAL;
	if (cmd == IPC_STAT) {
		if (ipc_perms(&t->cred, &s->perm, IPC_MAY_READ) < 0)
			return -EACCES;
		stat_out(s, &ds);
		return put(t, buf, &ds, sizeof(ds));
	}
	if (!ipc_may_change(&t->cred, &s->perm))
		return -EPERM;
	if (cmd == IPC_RMID) {
		set_destroy(s);
		return 0;
	}
	ipc_perm_set(&s->perm, &ds.sem_perm);
	s->ctime = ipc_now();
	return 0;
}

long sys_semctl(struct task *t, struct syscall_args *a)
{
	int semid = (int)a->a[0], semnum = (int)a->a[1], cmd = (int)a->a[2];
	unsigned long arg = a->a[3];
	if (semid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO: case SEM_INFO:
		return info(t, cmd, arg);
	case SEM_STAT: case SEM_STAT_ANY:
		return stat_by_index(t, cmd, semid, arg);
	case GETVAL: case GETPID: case GETNCNT: case GETZCNT: case GETALL: case SETALL:
		return semctl_main(t, semid, semnum, cmd, arg);
	case SETVAL:
		return setval(t, semid, semnum, (int)arg);
	case IPC_STAT: case IPC_SET: case IPC_RMID:
		return semctl_down(t, semid, cmd, arg);
	default:
		return -EINVAL;
	}
}
