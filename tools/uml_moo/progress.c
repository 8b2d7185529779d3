/* A one-line progress bar for long merges, redrawn at most once per percent. */
#include <stdio.h>
#include <unistd.h>
#include "moo.h"

#define PROGRESS_MIN_BYTES (64ULL << 20)   /* smaller merges finish before it matters */
#define BAR_WIDTH 40

static uint64_t total;
static int shown = -1;     /* percent last drawn; -1 when the bar is off */

void progress_start(uint64_t total_bytes)
{
	total = total_bytes;
	shown = (total >= PROGRESS_MIN_BYTES && isatty(STDERR_FILENO)) ? 0 : -1;
	if (shown == 0)
		progress_update(0);
}

void progress_update(uint64_t done)
{
	if (shown < 0 || total == 0)
		return;
	int pct = (int)(done * 100 / total);
	if (pct == shown && done != 0)
		return;
	shown = pct;
	int fill = pct * BAR_WIDTH / 100;
	fprintf(stderr, "\r[%.*s%*s] %3d%% (%llu/%llu MiB)", fill,
		"========================================", BAR_WIDTH - fill, "", pct,
		(unsigned long long)(done >> 20), (unsigned long long)(total >> 20));
}

void progress_end(void)
{
	if (shown < 0)
		return;
	progress_update(total);
	fputc('\n', stderr);
	shown = -1;
}
