/*
 * Unit tests for the line discipline (src/drivers/tty/ldisc.c, ldisc_out.c).
 *
 * The line discipline is a pure module: it reports the signals to raise instead of
 * sending them, so its tests need no doubles and run in `make unit`, linked against
 * every kernel object.
 *
 * With LDISC_TEST_DOUBLES the file also drives the tty layer above it (tty.c, the job
 * control and the fd channel on host pipes), with doubles for the kernel services it
 * calls (signal_send_tg, the task registry, wait queues, the event loop, the VFS):
 *   cd src/drivers && gcc -std=gnu11 -D_GNU_SOURCE -DLDISC_TEST_DOUBLES -I../../src \
 *       ../../tests/unit/test_ldisc.c tty/ldisc.c tty/ldisc_out.c tty/tty.c tty/tty_job.c \
 *       tty/tty_ioctl.c tty/console.c chan/chan.c chan/chan_io.c chan/chan_parse.c -lcmocka
 * The Makefile build links the real kernel objects, so the doubles must stay off there.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/tty/ldisc.h"

static struct ldisc *new_ldisc(void)
{
	struct ldisc *ld = calloc(1, sizeof(*ld));
	ldisc_init(ld);
	return ld;
}

static size_t feed(struct ldisc *ld, const char *s)
{
	return ldisc_receive(ld, (const unsigned char *)s, strlen(s));
}

/* Echo output so far, as a NUL-terminated string (static buffer). */
static const char *echo(struct ldisc *ld)
{
	static char buf[LDISC_ECHO_SIZE + 1];
	size_t n = ldisc_take_echo(ld, buf, LDISC_ECHO_SIZE);
	buf[n] = 0;
	return buf;
}

/* One read of up to len bytes, NUL-terminated (static buffer). */
static const char *rd(struct ldisc *ld, size_t len)
{
	static char buf[LDISC_BUF_SIZE + 1];
	size_t n = ldisc_read(ld, buf, len);
	buf[n] = 0;
	return buf;
}

static void set_lflag(struct ldisc *ld, tcflag_t on, tcflag_t off)
{
	struct ktermios t = ld->termios;
	t.c_lflag = (t.c_lflag | on) & ~off;
	ldisc_set_termios(ld, &t);
}

static void test_defaults(void **state)
{
	(void)state;
	struct ktermios t;
	ldisc_default_termios(&t);
	assert_int_equal(t.c_iflag, ICRNL | IXON);
	assert_int_equal(t.c_oflag, OPOST | ONLCR);
	assert_int_equal(t.c_cflag & CBAUD, B38400);
	assert_int_equal(t.c_cflag & CSIZE, CS8);
	assert_true(t.c_lflag & ICANON);
	assert_true(t.c_lflag & ECHOCTL);
	assert_int_equal(t.c_cc[VINTR], 3);
	assert_int_equal(t.c_cc[VERASE], 0x7f);
	assert_int_equal(t.c_cc[VMIN], 1);
	assert_int_equal(t.c_cc[VTIME], 0);
	assert_int_equal(t.c_ospeed, 38400);
}

static void test_canonical_line(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	assert_int_equal(feed(ld, "hel"), 3);
	assert_int_equal(ldisc_available(ld), 0);    /* no complete line yet */
	assert_false(ldisc_poll_readable(ld));
	feed(ld, "lo\rworld");                        /* CR becomes NL (ICRNL) */
	assert_string_equal(echo(ld), "hello\r\nworld");
	assert_true(ldisc_poll_readable(ld));
	assert_int_equal(ldisc_inq(ld), 6);
	assert_string_equal(rd(ld, 100), "hello\n");
	assert_int_equal(ldisc_available(ld), 0);    /* "world" is still being edited */
	free(ld);
}

static void test_canonical_one_line_per_read(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	feed(ld, "a\nbc\n");
	assert_string_equal(rd(ld, 100), "a\n");
	assert_string_equal(rd(ld, 1), "b");          /* short reads continue the line */
	assert_string_equal(rd(ld, 100), "c\n");
	free(ld);
}

static void test_erase(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	feed(ld, "abx\x7f");
	assert_string_equal(echo(ld), "abx\b \b");
	feed(ld, "\x01\x7f");                          /* ^A erases two columns */
	assert_string_equal(echo(ld), "^A\b \b\b \b");
	feed(ld, "c\n");
	assert_string_equal(echo(ld), "c\r\n");
	assert_string_equal(rd(ld, 100), "abc\n");
	feed(ld, "\x7f");                              /* nothing to erase: no echo */
	assert_string_equal(echo(ld), "");
	free(ld);
}

static void test_erase_without_echoe(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	set_lflag(ld, 0, ECHOE);
	feed(ld, "ab\x7f");
	assert_string_equal(echo(ld), "ab^?");
	feed(ld, "\n");
	assert_string_equal(rd(ld, 100), "a\n");
	free(ld);
}

static void test_kill(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	feed(ld, "abc\x15");                           /* ECHOKE: erased visually */
	assert_string_equal(echo(ld), "abc\b \b\b \b\b \b");
	feed(ld, "xy\n");
	assert_string_equal(rd(ld, 100), "xy\n");
	set_lflag(ld, 0, ECHOKE);                      /* ECHOK only: ^U and a newline */
	echo(ld);
	feed(ld, "abc\x15");
	assert_string_equal(echo(ld), "abc^U\r\n");
	feed(ld, "z\n");
	assert_string_equal(rd(ld, 100), "z\n");
	free(ld);
}

static void test_word_erase(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	feed(ld, "foo bar  \x17" "baz\n");
	assert_string_equal(rd(ld, 100), "foo baz\n");
	feed(ld, "foo-bar\x17\n");                     /* stops at punctuation */
	assert_string_equal(rd(ld, 100), "foo-\n");
	free(ld);
}

static void test_tab_erase(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	feed(ld, "ab\t");
	assert_int_equal(ld->column, 8);
	echo(ld);
	feed(ld, "\x7f");                              /* back to column 2 */
	assert_string_equal(echo(ld), "\b\b\b\b\b\b");
	assert_int_equal(ld->column, 2);
	free(ld);
}

static void test_eof(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	feed(ld, "\x04");
	assert_true(ldisc_poll_readable(ld));
	assert_int_equal(ldisc_inq(ld), 0);
	assert_int_equal(ldisc_read(ld, (char[8]){ 0 }, 8), 0);   /* end of file */
	assert_int_equal(ldisc_available(ld), 0);
	feed(ld, "ab\x04");
	assert_string_equal(echo(ld), "ab");            /* VEOF is not echoed */
	assert_string_equal(rd(ld, 100), "ab");
	assert_int_equal(ldisc_available(ld), 0);
	feed(ld, "cd\x04");                              /* a read that fills up takes the mark too */
	assert_string_equal(rd(ld, 2), "cd");
	assert_int_equal(ldisc_available(ld), 0);
	free(ld);
}

static void test_push_eof(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	feed(ld, "tail");
	ldisc_push_eof(ld);
	assert_string_equal(rd(ld, 100), "tail");
	free(ld);
}

static void test_intr(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	feed(ld, "abc\x03");
	assert_int_equal(ldisc_take_signals(ld), 1u << SIGINT);
	assert_int_equal(ldisc_take_signals(ld), 0);
	assert_int_equal(ldisc_available(ld) + ld->count, 0);   /* input flushed */
	assert_string_equal(echo(ld), "^C");           /* earlier echo flushed too */
	assert_true(ld->want_flush_output);
	feed(ld, "\x1c\x1a");
	assert_int_equal(ldisc_take_signals(ld), (1u << SIGQUIT) | (1u << SIGTSTP));
	free(ld);
}

static void test_noflsh_and_isig_off(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	set_lflag(ld, NOFLSH, 0);
	feed(ld, "ab\x03" "c\n");
	assert_int_equal(ldisc_take_signals(ld), 1u << SIGINT);
	assert_string_equal(rd(ld, 100), "abc\n");
	set_lflag(ld, 0, ISIG);
	feed(ld, "\x03\n");
	assert_int_equal(ldisc_take_signals(ld), 0);
	assert_string_equal(rd(ld, 100), "\x03\n");
	free(ld);
}

static void test_lnext(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	feed(ld, "\x16");
	assert_string_equal(echo(ld), "^\b");
	feed(ld, "\x03\n");
	assert_int_equal(ldisc_take_signals(ld), 0);
	assert_string_equal(echo(ld), "^C\r\n");
	assert_string_equal(rd(ld, 100), "\x03\n");
	free(ld);
}

static void test_reprint(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	feed(ld, "ab\x12");
	assert_string_equal(echo(ld), "ab^R\r\nab");
	free(ld);
}

static void test_echo_modes(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	feed(ld, "\x01\t");
	assert_string_equal(echo(ld), "^A\t");
	set_lflag(ld, 0, ECHOCTL);
	feed(ld, "\x01");
	assert_string_equal(echo(ld), "\x01");
	set_lflag(ld, ECHONL, ECHO);                    /* ECHONL: only the newline */
	feed(ld, "pw\n");
	assert_string_equal(echo(ld), "\r\n");
	set_lflag(ld, 0, ECHONL);
	feed(ld, "x\n");
	assert_string_equal(echo(ld), "");
	free(ld);
}

static void test_input_mapping(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	struct ktermios t = ld->termios;
	t.c_iflag = IGNCR;
	ldisc_set_termios(ld, &t);
	feed(ld, "a\rb\n");
	assert_string_equal(rd(ld, 100), "ab\n");
	t.c_iflag = INLCR;
	t.c_lflag &= ~ICANON;
	ldisc_set_termios(ld, &t);
	feed(ld, "\n");
	assert_string_equal(rd(ld, 100), "\r");
	t.c_iflag = ISTRIP;
	ldisc_set_termios(ld, &t);
	feed(ld, "\xc1");
	assert_string_equal(rd(ld, 100), "A");
	free(ld);
}

static void test_raw_mode(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	set_lflag(ld, 0, ICANON);
	feed(ld, "ab\x7f\r");
	assert_string_equal(echo(ld), "ab^?\r\n");     /* ICRNL newline echoes as newline */
	assert_int_equal(ldisc_available(ld), 4);
	assert_string_equal(rd(ld, 2), "ab");
	assert_string_equal(rd(ld, 100), "\x7f\n");
	free(ld);
}

static void test_vmin_poll(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	struct ktermios t = ld->termios;
	t.c_lflag &= ~ICANON;
	t.c_cc[VMIN] = 3;
	ldisc_set_termios(ld, &t);
	feed(ld, "ab");
	assert_false(ldisc_poll_readable(ld));          /* VTIME 0: poll waits for VMIN */
	feed(ld, "c");
	assert_true(ldisc_poll_readable(ld));
	free(ld);
}

static void test_mode_switch(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	feed(ld, "ab\x04" "cd");
	set_lflag(ld, 0, ICANON);                       /* the VEOF mark is not data */
	assert_string_equal(rd(ld, 100), "abcd");
	feed(ld, "xy");
	set_lflag(ld, ICANON, 0);                       /* raw bytes are pushed as a line */
	assert_string_equal(rd(ld, 100), "xy");
	free(ld);
}

static void test_buffer_limit_canonical(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	set_lflag(ld, 0, ECHO);
	char big[5001];
	memset(big, 'a', 5000);
	big[5000] = 0;
	assert_int_equal(feed(ld, big), 5000);          /* taken, the excess dropped */
	assert_int_equal(ld->count, LDISC_BUF_SIZE - 1);
	assert_int_equal(feed(ld, "\n"), 1);            /* a line can still be ended */
	const char *line = rd(ld, LDISC_BUF_SIZE);
	assert_int_equal(strlen(line), LDISC_BUF_SIZE);
	assert_int_equal(line[LDISC_BUF_SIZE - 1], '\n');
	free(ld);
}

static void test_buffer_limit_raw_throttles(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	set_lflag(ld, 0, ICANON | ECHO);
	char big[5001];
	memset(big, 'b', 5000);
	big[5000] = 0;
	assert_int_equal(feed(ld, big), LDISC_BUF_SIZE - 1);
	assert_int_equal(feed(ld, "\x03"), 0);          /* nothing more until a read */
	rd(ld, 10);
	assert_int_equal(feed(ld, big), 10);
	free(ld);
}

static void test_flow_control(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	feed(ld, "\x13");
	assert_true(ldisc_output_stopped(ld));
	feed(ld, "a");                                   /* no IXANY: still stopped */
	assert_true(ldisc_output_stopped(ld));
	feed(ld, "\x11");
	assert_false(ldisc_output_stopped(ld));
	assert_true(ld->output_started);
	assert_int_equal(ldisc_available(ld) + ld->count, 1);   /* only the 'a' was queued */
	ldisc_stop_output(ld, true);                     /* TCOOFF: VSTART cannot undo it */
	feed(ld, "\x11");
	assert_true(ldisc_output_stopped(ld));
	ldisc_start_output(ld, true);
	assert_false(ldisc_output_stopped(ld));
	free(ld);
}

static void test_output_processing(void **state)
{
	(void)state;
	struct ldisc *ld = new_ldisc();
	char out[64];
	size_t produced;
	assert_int_equal(ldisc_process_output(ld, "a\nb", 3, out, sizeof(out), &produced), 3);
	assert_int_equal(produced, 4);
	assert_memory_equal(out, "a\r\nb", 4);
	assert_int_equal(ld->column, 1);
	/* no room for the expansion: stop before the newline */
	assert_int_equal(ldisc_process_output(ld, "c\n", 2, out, 2, &produced), 1);
	assert_int_equal(produced, 1);
	struct ktermios t = ld->termios;
	t.c_oflag = OPOST | OCRNL | XTABS;
	ldisc_set_termios(ld, &t);
	ld->column = 0;
	assert_int_equal(ldisc_process_output(ld, "x\ty\r", 4, out, sizeof(out), &produced), 4);
	assert_int_equal(produced, 10);
	assert_memory_equal(out, "x       y\n", 10);
	t.c_oflag = 0;                                   /* no OPOST: bytes pass unchanged */
	ldisc_set_termios(ld, &t);
	assert_int_equal(ldisc_process_output(ld, "\n", 1, out, sizeof(out), &produced), 1);
	assert_int_equal(out[0], '\n');
	free(ld);
}

static void test_baud(void **state)
{
	(void)state;
	assert_int_equal(ldisc_baud_to_speed(B38400), 38400);
	assert_int_equal(ldisc_baud_to_speed(B115200), 115200);
	assert_int_equal(ldisc_baud_to_speed(B0), 0);
}

#ifdef LDISC_TEST_DOUBLES
/* ---- the tty layer over the line discipline, with doubles for the kernel ---- */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>
#include "drivers/tty/tty_int.h"
#include "fs/chrdev.h"
#include "fs/dev/devfs.h"
#include "kernel/loop.h"
#include "kernel/printk.h"
#include "platform/platform.h"
#include "signal/signal.h"
#include "sys/syscalls.h"

struct task *current;
struct list_head all_tasks = LIST_HEAD_INIT(all_tasks);
struct thread_group *init_tg;
static struct thread_group *groups[8];
static int ngroups;
static struct { pid_t tgid; int sig; } sent[16];
static int nsent;
static const struct chrdev *chrdevs[4];
static int nchrdevs;
static int epfd = -1;
static struct { int fd; loop_fn fn; void *data; } watches[8];

void printk(const char *fmt, ...) { (void)fmt; }
void printk_set_console(void (*sink)(const char *s, size_t n)) { (void)sink; }
void *xcalloc(size_t n, size_t size) { return calloc(n, size); }
void waitq_init(struct waitq *q) { list_init(&q->waiters); }
void waitq_wake_all(struct waitq *q) { (void)q; }
void task_wait_on(struct task *t, struct waitq *q) { (void)t; (void)q; }
void task_set_deadline(struct task *t, uint64_t d) { t->deadline_ns = d; }
uint64_t now_ns(void) { return (uint64_t)time(NULL) * 1000000000ULL; }
bool cred_is_root(const struct cred *c) { return c->euid == 0; }
bool signal_is_ignored(struct thread_group *tg, int sig) { (void)tg; (void)sig; return false; }
int devfs_add_node(const char *path, mode_t mode, dev_t rdev) { (void)path; (void)mode; (void)rdev; return 0; }
int chrdev_register(const struct chrdev *dev) { chrdevs[nchrdevs++] = dev; return 0; }
int vfs_open(struct task *t, int dirfd, const char *name, int flags, mode_t mode, struct file **out)
{
	(void)t; (void)dirfd; (void)name; (void)flags; (void)mode; (void)out;
	return -ENOENT;
}
struct inode *inode_new(struct super_block *sb, uint64_t ino, mode_t mode,
			const struct inode_ops *iops, const struct file_ops *fops)
{
	(void)sb; (void)iops; (void)fops;
	struct inode *i = calloc(1, sizeof(*i));
	i->ino = ino;
	i->mode = mode;
	return i;
}
struct file *file_new(struct path *p, unsigned flags)
{
	(void)p;
	struct file *f = calloc(1, sizeof(*f));
	f->refcount = 1;
	f->flags = flags;
	return f;
}
struct file *file_get(struct file *f) { f->refcount++; return f; }
int fd_install_at(struct task *t, int fd, struct file *f, bool cloexec)
{
	(void)t; (void)f; (void)cloexec;
	return fd;
}
int guest_read(struct task *t, void *dst, unsigned long src, size_t len)
{
	(void)t;
	memcpy(dst, (const void *)src, len);
	return 0;
}
int guest_write(struct task *t, unsigned long dst, const void *src, size_t len)
{
	(void)t;
	memcpy((void *)dst, src, len);
	return 0;
}
struct thread_group *tg_by_pid(pid_t pid)
{
	for (int i = 0; i < ngroups; i++)
		if (groups[i]->tgid == pid)
			return groups[i];
	return NULL;
}
int signal_send_tg(struct thread_group *tg, int sig, const siginfo_t *info)
{
	(void)info;
	sent[nsent].tgid = tg->tgid;
	sent[nsent++].sig = sig;
	return 0;
}
int loop_add_fd(int fd, uint32_t events, loop_fn fn, void *data)
{
	for (int i = 0; i < 8; i++) {
		if (watches[i].fn)
			continue;
		watches[i].fd = fd;
		watches[i].fn = fn;
		watches[i].data = data;
		struct epoll_event ev = { .events = events, .data.u32 = (uint32_t)i };
		return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
	}
	return -ENOSPC;
}
int loop_mod_fd(int fd, uint32_t events) { (void)fd; (void)events; return 0; }
void loop_del_fd(int fd)
{
	for (int i = 0; i < 8; i++)
		if (watches[i].fn && watches[i].fd == fd) {
			epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
			watches[i].fn = NULL;
		}
}
void loop_on_sigwinch(void (*fn)(void)) { (void)fn; }

static void run_loop_once(void)
{
	struct epoll_event ev[8];
	int n = epoll_wait(epfd, ev, 8, 200);
	for (int i = 0; i < n; i++)
		if (watches[ev[i].data.u32].fn)
			watches[ev[i].data.u32].fn(watches[ev[i].data.u32].fd, ev[i].events,
						   watches[ev[i].data.u32].data);
}

static size_t read_host(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	while (n < cap - 1 && poll(&p, 1, 50) > 0) {
		ssize_t k = read(fd, buf + n, cap - 1 - n);
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	buf[n] = 0;
	return n;
}

static void add_process(struct task *t, struct thread_group *tg, pid_t id, pid_t pgid,
			pid_t sid, struct thread_group *parent)
{
	tg->tgid = id;
	tg->pgid = pgid;
	tg->sid = sid;
	tg->parent = parent;
	list_init(&tg->threads);
	t->tid = id;
	t->tg = tg;
	list_add_tail(&t->thread_link, &tg->threads);
	list_add_tail(&t->all_link, &all_tasks);
	groups[ngroups++] = tg;
}

/* con0 on a pair of host pipes; a session leader (pid 10) has it as controlling tty. */
static struct task init_task, leader, bg;
static struct thread_group init_group, leader_group, bg_group;
static int host_in = -1, host_out = -1;
static struct file leader_file = { .refcount = 1, .flags = O_RDWR };

static void tty_fixture(void)
{
	if (epfd >= 0)
		return;
	epfd = epoll_create1(0);
	add_process(&init_task, &init_group, 1, 1, 1, NULL);
	init_tg = &init_group;
	add_process(&leader, &leader_group, 10, 10, 10, &init_group);
	add_process(&bg, &bg_group, 20, 20, 10, &leader_group);
	int in[2], out[2];
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	host_in = in[1];
	host_out = out[0];
	char spec[64];
	snprintf(spec, sizeof(spec), "fd:%d,fd:%d", in[0], out[1]);
	assert_int_equal(console_init(spec), 0);
	assert_int_equal(nchrdevs, 3);
	current = &leader;
	assert_int_equal(chrdevs[0]->open(NULL, &leader_file, 0), 0);   /* /dev/tty0 */
	file_opened_hook(&leader, &leader_file, O_RDWR);
	assert_ptr_equal(leader_group.ctty, console_tty(0));
	bg_group.ctty = leader_group.ctty;
}

static void test_tty_pipe_round_trip(void **state)
{
	(void)state;
	tty_fixture();
	char buf[256];
	assert_int_equal(write(host_in, "ls -l\r", 6), 6);
	run_loop_once();
	read_host(host_out, buf, sizeof(buf));
	assert_string_equal(buf, "ls -l\r\n");           /* echo, through ONLCR */
	current = &leader;
	assert_int_equal(leader_file.fops->read(&leader_file, buf, sizeof(buf), NULL), 6);
	assert_memory_equal(buf, "ls -l\n", 6);
	assert_int_equal(leader_file.fops->read(&leader_file, buf, sizeof(buf), NULL), SYSRET_BLOCK);
	assert_int_equal(leader_file.fops->write(&leader_file, "a\nb", 3, NULL), 3);
	read_host(host_out, buf, sizeof(buf));
	assert_string_equal(buf, "a\r\nb");
}

static void test_tty_intr_signals_foreground(void **state)
{
	(void)state;
	tty_fixture();
	char buf[64];
	nsent = 0;
	assert_int_equal(write(host_in, "x\x03", 2), 2);
	run_loop_once();
	assert_int_equal(nsent, 1);                        /* the foreground group only */
	assert_int_equal(sent[0].tgid, 10);
	assert_int_equal(sent[0].sig, SIGINT);
	read_host(host_out, buf, sizeof(buf));
	assert_string_equal(buf, "^C");                    /* "x" flushed with the input */
}

static void test_tty_background_read(void **state)
{
	(void)state;
	tty_fixture();
	char buf[16];
	nsent = 0;
	current = &bg;
	assert_int_equal(leader_file.fops->read(&leader_file, buf, sizeof(buf), NULL), TTY_RESTART);
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0].tgid, 20);
	assert_int_equal(sent[0].sig, SIGTTIN);
	bg_group.parent = &init_group;                     /* now an orphaned group */
	assert_int_equal(leader_file.fops->read(&leader_file, buf, sizeof(buf), NULL), -EIO);
	bg_group.parent = &leader_group;
	current = &leader;
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_canonical_line),
		cmocka_unit_test(test_canonical_one_line_per_read),
		cmocka_unit_test(test_erase),
		cmocka_unit_test(test_erase_without_echoe),
		cmocka_unit_test(test_kill),
		cmocka_unit_test(test_word_erase),
		cmocka_unit_test(test_tab_erase),
		cmocka_unit_test(test_eof),
		cmocka_unit_test(test_push_eof),
		cmocka_unit_test(test_intr),
		cmocka_unit_test(test_noflsh_and_isig_off),
		cmocka_unit_test(test_lnext),
		cmocka_unit_test(test_reprint),
		cmocka_unit_test(test_echo_modes),
		cmocka_unit_test(test_input_mapping),
		cmocka_unit_test(test_raw_mode),
		cmocka_unit_test(test_vmin_poll),
		cmocka_unit_test(test_mode_switch),
		cmocka_unit_test(test_buffer_limit_canonical),
		cmocka_unit_test(test_buffer_limit_raw_throttles),
		cmocka_unit_test(test_flow_control),
		cmocka_unit_test(test_output_processing),
		cmocka_unit_test(test_baud),
#ifdef LDISC_TEST_DOUBLES
		cmocka_unit_test(test_tty_pipe_round_trip),
		cmocka_unit_test(test_tty_intr_signals_foreground),
		cmocka_unit_test(test_tty_background_read),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
