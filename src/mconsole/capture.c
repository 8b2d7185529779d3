/*
 * Returning kernel output to an MConsole client. UML's sysrq and stack commands install
 * a console that forwards what the kernel prints while the handler runs; here a printk
 * tap collects it, and it goes out once the handler is done (also to the kernel log and
 * the console, as always).
 */
#include <stdlib.h>
#include <string.h>
#include "kernel/printk.h"
#include "mconsole/internal.h"

/* More than any dump here produces; the excess is cut rather than eat host memory. */
#define CAPTURE_MAX (1u << 20)

static char *captured;
static size_t captured_len, captured_size;

static void tap(const char *s, size_t n)
{
	if (captured_len + n > CAPTURE_MAX)
		n = CAPTURE_MAX - captured_len;
	if (captured_len + n > captured_size) {
		size_t size = captured_size ? captured_size : 4096;
		while (size < captured_len + n)
			size *= 2;
		char *p = realloc(captured, size);
		if (!p)
			return;
		captured = p;
		captured_size = size;
	}
	memcpy(captured + captured_len, s, n);
	captured_len += n;
}

void mconsole_with_console(struct mc_request *req, void (*fn)(void *arg), void *arg)
{
	captured_len = 0;
	printk_set_tap(tap);
	fn(arg);
	printk_set_tap(NULL);
	if (captured_len)
		mconsole_reply_len(req, captured, captured_len, 0, true);
	mconsole_reply(req, "", 0, false);
	free(captured);
	captured = NULL;
	captured_len = captured_size = 0;
}
