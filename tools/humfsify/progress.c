/* A running count on stderr when it is a terminal: big trees take a while. */
#include <stdio.h>
#include <unistd.h>
#include "humfsify.h"

void progress_start(struct progress *p, const char *what)
{
	p->what = what;
	p->done = 0;
	p->tty = isatty(STDERR_FILENO);
}

void progress_step(struct progress *p)
{
	if (++p->done % 500 == 0 && p->tty)
		fprintf(stderr, "\r%s: %lu files", p->what, p->done);
}

void progress_done(struct progress *p)
{
	if (p->tty && p->done >= 500)
		fprintf(stderr, "\r%s: %lu files, done\n", p->what, p->done);
}
