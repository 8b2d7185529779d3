/* rlimits, CPU affinity and reboot(2). */
#include <linux/reboot.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include "kernel/kernel.h"
#include "platform/hostusage.h"
#include "platform/platform.h"
#include "sys/syscalls.h"
#include "task/task.h"

void rlimits_init(struct rlimit *r)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		r[i].rlim_cur = r[i].rlim_max = RLIM_INFINITY;
	r[RLIMIT_STACK].rlim_cur = 8 * 1024 * 1024;
	r[RLIMIT_CORE].rlim_cur = 0;
	r[RLIMIT_NOFILE].rlim_cur = 1024;
	r[RLIMIT_NOFILE].rlim_max = 1048576;
	r[RLIMIT_NPROC].rlim_cur = r[RLIMIT_NPROC].rlim_max = 31556;
	r[RLIMIT_SIGPENDING].rlim_cur = r[RLIMIT_SIGPENDING].rlim_max = 31556;
	r[RLIMIT_MEMLOCK].rlim_cur = r[RLIMIT_MEMLOCK].rlim_max = 8 * 1024 * 1024;
	r[RLIMIT_MSGQUEUE].rlim_cur = r[RLIMIT_MSGQUEUE].rlim_max = 819200;
	r[RLIMIT_NICE].rlim_cur = r[RLIMIT_NICE].rlim_max = 0;
	r[RLIMIT_RTPRIO].rlim_cur = r[RLIMIT_RTPRIO].rlim_max = 0;
}

/* Limits the host must enforce because the task host does the work natively: address
 * space and data size (anonymous mmap), and CPU time (SIGXCPU). */
static void rlimit_to_host(struct thread_group *tg, unsigned res)
{
	if (res != RLIMIT_AS && res != RLIMIT_DATA && res != RLIMIT_CPU)
		return;
	if (!tg->zombie && tg->nr_threads > 0)
		host_set_rlimit(tg->host_tgid, (int)res, tg->rlim[res].rlim_cur, tg->rlim[res].rlim_max);
}

static long do_prlimit(struct task *t, pid_t pid, unsigned res, unsigned long unew, unsigned long uold)
{
	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	struct thread_group *tg = pid ? tg_by_pid(pid) : t->tg;
	if (!tg)
		return -ESRCH;
	struct rlimit nl;
	if (unew && guest_read(t, &nl, unew, sizeof(nl)) < 0)
		return -EFAULT;
	if (unew && nl.rlim_cur > nl.rlim_max)
		return -EINVAL;
	if (unew && nl.rlim_max > tg->rlim[res].rlim_max && !cred_is_root(&t->cred))
		return -EPERM;
	if (unew && res == RLIMIT_NOFILE && nl.rlim_max > 1048576)
		return -EPERM;   /* fs.nr_open */
	if (uold && guest_write(t, uold, &tg->rlim[res], sizeof(struct rlimit)) < 0)
		return -EFAULT;
	if (unew) {
		tg->rlim[res] = nl;
		rlimit_to_host(tg, res);
	}
	return 0;
}

long sys_prlimit64(struct task *t, struct syscall_args *a)
{
	return do_prlimit(t, (pid_t)a->a[0], (unsigned)a->a[1], a->a[2], a->a[3]);
}
long sys_getrlimit(struct task *t, struct syscall_args *a) { return do_prlimit(t, 0, (unsigned)a->a[0], 0, a->a[1]); }
long sys_setrlimit(struct task *t, struct syscall_args *a) { return do_prlimit(t, 0, (unsigned)a->a[0], a->a[1], 0); }

long sys_sched_getaffinity(struct task *t, struct syscall_args *a)
{
	size_t len = a->a[1];
	if (len < sizeof(unsigned long) || (len & (sizeof(unsigned long) - 1)))
		return -EINVAL;
	unsigned long mask = 1;   /* one virtual CPU, as UML has */
	if (guest_write(t, a->a[2], &mask, sizeof(mask)) < 0)
		return -EFAULT;
	return sizeof(mask);
}

long sys_reboot(struct task *t, struct syscall_args *a)
{
	if ((unsigned)a->a[0] != LINUX_REBOOT_MAGIC1 ||
	    ((unsigned)a->a[1] != LINUX_REBOOT_MAGIC2 && (unsigned)a->a[1] != LINUX_REBOOT_MAGIC2A &&
	     (unsigned)a->a[1] != LINUX_REBOOT_MAGIC2B && (unsigned)a->a[1] != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	if (!cred_is_root(&t->cred))
		return -EPERM;
	switch ((unsigned)a->a[2]) {
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:
		printk("<5>reboot: Restarting system\n");
		kernel_halt(HALT_REBOOT, 0);
	case LINUX_REBOOT_CMD_HALT:
		printk("<5>reboot: System halted\n");
		kernel_halt(HALT_HALT, 0);
	case LINUX_REBOOT_CMD_POWER_OFF:
		printk("<5>reboot: Power down\n");
		kernel_halt(HALT_POWEROFF, 0);
	case LINUX_REBOOT_CMD_CAD_ON:
		cad_enabled = true;
		return 0;
	case LINUX_REBOOT_CMD_CAD_OFF:
		cad_enabled = false;
		return 0;
	default:
		return -EINVAL;
	}
}

bool cad_enabled = true;
