/*
 * The line discipline's input side, following Linux's n_tty: input mapping (ISTRIP,
 * IUCLC, IGNCR, ICRNL, INLCR), flow control characters (IXON, IXANY), signal characters
 * (ISIG), canonical line editing (erase, word erase, kill, literal next, reprint, EOF,
 * EOL) with echo (ECHO, ECHOE, ECHOK, ECHOKE, ECHOCTL, ECHOPRT, ECHONL), and the
 * canonical and raw reads.
 */
#include <ctype.h>
#include <signal.h>
#include <string.h>
#include "drivers/tty/ldisc_int.h"

_Static_assert(VEOL2 < KNCCS && VDISCARD < KNCCS, "c_cc index outside the kernel's termios");
_Static_assert(sizeof(struct ktermios) == 44, "struct termios2 is 44 bytes");

void ldisc_default_termios(struct ktermios *t)
{
	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B38400 | CS8 | CREAD | HUPCL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	t->c_cc[VINTR] = 0x03;     /* ^C */
	t->c_cc[VQUIT] = 0x1c;     /* ^\ */
	t->c_cc[VERASE] = 0x7f;    /* ^? */
	t->c_cc[VKILL] = 0x15;     /* ^U */
	t->c_cc[VEOF] = 0x04;      /* ^D */
	t->c_cc[VTIME] = 0;
	t->c_cc[VMIN] = 1;
	t->c_cc[VSTART] = 0x11;    /* ^Q */
	t->c_cc[VSTOP] = 0x13;     /* ^S */
	t->c_cc[VSUSP] = 0x1a;     /* ^Z */
	t->c_cc[VREPRINT] = 0x12;  /* ^R */
	t->c_cc[VDISCARD] = 0x0f;  /* ^O */
	t->c_cc[VWERASE] = 0x17;   /* ^W */
	t->c_cc[VLNEXT] = 0x16;    /* ^V */
	t->c_ispeed = t->c_ospeed = 38400;
}

void ldisc_init(struct ldisc *ld)
{
	memset(ld, 0, sizeof(*ld));
	ldisc_default_termios(&ld->termios);
}

/* A c_cc entry of 0 (_POSIX_VDISABLE) matches nothing: Linux keeps NUL out of its map
 * of special characters. */
static bool is_cc(const struct ldisc *ld, unsigned char c, int which)
{
	return c != 0 && c == ld->termios.c_cc[which];
}

static size_t slot(const struct ldisc *ld, size_t i) { return (ld->tail + i) % LDISC_BUF_SIZE; }
static unsigned char byte_at(const struct ldisc *ld, size_t i) { return ld->buf[slot(ld, i)]; }
static bool line_empty(const struct ldisc *ld) { return ld->count == ld->canon_len; }

static void put_byte(struct ldisc *ld, unsigned char c, unsigned char mark)
{
	size_t i = slot(ld, ld->count);
	ld->buf[i] = c;
	ld->mark[i] = mark;
	ld->count++;
}

/* In canonical mode the last free slot is kept for the byte that ends the line, so an
 * overlong line can still be finished (Linux: 4095 bytes plus the newline). */
static bool line_full(const struct ldisc *ld) { return ld->count >= LDISC_BUF_SIZE - 1; }

static void end_line(struct ldisc *ld, unsigned char c, unsigned char mark)
{
	if (ld->count >= LDISC_BUF_SIZE)
		return;
	put_byte(ld, c, mark | LDISC_MARK_EOL);
	ld->canon_len = ld->count;
}

static void finish_erasing(struct ldisc *ld)
{
	if (ld->erasing) {
		ldisc_echo_raw(ld, '/');
		ld->erasing = false;
	}
}

/* The first byte of a line remembers the column it was echoed at, for tab erasing. */
static void echo_input(struct ldisc *ld, unsigned char c)
{
	finish_erasing(ld);
	if (line_empty(ld))
		ld->canon_column = ld->column;
	ldisc_echo_char(ld, c);
}

/* Moves back over an erased tab: the columns it covered depend on what precedes it on
 * the line, back to the previous tab or to where the line started. */
static void erase_tab_echo(struct ldisc *ld)
{
	unsigned used = 0;
	bool after_tab = false;
	for (size_t i = ld->canon_len; i < ld->count; i++) {
		unsigned char c = byte_at(ld, i);
		if (c == '\t') {
			used = 0;
			after_tab = true;
		} else if (ldisc_is_ctrl(c)) {
			if (L_FLAG(ld, ECHOCTL))
				used += 2;
		} else if (!ldisc_is_cont(ld, c)) {
			used++;
		}
	}
	if (!after_tab)
		used += ld->canon_column;
	unsigned back = 8 - (used & 7);
	if (back > ld->column)
		back = ld->column;
	while (back--)
		ldisc_echo_backspace(ld);
}

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

/* Echo for one erased character (c is its first byte, len its length in bytes). */
static void erase_echo(struct ldisc *ld, unsigned char c, size_t first, size_t len,
		       enum erase_kind kind)
{
	if (L_FLAG(ld, ECHOPRT)) {
		if (!ld->erasing) {
			ldisc_echo_raw(ld, '\\');
			ld->erasing = true;
		}
		ldisc_echo_char(ld, c);
		for (size_t i = 1; i < len; i++)
			ldisc_echo_raw(ld, byte_at(ld, first + i));
	} else if (kind == ERASE_CHAR && !L_FLAG(ld, ECHOE)) {
		ldisc_echo_char(ld, ld->termios.c_cc[VERASE]);
	} else if (c == '\t') {
		erase_tab_echo(ld);
	} else {
		/* a ^X echo is two columns wide */
		int times = ldisc_is_ctrl(c) ? (L_FLAG(ld, ECHOCTL) ? 2 : 0) : 1;
		while (times--) {
			ldisc_echo_raw(ld, '\b');
			ldisc_echo_raw(ld, ' ');
			ldisc_echo_raw(ld, '\b');
		}
	}
}

static void eraser(struct ldisc *ld, unsigned char c)
{
	enum erase_kind kind;
	if (line_empty(ld))
		return;
	if (is_cc(ld, c, VERASE))
		kind = ERASE_CHAR;
	else if (is_cc(ld, c, VWERASE))
		kind = ERASE_WORD;
	else
		kind = ERASE_LINE;
	if (kind == ERASE_LINE) {
		if (!L_FLAG(ld, ECHO)) {
			ld->count = ld->canon_len;
			return;
		}
		if (!L_FLAG(ld, ECHOK) || !L_FLAG(ld, ECHOKE) || !L_FLAG(ld, ECHOE)) {
			/* no visual erase: show the kill character (and a newline under ECHOK) */
			ld->count = ld->canon_len;
			finish_erasing(ld);
			ldisc_echo_char(ld, c);
			if (L_FLAG(ld, ECHOK))
				ldisc_echo_raw(ld, '\n');
			return;
		}
	}
	int seen_alnums = 0;
	while (!line_empty(ld)) {
		/* a UTF-8 sequence goes as one character, and a cut one not at all */
		size_t len = 1;
		unsigned char ch = byte_at(ld, ld->count - 1);
		while (ldisc_is_cont(ld, ch) && ld->count - len > ld->canon_len) {
			len++;
			ch = byte_at(ld, ld->count - len);
		}
		if (ldisc_is_cont(ld, ch))
			break;
		if (kind == ERASE_WORD) {
			/* BSD's ALTWERASE, as Linux: trailing punctuation, then the word */
			if (isalnum(ch) || ch == '_')
				seen_alnums++;
			else if (seen_alnums)
				break;
		}
		ld->count -= len;
		if (L_FLAG(ld, ECHO))
			erase_echo(ld, ch, ld->count, len, kind);
		if (kind == ERASE_CHAR)
			break;
	}
	if (line_empty(ld) && L_FLAG(ld, ECHO))
		finish_erasing(ld);
}

static void reprint(struct ldisc *ld, unsigned char c)
{
	finish_erasing(ld);
	ldisc_echo_char(ld, c);
	ldisc_echo_raw(ld, '\n');
	for (size_t i = ld->canon_len; i < ld->count; i++)
		ldisc_echo_char(ld, byte_at(ld, i));
}

void ldisc_flush_input(struct ldisc *ld)
{
	ld->tail = ld->count = ld->canon_len = 0;
	ld->erasing = false;
}

static void receive_signal(struct ldisc *ld, int sig, unsigned char c)
{
	ld->signals |= 1u << sig;
	if (!L_FLAG(ld, NOFLSH)) {
		/* an interrupt throws away what was typed and what was not yet shown */
		ldisc_flush_input(ld);
		ld->echo_len = 0;
		ld->want_flush_output = true;
	}
	if (I_FLAG(ld, IXON))
		ldisc_start_output(ld, false);
	if (L_FLAG(ld, ECHO))
		ldisc_echo_char(ld, c);
}

static void maybe_restart_output(struct ldisc *ld)
{
	if (ld->stopped && !ld->tco_stopped && I_FLAG(ld, IXON) && I_FLAG(ld, IXANY))
		ldisc_start_output(ld, false);
}

/* An ordinary byte: echoed and queued. */
static void receive_plain(struct ldisc *ld, unsigned char c)
{
	maybe_restart_output(ld);
	if (L_FLAG(ld, ICANON) && line_full(ld))
		return;   /* an overlong line drops bytes until it is ended */
	if (L_FLAG(ld, ECHO))
		echo_input(ld, c);
	put_byte(ld, c, 0);
}

/* The canonical-mode characters; false when c is not one of them. */
static bool receive_canon(struct ldisc *ld, unsigned char c)
{
	bool iexten = L_FLAG(ld, IEXTEN), echo = L_FLAG(ld, ECHO);
	if (is_cc(ld, c, VERASE) || is_cc(ld, c, VKILL) || (iexten && is_cc(ld, c, VWERASE))) {
		eraser(ld, c);
		return true;
	}
	if (iexten && is_cc(ld, c, VLNEXT)) {
		ld->lnext = true;
		if (echo) {
			finish_erasing(ld);
			if (L_FLAG(ld, ECHOCTL)) {   /* "^" under the cursor until the next byte */
				ldisc_echo_raw(ld, '^');
				ldisc_echo_raw(ld, '\b');
			}
		}
		return true;
	}
	if (iexten && echo && is_cc(ld, c, VREPRINT)) {
		reprint(ld, c);
		return true;
	}
	if (c == '\n') {
		if (echo || L_FLAG(ld, ECHONL))
			ldisc_echo_raw(ld, '\n');
		end_line(ld, c, 0);
		return true;
	}
	if (is_cc(ld, c, VEOF)) {   /* not echoed, not delivered */
		end_line(ld, c, LDISC_MARK_EOF);
		return true;
	}
	if (is_cc(ld, c, VEOL) || (iexten && is_cc(ld, c, VEOL2))) {
		if (echo) {
			if (line_empty(ld))
				ld->canon_column = ld->column;
			ldisc_echo_char(ld, c);
		}
		end_line(ld, c, 0);
		return true;
	}
	return false;
}

/* Whether c needs more than receive_plain: Linux's char_map for these settings. */
static bool is_special(const struct ldisc *ld, unsigned char c)
{
	if (c == 0)
		return false;
	if (c == '\r' && (I_FLAG(ld, IGNCR) || I_FLAG(ld, ICRNL)))
		return true;
	if (c == '\n' && I_FLAG(ld, INLCR))
		return true;
	if (L_FLAG(ld, ICANON)) {
		if (c == '\n' || is_cc(ld, c, VERASE) || is_cc(ld, c, VKILL) ||
		    is_cc(ld, c, VEOF) || is_cc(ld, c, VEOL))
			return true;
		if (L_FLAG(ld, IEXTEN) && (is_cc(ld, c, VWERASE) || is_cc(ld, c, VLNEXT) ||
					   is_cc(ld, c, VEOL2) ||
					   (L_FLAG(ld, ECHO) && is_cc(ld, c, VREPRINT))))
			return true;
	}
	if (I_FLAG(ld, IXON) && (is_cc(ld, c, VSTART) || is_cc(ld, c, VSTOP)))
		return true;
	if (L_FLAG(ld, ISIG) && (is_cc(ld, c, VINTR) || is_cc(ld, c, VQUIT) || is_cc(ld, c, VSUSP)))
		return true;
	return false;
}

static void receive_special(struct ldisc *ld, unsigned char c)
{
	if (I_FLAG(ld, IXON)) {
		if (is_cc(ld, c, VSTART)) {
			ldisc_start_output(ld, false);
			return;
		}
		if (is_cc(ld, c, VSTOP)) {
			ldisc_stop_output(ld, false);
			return;
		}
	}
	if (L_FLAG(ld, ISIG)) {
		int sig = is_cc(ld, c, VINTR) ? SIGINT : is_cc(ld, c, VQUIT) ? SIGQUIT :
			  is_cc(ld, c, VSUSP) ? SIGTSTP : 0;
		if (sig) {
			receive_signal(ld, sig, c);
			return;
		}
	}
	maybe_restart_output(ld);
	if (c == '\r') {
		if (I_FLAG(ld, IGNCR))
			return;
		if (I_FLAG(ld, ICRNL))
			c = '\n';
	} else if (c == '\n' && I_FLAG(ld, INLCR)) {
		c = '\r';
	}
	if (L_FLAG(ld, ICANON) && receive_canon(ld, c))
		return;
	if (L_FLAG(ld, ICANON) && line_full(ld))
		return;
	if (L_FLAG(ld, ECHO)) {
		/* a newline that came through the map is echoed as a newline, not ^J */
		if (c == '\n') {
			finish_erasing(ld);
			ldisc_echo_raw(ld, '\n');
		} else {
			echo_input(ld, c);
		}
	}
	put_byte(ld, c, 0);
}

static unsigned char map_input(const struct ldisc *ld, unsigned char c)
{
	if (I_FLAG(ld, ISTRIP))
		c &= 0x7f;
	if (I_FLAG(ld, IUCLC) && L_FLAG(ld, IEXTEN))
		c = (unsigned char)tolower(c);
	return c;
}

/* False when the byte cannot be taken now (the buffer holds unread data). */
static bool receive_one(struct ldisc *ld, unsigned char c)
{
	if (line_full(ld) && !(L_FLAG(ld, ICANON) && ld->canon_len == 0))
		return false;
	c = map_input(ld, c);
	if (ld->lnext) {
		ld->lnext = false;
		receive_plain(ld, c);
	} else if (is_special(ld, c)) {
		receive_special(ld, c);
	} else {
		receive_plain(ld, c);
	}
	return true;
}

size_t ldisc_receive(struct ldisc *ld, const unsigned char *in, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!receive_one(ld, in[i]))
			break;
	return i;
}

void ldisc_push_eof(struct ldisc *ld)
{
	if (!L_FLAG(ld, ICANON) || line_empty(ld))
		return;
	ld->mark[slot(ld, ld->count - 1)] |= LDISC_MARK_EOL;
	ld->canon_len = ld->count;
}

size_t ldisc_available(const struct ldisc *ld)
{
	return L_FLAG(ld, ICANON) ? ld->canon_len : ld->count;
}

bool ldisc_poll_readable(const struct ldisc *ld)
{
	if (L_FLAG(ld, ICANON))
		return ld->canon_len > 0;
	size_t want = 1;
	if (ld->termios.c_cc[VTIME] == 0 && ld->termios.c_cc[VMIN] > 0)
		want = ld->termios.c_cc[VMIN];
	return ld->count >= want;
}

static void consume(struct ldisc *ld)
{
	ld->tail = (ld->tail + 1) % LDISC_BUF_SIZE;
	ld->count--;
	if (ld->canon_len)
		ld->canon_len--;
}

static size_t read_canon(struct ldisc *ld, char *out, size_t len)
{
	size_t n = 0;
	while (ld->canon_len && n < len) {
		size_t i = ld->tail;
		unsigned char m = ld->mark[i];
		consume(ld);
		if (m & LDISC_MARK_EOF)
			return n;
		out[n++] = (char)ld->buf[i];
		if (m & LDISC_MARK_EOL)
			return n;
	}
	/* The reader took the line up to its VEOF: drop the mark too, or the next read
	 * would see an empty line (end of file) that was never typed. */
	if (n && ld->canon_len && (ld->mark[ld->tail] & LDISC_MARK_EOF))
		consume(ld);
	return n;
}

size_t ldisc_read(struct ldisc *ld, char *out, size_t len)
{
	if (L_FLAG(ld, ICANON))
		return read_canon(ld, out, len);
	size_t n = len < ld->count ? len : ld->count;
	for (size_t i = 0; i < n; i++) {
		out[i] = (char)ld->buf[ld->tail];
		consume(ld);
	}
	return n;
}

size_t ldisc_inq(const struct ldisc *ld)
{
	if (!L_FLAG(ld, ICANON))
		return ld->count;
	size_t n = ld->canon_len;
	for (size_t i = 0; i < ld->canon_len; i++)
		if (ld->mark[slot(ld, i)] & LDISC_MARK_EOF)
			n--;
	return n;
}

/* Leaving canonical mode: the VEOF marks go (they are not data) and every byte is
 * readable. */
static void drop_eof_marks(struct ldisc *ld)
{
	size_t w = 0;
	for (size_t r = 0; r < ld->count; r++) {
		size_t from = slot(ld, r);
		if (ld->mark[from] & LDISC_MARK_EOF)
			continue;
		size_t to = slot(ld, w++);
		ld->buf[to] = ld->buf[from];
		ld->mark[to] = 0;
	}
	ld->count = w;
}

void ldisc_set_termios(struct ldisc *ld, const struct ktermios *t)
{
	bool was_canon = L_FLAG(ld, ICANON), was_ixon = I_FLAG(ld, IXON);
	ld->termios = *t;
	bool canon = L_FLAG(ld, ICANON);
	if (was_canon != canon) {
		if (!canon) {
			drop_eof_marks(ld);
			ld->canon_len = 0;
		} else if (ld->count) {
			/* bytes typed in raw mode are pushed to the reader as one line */
			for (size_t i = 0; i < ld->count; i++)
				ld->mark[slot(ld, i)] = 0;
			ld->mark[slot(ld, ld->count - 1)] = LDISC_MARK_EOL;
			ld->canon_len = ld->count;
		}
		ld->erasing = false;
		ld->lnext = false;
	}
	if (was_ixon && !I_FLAG(ld, IXON))
		ldisc_start_output(ld, false);
}

uint32_t ldisc_take_signals(struct ldisc *ld)
{
	uint32_t s = ld->signals;
	ld->signals = 0;
	return s;
}
