/*
 * Job control on ttys: sessions and controlling ttys, foreground process groups,
 * background access (SIGTTIN/SIGTTOU, orphaned groups get EIO), and hangup when a
 * session leader goes.
 */
#include <signal.h>
#include <stdlib.h>
#include "drivers/tty/tty_int.h"
#include "task/task.h"
#include "signal/signal.h"

/* Thread groups are found through their threads; each is taken once, at its first
 * thread. */
static bool first_thread_of_group(struct task *t)
{
	return t->tg && t->tg->threads.next == &t->thread_link;
}

/* The live thread groups of a process group, by id (ids, because sending a signal may
 * change the task lists under an iterator). Returns the count; *out is malloc'ed. */
static size_t pgrp_members(pid_t pgrp, pid_t **out)
{
	size_t n = 0, cap = 16;
	pid_t *ids = xcalloc(cap, sizeof(*ids));
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct task *x = list_entry(p, struct task, all_link);
		if (!first_thread_of_group(x) || x->tg->zombie || x->tg->pgid != pgrp)
			continue;
		if (n == cap) {
			pid_t *more = realloc(ids, 2 * cap * sizeof(*ids));
			if (!more)
				break;
			ids = more;
			cap *= 2;
		}
		ids[n++] = x->tg->tgid;
	}
	*out = ids;
	return n;
}

void tty_kill_pgrp(pid_t pgrp, int sig)
{
	if (pgrp <= 0)
		return;
	pid_t *ids;
	size_t n = pgrp_members(pgrp, &ids);
	for (size_t i = 0; i < n; i++) {
		struct thread_group *tg = tg_by_pid(ids[i]);
		if (tg && !tg->zombie && tg->pgid == pgrp)
			signal_send_tg(tg, sig, NULL);   /* SI_KERNEL, as Linux's tty signals */
	}
	free(ids);
}

long tty_job_check(struct tty *tty, struct task *t, int sig)
{
	if (!t)
		return 0;
	struct thread_group *tg = t->tg;
	if (tg->ctty != tty || !tty->pgrp || tg->pgid == tty->pgrp)
		return 0;
	/* a background reader that ignores or blocks SIGTTIN gets EIO; a writer ignoring
	 * or blocking SIGTTOU just writes (Linux's is_ignored(): bash's children block it
	 * around their tcsetpgrp) */
	if (signal_is_ignored(tg, sig) || signal_is_blocked(t, sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (pgrp_is_orphaned(tg->pgid))
		return -EIO;   /* nobody would ever continue a stopped orphan */
	tty_kill_pgrp(tg->pgid, sig);
	return TTY_RESTART;
}

void tty_set_ctty(struct tty *tty, struct thread_group *tg)
{
	tty->session = tg->sid;
	tty->pgrp = tg->pgid;
	tg->ctty = tty;
}

void tty_clear_session_ctty(pid_t sid)
{
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct task *x = list_entry(p, struct task, all_link);
		if (x->tg && x->tg->sid == sid)
			x->tg->ctty = NULL;
	}
}

long tty_session_of_pgrp(pid_t pgrp)
{
	struct list_head *p;
	list_for_each(p, &all_tasks) {
		struct task *x = list_entry(p, struct task, all_link);
		if (x->tg && x->tg->pgid == pgrp)
			return x->tg->sid;
	}
	struct thread_group *tg = tg_by_pid(pgrp);
	return tg ? tg->sid : -ESRCH;
}

/* Drops the tty from its session: the foreground group gets SIGHUP and SIGCONT (so a
 * stopped job sees the hangup), and nobody in the session has it any more. */
static void disassociate(struct tty *tty, struct thread_group *leader)
{
	pid_t fg = tty->pgrp;
	tty_kill_pgrp(fg, SIGHUP);
	tty_kill_pgrp(fg, SIGCONT);
	tty_clear_session_ctty(leader->sid);
	leader->ctty = NULL;
	tty->session = 0;
	tty->pgrp = 0;
}

/* Files opened before a hangup read 0 and fail writes with EIO from now on, except
 * /dev/console's; new opens work as before. */
void tty_hangup(struct tty *tty)
{
	tty->hangup_gen++;
	waitq_wake_all(&tty->read_wait);
	waitq_wake_all(&tty->write_wait);
}

void tty_vhangup(struct tty *tty)
{
	pid_t sid = tty->session;
	if (sid) {
		tty_clear_session_ctty(sid);
		tty->session = 0;
		tty->pgrp = 0;
		struct thread_group *leader = tg_by_pid(sid);
		if (leader && !leader->zombie && leader->sid == leader->tgid) {
			signal_send_tg(leader, SIGHUP, NULL);
			signal_send_tg(leader, SIGCONT, NULL);
		}
	}
	tty_hangup(tty);
}

void tty_session_leader_exit(struct thread_group *tg)
{
	struct tty *tty = tg->ctty;
	if (!tty)
		return;
	if (tty->session != tg->sid) {   /* it was taken away (TIOCSCTTY steal) */
		tg->ctty = NULL;
		return;
	}
	disassociate(tty, tg);
	tty_hangup(tty);
}

/*
 * umlinux hands init the console as its controlling terminal (docs/architecture.md) so
 * that a shell as init has job control. A real init never holds one on Linux, so the
 * console yields to the first other session that asks for it (BusyBox init's and
 * getty's setsid + TIOCSCTTY), as if init had never had it.
 */
bool tty_held_by_init_only(struct tty *tty)
{
	return tty->session && init_tg && tty->session == init_tg->sid &&
	       init_tg->sid == init_tg->tgid;
}

long tty_ioctl_sctty(struct tty *tty, struct file *f, struct task *t, unsigned long arg)
{
	struct thread_group *tg = t->tg;
	bool leader = tg->sid == tg->tgid, root = cred_is_root(&t->cred);
	if (leader && tty->session == tg->sid)
		return 0;
	if (!leader || tg->ctty)
		return -EPERM;
	if (tty_held_by_init_only(tty)) {
		tty_clear_session_ctty(tty->session);
	} else if (tty->session) {
		if (arg != 1 || !root)
			return -EPERM;
		tty_clear_session_ctty(tty->session);   /* root steals it */
	}
	if ((f->flags & O_ACCMODE) == O_WRONLY && !root)
		return -EPERM;
	tty_set_ctty(tty, tg);
	return 0;
}

long tty_ioctl_notty(struct tty *tty, struct task *t)
{
	struct thread_group *tg = t->tg;
	if (tg->ctty != tty)
		return -ENOTTY;
	if (tg->sid == tg->tgid)
		disassociate(tty, tg);
	else
		tg->ctty = NULL;
	return 0;
}
