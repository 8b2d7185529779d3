/* Every syscall handler, by family. A handler returns a value, -errno or a SYSRET_*. */
#ifndef UMLINUX_SYSCALLS_H
#define UMLINUX_SYSCALLS_H
#include "kernel/kernel.h"
#include "platform/platform.h"

struct file;
struct path;

#define SYSCALL(name) long sys_##name(struct task *t, struct syscall_args *a)

/* helpers */
long copy_path_in(struct task *t, unsigned long addr, char *buf);
int resolve_at(struct task *t, int dirfd, unsigned long upath, int atflags, struct path *out);
/* hooks with weak defaults, overridden by subsystems that need them */
void file_opened_hook(struct task *t, struct file *f, int flags);
long fcntl_more(struct task *t, struct file *f, int fd, int cmd, unsigned long arg);

/* fs: descriptors and data */
SYSCALL(read); SYSCALL(write); SYSCALL(pread64); SYSCALL(pwrite64); SYSCALL(readv);
SYSCALL(writev); SYSCALL(preadv); SYSCALL(pwritev); SYSCALL(lseek); SYSCALL(ioctl);
SYSCALL(open); SYSCALL(openat); SYSCALL(creat); SYSCALL(close); SYSCALL(close_range);
SYSCALL(dup); SYSCALL(dup2); SYSCALL(dup3); SYSCALL(pipe); SYSCALL(pipe2); SYSCALL(fcntl);
/* fs: names and attributes */
SYSCALL(stat); SYSCALL(lstat); SYSCALL(fstat); SYSCALL(newfstatat); SYSCALL(statx);
SYSCALL(getdents64); SYSCALL(getcwd); SYSCALL(chdir); SYSCALL(fchdir); SYSCALL(access);
SYSCALL(faccessat); SYSCALL(faccessat2); SYSCALL(readlink); SYSCALL(readlinkat);
/* processes */
SYSCALL(clone); SYSCALL(fork); SYSCALL(vfork); SYSCALL(clone3); SYSCALL(execve);
SYSCALL(execveat); SYSCALL(wait4); SYSCALL(waitid);
SYSCALL(getpid); SYSCALL(gettid); SYSCALL(getppid); SYSCALL(set_tid_address);
SYSCALL(getuid); SYSCALL(geteuid); SYSCALL(getgid); SYSCALL(getegid);
SYSCALL(getpgid); SYSCALL(getpgrp); SYSCALL(setpgid); SYSCALL(getsid); SYSCALL(setsid);
SYSCALL(uname); SYSCALL(brk); SYSCALL(mmap); SYSCALL(munmap); SYSCALL(mprotect);
SYSCALL(madvise); SYSCALL(mremap); SYSCALL(reboot); SYSCALL(prlimit64); SYSCALL(getrlimit);
SYSCALL(setrlimit); SYSCALL(sched_getaffinity); SYSCALL(umask);
/* signals */
SYSCALL(rt_sigaction); SYSCALL(kill); SYSCALL(tkill); SYSCALL(tgkill);
#endif
