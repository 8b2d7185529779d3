/* inotify, the descriptor and its calls: init flags, add_watch errno rules (EINVAL for
 * masks and non-inotify fds, EBADF, ENOENT, ENOTDIR with IN_ONLYDIR, EEXIST with
 * IN_MASK_CREATE, EACCES without read permission, EFAULT), one wd per inode, cyclic wd
 * numbers, IN_MASK_ADD, rm_watch and IN_IGNORED, IN_ONESHOT, IN_DONT_FOLLOW; reading:
 * record layout and name padding, EINVAL for a short buffer, partial reads, EAGAIN,
 * FIONREAD, coalescing of identical events, poll, epoll, a blocking read woken by
 * another process, IN_Q_OVERFLOW at max_queued_events, /proc/sys/fs/inotify. */
#include "check.h"
#include "inotify_show.h"
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/syscall.h>

static void errors(void)
{
	CHECK_ERRNO(inotify_init1(0x1234), "init1 bad flags");
	CHECK_ERRNO(inotify_init1(IN_NONBLOCK | 1), "init1 IN_NONBLOCK|1");
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	printf("init1: fd %d FD_CLOEXEC=%d O_NONBLOCK=%d rdonly=%d\n", fd,
	       fcntl(fd, F_GETFD) & FD_CLOEXEC, !!(fcntl(fd, F_GETFL) & O_NONBLOCK),
	       (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY);
	int plain = inotify_init();
	printf("init: FD_CLOEXEC=%d O_NONBLOCK=%d\n", fcntl(plain, F_GETFD) & FD_CLOEXEC,
	       !!(fcntl(plain, F_GETFL) & O_NONBLOCK));
	char link[64], target[256];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	long n = readlink(link, target, sizeof target - 1);
	target[n > 0 ? n : 0] = 0;
	printf("fd link: %s\n", target);
	close(plain);

	write_file("f", "data", 0644);
	mkdir("d", 0755);
	symlink("f", "lnk");
	CHECK_ERRNO(inotify_add_watch(fd, "f", 0), "add_watch mask 0");
	CHECK_ERRNO(inotify_add_watch(fd, "f", IN_MASK_ADD | IN_MASK_CREATE | IN_MODIFY),
		    "add_watch MASK_ADD|MASK_CREATE");
	CHECK_ERRNO(inotify_add_watch(99, "f", 0), "add_watch bad fd, mask 0");
	CHECK_ERRNO(inotify_add_watch(99, "f", IN_MODIFY), "add_watch bad fd");
	CHECK_ERRNO(inotify_add_watch(0, "f", IN_MODIFY), "add_watch non-inotify fd");
	CHECK_ERRNO(inotify_add_watch(fd, "missing", IN_MODIFY), "add_watch missing");
	CHECK_ERRNO(inotify_add_watch(fd, "f", IN_MODIFY | IN_ONLYDIR), "add_watch ONLYDIR on file");
	CHECK_ERRNO(inotify_add_watch(fd, "f/", IN_MODIFY), "add_watch f/");
	CHECK_ERRNO(syscall(SYS_inotify_add_watch, fd, (char *)8, IN_MODIFY), "add_watch bad path");
	CHECK_ERRNO(inotify_add_watch(fd, "", IN_MODIFY), "add_watch empty path");
	CHECK_ERRNO(inotify_add_watch(fd, "f", IN_ONLYDIR), "add_watch ONLYDIR only, on a file");
	CHECK_ERRNO(inotify_add_watch(99, "f", IN_MODIFY | 0x1000), "add_watch unknown bit, bad fd");
	CHECK_ERRNO(inotify_add_watch(fd, "missing", IN_MASK_ADD | IN_MASK_CREATE), "add_watch MASK_ADD|MASK_CREATE, missing");
	CHECK_ERRNO(inotify_add_watch(fd, "f", IN_MODIFY | 0x00010000), "add_watch unknown bit");
	CHECK_VAL(inotify_add_watch(fd, "f", IN_DONT_FOLLOW), "add_watch flags only");
	CHECK_VAL(inotify_add_watch(fd, "f", IN_MODIFY), "add_watch f again");
	CHECK_VAL(inotify_add_watch(fd, "lnk", IN_ATTRIB), "add_watch lnk (follows to f)");
	CHECK_VAL(inotify_add_watch(fd, "lnk", IN_ATTRIB | IN_DONT_FOLLOW), "add_watch lnk DONT_FOLLOW");
	CHECK_ERRNO(inotify_add_watch(fd, "f", IN_ATTRIB | IN_MASK_CREATE), "add_watch f MASK_CREATE");
	CHECK_VAL(inotify_add_watch(fd, "d", IN_CREATE | IN_ONLYDIR | IN_MASK_CREATE), "add_watch d");
	CHECK_ERRNO(inotify_rm_watch(fd, 99), "rm_watch unknown wd");
	CHECK_ERRNO(inotify_rm_watch(fd, -1), "rm_watch -1");
	CHECK_ERRNO(inotify_rm_watch(99, 1), "rm_watch bad fd");
	CHECK_ERRNO(inotify_rm_watch(0, 1), "rm_watch non-inotify fd");
	CHECK_ERRNO(inotify_rm_watch(fd, 2), "rm_watch lnk's wd");
	CHECK_ERRNO(inotify_rm_watch(fd, 2), "rm_watch it again");
	ino_drain("after rm_watch", fd);
	CHECK_VAL(inotify_add_watch(fd, "lnk", IN_ATTRIB | IN_DONT_FOLLOW), "add_watch lnk again (new wd)");

	/* the mask is replaced, or added to with IN_MASK_ADD */
	CHECK_VAL(inotify_add_watch(fd, "f", IN_ATTRIB), "add_watch f ATTRIB only");
	write_file("f", "x", 0644);
	ino_drain("write with ATTRIB only", fd);
	CHECK_VAL(inotify_add_watch(fd, "f", IN_MODIFY | IN_MASK_ADD), "add_watch f MASK_ADD MODIFY");
	chmod("f", 0600);
	int w = open("f", O_WRONLY);
	CHECK_VAL(write(w, "y", 1), "write");
	close(w);
	ino_drain("chmod and write with ATTRIB|MODIFY", fd);

	/* read permission is needed, and checked as the caller */
	chmod("f", 0);
	pid_t pid = fork();
	if (pid == 0) {
		if (setgid(1000) || setuid(1000))
			_exit(3);
		CHECK_ERRNO(inotify_add_watch(fd, "f", IN_MODIFY), "uid 1000: add_watch mode 0 file");
		_exit(0);
	}
	wait_for(pid);
	close(fd);
}

static void oneshot_and_layout(void)
{
	int fd = inotify_init1(IN_NONBLOCK);
	CHECK_VAL(inotify_add_watch(fd, ".", IN_CREATE | IN_ONESHOT), "add_watch . ONESHOT");
	CHECK_VAL(inotify_add_watch(fd, "f", IN_ATTRIB | IN_ONESHOT), "add_watch f ONESHOT");
	close(open("a", O_CREAT | O_WRONLY, 0644));
	close(open("bb", O_CREAT | O_WRONLY, 0644));
	chmod("f", 0644);
	chmod("f", 0600);
	int avail = -1;
	CHECK_ERRNO(ioctl(fd, FIONREAD, &avail), "FIONREAD");
	printf("FIONREAD: %d\n", avail);
	char buf[4096] __attribute__((aligned(8)));
	CHECK_ERRNO(read(fd, buf, 0), "read 0 bytes");
	CHECK_ERRNO(read(fd, buf, sizeof(struct inotify_event)), "read header only (name needs more)");
	CHECK_VAL(read(fd, buf, sizeof(struct inotify_event) + 16 + 4), "read room for one and a bit");
	ino_show_buf(buf, sizeof(struct inotify_event) + 16);
	long n = read(fd, buf, sizeof buf);
	printf("read rest: %ld\n", n);
	ino_show_buf(buf, n);
	CHECK_ERRNO(read(fd, buf, sizeof buf), "read empty");
	CHECK_ERRNO(ioctl(fd, FIONREAD, &avail), "FIONREAD empty");
	printf("FIONREAD: %d\n", avail);
	CHECK_ERRNO(inotify_rm_watch(fd, 1), "rm_watch oneshot wd after its event");

	/* names of every length up to the padding boundaries */
	CHECK_VAL(inotify_add_watch(fd, ".", IN_CREATE), "add_watch . CREATE");
	const char *names[] = { "c", "fifteen_chars_x", "sixteen_chars_xx", "seventeen_chars_x" };
	for (int i = 0; i < 4; i++)
		mkdir(names[i], 0755);
	ino_drain("names", fd);
	CHECK_ERRNO(ioctl(fd, 0x12345, &avail), "unknown ioctl");
	CHECK_ERRNO(ioctl(fd, FIONREAD, (int *)8), "FIONREAD bad pointer");
	mkdir("e", 0755);
	CHECK_ERRNO(syscall(SYS_read, fd, (char *)8, 4096), "read into bad pointer");
	ino_drain("after the bad read", fd);
	close(fd);
}

static void coalescing(void)
{
	int fd = inotify_init1(IN_NONBLOCK);
	inotify_add_watch(fd, ".", IN_MODIFY | IN_ATTRIB);
	int w = open("f", O_WRONLY);
	for (int i = 0; i < 5; i++)
		write(w, "z", 1);
	ino_drain("five writes", fd);
	write(w, "z", 1);
	fchmod(w, 0644);
	write(w, "z", 1);
	write(w, "z", 1);
	int w2 = open("a", O_WRONLY);
	write(w2, "q", 1);
	write(w, "z", 1);
	ino_drain("write, chmod, write x2, write a, write f", fd);
	/* a watch on the file too: parent and self events alternate, so nothing merges */
	inotify_add_watch(fd, "f", IN_MODIFY);
	write(w, "z", 1);
	write(w, "z", 1);
	ino_drain("two writes, dir and file watched", fd);
	close(w);
	close(w2);
	close(fd);
}

static void waiting(void)
{
	int fd = inotify_init1(IN_NONBLOCK);
	inotify_add_watch(fd, ".", IN_CREATE);
	struct pollfd pf = { fd, POLLIN | POLLOUT, 0 };
	int r = poll(&pf, 1, 0);
	printf("poll empty: %d revents 0x%x\n", r, pf.revents);
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 };
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), "epoll_ctl add");
	printf("epoll empty: %d\n", epoll_wait(ep, &ev, 1, 0));
	CHECK_ERRNO(write(fd, "x", 1), "write to the inotify fd");
	mkdir("p1", 0755);
	r = poll(&pf, 1, 0);
	printf("poll: %d revents 0x%x\n", r, pf.revents);
	ev.data.u32 = 0;
	r = epoll_wait(ep, &ev, 1, 0);
	printf("epoll: %d events 0x%x data %u\n", r, ev.events, ev.data.u32);
	ino_drain("drained", fd);

	/* a blocking read, and a child that makes the event a little later */
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	pid_t pid = fork();
	if (pid == 0) {
		msleep(50);
		mkdir("p2", 0755);
		_exit(0);
	}
	char buf[256] __attribute__((aligned(8)));
	long n = read(fd, buf, sizeof buf);
	printf("blocking read: %ld\n", n);
	ino_show_buf(buf, n);
	wait_for(pid);
	/* epoll_wait woken by an event */
	pid = fork();
	if (pid == 0) {
		msleep(50);
		mkdir("p3", 0755);
		_exit(0);
	}
	r = epoll_wait(ep, &ev, 1, 5000);
	printf("epoll_wait: %d events 0x%x\n", r, ev.events);
	wait_for(pid);
	fcntl(fd, F_SETFL, fl);
	ino_drain("drained", fd);
	close(ep);
	close(fd);
}

static int read_int(const char *path)
{
	char buf[32];
	return read_file(path, buf, sizeof buf) > 0 ? atoi(buf) : -1;
}

static void overflow(void)
{
	int max = read_int("/proc/sys/fs/inotify/max_queued_events");
	printf("max_queued_events is 16384: %d\n", max == 16384);
	printf("max_user_instances is 128: %d\n",
	       read_int("/proc/sys/fs/inotify/max_user_instances") == 128);
	printf("max_user_watches >= 8192: %d\n",
	       read_int("/proc/sys/fs/inotify/max_user_watches") >= 8192);
	if (max <= 0 || max > 100000)
		return;
	int fd = inotify_init1(IN_NONBLOCK);
	inotify_add_watch(fd, ".", IN_ACCESS);
	inotify_add_watch(fd, "f", IN_ACCESS);
	chmod("f", 0644);
	int r = open("f", O_RDONLY);
	char c;
	/* each read makes a (dir, name) and a (file) event, which never merge */
	for (int i = 0; i < max / 2 + 5; i++)
		pread(r, &c, 1, 0);
	close(r);
	static char buf[1 << 20] __attribute__((aligned(8)));
	long total = 0, n;
	struct inotify_event last = { 0 };
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (long off = 0; off < n;) {
			struct inotify_event *e = (void *)(buf + off);
			total++;
			last = *e;
			off += (long)sizeof(*e) + e->len;
		}
	}
	printf("events queued is max+1: %d\n", total == max + 1);
	char m[64];
	ino_mask_str(last.mask, m, sizeof m);
	printf("last: wd=%d %s len=%u cookie=%u\n", last.wd, m, last.len, last.cookie);
	/* once read, events queue again */
	r = open("f", O_RDONLY);
	pread(r, &c, 1, 0);
	close(r);
	ino_drain("after the overflow", fd);
	close(fd);
}

static void instances(void)
{
	int fds[200], n = 0, err = 0;
	for (; n < 200; n++) {
		fds[n] = inotify_init1(0);
		if (fds[n] < 0) {
			err = errno;
			break;
		}
	}
	/* other programs of the host's root may hold some of the 128 */
	printf("instances: at most 128, then %s: %d\n", errname(err), n <= 128);
	while (n > 0)
		close(fds[--n]);
}

int test_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int mounted = check_mount_proc();
	errors();
	oneshot_and_layout();
	coalescing();
	waiting();
	overflow();
	instances();
	if (mounted)
		umount("/proc");
	return 0;
}
