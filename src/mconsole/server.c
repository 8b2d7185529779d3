/*
 * The MConsole request socket: a datagram socket in the umid directory, served from the
 * event loop even while the machine is stopped. Each request is checked as UML checks it
 * (magic, length, version), matched against the command table by prefix, and run either
 * at once or, for commands that may take long, in the kernel worker: a queue the loop
 * drains one request per turn, so that a flood of slow requests cannot keep version,
 * stop, go or sysrq from being answered.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kernel/kernel.h"
#include "kernel/loop.h"
#include "kernel/printk.h"
#include "mconsole/internal.h"

int mconsole_fd = -1;
char mconsole_socket_path[sizeof(((struct sockaddr_un *)0)->sun_path)];

/* At most this many datagrams per turn of the loop: a flood of requests shares the
 * kernel with everything else instead of taking it over. */
#define RECEIVE_BATCH 64
/* Process-context requests waiting for the worker; more are dropped (a client that
 * floods us with them gets no answer to the excess, as when UML cannot allocate one). */
#define WORKER_QUEUE_MAX 64

static struct list_head worker_queue = LIST_HEAD_INIT(worker_queue);
static size_t worker_queued;
static int worker_fd = -1;
static bool worker_overflow_logged;

const char *mconsole_argument(const struct mc_request *req)
{
	const char *p = req->cmd + strlen(req->command->name);
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static void worker_enqueue(const struct mc_request *req)
{
	if (worker_queued >= WORKER_QUEUE_MAX) {
		if (!worker_overflow_logged)
			printk("<4>mconsole: too many requests waiting; dropping some\n");
		worker_overflow_logged = true;
		return;
	}
	struct mc_request *copy = malloc(sizeof(*copy));
	if (!copy)
		return;
	*copy = *req;
	list_add_tail(&copy->link, &worker_queue);
	worker_queued++;
	uint64_t one = 1;
	if (worker_fd >= 0 && write(worker_fd, &one, sizeof(one)) < 0) { /* already signalled */ }
}

bool mconsole_worker_run_one(void)
{
	if (list_empty(&worker_queue))
		return false;
	struct mc_request *req = list_entry(worker_queue.next, struct mc_request, link);
	list_del_init(&req->link);
	worker_queued--;
	worker_overflow_logged = false;
	req->command->handler(req);
	free(req);
	return true;
}

static void on_worker_ready(int fd, uint32_t events, void *data)
{
	(void)events, (void)data;
	mconsole_worker_run_one();
	if (list_empty(&worker_queue)) {
		uint64_t v;
		if (read(fd, &v, sizeof(v)) < 0) { /* nothing was pending */ }
	}
}

static void run_request(struct mc_request *req)
{
	/* by prefix, in table order, as UML matches: "versionfoo" is version */
	for (size_t c = 0; c < mconsole_command_count; c++) {
		const char *name = mconsole_commands[c].name;
		if (strncmp(req->cmd, name, strlen(name)) != 0)
			continue;
		req->command = &mconsole_commands[c];
		if (req->command->process_context)
			worker_enqueue(req);
		else
			req->command->handler(req);
		return;
	}
	mconsole_reply(req, MCONSOLE_ERR_UNKNOWN, 1, false);
}

void mconsole_handle_datagram(const void *buf, size_t n, const struct sockaddr_un *from,
			      socklen_t fromlen)
{
	struct mc_request req;
	memset(&req.link, 0, sizeof(req.link));
	req.command = NULL;
	req.fromlen = fromlen > sizeof(req.from) ? sizeof(req.from) : fromlen;
	memcpy(&req.from, from, req.fromlen);
	switch (mconsole_parse_request(buf, n, req.cmd)) {
	case MCONSOLE_REQ_VERSION0:
		mconsole_send_raw(&req.from, req.fromlen, MCONSOLE_ERR_VERSION0,
				  strlen(MCONSOLE_ERR_VERSION0));
		return;
	case MCONSOLE_REQ_SHORT:
		return;
	case MCONSOLE_REQ_TOO_LARGE:
		mconsole_reply(&req, MCONSOLE_ERR_TOO_LARGE, 1, false);
		return;
	case MCONSOLE_REQ_WRONG_VERSION:
		/* UML complains and then runs the command all the same */
		mconsole_reply(&req, MCONSOLE_ERR_VERSION, 1, false);
		break;
	case MCONSOLE_REQ_OK:
		break;
	}
	run_request(&req);
}

void mconsole_receive(void)
{
	for (int i = 0; i < RECEIVE_BATCH && mconsole_fd >= 0; i++) {
		struct mconsole_request buf;
		struct sockaddr_un from;
		socklen_t fromlen = sizeof(from);
		ssize_t n = recvfrom(mconsole_fd, &buf, sizeof(buf), MSG_DONTWAIT,
				     (struct sockaddr *)&from, &fromlen);
		if (n < 0)
			return;
		mconsole_handle_datagram(&buf, (size_t)n, &from, fromlen);
	}
}

static void on_socket_ready(int fd, uint32_t events, void *data)
{
	(void)fd, (void)events, (void)data;
	mconsole_receive();
}

/* Owner-only: anyone who can send to this socket can halt the machine. */
static int bind_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	mode_t old = umask(077);
	int r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	int err = -errno;
	umask(old);
	if (r < 0) {
		close(fd);
		return err;
	}
	return fd;
}

static int start_worker(void)
{
	worker_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (worker_fd < 0)
		return -errno;
	return loop_add_fd_always(worker_fd, EPOLLIN, on_worker_ready, NULL);
}

int mconsole_init(const struct umid_dir *umid, const char *notify_path)
{
	char path[PATH_MAX];
	sysrq_init();
	mconsole_notify_init(notify_path);
	int err = umid_path(umid, "mconsole", path, sizeof(path));
	int fd = err < 0 ? err : bind_socket(path);
	if (fd < 0) {
		printk("<3>mconsole: can't create the socket %s: %s\n", path, strerror(-fd));
		return fd;
	}
	err = mconsole_outq_init();
	if (!err)
		err = start_worker();
	if (!err)
		err = loop_add_fd_always(fd, EPOLLIN, on_socket_ready, NULL);
	if (err) {
		printk("<3>mconsole: can't serve %s: %s\n", path, strerror(-err));
		close(fd);
		unlink(path);
		return err;
	}
	mconsole_fd = fd;
	strcpy(mconsole_socket_path, path);
	printk("mconsole (version 2) initialized on %s\n", path);
	mconsole_notify(MCONSOLE_SOCKET, path, strlen(path) + 1);
	return 0;
}
