/*
 * AF_UNIX data. A datagram or seqpacket message is one queue entry, taken whole (the
 * rest of a long one is dropped, MSG_TRUNC); a stream sender queues pieces that readers
 * take across, stopping at a piece that carries descriptors, as Linux does. Every piece
 * records the sender's credentials (SCM_CREDENTIALS for receivers with SO_PASSCRED) and a
 * datagram its sender's name.
 *
 * A blocking call parks and is run again from the start when woken (kernel/sched.c);
 * what a stream send or a MSG_WAITALL receive has moved so far survives in the task's
 * io_progress, so a signal then ends it with that count, as Linux's do.
 */
#include <stdlib.h>
#include <string.h>
#include "net/unix.h"
#include "signal/signal.h"

#define STREAM_PIECE (64 * 1024)   /* the most one queue entry of a stream holds */

void unix_skb_free(struct unix_skb *skb)
{
	for (int i = 0; i < skb->nfds; i++)
		file_put(skb->fds[i]);
	free(skb->fds);
	free(skb->data);
	free(skb);
}

bool unix_dgram_queue_full(const struct unix_sock *u)
{
	return u->rcv_msgs >= UNIX_MAX_DGRAM_QLEN;
}

static bool nonblocking(struct sock *s, const struct kmsg *m)
{
	return (m->flags & MSG_DONTWAIT) || (s->file && (s->file->flags & O_NONBLOCK));
}

/* A queue entry of len bytes from m at off; the descriptors move from m into it. */
static long skb_make(struct unix_sock *from, struct kmsg *m, size_t off, size_t len, bool take_fds,
		     struct unix_skb **out)
{
	struct unix_skb *skb = xcalloc(1, sizeof(*skb));
	skb->data = malloc(len ? len : 1);
	skb->len = len;
	if (!skb->data || msg_copy_from(m, off, skb->data, len) < 0) {
		long err = skb->data ? -EFAULT : -ENOMEM;
		unix_skb_free(skb);
		return err;
	}
	if (take_fds && m->nfds) {
		skb->fds = m->fds;
		skb->nfds = m->nfds;
		m->fds = NULL;
		m->nfds = 0;
	}
	skb->creds = m->has_creds ? m->creds : unix_current_creds();
	if (from->addr)
		skb->from = *from->addr;
	*out = skb;
	return 0;
}

static void enqueue(struct unix_sock *to, struct unix_skb *skb)
{
	list_add_tail(&skb->link, &to->rcvq);
	to->rcv_bytes += skb->len;
	to->rcv_msgs++;
	waitq_wake_all(&to->wq);
}

static void dequeue(struct unix_sock *u, struct unix_skb *skb)
{
	list_del_init(&skb->link);
	u->rcv_bytes -= skb->len - skb->off;
	u->rcv_msgs--;
	unix_skb_free(skb);
	waitq_wake_all(&u->wq);   /* senders waiting for room */
}

static long broken_pipe(const struct kmsg *m)
{
	if (!(m->flags & MSG_NOSIGNAL) && !current->no_sigpipe)
		signal_send_task(current, SIGPIPE, NULL);
	return -EPIPE;
}

/* ---- sending ----------------------------------------------------------------------- */

static long stream_send(struct unix_sock *u, struct kmsg *m)
{
	if (m->namelen)
		return u->state == UNIX_CONNECTED ? -EISCONN : -EOPNOTSUPP;
	struct unix_sock *other = u->peer;
	if (u->state != UNIX_CONNECTED || !other)
		return u->shutdown & UNIX_SEND_SHUTDOWN ? broken_pipe(m) : -ENOTCONN;
	size_t done = current->retrying ? current->io_progress : 0;
	while (done < m->len || (m->len == 0 && done == 0)) {
		if ((u->shutdown & UNIX_SEND_SHUTDOWN) || other->dead ||
		    (other->shutdown & UNIX_RCV_SHUTDOWN)) {
			current->io_progress = 0;
			return done ? (long)done : broken_pipe(m);
		}
		if (m->len == 0)
			return 0;
		size_t limit = (size_t)u->sk->sndbuf;
		if (other->rcv_bytes >= limit) {
			if (nonblocking(u->sk, m)) {
				current->io_progress = 0;
				return done ? (long)done : -EAGAIN;
			}
			current->io_progress = done;
			long w = sock_wait(u->sk, &other->wq, true);
			if (w != SYSRET_BLOCK) {
				current->io_progress = 0;
				return done ? (long)done : w;
			}
			return w;
		}
		size_t n = m->len - done;
		if (n > limit - other->rcv_bytes)
			n = limit - other->rcv_bytes;
		if (n > STREAM_PIECE)
			n = STREAM_PIECE;
		struct unix_skb *skb;
		long err = skb_make(u, m, done, n, done == 0, &skb);
		if (err) {
			current->io_progress = 0;
			return done ? (long)done : err;
		}
		enqueue(other, skb);
		done += n;
	}
	current->io_progress = 0;
	return (long)done;
}

/* Where a datagram goes: the named socket, or the peer. A reference, or -errno. */
static long dgram_target(struct unix_sock *u, struct kmsg *m, struct unix_sock **out)
{
	if (m->namelen) {
		if (u->sk->type == SOCK_SEQPACKET)
			return u->state == UNIX_CONNECTED ? -EISCONN : -EOPNOTSUPP;
		return unix_find((struct sockaddr *)&m->name, m->namelen, u->sk->type, out);
	}
	if (!u->peer)
		return -ENOTCONN;
	if (u->peer->dead) {
		/* its peer is gone: the socket is disconnected (Linux: ECONNREFUSED) */
		if (u->sk->type == SOCK_SEQPACKET)
			return -EPIPE;
		unix_put(u->peer);
		u->peer = NULL;
		u->state = UNIX_UNCONNECTED;
		return -ECONNREFUSED;
	}
	unix_get(u->peer);
	*out = u->peer;
	return 0;
}

static long dgram_send(struct unix_sock *u, struct kmsg *m)
{
	if (u->sk->type == SOCK_SEQPACKET && u->state != UNIX_CONNECTED)
		return -ENOTCONN;
	if (u->shutdown & UNIX_SEND_SHUTDOWN)
		return -EPIPE;
	if (u->sk->passcred && !u->addr) {
		int err = unix_autobind(u);
		if (err)
			return err;
	}
	if (m->len > (size_t)u->sk->sndbuf - 32)
		return -EMSGSIZE;
	struct unix_sock *other;
	long err = dgram_target(u, m, &other);
	if (err)
		return err;
	if (other->dead)
		err = -ECONNREFUSED;
	else if (other->peer && other->peer != u && other != u)
		err = -EPERM;   /* connected to someone else */
	else if (other->shutdown & UNIX_RCV_SHUTDOWN)
		err = -EPIPE;
	else if ((other != u && other->peer != u && unix_dgram_queue_full(other)) ||
		 other->rcv_bytes >= (size_t)u->sk->sndbuf)   /* the sender's buffer, as wmem */
		err = nonblocking(u->sk, m) ? -EAGAIN : sock_wait(u->sk, &other->wq, true);
	if (!err) {
		struct unix_skb *skb;
		err = skb_make(u, m, 0, m->len, true, &skb);
		if (!err) {
			enqueue(other, skb);
			err = (long)m->len;
		}
	}
	unix_put(other);
	return err;
}

long unix_sendmsg(struct sock *s, struct kmsg *m)
{
	struct unix_sock *u = unix_sk(s);
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	return s->type == SOCK_STREAM ? stream_send(u, m) : dgram_send(u, m);
}

/* ---- receiving --------------------------------------------------------------------- */

static void put_name(struct kmsg *m, const struct unix_skb *skb)
{
	m->namelen = skb->from.len;
	if (skb->from.len)
		memcpy(&m->name, &skb->from.sun, skb->from.len);
}

/* Nothing queued: 0 at end of file, -EAGAIN, the wait, or an error. */
static long nothing_yet(struct unix_sock *u, struct kmsg *m)
{
	if (u->err) {
		long e = -u->err;
		u->err = 0;
		return e;
	}
	if (u->shutdown & UNIX_RCV_SHUTDOWN)
		return 0;
	if (nonblocking(u->sk, m))
		return -EAGAIN;
	return sock_wait(u->sk, &u->wq, false);
}

static long dgram_recv(struct unix_sock *u, struct kmsg *m)
{
	if (u->sk->type == SOCK_SEQPACKET && u->state != UNIX_CONNECTED)
		return -ENOTCONN;
	if (list_empty(&u->rcvq))
		return nothing_yet(u, m);
	struct unix_skb *skb = list_entry(u->rcvq.next, struct unix_skb, link);
	size_t n = skb->len < m->len ? skb->len : m->len;
	if (msg_copy_to(m, 0, skb->data, n) < 0)
		return -EFAULT;
	bool want_len = m->flags & MSG_TRUNC;
	if (skb->len > m->len)
		m->flags |= MSG_TRUNC;
	else
		m->flags &= ~MSG_TRUNC;
	put_name(m, skb);
	msg_put_control(m, skb->fds, skb->nfds, u->sk->passcred ? &skb->creds : NULL);
	size_t len = skb->len;
	if (!(m->flags & MSG_PEEK))
		dequeue(u, skb);
	return (long)(want_len ? len : n);
}

static bool same_creds(const struct ucred *a, const struct ucred *b)
{
	return a->pid == b->pid && a->uid == b->uid && a->gid == b->gid;
}

/* A stream read goes on across queue entries, but stops after one that brought
 * descriptors, and before one from a different sender when credentials are passed. */
static long stream_recv(struct unix_sock *u, struct kmsg *m)
{
	if (u->state != UNIX_CONNECTED)
		return -EINVAL;
	if (m->len == 0)
		return 0;
	bool peek = m->flags & MSG_PEEK;
	size_t copied = current->retrying ? current->io_progress : 0;
	size_t target = (m->flags & MSG_WAITALL) && !peek ? m->len : 1;
	struct list_head *p = u->rcvq.next;
	size_t peek_off = 0;   /* MSG_PEEK: how far into the entry at p */
	struct file **fds = NULL;
	int nfds = 0;
	struct ucred creds;
	bool have_creds = false;
	while (copied < m->len) {
		if (p == &u->rcvq) {
			if (copied >= target)
				break;
			long r = nothing_yet(u, m);
			current->io_progress = r == SYSRET_BLOCK ? copied : 0;
			if (r == SYSRET_BLOCK || !copied)
				return r;
			break;
		}
		struct unix_skb *skb = list_entry(p, struct unix_skb, link);
		if (have_creds && u->sk->passcred && !same_creds(&creds, &skb->creds))
			break;
		if (!have_creds) {
			creds = skb->creds;
			have_creds = true;
			put_name(m, skb);
		}
		size_t off = skb->off + (peek ? peek_off : 0);
		size_t n = skb->len - off < m->len - copied ? skb->len - off : m->len - copied;
		if (msg_copy_to(m, copied, skb->data + off, n) < 0)
			break;
		copied += n;
		if (skb->nfds) {
			fds = xcalloc((size_t)skb->nfds, sizeof(*fds));
			for (int i = 0; i < skb->nfds; i++)
				fds[i] = peek ? file_get(skb->fds[i]) : skb->fds[i];
			nfds = skb->nfds;
			if (!peek) {
				free(skb->fds);
				skb->fds = NULL;
				skb->nfds = 0;
			}
		}
		if (peek) {
			peek_off += n;
			if (off + n == skb->len) {
				p = p->next;
				peek_off = 0;
			}
		} else {
			skb->off += n;
			u->rcv_bytes -= n;
			p = p->next;
			if (skb->off == skb->len) {
				list_del_init(&skb->link);
				u->rcv_msgs--;
				unix_skb_free(skb);
			}
			waitq_wake_all(&u->wq);   /* senders waiting for room */
		}
		if (nfds)
			break;
	}
	if (nfds || (u->sk->passcred && have_creds))
		msg_put_control(m, fds, nfds, u->sk->passcred && have_creds ? &creds : NULL);
	for (int i = 0; i < nfds; i++)
		file_put(fds[i]);
	free(fds);
	current->io_progress = 0;
	return (long)copied;
}

long unix_recvmsg(struct sock *s, struct kmsg *m)
{
	struct unix_sock *u = unix_sk(s);
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	m->namelen = 0;
	return s->type == SOCK_STREAM ? stream_recv(u, m) : dgram_recv(u, m);
}
