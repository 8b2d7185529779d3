/* timerfd: create flags and clocks, one-shot and periodic timers, relative and
 * TFD_TIMER_ABSTIME (CLOCK_REALTIME too), expiration counts, blocking and non-blocking
 * reads, gettime and the old value from settime, disarming, re-arming resets the count,
 * poll/select readiness and waking, a reader woken when another process arms the timer,
 * errors. Times are checked against generous bounds only. */
#include "check.h"
#include <poll.h>
#include <stdint.h>
#include <sys/select.h>
#include <sys/timerfd.h>

#define MS 1000000L

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static int arm(int fd, int flags, long value_ns, long interval_ns)
{
	struct itimerspec its = { { interval_ns / 1000000000, interval_ns % 1000000000 },
				  { value_ns / 1000000000, value_ns % 1000000000 } };
	return timerfd_settime(fd, flags, &its, NULL);
}

static long long value_ms(int fd)
{
	struct itimerspec cur;
	timerfd_gettime(fd, &cur);
	return (long long)cur.it_value.tv_sec * 1000 + cur.it_value.tv_nsec / 1000000;
}

static void show_read(const char *label, int fd)
{
	uint64_t v = 0;
	long r = read(fd, &v, sizeof v);
	if (r < 0)
		printf("%s: -1 %s\n", label, errname(errno));
	else
		printf("%s: %ld expirations %llu\n", label, r, (unsigned long long)v);
}

static void creation(void)
{
	CHECK_ERRNO(timerfd_create(CLOCK_MONOTONIC, 0x1234), "bad flags");
	CHECK_ERRNO(timerfd_create(1234, 0), "bad clock");
	CHECK_ERRNO(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), "CLOCK_PROCESS_CPUTIME_ID");
	int fds[3] = { timerfd_create(CLOCK_MONOTONIC, 0), timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK),
		       timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC) };
	printf("MONOTONIC, REALTIME, BOOTTIME: %d %d %d\n", fds[0] >= 0, fds[1] >= 0, fds[2] >= 0);
	printf("TFD_NONBLOCK: %d TFD_CLOEXEC: %d\n", !!(fcntl(fds[1], F_GETFL) & O_NONBLOCK),
	       fcntl(fds[2], F_GETFD) & FD_CLOEXEC);
	struct stat st;
	fstat(fds[0], &st);
	printf("fstat mode: 0%o\n", st.st_mode);
	struct itimerspec cur;
	memset(&cur, 0xff, sizeof cur);
	CHECK_ERRNO(timerfd_gettime(fds[0], &cur), "gettime unarmed");
	printf("  value %ld.%09ld interval %ld.%09ld\n", (long)cur.it_value.tv_sec,
	       cur.it_value.tv_nsec, (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);
	show_read("read unarmed, non-blocking", fds[1]);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
}

static void one_shot(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	arm(fd, 0, 60 * MS, 0);
	long long left = value_ms(fd);
	printf("time left in (0, 60ms]: %d\n", left >= 0 && left <= 60);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	show_read("blocking read", fd);
	printf("  waited >= 50ms: %d\n", ms_since(&t0) >= 50);
	printf("value after expiry: %lld\n", value_ms(fd));
	fcntl(fd, F_SETFL, O_NONBLOCK);
	show_read("read again", fd);

	arm(fd, 0, 10 * MS, 0);
	msleep(30);
	arm(fd, 0, 5000 * MS, 0);
	show_read("re-armed after an unread expiry: count reset", fd);
	struct itimerspec nv = { { 0, 0 }, { 1, 0 } }, old;
	timerfd_settime(fd, 0, &nv, &old);
	printf("old value from settime in (4s, 5s]: %d\n",
	       old.it_value.tv_sec == 4 || (old.it_value.tv_sec == 5 && old.it_value.tv_nsec == 0));
	arm(fd, 0, 0, 0);
	printf("disarmed: value %lld\n", value_ms(fd));
	show_read("read disarmed", fd);
	struct pollfd pf = { fd, POLLIN, 0 };
	int r = poll(&pf, 1, 30);
	printf("poll disarmed 30ms: %d\n", r);

	arm(fd, 0, 0, 10 * MS);
	struct itimerspec cur;
	timerfd_gettime(fd, &cur);
	printf("interval without value: value %ld.%09ld interval %ld.%09ld\n",
	       (long)cur.it_value.tv_sec, cur.it_value.tv_nsec, (long)cur.it_interval.tv_sec,
	       cur.it_interval.tv_nsec);
	close(fd);
}

static void periodic(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	arm(fd, 0, 20 * MS, 20 * MS);
	show_read("first period", fd);
	msleep(110);
	uint64_t v = 0;
	read(fd, &v, sizeof v);
	printf("after 110ms more: 4..7 expirations: %d\n", v >= 4 && v <= 7);
	long long left = value_ms(fd);
	printf("time to the next in [0, 20ms]: %d\n", left >= 0 && left <= 20);
	struct itimerspec cur;
	timerfd_gettime(fd, &cur);
	printf("interval: %ld.%09ld\n", (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);
	close(fd);
}

static void absolute(void)
{
	int fd = timerfd_create(CLOCK_REALTIME, 0);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	struct itimerspec its = { { 0, 0 }, now };
	its.it_value.tv_nsec += 40 * MS;
	if (its.it_value.tv_nsec >= 1000000000) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000;
	}
	CHECK_ERRNO(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL), "REALTIME absolute +40ms");
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	show_read("blocking read", fd);
	printf("  waited >= 30ms: %d\n", ms_since(&t0) >= 30);
	its.it_value = now;   /* in the past: expires at once */
	timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
	show_read("absolute time in the past", fd);
	CHECK_ERRNO(timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL),
		    "TFD_TIMER_CANCEL_ON_SET");
	show_read("read", fd);
	close(fd);

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	clock_gettime(CLOCK_MONOTONIC, &now);
	its.it_value = (struct timespec){ now.tv_sec - 1, now.tv_nsec };
	its.it_interval = (struct timespec){ 0, 100 * MS };
	timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
	uint64_t v = 0;
	read(fd, &v, sizeof v);
	printf("periodic 100ms from 1s ago: 10..11 expirations: %d\n", v >= 10 && v <= 11);
	close(fd);
}

static void readiness(void)
{
	int fd = timerfd_create(CLOCK_BOOTTIME, 0);
	arm(fd, 0, 40 * MS, 0);
	struct pollfd pf = { fd, POLLIN | POLLOUT, 0 };
	int r = poll(&pf, 1, 0);
	printf("poll before expiry: %d revents 0x%x\n", r, pf.revents);
	r = poll(&pf, 1, 5000);
	printf("poll waits for the expiry: %d revents 0x%x\n", r, pf.revents);
	show_read("read", fd);
	arm(fd, 0, 30 * MS, 0);
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	struct timeval tv = { 5, 0 };
	r = select(fd + 1, &rs, NULL, NULL, &tv);
	printf("select waits for the expiry: %d readable %d\n", r, FD_ISSET(fd, &rs));
	show_read("read", fd);

	/* a reader parked on a disarmed timer wakes when another process arms it */
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		msleep(30);
		arm(fd, 0, 20 * MS, 0);
		_exit(0);
	}
	show_read("reader woken by the child's settime", fd);
	wait_for(c);
	close(fd);
}

static void errors(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0), p[2];
	pipe(p);
	struct itimerspec its = { { 0, 0 }, { 0, 1000000000 } };
	CHECK_ERRNO(timerfd_settime(fd, 0, &its, NULL), "settime nsec 1e9");
	its.it_value.tv_nsec = 0;
	its.it_value.tv_sec = -1;
	CHECK_ERRNO(timerfd_settime(fd, 0, &its, NULL), "settime negative");
	its.it_value.tv_sec = 1;
	CHECK_ERRNO(timerfd_settime(fd, 0x100, &its, NULL), "settime bad flags");
	CHECK_ERRNO(timerfd_settime(p[0], 0, &its, NULL), "settime on a pipe");
	CHECK_ERRNO(timerfd_settime(99, 0, &its, NULL), "settime bad fd");
	CHECK_ERRNO(timerfd_settime(fd, 0, NULL, NULL), "settime NULL");
	CHECK_ERRNO(timerfd_gettime(p[0], &its), "gettime on a pipe");
	CHECK_ERRNO(timerfd_gettime(fd, NULL), "gettime NULL");
	char small[4];
	CHECK_ERRNO(read(fd, small, sizeof small), "read 4 bytes");
	CHECK_ERRNO(write(fd, small, sizeof small), "write");
	CHECK_VAL(lseek(fd, 5, SEEK_SET), "lseek");
	close(p[0]);
	close(p[1]);
	close(fd);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	creation();
	one_shot();
	periodic();
	absolute();
	readiness();
	errors();
	return 0;
}
