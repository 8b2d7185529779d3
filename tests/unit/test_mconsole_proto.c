/* Unit tests for the MConsole wire protocol (lib/mconsole_proto.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mconsole_proto.h"

static size_t make_request(unsigned char *buf, uint32_t magic, uint32_t version, uint32_t len,
			   const char *data, size_t data_len)
{
	memcpy(buf, &magic, 4);
	memcpy(buf + 4, &version, 4);
	memcpy(buf + 8, &len, 4);
	memcpy(buf + 12, data, data_len);
	return 12 + data_len;
}

static void test_request_validation(void **state)
{
	(void)state;
	unsigned char buf[600];
	char cmd[MCONSOLE_MAX_DATA];
	size_t n = make_request(buf, MCONSOLE_MAGIC, 2, 7, "version", 7);
	assert_int_equal(mconsole_parse_request(buf, n, cmd), MCONSOLE_REQ_OK);
	assert_string_equal(cmd, "version");
	/* the whole 524-byte struct, as uml_mconsole sends it */
	struct mconsole_request r;
	n = mconsole_request_build(&r, "proc meminfo");
	assert_int_equal(n, 524);
	assert_int_equal(mconsole_parse_request(&r, n, cmd), MCONSOLE_REQ_OK);
	assert_string_equal(cmd, "proc meminfo");
	/* wrong magic: an unversioned client */
	n = make_request(buf, 0x12345678, 2, 7, "version", 7);
	assert_int_equal(mconsole_parse_request(buf, n, cmd), MCONSOLE_REQ_VERSION0);
	assert_int_equal(mconsole_parse_request(buf, 0, cmd), MCONSOLE_REQ_VERSION0);
	assert_int_equal(mconsole_parse_request("ver", 3, cmd), MCONSOLE_REQ_VERSION0);
	/* the magic but no whole header */
	assert_int_equal(mconsole_parse_request(buf, 8, cmd) == MCONSOLE_REQ_VERSION0, 1);
	n = make_request(buf, MCONSOLE_MAGIC, 2, 7, "", 0);
	assert_int_equal(mconsole_parse_request(buf, 8, cmd), MCONSOLE_REQ_SHORT);
	/* len too large, whatever follows */
	n = make_request(buf, MCONSOLE_MAGIC, 2, 512, "x", 1);
	assert_int_equal(mconsole_parse_request(buf, n, cmd), MCONSOLE_REQ_TOO_LARGE);
	n = make_request(buf, MCONSOLE_MAGIC, 2, 0xffffffffU, "x", 1);
	assert_int_equal(mconsole_parse_request(buf, n, cmd), MCONSOLE_REQ_TOO_LARGE);
	/* another version: still parsed, the caller complains and runs it */
	n = make_request(buf, MCONSOLE_MAGIC, 1, 4, "help", 4);
	assert_int_equal(mconsole_parse_request(buf, n, cmd), MCONSOLE_REQ_WRONG_VERSION);
	assert_string_equal(cmd, "help");
}

static void test_request_text_bounds(void **state)
{
	(void)state;
	unsigned char buf[600];
	char cmd[MCONSOLE_MAX_DATA];
	/* len says 100 but the datagram ends after 7 bytes: nothing past it is read */
	size_t n = make_request(buf, MCONSOLE_MAGIC, 2, 100, "version", 7);
	assert_int_equal(mconsole_parse_request(buf, n, cmd), MCONSOLE_REQ_OK);
	assert_string_equal(cmd, "version");
	/* not NUL-terminated, len shorter than the data: cut at len */
	n = make_request(buf, MCONSOLE_MAGIC, 2, 4, "helpXXXX", 8);
	assert_int_equal(mconsole_parse_request(buf, n, cmd), MCONSOLE_REQ_OK);
	assert_string_equal(cmd, "help");
	/* the longest command: 511 characters */
	char big[512];
	memset(big, 'a', 511);
	big[511] = '\0';
	n = make_request(buf, MCONSOLE_MAGIC, 2, 511, big, 511);
	assert_int_equal(mconsole_parse_request(buf, n, cmd), MCONSOLE_REQ_OK);
	assert_int_equal(strlen(cmd), 511);
	/* an embedded NUL ends the text */
	n = make_request(buf, MCONSOLE_MAGIC, 2, 9, "log a\0bcd", 9);
	assert_int_equal(mconsole_parse_request(buf, n, cmd), MCONSOLE_REQ_OK);
	assert_string_equal(cmd, "log a");
	struct mconsole_request r;
	assert_int_equal(mconsole_request_build(&r, big), 524);
	char toolong[513];
	memset(toolong, 'b', 512);
	toolong[512] = '\0';
	assert_int_equal(mconsole_request_build(&r, toolong), 0);
}

static void test_command_matching(void **state)
{
	(void)state;
	const char *names[] = { "version", "halt", "go", "log" };
	assert_int_equal(mconsole_match_command("version", names, 4), 0);
	assert_int_equal(mconsole_match_command("versionfoo", names, 4), 0);
	assert_int_equal(mconsole_match_command("VERSION", names, 4), -1);
	assert_int_equal(mconsole_match_command("", names, 4), -1);
	assert_int_equal(mconsole_match_command("gox", names, 4), 2);
	assert_int_equal(mconsole_match_command("log hello", names, 4), 3);
}

/* The help text came as 524 bytes (len 512, more 1) and then the rest, from UML. */
static void test_reply_chunks(void **state)
{
	(void)state;
	char text[723];
	memset(text, 'h', sizeof(text));
	struct mconsole_reply_cursor c;
	struct mconsole_reply r;
	mconsole_reply_begin(&c, text, sizeof(text), 1, false);
	assert_int_equal(mconsole_reply_next(&c, &r), 524);
	assert_int_equal(r.err, 1);
	assert_int_equal(r.more, 1);
	assert_int_equal(r.len, 512);
	assert_int_equal(r.data[511], '\0');
	assert_int_equal(mconsole_reply_next(&c, &r), 12 + 213);
	assert_int_equal(r.err, 0);   /* err only in the first datagram */
	assert_int_equal(r.more, 0);
	assert_int_equal(r.len, 213);
	assert_int_equal(mconsole_reply_next(&c, &r), 0);
	/* an empty reply is one datagram holding just the NUL; more passes through */
	mconsole_reply_begin(&c, "", 0, 0, true);
	assert_int_equal(mconsole_reply_next(&c, &r), 13);
	assert_int_equal(r.len, 1);
	assert_int_equal(r.more, 1);
	assert_int_equal(mconsole_reply_next(&c, &r), 0);
	/* exactly one chunk's worth: one datagram */
	mconsole_reply_begin(&c, text, 511, 0, false);
	assert_int_equal(mconsole_reply_next(&c, &r), 524);
	assert_int_equal(r.more, 0);
	assert_int_equal(mconsole_reply_next(&c, &r), 0);
}

static void test_reply_parse(void **state)
{
	(void)state;
	struct mconsole_reply r = { .err = -2, .more = 1, .len = 6 };
	memcpy(r.data, "hello", 6);
	int32_t err;
	bool more;
	const char *text;
	size_t len;
	assert_int_equal(mconsole_reply_parse(&r, 18, &err, &more, &text, &len), 0);
	assert_int_equal(err, -2);
	assert_true(more);
	assert_int_equal(len, 5);
	assert_memory_equal(text, "hello", 5);
	assert_int_equal(mconsole_reply_parse(&r, 11, &err, &more, &text, &len), -1);
	/* no NUL in what arrived: the text ends with the datagram */
	memcpy(r.data, "abc", 3);
	assert_int_equal(mconsole_reply_parse(&r, 15, &err, &more, &text, &len), 0);
	assert_int_equal(len, 3);
}

static void test_notifications(void **state)
{
	(void)state;
	struct mconsole_notify m;
	uint32_t type;
	const char *data;
	size_t len;
	size_t n = mconsole_notify_build(&m, MCONSOLE_SOCKET, "/tmp/x/mconsole", 16);
	assert_int_equal(n, 32);
	assert_int_equal(mconsole_notify_parse(&m, n, &type, &data, &len), 0);
	assert_int_equal(type, MCONSOLE_SOCKET);
	assert_int_equal(len, 16);
	assert_string_equal(data, "/tmp/x/mconsole");
	/* user data is cut at 512 bytes */
	char big[600];
	memset(big, 'u', sizeof(big));
	assert_int_equal(mconsole_notify_build(&m, MCONSOLE_USER_NOTIFY, big, sizeof(big)), 16 + 512);
	/* Debian's amd64 uml_watchdog: 8-byte magic, version, type, len, padding */
	const unsigned char hang24[24] = { 0xbe, 0xba, 0xfe, 0xca, 0, 0, 0, 0, 2, 0, 0, 0,
					   2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	assert_int_equal(mconsole_notify_parse(hang24, sizeof(hang24), &type, &data, &len), 0);
	assert_int_equal(type, MCONSOLE_HANG);
	assert_int_equal(len, 0);
	n = mconsole_notify_build(&m, MCONSOLE_HANG, NULL, 0);
	assert_int_equal(n, 16);
	assert_int_equal(mconsole_notify_parse(&m, n, &type, &data, &len), 0);
	assert_int_equal(type, MCONSOLE_HANG);
	/* a len larger than what came is cut to what came */
	n = mconsole_notify_build(&m, MCONSOLE_PANIC, "boom", 5);
	assert_int_equal(mconsole_notify_parse(&m, n - 2, &type, &data, &len), 0);
	assert_int_equal(len, 3);
	assert_int_equal(mconsole_notify_parse(&m, 15, &type, &data, &len), -1);
	assert_string_equal(mconsole_notify_name(MCONSOLE_USER_NOTIFY), "user notification");
	assert_null(mconsole_notify_name(7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_validation),
		cmocka_unit_test(test_request_text_bounds),
		cmocka_unit_test(test_command_matching),
		cmocka_unit_test(test_reply_chunks),
		cmocka_unit_test(test_reply_parse),
		cmocka_unit_test(test_notifications),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
