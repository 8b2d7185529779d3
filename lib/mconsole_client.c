/* The client half of MConsole (see mconsole_client.h). */
#include "mconsole_client.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "mconsole_proto.h"

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool exists(const char *path, FILE *warn)
{
	struct stat st;
	if (stat(path, &st) == 0)
		return true;
	if (warn)
		fprintf(warn, "Warning: couldn't stat file: %s - %s\n", path, strerror(errno));
	return false;
}

/* <base>/<name>/mconsole, unless name already lies below base. */
static bool try_base(const char *base, const char *name, struct mconsole_target *out,
		     FILE *warn)
{
	char prefix[PATH_MAX];
	if ((size_t)snprintf(prefix, sizeof(prefix), "%s/", base) >= sizeof(prefix) ||
	    has_prefix(name, prefix) || has_prefix(name, base))
		return false;
	if ((size_t)snprintf(out->sock, sizeof(out->sock), "%s/%s/mconsole", base, name) >=
	    sizeof(out->sock))
		return false;
	if (!exists(out->sock, warn))
		return false;
	snprintf(out->pidfile, sizeof(out->pidfile), "%s/%s/pid", base, name);
	return true;
}

int mconsole_resolve(const char *name, struct mconsole_target *out, FILE *warn)
{
	char base[PATH_MAX];
	const char *home = getenv("HOME");
	if (home && *home && (size_t)snprintf(base, sizeof(base), "%s/.uml", home) < sizeof(base) &&
	    try_base(base, name, out, warn))
		return 0;
	if (try_base("/tmp/uml", name, out, warn))
		return 0;
	if (strlen(name) >= sizeof(out->sock) || !exists(name, warn))
		return -ENOENT;
	strcpy(out->sock, name);
	/* A socket named directly: its pid file, if any, sits beside it. */
	const char *slash = strrchr(name, '/');
	int dirlen = slash ? (int)(slash - name) : 1;
	snprintf(out->pidfile, sizeof(out->pidfile), "%.*s/pid", dirlen, slash ? name : ".");
	return 0;
}

int mconsole_client_socket(void)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* Binding just the family makes the kernel pick a unique abstract address. */
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa_family_t)) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* Replies to an earlier request that timed out must not pass for this one's. */
static void drain(int fd)
{
	char buf[16];
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		;
}

static int append(struct mconsole_answer *ans, const char *text, size_t n)
{
	char *p = realloc(ans->text, ans->len + n + 1);
	if (!p)
		return -ENOMEM;
	memcpy(p + ans->len, text, n);
	ans->len += n;
	p[ans->len] = '\0';
	ans->text = p;
	return 0;
}

static int receive_reply(int fd, int timeout_ms, struct mconsole_answer *ans)
{
	bool first = true, more = true;
	while (more) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int r = poll(&pfd, 1, timeout_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		struct mconsole_reply rep;
		ssize_t n = recv(fd, &rep, sizeof(rep), 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		int32_t err;
		const char *text;
		size_t len;
		if (mconsole_reply_parse(&rep, (size_t)n, &err, &more, &text, &len) < 0)
			return -EPROTO;
		if (first)
			ans->err = err;
		first = false;
		if (append(ans, text, len) < 0)
			return -ENOMEM;
	}
	return 0;
}

int mconsole_transact(int fd, const char *path, const char *cmd, int timeout_ms,
		      struct mconsole_answer *ans)
{
	struct mconsole_request req;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	*ans = (struct mconsole_answer){ 0 };
	size_t n = mconsole_request_build(&req, cmd);
	if (n == 0)
		return -E2BIG;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	drain(fd);
	if (sendto(fd, &req, n, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	int err = receive_reply(fd, timeout_ms, ans);
	if (err == 0 && !ans->text)
		err = append(ans, "", 0);
	if (err < 0)
		mconsole_answer_free(ans);
	return err;
}

void mconsole_answer_free(struct mconsole_answer *ans)
{
	free(ans->text);
	ans->text = NULL;
	ans->len = 0;
}

int mconsole_read_pid(const char *pidfile)
{
	char buf[32];
	int fd = open(pidfile, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	long pid = strtol(buf, NULL, 10);
	return pid > 0 && pid < INT32_MAX ? (int)pid : 0;
}
