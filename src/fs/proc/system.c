/*
 * The system-wide files at the top of /proc: meminfo, vmstat, cpuinfo, uptime, loadavg,
 * version, stat, devices, filesystems, cmdline, locks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs/chrdev.h"
#include "fs/locks.h"
#include "fs/proc/format.h"
#include "fs/proc/hostproc.h"
#include "fs/proc/internal.h"
#include "kernel/utsname.h"
#include "kernel/version.h"
#include "mm/meminfo.h"

/* The block layer's "Block devices:" lines, when it is linked in. */
size_t blkdev_format_devices(char *buf, size_t len) __attribute__((weak));

#define VMALLOC_TOTAL_KB 34359738367ULL   /* what 64-bit Linux reports */

int proc_show_meminfo(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)n, (void)reader;
	uint64_t total = mem_total_bytes() / 1024, used = mem_used_bytes() / 1024;
	if (used > total)
		used = total;
	/* All guest memory is anonymous host memory: no page cache, no swap. */
	struct proc_meminfo m = {
		.total = total,
		.free = total - used,
		.available = total - used,
		.active_anon = used,
		.anon_pages = used,
		.commit_limit = total / 2,   /* overcommit_ratio 50 without swap */
		.committed_as = used,
		.vmalloc_total = VMALLOC_TOTAL_KB,
	};
	proc_format_meminfo(b, &m);
	return 0;
}

/* /proc/vmstat: the counters vmstat(8) and free read, in Linux's order. Memory is the
 * same as meminfo's (all anonymous, no page cache, no swap); there is no paging I/O. */
int proc_show_vmstat(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)n, (void)reader;
	uint64_t total = mem_total_bytes() / PAGE_SIZE, used = mem_used_bytes() / PAGE_SIZE;
	if (used > total)
		used = total;
	static const char *const zero[] = {
		"nr_zone_inactive_anon", "nr_zone_active_file", "nr_zone_inactive_file",
		"nr_inactive_anon", "nr_inactive_file", "nr_active_file", "nr_unevictable",
		"nr_mlock", "nr_file_pages", "nr_dirty", "nr_writeback", "nr_shmem",
		"nr_slab_reclaimable", "nr_slab_unreclaimable", "nr_mapped", "pgpgin",
		"pgpgout", "pswpin", "pswpout", "pgmajfault", "pgscan_kswapd", "pgsteal_kswapd",
		"oom_kill",
	};
	proc_printf(b, "nr_free_pages %llu\nnr_zone_active_anon %llu\nnr_active_anon %llu\n"
		    "nr_anon_pages %llu\n", (unsigned long long)(total - used),
		    (unsigned long long)used, (unsigned long long)used, (unsigned long long)used);
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		proc_printf(b, "%s 0\n", zero[i]);
	return 0;
}

int proc_show_cpuinfo(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)n, (void)reader;
	proc_format_cpuinfo(b, 0, hostproc_uname(), hostproc_cpu_flags(), hostproc_bogomips());
	return 0;
}

/* CPU time since boot in ticks. Guest code time is its task hosts' time; the kernel
 * process's own time is the guest's system time. Exited processes take their time
 * with them, so each figure only ever grows (top subtracts successive samples). */
struct cpu_times {
	uint64_t user, system, idle;
};

static void cpu_times(struct cpu_times *out)
{
	static struct cpu_times high;
	struct cpu_times now = { 0, hostproc_kernel_cpu_ns() / NS_PER_TICK, 0 };
	pid_t pids[1024];
	size_t n = mem_host_pids(pids, ARRAY_SIZE(pids));
	for (size_t i = 0; i < n && i < ARRAY_SIZE(pids); i++) {
		struct proc_host_stat hs;
		if (hostproc_stat(pids[i], 0, &hs) == 0) {
			now.user += hs.f[14];
			now.system += hs.f[15];
		}
	}
	uint64_t up = (now_ns() - proc_boot_ns()) / NS_PER_TICK;
	high.user = now.user > high.user ? now.user : high.user;
	high.system = now.system > high.system ? now.system : high.system;
	uint64_t busy = high.user + high.system;
	uint64_t idle = up > busy ? up - busy : 0;
	high.idle = idle > high.idle ? idle : high.idle;
	*out = high;
}

int proc_show_uptime(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)n, (void)reader;
	struct cpu_times ct;
	cpu_times(&ct);
	uint64_t up_cs = proc_uptime_ns() / 10000000ULL;
	proc_printf(b, "%llu.%02llu %llu.%02llu\n", (unsigned long long)(up_cs / 100),
		    (unsigned long long)(up_cs % 100), (unsigned long long)(ct.idle / USER_HZ),
		    (unsigned long long)(ct.idle % USER_HZ * 100 / USER_HZ));
	return 0;
}

struct task_counts {
	int running, total;
	pid_t last_pid;
};

static void count_tasks(struct task_counts *c, struct task *exclude)
{
	memset(c, 0, sizeof(*c));
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct task *t = list_entry(p, struct task, all_link);
		c->total++;
		/* runnable as Linux counts it: not parked here, nor asleep in the host */
		if (t != exclude && (t->state == TASK_NEW ||
				     (t->state == TASK_RUNNING && proc_task_state(t->tg, t) == 'R')))
			c->running++;
		if (t->tid > c->last_pid)
			c->last_pid = t->tid;
	}
}

/* Linux's fixed-point load averages, sampled every 5 s. We sample lazily when read,
 * applying the present count to the intervals since the last read. */
#define FSHIFT   11
#define FIXED_1  (1UL << FSHIFT)
#define LOAD_FREQ_NS (5ULL * 1000000000ULL)
static const unsigned long load_exp[3] = { 1884, 2014, 2037 };   /* 1, 5, 15 minutes */

static void loadavg_update(unsigned long avg[3], int active)
{
	static uint64_t last_ns;
	uint64_t now = now_ns();
	if (!last_ns)
		last_ns = proc_boot_ns();
	uint64_t intervals = (now - last_ns) / LOAD_FREQ_NS;
	last_ns += intervals * LOAD_FREQ_NS;
	if (intervals > 1000)
		intervals = 1000;   /* by then every average has converged */
	for (uint64_t k = 0; k < intervals; k++)
		for (int i = 0; i < 3; i++)
			avg[i] = (avg[i] * load_exp[i] + (unsigned long)active * FIXED_1 * (FIXED_1 - load_exp[i]) +
				  FIXED_1 / 2) >> FSHIFT;
}

static unsigned long load_avg[3];

/* The reader is running while it asks; Linux samples at ticks, when it mostly is not. */
static void loadavg_sample(struct task *reader)
{
	struct task_counts others;
	count_tasks(&others, reader);
	loadavg_update(load_avg, others.running);
}

void proc_loadavg(unsigned long loads[3], unsigned shift)
{
	loadavg_sample(current);
	for (int i = 0; i < 3; i++)
		loads[i] = shift >= FSHIFT ? load_avg[i] << (shift - FSHIFT) : load_avg[i] >> (FSHIFT - shift);
}

uint64_t proc_uptime_ns(void)
{
	return now_ns() - proc_boot_ns();
}

int proc_show_loadavg(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)n;
	unsigned long *avg = load_avg;
	struct task_counts all;
	count_tasks(&all, NULL);
	loadavg_sample(reader);
	for (int i = 0; i < 3; i++) {
		unsigned long v = avg[i] + FIXED_1 / 200;   /* Linux rounds to the hundredth */
		proc_printf(b, "%lu.%02lu ", v >> FSHIFT, ((v & (FIXED_1 - 1)) * 100) >> FSHIFT);
	}
	proc_printf(b, "%d/%d %d\n", all.running, all.total, all.last_pid);
	return 0;
}

/* Every file lock on the machine, as fs/locks.c keeps them. */
int proc_show_locks(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)n, (void)reader;
	locks_show_all(b);
	return 0;
}

int proc_show_version(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)n, (void)reader;
	const struct new_utsname *u = utsname_get();
	proc_printf(b, "Linux version %s (umlinux@umlinux) (gcc (GCC) %s) %s\n", u->release,
		    __VERSION__, u->version);
	return 0;
}

int proc_show_stat_system(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)n, (void)reader;
	struct cpu_times ct;
	struct task_counts tc;
	cpu_times(&ct);
	count_tasks(&tc, NULL);
	for (int cpu = -1; cpu < 1; cpu++) {
		if (cpu < 0)
			pbuf_puts(b, "cpu  ");
		else
			proc_printf(b, "cpu%d ", cpu);
		proc_printf(b, "%llu 0 %llu %llu 0 0 0 0 0 0\n", (unsigned long long)ct.user,
			    (unsigned long long)ct.system, (unsigned long long)ct.idle);
	}
	uint64_t boot_real_ns = realtime_ns() - (now_ns() - proc_boot_ns());
	proc_printf(b, "intr 0\nctxt 0\nbtime %llu\n", (unsigned long long)(boot_real_ns / 1000000000ULL));
	proc_printf(b, "processes %d\nprocs_running %d\nprocs_blocked 0\n", tc.last_pid, tc.running);
	pbuf_puts(b, "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
	return 0;
}

static size_t fill_chrdevs(void *ctx, char *dst, size_t room)
{
	(void)ctx;
	return chrdev_format_devices(dst, room);
}

static size_t fill_blkdevs(void *ctx, char *dst, size_t room)
{
	(void)ctx;
	return blkdev_format_devices(dst, room);
}

/* Appends a device list under its header, whether or not the list brought one. */
static void devices_section(struct proc_buf *b, const char *header,
			    size_t (*fill)(void *, char *, size_t))
{
	struct proc_buf part = { 0 };
	if (fill)
		pbuf_fill(&part, fill, NULL);
	if (part.len < strlen(header) || strncmp(part.data, header, strlen(header)) != 0)
		proc_printf(b, "%s\n", header);
	if (part.len)
		pbuf_put(b, part.data, part.len);
	pbuf_free(&part);
}

int proc_show_devices(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)n, (void)reader;
	devices_section(b, "Character devices:", fill_chrdevs);
	pbuf_putc(b, '\n');
	devices_section(b, "Block devices:", blkdev_format_devices ? fill_blkdevs : NULL);
	return 0;
}

static size_t fill_filesystems(void *ctx, char *dst, size_t room)
{
	(void)ctx;
	return vfs_format_filesystems(dst, room);
}

int proc_show_filesystems(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)n, (void)reader;
	pbuf_fill(b, fill_filesystems, NULL);
	return 0;
}

static char *kernel_cmdline;

void proc_set_cmdline(const char *cmdline)
{
	free(kernel_cmdline);
	kernel_cmdline = xstrdup(cmdline);
}

int proc_show_cmdline_system(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)n, (void)reader;
	proc_printf(b, "%s\n", kernel_cmdline ? kernel_cmdline : "");
	return 0;
}
