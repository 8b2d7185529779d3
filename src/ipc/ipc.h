/*
 * System V IPC: shared memory segments (each a host memfd, mapped into tasks as any
 * file is), semaphore sets with SEM_UNDO, and message queues. One namespace for the
 * whole kernel, with Linux's ids (sequence * 32768 + index), keys, permissions and
 * limits (the defaults of /proc/sys/kernel/{shm*,sem,msg*}).
 */
#ifndef UMLINUX_IPC_H
#define UMLINUX_IPC_H
#include "kernel/kernel.h"

/* Process hooks: a child's attachments (unless it shares the parent's memory) and
 * undo list (CLONE_SYSVSEM shares it); exec drops attachments; exit drops them and
 * applies the process's semaphore adjustments. */
void ipc_fork(struct thread_group *parent, struct thread_group *child, unsigned long flags);
void ipc_exec(struct thread_group *tg);
void ipc_exit(struct thread_group *tg);
#endif
