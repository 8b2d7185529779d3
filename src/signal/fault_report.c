/*
 * The kernel log line for a fatal fault, as Linux's show_unhandled_signals prints it:
 *
 *   bash[1]: segfault at 0 ip 00007f0e5a2b1c3d sp 00007ffd1d1c0e80 error 4 in libc.so.6[7f0e5a200000+1000]
 *
 * It is what tells a user (and us) which program died where, without a debugger.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include "kernel/kernel.h"
#include "signal/signal.h"

/* The name of the host mapping holding addr (its last path component), and its start. */
static bool mapping_of(pid_t host_tid, unsigned long addr, char *name, size_t len,
		       unsigned long *start)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d/maps", host_tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	bool found = false;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		int off = 0;
		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &lo, &hi, &off) < 2 || addr < lo || addr >= hi)
			continue;
		line[strcspn(line, "\n")] = 0;
		const char *file = off ? line + off : "";
		const char *base = strrchr(file, '/');
		snprintf(name, len, "%s", base ? base + 1 : *file ? file : "anon");
		*start = lo;
		found = true;
	}
	fclose(f);
	return found;
}

static const char *fault_word(int sig)
{
	switch (sig) {
	case SIGSEGV: return "segfault";
	case SIGBUS:  return "bus error";
	case SIGILL:  return "illegal instruction";
	case SIGFPE:  return "trap divide error";
	default:      return NULL;
	}
}

void signal_report_fault(struct task *t, int sig, const siginfo_t *info)
{
	const char *what = fault_word(sig);
	if (!what || info->si_code <= 0)
		return;   /* sent by a process, not raised by the processor */
	struct k_sigaction *sa = &t->tg->sighand->action[sig];
	if (sa->handler > 1)
		return;   /* the program handles it; Linux stays quiet too */
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, t->host_tid, 0, &r) < 0)
		return;
	char name[128] = "?";
	unsigned long start = 0;
	mapping_of(t->host_tid, r.rip, name, sizeof(name), &start);
	printk("<6>%s[%d]: %s at %lx ip %016llx sp %016llx in %s[%lx+%llx]\n", t->comm, t->tid, what,
	       (unsigned long)info->si_addr, r.rip, r.rsp, name, start, r.rip - start);
	if (getenv("UMLINUX_STRACE"))
		fprintf(stderr, "[%d] %s at %lx ip %llx in %s+%llx\n", t->tid, what,
			(unsigned long)info->si_addr, r.rip, name, r.rip - start);
}
