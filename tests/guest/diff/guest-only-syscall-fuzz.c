/* Guest only: hostile system calls. Children make thousands of calls with random
 * numbers and arguments (wild pointers, huge lengths, pointers into a valid buffer of
 * random bytes, small integers); they may die of anything, but the kernel must keep
 * serving: afterwards a fork, a pipe and a wait still work. Run under the sanitized
 * kernel by tests/guest/test-sanitized.sh. Prints only ok / not ok. */
#include <sys/syscall.h>
#include "check.h"

static unsigned long long rng_state;
static unsigned long long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Calls that would end or hang the experiment itself rather than probe the kernel. */
static int excluded(long nr)
{
	switch (nr) {
	case SYS_kill: case SYS_tkill: case SYS_tgkill: case SYS_rt_sigqueueinfo:
	case SYS_rt_tgsigqueueinfo: case SYS_exit: case SYS_exit_group: case SYS_reboot:
	case SYS_fork: case SYS_vfork: case SYS_clone: case SYS_clone3: case SYS_execve:
	case SYS_execveat: case SYS_pause: case SYS_rt_sigsuspend: case SYS_nanosleep:
	case SYS_clock_nanosleep: case SYS_rt_sigreturn: case SYS_setsid: case SYS_setpgid:
	case SYS_alarm: case SYS_setitimer: case SYS_rt_sigprocmask: case SYS_rt_sigaction:
	case SYS_umount2: case SYS_mount: case SYS_chroot: case SYS_pivot_root:
	case SYS_seccomp: case SYS_prctl: case SYS_ptrace: case SYS_vhangup:
		return 1;
	}
	return 0;
}

static char buf[8192];

static unsigned long arg(void)
{
	switch (rng() % 8) {
	case 0: return 0;
	case 1: return rng() % 64;                           /* small: fds, flags, counts */
	case 2: return (unsigned long)buf + rng() % sizeof(buf); /* valid, random bytes */
	case 3: return rng();                                /* wild */
	case 4: return (unsigned long)-1 - rng() % 4096;     /* -errno-like, huge lengths */
	case 5: return 0x600100000000UL + rng() % 0x10000;   /* the stub's window */
	case 6: return 0x7fffffffe000UL + rng() % 0x4000;    /* around the top of memory */
	default: return rng() & 0xffffffffUL;
	}
}

static void fuzz_child(unsigned seed)
{
	rng_state = 0x9e3779b97f4a7c15ULL ^ seed;
	int null = open("/dev/null", O_RDWR);
	dup2(null, 0); dup2(null, 1); dup2(null, 2);
	ualarm(300000, 0);   /* a call that parks for good ends the child, not the test */
	for (int i = 0; i < 400; i++) {
		for (size_t k = 0; k < sizeof(buf); k += 8)
			*(unsigned long long *)(buf + k) = rng();
		long nr = (long)(rng() % 460);
		if (excluded(nr))
			continue;
		syscall(nr, arg(), arg(), arg(), arg(), arg(), arg());
	}
	_exit(0);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	int survived = 0, children = 24;
	for (int c = 0; c < children; c++) {
		fflush(stdout);
		pid_t p = fork();
		if (p == 0)
			fuzz_child((unsigned)c * 7919u + 1);
		/* a child may also end up stopped (a random timer can raise SIGSTOP): give each
		 * two seconds, then SIGKILL, which ends any guest process */
		int reaped = 0;
		for (int ms = 0; p > 0 && ms < 2000 && !reaped; ms += 10) {
			reaped = waitpid(p, NULL, WNOHANG) == p;
			if (!reaped)
				usleep(10000);
		}
		if (p > 0 && !reaped) {
			kill(p, SIGKILL);
			reaped = waitpid(p, NULL, 0) == p;
		}
		survived += reaped;
	}
	printf("every fuzzing child was reaped: %s\n", survived == children ? "ok" : "not ok");
	int fds[2];
	char c = 0;
	int ok = pipe(fds) == 0;
	pid_t p = fork();
	if (p == 0) {
		_exit(write(fds[1], "k", 1) == 1 ? 0 : 1);
	}
	int st = 0;
	ok = ok && p > 0 && read(fds[0], &c, 1) == 1 && c == 'k' && waitpid(p, &st, 0) == p &&
	     WIFEXITED(st) && WEXITSTATUS(st) == 0;
	printf("kernel still serves fork, pipe and wait: %s\n", ok ? "ok" : "not ok");
	return 0;
}
