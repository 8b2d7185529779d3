/*
 * signalfd: not yet. Reading one means taking signals out of the task host's pending
 * set in the host kernel (and polling one means noticing when they arrive), which needs
 * support from the signal code. Until then libc and programs see ENOSYS and most fall
 * back to a handler.
 */
#include "sys/syscalls.h"

long sys_signalfd(struct task *t, struct syscall_args *a)
{
	(void)t; (void)a;
	return -ENOSYS;
}

long sys_signalfd4(struct task *t, struct syscall_args *a)
{
	(void)t; (void)a;
	return -ENOSYS;
}
