/*
 * The seccomp filter every task host runs under: the security boundary between guest
 * code and the host. A call is ALLOWed only when its whole effect stays inside the
 * calling host process; everything else stops for the kernel (SECCOMP_RET_TRACE), which
 * emulates it. Non-native entry points (i386 int 0x80, x32) never reach the host.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "platform/platform.h"
#include "platform/seccomp.h"

#define NR_OFF   offsetof(struct seccomp_data, nr)
#define ARCH_OFF offsetof(struct seccomp_data, arch)
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define ARG_HI(i) (ARG_LO(i) + 4)

#define LD(off)        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define JEQ(k, t, f)   BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))
#define JGE(k, t, f)   BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (k), (t), (f))
#define JSET(k, t, f)  BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, (k), (t), (f))
#define RET(v)         BPF_STMT(BPF_RET | BPF_K, (v))

/* The allow-list. Each entry's effect is confined to the calling thread or process. */
static const struct { int nr; const char *why; } always_allowed[] = {
	/* hottest first: the filter tests them in this order */
	{ __NR_clock_gettime, "reads host clocks: guest time is host time" },
	{ __NR_futex, "waits and wakes on guest memory only" },
	{ __NR_gettimeofday, "reads the host clock" },
	{ __NR_rt_sigprocmask, "this thread's mask; the kernel reads it with PTRACE_GETSIGMASK" },
	{ __NR_sched_yield, "gives up the host CPU" },
	{ __NR_time, "reads the host clock" },
	{ __NR_rt_sigreturn, "restores this thread's host-built signal frame" },
	{ __NR_sigaltstack, "this thread's alternate signal stack" },
	{ __NR_rt_sigpending, "this thread's pending set (signals the kernel sent)" },
	{ __NR_rt_sigsuspend, "sleeps this thread until a kernel-sent signal arrives" },
	{ __NR_pause, "sleeps this thread until a kernel-sent signal arrives" },
	{ __NR_set_robust_list, "per-thread robust futex list head" },
	{ __NR_rseq, "per-thread restartable sequence area" },
	{ __NR_arch_prctl, "this thread's FS/GS base and CPU feature state" },
	{ __NR_clock_getres, "reads a host clock's resolution" },
	{ __NR_nanosleep, "sleeps this thread; kernel-sent signals interrupt it" },
	{ __NR_clock_nanosleep, "likewise" },
	{ __NR_restart_syscall, "resumes an interrupted sleep above" },
	{ __NR_getrandom, "fills guest memory from host entropy" },
	{ __NR_exit, "ends this thread; the kernel sees it through ptrace" },
	{ __NR_exit_group, "ends this process; likewise" },
};

/* Calls allowed when arg0..arg1 (address, length) stay clear of the stub window. */
static const int range_checked[] = { __NR_munmap, __NR_mprotect, __NR_madvise };

#define WIN_HI_LO ((unsigned)(STUB_WINDOW_START >> 32))
#define WIN_HI_HI ((unsigned)(STUB_WINDOW_END >> 32))

static size_t emit_range_check(struct sock_filter *p)
{
	/* length < 4 GiB and address high word outside [WIN_HI_LO, WIN_HI_HI): the whole
	 * range then ends before the window or starts after it (the stub sits 4 GiB in). */
	struct sock_filter blk[] = {
		LD(ARG_HI(1)),
		JEQ(0, 1, 0),
		RET(SECCOMP_RET_TRACE),
		LD(ARG_HI(0)),
		JGE(WIN_HI_HI, 2, 0),
		JGE(WIN_HI_LO, 0, 1),
		RET(SECCOMP_RET_TRACE),
		RET(SECCOMP_RET_ALLOW),
	};
	memcpy(p, blk, sizeof(blk));
	return ARRAY_LEN(blk);
}

size_t seccomp_build_filter(struct sock_filter *p, size_t max)
{
	size_t n = 0;
	struct sock_filter head[] = {
		LD(ARCH_OFF),
		JEQ(AUDIT_ARCH_X86_64, 1, 0),
		RET(SECCOMP_RET_ERRNO | ENOSYS),      /* i386 int 0x80 / sysenter */
		LD(NR_OFF),
		JGE(0x40000000, 0, 1),
		RET(SECCOMP_RET_ERRNO | ENOSYS),      /* x32 */
	};
	if (max < 256)
		return 0;
	memcpy(p, head, sizeof(head));
	n = ARRAY_LEN(head);
	for (size_t i = 0; i < ARRAY_LEN(always_allowed); i++) {
		p[n++] = (struct sock_filter)JEQ((unsigned)always_allowed[i].nr, 0, 1);
		p[n++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	}
	for (size_t i = 0; i < ARRAY_LEN(range_checked); i++) {
		p[n++] = (struct sock_filter)JEQ((unsigned)range_checked[i], 0, 8);
		n += emit_range_check(p + n);
		p[n++] = (struct sock_filter)LD(NR_OFF);
	}
	/* mmap: anonymous only (a descriptor number would name a host fd); a fixed address
	 * goes through the range check. The host picks a free address otherwise. */
	struct sock_filter mmap_blk[] = {
		JEQ(__NR_mmap, 0, 13),
		LD(ARG_LO(3)),
		JSET(MAP_ANONYMOUS, 1, 0),
		RET(SECCOMP_RET_TRACE),
		JSET(MAP_FIXED | MAP_FIXED_NOREPLACE, 1, 0),
		RET(SECCOMP_RET_ALLOW),
	};
	memcpy(p + n, mmap_blk, sizeof(mmap_blk));
	n += ARRAY_LEN(mmap_blk);
	n += emit_range_check(p + n);
	p[n++] = (struct sock_filter)RET(SECCOMP_RET_TRACE);
	return n;
}

int seccomp_install(void)
{
	struct sock_filter prog[256];
	struct sock_fprog fprog = { .len = (unsigned short)seccomp_build_filter(prog, 256), .filter = prog };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
		return -errno;
	return 0;
}

const char *seccomp_allow_reason(int nr)
{
	for (size_t i = 0; i < ARRAY_LEN(always_allowed); i++)
		if (always_allowed[i].nr == nr)
			return always_allowed[i].why;
	for (size_t i = 0; i < ARRAY_LEN(range_checked); i++)
		if (range_checked[i] == nr)
			return "guest's own mappings, never the stub window";
	if (nr == __NR_mmap)
		return "anonymous memory; fixed addresses only outside the stub window";
	return NULL;
}
