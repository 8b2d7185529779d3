/*
 * The line discipline (N_TTY) as a pure state machine: input bytes go in, and out come
 * bytes for readers, echo bytes for the output side and signals to raise. No I/O, no
 * tasks: the tty layer (tty.c) moves the results around, and the unit tests drive it
 * directly.
 */
#ifndef UMLINUX_LDISC_H
#define UMLINUX_LDISC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

/* The kernel's termios (struct termios2 of <asm/termbits.h>, which cannot be included
 * next to glibc's <termios.h>; glibc's struct termios is a different, larger layout).
 * TCGETS/TCSETS copy the first KTERMIOS_V1_SIZE bytes, the *2 calls all of it. The flag
 * and c_cc index values are the same in both headers. */
#define KNCCS 19
struct ktermios {
	tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
	cc_t c_line;
	cc_t c_cc[KNCCS];
	speed_t c_ispeed, c_ospeed;
};
#define KTERMIOS_V1_SIZE 36u   /* sizeof(struct termios) in the kernel ABI */

#define LDISC_BUF_SIZE  4096u  /* N_TTY_BUF_SIZE: input held for readers */
#define LDISC_ECHO_SIZE 4096u  /* echo output waiting for the output side */

struct ldisc {
	struct ktermios termios;
	/* Input ring: count bytes starting at tail. The first canon_len of them are complete
	 * lines (canonical mode); the rest is the line being edited. */
	unsigned char buf[LDISC_BUF_SIZE];
	unsigned char mark[LDISC_BUF_SIZE];  /* LDISC_MARK_* per slot */
	size_t tail, count, canon_len;
	bool lnext;          /* the next byte is taken literally (VLNEXT) */
	bool erasing;        /* inside an ECHOPRT "\...\" erase sequence */
	bool stopped;        /* output stopped (VSTOP or TCOOFF) */
	bool tco_stopped;    /* stopped by TCOOFF: VSTART does not restart it */
	unsigned column;     /* output column, for tab expansion and erasing */
	unsigned canon_column; /* column where the line being edited started */
	/* Results waiting for the tty layer. */
	char echo[LDISC_ECHO_SIZE];
	size_t echo_len;
	uint32_t signals;    /* 1u << SIGINT ... to send to the foreground group */
	bool want_flush_output;  /* a signal char asked to discard queued output */
	bool output_started;     /* output went from stopped to running */
};

/* Per-slot marks. */
#define LDISC_MARK_EOL 1   /* a canonical line ends with this slot */
#define LDISC_MARK_EOF 2   /* this slot is a VEOF: ends the line, never delivered */

/* Linux's tty_std_termios: icanon echo..., icrnl ixon, opost onlcr, cs8 38400. */
void ldisc_default_termios(struct ktermios *t);
void ldisc_init(struct ldisc *ld);

/* Feeds input; returns how many bytes were taken. Fewer than n means the buffer is full
 * of data readers have not taken yet: the caller keeps the rest and offers it again
 * after a read (Linux throttles the same way). */
size_t ldisc_receive(struct ldisc *ld, const unsigned char *in, size_t n);
/* The other side went away: a partial canonical line becomes readable, as a VEOF would
 * make it, so the last bytes of a host file without a final newline are not lost. */
void ldisc_push_eof(struct ldisc *ld);

/* Bytes a read could take now: in canonical mode the bytes up to and including the
 * last complete line (EOF marks count), otherwise every buffered byte. */
size_t ldisc_available(const struct ldisc *ld);
/* Whether poll reports POLLIN (Linux waits for VMIN bytes when VTIME is 0). */
bool ldisc_poll_readable(const struct ldisc *ld);
/* Takes bytes for a reader: at most one line in canonical mode. 0 with data available
 * means a VEOF was consumed (end of file for this read). */
size_t ldisc_read(struct ldisc *ld, char *out, size_t len);
/* FIONREAD: readable bytes, without EOF marks. */
size_t ldisc_inq(const struct ldisc *ld);
void ldisc_flush_input(struct ldisc *ld);

/* Installs new settings (switching canonical mode on or off keeps the buffered bytes
 * the way Linux does). */
void ldisc_set_termios(struct ldisc *ld, const struct ktermios *t);

/* Output post-processing (OPOST, ONLCR, OCRNL, ONOCR, ONLRET, OLCUC, XTABS) of guest
 * writes: converts bytes from in into out (cap bytes) and returns how many input bytes
 * were done; *produced gets the output length. Stops before a byte whose expansion
 * would not fit. */
size_t ldisc_process_output(struct ldisc *ld, const char *in, size_t n, char *out,
			    size_t cap, size_t *produced);

/* Echo bytes produced by input processing (already post-processed). */
size_t ldisc_take_echo(struct ldisc *ld, char *out, size_t cap);
/* Signals raised since the last call, as a 1u << sig mask. */
uint32_t ldisc_take_signals(struct ldisc *ld);

/* Output flow control (IXON and TCXONC). */
bool ldisc_output_stopped(const struct ldisc *ld);
void ldisc_stop_output(struct ldisc *ld, bool by_tcxonc);
void ldisc_start_output(struct ldisc *ld, bool by_tcxonc);

/* Speed helpers: Bxxx code (CBAUD bits) <-> bits per second; 0 when unknown. */
speed_t ldisc_baud_to_speed(tcflag_t cbaud);
#endif
