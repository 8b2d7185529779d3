/* Internals shared by the ptrace platform's files. */
#ifndef UMLINUX_PTRACE_INT_H
#define UMLINUX_PTRACE_INT_H
#include "kernel/kernel.h"

/* Host descriptors every task host holds (the guest cannot name them: every fd-taking
 * call stops for the kernel). */
#define TASK_CTL_FD  3   /* receives descriptors (SCM_RIGHTS) for file mappings */
#define TASK_STUB_FD 4   /* the stub, for re-exec at execve */
#define TASK_SYNC_FD 5   /* start-up handshake only */

int platform_wait(struct task *t, int *status);
/* MConsole stop (freeze.c): while set, resuming a task only records the resume. */
extern bool guest_frozen;
void task_resume_frozen(struct task *t);   /* performs the recorded resume */
/* len bytes of the stopped task's stack below its red zone, for injected calls' arguments. */
unsigned long platform_scratch_addr(struct task *t, size_t len);
int platform_selftest(bool quiet);
void task_host_died(struct task *t, int status);   /* task/exit.c */
#endif
