#ifndef UMLINUX_TASK_H
#define UMLINUX_TASK_H
#include "kernel/kernel.h"
struct task *task_alloc(pid_t tid, pid_t host_tid);
struct thread_group *tg_alloc(pid_t tgid, struct thread_group *parent);
void tg_add_thread(struct thread_group *tg, struct task *t);
void task_unregister(struct task *t);
void tg_unregister(struct thread_group *tg);
struct task *tg_leader(struct thread_group *tg);
bool pid_in_use_as_group(pid_t pid);
bool pgrp_is_orphaned(pid_t pgid);

/* fork.c */
long sys_clone(struct task *t, struct syscall_args *a);
long sys_fork(struct task *t, struct syscall_args *a);
long sys_vfork(struct task *t, struct syscall_args *a);
long sys_clone3(struct task *t, struct syscall_args *a);
void task_on_clone_event(struct task *parent, int event);
void task_on_new_host_stop(pid_t host_tid, int status);
void task_on_event_stop(struct task *t, int sig);

/* exec.c */
long sys_execve(struct task *t, struct syscall_args *a);
long sys_execveat(struct task *t, struct syscall_args *a);
int exec_init(struct task *t, const char *path, const char *const *argv, const char *const *envp);

/* exit.c */
long sys_wait4(struct task *t, struct syscall_args *a);
long sys_waitid(struct task *t, struct syscall_args *a);
void tg_notify_parent_stop(struct thread_group *tg, int why, int sig);
/* limits.c */
void rlimits_init(struct rlimit *r);
extern bool cad_enabled;
#endif
