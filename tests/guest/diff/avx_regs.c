/* Vector register preservation across signal delivery and blocking system
 * calls: fill the SSE (xmm0-15), AVX (ymm0-15 upper halves) and AVX-512
 * (zmm0-31, k1-k7) registers with known values inside one asm block, take
 * a signal whose handler clobbers all of them, block in read() on a pipe
 * (interrupted by another clobbering signal and restarted with SA_RESTART)
 * until a child writes, then check every register.  Also MXCSR/x87 control
 * words across a signal, and registers across sched_yield while another
 * process uses different values.  Each check prints only ok / not ok
 * (a check the CPU cannot do prints ok). */
#include "check.h"
#include <stdint.h>
#include <sys/syscall.h>

static int has512, has2;

struct ctx {
	void *src;     /* 0 */
	void *dst;     /* 8 */
	long pid;      /* 16 */
	long fd;       /* 24 */
	void *buf;     /* 32 */
	void *kin;     /* 40 */
	void *kout;    /* 48 */
	long rread;    /* 56 */
	long rkill;    /* 64 */
	long yields;   /* 72 */
};

static uint8_t src[32 * 64] __attribute__((aligned(64)));
static uint8_t dst[32 * 64] __attribute__((aligned(64)));
static uint64_t kin[8], kout[8];
static char rbuf[8];

#define R8(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7)
#define R16(M) R8(M) M(8) M(9) M(10) M(11) M(12) M(13) M(14) M(15)
#define R32(M) R16(M) M(16) M(17) M(18) M(19) M(20) M(21) M(22) M(23) \
	M(24) M(25) M(26) M(27) M(28) M(29) M(30) M(31)

#define LDZ(n) "vmovdqu64 " #n "*64(%%rax), %%zmm" #n "\n\t"
#define STZ(n) "vmovdqu64 %%zmm" #n ", " #n "*64(%%rax)\n\t"
#define LDY(n) "vmovdqu " #n "*32(%%rax), %%ymm" #n "\n\t"
#define STY(n) "vmovdqu %%ymm" #n ", " #n "*32(%%rax)\n\t"
#define LDX(n) "movdqu " #n "*16(%%rax), %%xmm" #n "\n\t"
#define STX(n) "movdqu %%xmm" #n ", " #n "*16(%%rax)\n\t"
#define K7(M) M(1) M(2) M(3) M(4) M(5) M(6) M(7)
#define LDK(n) "kmovq " #n "*8(%%rax), %%k" #n "\n\t"
#define STK(n) "kmovq %%k" #n ", " #n "*8(%%rax)\n\t"
#define CLX(n) "pcmpeqd %%xmm" #n ", %%xmm" #n "\n\t"
#define CLY(n) "vpcmpeqd %%ymm" #n ", %%ymm" #n ", %%ymm" #n "\n\t"
#define CLZ(n) "vpternlogd $0xff, %%zmm" #n ", %%zmm" #n ", %%zmm" #n "\n\t"
#define CLK(n) "kxnorq %%k0, %%k0, %%k" #n "\n\t"

#define XCLOB "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", \
	"xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"
#define ZCLOB XCLOB, "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", \
	"xmm23", "xmm24", "xmm25", "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31", \
	"k1", "k2", "k3", "k4", "k5", "k6", "k7"

/* the syscall part shared by all variants: kill(pid, SIGUSR1); read(fd, buf, 1) */
#define SYSCALLS \
	"mov $62, %%eax\n\tmov 16(%%rbx), %%rdi\n\tmov $10, %%esi\n\tsyscall\n\t" \
	"mov %%rax, 64(%%rbx)\n\t" \
	"1: xor %%eax, %%eax\n\tmov 24(%%rbx), %%rdi\n\tmov 32(%%rbx), %%rsi\n\tmov $1, %%edx\n\tsyscall\n\t" \
	"cmp $-4, %%rax\n\tje 1b\n\t" \
	"mov %%rax, 56(%%rbx)\n\t"

/* the sched_yield loop: yields 200 times */
#define YIELDS \
	"mov $200, %%r12d\n\t" \
	"2: mov $24, %%eax\n\tsyscall\n\tdec %%r12d\n\tjnz 2b\n\t"

__attribute__((target("avx512f,avx512bw"))) static void clobber512(void)
{
	__asm__ volatile(R32(CLZ) K7(CLK) ::: ZCLOB);
}
__attribute__((target("avx2"))) static void clobber256(void)
{
	__asm__ volatile(R16(CLY) ::: XCLOB);
}
static void clobber128(void)
{
	__asm__ volatile(R16(CLX) ::: XCLOB);
}

static volatile int handled;
static void handler(int sig)
{
	(void)sig;
	handled++;
	if (has512)
		clobber512();
	else if (has2)
		clobber256();
	clobber128();
}

__attribute__((target("avx512f,avx512bw"))) static void run512(struct ctx *c, int yields)
{
	if (yields)
		__asm__ volatile("mov (%%rbx), %%rax\n\t" R32(LDZ) "mov 40(%%rbx), %%rax\n\t" K7(LDK)
				 YIELDS
				 "mov 8(%%rbx), %%rax\n\t" R32(STZ) "mov 48(%%rbx), %%rax\n\t" K7(STK)
				 : : "b"(c) : "rax", "rcx", "rdx", "rsi", "rdi", "r11", "r12", "memory", ZCLOB);
	else
		__asm__ volatile("mov (%%rbx), %%rax\n\t" R32(LDZ) "mov 40(%%rbx), %%rax\n\t" K7(LDK)
				 SYSCALLS
				 "mov 8(%%rbx), %%rax\n\t" R32(STZ) "mov 48(%%rbx), %%rax\n\t" K7(STK)
				 : : "b"(c) : "rax", "rcx", "rdx", "rsi", "rdi", "r11", "r12", "memory", ZCLOB);
}

__attribute__((target("avx2"))) static void run256(struct ctx *c, int yields)
{
	if (yields)
		__asm__ volatile("mov (%%rbx), %%rax\n\t" R16(LDY) YIELDS "mov 8(%%rbx), %%rax\n\t" R16(STY)
				 : : "b"(c) : "rax", "rcx", "rdx", "rsi", "rdi", "r11", "r12", "memory", XCLOB);
	else
		__asm__ volatile("mov (%%rbx), %%rax\n\t" R16(LDY) SYSCALLS "mov 8(%%rbx), %%rax\n\t" R16(STY)
				 : : "b"(c) : "rax", "rcx", "rdx", "rsi", "rdi", "r11", "r12", "memory", XCLOB);
}

static void run128(struct ctx *c, int yields)
{
	if (yields)
		__asm__ volatile("mov (%%rbx), %%rax\n\t" R16(LDX) YIELDS "mov 8(%%rbx), %%rax\n\t" R16(STX)
				 : : "b"(c) : "rax", "rcx", "rdx", "rsi", "rdi", "r11", "r12", "memory", XCLOB);
	else
		__asm__ volatile("mov (%%rbx), %%rax\n\t" R16(LDX) SYSCALLS "mov 8(%%rbx), %%rax\n\t" R16(STX)
				 : : "b"(c) : "rax", "rcx", "rdx", "rsi", "rdi", "r11", "r12", "memory", XCLOB);
}

static void fill(unsigned seed)
{
	for (unsigned i = 0; i < sizeof src; i++)
		src[i] = (uint8_t)(i * 7 + seed * 13 + (i >> 6) * 31 + 1);
	for (int i = 0; i < 8; i++)
		kin[i] = 0x0123456789abcdefULL * (i + 1) ^ (seed * 0x1111);
	memset(dst, 0, sizeof dst);
	memset(kout, 0, sizeof kout);
}

/* size: bytes per register, n: registers */
static int same(int size, int n, int k)
{
	for (int r = 0; r < n; r++)
		if (memcmp(src + r * size, dst + r * size, size) != 0)
			return 0;
	for (int i = 1; i <= 7 && k; i++)
		if (kin[i] != kout[i])
			return 0;
	return 1;
}

/* one round: signal + blocking read.  Returns 1 if all registers survived. */
static int round_trip(int kind)
{
	int pfd[2];
	pipe(pfd);
	pid_t me = getpid();
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		close(pfd[0]);
		msleep(60);
		kill(me, SIGUSR2);   /* interrupts the blocked read; restarted */
		msleep(60);
		write(pfd[1], "x", 1);
		_exit(0);
	}
	close(pfd[1]);
	fill(kind);
	struct ctx c = { src, dst, me, pfd[0], rbuf, kin, kout, 0, 0, 0 };
	handled = 0;
	if (kind == 512)
		run512(&c, 0);
	else if (kind == 256)
		run256(&c, 0);
	else
		run128(&c, 0);
	wait_for(p);
	close(pfd[0]);
	int ok = c.rread == 1 && c.rkill == 0 && handled == 2;
	if (kind == 512)
		ok = ok && same(64, 32, 1);
	else if (kind == 256)
		ok = ok && same(32, 16, 0);
	else
		ok = ok && same(16, 16, 0);
	if (!ok)
		printf("  (%d: read=%ld kill=%ld handled=%d)\n", kind, c.rread, c.rkill, handled);
	return ok;
}

static int yield_round(int kind)
{
	/* parent and child both run the yield loop with different values */
	fflush(stdout);
	pid_t p = fork();
	int ok;
	struct ctx c = { src, dst, 0, 0, rbuf, kin, kout, 0, 0, 0 };
	fill(p == 0 ? 1000 + kind : kind);
	if (kind == 512)
		run512(&c, 1), ok = same(64, 32, 1);
	else if (kind == 256)
		run256(&c, 1), ok = same(32, 16, 0);
	else
		run128(&c, 1), ok = same(16, 16, 0);
	if (p == 0)
		_exit(ok ? 0 : 1);
	int st = wait_for(p);
	return ok && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static volatile uint32_t h_mxcsr;
static void mxcsr_handler(int sig)
{
	(void)sig;
	uint32_t v;
	__asm__ volatile("stmxcsr %0" : "=m"(v));
	h_mxcsr = v;
	v = 0x1f80;   /* default, round to nearest */
	__asm__ volatile("ldmxcsr %0" : : "m"(v));
	uint16_t cw = 0x037f;
	__asm__ volatile("fldcw %0" : : "m"(cw));
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	__builtin_cpu_init();
	has512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
	has2 = __builtin_cpu_supports("avx2");

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);

	SHOW_OK("xmm0-15 preserved across signal + blocking read", round_trip(128));
	SHOW_OK("ymm0-15 preserved across signal + blocking read", !has2 || round_trip(256));
	SHOW_OK("zmm0-31,k1-7 preserved across signal + blocking read", !has512 || round_trip(512));
	SHOW_OK("xmm0-15 preserved across sched_yield with another process", yield_round(128));
	SHOW_OK("ymm0-15 preserved across sched_yield with another process", !has2 || yield_round(256));
	SHOW_OK("zmm0-31,k1-7 preserved across sched_yield with another process", !has512 || yield_round(512));

	/* MXCSR and x87 control word: handler starts with the defaults? (Linux:
	 * the handler gets a fresh FPU state with default MXCSR) and the
	 * interrupted context gets its own values back */
	sa.sa_handler = mxcsr_handler;
	sigaction(SIGUSR1, &sa, NULL);
	uint32_t m = 0x7f80;   /* round toward zero (RC=11) | all masked */
	__asm__ volatile("ldmxcsr %0" : : "m"(m));
	uint16_t cw = 0x0f7f;  /* x87 round toward zero */
	__asm__ volatile("fldcw %0" : : "m"(cw));
	raise(SIGUSR1);
	uint32_t after;
	uint16_t cwa;
	__asm__ volatile("stmxcsr %0" : "=m"(after));
	__asm__ volatile("fnstcw %0" : "=m"(cwa));
	SHOW_OK("MXCSR preserved across signal", (after & 0xffc0) == 0x7f80);
	SHOW_OK("x87 control word preserved across signal", cwa == 0x0f7f);
	SHOW_OK("handler starts with default MXCSR", (h_mxcsr & 0xffc0) == 0x1f80);
	m = 0x1f80;
	__asm__ volatile("ldmxcsr %0" : : "m"(m));
	cw = 0x037f;
	__asm__ volatile("fldcw %0" : : "m"(cw));

	/* MXCSR inherited across fork */
	m = 0x7f80;
	__asm__ volatile("ldmxcsr %0" : : "m"(m));
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		uint32_t v;
		__asm__ volatile("stmxcsr %0" : "=m"(v));
		_exit((v & 0xffc0) == 0x7f80 ? 0 : 1);
	}
	int st = wait_for(p);
	m = 0x1f80;
	__asm__ volatile("ldmxcsr %0" : : "m"(m));
	SHOW_OK("MXCSR inherited across fork", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return 0;
}
