/* capabilities and the id rules beyond creds.c: capget/capset (versions,
 * pids, only dropping), capabilities following uid and fsuid changes,
 * PR_SET_KEEPCAPS, PR_CAPBSET_READ/DROP, setreuid/setregid saved-id rules,
 * setgroups sorting and limits, dumpability and the parent-death signal
 * reset by an id change, and setresuid in a multithreaded process (glibc's
 * SIGSETXID broadcast, also reaching a thread blocked in read). Capability
 * sets are shown as relations: the host may lack some capabilities. */
#include "check.h"
#include <grp.h>
#include <linux/capability.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>

struct caps { uint64_t eff, prm, inh; };

static int get_caps(pid_t pid, struct caps *c)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, pid };
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	c->eff = d[0].effective | (uint64_t)d[1].effective << 32;
	c->prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	c->inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

static int set_caps(uint64_t eff, uint64_t prm, uint64_t inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)eff, (uint32_t)prm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(prm >> 32), (uint32_t)(inh >> 32) },
	};
	return syscall(SYS_capset, &h, d);
}

#define BIT(c) (1ULL << (c))

static void show_caps(const char *label)
{
	struct caps c;
	if (get_caps(0, &c) < 0) {
		printf("%s: capget %s\n", label, errname(errno));
		return;
	}
	printf("%s: eff==prm %d eff-empty %d prm-empty %d eff:SETUID %d eff:CHOWN %d inh %llx\n", label,
	       c.eff == c.prm, c.eff == 0, c.prm == 0, !!(c.eff & BIT(CAP_SETUID)),
	       !!(c.eff & BIT(CAP_CHOWN)), (unsigned long long)c.inh);
}

static void show_ids(const char *label)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	printf("%s: uid %d %d %d fsuid %d gid %d %d %d\n", label, (int)r, (int)e, (int)s,
	       setfsuid(-1), (int)gr, (int)ge, (int)gs);
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

static void capget_forms(void)
{
	struct __user_cap_header_struct h = { 0x12345678, 0 };
	struct __user_cap_data_struct d[2];
	CHECK_ERRNO(syscall(SYS_capget, &h, d), "capget bad version");
	printf("  version written back: %#x\n", h.version);
	h.version = 0x12345678;
	CHECK_ERRNO(syscall(SYS_capget, &h, NULL), "capget bad version, NULL data (probe)");
	h.version = _LINUX_CAPABILITY_VERSION_1;
	memset(d, 0xaa, sizeof d);
	CHECK_ERRNO(syscall(SYS_capget, &h, d), "capget v1");
	SHOW_BOOL("  v1 leaves the second word alone", d[1].effective == 0xaaaaaaaa);
	h.version = _LINUX_CAPABILITY_VERSION_3;
	h.pid = -1;
	CHECK_ERRNO(syscall(SYS_capget, &h, d), "capget pid -1");
	fflush(stdout);
	pid_t gone = fork();
	if (gone == 0)
		_exit(0);
	wait_for(gone);
	h.pid = gone;
	CHECK_ERRNO(syscall(SYS_capget, &h, d), "capget reaped pid");
	h.pid = getppid();
	CHECK_ERRNO(syscall(SYS_capget, &h, d), "capget parent");
	h.pid = getppid();
	CHECK_ERRNO(syscall(SYS_capset, &h, d), "capset on another process");
}

static void capset_rules(void)
{
	struct caps c;
	get_caps(0, &c);
	CHECK_ERRNO(set_caps(c.eff & ~BIT(CAP_CHOWN), c.prm, 0), "capset drop CHOWN from effective");
	show_caps("  after");
	CHECK_ERRNO(set_caps(c.eff, c.prm, 0), "capset raise effective back (still permitted)");
	CHECK_ERRNO(set_caps(c.eff & ~BIT(CAP_CHOWN), c.prm & ~BIT(CAP_CHOWN), 0), "capset drop CHOWN from permitted");
	CHECK_ERRNO(set_caps(c.eff, c.prm, 0), "capset raise permitted again");
	CHECK_ERRNO(set_caps(c.prm, c.prm & ~BIT(CAP_KILL), 0), "capset effective outside permitted");
	CHECK_ERRNO(set_caps(c.eff & ~BIT(CAP_CHOWN), c.prm & ~BIT(CAP_CHOWN), BIT(CAP_KILL)), "capset inheritable within permitted");
	show_caps("  after");
	CHECK_ERRNO(set_caps(0, 0, 0), "capset drop everything");
	show_caps("  after");
	CHECK_ERRNO(setuid(1000), "setuid(1000) with no capabilities, uid 0");
	show_ids("  ids");
}

static void uid_changes(void)
{
	CHECK_ERRNO(seteuid(1000), "seteuid(1000)");
	show_caps("  euid 1000");
	show_ids("  ids");
	CHECK_ERRNO(seteuid(0), "seteuid(0)");
	show_caps("  euid 0 again");
	CHECK_ERRNO(setresuid(1000, 0, 1000), "setresuid(1000,0,1000)");
	show_caps("  euid 0, others 1000");
	CHECK_ERRNO(setresuid(-1, 1000, -1), "setresuid(-1,1000,-1)");
	show_caps("  all 1000");
	show_ids("  ids");
	CHECK_ERRNO(seteuid(0), "seteuid(0) after losing root");
	CHECK_ERRNO(prctl(PR_CAPBSET_DROP, CAP_NET_RAW), "PR_CAPBSET_DROP as uid 1000");
}

static void keepcaps(void)
{
	CHECK_VAL(prctl(PR_GET_KEEPCAPS), "PR_GET_KEEPCAPS");
	CHECK_ERRNO(prctl(PR_SET_KEEPCAPS, 2), "PR_SET_KEEPCAPS 2");
	CHECK_ERRNO(prctl(PR_SET_KEEPCAPS, 1), "PR_SET_KEEPCAPS 1");
	CHECK_VAL(prctl(PR_GET_KEEPCAPS), "PR_GET_KEEPCAPS");
	CHECK_ERRNO(setresuid(1000, 1000, 1000), "setresuid(1000,1000,1000) keeping caps");
	show_caps("  kept");
	struct caps c;
	get_caps(0, &c);
	CHECK_ERRNO(setuid(0), "setuid(0) without effective CAP_SETUID");
	CHECK_ERRNO(set_caps(BIT(CAP_SETUID), c.prm, 0), "capset effective SETUID");
	CHECK_ERRNO(setuid(0), "setuid(0) with effective CAP_SETUID");
	show_ids("  ids");
	show_caps("  back to uid 0");
}

static void fsuid_caps(void)
{
	printf("setfsuid(1000) returns %d\n", setfsuid(1000));
	show_caps("  fsuid 1000");
	printf("setfsuid(0) returns %d\n", setfsuid(0));
	show_caps("  fsuid 0");
	printf("setfsgid(50) returns %d\n", setfsgid(50));
	printf("setfsgid(-1) returns %d\n", setfsgid(-1));
	setresuid(1000, 1000, 1000);
	printf("uid 1000: setfsuid(5) returns %d\n", setfsuid(5));
	printf("uid 1000: setfsuid(-1) returns %d\n", setfsuid(-1));
}

static void bounding_set(void)
{
	CHECK_VAL(prctl(PR_CAPBSET_READ, CAP_SETUID), "PR_CAPBSET_READ SETUID");
	CHECK_ERRNO(prctl(PR_CAPBSET_READ, 64), "PR_CAPBSET_READ 64");
	CHECK_ERRNO(prctl(PR_CAPBSET_DROP, CAP_NET_RAW), "PR_CAPBSET_DROP NET_RAW");
	CHECK_VAL(prctl(PR_CAPBSET_READ, CAP_NET_RAW), "PR_CAPBSET_READ NET_RAW");
	CHECK_ERRNO(prctl(PR_CAPBSET_DROP, 64), "PR_CAPBSET_DROP 64");
}

static void reuid_rules(void)
{
	CHECK_ERRNO(setreuid(1000, 2000), "setreuid(1000,2000) as root");
	show_ids("  ids");
	CHECK_ERRNO(setreuid(-1, 1000), "setreuid(-1,1000): euid to real");
	show_ids("  ids");
	CHECK_ERRNO(setreuid(-1, 2000), "setreuid(-1,2000): euid to saved");
	show_ids("  ids");
	CHECK_ERRNO(setreuid(2000, -1), "setreuid(2000,-1): real to effective");
	show_ids("  ids");
	CHECK_ERRNO(setreuid(3000, -1), "setreuid(3000,-1)");
	CHECK_ERRNO(setreuid(-1, 3000), "setreuid(-1,3000)");
	CHECK_ERRNO(setuid(-1), "setuid(-1)");
}

static void regid_rules(void)
{
	CHECK_ERRNO(setregid(100, 200), "setregid(100,200) as root");
	show_ids("  ids");
	CHECK_ERRNO(setresuid(1000, 1000, 1000), "drop root");
	CHECK_ERRNO(setregid(-1, 100), "setregid(-1,100): egid to real");
	CHECK_ERRNO(setgid(200), "setgid(200): to saved");
	show_ids("  ids");
	CHECK_ERRNO(setgid(300), "setgid(300)");
	CHECK_ERRNO(setresgid(200, 100, 100), "setresgid(200,100,100): shuffle");
	show_ids("  ids");
	CHECK_ERRNO(setresgid(-1, -1, 300), "setresgid(-1,-1,300)");
	CHECK_ERRNO(setgid(-1), "setgid(-1)");
}

static void groups(void)
{
	gid_t g[4] = { 9, 5, 7, 5 }, out[8];
	CHECK_ERRNO(setgroups(4, g), "setgroups {9,5,7,5}");
	int n = getgroups(8, out);
	printf("getgroups: %d:", n);
	for (int i = 0; i < n; i++)
		printf(" %d", (int)out[i]);
	printf("\n");
	CHECK_ERRNO(syscall(SYS_getgroups, -1, out), "getgroups(-1)");
	CHECK_ERRNO(syscall(SYS_getgroups, 8, (void *)1), "getgroups bad buffer");
	CHECK_ERRNO(syscall(SYS_setgroups, 2, (void *)1), "setgroups bad buffer");
	static gid_t many[65537];
	for (int i = 0; i < 65537; i++)
		many[i] = 65537 - i;
	CHECK_ERRNO(setgroups(65537, many), "setgroups 65537 (over NGROUPS_MAX)");
	CHECK_ERRNO(setgroups(65536, many), "setgroups 65536");
	CHECK_VAL(getgroups(0, NULL), "getgroups(0)");
	static gid_t back[65536];
	n = getgroups(65536, back);
	printf("getgroups 65536: %d first %d last %d\n", n, (int)back[0], (int)back[n - 1]);
	CHECK_ERRNO(setgroups(0, NULL), "setgroups 0");
	CHECK_VAL(getgroups(0, NULL), "getgroups(0)");
}

static void dumpable_pdeath(void)
{
	CHECK_VAL(prctl(PR_GET_DUMPABLE), "PR_GET_DUMPABLE");
	CHECK_ERRNO(prctl(PR_SET_DUMPABLE, 2), "PR_SET_DUMPABLE 2");
	CHECK_ERRNO(prctl(PR_SET_PDEATHSIG, SIGUSR1), "PR_SET_PDEATHSIG");
	CHECK_ERRNO(setgroups(1, (gid_t[]){ 4 }), "setgroups (no id change)");
	CHECK_VAL(prctl(PR_GET_DUMPABLE), "PR_GET_DUMPABLE after setgroups");
	CHECK_ERRNO(seteuid(1000), "seteuid(1000)");
	CHECK_VAL(prctl(PR_GET_DUMPABLE), "PR_GET_DUMPABLE after seteuid");
	int sig = -1;
	prctl(PR_GET_PDEATHSIG, &sig);
	SHOW_INT("PR_GET_PDEATHSIG after seteuid", sig);
	CHECK_ERRNO(prctl(PR_SET_DUMPABLE, 1), "PR_SET_DUMPABLE 1");
	CHECK_VAL(prctl(PR_GET_DUMPABLE), "PR_GET_DUMPABLE");
	CHECK_ERRNO(seteuid(1000), "seteuid(1000) again (no change)");
	CHECK_VAL(prctl(PR_GET_DUMPABLE), "PR_GET_DUMPABLE after no-op");
}

static int pipefd[2];
static pthread_barrier_t barrier;

static void *reader_thread(void *arg)
{
	(void)arg;
	char c;
	pthread_barrier_wait(&barrier);
	ssize_t n = read(pipefd[0], &c, 1);   /* blocked here while the ids change */
	uid_t r, e, s;
	syscall(SYS_getresuid, &r, &e, &s);
	struct caps cp;
	get_caps(0, &cp);
	printf("  thread: read %zd '%c', own ids %d %d %d, own caps empty %d\n", n, n > 0 ? c : '?',
	       (int)r, (int)e, (int)s, cp.prm == 0 && cp.eff == 0);
	return NULL;
}

static void threads_setxid(void)
{
	pthread_t th;
	pipe(pipefd);
	pthread_barrier_init(&barrier, NULL, 2);
	pthread_create(&th, NULL, reader_thread, NULL);
	pthread_barrier_wait(&barrier);
	msleep(50);
	CHECK_ERRNO(setresuid(1000, 1000, 1000), "setresuid with a thread blocked in read");
	show_ids("  main");
	write(pipefd[1], "x", 1);
	pthread_join(th, NULL);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	show_caps("root");
	SHOW_STATUS("capget forms", in_child(capget_forms));
	SHOW_STATUS("capset rules", in_child(capset_rules));
	SHOW_STATUS("uid changes", in_child(uid_changes));
	SHOW_STATUS("keepcaps", in_child(keepcaps));
	SHOW_STATUS("fsuid", in_child(fsuid_caps));
	SHOW_STATUS("bounding set", in_child(bounding_set));
	SHOW_STATUS("setreuid", in_child(reuid_rules));
	SHOW_STATUS("setregid", in_child(regid_rules));
	SHOW_STATUS("groups", in_child(groups));
	SHOW_STATUS("dumpable and pdeath", in_child(dumpable_pdeath));
	SHOW_STATUS("threads", in_child(threads_setxid));
	return 0;
}
