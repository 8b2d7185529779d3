/* The channel object, shared by chan.c (opening, host terminals) and chan_io.c (data). */
#ifndef UMLINUX_CHAN_INT_H
#define UMLINUX_CHAN_INT_H
#include <stdbool.h>
#include <termios.h>
#include "drivers/chan/chan.h"

/* Guest writers wait once this much output is queued; kernel messages and echo are
 * dropped only beyond the hard limit. */
#define CHAN_OUTQ_SOFT (64u * 1024)
#define CHAN_OUTQ_HARD (1024u * 1024)

/* One direction's host descriptor. The kernel never uses the configured descriptor
 * itself: it uses a private open file description (see host_end_open), so setting
 * O_NONBLOCK does not leak into the shell that started the kernel. */
struct host_end {
	int fd;              /* -1: nothing (null, or a descriptor not open this way) */
	int host_fd;         /* the configured fd:N */
	bool regular;        /* regular file or block device: never blocks, cannot be polled */
	bool terminal;
	bool watching;       /* registered with the event loop */
	int restore_flags;   /* >= 0: the shared description's flags to put back */
};

struct chan {
	char line[16];
	const struct chan_ops *ops;
	void *owner;
	struct host_end in, out;
	bool in_eof;         /* input ended (or there never is any) and the owner knows */
	bool in_none;        /* null input: nothing, ever, and no EOF either */
	bool all_null;       /* "null" both ways */
	bool pumping;        /* guards chan_pump against re-entry from the owner */
	char pend[1024];     /* read from the host, not yet taken by the owner */
	size_t pend_off, pend_len;
	char *q;             /* output waiting for the host */
	size_t q_len, q_cap;
	bool out_dead;       /* the host side went away: output is discarded */
	bool termios_saved;  /* in.fd is a terminal we put in raw mode */
	struct termios saved_termios;
};

void chan_register_for_restore(struct chan *c);
/* Restores one channel's host state (termios, descriptor flags). */
void chan_restore_host(struct chan *c);
/* Writes queued output out, waiting up to timeout_ms for the host to take it. */
void chan_drain_output(struct chan *c, int timeout_ms);
#endif
