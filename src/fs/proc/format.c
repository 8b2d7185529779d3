/* Pure text formatters for /proc files (see format.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs/proc/format.h"
#include "platform/platform.h"

void proc_format_stat(struct proc_buf *b, const struct proc_stat_fields *s)
{
	proc_printf(b, "%d (%s) %c %d %d %d %d %d %u %lu %lu %lu %lu %llu %llu %lld %lld %ld %ld %ld %ld",
		    s->pid, s->comm, s->state, s->ppid, s->pgrp, s->session, s->tty_nr, s->tpgid,
		    s->flags, s->minflt, s->cminflt, s->majflt, s->cmajflt, s->utime, s->stime,
		    s->cutime, s->cstime, s->priority, s->nice, s->num_threads, s->itrealvalue);
	proc_printf(b, " %llu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu",
		    s->starttime, s->vsize, s->rss, s->rsslim, s->startcode, s->endcode,
		    s->startstack, s->kstkesp, s->kstkeip, s->signal, s->blocked, s->sigignore,
		    s->sigcatch, s->wchan, s->nswap, s->cnswap);
	proc_printf(b, " %d %d %u %u %llu %llu %lld %lu %lu %lu %lu %lu %lu %lu %d\n",
		    s->exit_signal, s->processor, s->rt_priority, s->policy, s->blkio_ticks,
		    s->guest_time, s->cguest_time, s->start_data, s->end_data, s->start_brk,
		    s->arg_start, s->arg_end, s->env_start, s->env_end, s->exit_code);
}

/* The comm field may hold spaces and parentheses: the numbers start after the last ')'. */
int proc_parse_stat(const char *text, struct proc_host_stat *out)
{
	memset(out, 0, sizeof(*out));
	const char *p = strrchr(text, ')');
	if (!p || p[1] != ' ' || !p[2])
		return -EINVAL;
	out->state = p[2];
	p += 3;
	for (int i = 4; i <= PROC_STAT_NFIELDS && *p; i++) {
		char *end;
		/* a few fields are signed (-1 tpgid); keep their bit pattern */
		out->f[i] = *p == ' ' && p[1] == '-' ? (unsigned long long)strtoll(p, &end, 10)
						     : strtoull(p, &end, 10);
		if (end == p)
			return i > 4 ? 0 : -EINVAL;
		p = end;
	}
	return 0;
}

/* Linux writes each line as the name padded to 16 columns and the value to 8. */
static void meminfo_line(struct proc_buf *b, const char *name, uint64_t kb)
{
	char label[32];
	snprintf(label, sizeof(label), "%s:", name);
	proc_printf(b, "%-16s%8" PRIu64 " kB\n", label, kb);
}

void proc_format_meminfo(struct proc_buf *b, const struct proc_meminfo *m)
{
	const struct { const char *name; uint64_t kb; } lines[] = {
		{ "MemTotal", m->total },
		{ "MemFree", m->free },
		{ "MemAvailable", m->available },
		{ "Buffers", m->buffers },
		{ "Cached", m->cached },
		{ "SwapCached", m->swap_cached },
		{ "Active", m->active_anon + m->active_file },
		{ "Inactive", m->inactive_anon + m->inactive_file },
		{ "Active(anon)", m->active_anon },
		{ "Inactive(anon)", m->inactive_anon },
		{ "Active(file)", m->active_file },
		{ "Inactive(file)", m->inactive_file },
		{ "Unevictable", 0 },
		{ "Mlocked", 0 },
		{ "SwapTotal", m->swap_total },
		{ "SwapFree", m->swap_free },
		{ "Dirty", m->dirty },
		{ "Writeback", 0 },
		{ "AnonPages", m->anon_pages },
		{ "Mapped", m->mapped },
		{ "Shmem", m->shmem },
		{ "KReclaimable", m->slab_reclaimable },
		{ "Slab", m->slab_reclaimable + m->slab_unreclaimable },
		{ "SReclaimable", m->slab_reclaimable },
		{ "SUnreclaim", m->slab_unreclaimable },
		{ "KernelStack", m->kernel_stack },
		{ "PageTables", m->page_tables },
		{ "NFS_Unstable", 0 },
		{ "Bounce", 0 },
		{ "WritebackTmp", 0 },
		{ "CommitLimit", m->commit_limit },
		{ "Committed_AS", m->committed_as },
		{ "VmallocTotal", m->vmalloc_total },
		{ "VmallocUsed", 0 },
		{ "VmallocChunk", 0 },
		{ "Percpu", m->percpu },
	};
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++)
		meminfo_line(b, lines[i].name, lines[i].kb);
}

static void limit_value(struct proc_buf *b, rlim_t v)
{
	if (v == RLIM_INFINITY)
		proc_printf(b, "%-20s ", "unlimited");
	else
		proc_printf(b, "%-20llu ", (unsigned long long)v);
}

void proc_format_limits(struct proc_buf *b, const struct rlimit *rl)
{
	/* indexed by RLIMIT_*; units NULL print nothing after the hard limit */
	static const struct { const char *name, *unit; } rows[RLIM_NLIMITS] = {
		[RLIMIT_CPU]        = { "Max cpu time", "seconds" },
		[RLIMIT_FSIZE]      = { "Max file size", "bytes" },
		[RLIMIT_DATA]       = { "Max data size", "bytes" },
		[RLIMIT_STACK]      = { "Max stack size", "bytes" },
		[RLIMIT_CORE]       = { "Max core file size", "bytes" },
		[RLIMIT_RSS]        = { "Max resident set", "bytes" },
		[RLIMIT_NPROC]      = { "Max processes", "processes" },
		[RLIMIT_NOFILE]     = { "Max open files", "files" },
		[RLIMIT_MEMLOCK]    = { "Max locked memory", "bytes" },
		[RLIMIT_AS]         = { "Max address space", "bytes" },
		[RLIMIT_LOCKS]      = { "Max file locks", "locks" },
		[RLIMIT_SIGPENDING] = { "Max pending signals", "signals" },
		[RLIMIT_MSGQUEUE]   = { "Max msgqueue size", "bytes" },
		[RLIMIT_NICE]       = { "Max nice priority", NULL },
		[RLIMIT_RTPRIO]     = { "Max realtime priority", NULL },
		[RLIMIT_RTTIME]     = { "Max realtime timeout", "us" },
	};
	proc_printf(b, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (int i = 0; i < RLIM_NLIMITS; i++) {
		proc_printf(b, "%-25s ", rows[i].name);
		limit_value(b, rl[i].rlim_cur);
		limit_value(b, rl[i].rlim_max);
		if (rows[i].unit)
			proc_printf(b, "%-10s\n", rows[i].unit);
		else
			pbuf_putc(b, '\n');
	}
}

/* One parsed line of a maps file. */
struct maps_line {
	unsigned long start, end;
	char perms[5];
	unsigned long long offset;
	unsigned dev_major, dev_minor;
	unsigned long inode;
	char name[PATH_MAX];
};

static bool maps_parse_line(const char *line, size_t len, struct maps_line *m)
{
	char buf[PATH_MAX + 128];
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, line, len);
	buf[len] = 0;
	int name_at = 0;
	memset(m, 0, sizeof(*m));
	if (sscanf(buf, "%lx-%lx %4s %llx %x:%x %lu %n", &m->start, &m->end, m->perms,
		   &m->offset, &m->dev_major, &m->dev_minor, &m->inode, &name_at) < 7)
		return false;
	if (name_at > 0)
		snprintf(m->name, sizeof(m->name), "%s", buf + name_at);
	return true;
}

static bool maps_name_is_kernel_area(const char *name)
{
	static const char *const keep[] = { "[vdso]", "[vvar]", "[vvar_vclock]", "[vsyscall]" };
	for (size_t i = 0; i < ARRAY_SIZE(keep); i++)
		if (strcmp(name, keep[i]) == 0)
			return true;
	return false;
}

/* A file mapping's guest path (the host's " (deleted)" kept) and device, by the hints'
 * guest_file. False for memfds and files that are not the guest's. */
static bool maps_guest_file(const struct maps_line *m, const struct proc_maps_hints *h,
			    char *out, size_t len, dev_t *dev, uint64_t *ino)
{
	static const char deleted[] = " (deleted)";
	char host[sizeof(m->name)];
	size_t n = strlen(m->name), dl = sizeof(deleted) - 1;
	bool gone = n > dl && strcmp(m->name + n - dl, deleted) == 0;
	if (!h->guest_file || m->inode == 0 || m->name[0] != '/')
		return false;
	snprintf(host, sizeof(host), "%.*s", (int)(gone ? n - dl : n), m->name);
	if (h->guest_file(h->ctx, host, out, len - dl, dev, ino) < 0)
		return false;
	if (gone && !*ino)   /* a memfd is always " (deleted)" on the host: the guest file says */
		strcat(out, deleted);
	return true;
}

/* The name the guest sees: its own files, heap and stack, the host's vDSO areas, else
 * nothing (host file names and memfds say nothing true about guest files). Linux names
 * [heap] the mapping that overlaps the brk area (vma_is_initial_heap): here the heap
 * shares its mapping with the bss. */
static const char *maps_guest_name(const struct maps_line *m, const struct proc_maps_hints *h,
				   char *file, size_t len, dev_t *dev, uint64_t *ino)
{
	bool anon = m->inode == 0;
	if (maps_name_is_kernel_area(m->name))
		return m->name;
	/* shared anonymous memory: Linux names it so in the guest too */
	if (strcmp(m->name, "/dev/zero (deleted)") == 0)
		return m->name;
	if (maps_guest_file(m, h, file, len, dev, ino))
		return file;
	if (h->stack_top && anon && m->start < h->stack_top && h->stack_top <= m->end)
		return "[stack]";
	if (!h->stack_top && strcmp(m->name, "[stack]") == 0)
		return m->name;
	if (h->brk > h->brk_start && anon && m->start < h->brk && m->end > h->brk_start)
		return "[heap]";
	if (!h->brk && strcmp(m->name, "[heap]") == 0)
		return m->name;
	return "";
}

/* dev is the guest's device of a guest file, 0 for everything else; its inode number is
 * ino, or the host's when 0 (hostfs reports the host's). */
static void maps_emit(struct proc_buf *b, const struct maps_line *m, const char *name, dev_t dev,
		      uint64_t ino)
{
	size_t start = b->len;
	/* a host file's device and inode number would be meaningless in the guest */
	proc_printf(b, "%08lx-%08lx %s %08llx %02x:%02x %lu ", m->start, m->end, m->perms,
		    m->offset, dev ? major(dev) : 0u, dev ? minor(dev) : 0u,
		    dev ? (ino ? (unsigned long)ino : m->inode) : 0UL);
	if (*name) {
		/* Linux pads the header to 72 columns, then one space, then the name */
		pbuf_pad(b, start, 72);
		pbuf_putc(b, ' ');
		pbuf_puts(b, name);
	}
	pbuf_putc(b, '\n');
}

void proc_rewrite_maps(struct proc_buf *b, const char *host, size_t len,
		       const struct proc_maps_hints *h)
{
	const char *p = host, *end = host + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct maps_line m;
		char file[PATH_MAX];
		dev_t dev = 0;
		uint64_t ino = 0;
		if (maps_parse_line(p, n, &m) &&
		    !(m.start < STUB_WINDOW_END && m.end > STUB_WINDOW_START)) {
			const char *name = maps_guest_name(&m, h, file, sizeof(file), &dev, &ino);
			maps_emit(b, &m, name, dev, ino);
		}
		p += n + 1;
	}
}

void proc_format_cpuinfo(struct proc_buf *b, int cpu, const char *host, const char *flags,
			 const char *bogomips)
{
	proc_printf(b, "processor\t: %d\n", cpu);
	proc_printf(b, "vendor_id\t: User Mode Linux\n");
	proc_printf(b, "model name\t: UML\n");
	proc_printf(b, "mode\t\t: skas\n");
	proc_printf(b, "host\t\t: %s\n", host);
	proc_printf(b, "fpu\t\t: %s\n", strstr(flags, "fpu") ? "yes" : "no");
	proc_printf(b, "flags\t\t:%s%s\n", *flags ? " " : "", flags);
	proc_printf(b, "cache_alignment\t: 64\n");
	proc_printf(b, "bogomips\t: %s\n", bogomips);
	proc_printf(b, "\n");
}

void proc_sigmasks_from_actions(const struct k_sigaction *act, uint64_t *ignored, uint64_t *caught)
{
	*ignored = *caught = 0;
	for (int sig = 1; sig < KSIG_MAX; sig++) {
		if (act[sig].handler == (unsigned long)SIG_IGN)
			*ignored |= 1ULL << (sig - 1);
		else if (act[sig].handler != (unsigned long)SIG_DFL)
			*caught |= 1ULL << (sig - 1);
	}
}
