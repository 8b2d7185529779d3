/* Pseudo-terminals: posix_openpt/grantpt/unlockpt/ptsname, the lock (EIO before
 * unlockpt), TIOCGPTN/TIOCGPTLCK/TIOCGPTPEER, isatty/ttyname, termios shared through
 * the master, echo and ONLCR, canonical and raw reads, the window size, packet mode,
 * TIOCSIG, ^C to the slave's foreground group, EIO on the master once the slave is
 * closed, SIGHUP to the session leader when the master closes, and a "script"-like run
 * of a shell on the slave. Pty numbers differ between runs: printed as N. */
#include "check.h"
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <termios.h>

/* Replaces each run of digits with "N". */
static const char *nonum(const char *s)
{
	static char out[4096];
	size_t o = 0;
	while (*s && o + 2 < sizeof out) {
		if (*s >= '0' && *s <= '9') {
			out[o++] = 'N';
			while (*s >= '0' && *s <= '9')
				s++;
		} else {
			out[o++] = *s++;
		}
	}
	out[o] = 0;
	return out;
}

/* Bytes as text, control characters escaped. */
static const char *shown(const char *buf, ssize_t n)
{
	static char out[1024];
	size_t o = 0;
	for (ssize_t i = 0; i < n && o + 5 < sizeof out; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == '\n') { out[o++] = '\\'; out[o++] = 'n'; }
		else if (c == '\r') { out[o++] = '\\'; out[o++] = 'r'; }
		else if (c < 32 || c >= 127) o += (size_t)snprintf(out + o, 5, "\\x%02x", c);
		else out[o++] = (char)c;
	}
	out[o] = 0;
	return out;
}

/* Reads what is there within a short wait. */
static ssize_t read_some(int fd, char *buf, size_t len, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	if (poll(&p, 1, ms) <= 0)
		return 0;
	return read(fd, buf, len);
}

static int open_pair(int *slave, char *name, size_t len)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0 || ptsname_r(m, name, len) != 0)
		return -1;
	if (slave)
		*slave = open(name, O_RDWR | O_NOCTTY);
	return m;
}

static void basics(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK_ERRNO(m, "posix_openpt");
	char name[64];
	CHECK_RC(ptsname_r(m, name, sizeof name), "ptsname_r");
	SHOW_STR("ptsname", nonum(name));
	int lock = -1, n = -1;
	CHECK_ERRNO(ioctl(m, TIOCGPTLCK, &lock), "TIOCGPTLCK");
	SHOW_INT("locked at first", lock);
	CHECK_ERRNO(open(name, O_RDWR | O_NOCTTY), "open slave while locked");
	CHECK_ERRNO(ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY), "TIOCGPTPEER while locked");
	CHECK_ERRNO(grantpt(m), "grantpt");
	CHECK_ERRNO(unlockpt(m), "unlockpt");
	ioctl(m, TIOCGPTLCK, &lock);
	SHOW_INT("locked after unlockpt", lock);
	ioctl(m, TIOCGPTN, &n);
	char want[64];
	snprintf(want, sizeof want, "/dev/pts/%d", n);
	SHOW_BOOL("TIOCGPTN names ptsname", strcmp(want, name) == 0);
	int s = open(name, O_RDWR | O_NOCTTY);
	CHECK_ERRNO(s, "open slave");
	struct stat st;
	fstat(s, &st);
	printf("slave: chr %d major %d minor is N %d owner is me %d\n", S_ISCHR(st.st_mode),
	       major(st.st_rdev), (int)minor(st.st_rdev) == n, st.st_uid == getuid());
	SHOW_BOOL("isatty master", isatty(m));
	SHOW_BOOL("isatty slave", isatty(s));
	char tn[64] = "";
	ttyname_r(s, tn, sizeof tn);
	SHOW_BOOL("ttyname(slave) is ptsname", strcmp(tn, name) == 0);
	int peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	CHECK_ERRNO(peer, "TIOCGPTPEER");
	struct stat pst;
	fstat(peer, &pst);
	SHOW_BOOL("peer is the slave", pst.st_rdev == st.st_rdev && pst.st_ino == st.st_ino);
	SHOW_BOOL("peer close-on-exec", fcntl(peer, F_GETFD) & FD_CLOEXEC);
	CHECK_ERRNO(ioctl(s, TIOCGPTN, &n), "TIOCGPTN on the slave");
	CHECK_ERRNO(ioctl(s, TIOCGPTPEER, O_RDWR), "TIOCGPTPEER on the slave");
	close(peer);

	struct termios ts, tm;
	tcgetattr(s, &ts);
	printf("slave termios: icanon %d echo %d isig %d onlcr %d icrnl %d\n", !!(ts.c_lflag & ICANON),
	       !!(ts.c_lflag & ECHO), !!(ts.c_lflag & ISIG), !!(ts.c_oflag & ONLCR), !!(ts.c_iflag & ICRNL));
	tm = ts;
	tm.c_lflag &= ~ECHOE;
	CHECK_ERRNO(tcsetattr(m, TCSANOW, &tm), "tcsetattr on the master");
	tcgetattr(s, &ts);
	SHOW_BOOL("master's tcsetattr reached the slave", !(ts.c_lflag & ECHOE));

	char buf[256];
	ssize_t r;
	write(m, "hello\n", 6);
	r = read_some(s, buf, sizeof buf, 1000);
	printf("slave read: %s\n", shown(buf, r));
	r = read_some(m, buf, sizeof buf, 1000);
	printf("master read (echo): %s\n", shown(buf, r));
	write(s, "out\n", 4);
	r = read_some(m, buf, sizeof buf, 1000);
	printf("master read (ONLCR): %s\n", shown(buf, r));
	int avail = -1;
	write(m, "par", 3);
	ioctl(s, FIONREAD, &avail);
	SHOW_INT("slave FIONREAD with a partial line", avail);
	read_some(m, buf, sizeof buf, 200);
	write(m, "\x7f" "t\n", 3);
	r = read_some(s, buf, sizeof buf, 1000);
	printf("slave read after erase: %s\n", shown(buf, r));
	read_some(m, buf, sizeof buf, 200);

	struct winsize ws = { 33, 101, 0, 0 }, got;
	CHECK_ERRNO(ioctl(m, TIOCSWINSZ, &ws), "TIOCSWINSZ on master");
	ioctl(s, TIOCGWINSZ, &got);
	printf("slave window: %dx%d\n", got.ws_row, got.ws_col);

	cfmakeraw(&ts);
	tcsetattr(s, TCSANOW, &ts);
	write(m, "abc\r", 4);
	r = read_some(s, buf, sizeof buf, 1000);
	printf("raw slave read: %s\n", shown(buf, r));
	r = read_some(m, buf, sizeof buf, 100);
	SHOW_INT("raw echo bytes", r);
	write(s, "x\n", 2);
	r = read_some(m, buf, sizeof buf, 1000);
	printf("raw master read: %s\n", shown(buf, r));

	int on = 1;
	CHECK_ERRNO(ioctl(m, TIOCPKT, &on), "TIOCPKT on");
	write(s, "pk", 2);
	r = read_some(m, buf, sizeof buf, 1000);
	printf("packet read: %s\n", shown(buf, r));
	tcflush(s, TCIFLUSH);
	r = read_some(m, buf, sizeof buf, 1000);
	printf("packet after slave input flush: %s\n", shown(buf, r));
	on = 0;
	ioctl(m, TIOCPKT, &on);

	fcntl(m, F_SETFL, O_NONBLOCK);
	errno = 0;
	CHECK_VAL(read(m, buf, sizeof buf), "nonblocking master read, nothing there");
	fcntl(m, F_SETFL, 0);
	close(s);
	struct pollfd p = { m, POLLIN, 0 };
	poll(&p, 1, 1000);
	printf("master poll after slave close: hup %d in %d\n", !!(p.revents & POLLHUP), !!(p.revents & POLLIN));
	CHECK_VAL(read(m, buf, sizeof buf), "master read after slave close");
	s = open(name, O_RDWR | O_NOCTTY);
	CHECK_ERRNO(s, "reopen slave");
	write(s, "again\n", 6);
	r = read_some(m, buf, sizeof buf, 1000);
	printf("master read after reopen: %s\n", shown(buf, r));
	close(s);
	close(m);
	CHECK_ERRNO(access(name, F_OK), "slave node after master close");
}

/* A child that makes the slave its controlling terminal and waits in a read. */
static pid_t child_on_slave(int master, const char *name, int ready_fd)
{
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);   /* no orphan left if the test fails */
		close(master);
		setsid();
		int s = open(name, O_RDWR);   /* becomes the controlling terminal */
		pid_t fg = tcgetpgrp(s);
		char c = fg == getpid() ? 'y' : 'n';
		write(ready_fd, &c, 1);
		char buf[16];
		for (;;)
			if (read(s, buf, sizeof buf) <= 0)
				_exit(3);
	}
	return pid;
}

static void job_control(void)
{
	char name[64], c = 0;
	int pipefd[2];
	pipe(pipefd);
	int m = open_pair(NULL, name, sizeof name);
	pid_t pid = child_on_slave(m, name, pipefd[1]);
	read(pipefd[0], &c, 1);
	printf("child's ctty and foreground: %c\n", c);
	pid_t fg = -1;
	ioctl(m, TIOCGPGRP, &fg);
	SHOW_BOOL("tcgetpgrp(master) is the child", fg == pid);
	write(m, "\003", 1);
	SHOW_STATUS("after ^C", wait_for(pid));
	char buf[64];
	ssize_t r = read_some(m, buf, sizeof buf, 500);
	printf("echo of ^C: %s\n", shown(buf, r));
	close(m);

	m = open_pair(NULL, name, sizeof name);
	pid = child_on_slave(m, name, pipefd[1]);
	read(pipefd[0], &c, 1);
	CHECK_ERRNO(ioctl(m, TIOCSIG, SIGUSR1), "TIOCSIG SIGUSR1");
	CHECK_ERRNO(ioctl(m, TIOCSIG, SIGQUIT), "TIOCSIG SIGQUIT");
	SHOW_STATUS("after TIOCSIG", wait_for(pid));
	CHECK_ERRNO(ioctl(m, TIOCSIG, 0), "TIOCSIG 0");
	close(m);

	m = open_pair(NULL, name, sizeof name);
	pid = child_on_slave(m, name, pipefd[1]);
	read(pipefd[0], &c, 1);
	close(m);
	SHOW_STATUS("after the master closed", wait_for(pid));
	close(pipefd[0]);
	close(pipefd[1]);
}

/* A session leader takes the slave with TIOCSCTTY after opening it O_NOCTTY; another
 * session cannot take it from it (without root's steal argument). */
static void sctty(void)
{
	char name[64];
	int m = open_pair(NULL, name, sizeof name);
	int pipefd[2];
	pipe(pipefd);
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(m);
		setsid();
		int s = open(name, O_RDWR | O_NOCTTY);
		printf("before TIOCSCTTY: tcgetpgrp %s\n", tcgetpgrp(s) < 0 ? errname(errno) : "ok");
		CHECK_ERRNO(ioctl(s, TIOCSCTTY, 0), "TIOCSCTTY");
		SHOW_BOOL("foreground is me", tcgetpgrp(s) == getpid());
		fflush(stdout);
		char c = 'y';
		write(pipefd[1], &c, 1);
		read(s, &c, 1);
		_exit(0);
	}
	char c;
	read(pipefd[0], &c, 1);
	pid_t other = fork();
	if (other == 0) {
		setsid();
		int s = open(name, O_RDWR | O_NOCTTY);
		CHECK_ERRNO(ioctl(s, TIOCSCTTY, 0), "TIOCSCTTY of another session's terminal");
		fflush(stdout);
		_exit(0);
	}
	wait_for(other);
	write(m, "\n", 1);
	SHOW_STATUS("ctty holder", wait_for(pid));
	close(m);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* What script(1) does: a shell on the slave, its output read from the master until
 * the slave side is gone. */
static void script_like(void)
{
	char name[64];
	int m = open_pair(NULL, name, sizeof name);
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		setsid();
		close(m);
		int s = open(name, O_RDWR);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		if (s > 2)
			close(s);
		execl("/bin/sh", "sh", "-c", "tty; echo hi; test -t 0 && echo stdin is a tty", (char *)NULL);
		_exit(127);
	}
	char out[4096];
	size_t n = 0;
	for (;;) {
		ssize_t r = read(m, out + n, sizeof out - 1 - n);
		if (r <= 0) {
			printf("master read ended: %s\n", r == 0 ? "EOF" : errname(errno));
			break;
		}
		n += (size_t)r;
	}
	out[n] = 0;
	printf("session output: %s\n", nonum(shown(out, (ssize_t)n)));
	SHOW_STATUS("shell", wait_for(pid));
	close(m);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	basics();
	job_control();
	sctty();
	script_like();
	return 0;
}
