/*
 * The event loop: task-host stops (SIGCHLD through a signalfd, then waitpid), host
 * signals to the kernel process, consoles and other host fds, and deadlines (one
 * timerfd armed for the earliest). Nothing guest-visible changes outside this thread.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kernel/kernel.h"
#include "kernel/loop.h"
#include "platform/platform.h"
#include "platform/ptrace_int.h"
#include "signal/signal.h"
#include "task/accounting.h"
#include "task/task.h"

#define MAX_WATCH 256

struct watch { int fd; loop_fn fn; void *data; bool always; };
static struct watch watches[MAX_WATCH];
static int epfd = -1, sigfd = -1, tfd = -1;
/* While the machine is stopped (MConsole stop), the loop waits on this second set: it
 * holds only the host signals and the watches added with loop_add_fd_always. */
static int stopped_epfd = -1;
static bool loop_stopped;
static void (*sigwinch_fn)(void);

static int add_watch(int fd, uint32_t events, loop_fn fn, void *data, bool always)
{
	for (int i = 0; i < MAX_WATCH; i++) {
		if (watches[i].fn)
			continue;
		watches[i] = (struct watch){ fd, fn, data, always };
		struct epoll_event ev = { .events = events, .data.ptr = &watches[i] };
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			watches[i].fn = NULL;
			return -errno;
		}
		if (always && epoll_ctl(stopped_epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			int err = -errno;
			epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
			watches[i].fn = NULL;
			return err;
		}
		return 0;
	}
	return -ENOSPC;
}

int loop_add_fd(int fd, uint32_t events, loop_fn fn, void *data)
{
	return add_watch(fd, events, fn, data, false);
}

int loop_add_fd_always(int fd, uint32_t events, loop_fn fn, void *data)
{
	return add_watch(fd, events, fn, data, true);
}

void loop_set_stopped(bool stopped) { loop_stopped = stopped; }

static struct watch *watch_of(int fd)
{
	for (int i = 0; i < MAX_WATCH; i++)
		if (watches[i].fn && watches[i].fd == fd)
			return &watches[i];
	return NULL;
}

int loop_mod_fd(int fd, uint32_t events)
{
	struct watch *w = watch_of(fd);
	if (!w)
		return -ENOENT;
	struct epoll_event ev = { .events = events, .data.ptr = w };
	if (w->always && epoll_ctl(stopped_epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -errno;
	return epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
}

void loop_del_fd(int fd)
{
	struct watch *w = watch_of(fd);
	if (!w)
		return;
	epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
	if (w->always)
		epoll_ctl(stopped_epfd, EPOLL_CTL_DEL, fd, NULL);
	w->fn = NULL;
}

void loop_on_sigwinch(void (*fn)(void)) { sigwinch_fn = fn; }

static void on_stop(struct task *t, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;
	if (sig == (SIGTRAP | 0x80)) {
		t->stop = STOP_SYSCALL_EXIT;
		platform_get_regs(t);
		void (*hook)(struct task *) = t->exit_hook;
		t->exit_hook = NULL;
		if (hook)
			hook(t);
		else
			task_resume(t, 0);
		return;
	}
	if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP) {
		t->stop = STOP_SECCOMP;
		if (platform_get_regs(t) < 0)
			return;
		t->sc.nr = (long)t->regs.orig_rax;
		t->sc.a[0] = t->regs.rdi; t->sc.a[1] = t->regs.rsi; t->sc.a[2] = t->regs.rdx;
		t->sc.a[3] = t->regs.r10; t->sc.a[4] = t->regs.r8; t->sc.a[5] = t->regs.r9;
		t->in_syscall = true;
		t->retrying = false;
		t->timed_out = false;
		t->io_progress = 0;
		t->scratch[0] = 0;
		t->park_abort = NULL;
		t->park_uninterruptible = false;
		syscall_dispatch(t);
		return;
	}
	if (sig == SIGTRAP && (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
			       event == PTRACE_EVENT_CLONE)) {
		t->stop = STOP_EVENT;
		task_on_clone_event(t, event);
		return;
	}
	if (event == PTRACE_EVENT_STOP) {
		t->stop = STOP_EVENT;
		task_on_event_stop(t, sig);
		return;
	}
	if (event != 0) {   /* exec/exit/vfork-done events we do not act on */
		t->stop = STOP_EVENT;
		task_resume(t, 0);
		return;
	}
	t->stop = STOP_SIGNAL;
	signal_on_delivery_stop(t, sig);
}

/* Returns how many stops and exits it handled. */
static int reap_host_children(void)
{
	int handled = 0;
	for (;; handled++) {
		int status;
		struct rusage ru;   /* a dead task host's CPU time and faults: the guest's accounting */
		pid_t pid = wait4(-1, &status, __WALL | WNOHANG, &ru);
		if (pid <= 0)
			return handled;
		struct task *t = task_by_host(pid);
		if (!t) {
			task_on_new_host_stop(pid, status);
			continue;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			task_account_exit(t, &ru);
			task_host_died(t, status);
		}
		else if (WIFSTOPPED(status))
			on_stop(t, status);
		sched_run_pending();
	}
}

static void on_host_signal(void)
{
	struct signalfd_siginfo si;
	while (read(sigfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			break;
		case SIGWINCH:
			if (sigwinch_fn)
				sigwinch_fn();
			break;
		case SIGINT:
		case SIGTERM:
		case SIGHUP:
			printk("<5>umlinux: host signal %d: halting\n", si.ssi_signo);
			kernel_halt(HALT_HALT, 0);
		}
	}
}

static void arm_timer(void)
{
	static uint64_t armed;
	uint64_t d = sched_next_deadline();
	uint64_t i = itimer_next_deadline();
	if (i && (!d || i < d))
		d = i;
	if (d == armed)
		return;   /* one timerfd_settime per change, not per stop */
	armed = d;
	struct itimerspec its = { 0 };
	if (d) {
		its.it_value.tv_sec = (time_t)(d / 1000000000ULL);
		its.it_value.tv_nsec = (long)(d % 1000000000ULL);
	}
	timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

int loop_init(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGWINCH);
	sigprocmask(SIG_BLOCK, &set, NULL);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	stopped_epfd = epoll_create1(EPOLL_CLOEXEC);
	sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (epfd < 0 || stopped_epfd < 0 || sigfd < 0 || tfd < 0)
		return -errno;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	epoll_ctl(epfd, EPOLL_CTL_ADD, sigfd, &ev);
	epoll_ctl(stopped_epfd, EPOLL_CTL_ADD, sigfd, &ev);
	ev.data.ptr = &tfd;
	epoll_ctl(epfd, EPOLL_CTL_ADD, tfd, &ev);
	return 0;
}

static void run_kernel_work(void)
{
	/*
	 * The guest runs on our CPU (platform.c pins it): after resuming tasks, yielding
	 * lets them run to their next stop, which we then take without a trip through
	 * epoll and the signalfd. A few rounds while there is progress.
	 */
	for (int round = 0; round < 8 && reap_host_children() > 0; round++)
		sched_yield();
	sched_fire_timeouts();
	itimer_fire_expired();
	sched_run_pending();
	arm_timer();
}

/*
 * While the machine is stopped nothing but the "always" watches and host signals is
 * served: task stops are left unreaped (the task hosts stay stopped in the host), and
 * expired timers and ready devices wait, level-triggered, until go. Their events are
 * then handled late, not lost.
 */
void loop_run(void)
{
	for (;;) {
		if (!loop_stopped)
			run_kernel_work();
		struct epoll_event evs[32];
		int n = epoll_wait(loop_stopped ? stopped_epfd : epfd, evs, 32, -1);
		if (n < 0 && errno != EINTR)
			panic("epoll_wait: %s", strerror(errno));
		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr == NULL) {
				on_host_signal();
			} else if (evs[i].data.ptr == &tfd) {
				uint64_t x;
				if (!loop_stopped && read(tfd, &x, sizeof(x)) < 0) { /* spurious: re-armed below */ }
			} else {
				struct watch *w = evs[i].data.ptr;
				/* a stop earlier in this batch holds back the rest of it */
				if (w->fn && (!loop_stopped || w->always))
					w->fn(w->fd, evs[i].events, w->data);
			}
			if (!loop_stopped)
				sched_run_pending();
		}
	}
}
