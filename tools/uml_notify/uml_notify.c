/*
 * uml_notify: listens on the socket named in a UML's mconsole=notify:<socket> switch and
 * prints each notification on a line of its own, as the UML book's Perl listener does:
 *
 *   Notification type = "socket", data = "/home/user/.uml/debian/mconsole"
 *
 * The types are socket, panic, hang (from uml_watchdog) and user notification (what the
 * guest wrote to /proc/mconsole). Both the 16-byte header and the 24-byte one of
 * Debian's amd64 uml_watchdog are understood.
 *
 *   uml_notify [-c count] [-t seconds] <socket>
 *
 * -c: exit after that many notifications; -t: exit 2 if none came for that long. The
 * socket is created (a stale one left by a listener that died is replaced) and removed
 * at exit.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "mconsole_proto.h"

static const char *sock_path;

static void usage(void)
{
	fprintf(stderr, "Usage: uml_notify [-c count] [-t seconds] <socket>\n");
	exit(1);
}

/* A socket file nobody receives on is left over; anything else is not ours to remove. */
static void remove_stale(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return;
	int probe = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (probe >= 0 && connect(probe, (const struct sockaddr *)sa, sizeof(*sa)) < 0 &&
	    errno == ECONNREFUSED)
		unlink(path);
	if (probe >= 0)
		close(probe);
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "uml_notify: socket path too long: %s\n", path);
		exit(1);
	}
	strcpy(sa.sun_path, path);
	remove_stale(path, &sa);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "uml_notify: can't listen on %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

/* Data is text, but a user notification is whatever the guest wrote: escape the rest. */
static void print_data(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == '\0' && i + 1 == len)
			break;   /* socket and panic data carry their NUL */
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			printf("\\n");
		else if (c < 32 || c >= 127)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static void cleanup(void)
{
	if (sock_path)
		unlink(sock_path);
}

static void on_signal(int sig)
{
	(void)sig;
	cleanup();
	_exit(0);
}

int main(int argc, char **argv)
{
	long count = -1, timeout_s = -1;
	int opt;
	while ((opt = getopt(argc, argv, "c:t:")) != -1) {
		if (opt == 'c')
			count = strtol(optarg, NULL, 10);
		else if (opt == 't')
			timeout_s = strtol(optarg, NULL, 10);
		else
			usage();
	}
	if (optind != argc - 1)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	int fd = listen_on(argv[optind]);
	sock_path = argv[optind];
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	while (count != 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int r = poll(&pfd, 1, timeout_s < 0 ? -1 : (int)(timeout_s * 1000));
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return 2;
		char buf[1024];
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			continue;
		uint32_t type;
		const char *data;
		size_t len;
		if (mconsole_notify_parse(buf, (size_t)n, &type, &data, &len) < 0) {
			fprintf(stderr, "uml_notify: ignoring a %zd-byte datagram that is not a notification\n", n);
			continue;
		}
		const char *name = mconsole_notify_name(type);
		if (name)
			printf("Notification type = \"%s\", data = \"", name);
		else
			printf("Notification type = \"unknown (%u)\", data = \"", type);
		print_data(data, len);
		printf("\"\n");
		if (count > 0)
			count--;
	}
	return 0;
}
