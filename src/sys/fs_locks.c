/*
 * The lock and ownership side of fcntl (record locks, F_SETOWN/F_SETSIG, F_NOTIFY,
 * seals) and flock(2): guest memory in and out around fs/locks.c.
 */
#include <sys/file.h>
#include "fs/locks.h"
#include "fs/vfs.h"
#include "sys/syscalls.h"

/* POSIX record locks die with any close of the file by their descriptor table. */
void fd_on_close(struct task *t, struct file *f)
{
	locks_remove_posix(t->files, f);
}

static long fcntl_getlk(struct task *t, struct file *f, bool ofd, unsigned long arg)
{
	struct flock l;
	if (guest_read(t, &l, arg, sizeof(l)) < 0)
		return -EFAULT;
	int err = locks_test_record(t, f, ofd, &l);
	if (err < 0)
		return err;
	return guest_write(t, arg, &l, sizeof(l)) < 0 ? -EFAULT : 0;
}

static long fcntl_setlk(struct task *t, struct file *f, bool ofd, bool wait, unsigned long arg)
{
	struct flock l;
	long r;
	if (guest_read(t, &l, arg, sizeof(l)) < 0)
		r = -EFAULT;
	else
		r = locks_set_record(t, f, ofd, wait, &l);
	if (wait && r != SYSRET_BLOCK)
		locks_wait_done(t);
	return r;
}

static bool pgrp_exists(pid_t pgid)
{
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct task *x = list_entry(p, struct task, all_link);
		if (x->tg && x->tg->pgid == pgid)
			return true;
	}
	return false;
}

/* Linux's f_setown family: the owner must exist (ESRCH); 0 clears it. */
static long set_owner(struct file *f, int type, pid_t pid)
{
	bool found = true;
	if (pid) {
		switch (type) {
		case F_OWNER_TID: found = task_by_tid(pid) != NULL; break;
		case F_OWNER_PID: found = tg_by_pid(pid) != NULL; break;
		case F_OWNER_PGRP: found = pgrp_exists(pid); break;
		default: return -EINVAL;
		}
	}
	if (!found)
		return -ESRCH;
	f->owner_type = type;
	f->owner_pid = pid;
	return 0;
}

static long fcntl_setown(struct file *f, unsigned long arg)
{
	int who = (int)arg;
	if (who == INT32_MIN)
		return -EINVAL;
	return who < 0 ? set_owner(f, F_OWNER_PGRP, -who) : set_owner(f, F_OWNER_PID, who);
}

static long fcntl_getown(struct file *f)
{
	return f->owner_type == F_OWNER_PGRP ? -(long)f->owner_pid : f->owner_pid;
}

static long fcntl_owner_ex(struct task *t, struct file *f, bool set, unsigned long arg)
{
	struct f_owner_ex ex;
	if (!set) {
		ex.type = f->owner_type;
		ex.pid = f->owner_pid;
		return guest_write(t, arg, &ex, sizeof(ex)) < 0 ? -EFAULT : 0;
	}
	if (guest_read(t, &ex, arg, sizeof(ex)) < 0)
		return -EFAULT;
	return set_owner(f, ex.type, ex.pid);
}

long fcntl_more(struct task *t, struct file *f, int fd, int cmd, unsigned long arg)
{
	(void)fd;
	if (f->flags & O_PATH)   /* Linux's check_fcntl_cmd: only descriptor-level commands */
		return -EBADF;
	switch (cmd) {
	case F_GETLK:
	case F_OFD_GETLK:
		return fcntl_getlk(t, f, cmd == F_OFD_GETLK, arg);
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return fcntl_setlk(t, f, cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW,
				   cmd == F_SETLKW || cmd == F_OFD_SETLKW, arg);
	case F_GETOWN:
		return fcntl_getown(f);
	case F_SETOWN:
		return fcntl_setown(f, arg);
	case F_GETOWN_EX:
	case F_SETOWN_EX:
		return fcntl_owner_ex(t, f, cmd == F_SETOWN_EX, arg);
	case F_GETSIG:
		return f->owner_sig;
	case F_SETSIG:
		if (arg > 64)   /* valid_signal(): 0 restores SIGIO */
			return -EINVAL;
		f->owner_sig = (int)arg;
		return 0;
	case F_ADD_SEALS:
		/* Linux's memfd_add_seals order: the descriptor, the seals, then the file */
		if (!file_may_write(f))
			return -EPERM;
		if ((unsigned)arg & ~(unsigned)(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
						F_SEAL_FUTURE_WRITE | F_SEAL_EXEC))
			return -EINVAL;
		return f->fops && f->fops->seals ? f->fops->seals(f, true, (unsigned)arg) : -EINVAL;
	case F_GET_SEALS:
		return f->fops && f->fops->seals ? f->fops->seals(f, false, 0) : -EINVAL;
	case F_NOTIFY:          /* no dnotify */
	default:
		return -EINVAL;
	}
}

long sys_flock(struct task *t, struct syscall_args *a)
{
	unsigned cmd = (unsigned)a->a[1];
	short type;
	if (cmd & LOCK_MAND)   /* Linux ignores these, as it long did in effect */
		return 0;
	switch (cmd & ~(unsigned)LOCK_NB) {
	case LOCK_SH: type = F_RDLCK; break;
	case LOCK_EX: type = F_WRLCK; break;
	case LOCK_UN: type = F_UNLCK; break;
	default: return -EINVAL;
	}
	struct file *f = fd_get(t, (int)a->a[0]);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	bool wait = !(cmd & LOCK_NB);
	long r = locks_flock(t, f, type, wait);
	if (wait && r != SYSRET_BLOCK)
		locks_wait_done(t);
	return r;
}
