/*
 * uml_watchdog: the host half of the guest's /dev/watchdog (harddog), started by the
 * kernel when a guest process opens the device:
 *
 *   uml_watchdog -mconsole <notify socket>    on a hang, send a "hang" notification
 *   uml_watchdog -pid <kernel pid>            on a hang, SIGINT it twice, then SIGKILL
 *
 * Protocol with the kernel, on our stdin and stdout: one byte written at start (the
 * kernel waits for it), then one byte read per ping. End of input is a normal close and
 * ends us quietly; no ping for the timeout (60 s, or UML_WATCHDOG_TIMEOUT seconds from
 * the environment) is a hang. Bad arguments exit 1 without a word, as the original does.
 * The hang notification uses the protocol's 16-byte header (the original's amd64 build
 * sends a 24-byte variant; listeners accept both).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "mconsole_proto.h"

#define DEFAULT_TIMEOUT_S 60

static int timeout_ms(void)
{
	const char *v = getenv("UML_WATCHDOG_TIMEOUT");
	long s = v ? strtol(v, NULL, 10) : 0;
	return (int)((s > 0 && s < 86400 ? s : DEFAULT_TIMEOUT_S) * 1000);
}

static int send_hang(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct mconsole_notify msg;
	if (strlen(path) >= sizeof(sa.sun_path))
		return 1;
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	size_t n = mconsole_notify_build(&msg, MCONSOLE_HANG, NULL, 0);
	if (fd >= 0)
		sendto(fd, &msg, n, 0, (struct sockaddr *)&sa, sizeof(sa));
	return 1;
}

static int kill_hung(pid_t pid)
{
	kill(pid, SIGINT);
	sleep(1);
	kill(pid, SIGINT);
	sleep(1);
	kill(pid, SIGKILL);
	return 1;
}

/* 0: end of input (normal close), 1: read error, 2: timed out. */
static int wait_for_pings(void)
{
	int ms = timeout_ms();
	for (;;) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		int r = poll(&pfd, 1, ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return 1;
		if (r == 0)
			return 2;
		char c;
		ssize_t n = read(STDIN_FILENO, &c, 1);
		if (n == 0)
			return 0;
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return 1;
	}
}

int main(int argc, char **argv)
{
	const char *sock = NULL;
	pid_t pid = 0;
	if (argc < 3)
		return 1;
	if (strcmp(argv[1], "-mconsole") == 0) {
		sock = argv[2];
	} else if (strcmp(argv[1], "-pid") == 0) {
		char *end;
		long p = strtol(argv[2], &end, 10);
		if (*end || p <= 0 || kill((pid_t)p, 0) < 0)
			return 1;
		pid = (pid_t)p;
	} else {
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	char hello = 0;
	if (write(STDOUT_FILENO, &hello, 1) != 1)
		return 1;
	switch (wait_for_pings()) {
	case 0:
		return 0;
	case 2:
		return sock ? send_hang(sock) : kill_hung(pid);
	default:
		return 1;
	}
}
