/* sigaltstack: SA_ONSTACK handler runs on the alternate stack (and knows it:
 * SS_ONSTACK), handlers without SA_ONSTACK do not, EPERM when changing it
 * while on it, ENOMEM for a too small stack, SS_DISABLE, EINVAL for bad
 * flags, and recovery from stack overflow (SIGSEGV on the alt stack). */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>

static char *alt;
static size_t altsz = 256 * 1024;
static volatile int on_alt, flags_onstack, change_err, nested_on_alt;

static int addr_on_alt(void *p)
{
	return (char *)p >= alt && (char *)p < alt + altsz;
}

static void handler(int sig)
{
	volatile char local;
	on_alt = addr_on_alt((void *)&local);
	stack_t cur;
	sigaltstack(NULL, &cur);
	flags_onstack = (cur.ss_flags & SS_ONSTACK) != 0;
	stack_t n = { .ss_sp = alt, .ss_size = altsz, .ss_flags = 0 };
	change_err = sigaltstack(&n, NULL) == -1 ? errno : 0;
	if (sig == SIGUSR1)
		raise(SIGUSR2);   /* nested: stays on the alt stack */
}

static void handler2(int sig)
{
	(void)sig;
	volatile char local;
	nested_on_alt = addr_on_alt((void *)&local);
}

static volatile int recurse_limit = 1 << 30;
static int recurse(int n)
{
	volatile char pad[1024];
	pad[0] = (char)n;
	if (n > recurse_limit)
		return 0;
	return recurse(n + 1) + pad[0];
}

static void segv_handler(int sig)
{
	(void)sig;
	volatile char local;
	_exit(addr_on_alt((void *)&local) ? 42 : 43);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	stack_t ss, old;

	CHECK_ERRNO(sigaltstack(NULL, &old), "query initial sigaltstack");
	SHOW_BOOL("initially disabled", (old.ss_flags & SS_DISABLE) != 0);

	alt = mmap(NULL, altsz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ss.ss_sp = alt;
	ss.ss_size = 1024;
	ss.ss_flags = 0;
	CHECK_ERRNO(sigaltstack(&ss, NULL), "sigaltstack too small");
	ss.ss_size = altsz;
	ss.ss_flags = 0x1234;
	CHECK_ERRNO(sigaltstack(&ss, NULL), "sigaltstack bad flags");
	ss.ss_flags = 0;
	CHECK_ERRNO(sigaltstack(&ss, NULL), "sigaltstack install");
	sigaltstack(NULL, &old);
	SHOW_BOOL("query returns our stack", old.ss_sp == alt && old.ss_size == altsz);
	SHOW_INT("query flags outside handler", old.ss_flags);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = handler2;
	sa.sa_flags = 0;   /* no SA_ONSTACK, but nested inside an alt-stack handler */
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR1);
	SHOW_INT("SA_ONSTACK handler runs on alt stack", on_alt);
	SHOW_INT("SS_ONSTACK reported inside handler", flags_onstack);
	SHOW_ERR("changing alt stack while on it", change_err);
	SHOW_INT("nested handler (no SA_ONSTACK) stays on alt stack", nested_on_alt);

	sa.sa_handler = handler;
	sa.sa_flags = 0;
	sigaction(SIGHUP, &sa, NULL);
	raise(SIGHUP);
	SHOW_INT("handler without SA_ONSTACK runs on alt stack", on_alt);
	SHOW_INT("  SS_ONSTACK reported", flags_onstack);
	SHOW_ERR("  changing alt stack from normal stack", change_err);

	/* threads/forks inherit? fork: yes */
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		stack_t c;
		sigaltstack(NULL, &c);
		_exit(c.ss_sp == alt && !(c.ss_flags & SS_DISABLE) ? 0 : 1);
	}
	SHOW_STATUS("child inherits alt stack (0=yes)", wait_for(p));

	ss.ss_flags = SS_DISABLE;
	CHECK_ERRNO(sigaltstack(&ss, NULL), "SS_DISABLE");
	sigaltstack(NULL, &old);
	SHOW_BOOL("disabled after SS_DISABLE", (old.ss_flags & SS_DISABLE) != 0);
	sa.sa_handler = handler;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGUSR2, SIG_IGN);
	raise(SIGUSR1);
	SHOW_INT("SA_ONSTACK with disabled alt stack runs on alt stack", on_alt);

	/* stack overflow caught on the alt stack */
	fflush(stdout);
	p = fork();
	if (p == 0) {
		struct rlimit rl = { 1 << 20, 1 << 20 };
		setrlimit(RLIMIT_STACK, &rl);
		stack_t s2 = { .ss_sp = alt, .ss_size = altsz, .ss_flags = 0 };
		sigaltstack(&s2, NULL);
		struct sigaction sv;
		memset(&sv, 0, sizeof sv);
		sv.sa_handler = segv_handler;
		sv.sa_flags = SA_ONSTACK;
		sigaction(SIGSEGV, &sv, NULL);
		recurse(0);
		_exit(1);
	}
	SHOW_STATUS("stack overflow handled on alt stack (42=yes)", wait_for(p));

	/* without an alt stack the overflow is fatal even with a handler */
	fflush(stdout);
	p = fork();
	if (p == 0) {
		struct rlimit rl = { 1 << 20, 1 << 20 };
		setrlimit(RLIMIT_STACK, &rl);
		struct sigaction sv;
		memset(&sv, 0, sizeof sv);
		sv.sa_handler = segv_handler;
		sigaction(SIGSEGV, &sv, NULL);
		recurse(0);
		_exit(1);
	}
	SHOW_STATUS("stack overflow without alt stack", wait_for(p));
	return 0;
}
