/*
 * The memory character devices, Linux's major 1: null (1,3), zero (1,5), full (1,7),
 * random (1,8), urandom (1,9) and kmsg (1,11). Randomness comes from the host's
 * getrandom, which is already a well-seeded CSPRNG.
 */
#include <errno.h>
#include <linux/random.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "drivers/mem/mem.h"
#include "fs/chrdev.h"
#include "kernel/printk.h"
#include "platform/platform.h"

#define MEM_MAJOR 1
#define POLL_ALWAYS (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

void get_random_bytes(void *buf, size_t len)
{
	char *p = buf;
	while (len) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			panic("umlinux: the host's getrandom failed (errno %d)", errno);
		p += n;
		len -= (size_t)n;
	}
}

static ssize_t read_eof(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return 0;
}

static ssize_t read_zeros(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)f, (void)pos;
	memset(buf, 0, len);
	return (ssize_t)len;
}

static ssize_t write_swallow(struct file *f, const char *buf, size_t len, off_t *pos)
{
	(void)f, (void)buf, (void)pos;
	return (ssize_t)len;
}

static ssize_t write_full(struct file *f, const char *buf, size_t len, off_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -ENOSPC;
}

/* Linux's null_lseek: every seek lands at 0. */
static off_t seek_zero(struct file *f, off_t off, int whence)
{
	(void)off, (void)whence;
	f->pos = 0;
	return 0;
}

/* random and urandom accept seeks and ignore them (Linux's noop_llseek). */
static off_t seek_noop(struct file *f, off_t off, int whence)
{
	(void)off, (void)whence;
	return f->pos;
}

static unsigned poll_always(struct file *f, struct task *t)
{
	(void)f, (void)t;
	return POLL_ALWAYS;
}

static ssize_t read_random(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)f, (void)pos;
	get_random_bytes(buf, len);
	return (ssize_t)len;
}

/* The entropy count is a constant full pool; feeding the pool takes CAP_SYS_ADMIN and
 * changes nothing, since the host supplies the bytes. */
static long ioctl_random(struct file *f, struct task *t, unsigned long cmd, unsigned long arg)
{
	(void)f;
	int count = 256;
	switch (cmd) {
	case RNDGETENTCNT:
		return guest_write(t, arg, &count, sizeof(count));
	case RNDADDTOENTCNT:
	case RNDADDENTROPY:
	case RNDZAPENTCNT:
	case RNDCLEARPOOL:
	case RNDRESEEDCRNG:
		return cred_is_root(&t->cred) ? 0 : -EPERM;
	default:
		return -EINVAL;
	}
}

static const struct file_ops null_fops = {
	.read = read_eof, .write = write_swallow, .llseek = seek_zero, .poll = poll_always,
	.rwf = FOP_RWF_NOWAIT_READ | FOP_RWF_NOWAIT_WRITE,
};
static const struct file_ops zero_fops = {
	.read = read_zeros, .write = write_swallow, .llseek = seek_zero, .poll = poll_always,
	.rwf = FOP_RWF_NOWAIT_READ | FOP_RWF_NOWAIT_WRITE,
};
static const struct file_ops full_fops = {
	.read = read_zeros, .write = write_full, .llseek = seek_zero, .poll = poll_always,
};
static const struct file_ops random_fops = {
	.read = read_random, .write = write_swallow, .llseek = seek_noop, .poll = poll_always,
	.ioctl = ioctl_random,
};

/*
 * /dev/kmsg: each read returns one record of the log as "level,seq,usec,-;text\n".
 * An open takes a snapshot of the ring; readers that reach its end get EAGAIN (new
 * messages are not waited for yet).
 */
struct kmsg_reader {
	char *log;
	size_t len, off;
	unsigned long long seq;
};

/* The record at r->off: level, time and text (without its newline). */
static bool kmsg_next(struct kmsg_reader *r, int *level, unsigned long long *usec,
		      const char **text, size_t *text_len)
{
	while (r->off < r->len) {
		const char *line = r->log + r->off;
		const char *nl = memchr(line, '\n', r->len - r->off);
		size_t n = nl ? (size_t)(nl - line) : r->len - r->off;
		unsigned long long sec, us;
		int at = 0;
		r->off += n + (nl != NULL);
		char head[48];
		snprintf(head, sizeof(head), "%.*s", (int)(n < 40 ? n : 40), line);
		if (sscanf(head, "<%d>[%llu.%llu] %n", level, &sec, &us, &at) >= 3 && at > 0) {
			*usec = sec * 1000000ULL + us;
			*text = line + at;
			*text_len = n - (size_t)at;
			return true;
		}
		/* a line cut by the ring's wrap: skip it */
	}
	return false;
}

static ssize_t kmsg_read(struct file *f, char *buf, size_t len, off_t *pos)
{
	(void)pos;
	struct kmsg_reader *r = f->priv;
	size_t before = r->off;
	int level;
	unsigned long long usec;
	const char *text;
	size_t tl;
	if (!kmsg_next(r, &level, &usec, &text, &tl))
		return -EAGAIN;
	char head[64];
	int hl = snprintf(head, sizeof(head), "%d,%llu,%llu,-;", level, r->seq, usec);
	if ((size_t)hl + tl + 1 > len) {
		r->off = before;   /* Linux refuses a buffer too small for the record */
		return -EINVAL;
	}
	memcpy(buf, head, (size_t)hl);
	memcpy(buf + hl, text, tl);
	buf[(size_t)hl + tl] = '\n';
	r->seq++;
	return (ssize_t)((size_t)hl + tl + 1);
}

/* A write is one message, with an optional <level> prefix. */
static ssize_t kmsg_write(struct file *f, const char *buf, size_t len, off_t *pos)
{
	(void)f, (void)pos;
	size_t n = len;
	while (n && buf[n - 1] == '\n')
		n--;
	printk("%.*s\n", (int)(n > 1000 ? 1000 : n), buf);
	return (ssize_t)len;
}

static off_t kmsg_llseek(struct file *f, off_t off, int whence)
{
	struct kmsg_reader *r = f->priv;
	if (off != 0)
		return -ESPIPE;
	if (whence == SEEK_SET) {
		r->off = 0;
		r->seq = 0;
	} else if (whence == SEEK_END) {
		r->off = r->len;
	} else {
		return -EINVAL;
	}
	return 0;
}

static unsigned kmsg_poll(struct file *f, struct task *t)
{
	(void)t;
	struct kmsg_reader *r = f->priv;
	return POLLOUT | POLLWRNORM | (r->off < r->len ? POLLIN | POLLRDNORM : 0);
}

static void kmsg_release(struct file *f)
{
	struct kmsg_reader *r = f->priv;
	if (r) {
		free(r->log);
		free(r);
	}
	f->priv = NULL;
}

static const struct file_ops kmsg_fops = {
	.read = kmsg_read, .write = kmsg_write, .llseek = kmsg_llseek, .poll = kmsg_poll,
	.release = kmsg_release,
};

static int kmsg_open(struct file *f)
{
	struct kmsg_reader *r = xcalloc(1, sizeof(*r));
	size_t size = printk_size();
	r->log = xcalloc(1, size + 1);
	r->len = printk_read_all(r->log, size);
	f->priv = r;
	f->fops = &kmsg_fops;
	return 0;
}

static int mem_open(struct inode *inode, struct file *f, unsigned minor)
{
	(void)inode;
	switch (minor) {
	case 3:  f->fops = &null_fops; return 0;
	case 5:  f->fops = &zero_fops; return 0;
	case 7:  f->fops = &full_fops; return 0;
	case 8:
	case 9:  f->fops = &random_fops; return 0;
	case 11: return kmsg_open(f);
	default: return -ENXIO;   /* mem, kmem, port: no physical memory to show */
	}
}

static const struct chrdev mem_chrdev = {
	.name = "mem", .major = MEM_MAJOR, .minor = 0, .count = 256, .open = mem_open,
};

void mem_devices_init(void)
{
	int err = chrdev_register(&mem_chrdev);
	if (err < 0)
		printk("umlinux: mem: could not register major %d (error %d)\n", MEM_MAJOR, err);
}
