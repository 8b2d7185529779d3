/*
 * inotify_show.h - printing inotify events for the differential tests (included by
 * tests/guest/diff/inotify_*.c after check.h). Cookies are shown as letters in order of
 * first appearance (A, B, ...), so a MOVED_FROM/MOVED_TO pair shows as equal without
 * printing values that differ between kernels.
 */
#ifndef UMLINUX_DIFF_INOTIFY_SHOW_H
#define UMLINUX_DIFF_INOTIFY_SHOW_H

#include <poll.h>
#include <stdint.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>

static uint32_t ino_cookies[64];
static int ino_ncookies;

static CK_UNUSED char ino_cookie_name(uint32_t c)
{
	for (int i = 0; i < ino_ncookies; i++)
		if (ino_cookies[i] == c)
			return (char)('A' + i);
	if (ino_ncookies < 26)
		ino_cookies[ino_ncookies++] = c;
	return (char)('A' + ino_ncookies - 1);
}

static CK_UNUSED void ino_mask_str(uint32_t m, char *buf, size_t len)
{
	static const struct { uint32_t bit; const char *name; } bits[] = {
		{ IN_ACCESS, "ACCESS" }, { IN_MODIFY, "MODIFY" }, { IN_ATTRIB, "ATTRIB" },
		{ IN_CLOSE_WRITE, "CLOSE_WRITE" }, { IN_CLOSE_NOWRITE, "CLOSE_NOWRITE" },
		{ IN_OPEN, "OPEN" }, { IN_MOVED_FROM, "MOVED_FROM" }, { IN_MOVED_TO, "MOVED_TO" },
		{ IN_CREATE, "CREATE" }, { IN_DELETE, "DELETE" }, { IN_DELETE_SELF, "DELETE_SELF" },
		{ IN_MOVE_SELF, "MOVE_SELF" }, { IN_UNMOUNT, "UNMOUNT" },
		{ IN_Q_OVERFLOW, "Q_OVERFLOW" }, { IN_IGNORED, "IGNORED" }, { IN_ISDIR, "ISDIR" },
	};
	buf[0] = 0;
	for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
		if (!(m & bits[i].bit))
			continue;
		m &= ~bits[i].bit;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? "|" : "",
			 bits[i].name);
	}
	if (m)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s0x%x", buf[0] ? "|" : "", m);
}

/* Prints every event in buf[0..n). */
static CK_UNUSED void ino_show_buf(const char *buf, long n)
{
	for (long off = 0; off < n;) {
		const struct inotify_event *e = (const void *)(buf + off);
		char m[160];
		ino_mask_str(e->mask, m, sizeof m);
		printf("  wd=%d %s", e->wd, m);
		if (e->len)
			printf(" name=%s len=%u", e->name, e->len);
		if (e->cookie)
			printf(" cookie=%c", ino_cookie_name(e->cookie));
		putchar('\n');
		off += (long)sizeof(*e) + e->len;
	}
}

/* Reads and prints whatever is queued now (fd must be non-blocking). */
static CK_UNUSED void ino_drain(const char *label, int fd)
{
	static char buf[65536] __attribute__((aligned(8)));
	printf("%s:\n", label);
	for (;;) {
		long n = read(fd, buf, sizeof buf);
		if (n < 0) {
			if (errno != EAGAIN)
				printf("  read: %s\n", errname(errno));
			return;
		}
		ino_show_buf(buf, n);
	}
}

#endif
