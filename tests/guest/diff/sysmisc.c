/* miscellaneous system calls: uname (sysname, machine), getrandom (lengths,
 * flags, errors), sysinfo sanity, times/getrusage non-negative and errors,
 * prctl PR_SET_NAME/PR_GET_NAME (truncation, per thread), getpriority/
 * setpriority/nice, sched_getscheduler/sched_yield/sched_getaffinity,
 * personality, arch_prctl ARCH_GET_FS, getcpu, umask, gettid. */
#include "check.h"
#include <sched.h>
#include <sys/random.h>
#include <sys/sysinfo.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/personality.h>
#include <asm/prctl.h>

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;

	struct utsname u;
	CHECK_ERRNO(uname(&u), "uname");
	SHOW_STR("sysname", u.sysname);
	SHOW_STR("machine", u.machine);
	SHOW_BOOL("release non-empty", u.release[0] != 0);
	SHOW_BOOL("version non-empty", u.version[0] != 0);
	SHOW_BOOL("nodename non-empty", u.nodename[0] != 0);
	CHECK_ERRNO(syscall(SYS_uname, (void *)1), "uname bad pointer");

	unsigned char r1[64], r2[64];
	CHECK_VAL(getrandom(r1, sizeof r1, 0), "getrandom 64");
	CHECK_VAL(getrandom(r2, sizeof r2, GRND_NONBLOCK), "getrandom 64 GRND_NONBLOCK");
	SHOW_BOOL("two getrandom results differ", memcmp(r1, r2, sizeof r1) != 0);
	CHECK_VAL(getrandom(r1, 0, 0), "getrandom 0");
	CHECK_VAL(getrandom(r1, 1, GRND_RANDOM), "getrandom 1 GRND_RANDOM");
	static unsigned char big[1 << 20];
	long got = getrandom(big, sizeof big, 0);
	SHOW_BOOL("getrandom 1 MiB returns > 0 (may be partial)", got > 0);
	CHECK_ERRNO(getrandom(r1, 8, 0x100), "getrandom bad flags");
	CHECK_ERRNO(syscall(SYS_getrandom, (void *)1, 8, 0), "getrandom bad buffer");

	struct sysinfo si;
	CHECK_ERRNO(sysinfo(&si), "sysinfo");
	SHOW_BOOL("totalram > 0", si.totalram > 0);
	SHOW_BOOL("freeram <= totalram", si.freeram <= si.totalram);
	SHOW_BOOL("mem_unit >= 1", si.mem_unit >= 1);
	SHOW_BOOL("procs >= 2", si.procs >= 2);
	SHOW_BOOL("uptime >= 0", si.uptime >= 0);
	SHOW_BOOL("uptime matches CLOCK_BOOTTIME (+-2s)", ({ struct timespec b; clock_gettime(CLOCK_BOOTTIME, &b); labs(b.tv_sec - si.uptime) <= 2; }));
	SHOW_BOOL("get_nprocs_conf >= 1", get_nprocs_conf() >= 1);
	SHOW_BOOL("_SC_PAGESIZE == 4096", sysconf(_SC_PAGESIZE) == 4096);
	SHOW_BOOL("_SC_CLK_TCK == 100", sysconf(_SC_CLK_TCK) == 100);

	/* burn a little CPU and check accounting is sane */
	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < 20000000; i++)
		x += i;
	struct tms t;
	clock_t c = times(&t);
	SHOW_BOOL("times() return != -1", c != (clock_t)-1);
	SHOW_BOOL("tms fields >= 0", t.tms_utime >= 0 && t.tms_stime >= 0 && t.tms_cutime >= 0 && t.tms_cstime >= 0);
	struct rusage ru;
	CHECK_ERRNO(getrusage(RUSAGE_SELF, &ru), "getrusage SELF");
	SHOW_BOOL("ru_utime + ru_stime > 0 after busy loop", ru.ru_utime.tv_sec + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec > 0);
	SHOW_BOOL("ru_maxrss > 0", ru.ru_maxrss > 0);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		volatile unsigned long y = 0;
		for (unsigned long i = 0; i < 20000000; i++)
			y += i;
		_exit(0);
	}
	wait_for(p);
	CHECK_ERRNO(getrusage(RUSAGE_CHILDREN, &ru), "getrusage CHILDREN");
	SHOW_BOOL("children usage non-negative", ru.ru_utime.tv_sec >= 0 && ru.ru_stime.tv_sec >= 0);
	CHECK_ERRNO(getrusage(RUSAGE_THREAD, &ru), "getrusage THREAD");
	CHECK_ERRNO(getrusage(99, &ru), "getrusage bad who");

	/* prctl names */
	CHECK_ERRNO(prctl(PR_SET_NAME, "a-very-long-process-name-indeed"), "PR_SET_NAME long");
	char name[32] = { 0 };
	CHECK_ERRNO(prctl(PR_GET_NAME, name), "PR_GET_NAME");
	SHOW_STR("name (truncated to 15)", name);
	prctl(PR_SET_NAME, "short");
	prctl(PR_GET_NAME, name);
	SHOW_STR("name", name);
	fflush(stdout);
	p = fork();
	if (p == 0) {
		char n2[32] = { 0 };
		prctl(PR_GET_NAME, n2);
		_exit(strcmp(n2, "short") == 0 ? 0 : 1);
	}
	SHOW_STATUS("child inherits name (0=yes)", wait_for(p));
	CHECK_ERRNO(prctl(9999, 0, 0, 0, 0), "prctl bad option");

	/* priorities */
	errno = 0;
	CHECK_ERRNO(setpriority(PRIO_PROCESS, 0, 5), "setpriority 5");
	errno = 0;
	int pr = getpriority(PRIO_PROCESS, 0);
	printf("getpriority: %d errno=%s\n", pr, errname(errno));
	SHOW_INT("raw getpriority syscall (20 - nice)", syscall(SYS_getpriority, PRIO_PROCESS, 0));
	errno = 0;
	int nv = nice(2);
	printf("nice(2): %d errno=%s\n", nv, errname(errno));
	CHECK_ERRNO(setpriority(PRIO_PROCESS, 0, -3), "setpriority -3 as root");
	SHOW_INT("getpriority", getpriority(PRIO_PROCESS, 0));
	CHECK_ERRNO(setpriority(PRIO_PROCESS, 0, 100), "setpriority 100 (clamped)");
	SHOW_INT("getpriority", getpriority(PRIO_PROCESS, 0));
	CHECK_ERRNO(setpriority(99, 0, 0), "setpriority bad which");
	fflush(stdout);
	p = fork();
	if (p == 0) {
		setresuid(1000, 1000, 1000);
		CHECK_ERRNO(setpriority(PRIO_PROCESS, 0, 10), "uid 1000: setpriority 19 -> 10 (raise)");
		fflush(stdout);
		_exit(0);
	}
	wait_for(p);
	setpriority(PRIO_PROCESS, 0, 0);

	/* scheduler */
	SHOW_INT("sched_getscheduler (SCHED_OTHER=0)", sched_getscheduler(0));
	CHECK_ERRNO(sched_yield(), "sched_yield");
	cpu_set_t set;
	CPU_ZERO(&set);
	CHECK_ERRNO(sched_getaffinity(0, sizeof set, &set), "sched_getaffinity");
	SHOW_BOOL("at least one CPU in affinity", CPU_COUNT(&set) >= 1);
	struct sched_param sp;
	CHECK_ERRNO(sched_getparam(0, &sp), "sched_getparam");
	SHOW_INT("sched_priority", sp.sched_priority);
	SHOW_INT("sched_get_priority_max(SCHED_FIFO)", sched_get_priority_max(SCHED_FIFO));
	SHOW_INT("sched_get_priority_min(SCHED_OTHER)", sched_get_priority_min(SCHED_OTHER));
	unsigned cpu = 999, node = 999;
	CHECK_ERRNO(syscall(SYS_getcpu, &cpu, &node, NULL), "getcpu");
	SHOW_BOOL("cpu is in affinity set", cpu < CPU_SETSIZE && CPU_ISSET(cpu, &set));

	/* personality, arch_prctl */
	SHOW_INT("personality(query)", personality(0xffffffff));
	unsigned long fs = 0;
	CHECK_ERRNO(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs), "arch_prctl ARCH_GET_FS");
	SHOW_BOOL("FS base non-zero (TLS)", fs != 0);
	unsigned long tp;
	__asm__("mov %%fs:0, %0" : "=r"(tp));
	SHOW_BOOL("FS base == TLS self pointer", tp == fs);
	CHECK_ERRNO(syscall(SYS_arch_prctl, 0x9999, &fs), "arch_prctl bad code");

	SHOW_BOOL("gettid()==getpid() in main thread", gettid() == getpid());
	CHECK_ERRNO(syscall(9999), "unknown syscall 9999");
	CHECK_ERRNO(syscall(-1), "syscall -1");
	return 0;
}
