/*
 * AF_UNIX sockets, as Linux's af_unix.c behaves: connect on a stream or seqpacket socket
 * completes at once by queueing an already connected "embryo" on the listener, which
 * accept hands out; a datagram connect only records the peer. Closing a socket shuts its
 * peer down both ways (with ECONNRESET if data or connections were left unread).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <poll.h>
#include "fs/poll.h"
#include "net/unix.h"
#include "platform/platform.h"

#define SOMAXCONN_DEFAULT 4096   /* net.core.somaxconn */

void unix_get(struct unix_sock *u) { u->refcount++; }

static void unix_free(struct unix_sock *u)
{
	waitq_release(&u->wq);
	free(u->addr);
	free(u->sk);
	free(u);
}

void unix_put(struct unix_sock *u)
{
	if (u && --u->refcount == 0)
		unix_free(u);
}

struct ucred unix_current_creds(void)
{
	struct ucred c = { 0, 65534, 65534 };   /* no task: Linux's overflow ids */
	if (current) {
		c.pid = current->tg->tgid;
		c.uid = current->cred.euid;
		c.gid = current->cred.egid;
	}
	return c;
}

static struct unix_sock *unix_new(struct sock *s)
{
	struct unix_sock *u = xcalloc(1, sizeof(*u));
	u->sk = s;
	u->refcount = 1;
	list_init(&u->rcvq);
	list_init(&u->acceptq);
	list_init(&u->accept_link);
	waitq_init(&u->wq);
	u->peercred = (struct ucred){ 0, 65534, 65534 };
	s->priv = u;
	return u;
}

static bool connection_based(const struct unix_sock *u)
{
	return u->sk->type == SOCK_STREAM || u->sk->type == SOCK_SEQPACKET;
}

static void wake(struct unix_sock *u)
{
	if (u)
		waitq_wake_all(&u->wq);
}

/* ---- connecting ------------------------------------------------------------------ */

static int unix_listen(struct sock *s, int backlog)
{
	struct unix_sock *u = unix_sk(s);
	if (!connection_based(u))
		return -EOPNOTSUPP;
	if (!u->addr || (u->state != UNIX_UNCONNECTED && u->state != UNIX_LISTENING))
		return -EINVAL;   /* no listening on an unbound socket */
	if ((unsigned)backlog > SOMAXCONN_DEFAULT)
		backlog = SOMAXCONN_DEFAULT;
	u->backlog = backlog;
	u->state = UNIX_LISTENING;
	u->peercred = unix_current_creds();   /* what connecting sockets see as SO_PEERCRED */
	wake(u);   /* connectors waiting for room in the backlog */
	return 0;
}

static struct unix_sock *embryo_new(struct unix_sock *listener, struct unix_sock *client)
{
	struct sock *s = sock_alloc(listener->sk->ops, listener->sk->type, listener->sk->protocol);
	struct unix_sock *e = unix_new(s);
	e->state = UNIX_CONNECTED;
	e->peer = client;
	unix_get(client);
	e->peercred = unix_current_creds();
	if (listener->addr) {
		e->addr = xcalloc(1, sizeof(*e->addr));
		*e->addr = *listener->addr;   /* an accepted socket shows the listener's name */
	}
	return e;
}

static int stream_connect(struct unix_sock *u, const struct sockaddr *addr, socklen_t len, int flags)
{
	if (u->state == UNIX_CONNECTED)
		return -EISCONN;
	if (u->state == UNIX_LISTENING)
		return -EINVAL;
	int err = unix_validate_addr(addr, len);
	if (err)
		return err;
	if (u->sk->passcred && !u->addr && (err = unix_autobind(u)))
		return err;
	struct unix_sock *l;
	long r = unix_find(addr, len, u->sk->type, &l);
	if (r < 0)
		return (int)r;
	if (l->state != UNIX_LISTENING || (l->shutdown & UNIX_RCV_SHUTDOWN)) {
		unix_put(l);
		return -ECONNREFUSED;
	}
	if (l->nacc > l->backlog) {   /* Linux's unix_recvq_full: strictly more than backlog */
		long w = (flags & O_NONBLOCK) ? -EAGAIN : sock_wait(u->sk, &l->wq, true);
		unix_put(l);
		return (int)w;
	}
	struct unix_sock *e = embryo_new(l, u);
	list_add_tail(&e->accept_link, &l->acceptq);   /* the listener's queue holds e */
	l->nacc++;
	u->peer = e;
	unix_get(e);
	u->peercred = l->peercred;
	u->state = UNIX_CONNECTED;
	wake(l);
	unix_put(l);
	return 0;
}

/* A datagram socket only remembers its peer; AF_UNSPEC forgets it. */
static int dgram_connect(struct unix_sock *u, const struct sockaddr *addr, socklen_t len)
{
	if (len >= sizeof(sa_family_t) && addr->sa_family == AF_UNSPEC) {
		unix_put(u->peer);
		u->peer = NULL;
		u->state = UNIX_UNCONNECTED;
		return 0;
	}
	int err = unix_validate_addr(addr, len);
	if (err)
		return err;
	if (u->sk->passcred && !u->addr && (err = unix_autobind(u)))
		return err;
	struct unix_sock *other;
	long r = unix_find(addr, len, u->sk->type, &other);
	if (r < 0)
		return (int)r;
	if (other->peer && other->peer != u && other != u) {
		unix_put(other);
		return -EPERM;   /* it is connected to someone else: it would not take ours */
	}
	unix_put(u->peer);
	u->peer = other;   /* takes the reference */
	u->state = UNIX_CONNECTED;
	return 0;
}

static int unix_connect(struct sock *s, const struct sockaddr *addr, socklen_t len, int flags)
{
	struct unix_sock *u = unix_sk(s);
	return connection_based(u) ? stream_connect(u, addr, len, flags) : dgram_connect(u, addr, len);
}

static long unix_accept(struct sock *s, int flags, struct sock **out)
{
	struct unix_sock *u = unix_sk(s);
	if (!connection_based(u))
		return -EOPNOTSUPP;
	if (u->state != UNIX_LISTENING)
		return -EINVAL;
	if (list_empty(&u->acceptq))
		return (flags & O_NONBLOCK) ? -EAGAIN : sock_wait(s, &u->wq, false);
	struct unix_sock *e = list_entry(u->acceptq.next, struct unix_sock, accept_link);
	list_del_init(&e->accept_link);
	u->nacc--;
	wake(u);   /* room in the backlog */
	*out = e->sk;   /* the queue's reference goes to the new file */
	return 0;
}

/* ---- pairs, shutdown, names --------------------------------------------------------- */

int unix_socketpair(struct sock *a, struct sock *b)
{
	struct unix_sock *ua = unix_sk(a), *ub = unix_sk(b);
	ua->peer = ub;
	ub->peer = ua;
	unix_get(ua);
	unix_get(ub);
	ua->state = ub->state = UNIX_CONNECTED;
	ua->peercred = ub->peercred = unix_current_creds();
	return 0;
}

static int unix_shutdown(struct sock *s, int how)
{
	struct unix_sock *u = unix_sk(s);
	unsigned mode = (unsigned)how + 1;   /* SHUT_RD 1, SHUT_WR 2, SHUT_RDWR 3 */
	u->shutdown |= mode;
	if (u->peer && connection_based(u)) {
		unsigned peer_mode = ((mode & UNIX_RCV_SHUTDOWN) ? UNIX_SEND_SHUTDOWN : 0) |
				     ((mode & UNIX_SEND_SHUTDOWN) ? UNIX_RCV_SHUTDOWN : 0);
		u->peer->shutdown |= peer_mode;
		wake(u->peer);
	}
	wake(u);
	return 0;
}

static int unix_getname(struct sock *s, struct sockaddr_storage *addr, socklen_t *len, bool peer)
{
	struct unix_sock *u = unix_sk(s);
	struct unix_sock *who = u;
	if (peer) {
		if (!u->peer || (connection_based(u) && u->state != UNIX_CONNECTED))
			return -ENOTCONN;
		who = u->peer;
	}
	memset(addr, 0, sizeof(*addr));
	if (who->addr) {
		memcpy(addr, &who->addr->sun, who->addr->len);
		*len = who->addr->len;
	} else {
		addr->ss_family = AF_UNIX;
		*len = sizeof(sa_family_t);
	}
	return 0;
}

static int unix_peercred(struct sock *s, struct ucred *out)
{
	*out = unix_sk(s)->peercred;
	return 0;
}

/* ---- readiness --------------------------------------------------------------------- */

static bool writable(const struct unix_sock *u)
{
	if (u->state == UNIX_LISTENING)
		return false;
	const struct unix_sock *p = u->peer;
	if (!p)
		return true;
	if (u->sk->type == SOCK_STREAM)
		return p->rcv_bytes < (size_t)u->sk->sndbuf;
	return p->peer == u || !unix_dgram_queue_full(p);
}

static unsigned unix_poll(struct sock *s, struct task *t)
{
	struct unix_sock *u = unix_sk(s);
	unsigned mask = 0;
	if (t) {
		task_wait_on(t, &u->wq);
		if (u->peer)
			task_wait_on(t, &u->peer->wq);
	}
	if (u->err)
		mask |= POLLERR;
	if (u->shutdown == (UNIX_RCV_SHUTDOWN | UNIX_SEND_SHUTDOWN))
		mask |= POLLHUP;
	if (u->shutdown & UNIX_RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (!list_empty(&u->rcvq) || !list_empty(&u->acceptq))
		mask |= POLLIN | POLLRDNORM;
	if (connection_based(u) && u->state == UNIX_UNCONNECTED)
		mask |= POLLHUP;
	if (writable(u))   /* Linux's unix_writable() ignores shutdown */
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}

static int unix_getsockopt(struct sock *s, int level, int name, void *val, socklen_t *len)
{
	struct unix_sock *u = unix_sk(s);
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	int v;
	switch (name) {
	case SO_ERROR:
		v = u->err;
		u->err = 0;
		break;
	case SO_ACCEPTCONN:
		v = u->state == UNIX_LISTENING;
		break;
	default:
		return -ENOPROTOOPT;
	}
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

static int unix_setsockopt(struct sock *s, int level, int name, const void *val, socklen_t len)
{
	(void)s; (void)name; (void)val; (void)len;
	return level == SOL_SOCKET ? -ENOPROTOOPT : -EOPNOTSUPP;
}

/* FIONREAD: all unread bytes of a stream, the next datagram's size. SIOCOUTQ: what the
 * peer has not read yet. */
static long unix_ioctl(struct sock *s, struct task *t, unsigned long cmd, unsigned long arg)
{
	struct unix_sock *u = unix_sk(s);
	int v = 0;
	if (cmd == FIONREAD) {
		if (u->state == UNIX_LISTENING)
			return -EINVAL;
		if (s->type == SOCK_DGRAM) {
			if (!list_empty(&u->rcvq))
				v = (int)list_entry(u->rcvq.next, struct unix_skb, link)->len;
		} else {
			v = (int)u->rcv_bytes;
		}
	} else if (cmd == TIOCOUTQ) {
		if (u->state == UNIX_LISTENING)
			return -EINVAL;
		v = u->peer && connection_based(u) ? (int)u->peer->rcv_bytes : 0;
	} else {
		return -ENOTTY;
	}
	return guest_write(t, arg, &v, sizeof(v)) < 0 ? -EFAULT : 0;
}

/* ---- closing ----------------------------------------------------------------------- */

static void drain(struct unix_sock *u)
{
	while (!list_empty(&u->rcvq)) {
		struct unix_skb *skb = list_entry(u->rcvq.next, struct unix_skb, link);
		list_del_init(&skb->link);
		unix_skb_free(skb);
	}
	u->rcv_bytes = 0;
	u->rcv_msgs = 0;
}

static void unix_close(struct unix_sock *u, bool embryo)
{
	u->dead = true;
	u->shutdown = UNIX_RCV_SHUTDOWN | UNIX_SEND_SHUTDOWN;
	unix_unbind(u);
	struct unix_sock *peer = u->peer;
	u->peer = NULL;
	if (peer && connection_based(u)) {
		peer->shutdown = UNIX_RCV_SHUTDOWN | UNIX_SEND_SHUTDOWN;
		if (!list_empty(&u->rcvq) || embryo)
			peer->err = ECONNRESET;
		wake(peer);
	}
	unix_put(peer);
	while (!list_empty(&u->acceptq)) {
		struct unix_sock *e = list_entry(u->acceptq.next, struct unix_sock, accept_link);
		list_del_init(&e->accept_link);
		unix_close(e, true);
	}
	u->nacc = 0;
	drain(u);
	wake(u);
	unix_put(u);
}

static void unix_release(struct sock *s)
{
	unix_close(unix_sk(s), false);
}

static int unix_bind_sock(struct sock *s, const struct sockaddr *addr, socklen_t len)
{
	return unix_bind(unix_sk(s), addr, len);
}

static const struct proto_ops unix_ops = {
	.family = AF_UNIX,
	.bind = unix_bind_sock,
	.connect = unix_connect,
	.listen = unix_listen,
	.accept = unix_accept,
	.sendmsg = unix_sendmsg,
	.recvmsg = unix_recvmsg,
	.shutdown = unix_shutdown,
	.getname = unix_getname,
	.poll = unix_poll,
	.getsockopt = unix_getsockopt,
	.setsockopt = unix_setsockopt,
	.peercred = unix_peercred,
	.ioctl = unix_ioctl,
	.release = unix_release,
};

int unix_create(struct sock *s, int type, int protocol)
{
	if (protocol && protocol != PF_UNIX)
		return -EPROTONOSUPPORT;
	switch (type) {
	case SOCK_STREAM:
	case SOCK_SEQPACKET:
	case SOCK_DGRAM:
		break;
	case SOCK_RAW:
		type = SOCK_DGRAM;   /* Linux takes SOCK_RAW as SOCK_DGRAM */
		break;
	default:
		return -ESOCKTNOSUPPORT;
	}
	s->ops = &unix_ops;
	s->type = type;
	s->protocol = 0;
	unix_new(s);
	return 0;
}
