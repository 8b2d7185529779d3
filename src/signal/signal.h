/*
 * Guest signals. A guest signal is a host signal our kernel sends to the task host; the
 * host builds the frame (so FP/AVX-512 state is right), but every signal passes through
 * the kernel at its delivery stop, where its guest siginfo is put in and job-control
 * stops are done in guest terms. See docs/architecture.md, "Signals".
 */
#ifndef UMLINUX_SIGNAL_H
#define UMLINUX_SIGNAL_H
#include <signal.h>
#include "kernel/kernel.h"

/* Sends sig to one thread / to a thread group (info may be NULL: SI_KERNEL from the kernel). */
int signal_send_task(struct task *t, int sig, const siginfo_t *info);
int signal_send_tg(struct thread_group *tg, int sig, const siginfo_t *info);
/* kill(2)'s permission rule */
bool signal_may_send(struct task *sender, struct thread_group *target, int sig);
/* Builds SI_USER info from a sender. */
void signal_user_info(siginfo_t *info, int sig, struct task *sender);
/* The delivery stop of a host signal (called by the main loop). */
void signal_on_delivery_stop(struct task *t, int sig);
/* Linux's restore_sigmask (restore_mask.c): after a call with a temporary mask ends
 * with EINTR, old is the mask the next delivered signal's frame restores. */
void signal_restore_mask_later(struct task *t, uint64_t old);
/* At a delivery stop: applies a pending restore; true if it resumed the task itself. */
bool signal_restore_mask_deliver(struct task *t, int sig, bool handler);
/* The stop once a handler's frame is built: true if it was that stop (and handled). */
bool signal_restore_mask_frame(struct task *t, int sig);
/* Logs a fatal processor fault ("bash[1]: segfault at ...") as Linux does (fault_report.c). */
void signal_report_fault(struct task *t, int sig, const siginfo_t *info);
/* A parked task and a new signal: interrupt its syscall if the signal is deliverable. */
void signal_interrupt_parked(struct task *t, int sig);
/* A signal queued for t before it parked that it could take now, or 0. */
int signal_queued_deliverable(struct task *t);
/* Resolves an interrupted syscall's -ERESTARTSYS per the signal's SA_RESTART. */
bool signal_pending_for(struct task *t);
bool signal_is_ignored(struct thread_group *tg, int sig);
bool signal_is_blocked(struct task *t, int sig);   /* in the thread's mask */
void signal_exec_reset(struct thread_group *tg);  /* handlers back to SIG_DFL at exec */
struct sighand *sighand_copy(struct sighand *old);
void sighand_put(struct sighand *sh);
void itimer_fire_expired(void);          /* from the main loop */
uint64_t itimer_next_deadline(void);
/* Takes the guest siginfo recorded for a kernel-sent host signal being delivered or
 * dequeued (host_code: the host's si_code, SI_TKILL or SI_USER); false if none. */
bool signal_take_info(struct task *t, int sig, int host_code, siginfo_t *out);
/* A timer signal leaving the queue: fills in its overrun and re-arms its timer; false
 * when it must be dropped (the timer was deleted or re-armed since it was queued). */
bool posix_timer_deliver(struct thread_group *tg, siginfo_t *info);
/* For a thread the host runs rt_sigtimedwait for: the mask it had before (true), which
 * is what counts as blocked while it waits. */
bool sigwait_real_blocked(struct task *t, uint64_t *mask);
/* A signal the host dequeued for t outside a delivery (rt_sigtimedwait, signalfd), with
 * the host's siginfo: 1 with the guest siginfo recorded at sending in *out, 0 with the
 * host's (a signal the host raised), -1 for a stale timer signal, which is dropped. */
int signal_dequeued_info(struct task *t, int sig, const siginfo_t *host, siginfo_t *out);
#endif
