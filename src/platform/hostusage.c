/*
 * Host accounting of task hosts, from /proc/<pid>/stat, status and schedstat and the
 * process CPU clock; their host signal mask and resource limits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "platform/hostusage.h"

#define NS_PER_TICK 10000000ULL        /* USER_HZ 100: /proc's unit for times */

/* The numbered fields of /proc/<pid>/stat (proc(5)) we use. */
enum { STAT_MINFLT = 10, STAT_MAJFLT = 12, STAT_UTIME = 14, STAT_STIME = 15, STAT_FIELDS = 16 };

static ssize_t read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, len - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = 0;
	return n;
}

static void proc_path(char *out, size_t len, pid_t pid, pid_t tid, const char *file)
{
	if (tid)
		snprintf(out, len, "/proc/%d/task/%d/%s", pid, tid, file);
	else
		snprintf(out, len, "/proc/%d/%s", pid, file);
}

/* Fields 3..STAT_FIELDS-1 of the stat line; the command name may hold spaces and ')'. */
static int read_stat(pid_t pid, pid_t tid, unsigned long long *f)
{
	char path[80], buf[1024];
	proc_path(path, sizeof(path), pid, tid, "stat");
	ssize_t n = read_small(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	char *p = strrchr(buf, ')');
	if (!p)
		return -EIO;
	p += 2;                      /* ") " */
	p = strchr(p, ' ');          /* field 3, the state letter */
	for (int i = 4; p && i < STAT_FIELDS; i++)
		f[i] = strtoull(p + 1, &p, 10);
	return p ? 0 : -EIO;
}

/* The scheduler's exact runtime (the ticks in stat are only samples). */
static int runtime_ns(pid_t pid, pid_t tid, uint64_t *ns)
{
	if (!tid) {
		clockid_t clock;
		struct timespec ts;
		if (clock_getcpuclockid(pid, &clock) != 0 || clock_gettime(clock, &ts) < 0)
			return -ESRCH;
		*ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
		return 0;
	}
	char path[80], buf[128];
	proc_path(path, sizeof(path), pid, tid, "schedstat");
	ssize_t n = read_small(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	*ns = strtoull(buf, NULL, 10);
	return 0;
}

/* Linux's own split (cputime_adjust): the exact runtime shared between user and system
 * in the proportion of the tick samples; all user time when there are no samples. */
static void split_runtime(uint64_t rt, unsigned long long ut, unsigned long long st,
			  uint64_t *utime_ns, uint64_t *stime_ns)
{
	uint64_t sampled = (ut + st) * NS_PER_TICK;
	if (rt < sampled)
		rt = sampled;
	uint64_t s = ut + st ? (uint64_t)((unsigned __int128)rt * st / (ut + st)) : 0;
	*stime_ns = s;
	*utime_ns = rt - s;
}

static int cputime_from_stat(pid_t pid, pid_t tid, const unsigned long long *f,
			     uint64_t *utime_ns, uint64_t *stime_ns)
{
	uint64_t rt = 0;
	if (runtime_ns(pid, tid, &rt) < 0)
		rt = 0;
	split_runtime(rt, f[STAT_UTIME], f[STAT_STIME], utime_ns, stime_ns);
	return 0;
}

int host_cputime(pid_t pid, pid_t tid, uint64_t *utime_ns, uint64_t *stime_ns)
{
	unsigned long long f[STAT_FIELDS] = { 0 };
	int err = read_stat(pid, tid, f);
	if (err < 0)
		return err;
	return cputime_from_stat(pid, tid, f, utime_ns, stime_ns);
}

static long status_value(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	return p ? strtol(p + strlen(key), NULL, 10) : 0;
}

static struct timeval ns_to_tv(uint64_t ns)
{
	return (struct timeval){ (time_t)(ns / 1000000000ULL), (suseconds_t)(ns % 1000000000ULL / 1000) };
}

int host_rusage(pid_t pid, pid_t tid, struct rusage *ru)
{
	unsigned long long f[STAT_FIELDS] = { 0 };
	int err = read_stat(pid, tid, f);
	if (err < 0)
		return err;
	uint64_t ut, st;
	cputime_from_stat(pid, tid, f, &ut, &st);
	memset(ru, 0, sizeof(*ru));
	ru->ru_utime = ns_to_tv(ut);
	ru->ru_stime = ns_to_tv(st);
	ru->ru_minflt = (long)f[STAT_MINFLT];
	ru->ru_majflt = (long)f[STAT_MAJFLT];
	char path[80], buf[4096];
	proc_path(path, sizeof(path), pid, tid, "status");
	if (read_small(path, buf, sizeof(buf)) > 0) {
		ru->ru_maxrss = status_value(buf, "\nVmHWM:");   /* the process's peak, in KiB */
		ru->ru_nvcsw = status_value(buf, "\nvoluntary_ctxt_switches:");
		ru->ru_nivcsw = status_value(buf, "\nnonvoluntary_ctxt_switches:");
	}
	return 0;
}

int host_blocked_signals(pid_t pid, pid_t tid, uint64_t *mask)
{
	char path[80], buf[4096];
	proc_path(path, sizeof(path), pid, tid, "status");
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -ESRCH;
	const char *p = strstr(buf, "\nSigBlk:");
	if (!p)
		return -EIO;
	*mask = strtoull(p + strlen("\nSigBlk:"), NULL, 16);
	return 0;
}

int host_set_rlimit(pid_t pid, int resource, rlim_t soft, rlim_t hard)
{
	struct rlimit cur;
	if (prlimit(pid, resource, NULL, &cur) < 0)
		return -errno;
	struct rlimit want = { soft, hard < cur.rlim_max ? hard : cur.rlim_max };
	if (want.rlim_cur > want.rlim_max)
		want.rlim_cur = want.rlim_max;
	return prlimit(pid, resource, &want, NULL) < 0 ? -errno : 0;
}
