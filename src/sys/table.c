/*
 * The syscall table: one line per implemented x86-64 system call, with its support
 * status. docs/syscalls.md is generated from this table (tools: `build/umlinux
 * --syscall-table`), so it cannot go stale. Calls not listed here return ENOSYS with one
 * kernel log line; calls the seccomp filter lets through never reach this table.
 */
#include <sys/syscall.h>
#include "kernel/kernel.h"
#include "sys/syscalls.h"
#include "sys/table.h"

#define E(nr, fn, st, ...) [__NR_##nr] = { #nr, sys_##fn, st, __VA_ARGS__ }

const struct syscall_entry syscall_table[SYSCALL_MAX] = {
	/* fs: descriptors and data */
	E(read, read, SC_FULL),
	E(write, write, SC_FULL),
	E(pread64, pread64, SC_FULL),
	E(pwrite64, pwrite64, SC_FULL),
	E(readv, readv, SC_FULL),
	E(writev, writev, SC_FULL),
	E(preadv, preadv, SC_PARTIAL, "no high offset word"),
	E(pwritev, pwritev, SC_PARTIAL, "no high offset word"),
	E(lseek, lseek, SC_FULL),
	E(ioctl, ioctl, SC_PARTIAL, "per device"),
	E(open, open, SC_FULL),
	E(openat, openat, SC_FULL),
	E(creat, creat, SC_FULL),
	E(close, close, SC_FULL),
	E(close_range, close_range, SC_FULL),
	E(dup, dup, SC_FULL),
	E(dup2, dup2, SC_FULL),
	E(dup3, dup3, SC_FULL),
	E(pipe, pipe, SC_FULL),
	E(pipe2, pipe2, SC_FULL),
	E(fcntl, fcntl, SC_PARTIAL, "no locks, leases or notify"),
	/* fs: names and attributes */
	E(stat, stat, SC_FULL),
	E(lstat, lstat, SC_FULL),
	E(fstat, fstat, SC_FULL),
	E(newfstatat, newfstatat, SC_FULL),
	E(statx, statx, SC_PARTIAL, "basic fields only"),
	E(getdents64, getdents64, SC_FULL),
	E(getcwd, getcwd, SC_FULL),
	E(chdir, chdir, SC_FULL),
	E(fchdir, fchdir, SC_FULL),
	E(access, access, SC_FULL),
	E(faccessat, faccessat, SC_FULL),
	E(faccessat2, faccessat2, SC_FULL),
	E(readlink, readlink, SC_FULL),
	E(readlinkat, readlinkat, SC_FULL),
	/* processes */
	E(clone, clone, SC_PARTIAL, "no namespaces, no CLONE_PIDFD"),
	E(fork, fork, SC_FULL),
	E(vfork, vfork, SC_FULL),
	E(clone3, clone3, SC_STUB, "ENOSYS: libc falls back to clone"),
	E(execve, execve, SC_FULL),
	E(execveat, execveat, SC_FULL),
	E(wait4, wait4, SC_FULL),
	E(waitid, waitid, SC_FULL),
	E(getpid, getpid, SC_FULL),
	E(gettid, gettid, SC_FULL),
	E(getppid, getppid, SC_FULL),
	E(set_tid_address, set_tid_address, SC_FULL),
	E(getuid, getuid, SC_FULL),
	E(geteuid, geteuid, SC_FULL),
	E(getgid, getgid, SC_FULL),
	E(getegid, getegid, SC_FULL),
	E(getpgid, getpgid, SC_FULL),
	E(getpgrp, getpgrp, SC_FULL),
	E(setpgid, setpgid, SC_FULL),
	E(getsid, getsid, SC_FULL),
	E(setsid, setsid, SC_FULL),
	E(uname, uname, SC_FULL),
	E(brk, brk, SC_FULL),
	E(mmap, mmap, SC_PARTIAL, "file mappings are private copies of host-backed files"),
	E(munmap, munmap, SC_FULL),
	E(mprotect, mprotect, SC_FULL),
	E(madvise, madvise, SC_FULL),
	E(mremap, mremap, SC_FULL),
	E(reboot, reboot, SC_FULL),
	E(prlimit64, prlimit64, SC_FULL),
	E(getrlimit, getrlimit, SC_FULL),
	E(setrlimit, setrlimit, SC_FULL),
	E(sched_getaffinity, sched_getaffinity, SC_FULL),
	E(umask, umask, SC_FULL),
	/* signals */
	E(rt_sigaction, rt_sigaction, SC_FULL),
	E(kill, kill, SC_FULL),
	E(tkill, tkill, SC_FULL),
	E(tgkill, tgkill, SC_FULL),
};

const size_t syscall_table_size = SYSCALL_MAX;
