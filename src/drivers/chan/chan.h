/*
 * Channels: the host side of a console or serial line (UML's con<n>= / ssl<n>= values).
 * A channel moves bytes between host descriptors and its owner (a tty): input arrives
 * through the event loop and is offered to the owner; output is written to the host,
 * queued when the host is not ready. This directory is the only part of the tty stack
 * that calls the host.
 */
#ifndef UMLINUX_CHAN_H
#define UMLINUX_CHAN_H
#include <stdbool.h>
#include <stddef.h>

/* Channel types, in UML's prefix-matching order. */
enum chan_type {
	CHAN_FD, CHAN_NULL, CHAN_PORT, CHAN_PTY, CHAN_PTS, CHAN_TTY, CHAN_XTERM,
	CHAN_NONE,   /* "none": the line does not exist */
};

struct chan_desc {
	enum chan_type type;
	int fd;          /* fd:N */
	int port;        /* port:N */
};

/* A parsed spec: "<chan>" (both directions) or "<in>,<out>". */
struct chan_spec {
	struct chan_desc in, out;
};

/* Parses spec; on error returns -EINVAL (bad syntax) or -EOPNOTSUPP (a type we do not
 * have yet) and writes a one-line explanation, naming the line (e.g. "con0"), to err. */
int chan_parse(const char *line, const char *spec, struct chan_spec *out, char *err,
	       size_t errlen);
const char *chan_type_name(enum chan_type type);

/* What a channel tells its owner. */
struct chan_ops {
	/* Input bytes; returns how many were taken. Taking fewer throttles the channel
	 * until chan_unthrottle. */
	size_t (*receive)(void *owner, const char *buf, size_t n);
	/* The input side is gone (host EOF or hangup); no more receive calls. */
	void (*input_eof)(void *owner);
	/* Queued output drained below the limit: writers may go on. */
	void (*output_room)(void *owner);
};

struct chan;

/* Opens the host side of spec for line (used in messages). Puts an input terminal in
 * raw mode (restored by chan_restore_all). Errors are printed and returned. */
int chan_open(const char *line, const char *spec, const struct chan_ops *ops, void *owner,
	      struct chan **out);
/* Starts delivering input (after the owner is ready for receive calls). */
void chan_start_input(struct chan *c);
/* The owner has room again: offer held-back input and read more. */
void chan_unthrottle(struct chan *c);
/* Drops input read from the host but not yet taken (TCIFLUSH). */
void chan_discard_input(struct chan *c);

/* Output. chan_write takes at most chan_write_room() bytes (all of them when they fit);
 * kernel messages and echo use chan_write_kernel, which only drops bytes beyond a hard
 * limit. */
size_t chan_write_room(const struct chan *c);
size_t chan_write(struct chan *c, const char *buf, size_t n);
void chan_write_kernel(struct chan *c, const char *buf, size_t n);
size_t chan_output_queued(const struct chan *c);
void chan_discard_output(struct chan *c);

/* Host terminal facts. */
bool chan_output_is_terminal(const struct chan *c);
/* Both directions are "null". */
bool chan_is_null(const struct chan *c);
/* The host window size (TIOCGWINSZ on the input, else the output terminal). */
int chan_window_size(const struct chan *c, unsigned short *rows, unsigned short *cols);

/* Flushes queued output (briefly) and gives back every host terminal and descriptor
 * flag the channels changed. Safe to call more than once and from atexit. */
void chan_restore_all(void);
#endif
