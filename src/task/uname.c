/* uname(2), sethostname(2), setdomainname(2): the names live in kernel/utsname.c. */
#include "kernel/kernel.h"
#include "kernel/utsname.h"
#include "platform/platform.h"
#include "sys/syscalls.h"
#include "task/cred.h"

/* struct new_utsname is the layout the x86-64 uname call writes. */
long sys_uname(struct task *t, struct syscall_args *a)
{
	return guest_write(t, a->a[0], utsname_get(), sizeof(struct new_utsname));
}

/* Privilege is checked before the length, as Linux does; the name need not end in NUL. */
static long set_uts_name(struct task *t, unsigned long uname, int len,
			 int (*set)(const char *name, size_t len))
{
	char name[__NEW_UTS_LEN];
	if (!cred_capable(&t->cred, CAP_SYS_ADMIN))
		return -EPERM;
	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	if (guest_read(t, name, uname, (size_t)len) < 0)
		return -EFAULT;
	return set(name, (size_t)len);
}

long sys_sethostname(struct task *t, struct syscall_args *a)
{
	return set_uts_name(t, a->a[0], (int)a->a[1], utsname_set_hostname);
}

long sys_setdomainname(struct task *t, struct syscall_args *a)
{
	return set_uts_name(t, a->a[0], (int)a->a[1], utsname_set_domainname);
}
