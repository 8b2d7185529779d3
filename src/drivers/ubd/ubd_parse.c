/* Parsing ubd switches, with UML's rules and messages (the unit as a number or letter,
 * flags in any order, the first ',' or else ':' separating the COW file from its
 * backing file, an optional serial number as a third field). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/ubd/ubd.h"

#define UBD_MAX_FLAGS 7   /* UML reads at most sizeof("rscdt=") characters for them */

int ubd_parse_unit(const char **s, int *unit, const char **why)
{
	const char *p = *s;
	long n;
	if (isdigit((unsigned char)*p)) {
		char *end;
		n = strtol(p, &end, 10);
		p = end;
	} else if (*p >= 'a' && *p <= 'z') {
		n = *p++ - 'a';
	} else {
		*why = "Couldn't parse device number";
		return -1;
	}
	if (n < 0 || n >= UBD_MAX_DEV) {
		*why = "Device number out of range";
		return -1;
	}
	*unit = (int)n;
	*s = p;
	return 0;
}

static int parse_flags(const char **s, struct ubd_config *c, const char **why)
{
	const char *p = *s;
	for (int i = 0; i < UBD_MAX_FLAGS; i++, p++) {
		switch (*p) {
		case 'r': c->read_only = true; break;
		case 's': c->sync = true; break;
		case 'd': c->no_cow = true; break;
		case 'c': c->shared = true; break;
		case 't': c->no_trim = true; break;
		case '=': *s = p + 1; return 0;
		default: *why = "Expected '=' or flag letter (r, s, c, t or d)"; return -1;
		}
	}
	*why = *p == '=' ? "Too many flags specified" : "Missing '='";
	return -1;
}

static int copy_field(char *dst, size_t size, const char *src, size_t len, const char **why)
{
	if (len >= size) {
		*why = "File name too long";
		return -1;
	}
	memcpy(dst, src, len);
	dst[len] = 0;
	return 0;
}

/* <file>[(,|:)<backing>][,<serial>] */
static int parse_files(const char *p, struct ubd_config *c, const char **why)
{
	const char *sep = strchr(p, ',');
	if (!sep)
		sep = strchr(p, ':');
	if (!sep)
		return copy_field(c->file, sizeof(c->file), p, strlen(p), why);
	if (copy_field(c->file, sizeof(c->file), p, (size_t)(sep - p), why))
		return -1;
	const char *back = sep + 1, *serial = strchr(back, ',');
	size_t blen = serial ? (size_t)(serial - back) : strlen(back);
	if (copy_field(c->backing, sizeof(c->backing), back, blen, why))
		return -1;
	if (serial && copy_field(c->serial, sizeof(c->serial), serial + 1, strlen(serial + 1), why))
		return -1;
	if (c->no_cow && c->backing[0]) {
		*why = "Can't specify both 'd' and a cow file";
		return -1;
	}
	return 0;
}

int ubd_parse_switch(const char *s, struct ubd_config *c, int *fake_major, const char **why)
{
	memset(c, 0, sizeof(*c));
	*why = NULL;
	if (*s == '=') {
		if (strcmp(s + 1, "sync") == 0)
			return UBD_SWITCH_SYNC_ALL;
		char *end;
		long major = strtol(s + 1, &end, 10);
		if (end == s + 1 || *end || major <= 0 || major > 511) {
			*why = "Couldn't parse major number";
			return -1;
		}
		*fake_major = (int)major;
		return UBD_SWITCH_FAKE_MAJOR;
	}
	if (ubd_parse_unit(&s, &c->unit, why) || parse_flags(&s, c, why) || parse_files(s, c, why))
		return -1;
	return UBD_SWITCH_DEVICE;
}
