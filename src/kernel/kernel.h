/*
 * Core kernel objects shared by every subsystem: tasks, thread groups, credentials,
 * wait queues, and the syscall calling convention.
 */
#ifndef UMLINUX_KERNEL_H
#define UMLINUX_KERNEL_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/user.h>
#include "kernel/list.h"

struct files_struct;
struct fs_struct;
struct tty;

/* Internal results a syscall handler may return besides a value or -errno. They lie
 * below -4095, where no errno lives. */
#define SYSRET_BLOCK        (-10001L) /* parked on a wait queue; retried when woken */
#define SYSRET_PASSTHROUGH  (-10002L) /* let the host run the (possibly edited) call */
#define SYSRET_NORETURN     (-10003L) /* registers already set (exec, sigreturn) or task gone */
#define ERESTARTSYS_INTERNAL (-512L)  /* interrupted: restart if SA_RESTART, else EINTR */
#define ERESTARTNOHAND_INTERNAL (-514L) /* restart only if no handler ran */

struct syscall_args {
	long nr;
	unsigned long a[6];
};

/* A wait queue: parked tasks (and other waiters) registered on an object. */
struct waitq { struct list_head waiters; };
struct waiter {
	struct list_head link;       /* on waitq->waiters */
	struct waitq *q;
	struct task *task;           /* task to retry, or NULL for a callback waiter */
	void (*wake)(struct waiter *w);
};
void waitq_init(struct waitq *q);
void waitq_wake_all(struct waitq *q);
/* Registers the task on q for its current blocked syscall (dropped when it completes). */
void task_wait_on(struct task *t, struct waitq *q);
/* While t->wait_capture is set, task_wait_on(t, q) hands q to fn instead: epoll learns a
 * file's queues by calling its poll this way (Linux's poll_table callback). */
struct waitq_capture { void (*fn)(struct waitq_capture *c, struct waitq *q); };
struct waiter_chunk;

struct cred {
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	int ngroups;                     /* up to NGROUPS_MAX (65536) */
	const gid_t *groups;             /* sorted; shared and never changed (task/cred.c) */
	/* Capabilities are kept as what is missing from the full set, so that a zeroed cred
	 * (uid 0) is fully capable as root is; read them through task/cred.h. */
	uint64_t cap_eff_missing, cap_prm_missing, cap_bset_missing;
	uint64_t cap_inheritable;
	bool keep_caps;                  /* PR_SET_KEEPCAPS; cleared by execve */
	bool no_new_privs;               /* per thread as in Linux: inherited, never cleared */
};
bool cred_is_root(const struct cred *c);   /* capable(): euid 0 has every capability */

enum task_state { TASK_NEW, TASK_RUNNING, TASK_PARKED, TASK_DEAD };

/* How a stopped task host must be resumed once its syscall is done. */
enum stop_kind {
	STOP_NONE,
	STOP_SECCOMP,      /* at a seccomp stop: the guest is making a syscall */
	STOP_SYSCALL_EXIT, /* waiting for the exit stop of a passed-through call */
	STOP_SIGNAL,       /* signal-delivery stop */
	STOP_EVENT,        /* group-stop / PTRACE_EVENT_STOP / other event */
};

#define KSIG_MAX 65

struct k_sigaction {
	unsigned long handler;   /* SIG_DFL (0), SIG_IGN (1), or a guest address */
	unsigned long flags;
	unsigned long restorer;
	uint64_t mask;
};

struct sighand {
	int refcount;
	struct k_sigaction action[KSIG_MAX];
};

/* Guest siginfo the host signal carries, applied at its delivery stop. */
struct pending_info {
	struct list_head link;
	int signo;
	siginfo_t info;
};

struct thread_group {
	pid_t tgid;
	pid_t host_tgid;                 /* host pid of the task host leader */
	pid_t pgid, sid;
	struct thread_group *parent;     /* NULL for init */
	struct list_head children;       /* of thread_group.sibling */
	struct list_head sibling;
	struct list_head threads;        /* of task.thread_link */
	int nr_threads;
	bool zombie, reaped;
	bool group_exiting;
	int exit_status;                 /* wait status word */
	int exit_signal;                 /* sent to parent on exit (SIGCHLD usually) */
	bool stopped;                    /* job-control stop */
	int stop_signal;
	bool stop_reported, cont_reported; /* for WUNTRACED / WCONTINUED */
	bool child_subreaper;
	int pdeath_signal;
	struct sighand *sighand;
	struct list_head pending_info;   /* of pending_info, process-directed */
	struct waitq child_wait;         /* wait4 sleepers */
	struct waitq signalfd_wait;      /* signalfd readers and pollers: any signal sent */
	struct rlimit rlim[RLIM_NLIMITS];
	char comm[16];
	char exe[4096];                  /* guest path of the executable */
	char *cmdline; size_t cmdline_len; /* argv as NUL-separated bytes */
	char *environ; size_t environ_len;
	unsigned long brk_start, brk;    /* guest heap */
	unsigned long stack_top;
	struct tty *ctty;
	uint64_t start_time_ns;
	uint64_t utime_ns, stime_ns, cutime_ns, cstime_ns;
	struct rusage children_rusage;
	struct rusage exit_rusage;       /* the host's count for the dead process (task/accounting.c) */
	uid_t exit_uid;                  /* real uid at death, for SIGCHLD and wait */
	pid_t parent_tid;                /* the parent thread: pdeath_signal fires when it dies */
	int nice;                        /* -20..19 (task/priority.c) */
	int sched_policy, sched_priority;
	int dumpable;                    /* PR_SET_DUMPABLE; set by execve and credential changes */
	unsigned long personality;
	unsigned long timer_slack_ns;    /* 0: the default 50 us */
	/* ITIMER_REAL / alarm */
	uint64_t itimer_real_next_ns, itimer_real_interval_ns;
	/* ITIMER_VIRTUAL and ITIMER_PROF, in the process's CPU-time ns (signal/itimer.c) */
	uint64_t itimer_cpu_next_ns[2], itimer_cpu_interval_ns[2];
	struct list_head timer_link;     /* on the itimer list when any itimer is armed */
	int next_timer_id;               /* timer_create ids (signal/posix_timer.c) */
	bool vfork_parent_waiting;
	bool exec_seen_by_parent;       /* setpgid on it is EACCES */
};

struct task {
	pid_t tid;
	pid_t host_tid;
	struct thread_group *tg;
	struct list_head thread_link;
	struct list_head all_link;
	struct list_head host_link;       /* in task.c's host tid hash */
	struct files_struct *files;
	struct fs_struct *fs;
	struct cred cred;
	enum task_state state;
	enum stop_kind stop;
	struct user_regs_struct regs;
	bool regs_dirty;
	/* the syscall in progress */
	struct syscall_args sc;
	bool in_syscall;
	bool retrying;                   /* handler is re-run after a wake-up */
	bool timed_out;                  /* the park deadline passed */
	size_t io_progress;              /* bytes a parked write already moved (blocking pipes) */
	bool no_sigpipe;                 /* pwritev2's RWF_NOSIGNAL: EPIPE raises no SIGPIPE */
	long scratch[4];                 /* a handler's state across retries of one syscall */
	void (*park_abort)(struct task *t); /* undoes a parked call's side effects if it is interrupted */
	bool park_uninterruptible;       /* only SIGKILL ends this park (a disk request) */
	bool io_may_park;                /* set by read/write syscalls around fops->read/write:
					  * a disk read may park the task (kernel callers such as
					  * exec and sendfile need the data at once) */
	uint64_t deadline_ns;            /* 0 = none */
	struct list_head timeout_link;
	struct waiter waits[8];
	int nwaits;
	struct waiter_chunk *more_waits;  /* registrations beyond waits[] (kernel/sched.c) */
	struct waitq_capture *wait_capture;
	struct list_head runq_link;      /* on the retry queue */
	bool on_runq;
	void (*exit_hook)(struct task *t); /* run at the exit stop of a passed-through call */
	long hook_data[4];
	/* guest-visible thread state */
	unsigned long clear_child_tid;
	unsigned long set_child_tid;
	struct list_head pending_info;   /* thread-directed guest siginfo */
	bool group_stopped;              /* held in a job-control stop */
	bool frozen;                     /* resume held while the machine is stopped (MConsole) */
	int frozen_req, frozen_sig;      /* the held resume's ptrace request and signal */
	bool interrupt_sent;
	bool vfork_done_pending;
	struct task *vfork_parent;
	uint64_t requeue_signals;        /* host signals swallowed during an injection */
	bool exec_done;
	char comm[16];
	/* Linux's restore_sigmask: the mask from before a ppoll/pselect6/epoll_pwait that
	 * ended with EINTR, for the next delivered signal's frame (signal/restore_mask.c) */
	bool restore_sigmask;
	bool sigframe_fixup;             /* stepping into a handler to patch its frame */
	uint64_t saved_sigmask;
};

/* The task whose syscall is being served (set by the dispatcher). */
extern struct task *current;

/* Task registry. */
struct task *task_by_tid(pid_t tid);
struct task *task_by_host(pid_t host_tid);
struct thread_group *tg_by_pid(pid_t pid);
pid_t pid_alloc(void);
void pid_free(pid_t pid);
extern struct list_head all_tasks;
extern struct thread_group *init_tg;
extern pid_t kernel_host_pid;

/* Syscall plumbing (sys/). */
typedef long (*syscall_fn)(struct task *t, struct syscall_args *a);
enum sc_status { SC_NONE = 0, SC_FULL, SC_PARTIAL, SC_STUB };
struct syscall_entry {
	const char *name;
	syscall_fn fn;
	enum sc_status status;
	const char *note;
};
extern const struct syscall_entry syscall_table[];
extern const size_t syscall_table_size;
void syscall_dispatch(struct task *t);        /* run or retry t->sc */
void syscall_complete(struct task *t, long ret); /* set the result and resume */

/* Retry queue and timeouts (kernel/sched.c). */
void task_make_runnable(struct task *t);
void sched_run_pending(void);
void task_set_deadline(struct task *t, uint64_t deadline_ns);
uint64_t now_ns(void);          /* CLOCK_MONOTONIC */
uint64_t realtime_ns(void);
uint64_t sched_next_deadline(void);
void sched_fire_timeouts(void);

/* Resuming a stopped task host (platform/ptrace.c). */
void task_resume(struct task *t, int sig);
void task_resume_syscall(struct task *t);   /* PTRACE_SYSCALL: see the exit stop */
/* PTRACE_SINGLESTEP: from a signal-delivery stop, stops again once the frame is built */
void task_resume_step(struct task *t, int sig);

/* printk (kernel/printk.c) */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern bool console_quiet;

/* Halt and reboot (kernel/main.c). */
enum halt_kind { HALT_HALT, HALT_POWEROFF, HALT_REBOOT, HALT_PANIC };
_Noreturn void kernel_halt(enum halt_kind how, int exit_status);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#undef PAGE_SIZE
#define PAGE_SIZE 4096UL
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);



/* kernel/sched.c internals used by the syscall layer */
void task_drop_waits(struct task *t);
void task_clear_deadline(struct task *t);
#endif
