/* The MConsole wire protocol: packing and checking datagrams (see mconsole_proto.h). */
#include "mconsole_proto.h"

#include <string.h>

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

enum mconsole_req_status mconsole_parse_request(const void *buf, size_t n,
						char cmd[MCONSOLE_MAX_DATA])
{
	const unsigned char *p = buf;
	/* UML treats anything without the magic as an old, unversioned client. */
	if (n < 4 || get32(p) != MCONSOLE_MAGIC)
		return MCONSOLE_REQ_VERSION0;
	if (n < MCONSOLE_HDR_LEN)
		return MCONSOLE_REQ_SHORT;
	uint32_t version = get32(p + 4), len = get32(p + 8);
	if (len >= MCONSOLE_MAX_DATA)
		return MCONSOLE_REQ_TOO_LARGE;
	/* UML accepts datagrams shorter than the struct (12 + len bytes); what a short one
	 * lacks is simply not there, so the text ends where the datagram does. */
	size_t have = n - MCONSOLE_HDR_LEN;
	if (have > len)
		have = len;
	memcpy(cmd, p + MCONSOLE_HDR_LEN, have);
	cmd[have] = '\0';
	return version == MCONSOLE_VERSION ? MCONSOLE_REQ_OK : MCONSOLE_REQ_WRONG_VERSION;
}

int mconsole_match_command(const char *cmd, const char *const *names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strncmp(cmd, names[i], strlen(names[i])) == 0)
			return (int)i;
	return -1;
}

void mconsole_reply_begin(struct mconsole_reply_cursor *c, const char *text, size_t len,
			  int err, bool more)
{
	*c = (struct mconsole_reply_cursor){ .text = text, .left = len, .err = err, .more = more };
}

size_t mconsole_reply_next(struct mconsole_reply_cursor *c, struct mconsole_reply *r)
{
	if (c->started && c->left == 0)
		return 0;
	size_t n = c->left < MCONSOLE_CHUNK ? c->left : MCONSOLE_CHUNK;
	r->err = c->started ? 0 : c->err;
	if (n)
		memcpy(r->data, c->text, n);
	r->data[n] = '\0';
	r->len = (uint32_t)n + 1;
	c->text += n;
	c->left -= n;
	c->started = true;
	r->more = c->left ? 1 : c->more;
	return MCONSOLE_HDR_LEN + r->len;
}

int mconsole_reply_parse(const void *buf, size_t n, int32_t *err, bool *more,
			 const char **text, size_t *text_len)
{
	const unsigned char *p = buf;
	if (n < MCONSOLE_HDR_LEN)
		return -1;
	*err = (int32_t)get32(p);
	*more = get32(p + 4) != 0;
	*text = (const char *)p + MCONSOLE_HDR_LEN;
	const char *nul = memchr(*text, '\0', n - MCONSOLE_HDR_LEN);
	*text_len = nul ? (size_t)(nul - *text) : n - MCONSOLE_HDR_LEN;
	return 0;
}

size_t mconsole_request_build(struct mconsole_request *r, const char *cmd)
{
	size_t len = strlen(cmd);
	if (len >= MCONSOLE_MAX_DATA)
		return 0;
	memset(r, 0, sizeof(*r));
	r->magic = MCONSOLE_MAGIC;
	r->version = MCONSOLE_VERSION;
	r->len = (uint32_t)len;
	memcpy(r->data, cmd, len);
	return sizeof(*r);
}

size_t mconsole_notify_build(struct mconsole_notify *m, enum mconsole_notify_type type,
			     const void *data, size_t len)
{
	if (len > MCONSOLE_MAX_DATA)
		len = MCONSOLE_MAX_DATA;
	m->magic = MCONSOLE_MAGIC;
	m->version = MCONSOLE_VERSION;
	m->type = (uint32_t)type;
	m->len = (uint32_t)len;
	if (len)
		memcpy(m->data, data, len);
	return MCONSOLE_NOTIFY_HDR_LEN + len;
}

int mconsole_notify_parse(const void *buf, size_t n, uint32_t *type, const char **data,
			  size_t *len)
{
	const unsigned char *p = buf;
	size_t hdr = MCONSOLE_NOTIFY_HDR_LEN;
	if (n < hdr || get32(p) != MCONSOLE_MAGIC)
		return -1;
	uint32_t version = get32(p + 4);
	/* uml_watchdog on amd64 declares the magic as an unsigned long: 8 bytes, then
	 * version, type and len, padded to 24 bytes. */
	if (version == 0 && n >= 24 && get32(p + 8) == MCONSOLE_VERSION) {
		*type = get32(p + 12);
		*len = get32(p + 16);
		hdr = 24;
	} else if (version == MCONSOLE_VERSION) {
		*type = get32(p + 8);
		*len = get32(p + 12);
	} else {
		return -1;
	}
	if (*len > n - hdr)
		*len = n - hdr;
	*data = (const char *)p + hdr;
	return 0;
}

const char *mconsole_notify_name(uint32_t type)
{
	static const char *const names[] = {
		[MCONSOLE_SOCKET] = "socket",
		[MCONSOLE_PANIC] = "panic",
		[MCONSOLE_HANG] = "hang",
		[MCONSOLE_USER_NOTIFY] = "user notification",
	};
	return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}
