/*
 * Channel spec parsing, as UML's chan_kern.c reads con<n>= and ssl<n>= values: the
 * type is found by prefix in a fixed order, and "<in>,<out>" gives each direction its
 * own channel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/chan/chan.h"

static const struct { const char *key; enum chan_type type; } chan_types[] = {
	{ "fd", CHAN_FD }, { "null", CHAN_NULL }, { "port", CHAN_PORT }, { "pty", CHAN_PTY },
	{ "pts", CHAN_PTS }, { "tty", CHAN_TTY }, { "xterm", CHAN_XTERM },
};

const char *chan_type_name(enum chan_type type)
{
	for (size_t i = 0; i < sizeof(chan_types) / sizeof(chan_types[0]); i++)
		if (chan_types[i].type == type)
			return chan_types[i].key;
	return "none";
}

/* A decimal number filling all of s. */
static bool parse_number(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < 0 || v > 0x7fffffff)
		return false;
	*out = (int)v;
	return true;
}

/* One direction's channel, s being n bytes long (no ','). */
static int parse_one(const char *line, const char *s, size_t n, struct chan_desc *d,
		     char *err, size_t errlen)
{
	char buf[256];
	if (n >= sizeof(buf)) {
		snprintf(err, errlen, "umlinux: %s: channel '%.40s...' is too long", line, s);
		return -EINVAL;
	}
	memcpy(buf, s, n);
	buf[n] = 0;
	memset(d, 0, sizeof(*d));
	if (!strcmp(buf, "none")) {
		d->type = CHAN_NONE;
		return 0;
	}
	size_t i, nt = sizeof(chan_types) / sizeof(chan_types[0]);
	for (i = 0; i < nt; i++)
		if (!strncmp(buf, chan_types[i].key, strlen(chan_types[i].key)))
			break;
	if (i == nt) {
		snprintf(err, errlen, "umlinux: %s: unknown channel type in '%s' "
			 "(the types are fd:N, null, port:N, pty, pts, tty:<device>, xterm)", line, buf);
		return -EINVAL;
	}
	d->type = chan_types[i].type;
	const char *rest = buf + strlen(chan_types[i].key);
	switch (d->type) {
	case CHAN_FD:
		if (*rest != ':') {
			snprintf(err, errlen, "umlinux: %s: channel type 'fd' must specify a file "
				 "descriptor, as in fd:0", line);
			return -EINVAL;
		}
		if (!parse_number(rest + 1, &d->fd)) {
			snprintf(err, errlen, "umlinux: %s: couldn't parse file descriptor '%s'",
				 line, rest + 1);
			return -EINVAL;
		}
		return 0;
	case CHAN_NULL:
		return 0;
	case CHAN_PORT:
		if (*rest != ':') {
			snprintf(err, errlen, "umlinux: %s: channel type 'port' must specify a port "
				 "number, as in port:9000", line);
			return -EINVAL;
		}
		if (!parse_number(rest + 1, &d->port) || d->port > 65535) {
			snprintf(err, errlen, "umlinux: %s: couldn't parse port '%s'", line, rest + 1);
			return -EINVAL;
		}
		break;
	case CHAN_TTY:
		if (*rest != ':' || !rest[1]) {
			snprintf(err, errlen, "umlinux: %s: channel type 'tty' must specify a host "
				 "device, as in tty:/dev/tty5", line);
			return -EINVAL;
		}
		break;
	default:
		break;
	}
	snprintf(err, errlen, "umlinux: %s: channel type '%s' is not supported yet; "
		 "use fd:N or null", line, chan_types[i].key);
	return -EOPNOTSUPP;
}

int chan_parse(const char *line, const char *spec, struct chan_spec *out, char *err,
	       size_t errlen)
{
	if (!spec || !*spec) {
		snprintf(err, errlen, "umlinux: %s: empty channel", line);
		return -EINVAL;
	}
	const char *comma = strchr(spec, ',');
	if (!comma) {
		int rc = parse_one(line, spec, strlen(spec), &out->in, err, errlen);
		out->out = out->in;
		return rc;
	}
	int rc = parse_one(line, spec, (size_t)(comma - spec), &out->in, err, errlen);
	if (rc == 0)
		rc = parse_one(line, comma + 1, strlen(comma + 1), &out->out, err, errlen);
	if (rc == 0 && (out->in.type == CHAN_NONE) != (out->out.type == CHAN_NONE)) {
		snprintf(err, errlen, "umlinux: %s: 'none' cannot be one half of '%s'", line, spec);
		return -EINVAL;
	}
	return rc;
}
