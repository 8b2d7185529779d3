/* Host /proc reads for procfs and memory accounting (see hostproc.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "fs/proc/format.h"
#include "fs/proc/hostproc.h"
#include "fs/proc/internal.h"

static char *read_whole(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		return NULL;
	for (;;) {
		if (n + 1 >= cap) {
			char *p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

static char *read_path(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *buf = read_whole(fd, len);
	close(fd);
	return buf;
}

/* A thread's own file is under its process's task/; a task host that is a process of
 * its own (a guest thread the platform hosts apart) has it at the top. */
char *hostproc_read(pid_t pid, pid_t tid, const char *file, size_t *len)
{
	char path[96];
	if (pid <= 0)
		return NULL;
	if (tid > 0) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/%s", pid, tid, file);
		char *text = read_path(path, len);
		if (text || tid == pid)
			return text;
		pid = tid;
	}
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return read_path(path, len);
}

int hostproc_stat(pid_t pid, pid_t tid, struct proc_host_stat *st)
{
	char *text = hostproc_read(pid, tid, "stat", NULL);
	if (!text) {
		memset(st, 0, sizeof(*st));
		return -ESRCH;
	}
	int err = proc_parse_stat(text, st);
	free(text);
	return err;
}

/* The value after "name:" in a status text, or NULL. */
static const char *status_value(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, name, n) == 0 && p[n] == ':')
			return p + n + 1;
	return NULL;
}

long long hostproc_status_kb(pid_t pid, pid_t tid, const char *name)
{
	char *text = hostproc_read(pid, tid, "status", NULL);
	if (!text)
		return -1;
	const char *v = status_value(text, name);
	long long kb = v ? strtoll(v, NULL, 10) : -1;
	free(text);
	return kb;
}

static uint64_t status_hex(const char *text, const char *name)
{
	const char *v = status_value(text, name);
	return v ? strtoull(v, NULL, 16) : 0;
}

void hostproc_sigmasks(pid_t pid, pid_t tid, struct hostproc_sigmasks *out)
{
	memset(out, 0, sizeof(*out));
	char *text = hostproc_read(pid, tid, "status", NULL);
	if (!text)
		return;
	out->pending = status_hex(text, "SigPnd");
	out->shared_pending = status_hex(text, "ShdPnd");
	out->blocked = status_hex(text, "SigBlk");
	const char *st = status_value(text, "State");
	if (st) {
		st += strspn(st, " \t");
		out->state = *st;
	}
	free(text);
}

void hostproc_status_copy(struct proc_buf *b, pid_t pid, pid_t tid, const char *const *prefixes)
{
	char *text = hostproc_read(pid, tid, "status", NULL);
	if (!text)
		return;
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);
		for (const char *const *p = prefixes; *p; p++) {
			if (strncmp(line, *p, strlen(*p)) == 0) {
				pbuf_put(b, line, n);
				break;
			}
		}
		line += n;
	}
	free(text);
}

/* The value of the first "name\t: value" line of the host's /proc/cpuinfo. */
static void cpuinfo_value(const char *name, char *out, size_t len, const char *fallback)
{
	snprintf(out, len, "%s", fallback);
	char *text = read_path("/proc/cpuinfo", NULL);
	if (!text)
		return;
	size_t n = strlen(name);
	for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, name, n) != 0 || (line[n] != '\t' && line[n] != ' ' && line[n] != ':'))
			continue;
		char *colon = strchr(line, ':');
		if (!colon)
			break;
		char *v = colon + 1 + (colon[1] == ' ');
		size_t vl = strcspn(v, "\n");
		snprintf(out, len, "%.*s", (int)vl, v);
		break;
	}
	free(text);
}

const char *hostproc_uname(void)
{
	static char line[5 * 66];
	struct utsname u;
	if (!line[0] && uname(&u) == 0)
		snprintf(line, sizeof(line), "%s %s %s %s %s", u.sysname, u.nodename, u.release,
			 u.version, u.machine);
	return line;
}

const char *hostproc_cpu_flags(void)
{
	static char flags[4096];
	static bool done;
	if (!done) {
		cpuinfo_value("flags", flags, sizeof(flags), "");
		done = true;
	}
	return flags;
}

const char *hostproc_bogomips(void)
{
	static char mips[32];
	if (!mips[0])
		cpuinfo_value("bogomips", mips, sizeof(mips), "5260.08"); /* a 2.6 GHz core's value */
	return mips;
}

uint64_t hostproc_kernel_cpu_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}
