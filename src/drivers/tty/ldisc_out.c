/*
 * The line discipline's output side: OPOST processing shared by guest writes and echo,
 * the column bookkeeping that erasing relies on, flow control and speed codes.
 */
#include <ctype.h>
#include <string.h>
#include "drivers/tty/ldisc_int.h"

/* Processes one byte the way Linux's do_output_char does; o receives at most 8 bytes
 * (a tab expanded under XTABS). Returns the output length (0: ONOCR swallowed a CR).
 * The columns are updated through the pointers so callers can try before committing. */
static size_t opost_char(const struct ktermios *t, unsigned *col, unsigned *ccol,
			 unsigned char c, char *o)
{
	tcflag_t of = t->c_oflag;
	switch (c) {
	case '\n':
		if (of & ONLRET)
			*col = 0;
		if (of & ONLCR) {
			*col = *ccol = 0;
			o[0] = '\r';
			o[1] = '\n';
			return 2;
		}
		*ccol = *col;
		break;
	case '\r':
		if ((of & ONOCR) && *col == 0)
			return 0;
		if (of & OCRNL) {
			c = '\n';
			if (of & ONLRET)
				*col = *ccol = 0;
			break;
		}
		*col = *ccol = 0;
		break;
	case '\t': {
		unsigned spaces = 8 - (*col & 7);
		*col += spaces;
		if ((of & TABDLY) == XTABS) {
			memset(o, ' ', spaces);
			return spaces;
		}
		break;
	}
	case '\b':
		if (*col > 0)
			(*col)--;
		break;
	default:
		if (!ldisc_is_ctrl(c)) {
			if (of & OLCUC)
				c = (unsigned char)toupper(c);
			if (!((t->c_iflag & IUTF8) && (c & 0xc0) == 0x80))
				(*col)++;
		}
		break;
	}
	o[0] = (char)c;
	return 1;
}

size_t ldisc_process_output(struct ldisc *ld, const char *in, size_t n, char *out,
			    size_t cap, size_t *produced)
{
	size_t done = 0, len = 0;
	if (!O_FLAG(ld, OPOST)) {
		done = n < cap ? n : cap;
		memcpy(out, in, done);
		*produced = done;
		return done;
	}
	for (; done < n; done++) {
		char tmp[8];
		unsigned col = ld->column, ccol = ld->canon_column;
		size_t k = opost_char(&ld->termios, &col, &ccol, (unsigned char)in[done], tmp);
		if (k > cap - len)
			break;
		memcpy(out + len, tmp, k);
		len += k;
		ld->column = col;
		ld->canon_column = ccol;
	}
	*produced = len;
	return done;
}

/* Echo that does not fit is dropped: Linux's echo ring overwrites old echoes the same
 * way when nobody drains it. */
static void echo_put(struct ldisc *ld, const char *s, size_t n)
{
	if (n > LDISC_ECHO_SIZE - ld->echo_len)
		return;
	memcpy(ld->echo + ld->echo_len, s, n);
	ld->echo_len += n;
}

void ldisc_echo_raw(struct ldisc *ld, unsigned char c)
{
	if (!O_FLAG(ld, OPOST)) {
		echo_put(ld, (const char *)&c, 1);
		return;
	}
	char tmp[8];
	unsigned col = ld->column, ccol = ld->canon_column;
	size_t k = opost_char(&ld->termios, &col, &ccol, c, tmp);
	if (k > LDISC_ECHO_SIZE - ld->echo_len)
		return;
	echo_put(ld, tmp, k);
	ld->column = col;
	ld->canon_column = ccol;
}

void ldisc_echo_char(struct ldisc *ld, unsigned char c)
{
	if (L_FLAG(ld, ECHOCTL) && ldisc_is_ctrl(c) && c != '\t') {
		char two[2] = { '^', (char)(c ^ 0x40) };
		echo_put(ld, two, 2);
		ld->column += 2;
		return;
	}
	ldisc_echo_raw(ld, c);
}

void ldisc_echo_backspace(struct ldisc *ld)
{
	echo_put(ld, "\b", 1);
	if (ld->column > 0)
		ld->column--;
}

size_t ldisc_take_echo(struct ldisc *ld, char *out, size_t cap)
{
	size_t n = ld->echo_len < cap ? ld->echo_len : cap;
	memcpy(out, ld->echo, n);
	memmove(ld->echo, ld->echo + n, ld->echo_len - n);
	ld->echo_len -= n;
	return n;
}

bool ldisc_output_stopped(const struct ldisc *ld) { return ld->stopped; }

void ldisc_stop_output(struct ldisc *ld, bool by_tcxonc)
{
	if (by_tcxonc)
		ld->tco_stopped = true;
	ld->stopped = true;
}

/* VSTART cannot undo a TCOOFF; TCOON undoes only a TCOOFF (as Linux's start_tty). */
void ldisc_start_output(struct ldisc *ld, bool by_tcxonc)
{
	if (by_tcxonc) {
		if (!ld->tco_stopped)
			return;
		ld->tco_stopped = false;
	} else if (ld->tco_stopped) {
		return;
	}
	if (ld->stopped) {
		ld->stopped = false;
		ld->output_started = true;
	}
}

static const struct { tcflag_t code; speed_t bps; } baud_table[] = {
	{ B0, 0 }, { B50, 50 }, { B75, 75 }, { B110, 110 }, { B134, 134 }, { B150, 150 },
	{ B200, 200 }, { B300, 300 }, { B600, 600 }, { B1200, 1200 }, { B1800, 1800 },
	{ B2400, 2400 }, { B4800, 4800 }, { B9600, 9600 }, { B19200, 19200 },
	{ B38400, 38400 }, { B57600, 57600 }, { B115200, 115200 }, { B230400, 230400 },
	{ B460800, 460800 }, { B500000, 500000 }, { B576000, 576000 }, { B921600, 921600 },
	{ B1000000, 1000000 }, { B1152000, 1152000 }, { B1500000, 1500000 },
	{ B2000000, 2000000 }, { B2500000, 2500000 }, { B3000000, 3000000 },
	{ B3500000, 3500000 }, { B4000000, 4000000 },
};

speed_t ldisc_baud_to_speed(tcflag_t cbaud)
{
	for (size_t i = 0; i < sizeof(baud_table) / sizeof(baud_table[0]); i++)
		if (baud_table[i].code == (cbaud & CBAUD))
			return baud_table[i].bps;
	return 0;
}
