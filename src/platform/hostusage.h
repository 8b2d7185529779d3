/*
 * What the host counts for a task host (CPU time, faults, context switches, peak RSS),
 * and the host-side state of its signals and limits. Guest code runs as task hosts, so
 * their host accounting is the guest's accounting.
 */
#ifndef UMLINUX_PLATFORM_HOSTUSAGE_H
#define UMLINUX_PLATFORM_HOSTUSAGE_H
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

/* CPU time of host process pid (tid 0) or of its thread tid, split into user and
 * system time. 0 or -errno (the task host is gone). */
int host_cputime(pid_t pid, pid_t tid, uint64_t *utime_ns, uint64_t *stime_ns);

/* getrusage(2)'s view of the host process or thread: times, faults, switches, maxrss. */
int host_rusage(pid_t pid, pid_t tid, struct rusage *ru);

/* The host's blocked mask of a running task host thread (SigBlk in its status). */
int host_blocked_signals(pid_t pid, pid_t tid, uint64_t *mask);

/* Makes the host enforce a guest rlimit on what the task host does natively (mmap,
 * CPU time): the soft limit, within the host's hard one, which is only ever lowered. */
int host_set_rlimit(pid_t pid, int resource, rlim_t soft, rlim_t hard);

#endif
