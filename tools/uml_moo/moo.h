/* uml_moo's parts: main (arguments and checks), merge (the copy loops), progress. */
#ifndef UMLINUX_TOOLS_MOO_H
#define UMLINUX_TOOLS_MOO_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "cow.h"

struct moo_job {
	const char *cow_name;
	const char *backing_name;    /* the header's, or -b's */
	const char *out_name;        /* NULL for an in-place (-d) merge */
	int cow_fd, back_fd, out_fd;
	struct cow_header h;
	unsigned char *bitmap;       /* cow_bitmap_bytes(&h) bytes */
};

/* Both return the exit status, after printing what went wrong. */
int moo_merge_new(struct moo_job *j);       /* COW + backing -> out_fd */
int moo_merge_in_place(struct moo_job *j);  /* COW sectors -> back_fd */

/* A progress bar on stderr, shown only when stderr is a terminal and the job is big. */
void progress_start(uint64_t total_bytes);
void progress_update(uint64_t done_bytes);
void progress_end(void);

#endif
