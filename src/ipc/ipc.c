/*
 * What shm, sem and msg share: id tables (Linux's ipc/util.c: cyclic index allocation,
 * a sequence number that changes when the index wraps, so stale ids fail), keys,
 * ipcperms(), the owner rules of IPC_SET and IPC_RMID, and the per-process state with
 * its fork, exec and exit hooks.
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fs/fs_internal.h"
#include "ipc/ipc_int.h"
#include "task/cred.h"

long ipc_now(void)
{
	return (long)time(NULL);
}

struct ipc_obj *ipc_find_key(struct ipc_ids *ids, key_t key)
{
	if (!ids->slots)
		return NULL;
	for (int i = 0; i < ids->max; i++)
		if (ids->slots[i] && ids->slots[i]->key == key)
			return ids->slots[i];
	return NULL;
}

struct ipc_obj *ipc_find_index(struct ipc_ids *ids, int index)
{
	if (!ids->slots || index < 0 || index >= ids->max)
		return NULL;
	return ids->slots[index];
}

struct ipc_obj *ipc_find_id(struct ipc_ids *ids, int id)
{
	if (id < 0)
		return NULL;
	struct ipc_obj *o = ipc_find_index(ids, id % IPC_SEQ_MULTIPLIER);
	return o && o->id == id ? o : NULL;
}

int ipc_highest_index(const struct ipc_ids *ids)
{
	int hi = -1;
	for (int i = 0; ids->slots && i < ids->max; i++)
		if (ids->slots[i])
			hi = i;
	return hi < 0 ? 0 : hi;
}

int ipc_add(struct ipc_ids *ids, struct ipc_obj *o, key_t key, int flg, const struct cred *c)
{
	if (!ids->slots) {
		ids->slots = xcalloc((size_t)ids->max, sizeof(*ids->slots));
		ids->last_idx = -1;
	}
	if (ids->in_use >= ids->max)
		return -ENOSPC;
	int idx = ids->last_idx;
	do
		idx = (idx + 1) % ids->max;
	while (ids->slots[idx]);
	if (idx <= ids->last_idx)
		ids->seq = (unsigned short)((ids->seq + 1) % (INT32_MAX / IPC_SEQ_MULTIPLIER));
	ids->last_idx = idx;
	o->key = key;
	o->uid = o->cuid = c->euid;
	o->gid = o->cgid = c->egid;
	o->mode = (mode_t)flg & 0777;
	o->seq = ids->seq;
	o->index = idx;
	o->id = ids->seq * IPC_SEQ_MULTIPLIER + idx;
	ids->slots[idx] = o;
	ids->in_use++;
	return o->id;
}

void ipc_remove(struct ipc_ids *ids, struct ipc_obj *o)
{
	if (ids->slots && ids->slots[o->index] == o) {
		ids->slots[o->index] = NULL;
		ids->in_use--;
	}
}

int ipc_perms(const struct cred *c, const struct ipc_obj *o, int flag)
{
	int requested = (flag >> 6) | (flag >> 3) | flag;
	int granted = (int)o->mode;
	if (c->euid == o->cuid || c->euid == o->uid)
		granted >>= 6;
	else if (cred_in_group(c, o->cgid) || cred_in_group(c, o->gid))
		granted >>= 3;
	if ((requested & ~granted & 07) && !cred_capable(c, CAP_IPC_OWNER))
		return -EACCES;
	return 0;
}

bool ipc_may_change(const struct cred *c, const struct ipc_obj *o)
{
	return c->euid == o->cuid || c->euid == o->uid || cred_capable(c, CAP_SYS_ADMIN);
}

void ipc_perm_out(const struct ipc_obj *o, struct ipc_perm *out)
{
	memset(out, 0, sizeof(*out));
	out->__key = o->key;
	out->uid = o->uid;
	out->gid = o->gid;
	out->cuid = o->cuid;
	out->cgid = o->cgid;
	out->mode = o->mode;
	out->__seq = o->seq;
}

void ipc_perm_set(struct ipc_obj *o, const struct ipc_perm *in)
{
	o->uid = in->uid;
	o->gid = in->gid;
	o->mode = in->mode & 0777;
}

long ipc_get(struct ipc_ids *ids, struct task *t, key_t key, int flg, unsigned long arg,
	     const struct ipc_get_ops *ops)
{
	if (key == IPC_PRIVATE)
		return ops->create(t, key, flg, arg);
	struct ipc_obj *o = ipc_find_key(ids, key);
	if (!o)
		return (flg & IPC_CREAT) ? ops->create(t, key, flg, arg) : -ENOENT;
	if ((flg & IPC_CREAT) && (flg & IPC_EXCL))
		return -EEXIST;
	int err = ops->check ? ops->check(o, arg) : 0;
	if (err == 0)
		err = ipc_perms(&t->cred, o, flg);
	return err < 0 ? err : o->id;
}

/* ---- processes -------------------------------------------------------------------- */

static struct list_head procs = LIST_HEAD_INIT(procs);

struct ipc_proc *ipc_proc_of(struct thread_group *tg, bool create)
{
	struct list_head *p;
	list_for_each(p, &procs) {
		struct ipc_proc *ip = list_entry(p, struct ipc_proc, link);
		if (ip->tg == tg)
			return ip;
	}
	if (!create)
		return NULL;
	struct ipc_proc *ip = xcalloc(1, sizeof(*ip));
	ip->tg = tg;
	list_init(&ip->attaches);
	list_add_tail(&ip->link, &procs);
	return ip;
}

static void proc_free(struct ipc_proc *ip)
{
	list_del_init(&ip->link);
	free(ip);
}

void ipc_fork(struct thread_group *parent, struct thread_group *child, unsigned long flags)
{
	struct ipc_proc *pp = ipc_proc_of(parent, false);
	if (!pp)
		return;
	bool share_vm = flags & CLONE_VM, share_undo = flags & CLONE_SYSVSEM;
	if ((share_vm || list_empty(&pp->attaches)) && (!share_undo || !pp->undo))
		return;
	struct ipc_proc *cp = ipc_proc_of(child, true);
	if (!share_vm)
		shm_fork(pp, cp);   /* the child's memory is a copy, attachments included */
	if (share_undo)
		sem_undo_share(pp, cp);
}

void ipc_exec(struct thread_group *tg)
{
	struct ipc_proc *ip = ipc_proc_of(tg, false);
	if (ip)
		shm_detach_all(ip);
}

void ipc_exit(struct thread_group *tg)
{
	struct ipc_proc *ip = ipc_proc_of(tg, false);
	if (!ip)
		return;
	shm_detach_all(ip);
	sem_exit(ip);
	proc_free(ip);
}
