/*
 * The socket system calls: descriptors, addresses, messages and options between the
 * guest and an address family (net/sock.h), with Linux's checks in Linux's order. Only
 * AF_UNIX exists; every other family answers EAFNOSUPPORT, as a kernel built without
 * it, so programs take their "no networking" paths (libaudit, glibc's nscd client).
 */
#include <errno.h>
#include <linux/net.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "fs/poll.h"
#include "net/sock.h"
#include "sys/syscalls.h"

#define SOCK_MAX_TYPE   11        /* Linux's SOCK_MAX */
#define SOCK_TYPE_MASK  0xf
#define SOMAXCONN_MAX   4096
#define WMEM_DEFAULT    212992    /* net.core.wmem_default / rmem_default */
#define WMEM_MAX        212992    /* net.core.wmem_max / rmem_max */
#define SOCK_MIN_SNDBUF 4608
#define SOCK_MIN_RCVBUF 2304
#define SOCKOPT_MAX     256       /* the largest option value we look at */

/* ---- socket files ---------------------------------------------------------------- */

static ssize_t sock_read(struct file *f, char *buf, size_t len, off_t *pos);
static ssize_t sock_write(struct file *f, const char *buf, size_t len, off_t *pos);

static unsigned sock_poll(struct file *f, struct task *t)
{
	struct sock *s = f->priv;
	return s->ops->poll(s, t);
}

static long sock_ioctl(struct file *f, struct task *t, unsigned long cmd, unsigned long arg)
{
	struct sock *s = f->priv;
	return s->ops->ioctl ? s->ops->ioctl(s, t, cmd, arg) : -ENOTTY;
}

static void sock_release(struct file *f)
{
	struct sock *s = f->priv;
	s->file = NULL;
	s->ops->release(s);   /* the family frees s when nothing else holds it */
}

const struct file_ops socket_fops = {
	.read = sock_read, .write = sock_write, .poll = sock_poll, .ioctl = sock_ioctl,
	.release = sock_release, .rwf = FOP_RWF_NOWAIT_READ | FOP_RWF_NOWAIT_WRITE,
};

static const struct inode_ops sock_iops = { 0 };
static uint64_t next_sock_ino = 20000;   /* socket:[N], from Linux's sockfs counter */

struct sock *sock_alloc(const struct proto_ops *ops, int type, int protocol)
{
	struct sock *s = xcalloc(1, sizeof(*s));
	s->ops = ops;
	s->type = type;
	s->protocol = protocol;
	s->sndbuf = s->rcvbuf = WMEM_DEFAULT;
	return s;
}

static struct file *sock_file_new(struct task *t, struct sock *s, int flags)
{
	struct inode *inode = inode_new(NULL, next_sock_ino++, S_IFSOCK | 0777, &sock_iops, NULL);
	inode->uid = t->cred.fsuid;
	inode->gid = t->cred.fsgid;
	struct file *f = file_new(NULL, O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0));
	f->inode = inode;
	f->fops = &socket_fops;
	f->priv = s;
	s->file = f;
	return f;
}

long sock_install(struct task *t, struct sock *s, int flags)
{
	return fd_install(t, sock_file_new(t, s, flags), flags & SOCK_CLOEXEC, 0);
}

struct sock *sock_from_fd(struct task *t, int fd, long *err)
{
	struct file *f = fd_get(t, fd);
	if (!f || (f->flags & O_PATH)) {
		*err = -EBADF;
		return NULL;
	}
	if (f->fops != &socket_fops) {
		*err = -ENOTSOCK;
		return NULL;
	}
	return f->priv;
}

long sock_wait(struct sock *s, struct waitq *q, bool send)
{
	struct task *t = current;
	uint64_t timeout = send ? s->sndtimeo_ns : s->rcvtimeo_ns;
	if (timeout) {
		if (t->timed_out)
			return -EAGAIN;   /* SO_RCVTIMEO/SO_SNDTIMEO passed */
		if (!t->retrying)
			t->scratch[3] = (long)(now_ns() + timeout);   /* fixed at the first wait */
		task_set_deadline(t, (uint64_t)t->scratch[3]);
	}
	task_wait_on(t, q);
	return SYSRET_BLOCK;
}

/* ---- one message through read/write and readv/writev --------------------------------- */

static long sock_xfer(struct sock *s, struct kmsg *m, bool wr)
{
	long r = wr ? s->ops->sendmsg(s, m) : s->ops->recvmsg(s, m);
	msg_free(m);
	return r;
}

long sock_rw(struct task *t, struct file *f, unsigned long addr, size_t count, bool vec, bool wr)
{
	struct sock *s = f->priv;
	struct kmsg m = { .t = t };
	if (vec) {
		int err = msg_set_iov(&m, addr, count);
		if (err) {
			msg_free(&m);
			return err == -EMSGSIZE ? -EINVAL : err;
		}
	} else {
		msg_set_buf(&m, addr, count);
	}
	if (!wr && m.len == 0) {
		msg_free(&m);
		return 0;   /* Linux's sock_read_iter */
	}
	return sock_xfer(s, &m, wr);
}

/* fops->read/write for kernel callers (sendfile, splice): one message from a kernel
 * buffer is not supported; the system calls go through sock_rw. */
static ssize_t sock_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)f; (void)buf; (void)len; (void)pos;
	return -EINVAL;
}

static ssize_t sock_write(struct file *f, const char *buf, size_t len, off_t *pos)
{
	(void)f; (void)buf; (void)len; (void)pos;
	return -EINVAL;
}

/* ---- creating ----------------------------------------------------------------------- */

/* socket(2)'s and socketpair(2)'s checks, in Linux's order; the type without flags. */
static long check_socket_args(int family, int type_flags, int *type)
{
	if ((type_flags & ~SOCK_TYPE_MASK) & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	*type = type_flags & SOCK_TYPE_MASK;
	if (family < 0 || family >= AF_MAX)
		return -EAFNOSUPPORT;
	if (*type < 0 || *type >= SOCK_MAX_TYPE)
		return -EINVAL;
	if (family != AF_UNIX)
		return -EAFNOSUPPORT;
	return 0;
}

static long sock_create(int family, int type_flags, int protocol, struct sock **out)
{
	int type;
	long err = check_socket_args(family, type_flags, &type);
	if (err)
		return err;
	struct sock *s = sock_alloc(NULL, type, protocol);
	err = unix_create(s, type, protocol);
	if (err) {
		free(s);
		return err;
	}
	*out = s;
	return 0;
}

SYSCALL(socket)
{
	struct sock *s;
	int flags = (int)a->a[1] & (SOCK_CLOEXEC | SOCK_NONBLOCK);
	long err = sock_create((int)a->a[0], (int)a->a[1], (int)a->a[2], &s);
	return err ? err : sock_install(t, s, flags);
}

SYSCALL(socketpair)
{
	struct sock *x, *y;
	int flags = (int)a->a[1] & (SOCK_CLOEXEC | SOCK_NONBLOCK);
	long err = sock_create((int)a->a[0], (int)a->a[1], (int)a->a[2], &x);
	if (err)
		return err;
	sock_create((int)a->a[0], (int)a->a[1], (int)a->a[2], &y);
	unix_socketpair(x, y);
	struct file *fx = sock_file_new(t, x, flags), *fy = sock_file_new(t, y, flags);
	int fds[2];
	fds[0] = fd_install(t, fx, flags & SOCK_CLOEXEC, 0);
	if (fds[0] < 0) {
		file_put(fy);
		return fds[0];
	}
	fds[1] = fd_install(t, fy, flags & SOCK_CLOEXEC, 0);
	if (fds[1] < 0) {
		fd_close(t, fds[0]);
		return fds[1];
	}
	if (guest_write(t, a->a[3], fds, sizeof(fds)) < 0) {
		fd_close(t, fds[0]);
		fd_close(t, fds[1]);
		return -EFAULT;
	}
	return 0;
}

/* ---- addresses and connections ---------------------------------------------------- */

static long addr_in(struct task *t, unsigned long uaddr, long len, struct sockaddr_storage *out)
{
	if (len < 0 || (unsigned long)len > sizeof(*out))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (len && guest_read(t, out, uaddr, (size_t)len) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL(bind)
{
	long err = 0;
	struct sock *s = sock_from_fd(t, (int)a->a[0], &err);
	if (!s)
		return err;
	struct sockaddr_storage addr;
	err = addr_in(t, a->a[1], (int)a->a[2], &addr);
	return err ? err : s->ops->bind(s, (struct sockaddr *)&addr, (socklen_t)a->a[2]);
}

SYSCALL(connect)
{
	long err = 0;
	struct sock *s = sock_from_fd(t, (int)a->a[0], &err);
	if (!s)
		return err;
	struct sockaddr_storage addr;
	err = addr_in(t, a->a[1], (int)a->a[2], &addr);
	return err ? err : s->ops->connect(s, (struct sockaddr *)&addr, (socklen_t)a->a[2],
					   (int)s->file->flags);
}

SYSCALL(listen)
{
	long err = 0;
	struct sock *s = sock_from_fd(t, (int)a->a[0], &err);
	if (!s)
		return err;
	int backlog = (int)a->a[1];
	if ((unsigned)backlog > SOMAXCONN_MAX)
		backlog = SOMAXCONN_MAX;
	return s->ops->listen(s, backlog);
}

static long do_accept(struct task *t, struct syscall_args *a, int flags)
{
	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;   /* checked before the descriptor, as Linux does */
	long err = 0;
	struct sock *s = sock_from_fd(t, (int)a->a[0], &err);
	if (!s)
		return err;
	struct sock *ns;
	err = s->ops->accept(s, (int)s->file->flags, &ns);
	if (err)
		return err;
	struct file *f = sock_file_new(t, ns, flags);
	if (a->a[1]) {
		struct sockaddr_storage addr;
		socklen_t len;
		err = ns->ops->getname(ns, &addr, &len, true);
		if (!err)
			err = msg_put_addr(t, &addr, len, a->a[1], a->a[2]);
		if (err) {
			file_put(f);
			return err;
		}
	}
	return fd_install(t, f, flags & SOCK_CLOEXEC, 0);
}

SYSCALL(accept) { return do_accept(t, a, 0); }
SYSCALL(accept4) { return do_accept(t, a, (int)a->a[3]); }

static long do_getname(struct task *t, struct syscall_args *a, bool peer)
{
	long err = 0;
	struct sock *s = sock_from_fd(t, (int)a->a[0], &err);
	if (!s)
		return err;
	struct sockaddr_storage addr;
	socklen_t len;
	err = s->ops->getname(s, &addr, &len, peer);
	return err ? err : msg_put_addr(t, &addr, len, a->a[1], a->a[2]);
}

SYSCALL(getsockname) { return do_getname(t, a, false); }
SYSCALL(getpeername) { return do_getname(t, a, true); }

SYSCALL(shutdown)
{
	long err = 0;
	struct sock *s = sock_from_fd(t, (int)a->a[0], &err);
	if (!s)
		return err;
	int how = (int)a->a[1];
	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	return s->ops->shutdown(s, how);
}

/* ---- messages --------------------------------------------------------------------- */

static int msg_flags_in(struct sock *s, int flags)
{
	if (s->file && (s->file->flags & O_NONBLOCK))
		flags |= MSG_DONTWAIT;
	return flags;
}

SYSCALL(sendto)
{
	long err = 0;
	struct sock *s = sock_from_fd(t, (int)a->a[0], &err);
	if (!s)
		return err;
	struct kmsg m = { .t = t, .flags = msg_flags_in(s, (int)a->a[3]) };
	msg_set_buf(&m, a->a[1], a->a[2]);
	err = msg_set_name(&m, a->a[4], (socklen_t)a->a[5]);
	if (err) {
		msg_free(&m);
		return err;
	}
	return sock_xfer(s, &m, true);
}

SYSCALL(recvfrom)
{
	long err = 0;
	struct sock *s = sock_from_fd(t, (int)a->a[0], &err);
	if (!s)
		return err;
	struct kmsg m = { .t = t, .flags = msg_flags_in(s, (int)a->a[3]) };
	msg_set_buf(&m, a->a[1], a->a[2]);
	long r = s->ops->recvmsg(s, &m);
	if (r >= 0 && a->a[4]) {
		err = msg_put_addr(t, &m.name, m.namelen, a->a[4], a->a[5]);
		if (err)
			r = err;
	}
	msg_free(&m);
	return r;
}

static long sendmsg_one(struct task *t, struct sock *s, unsigned long umsg, int flags)
{
	struct kmsg m = { .t = t, .flags = msg_flags_in(s, flags) };
	long err = msg_import(&m, umsg, true);
	if (err) {
		msg_free(&m);
		return err;
	}
	return sock_xfer(s, &m, true);
}

static long recvmsg_one(struct task *t, struct sock *s, unsigned long umsg, int flags)
{
	struct kmsg m = { .t = t, .flags = msg_flags_in(s, flags) };
	long r = msg_import(&m, umsg, false);
	if (!r)
		r = s->ops->recvmsg(s, &m);
	if (r >= 0) {
		long err = msg_export(&m, umsg);
		if (err)
			r = err;
	}
	msg_free(&m);
	return r;
}

SYSCALL(sendmsg)
{
	long err = 0;
	struct sock *s = sock_from_fd(t, (int)a->a[0], &err);
	return s ? sendmsg_one(t, s, a->a[1], (int)a->a[2]) : err;
}

SYSCALL(recvmsg)
{
	long err = 0;
	struct sock *s = sock_from_fd(t, (int)a->a[0], &err);
	return s ? recvmsg_one(t, s, a->a[1], (int)a->a[2]) : err;
}

/*
 * sendmmsg/recvmmsg: the first message may wait; the others go only if they can without
 * waiting (a retried handler must not send again what it sent). Each one's length goes
 * into its msg_len; the count of messages is the result, or the first one's error.
 */
static long mmsg(struct task *t, struct syscall_args *a, bool send)
{
	long err = 0;
	struct sock *s = sock_from_fd(t, (int)a->a[0], &err);
	if (!s)
		return err;
	unsigned vlen = (unsigned)a->a[2] > 1024 ? 1024 : (unsigned)a->a[2];
	int flags = (int)a->a[3];
	unsigned done = 0;
	while (done < vlen) {
		unsigned long um = a->a[1] + done * sizeof(struct mmsghdr);
		int f = done ? flags | MSG_DONTWAIT : flags;
		long r = send ? sendmsg_one(t, s, um, f) : recvmsg_one(t, s, um, f & ~MSG_WAITFORONE);
		if (r < 0 || r == SYSRET_BLOCK)
			return done ? (long)done : r;
		unsigned len = (unsigned)r;
		if (guest_write(t, um + offsetof(struct mmsghdr, msg_len), &len, sizeof(len)) < 0)
			return done ? (long)done : -EFAULT;
		done++;
	}
	return (long)done;
}

SYSCALL(sendmmsg) { return mmsg(t, a, true); }
SYSCALL(recvmmsg) { return mmsg(t, a, false); }

/* ---- options ---------------------------------------------------------------------- */

static int getsockopt_generic(struct sock *s, int name, void *val, socklen_t *len)
{
	int v;
	switch (name) {
	case SO_TYPE: v = s->type; break;
	case SO_PROTOCOL: v = s->protocol; break;
	case SO_DOMAIN: v = s->ops->family; break;
	case SO_SNDBUF: v = s->sndbuf; break;
	case SO_RCVBUF: v = s->rcvbuf; break;
	case SO_PASSCRED: v = s->passcred; break;
	case SO_REUSEADDR: v = s->reuseaddr; break;
	case SO_KEEPALIVE: v = s->keepalive; break;
	case SO_BROADCAST: v = s->broadcast; break;
	case SO_LINGER:
		memcpy(val, &s->linger, sizeof(s->linger));
		*len = sizeof(s->linger);
		return 0;
	case SO_RCVTIMEO:
	case SO_SNDTIMEO: {
		uint64_t ns = name == SO_RCVTIMEO ? s->rcvtimeo_ns : s->sndtimeo_ns;
		struct timeval tv = { (time_t)(ns / 1000000000), (suseconds_t)(ns % 1000000000 / 1000) };
		memcpy(val, &tv, sizeof(tv));
		*len = sizeof(tv);
		return 0;
	}
	case SO_PEERCRED: {
		struct ucred c;
		int err = s->ops->peercred ? s->ops->peercred(s, &c) : -ENOPROTOOPT;
		if (err)
			return err;
		memcpy(val, &c, sizeof(c));
		*len = sizeof(c);
		return 0;
	}
	default:
		return -ENOPROTOOPT;
	}
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

SYSCALL(getsockopt)
{
	long err = 0;
	struct sock *s = sock_from_fd(t, (int)a->a[0], &err);
	if (!s)
		return err;
	int level = (int)a->a[1], name = (int)a->a[2], have;
	if (guest_read(t, &have, a->a[4], sizeof(have)) < 0)
		return -EFAULT;
	if (have < 0)
		return -EINVAL;
	char val[SOCKOPT_MAX];
	socklen_t len = 0;
	err = s->ops->getsockopt(s, level, name, val, &len);
	if (err == -ENOPROTOOPT && level == SOL_SOCKET)
		err = getsockopt_generic(s, name, val, &len);
	if (err)
		return err;
	if ((socklen_t)have < len)
		len = (socklen_t)have;   /* cut short, as Linux does */
	if (guest_write(t, a->a[3], val, len) < 0 || guest_write(t, a->a[4], &len, sizeof(len)) < 0)
		return -EFAULT;
	return 0;
}

static int buffer_size(int v, int min)
{
	if (v < 0 || v > WMEM_MAX)
		v = v < 0 ? 0 : WMEM_MAX;
	return v * 2 > min ? v * 2 : min;   /* Linux doubles it for its bookkeeping */
}

static int set_timeout(uint64_t *out, const void *val, socklen_t len)
{
	struct timeval tv;
	if (len < sizeof(tv))
		return -EINVAL;
	memcpy(&tv, val, sizeof(tv));
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EDOM;
	if (tv.tv_sec < 0)
		*out = 0;
	else
		*out = (uint64_t)tv.tv_sec * 1000000000ULL + (uint64_t)tv.tv_usec * 1000;
	return 0;
}

static int setsockopt_generic(struct sock *s, int name, const void *val, socklen_t len)
{
	if (name == SO_RCVTIMEO || name == SO_SNDTIMEO)
		return set_timeout(name == SO_RCVTIMEO ? &s->rcvtimeo_ns : &s->sndtimeo_ns, val, len);
	if (name == SO_LINGER) {
		if (len < sizeof(s->linger))
			return -EINVAL;
		memcpy(&s->linger, val, sizeof(s->linger));
		return 0;
	}
	if (len < sizeof(int))
		return -EINVAL;
	int v;
	memcpy(&v, val, sizeof(v));
	switch (name) {
	case SO_SNDBUF: case SO_SNDBUFFORCE: s->sndbuf = buffer_size(v, SOCK_MIN_SNDBUF); break;
	case SO_RCVBUF: case SO_RCVBUFFORCE: s->rcvbuf = buffer_size(v, SOCK_MIN_RCVBUF); break;
	case SO_PASSCRED: s->passcred = v != 0; break;
	case SO_REUSEADDR: s->reuseaddr = v != 0; break;
	case SO_REUSEPORT: case SO_PRIORITY: case SO_RCVLOWAT: case SO_PASSSEC: break;
	case SO_KEEPALIVE: s->keepalive = v != 0; break;
	case SO_BROADCAST: s->broadcast = v != 0; break;
	default: return -ENOPROTOOPT;
	}
	return 0;
}

SYSCALL(setsockopt)
{
	long err = 0;
	struct sock *s = sock_from_fd(t, (int)a->a[0], &err);
	if (!s)
		return err;
	int level = (int)a->a[1], name = (int)a->a[2];
	int len = (int)a->a[4];
	if (len < 0)
		return -EINVAL;
	char val[SOCKOPT_MAX] = { 0 };
	size_t n = (size_t)len < sizeof(val) ? (size_t)len : sizeof(val);
	if (n && guest_read(t, val, a->a[3], n) < 0)
		return -EFAULT;
	err = s->ops->setsockopt(s, level, name, val, (socklen_t)n);
	if (err == -ENOPROTOOPT && level == SOL_SOCKET)
		err = setsockopt_generic(s, name, val, (socklen_t)n);
	return err;
}
