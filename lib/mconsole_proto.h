/*
 * The MConsole wire protocol, shared by the kernel's driver (src/mconsole/) and the host
 * tools (uml_mconsole, uml_notify, uml_watchdog). Datagrams on AF_UNIX SOCK_DGRAM sockets,
 * fields in host byte order, as UML defines them (see docs/mconsole.md): a request is a
 * 12-byte header and up to 512 bytes of command text; a reply is a 12-byte header and one
 * chunk of at most 511 characters plus its NUL; a notification is a 16-byte header and
 * up to 512 bytes of data.
 */
#ifndef UMLINUX_LIB_MCONSOLE_PROTO_H
#define UMLINUX_LIB_MCONSOLE_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MCONSOLE_MAGIC     0xcafebabeU
#define MCONSOLE_VERSION   2
#define MCONSOLE_MAX_DATA  512
#define MCONSOLE_HDR_LEN   12   /* request: magic, version, len; reply: err, more, len */
#define MCONSOLE_NOTIFY_HDR_LEN 16
/* A reply chunk carries at most this many characters (its len counts one more, the NUL). */
#define MCONSOLE_CHUNK     (MCONSOLE_MAX_DATA - 1)

struct mconsole_request {
	uint32_t magic;
	uint32_t version;
	uint32_t len;                 /* strlen(data), < MCONSOLE_MAX_DATA */
	char data[MCONSOLE_MAX_DATA];
};

struct mconsole_reply {
	int32_t err;                  /* 0: OK; otherwise ERR (1, or a negative errno) */
	uint32_t more;                /* 1: more datagrams follow for this request */
	uint32_t len;                 /* chunk length including its NUL */
	char data[MCONSOLE_MAX_DATA];
};

enum mconsole_notify_type {
	MCONSOLE_SOCKET = 0,          /* data: the request socket's path, with its NUL */
	MCONSOLE_PANIC = 1,           /* data: the panic message, with its NUL */
	MCONSOLE_HANG = 2,            /* no data; sent by uml_watchdog */
	MCONSOLE_USER_NOTIFY = 3,     /* data: what was written to /proc/mconsole, no NUL */
};

struct mconsole_notify {
	uint32_t magic;
	uint32_t version;
	uint32_t type;
	uint32_t len;
	char data[MCONSOLE_MAX_DATA];
};

/* ---- requests (kernel side) ---------------------------------------------------------- */

enum mconsole_req_status {
	MCONSOLE_REQ_OK,            /* run the command */
	MCONSOLE_REQ_WRONG_VERSION, /* send MCONSOLE_ERR_VERSION, then still run it (as UML does) */
	MCONSOLE_REQ_VERSION0,      /* no magic: answer with the raw MCONSOLE_ERR_VERSION0, drop */
	MCONSOLE_REQ_TOO_LARGE,     /* len >= 512: answer MCONSOLE_ERR_TOO_LARGE, drop */
	MCONSOLE_REQ_SHORT,         /* the magic but not a whole header: drop */
};

/* The exact texts UML answers with. VERSION0 goes out as a bare datagram (no header, no
 * NUL) because a version-0 client reads replies that way. */
#define MCONSOLE_ERR_VERSION0  "ERR Version 0 mconsole clients are not supported by this driver"
#define MCONSOLE_ERR_TOO_LARGE "Request too large"
#define MCONSOLE_ERR_VERSION   "This driver only supports version 2 clients"
#define MCONSOLE_ERR_UNKNOWN   "Unknown command"

/* Validates the n bytes of a received request datagram. For OK and WRONG_VERSION, cmd
 * receives the command text, always NUL-terminated: the header's len bytes, cut short by
 * the end of the datagram (never anything past it) and by the first NUL. */
enum mconsole_req_status mconsole_parse_request(const void *buf, size_t n,
						char cmd[MCONSOLE_MAX_DATA]);

/* The first of names[0..count-1] that cmd starts with (UML matches by prefix, in table
 * order, case-sensitively), or -1. */
int mconsole_match_command(const char *cmd, const char *const *names, size_t count);

/* ---- replies ----------------------------------------------------------------------- */

/* Reply text is cut into datagrams of at most MCONSOLE_CHUNK characters. A cursor walks
 * one reply: err goes only into the first datagram; every datagram but the last has
 * more = 1, the last carries the caller's more. */
struct mconsole_reply_cursor {
	const char *text;
	size_t left;
	int32_t err;
	bool more;
	bool started;
};
void mconsole_reply_begin(struct mconsole_reply_cursor *c, const char *text, size_t len,
			  int err, bool more);
/* Fills r with the next datagram and returns its size (12 + r->len), or 0 when the reply
 * has been sent whole. An empty text still makes one datagram (len 1, just the NUL). */
size_t mconsole_reply_next(struct mconsole_reply_cursor *c, struct mconsole_reply *r);

/* Client side: checks a received reply datagram. On success, *text points at its chunk
 * (in buf) and *text_len is the chunk's length up to its first NUL (uml_mconsole trusts
 * the NUL rather than len, so do we). Returns 0, or -1 when the datagram is too short to
 * be a reply. */
int mconsole_reply_parse(const void *buf, size_t n, int32_t *err, bool *more,
			 const char **text, size_t *text_len);

/* Client side: builds a version-2 request for cmd. Returns the datagram size (always the
 * whole 524-byte struct, as uml_mconsole sends), or 0 if cmd has 512 or more characters. */
size_t mconsole_request_build(struct mconsole_request *r, const char *cmd);

/* ---- notifications ----------------------------------------------------------------- */

/* Builds a notification; data beyond MCONSOLE_MAX_DATA is cut off. Returns its size. */
size_t mconsole_notify_build(struct mconsole_notify *m, enum mconsole_notify_type type,
			     const void *data, size_t len);

/* Reads a received notification: the 16-byte header, or the 24-byte header Debian's
 * amd64 uml_watchdog sends (its magic is an 8-byte word). Returns 0 with *type, *data
 * (in buf) and *len set, or -1 for anything else. */
int mconsole_notify_parse(const void *buf, size_t n, uint32_t *type, const char **data,
			  size_t *len);

/* "socket", "panic", "hang", "user notification" (the names UML::MConsole uses), or
 * NULL for an unknown type. */
const char *mconsole_notify_name(uint32_t type);

#endif
