/*
 * The ptrace platform: every guest thread is a host thread of a "task host" process
 * running the stub under our seccomp filter; the kernel is its tracer. Here are the
 * operations on a stopped task host: registers, resuming, injecting host system calls,
 * passing descriptors in, and replacing the image for execve.
 */
#include <elf.h>
#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kernel/kernel.h"
#include "platform/platform.h"
#include "platform/ptrace_int.h"
#include "platform/seccomp.h"

extern const char stub_blob_start[], stub_blob_end[];

unsigned long stub_entry;
size_t platform_xstate_size;
static int stub_fd = -1;
static int ctl_kernel = -1, ctl_task = -1;

#define TRACE_OPTIONS (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACECLONE | \
		       PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | \
		       PTRACE_O_EXITKILL)

int platform_get_regs(struct task *t)
{
	if (ptrace(PTRACE_GETREGS, t->host_tid, 0, &t->regs) < 0)
		return -errno;
	t->regs_dirty = false;
	return 0;
}

int platform_set_regs(struct task *t)
{
	if (ptrace(PTRACE_SETREGS, t->host_tid, 0, &t->regs) < 0)
		return -errno;
	t->regs_dirty = false;
	return 0;
}

static void resume_with(struct task *t, int req, int sig)
{
	if (t->tg && t->tg->stopped && req == PTRACE_CONT && sig == 0) {
		t->group_stopped = true;   /* job-control stop: held until SIGCONT */
		return;
	}
	if (guest_frozen) {
		/* MConsole stop: the task stays where it is until go (platform_thaw_guest) */
		t->frozen = true;
		t->frozen_req = req;
		t->frozen_sig = sig;
		return;
	}
	if (t->regs_dirty)
		platform_set_regs(t);
	/* Signals the host dequeued while we injected calls go back to the host queue;
	 * their guest siginfo is still on our pending list. */
	for (int s = 1; t->requeue_signals && s < 64; s++) {
		if (t->requeue_signals & (1ULL << s)) {
			syscall(SYS_tgkill, t->tg->host_tgid, t->host_tid, s);
			t->requeue_signals &= ~(1ULL << s);
		}
	}
	t->stop = STOP_NONE;
	if (ptrace(req, t->host_tid, 0, (long)sig) < 0 && errno != ESRCH)
		printk("umlinux: ptrace resume of pid %d failed: %s\n", t->tid, strerror(errno));
}

void task_resume(struct task *t, int sig) { resume_with(t, PTRACE_CONT, sig); }

void task_resume_step(struct task *t, int sig) { resume_with(t, PTRACE_SINGLESTEP, sig); }

void task_resume_syscall(struct task *t)
{
	resume_with(t, PTRACE_SYSCALL, 0);
	if (!t->frozen)
		t->stop = STOP_NONE;
}

void task_resume_frozen(struct task *t)
{
	t->frozen = false;
	resume_with(t, t->frozen_req, t->frozen_sig);
}

/* From the exec stop, runs the stub's first int3 so the task sits at a clean stop. */
static int settle_after_exec(pid_t pid)
{
	int status;
	if (ptrace(PTRACE_CONT, pid, 0, 0) < 0)
		return -errno;
	for (;;) {
		if (waitpid(pid, &status, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!WIFSTOPPED(status))
			return -ESRCH;
		if (WSTOPSIG(status) == SIGTRAP && (status >> 16) == 0)
			return 0;
		ptrace(PTRACE_CONT, pid, 0, 0);
	}
}

/* Waits for the next stop of this one task host. A death is recorded for the main loop. */
int platform_wait(struct task *t, int *status)
{
	for (;;) {
		pid_t r = waitpid(t->host_tid, status, __WALL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (WIFEXITED(*status) || WIFSIGNALED(*status)) {
			task_host_died(t, *status);
			return -ESRCH;
		}
		return 0;
	}
}

/*
 * Runs regs (rip at the stub's syscall instruction) until the int3 after it, passing
 * through the seccomp stop the call makes. With exec_ok, a successful execve ends at the
 * PTRACE_EVENT_EXEC stop instead (returns 0).
 */
static long run_injected(struct task *t, struct user_regs_struct *r, bool exec_ok)
{
	int status;
	if (ptrace(PTRACE_SETREGS, t->host_tid, 0, r) < 0 ||
	    ptrace(PTRACE_CONT, t->host_tid, 0, 0) < 0)
		return -ESRCH;
	for (;;) {
		if (platform_wait(t, &status) < 0)
			return -ESRCH;
		int sig = WSTOPSIG(status), event = status >> 16;
		if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP) {
			ptrace(PTRACE_CONT, t->host_tid, 0, 0);
			continue;
		}
		if (sig == SIGTRAP && event == PTRACE_EVENT_EXEC && exec_ok)
			return settle_after_exec(t->host_tid) < 0 ? -ESRCH : (t->stop = STOP_SIGNAL, 0);
		if (sig == SIGTRAP && event == 0) {
			struct user_regs_struct out;
			if (ptrace(PTRACE_GETREGS, t->host_tid, 0, &out) < 0)
				return -ESRCH;
			t->stop = STOP_SIGNAL;
			return (long)out.rax;
		}
		if (event == 0 && sig != SIGTRAP && sig != SIGSTOP)
			t->requeue_signals |= 1ULL << sig;
		ptrace(PTRACE_CONT, t->host_tid, 0, 0);
	}
}

long platform_inject(struct task *t, long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct user_regs_struct r = t->regs;
	r.orig_rax = -1;      /* at a syscall stop: skip the guest's own call */
	r.rip = stub_entry;
	r.rax = nr;
	r.rdi = a0; r.rsi = a1; r.rdx = a2; r.r10 = a3; r.r8 = a4; r.r9 = a5;
	enum stop_kind stop = t->stop;
	long ret = run_injected(t, &r, false);
	t->regs_dirty = true; /* the guest's registers must be written back */
	/* which also puts the task back where it stopped, as far as resuming it goes: a
	 * parked call stays a call that a signal can interrupt or restart */
	t->stop = stop;
	return ret;
}

/* Scratch memory in the task for injected calls' arguments: below the red zone. */
unsigned long platform_scratch_addr(struct task *t, size_t len)
{
	return ((t->regs.rsp - 4096 - len) & ~15UL);
}

long platform_map_fd(struct task *t, unsigned long addr, size_t len, int prot, int flags,
		     int host_fd, off_t offset)
{
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &host_fd, sizeof(int));
	if (sendmsg(ctl_kernel, &msg, 0) < 0)
		return -errno;

	/* the same msghdr, laid out in the task */
	struct {
		struct msghdr m;
		struct iovec iov;
		char byte[8];
		union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	} rm;
	unsigned long at = platform_scratch_addr(t, sizeof(rm));
	memset(&rm, 0, sizeof(rm));
	rm.iov.iov_base = (void *)(at + offsetof(typeof(rm), byte));
	rm.iov.iov_len = 1;
	rm.m.msg_iov = (void *)(at + offsetof(typeof(rm), iov));
	rm.m.msg_iovlen = 1;
	rm.m.msg_control = (void *)(at + offsetof(typeof(rm), u));
	rm.m.msg_controllen = sizeof(rm.u.buf);
	if (guest_write(t, at, &rm, sizeof(rm)) < 0) {
		recv(ctl_task, &byte, 1, MSG_DONTWAIT); /* drop the message and its fd */
		return -EFAULT;
	}
	long n = platform_inject(t, __NR_recvmsg, TASK_CTL_FD, at, MSG_CMSG_CLOEXEC, 0, 0, 0);
	if (n < 0)
		return n;
	if (guest_read(t, &rm, at, sizeof(rm)) < 0)
		return -EFAULT;
	int fd;
	memcpy(&fd, CMSG_DATA(&rm.u.align), sizeof(int));
	long ret = platform_inject(t, __NR_mmap, addr, len, prot, flags, fd, offset);
	platform_inject(t, __NR_close, fd, 0, 0, 0, 0, 0);
	return ret;
}

int platform_reexec_stub(struct task *t)
{
	/* "" then argv = { "", NULL }, envp = { NULL } */
	unsigned long at = platform_scratch_addr(t, 32);
	unsigned long blk[4] = { 0, at, 0, 0 };
	if (guest_write(t, at, blk, sizeof(blk)) < 0)
		return -EFAULT;
	struct user_regs_struct r = t->regs;
	r.orig_rax = -1;
	r.rip = stub_entry;
	r.rax = __NR_execveat;
	r.rdi = TASK_STUB_FD; r.rsi = at; r.rdx = at + 8; r.r10 = at + 16; r.r8 = AT_EMPTY_PATH;
	long ret = run_injected(t, &r, true);
	if (ret != 0)
		return ret < 0 ? (int)ret : -ENOEXEC;
	return platform_get_regs(t);
}

/* In the new task host, between fork and exec: nothing of the kernel may remain. */
static _Noreturn void task_host_child(int sync_fd)
{
	char c;
	int null = open("/dev/null", O_RDWR);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != kernel_host_pid)
		_exit(1);
	/* move everything out of the way first: the low numbers may be any of them */
	int ctl = fcntl(ctl_task, F_DUPFD, 100), stub = fcntl(stub_fd, F_DUPFD, 100);
	int sync = fcntl(sync_fd, F_DUPFD, 100);
	dup2(null, 0); dup2(null, 1); dup2(null, 2);
	dup2(ctl, TASK_CTL_FD);
	dup2(stub, TASK_STUB_FD);
	dup2(sync, TASK_SYNC_FD);
	syscall(SYS_close_range, TASK_SYNC_FD + 1, ~0U, 0);
	/* dispositions and mask: the guest starts from Linux's defaults */
	for (int s = 1; s < 65; s++)
		signal(s, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	struct rlimit nocore = { 0, 0 };
	setrlimit(RLIMIT_CORE, &nocore);
	if (read(TASK_SYNC_FD, &c, 1) != 1)
		_exit(1);
	close(TASK_SYNC_FD);
	if (seccomp_install() < 0)
		_exit(1);
	char *argv[] = { "", NULL }, *envp[] = { NULL };
	syscall(SYS_execveat, TASK_STUB_FD, "", argv, envp, AT_EMPTY_PATH);
	_exit(127);
}

int platform_spawn_first(pid_t *host_tid)
{
	int sync[2];
	if (pipe2(sync, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		task_host_child(sync[0]);
	close(sync[0]);
	if (ptrace(PTRACE_SEIZE, pid, 0, TRACE_OPTIONS) < 0) {
		int e = errno;
		kill(pid, SIGKILL);
		close(sync[1]);
		return -e;
	}
	if (write(sync[1], "g", 1) != 1) { /* nothing to do: the child then exits */ }
	close(sync[1]);
	for (;;) {
		int status;
		pid_t r = waitpid(pid, &status, __WALL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || WIFEXITED(status) || WIFSIGNALED(status))
			return -ECHILD;
		int event = status >> 16;
		if (WSTOPSIG(status) == SIGTRAP && event == PTRACE_EVENT_EXEC) {
			if (settle_after_exec(pid) < 0)
				return -ECHILD;
			break;
		}
		ptrace(PTRACE_CONT, pid, 0, 0); /* the seccomp stop of its execveat */
	}
	*host_tid = pid;
	return 0;
}

static int load_stub(void)
{
	size_t len = (size_t)(stub_blob_end - stub_blob_start);
	Elf64_Ehdr eh;
	if (len < sizeof(eh))
		return -ENOEXEC;
	memcpy(&eh, stub_blob_start, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return -ENOEXEC;
	stub_entry = eh.e_entry + 1;   /* past the settling int3 */
	if (stub_entry < STUB_WINDOW_START || stub_entry >= STUB_WINDOW_END)
		return -ENOEXEC;
	stub_fd = memfd_create("umlinux-stub", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (stub_fd < 0)
		return -errno;
	if (write(stub_fd, stub_blob_start, len) != (ssize_t)len)
		return -EIO;
	fcntl(stub_fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
	return 0;
}

static size_t host_xstate_size(void)
{
	unsigned a = 0xd, b, c = 0, d;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return b;
}

/*
 * The guest has one virtual CPU, as UML's has. Keeping the kernel and every task host
 * on one host CPU turns each ptrace stop into a same-CPU switch: on this class of host a
 * cross-CPU wake-up costs several times more than the switch itself.
 */
static void pin_to_one_cpu(bool quiet)
{
	int cpu = sched_getcpu();
	if (cpu < 0 || getenv("UMLINUX_NO_PIN"))
		return;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) == 0 && !quiet)
		printf("Running the guest on host CPU %d\n", cpu);
}

int platform_init(bool quiet)
{
	pin_to_one_cpu(quiet);
	int sv[2];
	int err = load_stub();
	if (err < 0) {
		fprintf(stderr, "umlinux: the embedded task stub is unusable (%s); rebuild with make\n",
			strerror(-err));
		return err;
	}
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	ctl_kernel = sv[0];
	ctl_task = sv[1];
	platform_xstate_size = host_xstate_size();
	err = platform_selftest(quiet);
	return err;
}
