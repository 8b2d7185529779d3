/*
 * The pure formatters behind /proc files: given plain values, they write Linux's exact
 * text. Kept apart from the task and host code so the layouts can be tested alone.
 */
#ifndef UMLINUX_FS_PROC_FORMAT_H
#define UMLINUX_FS_PROC_FORMAT_H

#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>
#include "fs/proc/internal.h"

/* The 52 fields of /proc/<pid>/stat, in Linux's order and with its signedness. */
struct proc_stat_fields {
	pid_t pid;
	const char *comm;
	char state;
	pid_t ppid, pgrp, session;
	int tty_nr;
	pid_t tpgid;
	unsigned flags;
	unsigned long minflt, cminflt, majflt, cmajflt;
	unsigned long long utime, stime;
	long long cutime, cstime;
	long priority, nice, num_threads;
	long itrealvalue;
	unsigned long long starttime;
	unsigned long vsize;
	unsigned long rss;                 /* pages */
	unsigned long rsslim;
	unsigned long startcode, endcode, startstack, kstkesp, kstkeip;
	unsigned long signal, blocked, sigignore, sigcatch;
	unsigned long wchan;
	unsigned long nswap, cnswap;
	int exit_signal;
	int processor;
	unsigned rt_priority, policy;
	unsigned long long blkio_ticks;
	unsigned long long guest_time;
	long long cguest_time;
	unsigned long start_data, end_data, start_brk, arg_start, arg_end, env_start, env_end;
	int exit_code;
};
void proc_format_stat(struct proc_buf *b, const struct proc_stat_fields *s);

/* Numbers parsed from a host /proc/<pid>/stat line; f[i] is field i (1-based, Linux's
 * numbering), state is field 3. Returns 0, or -EINVAL when the line is malformed. */
#define PROC_STAT_NFIELDS 52
struct proc_host_stat {
	char state;
	unsigned long long f[PROC_STAT_NFIELDS + 1];
};
int proc_parse_stat(const char *text, struct proc_host_stat *out);

/* /proc/meminfo, every value in kB. */
struct proc_meminfo {
	uint64_t total, free, available, buffers, cached, swap_cached;
	uint64_t active_anon, inactive_anon, active_file, inactive_file;
	uint64_t swap_total, swap_free, dirty, anon_pages, mapped, shmem;
	uint64_t slab_reclaimable, slab_unreclaimable, kernel_stack, page_tables;
	uint64_t commit_limit, committed_as, vmalloc_total, percpu;
};
void proc_format_meminfo(struct proc_buf *b, const struct proc_meminfo *m);

/* /proc/<pid>/limits for the RLIM_NLIMITS limits of rl. */
void proc_format_limits(struct proc_buf *b, const struct rlimit *rl);

/* Rewrites a host /proc/<pid>/maps text for the guest: drops the stub window, names
 * file mappings by their guest paths and hides every other host file name and identity,
 * and names the guest's own heap and stack. */
struct proc_maps_hints {
	unsigned long brk_start, brk;   /* the guest heap; 0,0 when unknown */
	unsigned long stack_top;        /* inside the guest stack's mapping; 0 when unknown */
	/* The guest path of the host file at host_path into buf, and the device the guest
	 * sees it on; -errno when it is no file of the guest's. NULL: no file names. */
	/* ino: set when the guest's inode number is not the host's (a memfd-backed file) */
	int (*guest_file)(void *ctx, const char *host_path, char *buf, size_t len, dev_t *dev,
			  uint64_t *ino);
	void *ctx;
};
void proc_rewrite_maps(struct proc_buf *b, const char *host, size_t len,
		       const struct proc_maps_hints *h);

/* One processor of UML's /proc/cpuinfo. */
void proc_format_cpuinfo(struct proc_buf *b, int cpu, const char *host, const char *flags,
			 const char *bogomips);

/* The signal-mask lines of status: SigIgn and SigCgt from the actions. */
void proc_sigmasks_from_actions(const struct k_sigaction *act, uint64_t *ignored, uint64_t *caught);

#endif
