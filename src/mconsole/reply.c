/*
 * Sending replies. A reply goes to the request's sender in datagrams of at most 524
 * bytes. A Unix datagram receiver queues only a few datagrams (net.unix.max_dgram_qlen,
 * 10 by default), so a long reply (proc, sysrq t) outruns a client that reads as it
 * goes; sends never block the kernel, so what does not fit waits in a queue retried on
 * a timer. A datagram still undelivered after OUTQ_GIVE_UP_NS takes the rest of its
 * client's queue with it (that client is not reading), and the queue as a whole is
 * bounded.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include "kernel/kernel.h"
#include "kernel/loop.h"
#include "kernel/printk.h"
#include "mconsole/internal.h"

#define OUTQ_RETRY_NS    5000000ULL      /* 5 ms between retries */
#define OUTQ_GIVE_UP_NS  10000000000ULL  /* 10 s without progress for a client */
#define OUTQ_MAX_BYTES   (4u << 20)

struct outgoing {
	struct list_head link;
	struct sockaddr_un to;
	socklen_t tolen;
	uint64_t queued_ns;
	size_t len;
	unsigned char data[];
};

static struct list_head outq = LIST_HEAD_INIT(outq);
static size_t outq_bytes;
static int outq_timer = -1;
static bool outq_full_logged;

static bool same_dest(const struct sockaddr_un *a, socklen_t alen,
		      const struct sockaddr_un *b, socklen_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

static void arm_retry(bool on)
{
	struct itimerspec its = { 0 };
	if (on) {
		its.it_value.tv_nsec = (long)OUTQ_RETRY_NS;
		its.it_interval.tv_nsec = (long)OUTQ_RETRY_NS;
	}
	if (outq_timer >= 0)
		timerfd_settime(outq_timer, 0, &its, NULL);
}

/* 1: sent (or undeliverable for good: the client is gone), 0: its queue is full. */
static int try_send(const struct sockaddr_un *to, socklen_t tolen, const void *buf, size_t len)
{
	if (mconsole_fd < 0)
		return 1;
	for (;;) {
		if (sendto(mconsole_fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL,
			   (const struct sockaddr *)to, tolen) >= 0)
			return 1;
		if (errno == EINTR)
			continue;
		return errno == EAGAIN || errno == ENOBUFS ? 0 : 1;
	}
}

static bool has_queued_for(const struct sockaddr_un *to, socklen_t tolen)
{
	struct list_head *p;
	list_for_each(p, &outq) {
		struct outgoing *o = list_entry(p, struct outgoing, link);
		if (same_dest(&o->to, o->tolen, to, tolen))
			return true;
	}
	return false;
}

static void enqueue(const struct sockaddr_un *to, socklen_t tolen, const void *buf, size_t len)
{
	if (outq_bytes + len > OUTQ_MAX_BYTES) {
		if (!outq_full_logged)
			printk("<4>mconsole: clients are not reading their replies; dropping some\n");
		outq_full_logged = true;
		return;
	}
	struct outgoing *o = malloc(sizeof(*o) + len);
	if (!o)
		return;
	o->to = *to;
	o->tolen = tolen;
	o->queued_ns = now_ns();
	o->len = len;
	memcpy(o->data, buf, len);
	list_add_tail(&o->link, &outq);
	outq_bytes += len;
	arm_retry(true);
}

static void drop(struct outgoing *o)
{
	list_del_init(&o->link);
	outq_bytes -= o->len;
	free(o);
}

static void drop_dest(const struct sockaddr_un *to, socklen_t tolen)
{
	struct list_head *p, *n;
	for (p = outq.next; p != &outq; p = n) {
		n = p->next;
		struct outgoing *o = list_entry(p, struct outgoing, link);
		if (same_dest(&o->to, o->tolen, to, tolen))
			drop(o);
	}
}

/* Sends what it can, in order for each client; a client with a full queue is skipped
 * for the rest of the pass so its datagrams stay in order. */
static void flush_pass(void)
{
	struct sockaddr_un blocked[8];
	socklen_t blocked_len[8];
	int nblocked = 0;
	struct list_head *p, *n;
	for (p = outq.next; p != &outq; p = n) {
		n = p->next;
		struct outgoing *o = list_entry(p, struct outgoing, link);
		bool skip = false;
		for (int i = 0; i < nblocked && !skip; i++)
			skip = same_dest(&blocked[i], blocked_len[i], &o->to, o->tolen);
		if (skip)
			continue;
		if (try_send(&o->to, o->tolen, o->data, o->len)) {
			drop(o);
			continue;
		}
		if (now_ns() - o->queued_ns > OUTQ_GIVE_UP_NS) {
			struct sockaddr_un to = o->to;
			socklen_t tolen = o->tolen;
			drop_dest(&to, tolen);
			return;   /* the list changed under us; the timer comes back */
		}
		if (nblocked == 8)
			return;
		blocked[nblocked] = o->to;
		blocked_len[nblocked++] = o->tolen;
	}
	if (list_empty(&outq)) {
		arm_retry(false);
		outq_full_logged = false;
	}
}

static void on_retry(int fd, uint32_t events, void *data)
{
	(void)events, (void)data;
	uint64_t x;
	if (read(fd, &x, sizeof(x)) < 0) { /* spurious wake-up */ }
	flush_pass();
}

int mconsole_outq_init(void)
{
	outq_timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (outq_timer < 0)
		return -errno;
	return loop_add_fd_always(outq_timer, EPOLLIN, on_retry, NULL);
}

void mconsole_outq_flush(int timeout_ms)
{
	uint64_t end = now_ns() + (uint64_t)timeout_ms * 1000000ULL;
	while (!list_empty(&outq) && now_ns() < end) {
		flush_pass();
		if (!list_empty(&outq))
			poll(NULL, 0, 1);
	}
}

void mconsole_send_raw(const struct sockaddr_un *to, socklen_t tolen, const void *buf,
		       size_t len)
{
	/* behind what is already queued for this client, or its replies would cross */
	if (has_queued_for(to, tolen) || !try_send(to, tolen, buf, len))
		enqueue(to, tolen, buf, len);
}

void mconsole_reply_len(struct mc_request *req, const char *text, size_t len, int err,
			bool more)
{
	struct mconsole_reply_cursor c;
	struct mconsole_reply r;
	size_t n;
	mconsole_reply_begin(&c, text, len, err, more);
	while ((n = mconsole_reply_next(&c, &r)) != 0)
		mconsole_send_raw(&req->from, req->fromlen, &r, n);
}

void mconsole_reply(struct mc_request *req, const char *text, int err, bool more)
{
	mconsole_reply_len(req, text, strlen(text), err, more);
}
