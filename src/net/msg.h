/*
 * A message on its way between the guest and a socket (net/msg.c): its data stays in the
 * guest's vectors until a family copies it; its address and control data are in kernel
 * memory.
 */
#ifndef UMLINUX_NET_MSG_H
#define UMLINUX_NET_MSG_H

#include <sys/socket.h>
#include <sys/uio.h>
#include "fs/vfs.h"

struct kmsg {
	struct task *t;
	struct iovec *iov;             /* the guest's vectors */
	size_t iovcnt;
	size_t len;                    /* their total */
	struct sockaddr_storage name;  /* the destination (send) or the source (receive) */
	socklen_t namelen;
	/* send: what the control data carries (references to the files) */
	struct file **fds;             /* SCM_RIGHTS */
	int nfds;
	bool has_creds;                /* SCM_CREDENTIALS */
	struct ucred creds;
	int flags;                     /* MSG_* in; MSG_TRUNC/MSG_CTRUNC added on receive */
	/* receive: where the guest wants the address and the control data */
	unsigned long uname;
	socklen_t unamelen;
	unsigned long control;
	size_t controllen;             /* the buffer's size, then what was written */
};

/* Filling a message from the guest. */
int msg_set_iov(struct kmsg *m, unsigned long uiov, size_t cnt);
void msg_set_buf(struct kmsg *m, unsigned long buf, size_t len);
int msg_set_name(struct kmsg *m, unsigned long uaddr, socklen_t len);
int msg_set_control(struct kmsg *m, unsigned long uctl, size_t len);
/* A struct msghdr: vectors, and for sending the address and control data; for receiving,
 * where they go back. */
int msg_import(struct kmsg *m, unsigned long umsg, bool send);
/* Writes msg_namelen, the address, msg_controllen and msg_flags back (recvmsg). */
int msg_export(struct kmsg *m, unsigned long umsg);
/* An address with a guest socklen_t pointer (recvfrom, accept, getsockname): as much as
 * fits, and the full length. */
int msg_put_addr(struct task *t, const void *addr, socklen_t len, unsigned long uaddr,
		 unsigned long ulen);

/* Copies from/to the guest vectors, starting off bytes in. */
int msg_copy_from(struct kmsg *m, size_t off, void *dst, size_t len);
int msg_copy_to(struct kmsg *m, size_t off, const void *src, size_t len);
/* Receive side: SCM_CREDENTIALS (when creds) and SCM_RIGHTS into the guest's control
 * buffer, installing the descriptors; MSG_CTRUNC when something does not fit. */
void msg_put_control(struct kmsg *m, struct file *const *fds, int nfds, const struct ucred *creds);
void msg_free(struct kmsg *m);

#endif
