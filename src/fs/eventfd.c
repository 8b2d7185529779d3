/*
 * eventfd: a 64-bit counter behind a descriptor. A write adds (and waits while the sum
 * would reach 2^64-1), a read takes the whole count, or one with EFD_SEMAPHORE (and waits
 * while it is zero). Reads and writes move exactly 8 bytes: a shorter read buffer, or a
 * write of any other size, is EINVAL. Each has an id for /proc/<pid>/fdinfo, the lowest
 * free one from 0 across the machine, as Linux's (an ida).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include "fs/poll.h"
#include "fs/proc/proc.h"
#include "sys/syscalls.h"

struct eventfd {
	uint64_t count;
	bool semaphore;
	int id;
	struct waitq wq;   /* readers and writers both: any change may help either */
};

static ssize_t efd_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)pos;
	struct eventfd *e = f->priv;
	if (len < sizeof(uint64_t))
		return -EINVAL;
	if (e->count == 0) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		task_wait_on(current, &e->wq);
		return SYSRET_BLOCK;
	}
	uint64_t v = e->semaphore ? 1 : e->count;
	e->count -= v;
	memcpy(buf, &v, sizeof(v));
	waitq_wake_all(&e->wq);
	return sizeof(v);
}

static ssize_t efd_write(struct file *f, const char *buf, size_t len, off_t *pos)
{
	(void)pos;
	struct eventfd *e = f->priv;
	uint64_t v;
	if (len != sizeof(v))   /* reads may be longer, writes may not */
		return -EINVAL;
	memcpy(&v, buf, sizeof(v));
	if (v == UINT64_MAX)
		return -EINVAL;
	if (UINT64_MAX - e->count <= v) {   /* the count never reaches 2^64-1 */
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		task_wait_on(current, &e->wq);
		return SYSRET_BLOCK;
	}
	e->count += v;
	waitq_wake_all(&e->wq);   /* even for 0: Linux wakes, and EPOLLET sees it */
	return sizeof(v);
}

/* As Linux's efd_poll: POLLERR only for a count of 2^64-1, which no write can make. */
static unsigned efd_poll(struct file *f, struct task *t)
{
	struct eventfd *e = f->priv;
	unsigned mask = 0;
	if (t)
		task_wait_on(t, &e->wq);
	if (e->count > 0)
		mask |= POLLIN | POLLRDNORM;
	if (e->count == UINT64_MAX)
		mask |= POLLERR;
	if (UINT64_MAX - 1 > e->count)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

/* The ids in use, a bit each. */
static uint64_t *efd_ids;
static size_t efd_id_words;

static int efd_id_alloc(void)
{
	for (size_t w = 0; w < efd_id_words; w++)
		if (~efd_ids[w]) {
			int bit = __builtin_ctzll(~efd_ids[w]);
			efd_ids[w] |= 1ULL << bit;
			return (int)(w * 64) + bit;
		}
	size_t n = efd_id_words ? efd_id_words * 2 : 1;
	uint64_t *ids = xcalloc(n, sizeof(*ids));
	if (efd_id_words)
		memcpy(ids, efd_ids, efd_id_words * sizeof(*ids));
	free(efd_ids);
	efd_ids = ids;
	efd_id_words = n;
	return efd_id_alloc();
}

static void efd_id_free(int id)
{
	efd_ids[id / 64] &= ~(1ULL << (id % 64));
}

static void efd_release(struct file *f)
{
	struct eventfd *e = f->priv;
	waitq_release(&e->wq);
	efd_id_free(e->id);
	free(e);
}

static void efd_show_fdinfo(struct file *f, struct proc_buf *b)
{
	struct eventfd *e = f->priv;
	proc_printf(b, "eventfd-count: %16llx\neventfd-id: %d\neventfd-semaphore: %d\n",
		    (unsigned long long)e->count, e->id, e->semaphore);
}

static const struct file_ops efd_fops = {
	.read = efd_read, .write = efd_write, .poll = efd_poll,
	.release = efd_release, .llseek = anon_llseek, .show_fdinfo = efd_show_fdinfo,
	.rwf = FOP_RWF_NOWAIT_READ | FOP_RWF_WRITE_NONE,   /* Linux's eventfd writes by ->write */
};

static long efd_create(struct task *t, unsigned initval, int flags)
{
	if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return -EINVAL;
	struct eventfd *e = xcalloc(1, sizeof(*e));
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	e->id = efd_id_alloc();
	waitq_init(&e->wq);
	struct file *f = anon_file_new("[eventfd]", &efd_fops, e, O_RDWR | (flags & O_NONBLOCK));
	return fd_install(t, f, flags & EFD_CLOEXEC, 0);
}

long sys_eventfd(struct task *t, struct syscall_args *a)
{
	return efd_create(t, (unsigned)a->a[0], 0);
}

long sys_eventfd2(struct task *t, struct syscall_args *a)
{
	return efd_create(t, (unsigned)a->a[0], (int)a->a[1]);
}
