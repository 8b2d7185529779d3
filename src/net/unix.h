/*
 * AF_UNIX inside the kernel: stream, datagram and seqpacket sockets, their names
 * (filesystem nodes and the abstract namespace), queues of messages carrying data,
 * descriptors (SCM_RIGHTS) and the sender's credentials.
 *
 *   af_unix.c    the sockets: creation, pairs, connect/listen/accept, shutdown, poll,
 *                release
 *   unix_io.c    sending and receiving
 *   unix_addr.c  names: bind, lookup, autobind
 */
#ifndef UMLINUX_NET_UNIX_H
#define UMLINUX_NET_UNIX_H

#include "kernel/list.h"
#include "net/sock.h"

#define UNIX_RCV_SHUTDOWN  1
#define UNIX_SEND_SHUTDOWN 2
#define UNIX_MAX_DGRAM_QLEN 10    /* net.unix.max_dgram_qlen */

enum unix_state { UNIX_UNCONNECTED, UNIX_LISTENING, UNIX_CONNECTED };

struct unix_addr {
	socklen_t len;            /* of the sockaddr_un, family included */
	struct sockaddr_un sun;
};

/* One message in a receive queue (a stream socket's data arrives in pieces too). */
struct unix_skb {
	struct list_head link;
	char *data;
	size_t len, off;          /* off: what a stream reader has taken already */
	struct file **fds;        /* SCM_RIGHTS in flight: references */
	int nfds;
	struct ucred creds;       /* the sender's, for SCM_CREDENTIALS */
	struct unix_addr from;    /* the sender's name; from.len 0 if it has none */
};

struct unix_sock {
	struct sock *sk;
	int refcount;             /* the file, a peer, a listener's queue */
	enum unix_state state;
	struct unix_sock *peer;
	struct unix_addr *addr;   /* bound name, NULL if none */
	struct list_head rcvq;
	size_t rcv_bytes;
	int rcv_msgs;
	struct list_head acceptq; /* embryos: connected sockets not yet accepted */
	struct list_head accept_link;
	int nacc, backlog;
	unsigned shutdown;        /* UNIX_RCV_SHUTDOWN | UNIX_SEND_SHUTDOWN */
	int err;                  /* SO_ERROR */
	bool dead;                /* its file is closed */
	struct ucred peercred;    /* SO_PEERCRED */
	struct waitq wq;          /* readers, writers and pollers of this socket */
};

static inline struct unix_sock *unix_sk(struct sock *s) { return s->priv; }

void unix_get(struct unix_sock *u);
void unix_put(struct unix_sock *u);
/* The credentials a socket of the current task shows (SO_PEERCRED, SCM_CREDENTIALS). */
struct ucred unix_current_creds(void);

/* names (unix_addr.c) */
int unix_validate_addr(const struct sockaddr *addr, socklen_t len);
int unix_bind(struct unix_sock *u, const struct sockaddr *addr, socklen_t len);
int unix_autobind(struct unix_sock *u);
/* The socket bound to addr for a peer of type type (a reference), or -errno. */
long unix_find(const struct sockaddr *addr, socklen_t len, int type, struct unix_sock **out);
void unix_unbind(struct unix_sock *u);

/* data (unix_io.c) */
long unix_sendmsg(struct sock *s, struct kmsg *m);
long unix_recvmsg(struct sock *s, struct kmsg *m);
void unix_skb_free(struct unix_skb *skb);
bool unix_dgram_queue_full(const struct unix_sock *u);

#endif
