/*
 * Setting the clocks: clock_settime(2) and settimeofday(2). Guest clocks are the host's
 * (reads run natively), so the time itself cannot be set from inside: a privileged
 * caller gets EPERM as an unprivileged one would. The checks before that are Linux's.
 * A timezone alone is accepted, but gettimeofday (native) keeps reporting the host's.
 */
#include <linux/capability.h>
#include <sys/time.h>
#include <time.h>
#include "kernel/kernel.h"
#include "platform/platform.h"
#include "sys/syscalls.h"
#include "task/cred.h"

#define TZ_MINUTES_MAX (15 * 60)

static bool ts_valid_settod(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000L;
}

/* Only CLOCK_REALTIME is settable. The CPU-time clocks of a pid (negative ids) exist
 * but never accept a value; CLOCK_PROCESS_CPUTIME_ID and the others have no setter. */
long sys_clock_settime(struct task *t, struct syscall_args *a)
{
	clockid_t clock = (clockid_t)a->a[0];
	struct timespec ts;
	if (clock != CLOCK_REALTIME && clock >= 0)
		return -EINVAL;
	if (guest_read(t, &ts, a->a[1], sizeof(ts)) < 0)
		return -EFAULT;
	if (clock < 0)
		return -EPERM;
	if (!ts_valid_settod(&ts))
		return -EINVAL;
	return -EPERM;   /* with or without CAP_SYS_TIME: the host's clock is not ours */
}

long sys_settimeofday(struct task *t, struct syscall_args *a)
{
	struct timeval tv;
	struct timezone tz;
	if (a->a[0]) {
		if (guest_read(t, &tv, a->a[0], sizeof(tv)) < 0)
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
	}
	if (a->a[1] && guest_read(t, &tz, a->a[1], sizeof(tz)) < 0)
		return -EFAULT;
	if (!cred_capable(&t->cred, CAP_SYS_TIME))
		return -EPERM;
	if (a->a[1] && (tz.tz_minuteswest > TZ_MINUTES_MAX || tz.tz_minuteswest < -TZ_MINUTES_MAX))
		return -EINVAL;
	return a->a[0] ? -EPERM : 0;
}
