/*
 * Unit tests for procfs: the text formats (src/fs/proc/format.c, pbuf.c, pid_fd.c),
 * then the tree itself, for a fake guest process whose "task host" is this test
 * process (so the host-side numbers are real).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

#include "fs/proc/format.h"
#include "fs/proc/internal.h"
#include "fs/proc/proc.h"
#include "kernel/utsname.h"
#include "platform/platform.h"
#include "task/task.h"

static char *read_host_file(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	size_t r;
	while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (n + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	buf[n] = 0;
	fclose(f);
	return buf;
}

static int count_fields(const char *line)
{
	const char *p = strrchr(line, ')');
	int n = 2;   /* pid and (comm) */
	for (; *p; p++)
		if (*p == ' ')
			n++;
	return n;
}

static void test_stat_line_fields_in_order(void **state)
{
	(void)state;
	struct proc_stat_fields s = {
		.pid = 42, .comm = "sh", .state = 'S', .ppid = 1, .pgrp = 42, .session = 42,
		.tty_nr = 0x8800, .tpgid = -1, .flags = 0x400000, .minflt = 7, .utime = 3,
		.stime = 4, .cutime = 5, .cstime = 6, .priority = 20, .nice = 0,
		.num_threads = 1, .starttime = 123, .vsize = 4096000, .rss = 100,
		.rsslim = (unsigned long)RLIM_INFINITY, .startcode = 1, .endcode = 1,
		.sigignore = 4, .sigcatch = 0x10000, .exit_signal = 17, .exit_code = 0,
	};
	struct proc_buf b = { 0 };
	proc_format_stat(&b, &s);
	assert_string_equal(b.data,
		"42 (sh) S 1 42 42 34816 -1 4194304 7 0 0 0 3 4 5 6 20 0 1 0 123 4096000 100 "
		"18446744073709551615 1 1 0 0 0 0 0 4 65536 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
	assert_int_equal(count_fields(b.data), 52);
	pbuf_free(&b);
}

/* The comm may hold spaces and parentheses: fields count from the last ')'. */
static void test_parse_stat_with_odd_comm(void **state)
{
	(void)state;
	struct proc_stat_fields s = { .pid = 7, .comm = "a) b (c", .state = 'R', .tpgid = -1,
				      .num_threads = 3, .vsize = 999, .exit_code = 9 };
	struct proc_buf b = { 0 };
	proc_format_stat(&b, &s);
	struct proc_host_stat hs;
	assert_int_equal(proc_parse_stat(b.data, &hs), 0);
	assert_int_equal(hs.state, 'R');
	assert_int_equal((int)hs.f[8], -1);
	assert_int_equal(hs.f[20], 3);
	assert_int_equal(hs.f[23], 999);
	assert_int_equal(hs.f[52], 9);
	assert_int_equal(proc_parse_stat("garbage", &hs), -EINVAL);
	pbuf_free(&b);
}

static void test_parse_host_stat_of_self(void **state)
{
	(void)state;
	char *text = read_host_file("/proc/self/stat");
	struct proc_host_stat hs;
	assert_int_equal(proc_parse_stat(text, &hs), 0);
	assert_int_equal(hs.state, 'R');
	assert_true(hs.f[20] >= 1);      /* num_threads */
	assert_true(hs.f[23] > 0);       /* vsize */
	assert_int_equal(hs.f[4], (unsigned long long)getppid());
	free(text);
}

static void test_meminfo_layout(void **state)
{
	(void)state;
	struct proc_meminfo m = { .total = 131072, .free = 100000, .available = 100000,
				  .vmalloc_total = 34359738367ULL };
	struct proc_buf b = { 0 };
	proc_format_meminfo(&b, &m);
	assert_memory_equal(b.data, "MemTotal:         131072 kB\nMemFree:          100000 kB\n"
			    "MemAvailable:     100000 kB\nBuffers:               0 kB\n", 112);
	assert_non_null(strstr(b.data, "\nVmallocTotal:   34359738367 kB\n"));
	/* the fields BusyBox free reads, in Linux's order */
	static const char *const order[] = { "MemTotal:", "MemFree:", "MemAvailable:", "Buffers:",
		"Cached:", "SwapTotal:", "SwapFree:", "Shmem:", "SReclaimable:" };
	const char *at = b.data;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *p = strstr(at, order[i]);
		assert_non_null(p);
		assert_true(p == b.data || p[-1] == '\n');
		at = p;
	}
	/* every line: 16-column name, 8-column value, " kB" */
	for (const char *line = b.data; *line; line = strchr(line, '\n') + 1) {
		size_t len = (size_t)(strchr(line, '\n') - line);
		assert_true(len >= 27);
		assert_memory_equal(line + len - 3, " kB", 3);
	}
	pbuf_free(&b);
}

/* Our table for this process's limits must equal the host's own /proc/self/limits. */
static void test_limits_match_host(void **state)
{
	(void)state;
	struct rlimit rl[RLIM_NLIMITS];
	for (int i = 0; i < RLIM_NLIMITS; i++)
		assert_int_equal(getrlimit(i, &rl[i]), 0);
	struct proc_buf b = { 0 };
	proc_format_limits(&b, rl);
	char *host = read_host_file("/proc/self/limits");
	assert_string_equal(b.data, host);
	free(host);
	pbuf_free(&b);
}

static char *rewrite(const char *host, const struct proc_maps_hints *h)
{
	struct proc_buf b = { 0 };
	proc_rewrite_maps(&b, host, strlen(host), h);
	return b.data ? b.data : strdup("");
}

static void test_maps_rewrite(void **state)
{
	(void)state;
	const char *host =
		"00400000-00401000 r-xp 00000000 fe:00 1234                       /tmp/umlinux-memfd (deleted)\n"
		"00401000-00402000 rw-p 00001000 fe:00 1234                       /tmp/umlinux-memfd (deleted)\n"
		"00600000-00621000 rw-p 00000000 00:00 0 \n"
		"600100000000-600100001000 r-xp 00000000 fe:00 99                 /usr/lib/umlinux/stub\n"
		"6001ffff0000-600200010000 rw-p 00000000 00:00 0 \n"
		"7ffd1000-7ffd3000 rw-p 00000000 00:00 0 \n"
		"7ffff7fc1000-7ffff7fc5000 r--p 00000000 00:00 0                  [vvar]\n"
		"7ffff7fc5000-7ffff7fc7000 r-xp 00000000 00:00 0                  [vdso]\n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                  [stack]\n";
	struct proc_maps_hints h = { .brk_start = 0x600000, .brk = 0x620010, .stack_top = 0x7ffd2ff0 };
	char *out = rewrite(host, &h);
	assert_string_equal(out,
		"00400000-00401000 r-xp 00000000 00:00 0 \n"
		"00401000-00402000 rw-p 00001000 00:00 0 \n"
		"00600000-00621000 rw-p 00000000 00:00 0                                  [heap]\n"
		"7ffd1000-7ffd3000 rw-p 00000000 00:00 0                                  [stack]\n"
		"7ffff7fc1000-7ffff7fc5000 r--p 00000000 00:00 0                          [vvar]\n"
		"7ffff7fc5000-7ffff7fc7000 r-xp 00000000 00:00 0                          [vdso]\n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 \n");
	free(out);
}

/* Without hints the host's own names for its heap and stack stand. */
static void test_maps_rewrite_keeps_host_heap_without_hints(void **state)
{
	(void)state;
	struct proc_maps_hints none = { 0 };
	char *out = rewrite("55b42894d000-55b42896e000 rw-p 00000000 00:00 0                          [heap]\n"
			    "7ffd167a6000-7ffd167c7000 rw-p 00000000 00:00 0                          [stack]\n",
			    &none);
	assert_string_equal(out,
		"55b42894d000-55b42896e000 rw-p 00000000 00:00 0                          [heap]\n"
		"7ffd167a6000-7ffd167c7000 rw-p 00000000 00:00 0                          [stack]\n");
	free(out);
}

/* The kernel-area lines of our own maps come out byte for byte as the host wrote them. */
static void test_maps_rewrite_matches_host_columns(void **state)
{
	(void)state;
	char *host = read_host_file("/proc/self/maps");
	struct proc_maps_hints none = { 0 };
	char *out = rewrite(host, &none);
	int checked = 0;
	for (char *line = strtok(host, "\n"); line; line = strtok(NULL, "\n")) {
		size_t len = strlen(line);
		if (len < 7 || (strcmp(line + len - 6, "[vdso]") && strcmp(line + len - 6, "[vvar]")))
			continue;
		assert_non_null(strstr(out, line));
		checked++;
	}
	assert_true(checked >= 1);
	free(out);
	free(host);
}

static void test_maps_rewrite_drops_stub_window_overlap(void **state)
{
	(void)state;
	struct proc_maps_hints none = { 0 };
	char text[256];
	snprintf(text, sizeof(text), "%lx-%lx rw-p 00000000 00:00 0 \n",
		 STUB_WINDOW_START - 0x1000, STUB_WINDOW_START + 0x1000);
	char *out = rewrite(text, &none);
	assert_string_equal(out, "");
	free(out);
	snprintf(text, sizeof(text), "%lx-%lx rw-p 00000000 00:00 0 \n",
		 STUB_WINDOW_END, STUB_WINDOW_END + 0x1000);
	out = rewrite(text, &none);
	assert_non_null(strstr(out, "rw-p"));
	free(out);
}

static void test_cpuinfo_fields(void **state)
{
	(void)state;
	struct proc_buf b = { 0 };
	proc_format_cpuinfo(&b, 0, "Linux vm 6.18.44 #1 SMP x86_64", "fpu vme sse", "5260.08");
	assert_string_equal(b.data,
		"processor\t: 0\n"
		"vendor_id\t: User Mode Linux\n"
		"model name\t: UML\n"
		"mode\t\t: skas\n"
		"host\t\t: Linux vm 6.18.44 #1 SMP x86_64\n"
		"fpu\t\t: yes\n"
		"flags\t\t: fpu vme sse\n"
		"cache_alignment\t: 64\n"
		"bogomips\t: 5260.08\n"
		"\n");
	pbuf_free(&b);
}

static void test_sigmasks_from_actions(void **state)
{
	(void)state;
	struct k_sigaction act[KSIG_MAX] = { 0 };
	act[SIGINT].handler = (unsigned long)SIG_IGN;
	act[SIGQUIT].handler = (unsigned long)SIG_IGN;
	act[SIGCHLD].handler = 0x401000;
	act[64].handler = 0x401000;
	uint64_t ign, cgt;
	proc_sigmasks_from_actions(act, &ign, &cgt);
	assert_int_equal(ign, (1ULL << (SIGINT - 1)) | (1ULL << (SIGQUIT - 1)));
	assert_int_equal(cgt, (1ULL << (SIGCHLD - 1)) | (1ULL << 63));
}

/* Fills whole lines and stops at the first that does not fit, as vfs_format_filesystems
 * does. */
static size_t fill_lines(void *ctx, char *dst, size_t room)
{
	int lines = *(int *)ctx;
	size_t n = 0;
	for (int i = 0; i < lines; i++) {
		char line[64];
		int w = snprintf(line, sizeof(line), "line %06d of a long table\n", i);
		if ((size_t)w >= room - n)
			break;
		memcpy(dst + n, line, (size_t)w);
		n += (size_t)w;
	}
	return n;
}

static void test_pbuf_fill_grows_until_complete(void **state)
{
	(void)state;
	int lines = 20000;   /* ~560 KB, more than the first tries hold */
	struct proc_buf b = { 0 };
	pbuf_puts(&b, "head\n");
	pbuf_fill(&b, fill_lines, &lines);
	assert_int_equal(b.len, 5 + (size_t)lines * 28);
	assert_non_null(strstr(b.data, "line 019999 of a long table\n"));
	pbuf_free(&b);
}

/* A filesystem's option in /proc/mounts: what would split the field is escaped as Linux's
 * seq_show_option does, and a short buffer still says the length the whole text needs. */
static void test_vfs_show_option_escapes_and_chains(void **state)
{
	(void)state;
	char buf[64];
	size_t n = vfs_show_option(buf, sizeof(buf), 0, "/a b,c=d\\e");
	n = vfs_show_option(buf, sizeof(buf), n, "append");
	assert_string_equal(buf, ",/a\\040b\\054c\\075d\\134e,append");
	assert_int_equal(n, strlen(buf));
	char small[8];
	assert_int_equal(vfs_show_option(small, sizeof(small), 0, "/long/path"), 11);
	assert_string_equal(small, ",/long/");
}

static void test_pbuf_pad(void **state)
{
	(void)state;
	struct proc_buf b = { 0 };
	pbuf_puts(&b, "x\n");
	size_t start = b.len;
	pbuf_puts(&b, "abc");
	pbuf_pad(&b, start, 8);
	pbuf_putc(&b, '|');
	assert_string_equal(b.data, "x\nabc     |");
	pbuf_pad(&b, start, 2);   /* already wider: nothing */
	assert_string_equal(b.data, "x\nabc     |");
	pbuf_free(&b);
}

static const struct file_ops fake_eventfd_fops;

static void test_file_names_without_path(void **state)
{
	(void)state;
	struct inode pipe_inode = { .mode = S_IFIFO | 0600, .ino = 4242 };
	struct inode sock_inode = { .mode = S_IFSOCK | 0777, .ino = 77 };
	struct inode anon_inode = { .mode = 0600, .ino = 5 };
	struct file f = { .inode = &pipe_inode };
	char name[64];
	assert_int_equal(proc_file_name(NULL, &f, name, sizeof(name)), 0);
	assert_string_equal(name, "pipe:[4242]");
	f.inode = &sock_inode;
	assert_int_equal(proc_file_name(NULL, &f, name, sizeof(name)), 0);
	assert_string_equal(name, "socket:[77]");
	f.inode = &anon_inode;
	f.fops = &fake_eventfd_fops;
	proc_register_anon_name(&fake_eventfd_fops, "[eventfd]");
	assert_int_equal(proc_file_name(NULL, &f, name, sizeof(name)), 0);
	assert_string_equal(name, "anon_inode:[eventfd]");
	assert_int_equal(proc_file_name(NULL, &f, name, 8), -ENAMETOOLONG);
}

/* --- the tree --------------------------------------------------------------------- */

#define FAKE_PID 77

static struct task *fake_process(pid_t pid, uid_t uid)
{
	static const char argv[] = "fakeproc\0-x\0";
	static const char envp[] = "HOME=/\0";
	struct thread_group *tg = tg_alloc(pid, NULL);
	struct task *t = task_alloc(pid, getpid());
	tg_add_thread(tg, t);
	tg->host_tgid = getpid();
	tg->pgid = tg->sid = pid;
	strcpy(tg->comm, "fakeproc");
	strcpy(t->comm, "fakeproc");
	for (int i = 0; i < RLIM_NLIMITS; i++)
		getrlimit(i, &tg->rlim[i]);
	tg->cmdline = (char *)argv;
	tg->cmdline_len = sizeof(argv) - 1;
	tg->environ = (char *)envp;
	tg->environ_len = sizeof(envp) - 1;
	t->state = TASK_RUNNING;
	t->cred.uid = t->cred.euid = t->cred.suid = t->cred.fsuid = uid;
	t->cred.gid = t->cred.egid = t->cred.sgid = t->cred.fsgid = uid;
	t->files = files_new();
	return t;
}

static struct task *fake(void)
{
	static struct task *t;
	if (!t)
		t = fake_process(FAKE_PID, 1000);
	return t;
}

static char *read_proc(const char *path, struct task *reader)
{
	char *out = NULL;
	size_t len = 0;
	int err = proc_read_path(path, reader, &out, &len);
	assert_int_equal(err, 0);
	assert_int_equal(strlen(out), len);
	return out;
}

static void test_tree_stat_of_process(void **state)
{
	(void)state;
	char *text = read_proc("77/stat", fake());
	struct proc_host_stat hs;
	assert_int_equal(proc_parse_stat(text, &hs), 0);
	assert_memory_equal(text, "77 (fakeproc) R 0 77 77 0 -1 ", 29);
	assert_int_equal(hs.f[20], 1);            /* num_threads */
	assert_true(hs.f[23] > 0);                /* vsize, from this test process */
	assert_int_equal(count_fields(text), 52);
	free(text);
	/* the thread's own directory shows the same files but task/ */
	text = read_proc("77/task/77/stat", fake());
	assert_memory_equal(text, "77 (fakeproc) R 0 77 77 0 -1 ", 29);
	free(text);
	char *out;
	size_t len;
	assert_int_equal(proc_read_path("77/task/77/task", fake(), &out, &len), -ENOENT);
	assert_int_equal(proc_read_path("77/task/78/stat", fake(), &out, &len), -ENOENT);
}

static void test_tree_status_of_process(void **state)
{
	(void)state;
	char *text = read_proc("77/status", fake());
	static const char *const want[] = {
		"Name:\tfakeproc\n", "State:\tR (running)\n", "Tgid:\t77\nNgid:\t0\nPid:\t77\nPPid:\t0\n",
		"Uid:\t1000\t1000\t1000\t1000\n", "Groups:\t \n", "\nVmRSS:\t", "Threads:\t1\n",
		"CapPrm:\t0000000000000000\n", "CapBnd:\t000001ffffffffff\n",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_non_null(strstr(text, want[i]));
	assert_memory_equal(text, "Name:", 5);
	free(text);
}

static void test_tree_cmdline_self_and_privacy(void **state)
{
	(void)state;
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(proc_read_path("self/cmdline", fake(), &out, &len), 0);
	assert_int_equal(len, 12);
	assert_memory_equal(out, "fakeproc\0-x\0", 12);
	free(out);
	assert_int_equal(proc_read_path("77/environ", fake(), &out, &len), 0);
	assert_int_equal(len, 7);
	assert_memory_equal(out, "HOME=/\0", 7);
	free(out);
	struct task *stranger = fake_process(78, 2000);
	assert_int_equal(proc_read_path("77/environ", stranger, &out, &len), -EACCES);
	assert_int_equal(proc_read_path("12345/stat", stranger, &out, &len), -ENOENT);
}

static void test_tree_sys_and_limits(void **state)
{
	(void)state;
	char *out = read_proc("sys/kernel/ostype", fake());
	assert_string_equal(out, "Linux\n");
	free(out);
	out = read_proc("sys/kernel/osrelease", fake());
	assert_memory_equal(out, utsname_get()->release, strlen(utsname_get()->release));
	free(out);
	out = read_proc("77/limits", fake());
	char *host = read_host_file("/proc/self/limits");
	assert_string_equal(out, host);
	free(host);
	free(out);
}

struct names {
	struct dirent_sink sink;
	char all[4096];
	int count, room;
};

static bool collect(struct dirent_sink *s, const char *name, uint64_t ino, unsigned type, off_t next)
{
	(void)ino, (void)type, (void)next;
	struct names *n = (struct names *)s;
	if (n->room-- <= 0)
		return false;
	strcat(n->all, name);
	strcat(n->all, " ");
	n->count++;
	return true;
}

static struct inode *mount_proc(void)
{
	struct super_block *sb;
	assert_int_equal(proc_fs_type.mount("proc", 0, "", &sb), 0);
	return sb->root;
}

/* What the VFS does when the last mount goes. */
static void unmount_proc(struct inode *root)
{
	root->sb->kill(root->sb);
}

static struct inode *lookup_path(struct inode *dir, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	struct inode *cur = inode_get(dir);
	for (char *c = strtok(buf, "/"); c; c = strtok(NULL, "/")) {
		struct inode *next;
		int err = cur->iops->lookup(cur, c, &next);
		inode_put(cur);
		if (err < 0)
			return NULL;
		cur = next;
	}
	return cur;
}

static struct file *open_inode(struct inode *i, unsigned flags)
{
	struct file *f = file_new(NULL, flags);
	f->inode = inode_get(i);
	assert_int_equal(i->iops->open(i, f), 0);
	return f;
}

/* Lists the root in small batches, as getdents does, and finds every kind of entry. */
static void test_tree_root_listing_resumes(void **state)
{
	(void)state;
	current = fake();
	struct inode *root = mount_proc();
	struct file *f = open_inode(root, O_RDONLY | O_DIRECTORY);
	struct names n = { .sink = { collect } };
	for (int i = 0; i < 100; i++) {
		n.room = 3;
		assert_int_equal(f->fops->iterate(f, &n.sink), 0);
	}
	assert_memory_equal(n.all, ". .. cmdline cpuinfo ", 21);
	assert_non_null(strstr(n.all, " meminfo mounts stat sys uptime version vmstat self thread-self 77 78 "));
	file_put(f);
	unmount_proc(root);
}

static void test_tree_links_and_attrs(void **state)
{
	(void)state;
	current = fake();
	struct inode *root = mount_proc();
	struct inode *self = lookup_path(root, "self");
	assert_non_null(self);
	assert_true(S_ISLNK(self->mode));
	char target[64] = { 0 };
	assert_int_equal(self->iops->readlink(self, target, sizeof(target)), 2);
	assert_string_equal(target, "77");
	struct inode *env = lookup_path(root, "77/environ");
	struct kstat st;
	assert_int_equal(vfs_getattr(env, &st), 0);
	assert_int_equal(st.mode, S_IFREG | 0400);
	assert_int_equal(st.uid, 1000);
	struct inode *again = lookup_path(root, "77/environ");
	assert_int_equal(again->ino, env->ino);   /* the VFS knows files by inode number */
	assert_null(lookup_path(root, "77/nonexistent"));
	inode_put(again);
	inode_put(env);
	inode_put(self);
	unmount_proc(root);
}

static void test_tree_hostname_write(void **state)
{
	(void)state;
	current = fake();
	struct inode *root = mount_proc();
	struct inode *h = lookup_path(root, "sys/kernel/hostname");
	struct file *f = open_inode(h, O_WRONLY);
	off_t pos = 0;
	assert_int_equal(f->fops->write(f, "box\n", 4, &pos), 4);
	assert_string_equal(utsname_get()->nodename, "box");
	file_put(f);
	f = open_inode(h, O_RDONLY);
	char buf[16] = { 0 };
	pos = 0;
	assert_int_equal(f->fops->read(f, buf, sizeof(buf), &pos), 4);
	assert_string_equal(buf, "box\n");
	file_put(f);
	inode_put(h);
	unmount_proc(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_line_fields_in_order),
		cmocka_unit_test(test_parse_stat_with_odd_comm),
		cmocka_unit_test(test_parse_host_stat_of_self),
		cmocka_unit_test(test_meminfo_layout),
		cmocka_unit_test(test_limits_match_host),
		cmocka_unit_test(test_maps_rewrite),
		cmocka_unit_test(test_maps_rewrite_keeps_host_heap_without_hints),
		cmocka_unit_test(test_maps_rewrite_matches_host_columns),
		cmocka_unit_test(test_maps_rewrite_drops_stub_window_overlap),
		cmocka_unit_test(test_cpuinfo_fields),
		cmocka_unit_test(test_sigmasks_from_actions),
		cmocka_unit_test(test_pbuf_fill_grows_until_complete),
		cmocka_unit_test(test_vfs_show_option_escapes_and_chains),
		cmocka_unit_test(test_pbuf_pad),
		cmocka_unit_test(test_file_names_without_path),
		cmocka_unit_test(test_tree_stat_of_process),
		cmocka_unit_test(test_tree_status_of_process),
		cmocka_unit_test(test_tree_cmdline_self_and_privacy),
		cmocka_unit_test(test_tree_sys_and_limits),
		cmocka_unit_test(test_tree_root_listing_resumes),
		cmocka_unit_test(test_tree_links_and_attrs),
		cmocka_unit_test(test_tree_hostname_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
