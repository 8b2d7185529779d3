/*
 * Memory accounting: mem= bounds the guest, and what it uses is what its task hosts
 * hold in host memory.
 */
#ifndef UMLINUX_MM_MEMINFO_H
#define UMLINUX_MM_MEMINFO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

void mem_set_total(uint64_t bytes);   /* mem= (and MConsole's config mem=+/-) */
uint64_t mem_total_bytes(void);
/* The resident memory of all task hosts, each host process counted once. */
uint64_t mem_used_bytes(void);

/* The host pids of the task hosts, each once (threads share one). Returns how many
 * there are; at most max are stored. */
size_t mem_host_pids(pid_t *out, size_t max);

#endif
