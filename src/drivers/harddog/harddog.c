/*
 * harddog: the guest's /dev/watchdog (misc 10,130), as UML's. The watching is done by a
 * host helper, uml_watchdog, that the first open starts: with mconsole=notify: it sends
 * a "hang" notification to that socket when the guest stops petting, otherwise it
 * SIGINTs (and at last SIGKILLs) the kernel. Every write and WDIOC_KEEPALIVE is a ping
 * (one byte down its stdin); closing the device closes the pipe, which ends the helper
 * quietly. One opener at a time, as in UML. A stopped machine (MConsole stop) does not
 * ping either, so a stop longer than the helper's timeout reads as a hang, as in UML.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/watchdog.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "fs/chrdev.h"
#include "fs/dev/devfs.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "mconsole/mconsole.h"
#include "platform/platform.h"

#define MISC_MAJOR     10
#define WATCHDOG_MINOR 130
/* How long open waits for the helper's first byte; it writes it as it starts. */
#define HANDSHAKE_MS   5000

extern char **environ;

struct harddog {
	bool open;
	int ping_fd;     /* the helper's stdin */
	int reply_fd;    /* its stdout and stderr */
	pid_t helper;
};
static struct harddog dog = { .ping_fd = -1, .reply_fd = -1 };

/* Ours beside the kernel binary first (a build tree or an install), then UML's place. */
static void helper_path(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			if ((size_t)snprintf(buf, len, "%.*s/uml_watchdog", PATH_MAX - 16, self) < len &&
			    access(buf, X_OK) == 0)
				return;
		}
	}
	snprintf(buf, len, "/usr/bin/uml_watchdog");
}

static int spawn_helper(int to_helper[2], int from_helper[2])
{
	char path[PATH_MAX], pid[16];
	const char *sock = mconsole_notify_socket();
	helper_path(path, sizeof(path));
	snprintf(pid, sizeof(pid), "%d", (int)kernel_host_pid);
	char *argv[] = { path, sock ? "-mconsole" : "-pid", sock ? (char *)sock : pid, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, to_helper[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, from_helper[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, from_helper[1], STDERR_FILENO);
	posix_spawnattr_init(&at);
	/* the kernel blocks the signals its signalfd takes; the helper must not inherit that */
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	int err = posix_spawn(&dog.helper, path, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (err)
		printk("<3>harddog: can't start %s: %s\n", path, strerror(err));
	return -err;
}

static void stop_helper(void)
{
	/* end of input: a normal close for the helper, which exits (the loop reaps it) */
	if (dog.ping_fd >= 0)
		close(dog.ping_fd);
	if (dog.reply_fd >= 0)
		close(dog.reply_fd);
	dog.ping_fd = dog.reply_fd = -1;
	dog.open = false;
}

/* UML's start_watchdog: the helper, then its one byte saying it is up. */
static int start_helper(void)
{
	int to[2], from[2];
	if (pipe2(to, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(from, O_CLOEXEC) < 0) {
		int err = -errno;
		close(to[0]), close(to[1]);
		return err;
	}
	int err = spawn_helper(to, from);
	close(to[0]);
	close(from[1]);
	dog.ping_fd = to[1];
	dog.reply_fd = from[0];
	if (err)
		goto fail;
	struct pollfd pfd = { .fd = dog.reply_fd, .events = POLLIN };
	char c;
	ssize_t n = poll(&pfd, 1, HANDSHAKE_MS) == 1 ? read(dog.reply_fd, &c, 1) : -1;
	if (n == 1)
		return 0;
	if (n == 0)
		printk("<3>harddog_open - EOF on watchdog pipe\n");
	else
		printk("<3>harddog_open - read of watchdog pipe failed, err = %d\n", errno);
	err = -EIO;
fail:
	stop_helper();
	return err;
}

static int ping(void)
{
	char nl = '\n';
	if (write(dog.ping_fd, &nl, 1) == 1)
		return 0;
	int err = -errno;
	printk("<3>ping_watchdog - write failed, err = %d\n", -err);
	return err;
}

static ssize_t harddog_write(struct file *f, const char *buf, size_t len, off_t *pos)
{
	(void)f, (void)buf, (void)pos;
	if (len && ping() < 0)
		return -EIO;
	return (ssize_t)len;
}

static long harddog_ioctl(struct file *f, struct task *t, unsigned long cmd, unsigned long arg)
{
	(void)f;
	static const struct watchdog_info ident = { .identity = "UML Watchdog" };
	int zero = 0;
	switch (cmd) {
	case WDIOC_GETSUPPORT:
		return guest_write(t, arg, &ident, sizeof(ident)) < 0 ? -EFAULT : 0;
	case WDIOC_GETSTATUS:
	case WDIOC_GETBOOTSTATUS:
		return guest_write(t, arg, &zero, sizeof(zero)) < 0 ? -EFAULT : 0;
	case WDIOC_KEEPALIVE:
		return ping() < 0 ? -EIO : 0;
	default:
		return -ENOTTY;
	}
}

static void harddog_release(struct file *f)
{
	(void)f;
	stop_helper();
}

static const struct file_ops harddog_fops = {
	.write = harddog_write, .ioctl = harddog_ioctl, .release = harddog_release,
};

static int harddog_open(struct inode *inode, struct file *f, unsigned minor)
{
	(void)inode, (void)minor;
	if (dog.open)
		return -EBUSY;
	int err = start_helper();
	if (err < 0)
		return err;
	dog.open = true;
	f->fops = &harddog_fops;
	return 0;
}

static const struct chrdev harddog_chrdev = {
	.name = "misc", .major = MISC_MAJOR, .minor = WATCHDOG_MINOR, .count = 1,
	.open = harddog_open,
};

void harddog_init(void)
{
	if (chrdev_register(&harddog_chrdev) == 0)
		devfs_add_node("watchdog", S_IFCHR | 0600, makedev(MISC_MAJOR, WATCHDOG_MINOR));
}
