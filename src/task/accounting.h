/* Process accounting shared by exit/wait, the itimers and the event loop. */
#ifndef UMLINUX_TASK_ACCOUNTING_H
#define UMLINUX_TASK_ACCOUNTING_H
#include <sys/resource.h>
#include "kernel/kernel.h"

/* The process's CPU time so far (its task host's, or what it left when it died). */
void tg_cputime(struct thread_group *tg, uint64_t *utime_ns, uint64_t *stime_ns);
/* A task host was reaped; ru is the host's wait4 report for it. */
void task_account_exit(struct task *t, const struct rusage *ru);
/* wait's rusage for child c, and the parent's bookkeeping when it reaps dead c. */
void tg_wait_rusage(struct thread_group *c, struct rusage *out);
void tg_reap_account(struct thread_group *parent, struct thread_group *c);

#endif
