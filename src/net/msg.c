/*
 * Messages between the guest and the socket layer: struct msghdr, its vectors, its
 * address and its control data (SCM_RIGHTS, SCM_CREDENTIALS), with Linux's checks in
 * Linux's order (____sys_sendmsg, __scm_send, scm_recv).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include "net/msg.h"
#include "platform/platform.h"
#include "task/cred.h"

#define SCM_MAX_FD   253      /* descriptors in one SCM_RIGHTS message */
#define OPTMEM_MAX   20480    /* net.core.optmem_max: the largest control buffer sent */

int msg_copy_from(struct kmsg *m, size_t off, void *dst, size_t len)
{
	char *d = dst;
	for (size_t i = 0; i < m->iovcnt && len; i++) {
		size_t l = m->iov[i].iov_len;
		if (off >= l) {
			off -= l;
			continue;
		}
		size_t n = l - off < len ? l - off : len;
		if (guest_read(m->t, d, (unsigned long)m->iov[i].iov_base + off, n) < 0)
			return -EFAULT;
		d += n;
		len -= n;
		off = 0;
	}
	return 0;
}

int msg_copy_to(struct kmsg *m, size_t off, const void *src, size_t len)
{
	const char *s = src;
	for (size_t i = 0; i < m->iovcnt && len; i++) {
		size_t l = m->iov[i].iov_len;
		if (off >= l) {
			off -= l;
			continue;
		}
		size_t n = l - off < len ? l - off : len;
		if (guest_write(m->t, (unsigned long)m->iov[i].iov_base + off, s, n) < 0)
			return -EFAULT;
		s += n;
		len -= n;
		off = 0;
	}
	return 0;
}

int msg_set_iov(struct kmsg *m, unsigned long uiov, size_t cnt)
{
	if (cnt > UIO_MAXIOV)
		return -EMSGSIZE;
	m->iov = xcalloc(cnt ? cnt : 1, sizeof(*m->iov));
	m->iovcnt = cnt;
	if (cnt && guest_read(m->t, m->iov, uiov, cnt * sizeof(*m->iov)) < 0)
		return -EFAULT;
	m->len = 0;
	for (size_t i = 0; i < cnt; i++) {
		if ((ssize_t)m->iov[i].iov_len < 0 || m->iov[i].iov_len > SSIZE_MAX - m->len)
			return -EINVAL;
		m->len += m->iov[i].iov_len;
	}
	return 0;
}

void msg_set_buf(struct kmsg *m, unsigned long buf, size_t len)
{
	m->iov = xcalloc(1, sizeof(*m->iov));
	m->iov[0].iov_base = (void *)buf;
	m->iov[0].iov_len = len > SSIZE_MAX ? SSIZE_MAX : len;
	m->iovcnt = 1;
	m->len = m->iov[0].iov_len;
}

int msg_set_name(struct kmsg *m, unsigned long uaddr, socklen_t len)
{
	if (!uaddr)
		return 0;
	if ((int)len < 0 || len > sizeof(m->name))
		return -EINVAL;
	if (len && guest_read(m->t, &m->name, uaddr, len) < 0)
		return -EFAULT;
	m->namelen = len;
	return 0;
}

/* SCM_CREDENTIALS a sender may claim: its own, unless privileged (Linux's scm_check_creds). */
static int check_creds(struct task *t, const struct ucred *c)
{
	const struct cred *k = &t->cred;
	bool own_pid = (pid_t)c->pid == t->tg->tgid;
	bool own_uid = c->uid == k->uid || c->uid == k->euid || c->uid == k->suid;
	bool own_gid = c->gid == k->gid || c->gid == k->egid || c->gid == k->sgid;
	if ((own_pid || cred_capable(k, CAP_SYS_ADMIN)) && (own_uid || cred_capable(k, CAP_SETUID)) &&
	    (own_gid || cred_capable(k, CAP_SETGID)))
		return 0;
	return -EPERM;
}

static int take_rights(struct kmsg *m, const struct cmsghdr *c)
{
	int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
	if (n <= 0 || m->nfds + n > SCM_MAX_FD)
		return -EINVAL;
	const int *fds = (const int *)CMSG_DATA(c);
	m->fds = realloc(m->fds, (size_t)(m->nfds + n) * sizeof(*m->fds));
	for (int i = 0; i < n; i++) {
		struct file *f = fd_get(m->t, fds[i]);
		if (!f)
			return -EBADF;
		m->fds[m->nfds++] = file_get(f);
	}
	return 0;
}

static int parse_control(struct kmsg *m, const char *buf, size_t len)
{
	size_t off = 0;
	while (off + sizeof(struct cmsghdr) <= len) {
		const struct cmsghdr *c = (const struct cmsghdr *)(buf + off);
		if (c->cmsg_len < sizeof(struct cmsghdr) || c->cmsg_len > len - off)
			return -EINVAL;
		if (c->cmsg_level == SOL_SOCKET) {
			int err;
			if (c->cmsg_type == SCM_RIGHTS) {
				err = take_rights(m, c);
			} else if (c->cmsg_type == SCM_CREDENTIALS) {
				if (c->cmsg_len != CMSG_LEN(sizeof(struct ucred)))
					return -EINVAL;
				memcpy(&m->creds, CMSG_DATA(c), sizeof(m->creds));
				m->has_creds = true;
				err = check_creds(m->t, &m->creds);
			} else {
				err = -EINVAL;
			}
			if (err)
				return err;
		}
		off += CMSG_ALIGN(c->cmsg_len);
	}
	return 0;
}

int msg_set_control(struct kmsg *m, unsigned long uctl, size_t len)
{
	if (!len)
		return 0;
	if (len > OPTMEM_MAX)
		return -ENOBUFS;
	if (len < sizeof(struct cmsghdr))
		return -EINVAL;
	char *buf = xcalloc(1, len);
	int err = guest_read(m->t, buf, uctl, len) < 0 ? -EFAULT : parse_control(m, buf, len);
	free(buf);
	return err;
}

int msg_import(struct kmsg *m, unsigned long umsg, bool send)
{
	struct msghdr h;
	if (guest_read(m->t, &h, umsg, sizeof(h)) < 0)
		return -EFAULT;
	int err = msg_set_iov(m, (unsigned long)h.msg_iov, h.msg_iovlen);
	if (err)
		return err;
	if (send) {
		err = msg_set_name(m, (unsigned long)h.msg_name, h.msg_namelen);
		if (!err)
			err = msg_set_control(m, (unsigned long)h.msg_control, h.msg_controllen);
		return err;
	}
	m->uname = (unsigned long)h.msg_name;
	m->unamelen = h.msg_name ? h.msg_namelen : 0;
	m->control = (unsigned long)h.msg_control;
	m->controllen = h.msg_controllen;
	return 0;
}

int msg_put_addr(struct task *t, const void *addr, socklen_t len, unsigned long uaddr,
		 unsigned long ulen)
{
	if (!uaddr || !ulen)
		return 0;
	int have;
	if (guest_read(t, &have, ulen, sizeof(have)) < 0)
		return -EFAULT;
	if (have < 0)
		return -EINVAL;
	size_t n = (size_t)have < len ? (size_t)have : len;
	if (n && guest_write(t, uaddr, addr, n) < 0)
		return -EFAULT;
	int full = (int)len;   /* the real length, even when cut short */
	return guest_write(t, ulen, &full, sizeof(full)) < 0 ? -EFAULT : 0;
}

int msg_export(struct kmsg *m, unsigned long umsg)
{
	struct msghdr h;
	if (guest_read(m->t, &h, umsg, sizeof(h)) < 0)
		return -EFAULT;
	socklen_t namelen = 0;
	if (m->uname) {
		namelen = m->namelen < m->unamelen ? m->namelen : m->unamelen;
		if (namelen && guest_write(m->t, m->uname, &m->name, namelen) < 0)
			return -EFAULT;
		namelen = m->namelen;
	}
	h.msg_namelen = namelen;
	h.msg_controllen = m->controllen;
	h.msg_flags = m->flags & (MSG_TRUNC | MSG_CTRUNC | MSG_EOR | MSG_OOB | MSG_ERRQUEUE);
	return guest_write(m->t, umsg, &h, sizeof(h)) < 0 ? -EFAULT : 0;
}

/* One control message into the guest's buffer at *used; false (MSG_CTRUNC) if it does
 * not fit whole. Descriptors are put as many as fit (put_cmsg/scm_detach_fds). */
static bool put_cmsg(struct kmsg *m, size_t *used, int type, const void *data, size_t len)
{
	size_t room = m->controllen - *used;
	if (room < CMSG_LEN(0) + len) {
		m->flags |= MSG_CTRUNC;
		return false;
	}
	struct cmsghdr c = { .cmsg_len = CMSG_LEN(len), .cmsg_level = SOL_SOCKET, .cmsg_type = type };
	if (guest_write(m->t, m->control + *used, &c, sizeof(c)) < 0 ||
	    guest_write(m->t, m->control + *used + CMSG_LEN(0), data, len) < 0)
		return false;
	*used += CMSG_SPACE(len) < room ? CMSG_SPACE(len) : room;
	return true;
}

void msg_put_control(struct kmsg *m, struct file *const *fds, int nfds, const struct ucred *creds)
{
	size_t used = 0;
	if (!m->control)
		m->controllen = 0;
	if (creds)
		put_cmsg(m, &used, SCM_CREDENTIALS, creds, sizeof(*creds));
	if (nfds) {
		size_t room = m->controllen > used + CMSG_LEN(0) ? m->controllen - used - CMSG_LEN(0) : 0;
		int fit = (int)(room / sizeof(int));
		if (fit > nfds)
			fit = nfds;
		int *nums = xcalloc((size_t)(fit ? fit : 1), sizeof(int));
		bool cloexec = m->flags & MSG_CMSG_CLOEXEC;
		int got = 0;
		while (got < fit) {
			int fd = fd_install(m->t, file_get(fds[got]), cloexec, 0);
			if (fd < 0)
				break;   /* EMFILE: the rest are dropped, as Linux's scm_detach_fds */
			nums[got++] = fd;
		}
		if (got < nfds)
			m->flags |= MSG_CTRUNC;
		if (got)
			put_cmsg(m, &used, SCM_RIGHTS, nums, (size_t)got * sizeof(int));
		free(nums);
	}
	m->controllen = used;
}

void msg_free(struct kmsg *m)
{
	for (int i = 0; i < m->nfds; i++)
		file_put(m->fds[i]);
	free(m->fds);
	free(m->iov);
	m->fds = NULL;
	m->iov = NULL;
	m->nfds = 0;
}
