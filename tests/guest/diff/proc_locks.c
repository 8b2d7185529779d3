/* /proc/locks and the "lock:" lines of /proc/<pid>/fdinfo/N, as lsof and lslocks read
 * them: POSIX, OFD and flock locks, requests waiting for them (" -> " lines, nested
 * when one waits for another), the newest lock first, where a split's and a merge's
 * locks go.
 * Lines are printed with their exact spacing; what differs between machines is
 * checked and replaced: the id by its rank among our lines, the pid by whose it is, the
 * device and inode by the file whose stat() they match. Only lines of our files are
 * looked at, since the host may hold other locks. */
#include "check.h"
#include <sched.h>
#include <stdbool.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>

#define MAX_CHILDREN 3

static struct {
	const char *name;
	char devino[64];        /* "MAJ:MIN:INO" as /proc shows it */
} files[] = { { "file", "" }, { "ffile", "" } };
static pid_t children[MAX_CHILDREN];

static void note_devino(int i)
{
	struct stat st;
	if (stat(files[i].name, &st) < 0) {
		printf("stat %s: %s\n", files[i].name, errname(errno));
		return;
	}
	snprintf(files[i].devino, sizeof(files[i].devino), "%02x:%02x:%lu", major(st.st_dev),
		 minor(st.st_dev), (unsigned long)st.st_ino);
}

static int our_file(const char *devino)
{
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(devino, files[i].devino) == 0)
			return (int)i;
	return -1;
}

static void pid_name(const char *tok, char *out, size_t len)
{
	int pid = atoi(tok);
	if (strcmp(tok, "-1") == 0) {
		snprintf(out, len, "-1");
		return;
	}
	if (pid == getpid()) {
		snprintf(out, len, "<self>");
		return;
	}
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i] && pid == children[i]) {
			snprintf(out, len, "<child%d>", i + 1);
			return;
		}
	snprintf(out, len, "<other pid>");
}

/*
 * Rewrites one lock line (after any "lock:\t"): tokens ID:, [->], KIND, ADVISORY, TYPE,
 * PID, DEV:INO, START, END with the whitespace between them kept as it is. Returns 0
 * and leaves out empty when the line is not about our files.
 */
static int normalise(const char *line, char *out, size_t len, long long *id_out)
{
	char tok[12][64];
	char gap[12][16];
	int n = 0;
	const char *p = line;
	while (*p && n < 12) {
		size_t g = strspn(p, " \t");
		snprintf(gap[n], sizeof(gap[n]), "%.*s", (int)g, p);
		p += g;
		size_t w = strcspn(p, " \t\n");
		if (!w)
			break;
		snprintf(tok[n], sizeof(tok[n]), "%.*s", (int)w, p);
		p += w;
		n++;
	}
	int base = n > 1 && strcmp(tok[1], "->") == 0 ? 1 : 0;
	out[0] = 0;
	if (n != 8 + base || our_file(tok[5 + base]) < 0)
		return 0;
	*id_out = atoll(tok[0]);
	char pid[32];
	pid_name(tok[4 + base], pid, sizeof(pid));
	snprintf(tok[4 + base], sizeof(tok[0]), "%s", pid);
	snprintf(tok[5 + base], sizeof(tok[0]), "<%s>", files[our_file(tok[5 + base])].name);
	size_t used = 0;
	for (int i = 0; i < n && used < len; i++)
		used += snprintf(out + used, len - used, "%s%s", gap[i], tok[i]);
	return 1;
}

static char *read_all(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap + 1);
	ssize_t r;
	while ((r = read(fd, buf + len, cap - len)) > 0) {
		len += (size_t)r;
		if (len == cap)
			buf = realloc(buf, (cap *= 2) + 1);
	}
	close(fd);
	buf[len] = 0;
	return buf;
}

/* Our lines of /proc/locks; returns how many are waiters (" -> "). */
static int show_proc_locks(bool print)
{
	char *text = read_all("/proc/locks");
	if (!text) {
		if (print)
			printf("/proc/locks: %s\n", errname(errno));
		return -1;
	}
	long long ids[64], last = -1;
	int nids = 0, waiters = 0;
	bool ascending = true;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char norm[512];
		long long id;
		if (!normalise(line, norm, sizeof(norm), &id))
			continue;
		waiters += strstr(line, "->") != NULL;
		if (nids == 0 || ids[nids - 1] != id) {
			ascending &= id > last;
			last = id;
			if (nids < 64)
				ids[nids++] = id;
		}
		/* the id's rank among our locks stands for it */
		const char *colon = strchr(norm, ':');
		if (print)
			printf("  #%d%s\n", nids, colon ? colon : norm);
	}
	if (print)
		printf("  ids ascending: %s\n", ascending ? "yes" : "no");
	free(text);
	return waiters;
}

static void show_fdinfo(const char *label, pid_t pid, int fd)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	char *text = read_all(path);
	printf("fdinfo %s:%s\n", label, text ? "" : errname(errno));
	if (!text)
		return;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "lock:\t", 6) != 0)
			continue;
		char norm[512];
		long long id;
		if (normalise(line + 6, norm, sizeof(norm), &id))
			printf("  lock:\\t%s\n", norm);
		else
			printf("  not ours: %s\n", line);
	}
	free(text);
}

/* Until n requests wait in /proc/locks (each child's blocks right away). */
static void wait_waiters(int n)
{
	for (int i = 0; i < 400 && show_proc_locks(false) < n; i++)
		msleep(5);
}

static int setlk(int fd, int cmd, int type, off_t start, off_t len)
{
	struct flock l = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	return fcntl(fd, cmd, &l);
}

static void start_child(int i, const char *file, int type, off_t start, off_t len)
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		int fd = open(file, O_RDWR);
		if (len < 0)
			flock(fd, type == F_WRLCK ? LOCK_EX : LOCK_SH);
		else
			setlk(fd, F_SETLKW, type, start, len);
		_exit(0);
	}
	children[i] = p;
}

int test_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	/* Linux lists each CPU's locks apart: one CPU gives a single newest-first order */
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
	if (access("/proc/self/stat", R_OK) != 0)
		mount("proc", "/proc", "proc", 0, NULL);   /* as init in the guest */

	int fd = open("file", O_RDWR | O_CREAT, 0644);
	int ofd = open("file", O_RDWR);
	int ffd = open("ffile", O_RDWR | O_CREAT, 0644);
	note_devino(0);
	note_devino(1);
	printf("no locks yet: %d waiters\n", show_proc_locks(true));

	CHECK_ERRNO(setlk(fd, F_SETLK, F_RDLCK, 20, 0), "POSIX read 20-EOF");
	CHECK_ERRNO(setlk(fd, F_SETLK, F_WRLCK, 0, 10), "POSIX write 0-9");
	CHECK_ERRNO(setlk(ofd, F_OFD_SETLK, F_WRLCK, 12, 4), "OFD write 12-15");
	CHECK_ERRNO(flock(ffd, LOCK_EX), "flock LOCK_EX");
	start_child(0, "file", F_WRLCK, 5, 3);     /* waits for the write lock 0-9 */
	wait_waiters(1);
	start_child(1, "file", F_WRLCK, 6, 1);     /* waits for child 1's request too */
	wait_waiters(2);
	start_child(2, "ffile", F_RDLCK, 0, -1);   /* flock LOCK_SH, waits for ours */
	wait_waiters(3);
	printf("/proc/locks:\n");
	show_proc_locks(true);
	show_fdinfo("POSIX fd", getpid(), fd);
	show_fdinfo("OFD fd", getpid(), ofd);
	show_fdinfo("flock fd", getpid(), ffd);
	show_fdinfo("stdout", getpid(), 1);
	for (int i = 0; i < MAX_CHILDREN; i++) {
		kill(children[i], SIGKILL);
		wait_for(children[i]);
	}
	memset(children, 0, sizeof(children));

	CHECK_ERRNO(setlk(fd, F_SETLK, F_UNLCK, 3, 3), "unlock 3-5 (splits 0-9)");
	CHECK_ERRNO(flock(ffd, LOCK_SH), "flock converted to LOCK_SH");
	printf("/proc/locks after the split:\n");
	show_proc_locks(true);
	show_fdinfo("POSIX fd", getpid(), fd);
	show_fdinfo("flock fd", getpid(), ffd);
	CHECK_ERRNO(setlk(fd, F_SETLK, F_WRLCK, 3, 3), "write 3-5 (merges with both pieces)");
	CHECK_ERRNO(setlk(fd, F_SETLK, F_WRLCK, 30, 5), "write 30-34 (splits the read lock)");
	printf("/proc/locks after the merge:\n");
	show_proc_locks(true);
	show_fdinfo("POSIX fd", getpid(), fd);

	int dupfd = dup(fd);
	close(dupfd);   /* any close drops the process's POSIX locks */
	CHECK_ERRNO(flock(ffd, LOCK_UN), "flock LOCK_UN");
	printf("after close and LOCK_UN:\n");
	show_proc_locks(true);
	show_fdinfo("OFD fd", getpid(), ofd);
	close(ofd);
	printf("after closing the OFD file: %d waiters\n", show_proc_locks(true));
	return 0;
}
