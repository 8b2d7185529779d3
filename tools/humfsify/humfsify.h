/* humfsify's parts: humfsify.c (the conversion), reverse.c (-r), links.c (hard links),
 * progress.c (a counter on a terminal). */
#ifndef UMLINUX_HUMFSIFY_H
#define UMLINUX_HUMFSIFY_H

#include <stdbool.h>
#include <sys/stat.h>

struct progress {
	const char *what;
	unsigned long done;
	bool tty;
};

void progress_start(struct progress *p, const char *what);
void progress_step(struct progress *p);
void progress_done(struct progress *p);

/* A second name of a file already seen: its metadata file becomes a hard link of the
 * first name's (meta_path), and true is returned. */
bool hardlink_seen(const struct stat *st, const char *meta_path);
/* For counting usage: true if this inode was counted already. */
bool hardlink_counted(const struct stat *st);
void hardlink_reset(void);

int unhumfsify(void);

#endif
