/* Shared between the line discipline's input side (ldisc.c) and output side (ldisc_out.c). */
#ifndef UMLINUX_LDISC_INT_H
#define UMLINUX_LDISC_INT_H
#include "drivers/tty/ldisc.h"

#define L_FLAG(ld, f) (((ld)->termios.c_lflag & (f)) != 0)
#define I_FLAG(ld, f) (((ld)->termios.c_iflag & (f)) != 0)
#define O_FLAG(ld, f) (((ld)->termios.c_oflag & (f)) != 0)

/* ASCII control characters; bytes >= 0x80 are never echoed as ^X, so UTF-8 input is
 * echoed as typed. */
static inline bool ldisc_is_ctrl(unsigned char c) { return c < 0x20 || c == 0x7f; }

/* A UTF-8 continuation byte under IUTF8: erasing takes the whole character. */
static inline bool ldisc_is_cont(const struct ldisc *ld, unsigned char c)
{
	return I_FLAG(ld, IUTF8) && (c & 0xc0) == 0x80;
}

/* Echo one byte through output processing. */
void ldisc_echo_raw(struct ldisc *ld, unsigned char c);
/* Echo one input byte: control characters as ^X under ECHOCTL (TAB excepted). */
void ldisc_echo_char(struct ldisc *ld, unsigned char c);
/* Move the cursor back one column without output processing (tab erase). */
void ldisc_echo_backspace(struct ldisc *ld);
#endif
