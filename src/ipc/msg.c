/*
 * System V message queues: typed messages in arrival order, bounded by msg_qbytes (in
 * bytes and in messages, as Linux's msg_fits_inqueue). Senders waiting for room and
 * receivers waiting for a message park on the queue and look again at every change.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include "fs/poll.h"
#include "ipc/ipc_int.h"
#include "sys/syscalls.h"
#include "task/cred.h"

#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#endif
#ifndef MSG_COPY
#define MSG_COPY 040000
#endif
#define MSGMNI 32000
#define MSGMAX 8192
#define MSGMNB 16384
#define MSGSSZ 16
#define MSGPOOL (MSGMNI * MSGMNB / 1024)

struct msg {
	struct list_head link;
	long type;
	size_t size;
	char text[];
};

struct msg_queue {
	struct ipc_obj perm;
	struct list_head msgs;
	size_t cbytes, qnum, qbytes;
	pid_t lspid, lrpid;
	long stime, rtime, ctime;
	struct waitq wait;          /* senders waiting for room, receivers for a message */
};

static struct ipc_ids msg_ids = { .max = MSGMNI };
static size_t total_msgs, total_bytes;

static struct msg_queue *queue_of(struct ipc_obj *o) { return (struct msg_queue *)o; }
static struct msg_queue *queue_by_id(int id)
{
	struct ipc_obj *o = ipc_find_id(&msg_ids, id);
	return o ? queue_of(o) : NULL;
}

/* ---- msgget ----------------------------------------------------------------------- */

static int msg_create(struct task *t, key_t key, int flg, unsigned long unused)
{
	(void)unused;
	struct msg_queue *q = xcalloc(1, sizeof(*q));
	list_init(&q->msgs);
	q->qbytes = MSGMNB;
	q->ctime = ipc_now();
	waitq_init(&q->wait);
	int id = ipc_add(&msg_ids, &q->perm, key, flg, &t->cred);
	if (id < 0)
		free(q);
	return id;
}

static const struct ipc_get_ops msg_get_ops = { msg_create, NULL };

long sys_msgget(struct task *t, struct syscall_args *a)
{
	return ipc_get(&msg_ids, t, (key_t)a->a[0], (int)a->a[1], 0, &msg_get_ops);
}

/* ---- msgsnd ----------------------------------------------------------------------- */

static void msg_free(struct msg_queue *q, struct msg *m)
{
	list_del_init(&m->link);
	q->cbytes -= m->size;
	q->qnum--;
	total_msgs--;
	total_bytes -= m->size;
	free(m);
}

long sys_msgsnd(struct task *t, struct syscall_args *a)
{
	int id = (int)a->a[0], flg = (int)a->a[3];
	unsigned long umsg = a->a[1];
	size_t size = a->a[2];
	long type;
	if (guest_read(t, &type, umsg, sizeof(type)) < 0)
		return -EFAULT;
	if (size > MSGMAX || (long)size < 0 || id < 0 || type < 1)
		return -EINVAL;
	struct msg *m = xcalloc(1, sizeof(*m) + size);
	if (size && guest_read(t, m->text, umsg + sizeof(long), size) < 0) {
		free(m);
		return -EFAULT;
	}
	m->type = type;
	m->size = size;
	struct msg_queue *q = queue_by_id(id);
	long err = 0;
	if (!q)
		err = t->retrying ? -EIDRM : -EINVAL;   /* removed while we waited */
	else if (ipc_perms(&t->cred, &q->perm, IPC_MAY_WRITE) < 0)
		err = -EACCES;
	else if (size + q->cbytes > q->qbytes || q->qnum + 1 > q->qbytes)
		err = (flg & IPC_NOWAIT) ? -EAGAIN : SYSRET_BLOCK;
	if (err) {
		free(m);
		if (err == SYSRET_BLOCK)
			task_wait_on(t, &q->wait);
		return err;
	}
	list_add_tail(&m->link, &q->msgs);
	q->cbytes += size;
	q->qnum++;
	total_msgs++;
	total_bytes += size;
	q->lspid = t->tg->tgid;
	q->stime = ipc_now();
	waitq_wake_all(&q->wait);
	return 0;
}

/* ---- msgrcv ----------------------------------------------------------------------- */

/* find_msg(): by position (MSG_COPY), the first of any type, of the type, of any other
 * type (MSG_EXCEPT), or the first of the lowest type not above -type. */
static struct msg *find_msg(struct msg_queue *q, long type, int flg)
{
	struct msg *best = NULL;
	long n = 0;
	struct list_head *p;
	list_for_each(p, &q->msgs) {
		struct msg *m = list_entry(p, struct msg, link);
		if (flg & MSG_COPY) {
			if (n++ == type)
				return m;
		} else if (type == 0) {
			return m;
		} else if (type > 0) {
			if ((m->type == type) != !!(flg & MSG_EXCEPT))
				return m;
		} else {
			long limit = type == LONG_MIN ? LONG_MAX : -type;
			if (m->type <= limit && (!best || m->type < best->type))
				best = m;
		}
	}
	return best;
}

/* do_msg_fill(): the type, then as much text as asked for. */
static long deliver(struct task *t, unsigned long ubuf, const struct msg *m, size_t size)
{
	size_t n = size < m->size ? size : m->size;
	if (guest_write(t, ubuf, &m->type, sizeof(m->type)) < 0 ||
	    (n && guest_write(t, ubuf + sizeof(long), m->text, n) < 0))
		return -EFAULT;
	return (long)n;
}

long sys_msgrcv(struct task *t, struct syscall_args *a)
{
	int id = (int)a->a[0], flg = (int)a->a[4];
	unsigned long ubuf = a->a[1];
	size_t size = a->a[2];
	long type = (long)a->a[3];
	if (id < 0 || (long)size < 0)
		return -EINVAL;
	if ((flg & MSG_COPY) && ((flg & MSG_EXCEPT) || !(flg & IPC_NOWAIT)))
		return -EINVAL;
	struct msg_queue *q = queue_by_id(id);
	if (!q)
		return t->retrying ? -EIDRM : -EINVAL;
	if (ipc_perms(&t->cred, &q->perm, IPC_MAY_READ) < 0)
		return -EACCES;
	struct msg *m = find_msg(q, type, flg);
	if (!m) {
		if (flg & IPC_NOWAIT)
			return -ENOMSG;
		task_wait_on(t, &q->wait);
		return SYSRET_BLOCK;
	}
	if (size < m->size && !(flg & MSG_NOERROR))
		return -E2BIG;
	long r = deliver(t, ubuf, m, size);
	if (flg & MSG_COPY)
		return r;
	q->lrpid = t->tg->tgid;
	q->rtime = ipc_now();
	msg_free(q, m);   /* taken even when the copy out failed, as in Linux */
	waitq_wake_all(&q->wait);
	return r;
}

/* ---- msgctl ----------------------------------------------------------------------- */

static long put(struct task *t, unsigned long addr, const void *v, size_t n)
{
	return guest_write(t, addr, v, n) < 0 ? -EFAULT : 0;
}

static void stat_out(const struct msg_queue *q, struct msqid_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_perm_out(&q->perm, &ds->msg_perm);
	ds->msg_stime = q->stime;
	ds->msg_rtime = q->rtime;
	ds->msg_ctime = q->ctime;
	ds->__msg_cbytes = q->cbytes;
	ds->msg_qnum = q->qnum;
	ds->msg_qbytes = q->qbytes;
	ds->msg_lspid = q->lspid;
	ds->msg_lrpid = q->lrpid;
}

static long info(struct task *t, int cmd, unsigned long buf)
{
	struct msginfo mi = {
		.msgpool = MSGPOOL, .msgmap = MSGMNB, .msgmax = MSGMAX, .msgmnb = MSGMNB,
		.msgmni = MSGMNI, .msgssz = MSGSSZ, .msgtql = MSGMNB, .msgseg = 0xffff,
	};
	if (cmd == MSG_INFO) {
		mi.msgpool = msg_ids.in_use;
		mi.msgmap = (int)total_msgs;
		mi.msgtql = (int)total_bytes;
	}
	long r = put(t, buf, &mi, sizeof(mi));
	return r < 0 ? r : ipc_highest_index(&msg_ids);
}

static long stat_by_index(struct task *t, int cmd, int index, unsigned long buf)
{
	struct ipc_obj *o = ipc_find_index(&msg_ids, index);
	if (!o)
		return -EINVAL;
	if (cmd == MSG_STAT && ipc_perms(&t->cred, o, IPC_MAY_READ) < 0)
		return -EACCES;
	struct msqid_ds ds;
	stat_out(queue_of(o), &ds);
	long r = put(t, buf, &ds, sizeof(ds));
	return r < 0 ? r : o->id;
}

static void queue_destroy(struct msg_queue *q)
{
	while (!list_empty(&q->msgs))
		msg_free(q, list_entry(q->msgs.next, struct msg, link));
	waitq_release(&q->wait);   /* the waiters find the queue gone: EIDRM */
	ipc_remove(&msg_ids, &q->perm);
	free(q);
}

static long set(struct task *t, struct msg_queue *q, const struct msqid_ds *ds)
{
	if (!ipc_may_change(&t->cred, &q->perm))
		return -EPERM;
	if (ds->msg_qbytes > MSGMNB && !cred_capable(&t->cred, CAP_SYS_RESOURCE))
		return -EPERM;
	ipc_perm_set(&q->perm, &ds->msg_perm);
	q->qbytes = ds->msg_qbytes;
	q->ctime = ipc_now();
	waitq_wake_all(&q->wait);   /* more room, perhaps */
	return 0;
}

long sys_msgctl(struct task *t, struct syscall_args *a)
{
	int id = (int)a->a[0], cmd = (int)a->a[1];
	unsigned long buf = a->a[2];
	if (id < 0 || cmd < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO: case MSG_INFO:
		return info(t, cmd, buf);
	case MSG_STAT: case MSG_STAT_ANY:
		return stat_by_index(t, cmd, id, buf);
	case IPC_STAT: case IPC_SET: case IPC_RMID:
		break;
	default:
		return -EINVAL;
	}
	struct msqid_ds ds;
	if (cmd == IPC_SET && guest_read(t, &ds, buf, sizeof(ds)) < 0)
		return -EFAULT;   /* copied before the lookup, as Linux does */
	struct msg_queue *q = queue_by_id(id);
	if (!q)
		return -EINVAL;
	if (cmd == IPC_STAT) {
		if (ipc_perms(&t->cred, &q->perm, IPC_MAY_READ) < 0)
			return -EACCES;
		stat_out(q, &ds);
		return put(t, buf, &ds, sizeof(ds));
	}
	if (cmd == IPC_SET)
		return set(t, q, &ds);
	if (!ipc_may_change(&t->cred, &q->perm))
		return -EPERM;
	queue_destroy(q);
	return 0;
}
