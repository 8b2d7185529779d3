/*
 * Boot-time checks of the host, in the spirit of UML's "Checking that ptrace can change
 * system call numbers...OK": a throw-away child runs under the real filter and the
 * kernel emulates one call for it, so a host that cannot host us says so at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kernel/kernel.h"
#include "platform/platform.h"
#include "platform/ptrace_int.h"
#include "platform/seccomp.h"

#define SELFTEST_MAGIC 4242

static _Noreturn void selftest_child(int sync_fd)
{
	char c;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (read(sync_fd, &c, 1) != 1)
		_exit(10);
	if (seccomp_install() < 0)
		_exit(11);
	if (syscall(SYS_getppid) != SELFTEST_MAGIC)
		_exit(12);                        /* emulation by the tracer failed */
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
	if (ret != -ENOSYS)
		_exit(13);                        /* i386 entry reached the host */
	if (syscall(0x40000000 | SYS_getpid) != -1 || errno != ENOSYS)
		_exit(14);                        /* x32 entry reached the host */
	struct timespec ts;
	if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) != 0)
		_exit(15);                        /* an allowed call did not run natively */
	syscall(SYS_exit_group, 0);
	_exit(16);
}

static int run_selftest(void)
{
	int sync[2];
	if (pipe2(sync, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		selftest_child(sync[0]);
	close(sync[0]);
	if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL) < 0) {
		int e = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
		close(sync[1]);
		return -e;
	}
	if (write(sync[1], "g", 1) != 1)
		return -EIO;
	close(sync[1]);
	for (;;) {
		int status;
		if (waitpid(pid, &status, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (WIFEXITED(status))
			return WEXITSTATUS(status) == 0 ? 0 : -WEXITSTATUS(status);
		if (WIFSIGNALED(status))
			return -EINVAL;
		if ((status >> 16) == PTRACE_EVENT_SECCOMP) {
			struct user_regs_struct r;
			ptrace(PTRACE_GETREGS, pid, 0, &r);
			if (r.orig_rax == SYS_getppid) {
				r.orig_rax = -1;
				r.rax = SELFTEST_MAGIC;
				ptrace(PTRACE_SETREGS, pid, 0, &r);
			}
		}
		ptrace(PTRACE_CONT, pid, 0, 0);
	}
}

int platform_selftest(bool quiet)
{
	int err = run_selftest();
	const char *what = NULL;
	switch (-err) {
	case 0: break;
	case 12: what = "the tracer could not emulate a system call"; break;
	case 13: what = "i386 system calls reached the host"; break;
	case 14: what = "x32 system calls reached the host"; break;
	case 15: what = "an allowed system call was not let through"; break;
	default: what = strerror(-err); break;
	}
	if (!quiet || err) {
		printf("Checking that ptrace can change system call numbers...%s\n", err ? "FAILED" : "OK");
		printf("Checking that seccomp confines task hosts (i386 and x32 entry refused)...%s\n",
		       err ? "FAILED" : "OK");
		printf("Checking host extended processor state...%zu bytes, kept by the host across stops and signals\n",
		       platform_xstate_size);
	}
	if (err) {
		fprintf(stderr, "umlinux: this host cannot run guests: %s. umlinux needs ptrace and "
			"seccomp filters (check kernel.yama.ptrace_scope and any container seccomp policy)\n",
			what);
		return -EPERM;
	}
	return 0;
}
