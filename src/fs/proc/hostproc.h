/*
 * The host's /proc, read for a task host: the one place in procfs (and memory
 * accounting) that touches the host. Guest processes are host processes, so their
 * memory, CPU time and mappings are best known to the host kernel.
 */
#ifndef UMLINUX_FS_PROC_HOSTPROC_H
#define UMLINUX_FS_PROC_HOSTPROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct proc_host_stat;
struct proc_buf;

/* Reads /proc/<pid>/<file>, or /proc/<pid>/task/<tid>/<file> when tid > 0, into a
 * malloc'd NUL-terminated buffer. NULL when the host process is gone. */
char *hostproc_read(pid_t pid, pid_t tid, const char *file, size_t *len);

/* The host's stat line, parsed. -ESRCH when the host process is gone. */
int hostproc_stat(pid_t pid, pid_t tid, struct proc_host_stat *st);

/* A "Name:\t<value> kB" field of the host's status file: -1 if absent. */
long long hostproc_status_kb(pid_t pid, pid_t tid, const char *name);

/* The signal masks of the host's status file (zero when the host process is gone). */
struct hostproc_sigmasks {
	uint64_t pending, shared_pending, blocked;
	char state;                 /* the host's State letter, 0 if unknown */
};
void hostproc_sigmasks(pid_t pid, pid_t tid, struct hostproc_sigmasks *out);

/* Appends the host status lines whose name starts with one of prefixes (NULL-ended). */
void hostproc_status_copy(struct proc_buf *b, pid_t pid, pid_t tid, const char *const *prefixes);

/* Host identity for /proc/cpuinfo, computed once: uname -a without the OS name, the
 * first CPU's flags, its bogomips. Never NULL. */
const char *hostproc_uname(void);
const char *hostproc_cpu_flags(void);
const char *hostproc_bogomips(void);

/* CPU time the kernel process itself used: the guest's "system" time. */
uint64_t hostproc_kernel_cpu_ns(void);

#endif
