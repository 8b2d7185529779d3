/* administrative calls, checked without changing the host when run
 * natively as root: sethostname/setdomainname (rewriting the current name,
 * length and privilege errors), syslog (buffer size, reading all, argument
 * errors, privilege for the restricted actions), personality (set, query,
 * inherited by fork, kept by exec), clock_settime/settimeofday errors. */
#define CHECK_SUB_MAIN sub_main
#include "check.h"
#include <sys/klog.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

static int in_child(void (*fn)(void))
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	return wait_for(p);
}

static void names(void)
{
	struct utsname u;
	uname(&u);
	CHECK_ERRNO(sethostname(u.nodename, strlen(u.nodename)), "sethostname(current name)");
	struct utsname v;
	uname(&v);
	SHOW_BOOL("  uname nodename unchanged", strcmp(u.nodename, v.nodename) == 0);
	char big[80];
	memset(big, 'h', sizeof big);
	CHECK_ERRNO(sethostname(big, 65), "sethostname 65 bytes");
	CHECK_ERRNO(syscall(SYS_sethostname, big, -1), "sethostname length -1");
	CHECK_ERRNO(syscall(SYS_sethostname, (void *)1, 4), "sethostname bad pointer");
	CHECK_ERRNO(setdomainname(u.domainname, strlen(u.domainname)), "setdomainname(current name)");
	CHECK_ERRNO(setdomainname(big, 65), "setdomainname 65 bytes");
	char got[128];
	CHECK_ERRNO(gethostname(got, sizeof got), "gethostname");
	SHOW_BOOL("  gethostname == uname nodename", strcmp(got, u.nodename) == 0);
}

static void names_unprivileged(void)
{
	setresuid(1000, 1000, 1000);
	char big[80];
	memset(big, 'h', sizeof big);
	CHECK_ERRNO(sethostname("x", 1), "uid 1000: sethostname");
	CHECK_ERRNO(sethostname(big, 65), "uid 1000: sethostname 65 bytes (privilege first)");
	CHECK_ERRNO(setdomainname("x", 1), "uid 1000: setdomainname");
	CHECK_ERRNO(klogctl(5, NULL, 0), "uid 1000: syslog CLEAR");
	CHECK_ERRNO(klogctl(8, NULL, 4), "uid 1000: syslog CONSOLE_LEVEL");
	CHECK_ERRNO(klogctl(99, NULL, 0), "uid 1000: syslog action 99");
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	CHECK_ERRNO(clock_settime(CLOCK_REALTIME, &ts), "uid 1000: clock_settime REALTIME");
	struct timeval tv = { ts.tv_sec, 0 };
	CHECK_ERRNO(settimeofday(&tv, NULL), "uid 1000: settimeofday");
	struct timezone tz = { 0, 0 };
	CHECK_ERRNO(settimeofday(NULL, &tz), "uid 1000: settimeofday timezone");
}

static void syslog_calls(void)
{
	int size = klogctl(10, NULL, 0);
	SHOW_BOOL("SIZE_BUFFER > 0", size > 0);
	char *buf = malloc(size > 0 ? size : 1);
	int n = klogctl(3, buf, size);
	SHOW_BOOL("READ_ALL returns 0..size bytes", n >= 0 && n <= size);
	SHOW_BOOL("READ_ALL text starts with a <level>", n == 0 || buf[0] == '<');
	n = klogctl(3, buf, 10);
	SHOW_BOOL("READ_ALL into 10 bytes returns <= 10", n >= 0 && n <= 10);
	CHECK_VAL(klogctl(3, buf, 0), "READ_ALL len 0");
	CHECK_ERRNO(klogctl(3, NULL, 10), "READ_ALL NULL buffer");
	CHECK_ERRNO(klogctl(3, buf, -1), "READ_ALL len -1");
	CHECK_VAL(klogctl(2, buf, 0), "READ len 0");
	CHECK_ERRNO(klogctl(2, NULL, 10), "READ NULL buffer");
	SHOW_BOOL("SIZE_UNREAD >= 0", klogctl(9, NULL, 0) >= 0);
	CHECK_ERRNO(klogctl(8, NULL, 0), "CONSOLE_LEVEL 0");
	CHECK_ERRNO(klogctl(8, NULL, 9), "CONSOLE_LEVEL 9");
	CHECK_VAL(klogctl(0, NULL, 0), "CLOSE");
	CHECK_VAL(klogctl(1, NULL, 0), "OPEN");
	CHECK_ERRNO(klogctl(99, NULL, 0), "action 99");
	free(buf);
}

static void clocks(void)
{
	struct timespec ts = { 1, 0 };
	CHECK_ERRNO(clock_settime(CLOCK_MONOTONIC, &ts), "clock_settime MONOTONIC");
	CHECK_ERRNO(clock_settime(CLOCK_BOOTTIME, &ts), "clock_settime BOOTTIME");
	CHECK_ERRNO(clock_settime(99, &ts), "clock_settime clock 99");
	CHECK_ERRNO(clock_settime(CLOCK_PROCESS_CPUTIME_ID, &ts), "clock_settime PROCESS_CPUTIME");
	ts.tv_nsec = 1000000000;
	CHECK_ERRNO(clock_settime(CLOCK_REALTIME, &ts), "clock_settime nsec 1e9");
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	CHECK_ERRNO(clock_settime(CLOCK_REALTIME, &ts), "clock_settime before the epoch");
	CHECK_ERRNO(syscall(SYS_clock_settime, CLOCK_REALTIME, (void *)1), "clock_settime bad pointer");
	struct timeval tv = { 0, 1000000 };
	CHECK_ERRNO(settimeofday(&tv, NULL), "settimeofday usec 1e6");
	struct timezone tz = { 16 * 60, 0 };
	CHECK_ERRNO(settimeofday(NULL, &tz), "settimeofday timezone 16h west");
	CHECK_ERRNO(syscall(SYS_settimeofday, (void *)1, NULL), "settimeofday bad pointer");
}

int sub_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	printf("after exec: personality %#x\n", personality(0xffffffff));
	return 0;
}

static void personas(void)
{
	printf("personality query: %#x\n", personality(0xffffffff));
	printf("set ADDR_NO_RANDOMIZE returns old: %#x\n", personality(PER_LINUX | ADDR_NO_RANDOMIZE));
	printf("query: %#x\n", personality(0xffffffff));
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		printf("fork child: %#x\n", personality(0xffffffff));
		char *args[] = { self_exe, "--sub", NULL };
		fflush(stdout);
		execv(self_exe, args);
		_exit(99);
	}
	SHOW_STATUS("child", wait_for(p));
	printf("back to PER_LINUX returns old: %#x\n", personality(PER_LINUX));
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	SHOW_STATUS("names", in_child(names));
	SHOW_STATUS("unprivileged", in_child(names_unprivileged));
	SHOW_STATUS("syslog", in_child(syslog_calls));
	SHOW_STATUS("clocks", in_child(clocks));
	SHOW_STATUS("personality", in_child(personas));
	return 0;
}
