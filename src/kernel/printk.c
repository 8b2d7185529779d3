/*
 * printk: the kernel log. Lines go into a ring buffer (dmesg, syslog(2), MConsole log)
 * and, unless the console is quiet or the level is above the console level, to the
 * console.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "kernel/kernel.h"
#include "kernel/printk.h"

#define LOG_BUF_SIZE (128 * 1024)

static char log_buf[LOG_BUF_SIZE];
static size_t log_head;       /* next write position (monotonic, wraps by modulo) */
static uint64_t log_total;    /* bytes ever logged; printk_clear leaves it (syslog's cursor) */
static uint64_t boot_ns;
bool console_quiet;
int console_loglevel = 7;
static void (*console_sink)(const char *s, size_t n);
static void (*printk_tap)(const char *s, size_t n);
static void (*panic_notifier)(const char *msg);

void printk_set_tap(void (*tap)(const char *s, size_t n)) { printk_tap = tap; }
void panic_set_notifier(void (*fn)(const char *msg)) { panic_notifier = fn; }

void printk_set_console(void (*sink)(const char *s, size_t n)) { console_sink = sink; }

static void log_append(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_head + i) % LOG_BUF_SIZE] = s[i];
	log_head += n;
	log_total += n;
}

size_t printk_read_all(char *dst, size_t max)
{
	size_t avail = log_head < LOG_BUF_SIZE ? log_head : LOG_BUF_SIZE;
	size_t start = log_head - avail;
	if (avail > max) {
		start += avail - max;
		avail = max;
	}
	for (size_t i = 0; i < avail; i++)
		dst[i] = log_buf[(start + i) % LOG_BUF_SIZE];
	return avail;
}

size_t printk_size(void) { return log_head < LOG_BUF_SIZE ? log_head : LOG_BUF_SIZE; }

size_t printk_capacity(void) { return LOG_BUF_SIZE; }

uint64_t printk_total(void) { return log_total; }

void printk_clear(void) { log_head = 0; }

static void console_write(const char *s, size_t n)
{
	if (console_sink)
		console_sink(s, n);
	else
		fwrite(s, 1, n, stdout), fflush(stdout);
}

/* A line may start with "<N>" (a KERN_* level); it is kept in the buffer, stripped on the console. */
void vprintk(const char *fmt, va_list ap)
{
	char line[1024];
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	int level = 4;
	const char *text = line;
	if (line[0] == '<' && line[1] >= '0' && line[1] <= '7' && line[2] == '>') {
		level = line[1] - '0';
		text += 3;
	}
	if (!boot_ns)
		boot_ns = now_ns();
	uint64_t t = now_ns() - boot_ns;
	char stamp[48];
	int sn = snprintf(stamp, sizeof(stamp), "<%d>[%5llu.%06llu] ", level,
			  (unsigned long long)(t / 1000000000ULL), (unsigned long long)(t % 1000000000ULL / 1000));
	log_append(stamp, (size_t)sn);
	log_append(text, strlen(text));
	if (printk_tap)
		printk_tap(text, strlen(text));
	if (!console_quiet && level < console_loglevel)
		console_write(text, strlen(text));
}

void printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

/* Lines that must reach the console even when quiet (panic). */
void printk_emergency(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	log_append(line, strlen(line));
	console_write(line, strlen(line));
}

_Noreturn void panic(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk_emergency("Kernel panic - not syncing: %s\n", msg);
	if (panic_notifier)
		panic_notifier(msg);
	kernel_halt(HALT_PANIC, 134);
}

void printk_emergency_init_death(int wait_status)
{
	char msg[64];
	snprintf(msg, sizeof(msg), "Attempted to kill init! exitcode=0x%08x", (unsigned)wait_status);
	printk_emergency("Kernel panic - not syncing: %s\n", msg);
	if (panic_notifier)
		panic_notifier(msg);
}
