/* The growing buffer a generated /proc file is written into. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs/proc/internal.h"

static void pbuf_reserve(struct proc_buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p)
		panic("out of host memory");
	b->data = p;
	b->cap = cap;
}

void pbuf_put(struct proc_buf *b, const void *p, size_t n)
{
	pbuf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

void pbuf_putc(struct proc_buf *b, char c)
{
	pbuf_put(b, &c, 1);
}

void pbuf_puts(struct proc_buf *b, const char *s)
{
	pbuf_put(b, s, strlen(s));
}

/* Formats into the room left, growing and formatting again when it did not fit. */
void proc_printf(struct proc_buf *b, const char *fmt, ...)
{
	va_list ap;
	pbuf_reserve(b, 128);
	va_start(ap, fmt);
	int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->data[b->len] = 0;
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		pbuf_reserve(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void pbuf_pad(struct proc_buf *b, size_t line_start, size_t width)
{
	while (b->len - line_start < width)
		pbuf_putc(b, ' ');
}

/* The VFS formatters write whole lines into a fixed buffer and stop at the first line
 * that does not fit: the text is complete when more room than any line needs is left
 * over. Otherwise retry with more room, up to a bound no real table reaches. */
#define FILL_LINE_MAX (2 * PATH_MAX + 1024)
#define FILL_ROOM_MAX (64u << 20)

void pbuf_fill(struct proc_buf *b, size_t (*fill)(void *ctx, char *dst, size_t room), void *ctx)
{
	for (size_t room = 65536; room <= FILL_ROOM_MAX; room *= 4) {
		pbuf_reserve(b, room);
		size_t n = fill(ctx, b->data + b->len, room);
		if (room - (n < room ? n : room) > FILL_LINE_MAX || room == FILL_ROOM_MAX) {
			b->len += n < room ? n : room;
			b->data[b->len] = 0;
			return;
		}
	}
}

void pbuf_free(struct proc_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
