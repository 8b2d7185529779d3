/* alarm/itimer interrupting a blocking read on a pipe: EINTR without
 * SA_RESTART, transparent restart with SA_RESTART; calls that are never
 * restarted (nanosleep, pause, select, poll, sigsuspend); a partial read is
 * returned, not restarted; wait4 restart. */
#include "check.h"
#include <poll.h>
#include <sys/select.h>

static volatile sig_atomic_t alarms;
static void on_alarm(int s) { (void)s; alarms++; }

static void set_alarm_handler(int restart)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
}

static void timer_ms(long ms)
{
	struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

/* child writing "x" into fd after ms milliseconds */
static pid_t delayed_writer(int fd, long ms, const char *data)
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		msleep(ms);
		write(fd, data, strlen(data));
		_exit(0);
	}
	return p;
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	int pfd[2];
	char buf[16];
	ssize_t r;

	/* alarm() interrupts a read without SA_RESTART */
	pipe(pfd);
	set_alarm_handler(0);
	alarms = 0;
	SHOW_INT("alarm(1) returns (no previous alarm)", alarm(1));
	r = read(pfd[0], buf, sizeof buf);
	printf("read interrupted by alarm: r=%zd errno=%s alarms=%d\n", r, errname(errno), (int)alarms);

	/* alarm return values */
	alarm(10);
	unsigned left = alarm(0);
	SHOW_BOOL("alarm(0) returns remaining of alarm(10) (9..10)", left >= 9 && left <= 10);

	/* itimer + SA_RESTART: the read restarts and gets the data */
	set_alarm_handler(1);
	alarms = 0;
	timer_ms(50);
	pid_t p = delayed_writer(pfd[1], 250, "x");
	r = read(pfd[0], buf, sizeof buf);
	printf("read with SA_RESTART: r=%zd alarms=%d\n", r, (int)alarms);
	wait_for(p);

	/* without SA_RESTART a partial read returns what it has: data first */
	set_alarm_handler(0);
	write(pfd[1], "abc", 3);
	alarms = 0;
	timer_ms(30);
	r = read(pfd[0], buf, sizeof buf);
	printf("read with data available: r=%zd\n", r);
	msleep(60);
	SHOW_INT("alarm still delivered later", alarms);

	/* nanosleep is never restarted */
	set_alarm_handler(1);
	alarms = 0;
	timer_ms(30);
	struct timespec ts = { 2, 0 }, rem = { 0, 0 };
	int ir = nanosleep(&ts, &rem);
	printf("nanosleep with SA_RESTART handler: r=%d errno=%s alarms=%d\n", ir, errname(errno), (int)alarms);
	SHOW_BOOL("  remaining in (0, 2s)", (rem.tv_sec > 0 || rem.tv_nsec > 0) && rem.tv_sec < 2);

	/* pause */
	alarms = 0;
	timer_ms(30);
	ir = pause();
	printf("pause: r=%d errno=%s alarms=%d\n", ir, errname(errno), (int)alarms);

	/* select and poll with SA_RESTART: EINTR */
	alarms = 0;
	timer_ms(30);
	fd_set rfds;
	FD_ZERO(&rfds);
	FD_SET(pfd[0], &rfds);
	ir = select(pfd[0] + 1, &rfds, NULL, NULL, NULL);
	printf("select: r=%d errno=%s alarms=%d\n", ir, errname(errno), (int)alarms);
	alarms = 0;
	timer_ms(30);
	struct pollfd pf = { pfd[0], POLLIN, 0 };
	ir = poll(&pf, 1, 5000);
	printf("poll: r=%d errno=%s alarms=%d\n", ir, errname(errno), (int)alarms);

	/* wait4 restarts with SA_RESTART */
	alarms = 0;
	timer_ms(30);
	fflush(stdout);
	p = fork();
	if (p == 0) {
		msleep(200);
		_exit(4);
	}
	int st;
	pid_t w = waitpid(p, &st, 0);
	printf("waitpid with SA_RESTART: returned child=%d %s alarms=%d\n", w == p, status_str(st), (int)alarms);

	/* ... and fails with EINTR without */
	set_alarm_handler(0);
	alarms = 0;
	timer_ms(30);
	fflush(stdout);
	p = fork();
	if (p == 0) {
		msleep(200);
		_exit(4);
	}
	w = waitpid(p, &st, 0);
	printf("waitpid without SA_RESTART: r=%d errno=%s alarms=%d\n", (int)w, errname(errno), (int)alarms);
	wait_for(p);

	/* write to a full pipe, interrupted without SA_RESTART: partial count or EINTR */
	int q[2];
	pipe(q);
	fcntl(q[1], F_SETFL, O_NONBLOCK);
	static char big[70000];
	while (write(q[1], big, sizeof big) > 0)
		;
	fcntl(q[1], F_SETFL, 0);
	alarms = 0;
	timer_ms(30);
	r = write(q[1], big, 100);
	printf("blocking write on full pipe interrupted: r=%zd errno=%s alarms=%d\n", r, errname(errno), (int)alarms);

	/* SIG_IGN'd signal does not interrupt */
	signal(SIGALRM, SIG_IGN);
	timer_ms(30);
	p = delayed_writer(pfd[1], 150, "y");
	r = read(pfd[0], buf, sizeof buf);
	printf("read while ignored SIGALRM fires: r=%zd\n", r);
	wait_for(p);
	return 0;
}
