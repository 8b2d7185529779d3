/* /proc basics (mounted here if the guest has not mounted it yet):
 * /proc/self is a link to our pid, /proc/self/exe ends with our name,
 * /proc/self/stat fields (pid, comm, state, ppid, pgrp, session),
 * /proc/self/cmdline equals argv, /proc/self/status (Name after
 * PR_SET_NAME, Pid, PPid, Uid, Threads), /proc/self/fd links, /proc/self/cwd,
 * /proc/self/maps has [stack], /proc/<child>/stat state of stopped and
 * zombie children, /proc/self/task, /proc/<missing> ENOENT. */
#include "check.h"
#include <pthread.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>

static int mounted_here;

static void ensure_proc(void)
{
	struct stat st;
	if (stat("/proc/self", &st) == 0)
		return;
	mkdir("/proc", 0555);
	if (mount("proc", "/proc", "proc", 0, NULL) == 0)
		mounted_here = 1;
}

/* field n (1-based) of a /proc/<pid>/stat line; comm is field 2 */
static void stat_field(const char *line, int n, char *out, size_t cap)
{
	const char *rp = strrchr(line, ')');
	if (n == 1) {
		snprintf(out, cap, "%ld", atol(line));
		return;
	}
	if (n == 2) {
		const char *lp = strchr(line, '(');
		snprintf(out, cap, "%.*s", (int)(rp - lp - 1), lp + 1);
		return;
	}
	const char *p = rp + 2;
	for (int i = 3; i < n; i++) {
		p = strchr(p, ' ');
		if (!p) { out[0] = 0; return; }
		p++;
	}
	size_t l = strcspn(p, " \n");
	snprintf(out, cap, "%.*s", (int)l, p);
}

static const char *status_line(const char *buf, const char *key)
{
	static char v[256];
	const char *p = strstr(buf, key);
	if (!p)
		return "<missing>";
	p += strlen(key);
	while (*p == ' ' || *p == '\t')
		p++;
	size_t l = strcspn(p, "\n");
	snprintf(v, sizeof v, "%.*s", (int)l, p);
	for (char *q = v; *q; q++)
		if (*q == '\t')
			*q = ' ';
	return v;
}

static void *sleeper(void *a)
{
	(void)a;
	msleep(200);
	return NULL;
}

/* The line of /proc/self/maps naming path (" path\n" at its end), or NULL. */
static const char *maps_line_of(const char *maps, const char *path)
{
	static char line[4096];
	size_t pl = strlen(path);
	for (const char *l = maps; *l; ) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		if (n > pl && l[n - pl - 1] == ' ' && memcmp(l + n - pl, path, pl) == 0) {
			snprintf(line, sizeof line, "%.*s", (int)n, l);
			return line;
		}
		l += n + (nl ? 1 : 0);
	}
	return NULL;
}

/* A file mapping's line carries the file's guest path, device and inode number. */
static void show_maps_file(const char *label, const char *maps, const char *path)
{
	struct stat st;
	const char *line = maps_line_of(maps, path);
	unsigned maj = 0, min = 0;
	unsigned long ino = 0;
	SHOW_BOOL(label, line != NULL);
	if (!line || stat(path, &st) != 0 ||
	    sscanf(line, "%*x-%*x %*s %*x %x:%x %lu", &maj, &min, &ino) != 3)
		return;
	SHOW_BOOL("  its device and inode are the file's",
		  maj == major(st.st_dev) && min == minor(st.st_dev) && ino == st.st_ino);
}

static void maps_checks(void)
{
	static char maps[65536];
	char exe[4096], file[4096];
	if (!realpath(self_exe, exe))
		snprintf(exe, sizeof exe, "%s", self_exe);
	write_file("mapped", "mapped file", 0644);
	realpath("mapped", file);
	int fd = open("mapped", O_RDONLY);
	void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	void *heap = malloc(50000);
	read_file("/proc/self/maps", maps, sizeof maps);
	show_maps_file("/proc/self/maps names our executable by its path", maps, exe);
	show_maps_file("/proc/self/maps names a mapped file by its path", maps, file);
	SHOW_BOOL("/proc/self/maps has [heap] after malloc", strstr(maps, "[heap]") != NULL);
	unlink("mapped");
	read_file("/proc/self/maps", maps, sizeof maps);
	strcat(file, " (deleted)");
	SHOW_BOOL("an unlinked mapped file is \"(deleted)\"", maps_line_of(maps, file) != NULL);
	free(heap);
	munmap(m, 4096);
	close(fd);
}

int test_main(int argc, char **argv)
{
	ensure_proc();
	char buf[8192], path[256], link[4096];
	pid_t me = getpid();

	ssize_t n = readlink("/proc/self", link, sizeof link - 1);
	link[n > 0 ? n : 0] = 0;
	SHOW_BOOL("/proc/self -> our pid", n > 0 && atol(link) == me);

	n = readlink("/proc/self/exe", link, sizeof link - 1);
	link[n > 0 ? n : 0] = 0;
	const char *base = strrchr(argv[0], '/');
	base = base ? base : argv[0];
	if (*base == '/')
		base++;
	size_t bl = strlen(base), ll = strlen(link);
	SHOW_BOOL("/proc/self/exe is absolute", link[0] == '/');
	SHOW_BOOL("/proc/self/exe ends with /<program name>", ll > bl && strcmp(link + ll - bl, base) == 0 && link[ll - bl - 1] == '/');

	read_file("/proc/self/stat", buf, sizeof buf);
	char f[128];
	stat_field(buf, 1, f, sizeof f);
	SHOW_BOOL("stat field 1 == getpid()", atol(f) == me);
	stat_field(buf, 2, f, sizeof f);
	char comm[16];
	snprintf(comm, sizeof comm, "%s", base);
	SHOW_BOOL("stat field 2 == program name (15 chars)", strcmp(f, comm) == 0);
	stat_field(buf, 3, f, sizeof f);
	SHOW_STR("stat field 3 (state)", f);
	stat_field(buf, 4, f, sizeof f);
	SHOW_BOOL("stat field 4 == getppid()", atol(f) == getppid());
	stat_field(buf, 5, f, sizeof f);
	SHOW_BOOL("stat field 5 == getpgrp()", atol(f) == getpgrp());
	stat_field(buf, 6, f, sizeof f);
	SHOW_BOOL("stat field 6 == getsid(0)", atol(f) == getsid(0));
	stat_field(buf, 20, f, sizeof f);
	SHOW_STR("stat field 20 (num_threads)", f);

	/* cmdline */
	int fd = open("/proc/self/cmdline", O_RDONLY);
	n = read(fd, buf, sizeof buf);
	close(fd);
	size_t want = 0;
	int same = 1;
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]) + 1;
		if (want + l > (size_t)(n > 0 ? n : 0) || memcmp(buf + want, argv[i], l) != 0)
			same = 0;
		want += l;
	}
	SHOW_BOOL("/proc/self/cmdline == argv", same && (size_t)n == want);

	/* status */
	prctl(PR_SET_NAME, "difftest-name");
	read_file("/proc/self/status", buf, sizeof buf);
	SHOW_STR("status Name after PR_SET_NAME", status_line(buf, "Name:"));
	SHOW_BOOL("status Pid == getpid()", atol(status_line(buf, "\nPid:")) == me);
	SHOW_BOOL("status PPid == getppid()", atol(status_line(buf, "PPid:")) == getppid());
	SHOW_STR("status Uid", status_line(buf, "Uid:"));
	SHOW_STR("status Gid", status_line(buf, "Gid:"));
	SHOW_STR("status Threads", status_line(buf, "Threads:"));
	SHOW_STR("status State", status_line(buf, "State:"));
	read_file("/proc/self/comm", buf, sizeof buf);
	printf("comm: %s", buf);
	write_file("/proc/self/comm", "via-comm", 0);
	char nm[17] = { 0 };
	prctl(PR_GET_NAME, nm);
	SHOW_STR("PR_GET_NAME after writing /proc/self/comm", nm);

	/* threads */
	pthread_t t;
	pthread_create(&t, NULL, sleeper, NULL);
	read_file("/proc/self/status", buf, sizeof buf);
	SHOW_STR("status Threads with 2 threads", status_line(buf, "Threads:"));
	DIR *d = opendir("/proc/self/task");
	int ntask = 0;
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			ntask++;
	if (d)
		closedir(d);
	SHOW_INT("/proc/self/task entries", ntask);
	pthread_join(t, NULL);

	/* fds */
	write_file("somefile", "x", 0644);
	fd = open("somefile", O_RDONLY);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof link - 1);
	link[n > 0 ? n : 0] = 0;
	SHOW_STR("/proc/self/fd/N of opened file (relative to scratch)", scratch_rel(link));
	int p[2];
	pipe(p);
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
	n = readlink(path, link, sizeof link - 1);
	link[n > 0 ? n : 0] = 0;
	SHOW_BOOL("pipe fd link starts with pipe:[", strncmp(link, "pipe:[", 6) == 0);
	d = opendir("/proc/self/fd");
	int has0 = 0, hasfd = 0, count = 0;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		count++;
		if (atoi(de->d_name) == 0)
			has0 = 1;
		if (atoi(de->d_name) == fd)
			hasfd = 1;
	}
	if (d)
		closedir(d);
	SHOW_BOOL("/proc/self/fd lists 0 and our fd", has0 && hasfd);
	SHOW_INT("/proc/self/fd entries (0-2, file, pipe x2, dir)", count);
	/* reopening through /proc/self/fd gives a new open file */
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	int fd2 = open(path, O_RDONLY);
	CHECK_ERRNO(fd2, "open /proc/self/fd/N");
	read(fd, buf, 1);
	SHOW_INT("reopened fd has its own offset", lseek(fd2, 0, SEEK_CUR));
	close(fd2);
	close(fd);
	close(p[0]);
	close(p[1]);

	/* cwd */
	n = readlink("/proc/self/cwd", link, sizeof link - 1);
	link[n > 0 ? n : 0] = 0;
	SHOW_STR("/proc/self/cwd (relative to scratch)", scratch_rel(link));

	/* maps */
	read_file("/proc/self/maps", buf, sizeof buf);
	SHOW_BOOL("/proc/self/maps has [stack]", strstr(buf, "[stack]") != NULL);
	SHOW_BOOL("/proc/self/maps mentions our executable", strstr(buf, base) != NULL);
	maps_checks();

	/* other processes */
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		raise(SIGSTOP);
		_exit(3);
	}
	int st;
	waitpid(c, &st, WUNTRACED);
	snprintf(path, sizeof path, "/proc/%d/stat", (int)c);
	read_file(path, buf, sizeof buf);
	stat_field(buf, 3, f, sizeof f);
	SHOW_STR("stopped child's state", f);
	stat_field(buf, 4, f, sizeof f);
	SHOW_BOOL("stopped child's ppid == us", atol(f) == me);
	kill(c, SIGCONT);
	siginfo_t si;
	waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	read_file(path, buf, sizeof buf);
	stat_field(buf, 3, f, sizeof f);
	SHOW_STR("zombie child's state", f);
	wait_for(c);
	CHECK_ERRNO(open(path, O_RDONLY), "open /proc/<reaped child>/stat");

	if (mounted_here)
		umount("/proc");
	return 0;
}
