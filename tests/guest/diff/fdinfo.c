/* /proc/<pid>/fdinfo/<n> of eventfd, timerfd, signalfd, epoll and inotify descriptors:
 * the lines each kind adds after pos/flags/mnt_id/ino, in Linux's exact format, and the
 * /proc/<pid>/fd/<n> link as ls -l shows it (anon_inode:[eventfd]...). Fields that differ between
 * kernels are checked, not printed: mnt_id and ino are numbers, eventfd-id a number
 * distinct per eventfd, an epoll item's ino and sdev those of fstat on the watched
 * descriptor (sdev in the kernel's major << 20 | minor), an inotify watch's those of stat
 * on the watched path. Linux may end an inotify line with the file handle
 * (fhandle-bytes:...), which depends on the filesystem: only what comes before is shown.
 * A re-made line from the parsed values must equal the original, so widths and spacing
 * are checked too. */
#include "check.h"
#include <stdbool.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/sysmacros.h>
#include <sys/timerfd.h>

#define MAX_WD 8
static const char *wd_path[MAX_WD];   /* what each inotify wd watches, for ino/sdev */

static unsigned kernel_dev(dev_t d)
{
	return major(d) << 20 | minor(d);
}

static const char *is_number(const char *s)
{
	char *end;
	strtoll(s, &end, 10);
	return end != s && *end == 0 ? "a number" : s;
}

static void show_it_value(const char *v)
{
	unsigned long long sec, nsec;
	if (sscanf(v, "(%llu, %llu)", &sec, &nsec) != 2)
		printf("it_value: bad: %s\n", v);
	else if (!sec && !nsec)
		printf("it_value: (0, 0)\n");
	else
		printf("it_value: armed, %s\n", sec <= 100 && sec >= 90 && nsec < 1000000000 ? "90..100 s" :
		       sec == 0 ? "under 1 s" : "out of range");
}

struct tfd_line { int fd; unsigned events; unsigned long long data; long long pos; bool same, format; };

static int by_tfd(const void *a, const void *b)
{
	return ((const struct tfd_line *)a)->fd - ((const struct tfd_line *)b)->fd;
}

static void parse_tfd(const char *line, struct tfd_line *t)
{
	unsigned long ino;
	unsigned sdev;
	char again[256];
	memset(t, 0, sizeof(*t));
	if (sscanf(line, "tfd: %d events: %x data: %llx  pos:%lli ino:%lx sdev:%x", &t->fd,
		   &t->events, &t->data, &t->pos, &ino, &sdev) != 6)
		return;
	snprintf(again, sizeof(again), "tfd: %8d events: %8x data: %16llx  pos:%lli ino:%lx sdev:%x",
		 t->fd, t->events, t->data, t->pos, ino, sdev);
	t->format = strcmp(again, line) == 0;
	struct stat st;
	t->same = fstat(t->fd, &st) == 0 && st.st_ino == ino && kernel_dev(st.st_dev) == sdev;
}

static void show_inotify_line(const char *line)
{
	unsigned wd, sdev, mask, ignored;
	unsigned long ino;
	int n = 0;
	char again[256];
	if (sscanf(line, "inotify wd:%x ino:%lx sdev:%x mask:%x ignored_mask:%x%n", &wd, &ino,
		   &sdev, &mask, &ignored, &n) != 5) {
		printf("bad inotify line: %s\n", line);
		return;
	}
	snprintf(again, sizeof(again), "inotify wd:%x ino:%lx sdev:%x mask:%x ignored_mask:%x",
		 wd, ino, sdev, mask, ignored);
	struct stat st;
	bool same = wd < MAX_WD && wd_path[wd] && stat(wd_path[wd], &st) == 0 &&
		    st.st_ino == ino && kernel_dev(st.st_dev) == sdev;
	printf("inotify wd:%x mask:%x ignored_mask:%x ino/sdev: %s format: %s rest: %s\n", wd, mask,
	       ignored, same ? "as stat" : "differ", strncmp(again, line, (size_t)n) ? "bad" : "ok",
	       line[n] == 0 || strncmp(line + n, " fhandle-bytes:", 15) == 0 ? "ok" : line + n);
}

static void show_line(const char *line)
{
	const char *v = strchr(line, ':');
	v = v ? v + 1 : line;
	v += strspn(v, " \t");
	if (!strncmp(line, "mnt_id:\t", 8) || !strncmp(line, "ino:\t", 5) ||
	    !strncmp(line, "eventfd-id: ", 12))
		printf("%.*s %s\n", (int)(strchr(line, ':') - line + 1), line, is_number(v));
	else if (!strncmp(line, "it_value: ", 10))
		show_it_value(v);
	else if (!strncmp(line, "inotify ", 8))
		show_inotify_line(line);
	else
		printf("%s\n", line);
}

/* fdinfo/<fd> of pid (0: self), line by line; epoll items sorted by descriptor (Linux
 * orders them by the watched file's address). */
static void show_fdinfo_of(const char *label, pid_t pid, int fd)
{
	char path[64], buf[8192];
	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	else
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	printf("-- %s\n", label);
	if (read_file(path, buf, sizeof(buf)) < 0) {
		printf("read %s: %s\n", path, errname(errno));
		return;
	}
	struct tfd_line tfd[16];
	int ntfd = 0;
	for (char *line = buf, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl) {
			printf("no newline at the end: %s\n", line);
			break;
		}
		*nl = 0;
		if (!strncmp(line, "tfd: ", 5) && ntfd < 16)
			parse_tfd(line, &tfd[ntfd++]);
		else
			show_line(line);
	}
	qsort(tfd, (size_t)ntfd, sizeof(tfd[0]), by_tfd);
	for (int i = 0; i < ntfd; i++)
		printf("tfd: %d events: %x data: %llx pos:%lld ino/sdev: %s format: %s\n", tfd[i].fd,
		       tfd[i].events, tfd[i].data, tfd[i].pos, tfd[i].same ? "as fstat" : "differ",
		       tfd[i].format ? "ok" : "bad");
}

static void show_fdinfo(const char *label, int fd)
{
	show_fdinfo_of(label, 0, fd);
}

/* The fd/<n> link as ls -l shows it: its permission bits, size and text. */
static void show_link(int fd)
{
	char path[64], target[256];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	if (n < 0 || lstat(path, &st) < 0) {
		printf("fd link: %s\n", errname(errno));
		return;
	}
	target[n] = 0;
	printf("fd link: 0%o size %lld %s\n", st.st_mode & 0777, (long long)st.st_size, target);
}

static void eventfds(void)
{
	int a = eventfd(5, EFD_NONBLOCK), b = eventfd(0, EFD_SEMAPHORE | EFD_CLOEXEC);
	show_link(a);
	show_fdinfo("eventfd 5, EFD_NONBLOCK", a);
	show_fdinfo("eventfd 0, EFD_SEMAPHORE | EFD_CLOEXEC", b);
	uint64_t v = 0x123456789abcdefULL;
	CHECK_ERRNO(write(b, &v, sizeof(v)), "write");
	CHECK_ERRNO(read(a, &v, sizeof(v)), "read");
	show_fdinfo("after write 0x123456789abcdef", b);
	show_fdinfo("after read", a);

	char pa[4096], pb[4096], path[64];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", a);
	read_file(path, pa, sizeof(pa));
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", b);
	read_file(path, pb, sizeof(pb));
	const char *ia = strstr(pa, "eventfd-id:"), *ib = strstr(pb, "eventfd-id:");
	SHOW_BOOL("ids differ", ia && ib && atoi(ia + 11) != atoi(ib + 11));

	int c = dup(a);
	show_fdinfo("dup of the first", c);
	pid_t child = fork();
	if (child == 0) {
		show_fdinfo_of("the first, read by a child", getppid(), a);
		_exit(0);
	}
	wait_for(child);
	close(a);
	close(b);
	close(c);
}

static int arm(int fd, int flags, time_t vs, long vns, time_t is, long ins)
{
	struct itimerspec its = { { is, ins }, { vs, vns } };
	return timerfd_settime(fd, flags, &its, NULL);
}

static void timerfds(void)
{
	int mono = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	show_link(mono);
	show_fdinfo("monotonic, unarmed", mono);
	arm(mono, 0, 100, 0, 1, 500);
	show_fdinfo("relative 100 s, interval (1, 500)", mono);

	int per = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	arm(per, 0, 0, 1000000, 0, 1000000);
	msleep(20);
	show_fdinfo("realtime 1 ms periodic, fired, not read", per);
	struct itimerspec cur;
	timerfd_gettime(per, &cur);
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", per);
	read_file(path, buf, sizeof(buf));
	const char *tk = strstr(buf, "ticks: ");
	printf("after gettime: ticks > 1: %d\n", tk && strtoull(tk + 7, NULL, 10) > 1);
	uint64_t n;
	CHECK_ERRNO(read(per, &n, sizeof(n)), "read");
	arm(per, 0, 0, 0, 0, 0);
	show_fdinfo("disarmed", per);

	int once = timerfd_create(CLOCK_BOOTTIME, 0);
	arm(once, 0, 0, 1000, 0, 0);
	msleep(5);
	show_fdinfo("boottime one-shot, fired", once);
	CHECK_ERRNO(read(once, &n, sizeof(n)), "read");
	show_fdinfo("after read", once);

	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int abs = timerfd_create(CLOCK_REALTIME, 0);
	arm(abs, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, now.tv_sec + 95, 0, 0, 0);
	show_fdinfo("realtime, ABSTIME | CANCEL_ON_SET", abs);
	arm(abs, TFD_TIMER_ABSTIME, 0, 0, 0, 0);
	show_fdinfo("then ABSTIME, disarmed", abs);
	close(mono);
	close(per);
	close(once);
	close(abs);
}

static void signalfds(void)
{
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGRTMIN + 2);
	sigaddset(&m, SIGKILL);
	int fd = signalfd(-1, &m, SFD_NONBLOCK);
	show_link(fd);
	show_fdinfo("USR1, RTMIN+2, KILL", fd);
	sigfillset(&m);
	CHECK_ERRNO(signalfd(fd, &m, 0), "new mask");
	show_fdinfo("every signal", fd);
	sigemptyset(&m);
	CHECK_ERRNO(signalfd(fd, &m, 0), "empty mask");
	show_fdinfo("no signal", fd);
	close(fd);
}

static void epolls(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC), efd = eventfd(1, 0), p[2], inner = epoll_create(1);
	CHECK_RC(pipe(p), "pipe");
	show_link(ep);
	show_fdinfo("empty epoll", ep);
	struct epoll_event ev = { EPOLLIN | EPOLLET, { .u64 = 0x1234567890abcdefULL } };
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev), "add pipe write end");
	ev = (struct epoll_event){ EPOLLIN | EPOLLONESHOT, { .u64 = 7 } };
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev), "add eventfd");
	ev = (struct epoll_event){ EPOLLOUT | EPOLLRDHUP | EPOLLPRI, { .fd = p[0] } };
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), "add pipe read end");
	ev = (struct epoll_event){ EPOLLIN, { .u64 = ~0ULL } };
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, inner, &ev), "add epoll");
	show_fdinfo("four items", ep);
	struct epoll_event out[4];
	CHECK_VAL(epoll_wait(ep, out, 4, 0), "epoll_wait");
	show_fdinfo("the one-shot fired", ep);
	ev = (struct epoll_event){ EPOLLOUT, { .u64 = 8 } };
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_MOD, efd, &ev), "mod eventfd");
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL), "del pipe write end");
	int d = dup(p[0]);
	close(p[0]);
	show_fdinfo("modified, one removed, one's fd closed but dup'd", ep);
	close(d);
	show_fdinfo("the dup closed too", ep);
	close(ep);
	close(efd);
	close(p[1]);
	close(inner);
}

static void inotifies(void)
{
	int in = inotify_init1(IN_NONBLOCK), in0 = inotify_init();
	CHECK_RC(write_file("file", "x", 0644), "file");
	show_link(in);
	show_fdinfo("inotify_init, no watches", in0);
	int w1 = inotify_add_watch(in, ".", IN_CREATE | IN_DELETE | IN_ONLYDIR);
	int w2 = inotify_add_watch(in, "file", IN_MODIFY | IN_ONESHOT | IN_EXCL_UNLINK | IN_DONT_FOLLOW);
	int w3 = inotify_add_watch(in, "/", IN_ALL_EVENTS);
	if (w1 > 0 && w1 < MAX_WD && w2 > 0 && w2 < MAX_WD && w3 > 0 && w3 < MAX_WD) {
		wd_path[w1] = ".";
		wd_path[w2] = "file";
		wd_path[w3] = "/";
	}
	show_fdinfo("three watches", in);
	CHECK_VAL(inotify_add_watch(in, ".", IN_ATTRIB | IN_MASK_ADD), "IN_MASK_ADD");
	CHECK_VAL(inotify_add_watch(in, "file", IN_OPEN), "replace");
	CHECK_ERRNO(inotify_rm_watch(in, w3), "rm_watch");
	show_fdinfo("one added to, one replaced, one removed", in);
	CHECK_RC(write_file("file", "y", 0644), "write file");
	CHECK_RC(unlink("file"), "unlink");
	show_fdinfo("file opened and unlinked", in);
	close(in);
	close(in0);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	bool mounted_proc = check_mount_proc();
	eventfds();
	timerfds();
	signalfds();
	epolls();
	inotifies();
	if (mounted_proc)
		umount("/proc");
	return 0;
}
