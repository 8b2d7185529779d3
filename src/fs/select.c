/*
 * select and pselect6: poll over descriptor bitmaps. The bitmaps are read and written in
 * whole 64-bit words (Linux's FDS_BYTES), nfds beyond the descriptor table is cut to its
 * size, a set bit naming a closed descriptor is EBADF, and the time left goes back into
 * the caller's timeout.
 */
#include <stdlib.h>
#include <string.h>
#include "fs/poll.h"
#include "sys/syscalls.h"

/* Which poll bits make a descriptor readable, writable or exceptional (Linux's sets). */
#define SEL_IN  (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define SEL_OUT (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define SEL_EX  (POLLPRI)

enum { S_IN, S_OUT, S_EX };

struct fdsets {
	size_t words;
	uint64_t *want[3];   /* in, out, ex as passed */
	uint64_t *res[3];    /* the answer */
};

static int fdsets_read(struct task *t, struct fdsets *s, const unsigned long user[3], int n)
{
	s->words = ((size_t)n + 63) / 64;
	uint64_t *mem = calloc(6 * s->words + 1, sizeof(uint64_t));
	if (!mem)
		return -ENOMEM;
	for (int i = 0; i < 3; i++) {
		s->want[i] = mem + i * s->words;
		s->res[i] = mem + (3 + i) * s->words;
		if (user[i] && guest_read(t, s->want[i], user[i], s->words * 8) < 0)
			return -EFAULT;
		if (n % 64)   /* bits at or past n are not looked at */
			s->want[i][s->words - 1] &= (1ULL << (n % 64)) - 1;
	}
	return 0;
}

static void fdsets_free(struct fdsets *s)
{
	free(s->want[0]);
}

static bool fd_wanted(const struct fdsets *s, int fd, int which)
{
	return s->want[which][fd / 64] & (1ULL << (fd % 64));
}

static int select_check_fds(struct task *t, const struct fdsets *s, int n)
{
	for (int fd = 0; fd < n; fd++)
		if ((fd_wanted(s, fd, S_IN) || fd_wanted(s, fd, S_OUT) || fd_wanted(s, fd, S_EX)) &&
		    !fd_get(t, fd))
			return -EBADF;
	return 0;
}

static int select_mark(struct fdsets *s, int fd, int which, unsigned mask, unsigned ready_bits)
{
	if (!(mask & ready_bits) || !fd_wanted(s, fd, which))
		return 0;
	s->res[which][fd / 64] |= 1ULL << (fd % 64);
	return 1;
}

/* One pass; each set an fd is ready in counts once, as in Linux. */
static int select_scan(struct task *t, struct fdsets *s, int n, bool wait)
{
	int count = 0;
	for (int fd = 0; fd < n; fd++) {
		if (!fd_wanted(s, fd, S_IN) && !fd_wanted(s, fd, S_OUT) && !fd_wanted(s, fd, S_EX))
			continue;
		struct file *f = fd_get(t, fd);
		if (!f)
			continue;   /* closed by another thread since the first run */
		unsigned mask = file_poll(f, wait && !count ? t : NULL);
		count += select_mark(s, fd, S_IN, mask, SEL_IN);
		count += select_mark(s, fd, S_OUT, mask, SEL_OUT);
		count += select_mark(s, fd, S_EX, mask, SEL_EX);
	}
	return count;
}

static long fdsets_write(struct task *t, const struct fdsets *s, const unsigned long user[3])
{
	for (int i = 0; i < 3; i++)
		if (user[i] && guest_write(t, user[i], s->res[i], s->words * 8) < 0)
			return -EFAULT;
	return 0;
}

/* The body of select and pselect6, after the timeout and mask are recorded. */
static long select_common(struct task *t, int n, const unsigned long user[3])
{
	if (n < 0)
		return -EINVAL;
	if (n > t->files->max)
		n = t->files->max;
	struct fdsets s = { 0 };
	long ret = fdsets_read(t, &s, user, n);
	if (ret == 0 && !t->retrying)
		ret = select_check_fds(t, &s, n);
	if (ret < 0) {
		fdsets_free(&s);
		return ret;
	}
	ret = select_scan(t, &s, n, !poll_timed_out(t));
	if (ret == 0)
		ret = poll_sigmask_apply(t);
	if (ret == 0 && !poll_timed_out(t)) {
		fdsets_free(&s);
		return poll_park(t);
	}
	poll_sigmask_finish(t, ret);
	if (ret >= 0 && fdsets_write(t, &s, user) < 0)
		ret = -EFAULT;
	fdsets_free(&s);
	return ret;
}

static int select_begin(struct task *t, unsigned long utv)
{
	if (!utv)
		return poll_timeout_begin(t, NULL);
	struct timeval tv;
	if (guest_read(t, &tv, utv, sizeof(tv)) < 0)
		return -EFAULT;
	/* microseconds past a second carry into the seconds, as Linux does */
	struct timespec ts = { tv.tv_sec + tv.tv_usec / 1000000, (tv.tv_usec % 1000000) * 1000 };
	return poll_timeout_begin(t, &ts);
}

long sys_select(struct task *t, struct syscall_args *a)
{
	if (!t->retrying) {
		int err = select_begin(t, a->a[4]);
		if (err < 0)
			return err;
	}
	const unsigned long user[3] = { a->a[1], a->a[2], a->a[3] };
	long ret = select_common(t, (int)a->a[0], user);
	if (ret != SYSRET_BLOCK)
		poll_write_time_left(t);
	return ret;
}

/* pselect6's sixth argument: where the mask is and its size. */
struct sigset_argpack {
	unsigned long set;
	size_t size;
};

static int pselect_begin(struct task *t, unsigned long uts, unsigned long upack)
{
	struct sigset_argpack pack = { 0, 0 };
	if (upack && guest_read(t, &pack, upack, sizeof(pack)) < 0)
		return -EFAULT;
	struct timespec ts;
	if (uts && guest_read(t, &ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	int err = poll_timeout_begin(t, uts ? &ts : NULL);
	if (err < 0 || !pack.set)
		return err;
	uint64_t mask;
	return poll_sigmask_read(t, pack.set, pack.size, &mask);
}

long sys_pselect6(struct task *t, struct syscall_args *a)
{
	if (!t->retrying) {
		int err = pselect_begin(t, a->a[4], a->a[5]);
		if (err < 0)
			return err;
	}
	const unsigned long user[3] = { a->a[1], a->a[2], a->a[3] };
	long ret = select_common(t, (int)a->a[0], user);
	if (ret != SYSRET_BLOCK)
		poll_write_time_left(t);
	return ret;
}
