/* synchronous fault signals and default actions: SIGSEGV (SEGV_MAPERR,
 * SEGV_ACCERR, si_addr), SIGBUS (BUS_ADRERR past end of a mapped file),
 * SIGFPE (FPE_INTDIV), SIGILL (ud2), SIGTRAP (int3), recovery with
 * siglongjmp, a blocked/ignored fault signal is still fatal; termination
 * statuses of the default actions (term, core, ignore, stop). */
#include "check.h"
#include <setjmp.h>
#include <stdint.h>
#include <sys/mman.h>

static sigjmp_buf jb;
static volatile int f_signo, f_code;
static void *volatile f_addr;
static void *volatile ud_addr;

static void fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	f_signo = sig;
	f_code = si->si_code;
	f_addr = si->si_addr;
	siglongjmp(jb, 1);
}

static const char *code_name(int sig, int c)
{
	if (c == SI_KERNEL) return "SI_KERNEL";
	if (c == SI_USER) return "SI_USER";
	if (c == SI_TKILL) return "SI_TKILL";
	switch (sig) {
	case SIGSEGV:
		if (c == SEGV_MAPERR) return "SEGV_MAPERR";
		if (c == SEGV_ACCERR) return "SEGV_ACCERR";
		break;
	case SIGBUS:
		if (c == BUS_ADRERR) return "BUS_ADRERR";
		if (c == BUS_ADRALN) return "BUS_ADRALN";
		if (c == BUS_OBJERR) return "BUS_OBJERR";
		break;
	case SIGFPE:
		if (c == FPE_INTDIV) return "FPE_INTDIV";
		if (c == FPE_INTOVF) return "FPE_INTOVF";
		break;
	case SIGILL:
		if (c == ILL_ILLOPN) return "ILL_ILLOPN";
		if (c == ILL_ILLOPC) return "ILL_ILLOPC";
		break;
	case SIGTRAP:
		if (c == TRAP_BRKPT) return "TRAP_BRKPT";
		break;
	}
	static char b[16];
	snprintf(b, sizeof b, "%d", c);
	return b;
}

static void report(const char *label, void *expect_addr, int check_addr)
{
	printf("%s: %s %s", label, signame(f_signo), code_name(f_signo, f_code));
	if (check_addr)
		printf(" si_addr_ok=%d", f_addr == expect_addr);
	printf("\n");
}

static volatile int zero = 0;

static int run_child(void (*fn)(void))
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		fn();
		_exit(0);
	}
	return wait_for(p);
}

static void do_segv(void) { *(volatile int *)8 = 1; }
static void do_fpe(void) { volatile int a = 1; a = a / zero; }
static void do_ill(void) { __asm__ volatile("ud2"); }
static void do_trap(void) { __asm__ volatile("int3"); }
static void do_abort(void) { abort(); }
static void blocked_segv(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGSEGV);
	sigprocmask(SIG_BLOCK, &s, NULL);
	do_segv();
}
static void ignored_segv(void)
{
	signal(SIGSEGV, SIG_IGN);
	do_segv();
}
static void ignored_fpe(void)
{
	signal(SIGFPE, SIG_IGN);
	do_fpe();
}
static void raise_segv_ignored(void)
{
	signal(SIGSEGV, SIG_IGN);
	raise(SIGSEGV);   /* a sent (not fault) SIGSEGV is just ignored */
	_exit(7);
}
static int dsig;
static void self_kill(void) { kill(getpid(), dsig); msleep(200); _exit(0); }

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };
	for (int i = 0; i < 5; i++)
		sigaction(sigs[i], &sa, NULL);
	long pg = sysconf(_SC_PAGESIZE);

	/* unmapped address */
	if (!sigsetjmp(jb, 1))
		*(volatile int *)16 = 1;
	report("write to address 16", (void *)16, 1);

	char *m = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(m + pg, pg);
	if (!sigsetjmp(jb, 1))
		(void)*(volatile char *)(m + pg + 5);
	report("read from munmapped page", m + pg + 5, 1);

	/* read-only page */
	mprotect(m, pg, PROT_READ);
	if (!sigsetjmp(jb, 1))
		m[100] = 1;
	report("write to PROT_READ page", m + 100, 1);
	mprotect(m, pg, PROT_NONE);
	if (!sigsetjmp(jb, 1))
		(void)*(volatile char *)(m + 7);
	report("read from PROT_NONE page", m + 7, 1);
	mprotect(m, pg, PROT_READ | PROT_WRITE);
	m[100] = 5;
	SHOW_INT("after mprotect RW the page is writable", m[100]);

	/* execute a non-executable page */
	m[0] = (char)0xc3;   /* ret */
	if (!sigsetjmp(jb, 1))
		((void (*)(void))m)();
	report("call into non-exec page", m, 1);
	mprotect(m, pg, PROT_READ | PROT_EXEC);
	int ran = 0;
	if (!sigsetjmp(jb, 1)) {
		((void (*)(void))m)();
		ran = 1;
	}
	SHOW_INT("call into PROT_EXEC page returns", ran);

	/* write to text */
	if (!sigsetjmp(jb, 1))
		*(volatile char *)(void *)test_main = 0;
	report("write to program text", (void *)test_main, 1);

	/* non-canonical address: SIGSEGV SI_KERNEL, si_addr 0 */
	if (!sigsetjmp(jb, 1))
		(void)*(volatile long *)0x8000000000000000UL;
	report("read non-canonical address", NULL, 1);

	/* SIGBUS: past the end of a file mapping */
	int fd = open("small", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "hello", 5);
	char *fm = mmap(NULL, 2 * pg, PROT_READ, MAP_SHARED, fd, 0);
	SHOW_INT("read inside file mapping", fm[0]);
	SHOW_INT("read past EOF in last page is zero", fm[100]);
	if (!sigsetjmp(jb, 1))
		(void)*(volatile char *)(fm + pg + 1);
	report("read page beyond EOF", fm + pg + 1, 1);
	ftruncate(fd, 0);
	if (!sigsetjmp(jb, 1))
		(void)*(volatile char *)(fm + 1);
	report("read after truncating file to 0", fm + 1, 1);
	close(fd);

	/* SIGFPE */
	if (!sigsetjmp(jb, 1)) {
		volatile int a = 7;
		a = a / zero;
	}
	report("integer divide by zero", NULL, 0);
	if (!sigsetjmp(jb, 1)) {
		volatile long a = INT64_MIN, b = -1;
		a = a / b;
	}
	report("INT64_MIN / -1", NULL, 0);
	volatile double d = 1.0 / (double)zero;
	SHOW_BOOL("float divide by zero does not trap (inf)", d > 1e300);

	/* SIGILL, SIGTRAP */
	if (!sigsetjmp(jb, 1)) {
		__asm__ volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, %0\n\t1: ud2"
				 : "=m"(ud_addr) : : "rax", "memory");
	}
	report("ud2", ud_addr, 1);
	if (!sigsetjmp(jb, 1))
		__asm__ volatile("int3");
	report("int3", NULL, 0);
	/* privileged instruction: hlt -> SIGSEGV SI_KERNEL */
	if (!sigsetjmp(jb, 1))
		__asm__ volatile("hlt");
	report("hlt", NULL, 0);

	/* default actions */
	for (int i = 0; i < 5; i++)
		signal(sigs[i], SIG_DFL);
	printf("default SIGSEGV: %s\n", status_str(run_child(do_segv)));
	printf("default SIGFPE: %s\n", status_str(run_child(do_fpe)));
	printf("default SIGILL: %s\n", status_str(run_child(do_ill)));
	printf("default SIGTRAP: %s\n", status_str(run_child(do_trap)));
	printf("abort(): %s\n", status_str(run_child(do_abort)));
	printf("blocked SIGSEGV fault: %s\n", status_str(run_child(blocked_segv)));
	printf("ignored SIGSEGV fault: %s\n", status_str(run_child(ignored_segv)));
	printf("ignored SIGFPE fault: %s\n", status_str(run_child(ignored_fpe)));
	printf("raise(SIGSEGV) while ignored: %s\n", status_str(run_child(raise_segv_ignored)));

	int all[] = { SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE,
		      SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGSTKFLT, SIGCHLD,
		      SIGCONT, SIGURG, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGIO,
		      SIGPWR, SIGSYS, SIGRTMIN, SIGRTMAX };
	for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++) {
		dsig = all[i];
		printf("kill(self, %s) default action: %s\n", signame(dsig), status_str(run_child(self_kill)));
	}
	return 0;
}
