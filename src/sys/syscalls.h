/* Every syscall handler, by family. A handler returns a value, -errno or a SYSRET_*. */
#ifndef UMLINUX_SYSCALLS_H
#define UMLINUX_SYSCALLS_H
#include <limits.h>
#include "kernel/kernel.h"
#include "platform/platform.h"

struct file;
struct path;

#define SYSCALL(name) long sys_##name(struct task *t, struct syscall_args *a)

/* helpers */
long copy_path_in(struct task *t, unsigned long addr, char *buf);
/* open, openat and openat2 after their checks; resolve holds LOOKUP_* walk flags */
long do_openat(struct task *t, int dirfd, unsigned long upath, int flags, mode_t mode,
	       unsigned resolve);
int resolve_at(struct task *t, int dirfd, unsigned long upath, int atflags, struct path *out);
/* hooks with weak defaults, overridden by subsystems that need them */
void file_opened_hook(struct task *t, struct file *f, int flags);
long fcntl_more(struct task *t, struct file *f, int fd, int cmd, unsigned long arg);
/* Linux's MAX_RW_COUNT: no single transfer moves more. */
#define MAX_RW_COUNT ((size_t)(INT_MAX & ~(PAGE_SIZE - 1)))
/* the data path's checks (fs_rw.c), shared with fs_copy.c and fs_splice.c */
bool file_may_read(struct file *f);
bool file_may_write(struct file *f);
bool file_seekable(struct file *f);   /* pread/pwrite allowed (else ESPIPE) */
long fsize_check(struct task *t, struct file *f, const off_t *pos, size_t *len);
/* preadv2/pwritev2's RWF_* flags (fs_rwf.c): rwf_check gives 0 or the call's error;
 * rwf_begin puts the flags in force for the transfer and returns what rwf_end restores;
 * rwf_sync gives a write's result after RWF_DSYNC/RWF_SYNC. */
long rwf_check(struct file *f, int rwf, bool wr);
unsigned rwf_begin(struct task *t, struct file *f, int rwf);
void rwf_end(struct task *t, struct file *f, unsigned saved);
long rwf_sync(struct file *f, int rwf, long written);

/* fs: descriptors and data */
SYSCALL(read); SYSCALL(write); SYSCALL(pread64); SYSCALL(pwrite64); SYSCALL(readv);
SYSCALL(writev); SYSCALL(preadv); SYSCALL(pwritev); SYSCALL(preadv2); SYSCALL(pwritev2); SYSCALL(lseek); SYSCALL(ioctl);
SYSCALL(open); SYSCALL(openat); SYSCALL(openat2); SYSCALL(creat); SYSCALL(close); SYSCALL(close_range);
SYSCALL(dup); SYSCALL(dup2); SYSCALL(dup3); SYSCALL(pipe); SYSCALL(pipe2); SYSCALL(fcntl);
SYSCALL(memfd_create);
/* fs: copies between files (fs_copy.c) */
SYSCALL(sendfile); SYSCALL(copy_file_range); SYSCALL(splice); SYSCALL(tee); SYSCALL(vmsplice);
/* fs: advice about file data (fs_advise.c) */
SYSCALL(fadvise64); SYSCALL(readahead); SYSCALL(sync_file_range);
/* fs: locks (fs_locks.c, with fcntl's lock commands) */
SYSCALL(flock);
/* fs: names and attributes */
SYSCALL(stat); SYSCALL(lstat); SYSCALL(fstat); SYSCALL(newfstatat); SYSCALL(statx);
SYSCALL(getdents64); SYSCALL(getcwd); SYSCALL(chdir); SYSCALL(fchdir); SYSCALL(access);
SYSCALL(faccessat); SYSCALL(faccessat2); SYSCALL(readlink); SYSCALL(readlinkat);
/* fs: names, attributes, mounts (fs_names.c, fs_attr.c, fs_mount.c) */
SYSCALL(mkdir); SYSCALL(mkdirat); SYSCALL(mknod); SYSCALL(mknodat); SYSCALL(symlink);
SYSCALL(symlinkat); SYSCALL(link); SYSCALL(linkat); SYSCALL(unlink); SYSCALL(unlinkat);
SYSCALL(rmdir); SYSCALL(rename); SYSCALL(renameat); SYSCALL(renameat2);
SYSCALL(chmod); SYSCALL(fchmod); SYSCALL(fchmodat); SYSCALL(chown); SYSCALL(lchown);
SYSCALL(fchown); SYSCALL(fchownat); SYSCALL(utimensat); SYSCALL(utime); SYSCALL(utimes);
SYSCALL(futimesat); SYSCALL(truncate); SYSCALL(ftruncate); SYSCALL(fallocate);
SYSCALL(fsync); SYSCALL(fdatasync); SYSCALL(getxattr); SYSCALL(lgetxattr);
SYSCALL(fgetxattr); SYSCALL(setxattr); SYSCALL(lsetxattr); SYSCALL(fsetxattr);
SYSCALL(listxattr); SYSCALL(llistxattr); SYSCALL(flistxattr); SYSCALL(removexattr);
SYSCALL(lremovexattr); SYSCALL(fremovexattr); SYSCALL(mount); SYSCALL(umount2);
SYSCALL(chroot); SYSCALL(statfs); SYSCALL(fstatfs); SYSCALL(sync); SYSCALL(syncfs);
/* processes */
SYSCALL(clone); SYSCALL(fork); SYSCALL(vfork); SYSCALL(clone3); SYSCALL(execve);
SYSCALL(execveat); SYSCALL(wait4); SYSCALL(waitid);
SYSCALL(getpid); SYSCALL(gettid); SYSCALL(getppid); SYSCALL(set_tid_address);
SYSCALL(getuid); SYSCALL(geteuid); SYSCALL(getgid); SYSCALL(getegid);
SYSCALL(getpgid); SYSCALL(getpgrp); SYSCALL(setpgid); SYSCALL(getsid); SYSCALL(setsid);
SYSCALL(uname); SYSCALL(brk); SYSCALL(mmap); SYSCALL(munmap); SYSCALL(mprotect);
SYSCALL(madvise); SYSCALL(mremap); SYSCALL(reboot); SYSCALL(prlimit64); SYSCALL(getrlimit);
SYSCALL(setrlimit); SYSCALL(sched_getaffinity); SYSCALL(umask);
SYSCALL(msync); SYSCALL(mincore); SYSCALL(mlock); SYSCALL(munlock); SYSCALL(mlock2);
SYSCALL(mlockall); SYSCALL(munlockall);
/* signals */
SYSCALL(rt_sigaction); SYSCALL(kill); SYSCALL(tkill); SYSCALL(tgkill);
/* processes: credentials, limits, accounting, timers (task/cred.c, task/prctl.c,
 * task/priority.c, task/accounting.c, task/uname.c, kernel/syslog.c, kernel/settime.c,
 * signal/itimer.c, signal/posix_timer.c, signal/sigwait.c) */
SYSCALL(setuid); SYSCALL(setgid); SYSCALL(setreuid); SYSCALL(setregid); SYSCALL(setresuid);
SYSCALL(setresgid); SYSCALL(getresuid); SYSCALL(getresgid); SYSCALL(setfsuid);
SYSCALL(setfsgid); SYSCALL(getgroups); SYSCALL(setgroups); SYSCALL(capget); SYSCALL(capset);
SYSCALL(prctl); SYSCALL(personality); SYSCALL(getrusage); SYSCALL(times); SYSCALL(sysinfo);
SYSCALL(getpriority); SYSCALL(setpriority); SYSCALL(sched_getscheduler);
SYSCALL(sched_setscheduler); SYSCALL(sched_getparam); SYSCALL(sched_setparam);
SYSCALL(sched_get_priority_max); SYSCALL(sched_get_priority_min); SYSCALL(sched_setaffinity);
SYSCALL(getcpu); SYSCALL(sethostname); SYSCALL(setdomainname); SYSCALL(syslog);
SYSCALL(clock_settime); SYSCALL(settimeofday); SYSCALL(alarm); SYSCALL(setitimer);
SYSCALL(getitimer); SYSCALL(timer_create); SYSCALL(timer_settime); SYSCALL(timer_gettime);
SYSCALL(timer_getoverrun); SYSCALL(timer_delete); SYSCALL(rt_sigtimedwait);
SYSCALL(rt_sigqueueinfo); SYSCALL(rt_tgsigqueueinfo);
/* events: poll, select, epoll, eventfd, timerfd (fs/poll.c, fs/select.c, fs/eventpoll.c,
 * fs/eventfd.c, fs/timerfd.c, fs/signalfd.c) */
SYSCALL(poll); SYSCALL(ppoll); SYSCALL(select); SYSCALL(pselect6); SYSCALL(epoll_create);
SYSCALL(epoll_create1); SYSCALL(epoll_ctl); SYSCALL(epoll_wait); SYSCALL(epoll_pwait);
SYSCALL(epoll_pwait2); SYSCALL(eventfd); SYSCALL(eventfd2); SYSCALL(timerfd_create);
SYSCALL(timerfd_settime); SYSCALL(timerfd_gettime); SYSCALL(signalfd); SYSCALL(signalfd4);
/* System V IPC (ipc/shm.c, ipc/sem.c, ipc/msg.c) */
SYSCALL(shmget); SYSCALL(shmat); SYSCALL(shmdt); SYSCALL(shmctl); SYSCALL(semget);
SYSCALL(semop); SYSCALL(semtimedop); SYSCALL(semctl); SYSCALL(msgget); SYSCALL(msgsnd);
SYSCALL(msgrcv); SYSCALL(msgctl);
/* net: sockets, AF_UNIX only (net/socket.c) */
SYSCALL(socket); SYSCALL(socketpair); SYSCALL(connect); SYSCALL(bind); SYSCALL(listen);
SYSCALL(accept); SYSCALL(accept4); SYSCALL(getsockname); SYSCALL(getpeername);
SYSCALL(sendto); SYSCALL(recvfrom); SYSCALL(sendmsg); SYSCALL(recvmsg); SYSCALL(sendmmsg);
SYSCALL(recvmmsg); SYSCALL(shutdown); SYSCALL(setsockopt); SYSCALL(getsockopt);
/* absent facilities: ENOSYS as Linux without them (sys/absent.c) */
SYSCALL(add_key); SYSCALL(request_key); SYSCALL(keyctl); SYSCALL(inotify_init);
SYSCALL(inotify_init1); SYSCALL(inotify_add_watch); SYSCALL(inotify_rm_watch);
#endif
