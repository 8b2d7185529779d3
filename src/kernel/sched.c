/*
 * Parking and waking. A syscall that cannot complete leaves its task stopped at the
 * seccomp stop ("parked") with wait-queue registrations and maybe a deadline. A wake-up
 * puts the task on the retry queue; the main loop then re-runs its handler from the
 * start, so handlers are written to be retried until they stop returning SYSRET_BLOCK.
 */
#include <stdlib.h>
#include <time.h>
#include "kernel/kernel.h"

static struct list_head runq = LIST_HEAD_INIT(runq);
static struct list_head timeouts = LIST_HEAD_INIT(timeouts);

uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t realtime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void waitq_init(struct waitq *q) { list_init(&q->waiters); }

static void waiter_fire(struct waiter *w)
{
	if (w->task)
		task_make_runnable(w->task);
	else if (w->wake)
		w->wake(w);
}

void waitq_wake_all(struct waitq *q)
{
	struct list_head *p, *n;
	list_for_each_safe(p, n, &q->waiters)
		waiter_fire(list_entry(p, struct waiter, link));
}

/*
 * Registrations beyond t->waits[]: poll and select wait on every descriptor they watch,
 * and a registration dropped there would be a lost wake-up, not a spurious one.
 */
struct waiter_chunk {
	struct waiter w[16];
	int n;
	struct waiter_chunk *next;
};

static bool task_waits_on(struct task *t, struct waitq *q)
{
	for (int i = 0; i < t->nwaits; i++)
		if (t->waits[i].q == q)
			return true;
	for (struct waiter_chunk *c = t->more_waits; c; c = c->next)
		for (int i = 0; i < c->n; i++)
			if (c->w[i].q == q)
				return true;
	return false;
}

static struct waiter *task_new_waiter(struct task *t)
{
	if (t->nwaits < (int)ARRAY_SIZE(t->waits))
		return &t->waits[t->nwaits++];
	struct waiter_chunk *c = t->more_waits;
	if (!c || c->n == (int)ARRAY_SIZE(c->w)) {
		c = xcalloc(1, sizeof(*c));
		c->next = t->more_waits;
		t->more_waits = c;
	}
	return &c->w[c->n++];
}

void task_wait_on(struct task *t, struct waitq *q)
{
	if (t->wait_capture) {
		t->wait_capture->fn(t->wait_capture, q);
		return;
	}
	if (task_waits_on(t, q))
		return;
	struct waiter *w = task_new_waiter(t);
	w->q = q;
	w->task = t;
	w->wake = NULL;
	list_add_tail(&w->link, &q->waiters);
}

/* Drops a task's registrations (before a retry, and when its syscall completes). */
void task_drop_waits(struct task *t)
{
	for (int i = 0; i < t->nwaits; i++)
		list_del_init(&t->waits[i].link);
	t->nwaits = 0;
	while (t->more_waits) {
		struct waiter_chunk *c = t->more_waits;
		for (int i = 0; i < c->n; i++)
			list_del_init(&c->w[i].link);
		t->more_waits = c->next;
		free(c);
	}
}

void task_make_runnable(struct task *t)
{
	if (t->on_runq || t->state != TASK_PARKED)
		return;
	t->on_runq = true;
	list_add_tail(&t->runq_link, &runq);
}

void task_set_deadline(struct task *t, uint64_t deadline_ns)
{
	t->deadline_ns = deadline_ns;
	if (list_empty(&t->timeout_link) || t->timeout_link.next == NULL)
		list_add_tail(&t->timeout_link, &timeouts);
}

void task_clear_deadline(struct task *t)
{
	t->deadline_ns = 0;
	if (t->timeout_link.next && !list_empty(&t->timeout_link))
		list_del_init(&t->timeout_link);
}

uint64_t sched_next_deadline(void)
{
	uint64_t best = 0;
	struct list_head *p;
	list_for_each(p, &timeouts) {
		struct task *t = list_entry(p, struct task, timeout_link);
		if (t->deadline_ns && (!best || t->deadline_ns < best))
			best = t->deadline_ns;
	}
	return best;
}

void sched_fire_timeouts(void)
{
	uint64_t now = now_ns();
	struct list_head *p, *n;
	list_for_each_safe(p, n, &timeouts) {
		struct task *t = list_entry(p, struct task, timeout_link);
		if (t->deadline_ns && t->deadline_ns <= now) {
			t->timed_out = true;
			task_clear_deadline(t);
			task_make_runnable(t);
		}
	}
}

/* Retries every woken parked task. Handlers may wake others: loop until quiet. */
void sched_run_pending(void)
{
	while (!list_empty(&runq)) {
		struct task *t = list_entry(runq.next, struct task, runq_link);
		list_del_init(&t->runq_link);
		t->on_runq = false;
		if (t->state != TASK_PARKED)
			continue;
		task_drop_waits(t);
		t->retrying = true;
		syscall_dispatch(t);
	}
}
