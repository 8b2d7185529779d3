/*
 * Magic SysRq, as Linux's drivers/tty/sysrq.c behaves: the actions of the UML book's
 * table 8.2 (and crash), each announced as "sysrq: <action>" in the kernel log, gated by
 * /proc/sys/kernel/sysrq (0 disables, 1 enables all, other values are a bitmask of
 * groups). Reached from MConsole's sysrq command, which returns what the action printed,
 * and from /proc/sysrq-trigger, which Linux does not gate.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include "fs/proc/proc.h"
#include "fs/vfs.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "mconsole/internal.h"
#include "mm/meminfo.h"
#include "mm/oom.h"
#include "signal/signal.h"
#include "task/cred.h"

/* Linux's sysrq enable bits (include/linux/sysrq.h, not a uapi header). */
#define SYSRQ_ENABLE_LOG     0x0002
#define SYSRQ_ENABLE_DUMP    0x0008
#define SYSRQ_ENABLE_SYNC    0x0010
#define SYSRQ_ENABLE_REMOUNT 0x0020
#define SYSRQ_ENABLE_SIGNAL  0x0040
#define SYSRQ_ENABLE_BOOT    0x0080
#define SYSRQ_ENABLE_RTNICE  0x0100

/* The console level sysrq raises the log to for its own announcement. */
#define CONSOLE_LOGLEVEL_DEFAULT 7

/* A filesystem that keeps dirty data in memory provides this; emergency sync calls it.
 * Today's filesystems write through to the host, so there may be none. */
void vfs_sync_all(void) __attribute__((weak));

struct sysrq_op {
	char key;               /* '0' stands for all of 0-9 */
	const char *help;
	const char *action;
	int mask;
	void (*handler)(int key);
};

static void op_loglevel(int key)
{
	console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
	printk("<6>Loglevel set to %d\n", key - '0');
	console_loglevel = key - '0';
}

static void op_reboot(int key)
{
	(void)key;
	/* an emergency restart: no sync, no unmounting */
	mconsole_outq_flush(200);
	kernel_halt(HALT_REBOOT, 0);
}

static void op_crash(int key)
{
	(void)key;
	mconsole_outq_flush(200);
	panic("sysrq triggered crash");
}

/* Linux's send_sig_all: every process but init. */
static void signal_all(int sig)
{
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct task *t = list_entry(p, struct task, all_link);
		struct thread_group *tg = t->tg;
		if (tg == init_tg || tg->zombie ||
		    list_entry(tg->threads.next, struct task, thread_link) != t)
			continue;
		signal_send_tg(tg, sig, NULL);
	}
}

static void op_term(int key) { (void)key; signal_all(SIGTERM); }
static void op_kill(int key) { (void)key; signal_all(SIGKILL); }

static void op_oom(int key)
{
	(void)key;
	if (!oom_kill_biggest())
		printk("<6>OOM request ignored. No task eligible\n");
}

static void op_show_mem(int key)
{
	(void)key;
	uint64_t total = mem_total_bytes() / PAGE_SIZE, used = mem_used_bytes() / PAGE_SIZE;
	uint64_t free_pages = used < total ? total - used : 0;
	printk("<6>Mem-Info:\n");
	printk("<6>active_anon:%llu inactive_anon:0 isolated_anon:0\n", (unsigned long long)used);
	printk("<6> active_file:0 inactive_file:0 isolated_file:0\n");
	printk("<6> unevictable:0 dirty:0 writeback:0\n");
	printk("<6> free:%llu free_pcp:0 free_cma:0\n", (unsigned long long)free_pages);
	printk("<6>%llu pages RAM\n", (unsigned long long)total);
	printk("<6>0 pages HighMem/MovableOnly\n");
	printk("<6>0 pages reserved\n");
}

/* Linux's normalize_rt_tasks: real-time processes go back to SCHED_OTHER. */
static void op_nice_rt(int key)
{
	(void)key;
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct task *t = list_entry(p, struct task, all_link);
		int policy = t->tg->sched_policy & ~SCHED_RESET_ON_FORK;
		if (policy == SCHED_FIFO || policy == SCHED_RR) {
			t->tg->sched_policy = SCHED_OTHER;
			t->tg->sched_priority = 0;
		}
	}
}

/* The task the CPU was running: the one whose syscall is being served, else idle. */
static void op_show_regs(int key)
{
	(void)key;
	if (current)
		show_regs_of(current);
	else
		printk("<6>CPU: 0 PID: 0 Comm: swapper/0 (idle)\n");
}

static void op_sync(int key)
{
	(void)key;
	if (vfs_sync_all)
		vfs_sync_all();
	printk("<6>Emergency Sync complete\n");
}

static void op_show_state(int key)
{
	(void)key;
	struct list_head *p;
	list_for_each(p, &all_tasks)
		show_task(list_entry(p, struct task, all_link));
}

/* Linux remounts read-only what sits on a block device, not hostfs or proc. */
static void op_remount_ro(int key)
{
	(void)key;
	struct list_head *p;
	list_for_each(p, &mount_list) {
		struct mount *m = list_entry(p, struct mount, link);
		if (m->sb && !m->sb->type->nodev) {
			m->sb->flags |= MS_RDONLY;
			m->flags |= MS_RDONLY;
		}
	}
	printk("<6>Emergency Remount complete\n");
}

static const struct sysrq_op sysrq_ops[] = {
	{ '0', "loglevel(0-9)", "Changing Loglevel", SYSRQ_ENABLE_LOG, op_loglevel },
	{ 'b', "reboot(b)", "Resetting", SYSRQ_ENABLE_BOOT, op_reboot },
	{ 'c', "crash(c)", "Trigger a crash", SYSRQ_ENABLE_DUMP, op_crash },
	{ 'e', "terminate-all-tasks(e)", "Terminate All Tasks", SYSRQ_ENABLE_SIGNAL, op_term },
	{ 'f', "memory-full-oom-kill(f)", "Manual OOM execution", SYSRQ_ENABLE_SIGNAL, op_oom },
	{ 'i', "kill-all-tasks(i)", "Kill All Tasks", SYSRQ_ENABLE_SIGNAL, op_kill },
	{ 'm', "show-memory-usage(m)", "Show Memory", SYSRQ_ENABLE_DUMP, op_show_mem },
	{ 'n', "nice-all-RT-tasks(n)", "Nice All RT Tasks", SYSRQ_ENABLE_RTNICE, op_nice_rt },
	{ 'p', "show-registers(p)", "Show Regs", SYSRQ_ENABLE_DUMP, op_show_regs },
	{ 's', "sync(s)", "Emergency Sync", SYSRQ_ENABLE_SYNC, op_sync },
	{ 't', "show-task-states(t)", "Show State", SYSRQ_ENABLE_DUMP, op_show_state },
	{ 'u', "unmount(u)", "Emergency Remount R/O", SYSRQ_ENABLE_REMOUNT, op_remount_ro },
};

static const struct sysrq_op *find_op(int key)
{
	for (size_t i = 0; i < ARRAY_SIZE(sysrq_ops); i++) {
		char k = sysrq_ops[i].key;
		if (k == key || (k == '0' && key >= '0' && key <= '9'))
			return &sysrq_ops[i];
	}
	return NULL;
}

static bool enabled_by_sysctl(int mask)
{
	return sysctl_sysrq == 1 || (sysctl_sysrq & mask);
}

static void print_help(void)
{
	char line[512] = "sysrq: HELP : ";
	for (size_t i = 0; i < ARRAY_SIZE(sysrq_ops); i++) {
		strncat(line, sysrq_ops[i].help, sizeof(line) - strlen(line) - 2);
		strncat(line, " ", sizeof(line) - strlen(line) - 2);
	}
	printk("<6>%s\n", line);
}

void sysrq_handle(int key, bool check_mask)
{
	/* handle_sysrq does nothing at all while SysRq is off */
	if (check_mask && sysctl_sysrq == 0)
		return;
	int saved = console_loglevel;
	console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;   /* the announcement always shows */
	const struct sysrq_op *op = find_op(key);
	if (!op) {
		print_help();
		console_loglevel = saved;
		return;
	}
	if (check_mask && !enabled_by_sysctl(op->mask)) {
		printk("<6>sysrq: This sysrq operation is disabled.\n");
		console_loglevel = saved;
		return;
	}
	printk("<6>sysrq: %s\n", op->action);
	console_loglevel = saved;
	op->handler(key);
}

static void sysrq_in_console(void *arg)
{
	sysrq_handle(*(const char *)arg, true);
}

void mconsole_cmd_sysrq(struct mc_request *req)
{
	const char *arg = mconsole_argument(req);
	/* b and c do not come back: the client gets its answer first */
	if (*arg == 'b' || *arg == 'c')
		mconsole_reply(req, "", 0, false);
	mconsole_with_console(req, sysrq_in_console, (void *)arg);
}

/* Linux acts on the first character written, whatever /proc/sys/kernel/sysrq says;
 * the file is root's (mode 0200). */
static int sysrq_trigger_write(struct task *writer, const char *buf, size_t len)
{
	(void)writer;
	if (len)
		sysrq_handle(buf[0], false);
	return 0;
}

void sysrq_init(void)
{
	proc_register_file("sysrq-trigger", 0200, NULL, sysrq_trigger_write);
}
