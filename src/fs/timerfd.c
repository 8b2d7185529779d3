/*
 * timerfd: a timer whose expirations are read from a descriptor. Expirations are worked
 * out from the clock whenever the timer is looked at (read, poll, gettime, settime) rather
 * than by a kernel timer: a reader or poller that must wait parks with a deadline at the
 * next expiry, so something always looks at the right time. Guest clocks are the host's,
 * so the host clocks are the timers' clocks.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include "fs/poll.h"
#include "fs/proc/proc.h"
#include "sys/syscalls.h"

#define NSEC 1000000000ULL
#define TFD_SETTIME_FLAGS (TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)

struct timerfd {
	clockid_t clockid;
	uint64_t next;       /* next expiry in ns of clockid; 0: disarmed */
	uint64_t interval;   /* ns; 0: one-shot */
	uint64_t ticks;      /* expirations not yet read */
	bool expired;        /* a periodic timer fired and was not moved on since: see below */
	int settime_flags;   /* TFD_TIMER_* of the last settime, for fdinfo */
	struct waitq wq;     /* readers, and pollers: woken by expiries and settime */
};

static const struct file_ops timerfd_fops;

static uint64_t clock_now(clockid_t id)
{
	struct timespec ts;
	if (id == CLOCK_REALTIME_ALARM)
		id = CLOCK_REALTIME;
	else if (id == CLOCK_BOOTTIME_ALARM)
		id = CLOCK_BOOTTIME;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NSEC + (uint64_t)ts.tv_nsec;
}

/*
 * The timer firing. Like Linux's, a periodic timer that fired stays stopped until it is
 * read or its time is asked for (timerfd_forward), so its later expiries wake no one and
 * are no new events for EPOLLET, but they are counted then.
 */
static void timerfd_expire(struct timerfd *tf)
{
	if (!tf->next || tf->expired || clock_now(tf->clockid) < tf->next)
		return;
	tf->ticks++;
	if (tf->interval)
		tf->expired = true;
	else
		tf->next = 0;
	waitq_wake_all(&tf->wq);
}

/* Counts the expiries since a periodic timer fired and aims it at the next one (Linux's
 * hrtimer_forward_now then hrtimer_restart). */
static void timerfd_forward(struct timerfd *tf)
{
	timerfd_expire(tf);
	if (!tf->expired)
		return;
	uint64_t now = clock_now(tf->clockid);
	uint64_t n = now < tf->next ? 0 : (now - tf->next) / tf->interval + 1;
	tf->ticks += n ? n - 1 : 0;
	tf->next += n * tf->interval;
	tf->expired = false;
}

/* Wakes t at the next expiry (task deadlines run on CLOCK_MONOTONIC). */
static void timerfd_wake_at_expiry(struct timerfd *tf, struct task *t)
{
	if (!tf->next || tf->expired)
		return;
	uint64_t now = clock_now(tf->clockid);
	task_deadline_at_most(t, now_ns() + (tf->next > now ? tf->next - now : 0));
}

static ssize_t timerfd_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)pos;
	struct timerfd *tf = f->priv;
	if (len < sizeof(uint64_t))
		return -EINVAL;
	timerfd_forward(tf);
	if (!tf->ticks) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		task_wait_on(current, &tf->wq);
		timerfd_wake_at_expiry(tf, current);
		return SYSRET_BLOCK;
	}
	memcpy(buf, &tf->ticks, sizeof(tf->ticks));
	tf->ticks = 0;
	return sizeof(uint64_t);
}

static unsigned timerfd_poll(struct file *f, struct task *t)
{
	struct timerfd *tf = f->priv;
	timerfd_expire(tf);
	if (t) {
		task_wait_on(t, &tf->wq);
		timerfd_wake_at_expiry(tf, t);
	}
	return tf->ticks ? POLLIN | POLLRDNORM : 0;
}

static void timerfd_release(struct file *f)
{
	struct timerfd *tf = f->priv;
	waitq_release(&tf->wq);
	free(tf);
}

static struct timespec ns_timespec(uint64_t ns)
{
	return (struct timespec){ (time_t)(ns / NSEC), (long)(ns % NSEC) };
}

static struct itimerspec timerfd_value(struct timerfd *tf)
{
	uint64_t now = clock_now(tf->clockid);
	struct itimerspec v;
	v.it_value = ns_timespec(tf->next > now ? tf->next - now : 0);
	v.it_interval = ns_timespec(tf->interval);
	return v;
}

/* Linux shows the timer as it stands, so a periodic timer that fired and was not read
 * counts one tick and has no time left (timerfd_expire, not timerfd_forward). */
static void timerfd_show_fdinfo(struct file *f, struct proc_buf *b)
{
	struct timerfd *tf = f->priv;
	timerfd_expire(tf);
	struct itimerspec v = timerfd_value(tf);
	proc_printf(b, "clockid: %d\nticks: %llu\nsettime flags: 0%o\n"
		    "it_value: (%llu, %llu)\nit_interval: (%llu, %llu)\n",
		    tf->clockid, (unsigned long long)tf->ticks, tf->settime_flags,
		    (unsigned long long)v.it_value.tv_sec, (unsigned long long)v.it_value.tv_nsec,
		    (unsigned long long)v.it_interval.tv_sec, (unsigned long long)v.it_interval.tv_nsec);
}

static const struct file_ops timerfd_fops = {
	.read = timerfd_read, .poll = timerfd_poll, .release = timerfd_release,
	.llseek = anon_llseek, .rwf = FOP_RWF_NOWAIT_READ, .show_fdinfo = timerfd_show_fdinfo,
};

static bool clock_is_alarm(clockid_t id)
{
	return id == CLOCK_REALTIME_ALARM || id == CLOCK_BOOTTIME_ALARM;
}

long sys_timerfd_create(struct task *t, struct syscall_args *a)
{
	clockid_t id = (clockid_t)a->a[0];
	int flags = (int)a->a[1];
	if ((flags & ~(TFD_CLOEXEC | TFD_NONBLOCK)) ||
	    (id != CLOCK_MONOTONIC && id != CLOCK_REALTIME && id != CLOCK_BOOTTIME && !clock_is_alarm(id)))
		return -EINVAL;
	if (clock_is_alarm(id) && !cred_is_root(&t->cred))
		return -EPERM;   /* CAP_WAKE_ALARM */
	struct timerfd *tf = xcalloc(1, sizeof(*tf));
	tf->clockid = id;
	waitq_init(&tf->wq);
	struct file *f = anon_file_new("[timerfd]", &timerfd_fops, tf,
				       O_RDWR | (flags & TFD_NONBLOCK));
	return fd_install(t, f, flags & TFD_CLOEXEC, 0);
}

static int timerfd_get(struct task *t, int fd, struct timerfd **out)
{
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	if (f->fops != &timerfd_fops)
		return -EINVAL;
	*out = f->priv;
	return 0;
}

static bool timespec_ok(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < (long)NSEC;
}

/* Nanoseconds, saturating where Linux's ktime_t does. */
static uint64_t timespec_ns(const struct timespec *ts)
{
	if ((uint64_t)ts->tv_sec >= (uint64_t)INT64_MAX / NSEC)
		return INT64_MAX;
	return (uint64_t)ts->tv_sec * NSEC + (uint64_t)ts->tv_nsec;
}

long sys_timerfd_settime(struct task *t, struct syscall_args *a)
{
	int flags = (int)a->a[1];
	struct itimerspec nv;
	if (guest_read(t, &nv, a->a[2], sizeof(nv)) < 0)
		return -EFAULT;
	if ((flags & ~TFD_SETTIME_FLAGS) || !timespec_ok(&nv.it_value) || !timespec_ok(&nv.it_interval))
		return -EINVAL;
	struct timerfd *tf;
	int err = timerfd_get(t, (int)a->a[0], &tf);
	if (err < 0)
		return err;
	timerfd_forward(tf);
	struct itimerspec old = timerfd_value(tf);
	uint64_t value = timespec_ns(&nv.it_value);
	/* TFD_TIMER_CANCEL_ON_SET is accepted; guest clocks are never set, so never fires */
	tf->ticks = 0;
	tf->expired = false;
	tf->interval = timespec_ns(&nv.it_interval);
	tf->settime_flags = flags;
	tf->next = 0;
	if (value) {
		uint64_t base = flags & TFD_TIMER_ABSTIME ? 0 : clock_now(tf->clockid);
		tf->next = value > INT64_MAX - base ? INT64_MAX : base + value;
	}
	waitq_wake_all(&tf->wq);   /* parked readers re-aim at the new expiry */
	if (a->a[3] && guest_write(t, a->a[3], &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_timerfd_gettime(struct task *t, struct syscall_args *a)
{
	struct timerfd *tf;
	int err = timerfd_get(t, (int)a->a[0], &tf);
	if (err < 0)
		return err;
	timerfd_forward(tf);
	struct itimerspec cur = timerfd_value(tf);
	return guest_write(t, a->a[1], &cur, sizeof(cur)) < 0 ? -EFAULT : 0;
}
