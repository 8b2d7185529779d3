/* uname(2). The strings live in kernel/utsname.c when present (settable hostname). */
#include <string.h>
#include <sys/utsname.h>
#include "kernel/kernel.h"
#include "kernel/version.h"
#include "platform/platform.h"
#include "sys/syscalls.h"

__attribute__((weak)) void utsname_fill(struct utsname *u);

long sys_uname(struct task *t, struct syscall_args *a)
{
	struct utsname u;
	memset(&u, 0, sizeof(u));
	if (utsname_fill) {
		utsname_fill(&u);
	} else {
		strcpy(u.sysname, "Linux");
		strcpy(u.nodename, "(none)");
		strcpy(u.release, UMLINUX_VERSION);
		strcpy(u.version, "#1 " __DATE__);
		strcpy(u.machine, "x86_64");
		strcpy(u.domainname, "(none)");
	}
	return guest_write(t, a->a[0], &u, sizeof(u));
}
