/*
 * libFuzzer harness for the MConsole datagram parsers (lib/mconsole_proto.c): whatever
 * arrives on the request socket, and what clients and listeners receive. The command
 * text must always come out NUL-terminated within its buffer, and replies cut from it
 * must stay within one datagram each.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mconsole_proto.h"

static const char *const commands[] = {
	"version", "halt", "reboot", "config", "remove", "sysrq", "help", "cad", "stop", "go",
	"log", "proc", "stack",
};

static void check_reply_round_trip(const char *text, size_t len)
{
	struct mconsole_reply_cursor c;
	struct mconsole_reply r;
	size_t n, total = 0;
	mconsole_reply_begin(&c, text, len, 1, false);
	while ((n = mconsole_reply_next(&c, &r)) != 0) {
		int32_t err;
		bool more;
		const char *chunk;
		size_t chunk_len;
		if (n > sizeof(r) || r.len > MCONSOLE_MAX_DATA ||
		    mconsole_reply_parse(&r, n, &err, &more, &chunk, &chunk_len) < 0)
			abort();
		total += r.len - 1;
	}
	if (total != len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char cmd[MCONSOLE_MAX_DATA];
	memset(cmd, 0x55, sizeof(cmd));
	enum mconsole_req_status st = mconsole_parse_request(data, size, cmd);
	if (st == MCONSOLE_REQ_OK || st == MCONSOLE_REQ_WRONG_VERSION) {
		size_t len = strnlen(cmd, sizeof(cmd));
		if (len == sizeof(cmd))
			abort();   /* not terminated */
		mconsole_match_command(cmd, commands, sizeof(commands) / sizeof(commands[0]));
		check_reply_round_trip(cmd, len);
	}
	check_reply_round_trip((const char *)data, size);
	int32_t err;
	bool more;
	const char *text;
	size_t len;
	if (mconsole_reply_parse(data, size, &err, &more, &text, &len) == 0 &&
	    (text < (const char *)data || text + len > (const char *)data + size))
		abort();
	uint32_t type;
	if (mconsole_notify_parse(data, size, &type, &text, &len) == 0 &&
	    (text < (const char *)data || text + len > (const char *)data + size))
		abort();
	return 0;
}
