/*
 * The platform: how guest threads run and how the kernel gets at them. Everything above
 * this interface is written in terms of tasks and registers; only src/platform/ knows
 * that a task is a ptraced host thread confined by seccomp.
 */
#ifndef UMLINUX_PLATFORM_H
#define UMLINUX_PLATFORM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

struct task;

/* Where the stub lives in every task host; guest mappings may not touch this window. */
#define STUB_WINDOW_START 0x600000000000UL
#define STUB_WINDOW_END   0x600200000000UL

/* Boot-time checks and set-up (prints the "Checking ..." lines unless quiet). */
int platform_init(bool quiet);

/* Starts the first task host (for init); it stops in the stub, ready for exec. */
int platform_spawn_first(pid_t *host_tid);

/* Registers of a stopped task. */
int platform_get_regs(struct task *t);          /* fills t->regs */
int platform_set_regs(struct task *t);          /* writes t->regs back */

/* Runs one host system call inside the stopped task and returns its result (or -errno
 * when the injection itself failed). The task's guest registers are preserved in t->regs
 * and must be restored by the caller with platform_set_regs before resuming. */
long platform_inject(struct task *t, long nr, long a0, long a1, long a2, long a3, long a4, long a5);

/* Maps host_fd into the task (mmap with a descriptor the task does not have). */
long platform_map_fd(struct task *t, unsigned long addr, size_t len, int prot, int flags,
		     int host_fd, off_t offset);

/* Replaces the task host's image with a fresh stub (for execve). On success the task sits
 * at its exec stop with t->regs holding the stub's entry registers. */
int platform_reexec_stub(struct task *t);

/* Guest memory access: 0 or -EFAULT. */
int guest_read(struct task *t, void *dst, unsigned long src, size_t len);
int guest_write(struct task *t, unsigned long dst, const void *src, size_t len);
/* Copies a NUL-terminated string of at most max-1 chars; -EFAULT, or -ENAMETOOLONG. */
long guest_read_str(struct task *t, char *dst, unsigned long src, size_t max);
/* An extensible struct (openat2's open_how): usize guest bytes into ksize bytes at dst,
 * zero-filled when shorter; when longer, the bytes beyond ksize must be zero (-E2BIG), as
 * Linux's copy_struct_from_user. 0, -EFAULT or -E2BIG. */
int guest_read_struct(struct task *t, void *dst, size_t ksize, unsigned long src, size_t usize);

/* The host's pending signals of a stopped task: its thread's and its process's, as a
 * mask (bit sig-1). */
uint64_t platform_pending_signals(struct task *t);
/* Takes one pending signal in mask out of the stopped task's host queues (its thread's
 * first, as the host dequeues): the signal number with the host's siginfo, 0 when none
 * is pending, or -errno. */
int platform_dequeue_signal(struct task *t, uint64_t mask, siginfo_t *info);

/* The stub's syscall instruction (its entry point) and the vDSO of the host. */
extern unsigned long stub_entry;

/* MConsole stop and go. Freezing interrupts every guest thread that is running and
 * returns once they are all stopped; until thaw, resuming a task only records the
 * resume. Thaw performs the recorded resumes. */
void platform_freeze_guest(void);
void platform_thaw_guest(void);
bool platform_guest_frozen(void);

/* Host details the boot log and /proc show. */
extern size_t platform_xstate_size;

#endif
