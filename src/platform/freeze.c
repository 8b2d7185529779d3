/*
 * Freezing the guest for MConsole's stop: no guest thread may run until go. A task host
 * is either stopped in the host already (at a stop we are serving, parked, or with a
 * stop we have not reaped yet) or running guest code; the running ones are interrupted
 * with PTRACE_INTERRUPT, and every resume asked for while frozen is only recorded
 * (resume_with in ptrace.c) and performed at thaw.
 */
#include <errno.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include "kernel/kernel.h"
#include "platform/platform.h"
#include "platform/ptrace_int.h"

bool guest_frozen;

/* How long stop waits for interrupted task hosts to come to a halt. They stop within
 * microseconds; the bound only keeps a host that misbehaves from stalling the kernel. */
#define FREEZE_WAIT_NS 2000000000ULL

/* True once the task host has a stop (or its death) waiting for us; WNOWAIT leaves it
 * for the event loop to take after thaw. */
static bool host_has_stopped(pid_t host_tid)
{
	siginfo_t si = { 0 };
	if (waitid(P_PID, (id_t)host_tid, &si, WSTOPPED | WEXITED | WNOHANG | WNOWAIT | __WALL) < 0)
		return errno != EINTR;   /* gone (ECHILD): not running either */
	return si.si_pid != 0;
}

static bool may_be_running(const struct task *t)
{
	return t->state == TASK_RUNNING && t->stop == STOP_NONE;
}

void platform_freeze_guest(void)
{
	struct list_head *p;
	guest_frozen = true;
	list_for_each(p, &all_tasks) {
		struct task *t = list_entry(p, struct task, all_link);
		if (may_be_running(t) && !t->interrupt_sent) {
			t->interrupt_sent = true;   /* its event stop resumes it after thaw */
			ptrace(PTRACE_INTERRUPT, t->host_tid, 0, 0);
		}
	}
	uint64_t deadline = now_ns() + FREEZE_WAIT_NS;
	list_for_each(p, &all_tasks) {
		struct task *t = list_entry(p, struct task, all_link);
		while (may_be_running(t) && !host_has_stopped(t->host_tid) && now_ns() < deadline) {
			struct timespec ts = { 0, 100000 };
			nanosleep(&ts, NULL);
		}
	}
}

void platform_thaw_guest(void)
{
	struct list_head *p;
	guest_frozen = false;
	list_for_each(p, &all_tasks) {
		struct task *t = list_entry(p, struct task, all_link);
		if (t->frozen)
			task_resume_frozen(t);
	}
}

bool platform_guest_frozen(void) { return guest_frozen; }
