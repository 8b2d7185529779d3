/*
 * syslog(2) (klogctl): reading and clearing the printk ring and setting the console log
 * level, as BusyBox dmesg and klogd use them. Permissions follow kernel.dmesg_restrict=0
 * (Linux's default): anyone may read all and ask the size, the rest needs CAP_SYSLOG.
 */
#include <stdlib.h>
#include <string.h>
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "platform/platform.h"
#include "sys/syscalls.h"
#include "task/cred.h"

/* The actions, named as in syslog(2). */
enum {
	SYSLOG_ACTION_CLOSE, SYSLOG_ACTION_OPEN, SYSLOG_ACTION_READ, SYSLOG_ACTION_READ_ALL,
	SYSLOG_ACTION_READ_CLEAR, SYSLOG_ACTION_CLEAR, SYSLOG_ACTION_CONSOLE_OFF,
	SYSLOG_ACTION_CONSOLE_ON, SYSLOG_ACTION_CONSOLE_LEVEL, SYSLOG_ACTION_SIZE_UNREAD,
	SYSLOG_ACTION_SIZE_BUFFER,
};

#define CONSOLE_LOGLEVEL_MIN 1
#define LOGLEVEL_NONE (-1)
#define READ_POLL_NS 100000000ULL   /* a blocked reader looks for new lines this often */

static uint64_t read_pos;               /* SYSLOG_ACTION_READ's cursor, in printk_total() bytes */
static int saved_console_loglevel = LOGLEVEL_NONE;

static bool action_restricted(int type)
{
	return type != SYSLOG_ACTION_READ_ALL && type != SYSLOG_ACTION_SIZE_BUFFER;
}

/* The part of the buffer from total-byte position from to the end: (text, length). */
static char *log_tail(uint64_t from, size_t *len)
{
	size_t size = printk_size();
	char *buf = malloc(size + 1);
	if (!buf)
		return NULL;
	size = printk_read_all(buf, size);
	uint64_t start = printk_total() - size;
	size_t skip = from > start ? (size_t)(from - start) : 0;
	if (skip > size)
		skip = size;
	memmove(buf, buf + skip, size - skip);
	*len = size - skip;
	return buf;
}

/* The longest run of whole lines from the start of text that fits in max (or max bytes
 * of a single line longer than that). */
static size_t lines_from_start(const char *text, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t fit = 0;
	for (size_t i = 0; i < max; i++)
		if (text[i] == '\n')
			fit = i + 1;
	return fit ? fit : max;
}

/* Where the last whole lines that fit in max begin. */
static size_t lines_at_end(const char *text, size_t len, size_t max)
{
	if (len <= max)
		return 0;
	size_t start = len - max;
	while (start < len && (start == 0 || text[start - 1] != '\n'))
		start++;
	return start;
}

static long unread_bytes(void)
{
	uint64_t total = printk_total(), oldest = total - printk_size();
	if (read_pos < oldest)
		read_pos = oldest;   /* lines overwritten before they were read are gone */
	return (long)(total - read_pos);
}

/* The destructive read: waits for something unread, then consumes what it returns. */
static long syslog_read(struct task *t, unsigned long ubuf, int len)
{
	if (unread_bytes() == 0) {
		task_set_deadline(t, now_ns() + READ_POLL_NS);
		return SYSRET_BLOCK;
	}
	size_t n;
	char *text = log_tail(read_pos, &n);
	if (!text)
		return -ENOMEM;
	size_t take = lines_from_start(text, n, (size_t)len);
	int err = guest_write(t, ubuf, text, take);
	free(text);
	if (err < 0)
		return -EFAULT;
	read_pos += take;
	return (long)take;
}

static long syslog_read_all(struct task *t, unsigned long ubuf, int len, bool clear)
{
	size_t n;
	char *text = log_tail(0, &n);
	if (!text)
		return -ENOMEM;
	size_t start = lines_at_end(text, n, (size_t)len);
	int err = guest_write(t, ubuf, text + start, n - start);
	free(text);
	if (err < 0)
		return -EFAULT;
	if (clear)
		printk_clear();
	return (long)(n - start);
}

static long console_action(int type, int len)
{
	switch (type) {
	case SYSLOG_ACTION_CONSOLE_OFF:
		if (saved_console_loglevel == LOGLEVEL_NONE)
			saved_console_loglevel = console_loglevel;
		console_loglevel = CONSOLE_LOGLEVEL_MIN;
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		if (saved_console_loglevel != LOGLEVEL_NONE) {
			console_loglevel = saved_console_loglevel;
			saved_console_loglevel = LOGLEVEL_NONE;
		}
		return 0;
	default:   /* SYSLOG_ACTION_CONSOLE_LEVEL */
		if (len < 1 || len > 8)
			return -EINVAL;
		console_loglevel = len < CONSOLE_LOGLEVEL_MIN ? CONSOLE_LOGLEVEL_MIN : len;
		saved_console_loglevel = LOGLEVEL_NONE;
		return 0;
	}
}

long sys_syslog(struct task *t, struct syscall_args *a)
{
	int type = (int)a->a[0], len = (int)a->a[2];
	unsigned long ubuf = a->a[1];
	if (action_restricted(type) && !cred_capable(&t->cred, CAP_SYSLOG) &&
	    !cred_capable(&t->cred, CAP_SYS_ADMIN))
		return -EPERM;
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!ubuf || len < 0)
			return -EINVAL;
		if (len == 0)
			return 0;
		if (type == SYSLOG_ACTION_READ)
			return syslog_read(t, ubuf, len);
		return syslog_read_all(t, ubuf, len, type == SYSLOG_ACTION_READ_CLEAR);
	case SYSLOG_ACTION_CLEAR:
		printk_clear();
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
	case SYSLOG_ACTION_CONSOLE_ON:
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		return console_action(type, len);
	case SYSLOG_ACTION_SIZE_UNREAD:
		return unread_bytes();
	case SYSLOG_ACTION_SIZE_BUFFER:
		return (long)printk_capacity();
	}
	return -EINVAL;
}
