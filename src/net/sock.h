/*
 * The socket layer: a socket is an open file (fops = socket_fops) whose priv is a struct
 * sock, and an address family is a table of operations on it, as Linux's proto_ops. The
 * system calls (net/socket.c) copy addresses, messages and options between the guest and
 * the kernel (net/msg.c) and call the family; only AF_UNIX exists so far (net/af_unix.c).
 */
#ifndef UMLINUX_NET_SOCK_H
#define UMLINUX_NET_SOCK_H

#include <sys/socket.h>
#include <sys/un.h>
#include "fs/vfs.h"
#include "net/msg.h"

struct sock;

struct proto_ops {
	int family;
	int (*bind)(struct sock *s, const struct sockaddr *addr, socklen_t len);
	int (*connect)(struct sock *s, const struct sockaddr *addr, socklen_t len, int flags);
	int (*listen)(struct sock *s, int backlog);
	/* A new connected socket, or -errno / SYSRET_BLOCK. */
	long (*accept)(struct sock *s, int flags, struct sock **out);
	/* Bytes sent / received, -errno, or SYSRET_BLOCK (sent: the progress so far is in
	 * the task's io_progress, as for pipes). */
	long (*sendmsg)(struct sock *s, struct kmsg *m);
	long (*recvmsg)(struct sock *s, struct kmsg *m);
	int (*shutdown)(struct sock *s, int how);
	/* The socket's own address (peer false) or its peer's. */
	int (*getname)(struct sock *s, struct sockaddr_storage *addr, socklen_t *len, bool peer);
	unsigned (*poll)(struct sock *s, struct task *t);
	/* SOL_SOCKET options the family itself answers; -ENOPROTOOPT for the generic ones */
	int (*getsockopt)(struct sock *s, int level, int name, void *val, socklen_t *len);
	int (*setsockopt)(struct sock *s, int level, int name, const void *val, socklen_t len);
	/* SO_PEERCRED: the peer's credentials when it connected */
	int (*peercred)(struct sock *s, struct ucred *out);
	long (*ioctl)(struct sock *s, struct task *t, unsigned long cmd, unsigned long arg);
	void (*release)(struct sock *s);   /* the file is closed for the last time */
};

struct sock {
	const struct proto_ops *ops;
	int type;                    /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
	int protocol;
	struct file *file;           /* weak: the file that holds this socket */
	/* generic options (SOL_SOCKET) */
	int sndbuf, rcvbuf;
	bool passcred, reuseaddr, keepalive, broadcast;
	struct linger linger;
	uint64_t rcvtimeo_ns, sndtimeo_ns;   /* 0: no timeout */
	void *priv;                  /* the family's own state */
};

extern const struct file_ops socket_fops;

/* The socket behind a descriptor: NULL with *err set to -EBADF or -ENOTSOCK. */
struct sock *sock_from_fd(struct task *t, int fd, long *err);
/* A new socket file around s (the family has filled s); installs it as a descriptor. */
long sock_install(struct task *t, struct sock *s, int flags);
struct sock *sock_alloc(const struct proto_ops *ops, int type, int protocol);

/* Sockets of each family (net/af_unix.c). */
int unix_create(struct sock *s, int type, int protocol);
int unix_socketpair(struct sock *a, struct sock *b);

/* read()/write() and readv()/writev() on a socket: one message (fs_rw.c). */
long sock_rw(struct task *t, struct file *f, unsigned long iov, size_t iovcnt, bool vec, bool wr);

/* A blocking call on s: waits with its SO_RCVTIMEO/SO_SNDTIMEO; -EAGAIN once it has passed. */
long sock_wait(struct sock *s, struct waitq *q, bool send);

#endif
