/*
 * The socket calls, before any address family exists: the kernel answers as a Linux
 * built with the socket layer but without a protocol family, so that programs take
 * their "no networking" paths instead of failing on ENOSYS. glibc's nscd client falls
 * back to the files, libaudit (su, login, useradd) carries on without auditing and
 * syslog(3) drops its messages, exactly as on such a kernel.
 *
 *   socket, socketpair     EAFNOSUPPORT (EINVAL for a bad type, as Linux checks first)
 *   calls on a descriptor  EBADF for a closed one, ENOTSOCK for anything else: no open
 *                          file can be a socket yet
 */
#include <errno.h>
#include <sys/socket.h>
#include "fs/vfs.h"
#include "sys/syscalls.h"

/* socket(2)'s type argument: a type and SOCK_NONBLOCK/SOCK_CLOEXEC, nothing else. */
static long check_type(long type)
{
	long base = type & ~(long)(SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (base < SOCK_STREAM || base > SOCK_PACKET)
		return -EINVAL;
	return 0;
}

static long no_family(struct syscall_args *a)
{
	int family = (int)a->a[0];
	if (family < 0 || family >= AF_MAX)
		return -EAFNOSUPPORT;
	long err = check_type((long)(int)a->a[1]);
	return err < 0 ? err : -EAFNOSUPPORT;
}

SYSCALL(socket) { (void)t; return no_family(a); }

SYSCALL(socketpair) { (void)t; return no_family(a); }

/* Every call whose first argument is a socket descriptor. */
static long not_a_socket(struct task *t, struct syscall_args *a)
{
	return fd_get(t, (int)a->a[0]) ? -ENOTSOCK : -EBADF;
}

SYSCALL(connect) { return not_a_socket(t, a); }
SYSCALL(bind) { return not_a_socket(t, a); }
SYSCALL(listen) { return not_a_socket(t, a); }
SYSCALL(accept) { return not_a_socket(t, a); }
SYSCALL(accept4)
{
	if ((int)a->a[3] & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;   /* checked before the descriptor, as Linux does */
	return not_a_socket(t, a);
}
SYSCALL(getsockname) { return not_a_socket(t, a); }
SYSCALL(getpeername) { return not_a_socket(t, a); }
SYSCALL(sendto) { return not_a_socket(t, a); }
SYSCALL(recvfrom) { return not_a_socket(t, a); }
SYSCALL(sendmsg) { return not_a_socket(t, a); }
SYSCALL(recvmsg) { return not_a_socket(t, a); }
SYSCALL(sendmmsg) { return not_a_socket(t, a); }
SYSCALL(recvmmsg) { return not_a_socket(t, a); }
SYSCALL(shutdown) { return not_a_socket(t, a); }
SYSCALL(setsockopt) { return not_a_socket(t, a); }
SYSCALL(getsockopt) { return not_a_socket(t, a); }
