/*
 * /proc/sys: the kernel tunables programs read (and a few they write), listed in name
 * order as Linux lists them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/mem/mem.h"
#include "fs/notify/inotify.h"
#include "fs/proc/internal.h"
#include "kernel/printk.h"
#include "kernel/utsname.h"
#include "mm/meminfo.h"

int sysctl_sysrq = 1;   /* UML's CONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE */
static int overcommit_memory, overcommit_ratio = 50, max_map_count = 65530, swappiness = 60;
static int nr_open = 1048576;
static int file_max;    /* 0: Linux's default, from memory size */

struct sysctl_int {
	int *value;
	int min, max;
};

static int show_int(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	(void)reader;
	const struct sysctl_int *s = n->entry->data;
	proc_printf(b, "%d\n", *s->value);
	return 0;
}

/* A value from a write: leading and trailing blanks allowed, as Linux's proc_dointvec. */
static int parse_int(const char *buf, size_t len, long *out)
{
	char tmp[32];
	while (len && (*buf == ' ' || *buf == '\t' || *buf == '\n'))
		buf++, len--;
	if (!len || len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, len);
	tmp[len] = 0;
	char *end;
	*out = strtol(tmp, &end, 10);
	if (end == tmp || strspn(end, " \t\n") != strlen(end))
		return -EINVAL;
	return 0;
}

static int write_int(const struct proc_node *n, struct task *writer, const char *buf, size_t len)
{
	(void)writer;
	const struct sysctl_int *s = n->entry->data;
	long v;
	if (parse_int(buf, len, &v) < 0 || v < s->min || v > s->max)
		return -EINVAL;
	*s->value = (int)v;
	return 0;
}

static int show_text(struct proc_buf *b, const char *s)
{
	proc_printf(b, "%s\n", s);
	return 0;
}

/* Linux's proc_dostring: the value ends at the first newline; longer ones are cut. */
static size_t string_len(const char *buf, size_t len, size_t max)
{
	const char *nl = memchr(buf, '\n', len);
	size_t n = nl ? (size_t)(nl - buf) : len;
	return n > max ? max : n;
}

static int show_hostname(struct proc_buf *b, const struct proc_node *n, struct task *r)
{
	(void)n, (void)r;
	return show_text(b, utsname_get()->nodename);
}

static int write_hostname(const struct proc_node *n, struct task *w, const char *buf, size_t len)
{
	(void)n, (void)w;
	return utsname_set_hostname(buf, string_len(buf, len, __NEW_UTS_LEN));
}

static int show_domainname(struct proc_buf *b, const struct proc_node *n, struct task *r)
{
	(void)n, (void)r;
	return show_text(b, utsname_get()->domainname);
}

static int write_domainname(const struct proc_node *n, struct task *w, const char *buf, size_t len)
{
	(void)n, (void)w;
	return utsname_set_domainname(buf, string_len(buf, len, __NEW_UTS_LEN));
}

static int show_osrelease(struct proc_buf *b, const struct proc_node *n, struct task *r)
{
	(void)n, (void)r;
	return show_text(b, utsname_get()->release);
}

static int show_ostype(struct proc_buf *b, const struct proc_node *n, struct task *r)
{
	(void)n, (void)r;
	return show_text(b, utsname_get()->sysname);
}

static int show_version(struct proc_buf *b, const struct proc_node *n, struct task *r)
{
	(void)n, (void)r;
	return show_text(b, utsname_get()->version);
}

static int show_constant(struct proc_buf *b, const struct proc_node *n, struct task *r)
{
	(void)r;
	return show_text(b, n->entry->data);
}

/* console, default message, minimum console and default console log levels */
static int show_printk(struct proc_buf *b, const struct proc_node *n, struct task *r)
{
	(void)n, (void)r;
	proc_printf(b, "%d\t4\t1\t7\n", console_loglevel);
	return 0;
}

static int write_printk(const struct proc_node *n, struct task *w, const char *buf, size_t len)
{
	(void)n, (void)w;
	long v;
	size_t first = strcspn(buf, " \t\n");
	if (first > len)
		first = len;
	if (parse_int(buf, first, &v) < 0 || v < 1 || v > 15)
		return -EINVAL;
	console_loglevel = (int)v;
	return 0;
}

/* Linux sizes it at a tenth of memory in kB, and never below NR_FILE (8192). */
static int show_file_max(struct proc_buf *b, const struct proc_node *n, struct task *r)
{
	(void)n, (void)r;
	uint64_t dflt = mem_total_bytes() / 1024 / 10;
	proc_printf(b, "%llu\n", file_max ? (unsigned long long)file_max
					  : (unsigned long long)(dflt > 8192 ? dflt : 8192));
	return 0;
}

static int write_file_max(const struct proc_node *n, struct task *w, const char *buf, size_t len)
{
	(void)n, (void)w;
	long v;
	if (parse_int(buf, len, &v) < 0 || v < 1 || v > 0x7fffffff)
		return -EINVAL;
	file_max = (int)v;
	return 0;
}

static void format_uuid(struct proc_buf *b, const unsigned char u[16])
{
	for (int i = 0; i < 16; i++)
		proc_printf(b, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", u[i]);
	pbuf_putc(b, '\n');
}

/* A random (version 4) UUID. */
static void random_uuid(unsigned char u[16])
{
	get_random_bytes(u, 16);
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
}

static int show_boot_id(struct proc_buf *b, const struct proc_node *n, struct task *r)
{
	(void)n, (void)r;
	static unsigned char id[16];
	static bool made;
	if (!made) {
		random_uuid(id);
		made = true;
	}
	format_uuid(b, id);
	return 0;
}

static int show_uuid(struct proc_buf *b, const struct proc_node *n, struct task *r)
{
	(void)n, (void)r;
	unsigned char id[16];
	random_uuid(id);
	format_uuid(b, id);
	return 0;
}

#define RO(n, fn)            { .name = n, .mode = S_IFREG | 0444, .show = fn }
#define RW(n, fn, wfn)       { .name = n, .mode = S_IFREG | 0644, .show = fn, .write = wfn }
#define CONST(n, text)       { .name = n, .mode = S_IFREG | 0444, .show = show_constant, .data = (void *)(text) }
#define INT(n, var, lo, hi)  { .name = n, .mode = S_IFREG | 0644, .show = show_int, .write = write_int, \
			       .data = &(struct sysctl_int){ &(var), lo, hi } }
#define DIR(n, d)            { .name = n, .mode = S_IFDIR | 0555, .dir = &(d) }

static int show_max_user_watches(struct proc_buf *b, const struct proc_node *n, struct task *r)
{
	(void)n, (void)r;
	proc_printf(b, "%d\n", inotify_max_user_watches());
	return 0;
}

static int write_max_user_watches(const struct proc_node *n, struct task *w, const char *buf, size_t len)
{
	(void)n, (void)w;
	long v;
	if (parse_int(buf, len, &v) < 0 || v < 0 || v > 0x7fffffff)
		return -EINVAL;
	inotify_set_max_user_watches((int)v);
	return 0;
}

static const struct proc_entry inotify_entries[] = {
	INT("max_queued_events", inotify_max_queued_events, 0, 0x7fffffff),
	INT("max_user_instances", inotify_max_user_instances, 0, 0x7fffffff),
	RW("max_user_watches", show_max_user_watches, write_max_user_watches),
};
static const struct proc_dir inotify_dir = { inotify_entries, ARRAY_SIZE(inotify_entries), PROC_BASE_SYS + 0x50, NULL, NULL, NULL };

static const struct proc_entry fs_entries[] = {
	RW("file-max", show_file_max, write_file_max),
	DIR("inotify", inotify_dir),
	INT("nr_open", nr_open, 1024, 1073741816),
};
static const struct proc_dir fs_dir = { fs_entries, ARRAY_SIZE(fs_entries), PROC_BASE_SYS + 0x10, NULL, NULL, NULL };

static const struct proc_entry random_entries[] = {
	RO("boot_id", show_boot_id),
	CONST("entropy_avail", "256"),
	CONST("poolsize", "256"),
	RO("uuid", show_uuid),
};
static const struct proc_dir random_dir = { random_entries, ARRAY_SIZE(random_entries), PROC_BASE_SYS + 0x30, NULL, NULL, NULL };

static const struct proc_entry kernel_entries[] = {
	CONST("cap_last_cap", "40"),
	RW("domainname", show_domainname, write_domainname),
	RW("hostname", show_hostname, write_hostname),
	CONST("ngroups_max", "65536"),
	RO("osrelease", show_osrelease),
	RO("ostype", show_ostype),
	CONST("pid_max", "32768"),
	RW("printk", show_printk, write_printk),
	DIR("random", random_dir),
	INT("sysrq", sysctl_sysrq, 0, 511),
	RO("version", show_version),
};
static const struct proc_dir kernel_dir = { kernel_entries, ARRAY_SIZE(kernel_entries), PROC_BASE_SYS + 0x20, NULL, NULL, NULL };

static const struct proc_entry vm_entries[] = {
	INT("max_map_count", max_map_count, 0, 0x7fffffff),
	INT("overcommit_memory", overcommit_memory, 0, 2),
	INT("overcommit_ratio", overcommit_ratio, 0, 0x7fffffff),
	INT("swappiness", swappiness, 0, 200),
};
static const struct proc_dir vm_dir = { vm_entries, ARRAY_SIZE(vm_entries), PROC_BASE_SYS + 0x40, NULL, NULL, NULL };

static const struct proc_entry sys_entries[] = {
	DIR("fs", fs_dir),
	DIR("kernel", kernel_dir),
	DIR("vm", vm_dir),
};
const struct proc_dir proc_sys_dir = { sys_entries, ARRAY_SIZE(sys_entries), PROC_BASE_SYS, NULL, NULL, NULL };
