/* Memory accounting for /proc/meminfo, sysinfo(2) and the OOM check (see meminfo.h). */
#include <stdlib.h>
#include "fs/proc/hostproc.h"
#include "kernel/kernel.h"
#include "mm/meminfo.h"

#define DEFAULT_MEM (64ULL << 20)   /* the command line's default for mem= */

static uint64_t total_bytes = DEFAULT_MEM;

void mem_set_total(uint64_t bytes)
{
	total_bytes = bytes;
}

uint64_t mem_total_bytes(void)
{
	return total_bytes;
}

static bool seen_before(struct list_head *upto, pid_t host_tgid)
{
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		if (p == upto)
			return false;
		if (list_entry(p, struct task, all_link)->tg->host_tgid == host_tgid)
			return true;
	}
	return false;
}

size_t mem_host_pids(pid_t *out, size_t max)
{
	size_t n = 0;
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		pid_t h = list_entry(p, struct task, all_link)->tg->host_tgid;
		if (h <= 0 || seen_before(p, h))
			continue;
		if (n < max)
			out[n] = h;
		n++;
	}
	return n;
}

uint64_t mem_used_bytes(void)
{
	size_t n = mem_host_pids(NULL, 0);
	pid_t *pids = calloc(n ? n : 1, sizeof(*pids));
	if (!pids)
		return 0;
	n = mem_host_pids(pids, n);
	uint64_t kb = 0;
	for (size_t i = 0; i < n; i++) {
		long long rss = hostproc_status_kb(pids[i], 0, "VmRSS");
		if (rss > 0)
			kb += (uint64_t)rss;
	}
	free(pids);
	return kb * 1024;
}
