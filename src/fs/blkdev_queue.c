/*
 * Disk requests. A driver's operations are synchronous host I/O; they run either on the
 * event loop thread (blkdev_read/write/flush: filesystems, whose library, libext2fs, can
 * only wait) or on the disk worker thread (blkdev_submit: a guest's read or write of a
 * disk node, whose task parks meanwhile, so a slow host disk stalls only that task).
 *
 * One worker serves every disk, in submission order, and a synchronous request first
 * waits for everything queued before it, so requests reach a disk in the order they
 * were made (a COW file's data before the bitmap that marks it, a flush after the writes
 * it covers) and never two at once (the drivers keep state such as the COW bitmap
 * unlocked). Completions come back to the event loop through an eventfd.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include "fs/blkdev.h"
#include <sys/epoll.h>
#include "fs/poll.h"
#include "kernel/loop.h"

static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qwork = PTHREAD_COND_INITIALIZER;    /* worker: a request queued */
static pthread_cond_t qidle = PTHREAD_COND_INITIALIZER;    /* sync callers: all done */
static struct list_head queued = LIST_HEAD_INIT(queued);   /* submitted, not started */
static struct list_head finished = LIST_HEAD_INIT(finished); /* done, for the loop */
static bool busy;            /* a request is being served (worker or loop thread) */
static bool started;
static int done_fd = -1;     /* eventfd: the worker finished something */
static const char *gate;     /* UMLINUX_BLK_GATE: a test holds requests until this exists */

static int do_request(struct block_device *b, enum blk_op op, void *buf, size_t len,
		      uint64_t off)
{
	switch (op) {
	case BLK_READ:
		return b->ops->read(b, buf, len, off);
	case BLK_WRITE:
		return b->read_only ? -EROFS : b->ops->write(b, buf, len, off);
	case BLK_FLUSH:
		return b->ops->flush && !b->read_only ? b->ops->flush(b) : 0;
	}
	return -EINVAL;
}

/* Tests: requests wait until the gate file exists (a disk that is slow at will). */
static void wait_at_gate(void)
{
	struct timespec ms = { 0, 10 * 1000 * 1000 };

	while (gate && access(gate, F_OK))
		nanosleep(&ms, NULL);
}

static void *worker(void *arg)
{
	sigset_t all;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);   /* the loop's signalfd takes every signal */
	pthread_mutex_lock(&qlock);
	for (;;) {
		while (list_empty(&queued))
			pthread_cond_wait(&qwork, &qlock);
		struct blk_request *rq = list_entry(queued.next, struct blk_request, link);
		list_del_init(&rq->link);
		busy = true;
		pthread_mutex_unlock(&qlock);
		wait_at_gate();
		int result = 0;
		for (unsigned i = 0; i < rq->nsegs && !result; i++)
			result = do_request(rq->disk, BLK_READ, (char *)rq->buf + rq->segs[i].at,
					    rq->segs[i].len, rq->segs[i].off);
		if (!rq->nsegs)
			result = do_request(rq->disk, rq->op, rq->buf, rq->len, rq->off);
		pthread_mutex_lock(&qlock);
		rq->result = result;
		list_add_tail(&rq->link, &finished);
		busy = false;
		pthread_cond_broadcast(&qidle);
		uint64_t one = 1;
		if (write(done_fd, &one, sizeof(one)) < 0) {
			/* the counter cannot overflow at one per request */
		}
	}
	return NULL;
}

static void request_free(struct blk_request *rq)
{
	rq->disk->inflight--;
	free(rq->segs);
	free(rq->buf);
	free(rq);
}

/* On the event loop: finished requests wake their tasks (or are dropped, if the task
 * gave up waiting). */
static void reap(int fd, uint32_t events, void *data)
{
	struct list_head done = LIST_HEAD_INIT(done), *p, *n;
	uint64_t count;

	(void)events;
	(void)data;
	if (read(fd, &count, sizeof(count)) < 0) {
		/* nothing to read: another wake-up took it */
	}
	pthread_mutex_lock(&qlock);
	list_splice_init(&finished, &done);
	pthread_mutex_unlock(&qlock);
	list_for_each_safe(p, n, &done) {
		struct blk_request *rq = list_entry(p, struct blk_request, link);
		list_del_init(&rq->link);
		rq->done = true;
		if (rq->abandoned)
			request_free(rq);
		else
			waitq_wake_all(&rq->waiters);
	}
}

static int start_worker(void)
{
	pthread_t th;

	if (started)
		return 0;
	done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (done_fd < 0)
		return -errno;
	gate = getenv("UMLINUX_BLK_GATE");
	if (loop_add_fd(done_fd, EPOLLIN, reap, NULL) < 0 || pthread_create(&th, NULL, worker, NULL)) {
		close(done_fd);
		done_fd = -1;
		return -EAGAIN;
	}
	pthread_detach(th);
	started = true;
	return 0;
}

/* Synchronous: after everything queued before, on this thread. */
static int sync_request(struct block_device *b, enum blk_op op, void *buf, size_t len,
			uint64_t off)
{
	int result;

	pthread_mutex_lock(&qlock);
	while (busy || !list_empty(&queued))
		pthread_cond_wait(&qidle, &qlock);
	busy = true;
	pthread_mutex_unlock(&qlock);
	result = do_request(b, op, buf, len, off);
	pthread_mutex_lock(&qlock);
	busy = false;
	pthread_cond_broadcast(&qidle);
	pthread_mutex_unlock(&qlock);
	return result;
}

int blkdev_read(struct block_device *b, void *buf, size_t len, uint64_t off)
{
	return sync_request(b, BLK_READ, buf, len, off);
}

int blkdev_write(struct block_device *b, const void *buf, size_t len, uint64_t off)
{
	return sync_request(b, BLK_WRITE, (void *)buf, len, off);
}

int blkdev_flush(struct block_device *b)
{
	return sync_request(b, BLK_FLUSH, NULL, 0, 0);
}

static struct blk_request *request_new(struct block_device *b, enum blk_op op, size_t len,
				       uint64_t off)
{
	struct blk_request *rq;

	if (start_worker())
		return NULL;
	rq = calloc(1, sizeof(*rq));
	if (!rq || (len && !(rq->buf = calloc(1, len)))) {
		free(rq);
		return NULL;
	}
	rq->disk = b;
	rq->op = op;
	rq->len = len;
	rq->off = off;
	waitq_init(&rq->waiters);
	return rq;
}

static void enqueue(struct blk_request *rq)
{
	rq->disk->inflight++;
	pthread_mutex_lock(&qlock);
	list_add_tail(&rq->link, &queued);
	pthread_cond_signal(&qwork);
	pthread_mutex_unlock(&qlock);
}

int blkdev_read_nowait(struct block_device *b, void *buf, size_t len, uint64_t off)
{
	int result;

	if (!b->ops->read_nowait)
		return -EAGAIN;
	if (!started)
		gate = getenv("UMLINUX_BLK_GATE");
	if (gate && access(gate, F_OK))
		return -EAGAIN;   /* the test's slow disk has nothing cached */
	pthread_mutex_lock(&qlock);
	if (busy || !list_empty(&queued)) {   /* it would have to wait its turn */
		pthread_mutex_unlock(&qlock);
		return -EAGAIN;
	}
	busy = true;
	pthread_mutex_unlock(&qlock);
	result = b->ops->read_nowait(b, buf, len, off);
	pthread_mutex_lock(&qlock);
	busy = false;
	pthread_cond_broadcast(&qidle);
	pthread_mutex_unlock(&qlock);
	return result;
}

struct blk_request *blkdev_submit(struct block_device *b, enum blk_op op, const void *data,
				  size_t len, uint64_t off)
{
	struct blk_request *rq = request_new(b, op, len, off);

	if (!rq)
		return NULL;
	if (op == BLK_WRITE && len)
		memcpy(rq->buf, data, len);
	enqueue(rq);
	return rq;
}

struct blk_request *blkdev_submit_gather(struct block_device *b, size_t len,
					 const struct blk_seg *segs, unsigned nsegs)
{
	struct blk_request *rq = request_new(b, BLK_READ, len, 0);

	if (!rq)
		return NULL;
	rq->segs = malloc(nsegs * sizeof(*segs));
	if (!rq->segs) {
		free(rq->buf);
		free(rq);
		return NULL;
	}
	memcpy(rq->segs, segs, nsegs * sizeof(*segs));
	rq->nsegs = nsegs;
	enqueue(rq);
	return rq;
}

void blkdev_request_put(struct blk_request *rq)
{
	if (!rq->done) {
		rq->abandoned = true;   /* freed when the worker is done with it */
		return;
	}
	waitq_release(&rq->waiters);
	request_free(rq);
}

void blkdev_drain(struct block_device *b)
{
	pthread_mutex_lock(&qlock);
	while (busy || !list_empty(&queued))
		pthread_cond_wait(&qidle, &qlock);
	pthread_mutex_unlock(&qlock);
	/* Finished but not yet reaped: the eventfd is still readable; reap now so no
	 * request outlives its disk. */
	if (b->inflight && done_fd >= 0)
		reap(done_fd, 0, NULL);
}

static void abandon_task_request(struct task *t)
{
	if (t->scratch[0])
		blkdev_request_put((struct blk_request *)t->scratch[0]);
	t->scratch[0] = 0;
}

long blkdev_task_wait(struct task *t, struct blk_request *rq)
{
	t->scratch[0] = (long)rq;
	if (rq->done)
		return 0;
	t->park_abort = abandon_task_request;
	t->park_uninterruptible = true;
	task_wait_on(t, &rq->waiters);
	return SYSRET_BLOCK;
}

void blkdev_task_done(struct task *t, struct blk_request *rq)
{
	t->scratch[0] = 0;
	blkdev_request_put(rq);
}
