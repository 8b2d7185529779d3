/*
 * Task and thread-group bookkeeping: guest pids (our own numbers, never the host's),
 * lookup by guest or host id, creation.
 */
#include <string.h>
#include "kernel/kernel.h"
#include "task/task.h"

#define PID_MAX 32768

struct list_head all_tasks = LIST_HEAD_INIT(all_tasks);
struct thread_group *init_tg;
pid_t kernel_host_pid;

static struct thread_group *pid_tg[PID_MAX];     /* thread group by tgid */
static struct task *pid_task[PID_MAX];           /* task by tid */
static unsigned char pid_used[PID_MAX];          /* tid, tgid, pgid or sid in use */
static pid_t last_pid;

pid_t pid_alloc(void)
{
	pid_t p = last_pid;
	for (int i = 0; i < PID_MAX; i++) {
		if (++p >= PID_MAX)
			p = 300; /* wrap above the boot-time daemons, as Linux does */
		if (!pid_used[p] && !pid_task[p] && !pid_tg[p] && !pid_in_use_as_group(p)) {
			pid_used[p] = 1;
			last_pid = p;
			return p;
		}
	}
	return -EAGAIN;
}

void pid_free(pid_t pid)
{
	if (pid > 0 && pid < PID_MAX)
		pid_used[pid] = 0;
}

/* A pid stays reserved while used as a pgid or sid (Linux keeps the struct pid alive). */
bool pid_in_use_as_group(pid_t pid)
{
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct task *t = list_entry(p, struct task, all_link);
		if (t->tg->pgid == pid || t->tg->sid == pid)
			return true;
	}
	return false;
}

struct task *task_by_tid(pid_t tid)
{
	return tid > 0 && tid < PID_MAX ? pid_task[tid] : NULL;
}

struct thread_group *tg_by_pid(pid_t pid)
{
	return pid > 0 && pid < PID_MAX ? pid_tg[pid] : NULL;
}

/* Host tid -> task, looked up at every ptrace stop: a small chained hash. */
#define HOST_HASH_SIZE 1024
static struct list_head host_hash[HOST_HASH_SIZE];

static struct list_head *host_bucket(pid_t host_tid)
{
	struct list_head *b = &host_hash[(unsigned)host_tid % HOST_HASH_SIZE];
	if (!b->next)
		list_init(b);
	return b;
}

struct task *task_by_host(pid_t host_tid)
{
	struct list_head *b = host_bucket(host_tid), *p;
	list_for_each(p, b) {
		struct task *t = list_entry(p, struct task, host_link);
		if (t->host_tid == host_tid)
			return t;
	}
	return NULL;
}

struct task *task_alloc(pid_t tid, pid_t host_tid)
{
	struct task *t = xcalloc(1, sizeof(*t));
	t->tid = tid;
	t->host_tid = host_tid;
	t->state = TASK_NEW;
	list_init(&t->thread_link);
	list_init(&t->runq_link);
	list_init(&t->timeout_link);
	list_init(&t->pending_info);
	list_add_tail(&t->all_link, &all_tasks);
	list_add_tail(&t->host_link, host_bucket(host_tid));
	pid_task[tid] = t;
	return t;
}

struct thread_group *tg_alloc(pid_t tgid, struct thread_group *parent)
{
	struct thread_group *tg = xcalloc(1, sizeof(*tg));
	tg->tgid = tgid;
	tg->parent = parent;
	list_init(&tg->children);
	list_init(&tg->sibling);
	list_init(&tg->threads);
	list_init(&tg->pending_info);
	list_init(&tg->timer_link);
	waitq_init(&tg->child_wait);
	waitq_init(&tg->signalfd_wait);
	tg->exit_signal = SIGCHLD;
	tg->start_time_ns = now_ns();
	if (parent)
		list_add_tail(&tg->sibling, &parent->children);
	pid_tg[tgid] = tg;
	return tg;
}

void tg_add_thread(struct thread_group *tg, struct task *t)
{
	t->tg = tg;
	list_add_tail(&t->thread_link, &tg->threads);
	tg->nr_threads++;
}

void task_unregister(struct task *t)
{
	if (pid_task[t->tid] == t)
		pid_task[t->tid] = NULL;
	list_del_init(&t->all_link);
	list_del_init(&t->host_link);
}

void tg_unregister(struct thread_group *tg)
{
	if (pid_tg[tg->tgid] == tg)
		pid_tg[tg->tgid] = NULL;
}

struct task *tg_leader(struct thread_group *tg)
{
	if (list_empty(&tg->threads))
		return NULL;
	struct list_head *p;
	list_for_each(p, &tg->threads) {
		struct task *t = list_entry(p, struct task, thread_link);
		if (t->tid == tg->tgid)
			return t;
	}
	return list_entry(tg->threads.next, struct task, thread_link);
}
