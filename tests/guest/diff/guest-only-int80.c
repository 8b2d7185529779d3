/* Guest only (natively, with IA-32 emulation, int 0x80 just works): a
 * 32-bit system call via int 0x80 from 64-bit code must not be executed
 * behind the guest kernel's back.  Acceptable outcomes: it returns -ENOSYS,
 * or the process dies of SIGSEGV or SIGSYS.  Prints only ok / not ok. */
#include "check.h"

static long int80(long nr, long a1)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a1) : "memory");
	return ret;
}

static void verdict(const char *label, int st)
{
	int ok = (WIFEXITED(st) && WEXITSTATUS(st) == 0) ||
		 (WIFSIGNALED(st) && (WTERMSIG(st) == SIGSEGV || WTERMSIG(st) == SIGSYS));
	if (ok)
		printf("%s: ok\n", label);
	else
		printf("%s: not ok (%s)\n", label, status_str(st));
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		long r = int80(20 /* i386 getpid */, 0);
		_exit(r == -38 /* -ENOSYS */ ? 0 : 1);
	}
	verdict("int 0x80 getpid: -ENOSYS or SIGSEGV/SIGSYS", wait_for(p));

	fflush(stdout);
	p = fork();
	if (p == 0) {
		long r = int80(1 /* i386 exit */, 77);
		_exit(r == -38 ? 0 : 2);
	}
	verdict("int 0x80 exit(77) is not executed", wait_for(p));

	/* the parent is unaffected */
	SHOW_OK("parent still running", getpid() > 1);
	return 0;
}
