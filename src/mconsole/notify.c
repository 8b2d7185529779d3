/*
 * Notifications to the host (mconsole=notify:<socket>): "socket" once the request socket
 * is ready, "panic" with the panic message, and "user" for each write to /proc/mconsole,
 * which exists only when notifications are configured. They go out from an unbound
 * socket of their own, as UML sends them (so the listener cannot answer), and never
 * wait: a listener that is gone or full loses them.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "fs/proc/proc.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "mconsole/internal.h"

static struct sockaddr_un notify_addr;
static int notify_fd = -1;
static bool notify_error_logged;

void mconsole_notify(enum mconsole_notify_type type, const void *data, size_t len)
{
	struct mconsole_notify msg;
	if (notify_fd < 0)
		return;
	size_t n = mconsole_notify_build(&msg, type, data, len);
	if (sendto(notify_fd, &msg, n, MSG_DONTWAIT | MSG_NOSIGNAL,
		   (struct sockaddr *)&notify_addr, sizeof(notify_addr)) < 0 && !notify_error_logged) {
		notify_error_logged = true;   /* once: the listener may simply not be up */
		printk("<4>mconsole_notify: can't send to %s: %s\n", notify_addr.sun_path,
		       strerror(errno));
	}
}

const char *mconsole_notify_socket(void)
{
	return notify_fd >= 0 ? notify_addr.sun_path : NULL;
}

static void notify_panic(const char *msg)
{
	mconsole_notify(MCONSOLE_PANIC, msg, strlen(msg) + 1);
}

/* What a guest process writes, as it wrote it (no NUL added); at most 512 bytes go out. */
static int proc_mconsole_write(struct task *writer, const char *buf, size_t len)
{
	(void)writer;
	mconsole_notify(MCONSOLE_USER_NOTIFY, buf, len);
	return 0;
}

void mconsole_notify_init(const char *notify_path)
{
	if (!notify_path)
		return;
	if (strlen(notify_path) >= sizeof(notify_addr.sun_path)) {
		printk("<3>mconsole: notify socket path %s is too long\n", notify_path);
		return;
	}
	notify_addr.sun_family = AF_UNIX;
	strcpy(notify_addr.sun_path, notify_path);
	notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (notify_fd < 0) {
		printk("<3>mconsole: can't create the notification socket: %s\n", strerror(errno));
		return;
	}
	proc_register_file("mconsole", 0200, NULL, proc_mconsole_write);
	panic_set_notifier(notify_panic);
}
