/* signalfd: argument checks, flags, the file's look, reading pending signals (several
 * records per read, lowest signal first, real-time ones queued), siginfo for kill,
 * sigqueue, tgkill, a POSIX timer and SIGCHLD, blocking reads woken by another process,
 * EINTR from a handled signal, poll/select/epoll readiness (and epoll woken while
 * waiting), changing the mask of an existing signalfd, signals outside the mask staying
 * pending, a forked child reading only its own signals, and threads reading only their
 * own thread-directed signals (and their process's). */
#include "check.h"
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>

#define REC sizeof(struct signalfd_siginfo)

static pid_t me;

static void show_rec(const char *label, const struct signalfd_siginfo *r)
{
	printf("%s: %s code %d pid_ok %d uid_ok %d int %d\n", label, signame((int)r->ssi_signo),
	       r->ssi_code, r->ssi_pid == (uint32_t)me, r->ssi_uid == getuid(), r->ssi_int);
}

static void show_read(const char *label, int fd, size_t nrec)
{
	struct signalfd_siginfo r[8];
	memset(r, 0, sizeof r);
	ssize_t n = read(fd, r, nrec * REC);
	if (n < 0) {
		printf("%s: -1 %s\n", label, errname(errno));
		return;
	}
	printf("%s: %zd bytes (%zd records)\n", label, n, n / (ssize_t)REC);
	for (ssize_t i = 0; i < n / (ssize_t)REC; i++)
		show_rec("  record", &r[i]);
}

static void show_poll(const char *label, int fd)
{
	struct pollfd pf = { fd, POLLIN | POLLOUT | POLLPRI, 0 };
	int r = poll(&pf, 1, 0);
	printf("%s: %d revents%s%s%s\n", label, r, pf.revents & POLLIN ? " IN" : "",
	       pf.revents & POLLOUT ? " OUT" : "", pf.revents & POLLPRI ? " PRI" : "");
}

static sigset_t set_of(int a, int b)
{
	sigset_t s;
	sigemptyset(&s);
	if (a)
		sigaddset(&s, a);
	if (b)
		sigaddset(&s, b);
	return s;
}

static void arguments(void)
{
	sigset_t s = set_of(SIGUSR1, 0);
	CHECK_ERRNO(signalfd(-1, &s, 0x4000), "bad flags");
	CHECK_ERRNO(syscall(SYS_signalfd4, -1, &s, 4, 0), "mask size 4");
	CHECK_ERRNO(syscall(SYS_signalfd4, -1, &s, 16, 0), "mask size 16");
	CHECK_ERRNO(syscall(SYS_signalfd4, -1, (void *)8, 8, 0), "bad mask address");
	CHECK_ERRNO(syscall(SYS_signalfd, -1, &s, 4), "signalfd (old) size 4");
	int p[2];
	pipe(p);
	CHECK_ERRNO(signalfd(p[0], &s, 0), "on a pipe");
	close(p[0]);
	close(p[1]);
	CHECK_ERRNO(signalfd(p[0], &s, 0), "on a closed fd");
	CHECK_ERRNO(signalfd(-5, &s, 0), "fd -5");

	int fd = signalfd(-1, &s, SFD_NONBLOCK | SFD_CLOEXEC);
	printf("flags: FD_CLOEXEC=%d O_NONBLOCK=%d access O_RDWR=%d\n",
	       fcntl(fd, F_GETFD) & FD_CLOEXEC, !!(fcntl(fd, F_GETFL) & O_NONBLOCK),
	       (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
	struct stat st;
	fstat(fd, &st);
	printf("fstat: mode 0%o size %lld\n", st.st_mode, (long long)st.st_size);
	char path[64], link[64] = "";
	if (access("/proc/self/fd", F_OK) != 0)
		mount("proc", "/proc", "proc", 0, NULL);   /* the guest's init has none yet */
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	readlink(path, link, sizeof link - 1);
	printf("fd link: %s\n", link);
	int fd2 = syscall(SYS_signalfd, -1, &s, 8);
	printf("signalfd (old): FD_CLOEXEC=%d O_NONBLOCK=%d\n", fcntl(fd2, F_GETFD) & FD_CLOEXEC,
	       !!(fcntl(fd2, F_GETFL) & O_NONBLOCK));
	CHECK_VAL(signalfd(fd2, &s, SFD_NONBLOCK) == fd2, "new mask returns the same fd");
	printf("  and O_NONBLOCK=%d (flags only at creation)\n", !!(fcntl(fd2, F_GETFL) & O_NONBLOCK));
	close(fd2);

	show_read("read, nothing pending", fd, 1);
	char small[REC - 1];
	CHECK_ERRNO(read(fd, small, sizeof small), "read shorter than a record");
	CHECK_ERRNO(write(fd, small, sizeof small), "write");
	CHECK_ERRNO(lseek(fd, 0, SEEK_CUR), "lseek");
	close(fd);
}

static void reading(void)
{
	int rt = SIGRTMIN + 1;
	sigset_t all;
	sigemptyset(&all);
	sigaddset(&all, SIGUSR1);
	sigaddset(&all, SIGUSR2);
	sigaddset(&all, SIGHUP);
	sigaddset(&all, rt);
	sigprocmask(SIG_BLOCK, &all, NULL);
	int fd = signalfd(-1, &all, SFD_NONBLOCK);

	show_poll("poll, nothing pending", fd);
	kill(me, SIGUSR2);
	show_poll("poll, SIGUSR2 pending", fd);
	show_read("one record", fd, 1);
	show_poll("poll after reading", fd);

	kill(me, SIGUSR2);
	kill(me, SIGUSR1);
	kill(me, SIGUSR1);   /* merged with the first */
	union sigval v = { .sival_int = 41 };
	sigqueue(me, rt, v);
	v.sival_int = 42;
	sigqueue(me, rt, v);
	syscall(SYS_tgkill, me, syscall(SYS_gettid), SIGHUP);
	show_read("all at once", fd, 8);

	kill(me, SIGUSR1);
	kill(me, SIGUSR2);
	show_read("room for one of two", fd, 1);
	show_read("then the other", fd, 1);

	/* a signal outside the mask is not read and stays pending */
	sigset_t only1 = set_of(SIGUSR1, 0);
	int fd1 = signalfd(-1, &only1, SFD_NONBLOCK);
	kill(me, SIGUSR2);
	show_poll("poll, only a signal outside the mask", fd1);
	show_read("read, only a signal outside the mask", fd1, 1);
	sigset_t pend;
	sigpending(&pend);
	printf("SIGUSR2 still pending: %d\n", sigismember(&pend, SIGUSR2));
	/* the mask of an existing signalfd changes */
	sigset_t only2 = set_of(SIGUSR2, 0);
	CHECK_VAL(signalfd(fd1, &only2, 0) == fd1, "mask changed to SIGUSR2");
	show_poll("poll with the new mask", fd1);
	show_read("read with the new mask", fd1, 1);
	close(fd1);

	/* select and epoll see it too */
	kill(me, SIGHUP);
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	struct timeval tv = { 0, 0 };
	int r = select(fd + 1, &rs, NULL, NULL, &tv);
	printf("select: %d readable %d\n", r, FD_ISSET(fd, &rs) ? 1 : 0);
	int ep = epoll_create1(0);
	struct epoll_event e = { .events = EPOLLIN, .data.u32 = 7 };
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
	memset(&e, 0, sizeof e);
	r = epoll_wait(ep, &e, 1, 0);
	printf("epoll_wait: %d data %u IN %d\n", r, e.data.u32, !!(e.events & EPOLLIN));
	show_read("read", fd, 1);
	r = epoll_wait(ep, &e, 1, 0);
	printf("epoll_wait after reading: %d\n", r);
	close(ep);
	close(fd);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
}

static void kinds(void)
{
	sigset_t s = set_of(SIGCHLD, SIGALRM);
	sigprocmask(SIG_BLOCK, &s, NULL);
	int fd = signalfd(-1, &s, 0);

	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		_exit(3);
	struct signalfd_siginfo r;
	ssize_t n = read(fd, &r, sizeof r);
	printf("SIGCHLD: %zd %s code_exited %d pid_ok %d status %d\n", n, signame((int)r.ssi_signo),
	       r.ssi_code == CLD_EXITED, r.ssi_pid == (uint32_t)c, r.ssi_status);
	wait_for(c);

	timer_t tid;
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGALRM;
	sev.sigev_value.sival_int = 99;
	timer_create(CLOCK_MONOTONIC, &sev, &tid);
	struct itimerspec its = { { 0, 0 }, { 0, 20 * 1000000 } };
	timer_settime(tid, 0, &its, NULL);
	memset(&r, 0, sizeof r);
	n = read(fd, &r, sizeof r);
	printf("timer: %zd %s code_timer %d tid_ok %d overrun %u int %d\n", n, signame((int)r.ssi_signo),
	       r.ssi_code == SI_TIMER, r.ssi_tid == (uint32_t)(long)tid, r.ssi_overrun, r.ssi_int);
	timer_delete(tid);
	close(fd);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static volatile sig_atomic_t handled;
static void on_usr1(int sig) { (void)sig; handled++; }

static pid_t signal_me_later(int sig, int ms)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		msleep(ms);
		kill(getppid(), sig);
		_exit(0);
	}
	return c;
}

static void waiting(void)
{
	sigset_t s = set_of(SIGUSR2, 0);
	sigprocmask(SIG_BLOCK, &s, NULL);
	int fd = signalfd(-1, &s, 0);

	pid_t c = signal_me_later(SIGUSR2, 30);
	struct signalfd_siginfo r;
	ssize_t n = read(fd, &r, sizeof r);
	printf("blocking read woken: %zd %s pid_is_child %d\n", n, signame((int)r.ssi_signo),
	       r.ssi_pid == (uint32_t)c);
	wait_for(c);

	/* a handled signal outside the mask interrupts the read */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	c = signal_me_later(SIGUSR1, 30);
	n = read(fd, &r, sizeof r);
	printf("read interrupted: %zd %s handled %d\n", n, n < 0 ? errname(errno) : "", (int)handled);
	wait_for(c);
	/* with SA_RESTART it goes on waiting */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	c = signal_me_later(SIGUSR1, 30);
	pid_t c2 = signal_me_later(SIGUSR2, 80);
	n = read(fd, &r, sizeof r);
	printf("read restarted: %zd %s handled %d\n", n, signame((int)r.ssi_signo), (int)handled);
	wait_for(c);
	wait_for(c2);
	signal(SIGUSR1, SIG_DFL);

	/* poll and epoll woken while waiting */
	c = signal_me_later(SIGUSR2, 30);
	struct pollfd pf = { fd, POLLIN, 0 };
	int pr = poll(&pf, 1, 5000);
	printf("poll woken: %d IN %d\n", pr, !!(pf.revents & POLLIN));
	wait_for(c);
	show_read("read after poll", fd, 1);
	int ep = epoll_create1(0);
	struct epoll_event e = { .events = EPOLLIN };
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
	c = signal_me_later(SIGUSR2, 30);
	pr = epoll_wait(ep, &e, 1, 5000);
	printf("epoll_wait woken: %d IN %d\n", pr, !!(e.events & EPOLLIN));
	wait_for(c);
	show_read("read after epoll", fd, 1);
	close(ep);
	close(fd);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static void forked(void)
{
	sigset_t s = set_of(SIGUSR1, 0);
	sigprocmask(SIG_BLOCK, &s, NULL);
	int fd = signalfd(-1, &s, SFD_NONBLOCK);
	kill(me, SIGUSR1);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		me = getpid();
		show_read("child: parent's pending signal", fd, 1);
		kill(me, SIGUSR1);
		show_read("child: its own", fd, 1);
		fflush(stdout);
		_exit(0);
	}
	wait_for(c);
	show_read("parent: its own", fd, 1);
	close(fd);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static int thread_fd;
static ssize_t thread_got;
static struct signalfd_siginfo thread_rec;

static void *thread_reader(void *arg)
{
	(void)arg;
	thread_got = read(thread_fd, &thread_rec, sizeof thread_rec);   /* until its own comes */
	return NULL;
}

static void threads(void)
{
	sigset_t s = set_of(SIGUSR1, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);   /* the thread inherits it */
	thread_fd = signalfd(-1, &s, 0);
	int mine = signalfd(-1, &s, SFD_NONBLOCK);
	pthread_t th;
	fflush(stdout);
	pthread_create(&th, NULL, thread_reader, NULL);
	msleep(30);
	pthread_kill(th, SIGUSR2);
	/* the thread's own signal is not the main thread's to read */
	show_read("main: the thread's signal", mine, 1);
	pthread_join(th, NULL);
	printf("thread: blocking read: %zd %s code_tkill %d\n", thread_got,
	       signame((int)thread_rec.ssi_signo), thread_rec.ssi_code == SI_TKILL);
	kill(me, SIGUSR1);
	show_read("main: the process's signal", mine, 1);
	close(mine);
	close(thread_fd);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	me = getpid();
	arguments();
	reading();
	kinds();
	waiting();
	forked();
	threads();
	return 0;
}
