/*
 * Halt, power-off, reboot and panic: every task host is killed and reaped (none may
 * outlive us), the host terminal is restored, the umid directory removed (kept after a
 * panic, as UML does), and a reboot re-executes this binary with the same switches.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "drivers/tty/tty.h"
#include "kernel/halt.h"
#include "kernel/kernel.h"

static const struct umid_dir *halt_umid;
static bool halt_noreboot;
static char **halt_argv;

void halt_setup(const struct umid_dir *umid, bool noreboot, char **argv)
{
	halt_umid = umid;
	halt_noreboot = noreboot;
	halt_argv = argv;
}

static void kill_all_task_hosts(void)
{
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct task *t = list_entry(p, struct task, all_link);
		kill(t->host_tid, SIGKILL);
	}
	/* SIGKILL always ends a task host, stopped or not: wait for each one */
	list_for_each(p, &all_tasks) {
		struct task *t = list_entry(p, struct task, all_link);
		while (waitpid(t->host_tid, NULL, __WALL) < 0 && errno == EINTR)
			;
	}
}

/* Weak so that unit tests link without the VFS. */
void vfs_shutdown_all(void) __attribute__((weak));

_Noreturn void kernel_halt(enum halt_kind how, int exit_status)
{
	kill_all_task_hosts();
	/* as Linux's halt after init's umount: disk filesystems left clean (not on panic) */
	if (how != HALT_PANIC && vfs_shutdown_all)
		vfs_shutdown_all();
	console_restore_host();
	fflush(stdout);
	if (how != HALT_PANIC && halt_umid)
		umid_remove(halt_umid);
	if (how == HALT_REBOOT && !halt_noreboot && halt_argv) {
		execv("/proc/self/exe", halt_argv);
		fprintf(stderr, "umlinux: reboot: cannot re-execute /proc/self/exe: %s\n", strerror(errno));
		exit(1);
	}
	exit(exit_status);
}
