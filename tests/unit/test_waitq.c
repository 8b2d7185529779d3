/* Unit tests for wait-queue registration (src/kernel/sched.c) as poll, select and epoll
 * use it: no registration is lost past the task's fixed slots, wait_capture diverts
 * registrations, and waitq_release (src/fs/anon.c) leaves no waiter behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdlib.h>
#include "fs/poll.h"

#define NQ 40

/* kernel_halt lives in main.c, which unit tests do not link */
__attribute__((weak)) _Noreturn void kernel_halt(enum halt_kind how, int exit_status)
{
	(void)how;
	exit(exit_status);
}

static struct task *parked_task(void)
{
	struct task *t = xcalloc(1, sizeof(*t));
	list_init(&t->timeout_link);
	list_init(&t->runq_link);
	t->state = TASK_PARKED;
	return t;
}

/* Takes t off the retry queue without running its syscall. */
static void unqueue(struct task *t)
{
	t->state = TASK_RUNNING;
	sched_run_pending();
	t->state = TASK_PARKED;
}

static void every_registration_wakes(void **state)
{
	(void)state;
	struct waitq q[NQ];
	struct task *t = parked_task();
	for (int i = 0; i < NQ; i++) {
		waitq_init(&q[i]);
		task_wait_on(t, &q[i]);
		task_wait_on(t, &q[i]);   /* a second registration on the same queue is none */
	}
	for (int i = 0; i < NQ; i++) {
		assert_false(list_empty(&q[i].waiters));
		assert_ptr_equal(q[i].waiters.next->next, &q[i].waiters);
	}
	waitq_wake_all(&q[NQ - 1]);
	assert_true(t->on_runq);
	unqueue(t);
	task_drop_waits(t);
	for (int i = 0; i < NQ; i++)
		assert_true(list_empty(&q[i].waiters));
	assert_null(t->more_waits);
	assert_int_equal(t->nwaits, 0);
	free(t);
}

struct capture {
	struct waitq_capture c;
	struct waitq *seen[4];
	int n;
};

static void capture_fn(struct waitq_capture *c, struct waitq *q)
{
	struct capture *cap = (struct capture *)c;
	cap->seen[cap->n++] = q;
}

static void capture_diverts(void **state)
{
	(void)state;
	struct waitq a, b;
	waitq_init(&a);
	waitq_init(&b);
	struct task *t = parked_task();
	struct capture cap = { { capture_fn }, { NULL }, 0 };
	t->wait_capture = &cap.c;
	task_wait_on(t, &a);
	task_wait_on(t, &b);
	t->wait_capture = NULL;
	assert_int_equal(cap.n, 2);
	assert_ptr_equal(cap.seen[0], &a);
	assert_ptr_equal(cap.seen[1], &b);
	assert_true(list_empty(&a.waiters));
	assert_int_equal(t->nwaits, 0);
	free(t);
}

static int callbacks;
static void count_wake(struct waiter *w)
{
	(void)w;
	callbacks++;
}

static void release_unlinks(void **state)
{
	(void)state;
	struct waitq q;
	waitq_init(&q);
	struct task *t = parked_task();
	struct waiter cb = { .task = NULL, .wake = count_wake, .q = &q };
	list_add_tail(&cb.link, &q.waiters);
	task_wait_on(t, &q);
	callbacks = 0;
	waitq_release(&q);
	assert_int_equal(callbacks, 1);
	assert_true(t->on_runq);
	assert_true(list_empty(&q.waiters));
	unqueue(t);
	task_drop_waits(t);   /* its waiter is already off the queue: harmless */
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_registration_wakes),
		cmocka_unit_test(capture_diverts),
		cmocka_unit_test(release_unlinks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
