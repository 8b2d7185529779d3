/*
 * Channel data: input read from the host when the event loop says it is ready (or at
 * once, for files that cannot be polled) and offered to the owner, held back while the
 * owner is full; output written straight through when the host takes it, queued with
 * an EPOLLOUT watch when it does not.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>
#include "drivers/chan/chan_int.h"
#include "kernel/kernel.h"
#include "kernel/loop.h"

static void chan_pump(struct chan *c);

static void on_input_ready(int fd, uint32_t events, void *data)
{
	(void)fd;
	(void)events;
	chan_pump(data);
}

static void in_watch(struct chan *c)
{
	if (c->in.watching)
		return;
	int rc = loop_add_fd(c->in.fd, EPOLLIN, on_input_ready, c);
	if (rc < 0) {
		printk("<4>umlinux: %s: cannot watch host file descriptor %d for input (%s); "
		       "its input is ignored\n", c->line, c->in.host_fd, strerror(-rc));
		return;
	}
	c->in.watching = true;
}

/* Unwatched while throttled: a level-triggered EPOLLHUP would fire in a loop. */
static void in_unwatch(struct chan *c)
{
	if (c->in.watching) {
		loop_del_fd(c->in.fd);
		c->in.watching = false;
	}
}

static void input_ended(struct chan *c)
{
	in_unwatch(c);
	c->in_eof = true;
	c->pend_len = c->pend_off = 0;
	if (c->ops->input_eof)
		c->ops->input_eof(c->owner);
}

/* True when the owner took everything held back. */
static bool offer_pending(struct chan *c)
{
	while (c->pend_len) {
		size_t k = c->ops->receive(c->owner, c->pend + c->pend_off, c->pend_len);
		if (!k)
			return false;
		c->pend_off += k;
		c->pend_len -= k;
	}
	c->pend_off = 0;
	return true;
}

static void chan_pump(struct chan *c)
{
	if (c->pumping || c->in_eof)
		return;
	c->pumping = true;
	for (;;) {
		if (!offer_pending(c)) {
			in_unwatch(c);
			break;
		}
		if (c->in.fd < 0) {
			if (!c->in_none)
				input_ended(c);
			break;
		}
		ssize_t n = read(c->in.fd, c->pend, sizeof(c->pend));
		if (n > 0) {
			c->pend_off = 0;
			c->pend_len = (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			in_watch(c);
			break;
		}
		/* 0 is end of file; EIO is a hung-up terminal */
		if (n < 0 && errno != EIO)
			printk("<4>umlinux: %s: reading host file descriptor %d: %s\n", c->line,
			       c->in.host_fd, strerror(errno));
		input_ended(c);
		break;
	}
	c->pumping = false;
}

void chan_start_input(struct chan *c) { chan_pump(c); }
void chan_unthrottle(struct chan *c) { chan_pump(c); }

void chan_discard_input(struct chan *c)
{
	c->pend_len = c->pend_off = 0;
	chan_pump(c);
}

/* One write to the host: a count, or -errno. SIGPIPE is held back so a reader that
 * went away gives EPIPE instead of killing the kernel. */
static ssize_t host_write(struct chan *c, const char *buf, size_t n)
{
	if (c->out.regular) {
		size_t done = 0;
		while (done < n) {
			ssize_t w = write(c->out.fd, buf + done, n - done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return done ? (ssize_t)done : (w < 0 ? -errno : -EIO);
			done += (size_t)w;
		}
		return (ssize_t)done;
	}
	sigset_t pipe_set, old;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	ssize_t w;
	do
		w = write(c->out.fd, buf, n);
	while (w < 0 && errno == EINTR);
	int err = errno;
	if (w < 0 && err == EPIPE && !sigismember(&old, SIGPIPE)) {
		struct timespec zero = { 0, 0 };
		sigtimedwait(&pipe_set, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return w < 0 ? -err : w;
}

static void out_unwatch(struct chan *c)
{
	if (c->out.watching) {
		loop_del_fd(c->out.fd);
		c->out.watching = false;
	}
}

/* The host side is gone (EPIPE, EIO): output is thrown away from now on, as writes to
 * a hung-up line are. */
static void out_dead(struct chan *c)
{
	c->out_dead = true;
	c->q_len = 0;
	out_unwatch(c);
}

/* Writes out as much of the queue as the host takes now. */
static void q_flush(struct chan *c)
{
	while (c->q_len) {
		ssize_t w = host_write(c, c->q, c->q_len);
		if (w == -EAGAIN || w == 0)
			return;
		if (w < 0) {
			out_dead(c);
			return;
		}
		memmove(c->q, c->q + w, c->q_len - (size_t)w);
		c->q_len -= (size_t)w;
	}
}

static void on_output_ready(int fd, uint32_t events, void *data)
{
	(void)fd;
	(void)events;
	struct chan *c = data;
	q_flush(c);
	if (!c->q_len)
		out_unwatch(c);
	if (c->q_len < CHAN_OUTQ_SOFT && c->ops->output_room)
		c->ops->output_room(c->owner);
}

void chan_drain_output(struct chan *c, int timeout_ms)
{
	for (int waited = 0; c->q_len && !c->out_dead; waited += 10) {
		q_flush(c);
		if (!c->q_len || waited >= timeout_ms)
			break;
		struct pollfd p = { .fd = c->out.fd, .events = POLLOUT };
		poll(&p, 1, 10);
	}
}

static void out_watch(struct chan *c)
{
	if (c->out.watching)
		return;
	if (loop_add_fd(c->out.fd, EPOLLOUT, on_output_ready, c) == 0) {
		c->out.watching = true;
		return;
	}
	/* a descriptor epoll refuses: wait for it here, briefly */
	chan_drain_output(c, 1000);
	c->q_len = 0;
}

static void q_append(struct chan *c, const char *buf, size_t n)
{
	if (c->q_len + n > c->q_cap) {
		size_t cap = c->q_cap ? c->q_cap : 4096;
		while (cap < c->q_len + n)
			cap *= 2;
		char *q = realloc(c->q, cap);
		if (!q)
			return;   /* host memory is short: lose this piece of output */
		c->q = q;
		c->q_cap = cap;
	}
	memcpy(c->q + c->q_len, buf, n);
	c->q_len += n;
}

/* Writes what the host takes now and queues the rest up to limit; returns the bytes
 * accepted (all of n when the output is discarded). */
static size_t chan_put(struct chan *c, const char *buf, size_t n, size_t limit)
{
	if (c->out.fd < 0 || c->out_dead || n == 0)
		return n;
	size_t done = 0;
	if (!c->q_len) {
		ssize_t w = host_write(c, buf, n);
		if (w < 0 && w != -EAGAIN) {
			out_dead(c);
			return n;
		}
		done = w > 0 ? (size_t)w : 0;
		if (done == n)
			return n;
	}
	size_t room = limit > c->q_len ? limit - c->q_len : 0;
	size_t take = n - done < room ? n - done : room;
	q_append(c, buf + done, take);
	if (c->q_len)
		out_watch(c);
	return done + take;
}

size_t chan_write_room(const struct chan *c)
{
	if (c->out.fd < 0 || c->out_dead)
		return CHAN_OUTQ_SOFT;
	return c->q_len < CHAN_OUTQ_SOFT ? CHAN_OUTQ_SOFT - c->q_len : 0;
}

size_t chan_write(struct chan *c, const char *buf, size_t n)
{
	return chan_put(c, buf, n, CHAN_OUTQ_SOFT);
}

void chan_write_kernel(struct chan *c, const char *buf, size_t n)
{
	chan_put(c, buf, n, CHAN_OUTQ_HARD);
}

size_t chan_output_queued(const struct chan *c) { return c->q_len; }

void chan_discard_output(struct chan *c)
{
	c->q_len = 0;
	out_unwatch(c);
}
