/*
 * The interactive prompt's line editor. On a terminal: left/right, home/end (also ^A ^E
 * ^B ^F), backspace and delete, ^K ^U ^W to cut, ^L to redraw, up/down through history,
 * ^D on an empty line for end of input. The terminal is in raw mode only while a line
 * is being read, and ^C still interrupts the program as it would under readline.
 */
#include "lineedit.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define HISTORY_MAX 200

struct line {
	char *buf;
	size_t len, pos, size;
};

static char *history[HISTORY_MAX];
static int history_len;

void lineedit_history_add(const char *line)
{
	if (!*line || (history_len && strcmp(history[history_len - 1], line) == 0))
		return;
	if (history_len == HISTORY_MAX) {
		free(history[0]);
		memmove(history, history + 1, sizeof(history[0]) * (HISTORY_MAX - 1));
		history_len--;
	}
	history[history_len++] = strdup(line);
}

static void out(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(STDOUT_FILENO, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void outs(const char *s) { out(s, strlen(s)); }

static void redraw(const char *prompt, const struct line *l)
{
	char move[32];
	outs("\r");
	outs(prompt);
	out(l->buf, l->len);
	outs("\x1b[K");
	if (l->len > l->pos) {
		snprintf(move, sizeof(move), "\x1b[%zuD", l->len - l->pos);
		outs(move);
	}
}

static void ensure(struct line *l, size_t need)
{
	if (need < l->size)
		return;
	while (l->size <= need)
		l->size = l->size ? l->size * 2 : 128;
	l->buf = realloc(l->buf, l->size);
	if (!l->buf)
		exit(1);
}

static void insert(struct line *l, char c)
{
	ensure(l, l->len + 1);
	memmove(l->buf + l->pos + 1, l->buf + l->pos, l->len - l->pos);
	l->buf[l->pos++] = c;
	l->len++;
}

static void cut(struct line *l, size_t from, size_t to)
{
	memmove(l->buf + from, l->buf + to, l->len - to);
	l->len -= to - from;
	l->pos = from;
}

static void set_text(struct line *l, const char *s)
{
	size_t n = strlen(s);
	ensure(l, n);
	memcpy(l->buf, s, n);
	l->len = l->pos = n;
}

static int read_key(void)
{
	unsigned char c;
	ssize_t n = read(STDIN_FILENO, &c, 1);
	return n == 1 ? c : -1;
}

/* After ESC: the arrow, home, end and delete sequences terminals send. */
static int read_escape(void)
{
	int a = read_key(), b;
	if (a != '[' && a != 'O')
		return 0;
	b = read_key();
	if (b >= '0' && b <= '9') {
		int t = read_key();
		if (t != '~')
			return 0;
		return b == '3' ? 'D' + 256 : (b == '1' || b == '7') ? 'H' : (b == '4' || b == '8') ? 'F' : 0;
	}
	return b;
}

/* Up (-1) or down (+1) through history; index history_len is the line being typed. */
static void browse(struct line *l, int *index, int dir, char **draft)
{
	int next = *index + dir;
	if (next < 0 || next > history_len)
		return;
	if (*index == history_len) {
		free(*draft);
		ensure(l, l->len);
		*draft = strndup(l->buf, l->len);
	}
	*index = next;
	set_text(l, next == history_len ? (*draft ? *draft : "") : history[next]);
}

/* Returns 1 for Enter, -1 for end of input, 0 to go on. */
static int edit_key(int c, struct line *l, int *hist, char **draft)
{
	switch (c) {
	case '\r': case '\n': return 1;
	case 4:  /* ^D */
		if (l->len == 0)
			return -1;
		if (l->pos < l->len)
			cut(l, l->pos, l->pos + 1);
		return 0;
	case 127: case 8:
		if (l->pos > 0)
			cut(l, l->pos - 1, l->pos);
		return 0;
	case 1:  l->pos = 0; return 0;            /* ^A */
	case 5:  l->pos = l->len; return 0;       /* ^E */
	case 2:  if (l->pos) l->pos--; return 0;  /* ^B */
	case 6:  if (l->pos < l->len) l->pos++; return 0;  /* ^F */
	case 11: l->len = l->pos; return 0;       /* ^K */
	case 21: cut(l, 0, l->pos); return 0;     /* ^U */
	case 23: {                                /* ^W: the word before the cursor */
		size_t p = l->pos;
		while (p > 0 && l->buf[p - 1] == ' ')
			p--;
		while (p > 0 && l->buf[p - 1] != ' ')
			p--;
		cut(l, p, l->pos);
		return 0;
	}
	case 16: browse(l, hist, -1, draft); return 0;  /* ^P */
	case 14: browse(l, hist, +1, draft); return 0;  /* ^N */
	case 12: outs("\x1b[H\x1b[2J"); return 0;       /* ^L */
	case 27:
		switch (read_escape()) {
		case 'A': browse(l, hist, -1, draft); break;
		case 'B': browse(l, hist, +1, draft); break;
		case 'C': if (l->pos < l->len) l->pos++; break;
		case 'D': if (l->pos) l->pos--; break;
		case 'H': l->pos = 0; break;
		case 'F': l->pos = l->len; break;
		case 'D' + 256: if (l->pos < l->len) cut(l, l->pos, l->pos + 1); break;
		}
		return 0;
	default:
		if (c >= 32 && c != 127)
			insert(l, (char)c);
		return 0;
	}
}

static char *read_terminal(const char *prompt)
{
	struct termios saved, raw;
	struct line l = { 0 };
	char *draft = NULL;
	int hist = history_len, r = 0;
	tcgetattr(STDIN_FILENO, &saved);
	raw = saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | IEXTEN);
	raw.c_iflag &= ~(tcflag_t)(ICRNL | IXON);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
	ensure(&l, 0);
	redraw(prompt, &l);
	while (r == 0) {
		int c = read_key();
		r = c < 0 ? -1 : edit_key(c, &l, &hist, &draft);
		if (r == 0)
			redraw(prompt, &l);
	}
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	free(draft);
	if (r < 0) {
		free(l.buf);
		return NULL;
	}
	outs("\n");
	l.buf[l.len] = '\0';
	return l.buf;
}

static char *read_plain(const char *prompt)
{
	char *line = NULL;
	size_t size = 0;
	fputs(prompt, stdout);
	fflush(stdout);
	ssize_t n = getline(&line, &size, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	if (n > 0 && line[n - 1] == '\n')
		line[n - 1] = '\0';
	return line;
}

char *lineedit_read(const char *prompt)
{
	fflush(stdout);
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return read_terminal(prompt);
	return read_plain(prompt);
}
