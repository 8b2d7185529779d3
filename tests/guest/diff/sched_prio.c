/* scheduling parameters beyond sysmisc.c: sched_setscheduler/setparam/
 * getparam for every policy and their errors, SCHED_RESET_ON_FORK, what an
 * unprivileged process may change, sched_setaffinity errors, nice values by
 * process group and by user, permission errors, and inheritance across fork.
 * (Raising RLIMIT_NICE's hard limit needs CAP_SYS_RESOURCE, which the host
 * running the native half may lack, so RLIMIT_NICE stays 0 here.) */
#include "check.h"
#include <sched.h>
#include <sys/syscall.h>

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

static int set_sched(pid_t pid, int policy, int prio)
{
	struct sched_param sp = { .sched_priority = prio };
	return sched_setscheduler(pid, policy, &sp);
}

static void show_sched(const char *label, pid_t pid)
{
	struct sched_param sp = { .sched_priority = -1 };
	int pol = sched_getscheduler(pid);
	sched_getparam(pid, &sp);
	printf("%s: policy %#x priority %d\n", label, pol, sp.sched_priority);
}

static void show_prio(const char *label, int which, int who)
{
	errno = 0;
	int v = getpriority(which, who);
	printf("%s: %d errno %s\n", label, v, errname(errno));
}

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

static void policies(void)
{
	CHECK_ERRNO(set_sched(0, SCHED_FIFO, 10), "SCHED_FIFO 10 as root");
	show_sched("  now", 0);
	CHECK_ERRNO(set_sched(0, SCHED_RR, 20), "SCHED_RR 20");
	show_sched("  now", 0);
	struct sched_param sp = { .sched_priority = 30 };
	CHECK_ERRNO(sched_setparam(0, &sp), "sched_setparam 30 keeps RR");
	show_sched("  now", 0);
	CHECK_ERRNO(set_sched(0, SCHED_BATCH, 0), "SCHED_BATCH");
	show_sched("  now", 0);
	CHECK_ERRNO(set_sched(0, SCHED_IDLE, 0), "SCHED_IDLE");
	show_sched("  now", 0);
	CHECK_ERRNO(set_sched(0, SCHED_OTHER, 0), "SCHED_OTHER");
	show_sched("  now", 0);
	CHECK_ERRNO(set_sched(0, SCHED_FIFO, 0), "SCHED_FIFO priority 0");
	CHECK_ERRNO(set_sched(0, SCHED_FIFO, 100), "SCHED_FIFO priority 100");
	CHECK_ERRNO(set_sched(0, SCHED_OTHER, 5), "SCHED_OTHER priority 5");
	CHECK_ERRNO(set_sched(0, 99, 0), "policy 99");
	CHECK_ERRNO(set_sched(0, -5, 0), "policy -5");
	CHECK_ERRNO(set_sched(-1, SCHED_OTHER, 0), "pid -1");
	CHECK_ERRNO(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL), "NULL param");
	CHECK_ERRNO(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, (void *)1), "bad param pointer");
	CHECK_ERRNO(syscall(SYS_sched_getparam, 0, NULL), "sched_getparam NULL");
	CHECK_ERRNO(sched_getscheduler(-1), "sched_getscheduler(-1)");
	fflush(stdout);
	pid_t gone = fork();
	if (gone == 0)
		_exit(0);
	wait_for(gone);
	CHECK_ERRNO(sched_getscheduler(gone), "sched_getscheduler(reaped)");
	CHECK_ERRNO(set_sched(gone, SCHED_OTHER, 0), "sched_setscheduler(reaped)");
	struct sched_param q;
	CHECK_ERRNO(sched_getparam(gone, &q), "sched_getparam(reaped)");
}

static void reset_on_fork(void)
{
	setpriority(PRIO_PROCESS, 0, -4);
	CHECK_ERRNO(set_sched(0, SCHED_FIFO | SCHED_RESET_ON_FORK, 5), "SCHED_FIFO|RESET_ON_FORK");
	show_sched("  parent", 0);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		show_sched("  child", 0);
		printf("  child nice: %d\n", getpriority(PRIO_PROCESS, 0));
		fflush(stdout);
		_exit(0);
	}
	wait_for(p);
	CHECK_ERRNO(set_sched(0, SCHED_OTHER, 0), "back to SCHED_OTHER (drops the flag)");
	show_sched("  parent", 0);
	setpriority(PRIO_PROCESS, 0, 3);
	CHECK_ERRNO(set_sched(0, SCHED_BATCH | SCHED_RESET_ON_FORK, 0), "SCHED_BATCH|RESET_ON_FORK, nice 3");
	fflush(stdout);
	p = fork();
	if (p == 0) {
		show_sched("  child", 0);
		printf("  child nice: %d\n", getpriority(PRIO_PROCESS, 0));
		fflush(stdout);
		_exit(0);
	}
	wait_for(p);
}

static void unprivileged(void)
{
	CHECK_ERRNO(set_sched(0, SCHED_BATCH, 0), "root: SCHED_BATCH");
	setresuid(1000, 1000, 1000);
	CHECK_ERRNO(set_sched(0, SCHED_FIFO, 1), "uid 1000: SCHED_FIFO");
	CHECK_ERRNO(set_sched(0, SCHED_OTHER, 0), "uid 1000: SCHED_OTHER");
	CHECK_ERRNO(set_sched(0, SCHED_IDLE, 0), "uid 1000: SCHED_IDLE");
	CHECK_ERRNO(set_sched(0, SCHED_OTHER, 0), "uid 1000: back from SCHED_IDLE");
	CHECK_ERRNO(set_sched(getppid(), SCHED_OTHER, 0), "uid 1000: root's process");
	show_sched("  root's process as seen by uid 1000", getppid());
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CHECK_ERRNO(sched_setaffinity(getppid(), sizeof set, &set), "uid 1000: sched_setaffinity(root's)");
	CHECK_ERRNO(sched_setaffinity(0, sizeof set, &set), "uid 1000: sched_setaffinity(self, CPU 0)");
}

static void affinity(void)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CHECK_ERRNO(sched_setaffinity(0, sizeof set, &set), "sched_setaffinity CPU 0");
	CPU_ZERO(&set);
	CHECK_ERRNO(sched_setaffinity(0, sizeof set, &set), "sched_setaffinity empty");
	CPU_SET(1000, &set);
	CHECK_ERRNO(sched_setaffinity(0, sizeof set, &set), "sched_setaffinity CPU 1000 only");
	CHECK_ERRNO(syscall(SYS_sched_setaffinity, 0, sizeof set, (void *)1), "sched_setaffinity bad mask");
	CHECK_ERRNO(sched_setaffinity(-1, sizeof set, &set), "sched_setaffinity pid -1");
	unsigned char one = 1;
	CHECK_ERRNO(syscall(SYS_sched_setaffinity, 0, 1, &one), "sched_setaffinity 1-byte mask with CPU 0");
}

static void nice_values(void)
{
	setpgid(0, 0);
	CHECK_ERRNO(setpriority(PRIO_PGRP, 0, 4), "setpriority PRIO_PGRP 4");
	show_prio("getpriority PRIO_PGRP", PRIO_PGRP, 0);
	show_prio("getpriority PRIO_PROCESS", PRIO_PROCESS, 0);
	CHECK_ERRNO(setpriority(PRIO_PGRP, 999999, 4), "setpriority PRIO_PGRP none");
	show_prio("getpriority PRIO_PGRP none", PRIO_PGRP, 999999);
	show_prio("getpriority PRIO_PROCESS none", PRIO_PROCESS, 999999);
	show_prio("getpriority which 7", 7, 0);

	/* a user of its own: PRIO_USER picks every process of that real uid */
	int sync[2];
	pipe(sync);
	fflush(stdout);
	pid_t a = fork();
	if (a == 0) {
		setresuid(4242, 4242, 4242);
		char c;
		read(sync[0], &c, 1);
		printf("  uid 4242 child: nice %d\n", getpriority(PRIO_PROCESS, 0));
		CHECK_ERRNO(setpriority(PRIO_PROCESS, 0, 2), "  uid 4242: lower nice 19 -> 2 (RLIMIT_NICE 0)");
		CHECK_ERRNO(setpriority(PRIO_PROCESS, 0, 19), "  uid 4242: keep nice 19");
		printf("  uid 4242 child: nice %d\n", getpriority(PRIO_PROCESS, 0));
		CHECK_ERRNO(setpriority(PRIO_PROCESS, getppid(), 10), "  uid 4242: renice root's process");
		fflush(stdout);
		_exit(0);
	}
	msleep(50);
	CHECK_ERRNO(setpriority(PRIO_USER, 4242, 19), "setpriority PRIO_USER 4242 19");
	show_prio("getpriority PRIO_USER 4242", PRIO_USER, 4242);
	write(sync[1], "x", 1);
	wait_for(a);
	CHECK_ERRNO(setpriority(PRIO_USER, 4243, 1), "setpriority PRIO_USER nobody has");

	setpriority(PRIO_PROCESS, 0, 6);
	fflush(stdout);
	pid_t b = fork();
	if (b == 0) {
		printf("  forked child inherits nice: %d\n", getpriority(PRIO_PROCESS, 0));
		fflush(stdout);
		_exit(0);
	}
	wait_for(b);
}

static void priority_ranges(void)
{
	int pols[] = { SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, 99, -1 };
	for (size_t i = 0; i < sizeof pols / sizeof pols[0]; i++) {
		int mx = sched_get_priority_max(pols[i]);
		int e1 = mx < 0 ? errno : 0;
		int mn = sched_get_priority_min(pols[i]);
		int e2 = mn < 0 ? errno : 0;
		printf("policy %d: max %d (%s) min %d (%s)\n", pols[i], mx, errname(e1), mn, errname(e2));
	}
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	SHOW_STATUS("policies", in_child(policies));
	SHOW_STATUS("reset on fork", in_child(reset_on_fork));
	SHOW_STATUS("unprivileged", in_child(unprivileged));
	SHOW_STATUS("affinity", in_child(affinity));
	SHOW_STATUS("nice values", in_child(nice_values));
	priority_ranges();
	return 0;
}
