/* Per-process switches (prctl, personality, scheduling) that fork passes on. */
#ifndef UMLINUX_TASK_PRCTL_H
#define UMLINUX_TASK_PRCTL_H
#include "kernel/kernel.h"

void tg_fork_inherit(struct thread_group *child, const struct thread_group *parent);
void tg_inherit_sched(struct thread_group *child, const struct thread_group *parent);

#endif
