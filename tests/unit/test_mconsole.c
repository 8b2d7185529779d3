/*
 * Unit tests for the MConsole driver (src/mconsole/): requests go to its real socket in
 * a temporary umid directory and replies come back to a bound client socket; the test
 * runs the server's receive path and worker by hand instead of the event loop. A dummy
 * device, built only here, exercises the config/remove registry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "fs/proc/proc.h"
#include "kernel/loop.h"
#include "kernel/printk.h"
#include "mconsole/internal.h"
#include "mconsole_client.h"

static struct umid_dir umid;
static int client = -1;

struct answer {
	int32_t err;
	int datagrams;
	bool first_more;
	size_t first_size;
	char text[65536];
};

static void send_raw(const void *buf, size_t n)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	strcpy(sa.sun_path, mconsole_socket_path);
	assert_true(sendto(client, buf, n, 0, (struct sockaddr *)&sa, sizeof(sa)) == (ssize_t)n);
}

static void send_cmd(const char *cmd)
{
	struct mconsole_request r;
	size_t n = mconsole_request_build(&r, cmd);
	assert_true(n > 0);
	send_raw(&r, n);
}

static bool pending_reply(void)
{
	char b;
	return recv(client, &b, 1, MSG_PEEK | MSG_DONTWAIT) >= 0;
}

/* Collects one reply (datagrams up to the one with more = 0). */
static void read_answer(struct answer *a)
{
	bool more = true;
	memset(a, 0, sizeof(*a));
	while (more) {
		struct mconsole_reply r;
		ssize_t n = recv(client, &r, sizeof(r), MSG_DONTWAIT);
		assert_true(n >= 12);
		int32_t err;
		const char *text;
		size_t len;
		assert_int_equal(mconsole_reply_parse(&r, (size_t)n, &err, &more, &text, &len), 0);
		if (a->datagrams++ == 0) {
			a->err = err;
			a->first_more = more;
			a->first_size = (size_t)n;
		} else {
			assert_int_equal(err, 0);
		}
		assert_true(strlen(a->text) + len < sizeof(a->text));
		strncat(a->text, text, len);
	}
}

static void ask(const char *cmd, struct answer *a)
{
	send_cmd(cmd);
	mconsole_receive();
	while (mconsole_worker_run_one())
		;
	read_answer(a);
}

static int setup(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/mconsole-test-XXXXXX";
	if (!mkdtemp(tmpl) || loop_init() < 0)
		return -1;
	snprintf(umid.path, sizeof(umid.path), "%s", tmpl);
	snprintf(umid.umid, sizeof(umid.umid), "test");
	console_quiet = true;
	if (mconsole_init(&umid, NULL) < 0)
		return -1;
	client = mconsole_client_socket();
	return client < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	umid_remove(&umid);
	return 0;
}

static void test_socket_owner_only(void **state)
{
	(void)state;
	struct stat st;
	assert_int_equal(stat(mconsole_socket_path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 077, 0);
}

static void test_version_and_help(void **state)
{
	(void)state;
	struct answer a;
	ask("version", &a);
	assert_int_equal(a.err, 0);
	assert_true(strncmp(a.text, "Linux ", 6) == 0);
	assert_non_null(strstr(a.text, " x86_64"));
	ask("versionfoo", &a);   /* matched by prefix, as UML does */
	assert_true(strncmp(a.text, "Linux ", 6) == 0);
	ask("help", &a);
	assert_int_equal(a.err, 0);
	assert_string_equal(a.text, mconsole_help_text);
	assert_int_equal(a.datagrams, 2);
	assert_int_equal(a.first_size, 524);
	assert_true(a.first_more);
	assert_non_null(strstr(a.text, "    config <dev>=<config> - Add a new device to UML;  \n"
				       "\tsame syntax as command line \n"));
}

static void test_unknown_commands(void **state)
{
	(void)state;
	struct answer a;
	ask("VERSION", &a);
	assert_int_equal(a.err, 1);
	assert_string_equal(a.text, "Unknown command");
	ask("", &a);
	assert_string_equal(a.text, "Unknown command");
}

static void test_bad_requests(void **state)
{
	(void)state;
	struct answer a;
	/* no magic: a raw 63-byte answer, no header, no NUL */
	send_raw("version", 7);
	mconsole_receive();
	char raw[128];
	ssize_t n = recv(client, raw, sizeof(raw), MSG_DONTWAIT);
	assert_int_equal(n, 63);
	assert_memory_equal(raw, MCONSOLE_ERR_VERSION0, 63);
	/* too large */
	struct mconsole_request r;
	mconsole_request_build(&r, "version");
	r.len = 600;
	send_raw(&r, sizeof(r));
	mconsole_receive();
	read_answer(&a);
	assert_int_equal(a.err, 1);
	assert_string_equal(a.text, "Request too large");
	/* the wrong version: complained about, then run all the same */
	mconsole_request_build(&r, "version");
	r.version = 1;
	send_raw(&r, sizeof(r));
	mconsole_receive();
	read_answer(&a);
	assert_string_equal(a.text, "This driver only supports version 2 clients");
	read_answer(&a);
	assert_true(strncmp(a.text, "Linux ", 6) == 0);
	/* a header cut short: dropped */
	send_raw(&r, 10);
	mconsole_receive();
	assert_false(pending_reply());
	/* len beyond the datagram, no NUL: the text ends with the datagram */
	mconsole_request_build(&r, "version");
	r.len = 200;
	send_raw(&r, 12 + 7);
	mconsole_receive();
	read_answer(&a);
	assert_true(strncmp(a.text, "Linux ", 6) == 0);
	/* larger than any request: read as its first 524 bytes */
	char huge[4096];
	memset(huge, 'x', sizeof(huge));
	mconsole_request_build(&r, "version");
	memcpy(huge, &r, sizeof(r));
	send_raw(huge, sizeof(huge));
	mconsole_receive();
	read_answer(&a);
	assert_true(strncmp(a.text, "Linux ", 6) == 0);
}

static void test_log(void **state)
{
	(void)state;
	struct answer a;
	ask("log hello from the host", &a);
	assert_int_equal(a.err, 0);
	assert_string_equal(a.text, "");
	static char buf[1 << 17];
	size_t n = printk_read_all(buf, sizeof(buf) - 1);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "hello from the host\n"));
}

static void test_proc(void **state)
{
	(void)state;
	struct answer a;
	ask("proc version", &a);
	assert_int_equal(a.err, 0);
	assert_true(strncmp(a.text, "\nLinux version ", 15) == 0);
	ask("proc", &a);
	assert_int_equal(a.err, 1);
	assert_string_equal(a.text, "Read of file failed");
	ask("proc no-such-file", &a);
	assert_int_equal(a.err, 1);
	assert_string_equal(a.text, "Failed to open file");
}

static void test_stack_errors(void **state)
{
	(void)state;
	struct answer a;
	ask("stack", &a);
	assert_string_equal(a.text, "Please specify a pid");
	ask("stack x", &a);
	assert_string_equal(a.text, "Please specify a pid");
	ask("stack 0", &a);
	assert_string_equal(a.text, "Couldn't find that pid");
	ask("stack 4242", &a);
	assert_int_equal(a.err, 1);
	assert_string_equal(a.text, "Couldn't find that pid");
}

static void test_sysrq(void **state)
{
	(void)state;
	struct answer a;
	int saved_level = console_loglevel;
	ask("sysrq", &a);
	assert_int_equal(a.err, 0);
	assert_true(strncmp(a.text, "sysrq: HELP : loglevel(0-9) reboot(b) crash(c) ", 47) == 0);
	ask("sysrq s", &a);
	assert_string_equal(a.text, "sysrq: Emergency Sync\nEmergency Sync complete\n");
	ask("sysrq 5", &a);
	assert_string_equal(a.text, "sysrq: Changing Loglevel\nLoglevel set to 5\n");
	assert_int_equal(console_loglevel, 5);
	console_loglevel = saved_level;
	ask("sysrq m", &a);
	assert_true(strncmp(a.text, "sysrq: Show Memory\nMem-Info:\n", 29) == 0);
	/* /proc/sys/kernel/sysrq: 0 turns it off (not a word), a mask picks groups */
	sysctl_sysrq = 0;
	ask("sysrq m", &a);
	assert_int_equal(a.err, 0);
	assert_string_equal(a.text, "");
	sysctl_sysrq = 0x10;   /* sync only */
	ask("sysrq m", &a);
	assert_string_equal(a.text, "sysrq: This sysrq operation is disabled.\n");
	ask("sysrq s", &a);
	assert_string_equal(a.text, "sysrq: Emergency Sync\nEmergency Sync complete\n");
	sysctl_sysrq = 1;
}

static void test_stop_go(void **state)
{
	(void)state;
	struct answer a;
	ask("go", &a);
	assert_int_equal(a.err, 1);
	assert_string_equal(a.text, "Not stopped");
	ask("stop", &a);
	assert_int_equal(a.err, 0);
	assert_string_equal(a.text, "stopped");
	assert_true(mconsole_machine_stopped());
	ask("stop", &a);
	assert_int_equal(a.err, 1);
	assert_string_equal(a.text, "Already stopped");
	ask("version", &a);   /* still served */
	assert_true(strncmp(a.text, "Linux ", 6) == 0);
	ask("go", &a);
	assert_int_equal(a.err, 0);
	assert_string_equal(a.text, "");
	assert_false(mconsole_machine_stopped());
}

/* ---- the registry, with a device that exists only in this test ---------------------- */

#define DUMMY_UNITS 4
static char dummy_conf[DUMMY_UNITS][600];
static bool dummy_open[DUMMY_UNITS];

static int dummy_config(const char *spec, const char **error)
{
	const char *s = spec;
	int start, end, n = mconsole_parse_unit(&s, DUMMY_UNITS - 1, &start, &end);
	if (n < 0 || n > end || *s != '=') {
		*error = "dummy: bad unit";
		return 1;
	}
	snprintf(dummy_conf[n], sizeof(dummy_conf[n]), "%s", s + 1);
	return 0;
}

static int dummy_get_config(const char *unit, char *buf, size_t size, const char **error)
{
	const char *s = unit;
	int start, end, n = mconsole_parse_unit(&s, DUMMY_UNITS - 1, &start, &end);
	if (n < 0 || n > end) {
		*error = "dummy_get_config : device number out of range";
		return -1;
	}
	return snprintf(buf, size, "%s", dummy_conf[n]);
}

static int dummy_id(const char **str, int *start, int *end)
{
	return mconsole_parse_unit(str, DUMMY_UNITS - 1, start, end);
}

static int dummy_remove(int unit, const char **error)
{
	(void)error;
	if (!dummy_conf[unit][0])
		return -ENODEV;
	if (dummy_open[unit])
		return -EBUSY;
	dummy_conf[unit][0] = '\0';
	return 0;
}

static struct mconsole_device dummy = {
	.name = "dummy", .config = dummy_config, .get_config = dummy_get_config,
	.id = dummy_id, .remove = dummy_remove,
};

static void test_config_remove_without_devices(void **state)
{
	(void)state;
	struct answer a;
	ask("config", &a);
	assert_int_equal(a.err, 1);
	assert_string_equal(a.text, "Bad configuration option");
	ask("config ubd0=x", &a);
	assert_string_equal(a.text, "Bad configuration option");
	ask("remove eth0", &a);
	assert_string_equal(a.text, "Bad remove option");
}

static void test_device_registry(void **state)
{
	(void)state;
	struct answer a;
	mconsole_register_device(&dummy);
	ask("config dummy1=hello,world", &a);
	assert_int_equal(a.err, 0);
	assert_string_equal(a.text, "");
	ask("config dummy1", &a);
	assert_int_equal(a.err, 0);
	assert_string_equal(a.text, "hello,world");
	ask("config dummy9", &a);
	assert_int_equal(a.err, 1);
	assert_string_equal(a.text, "dummy_get_config : device number out of range");
	ask("config dummyx=1", &a);
	assert_int_equal(a.err, 1);
	assert_string_equal(a.text, "dummy: bad unit");
	/* a configuration longer than the first buffer */
	char big[400], cmd[420];
	memset(big, 'c', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(cmd, sizeof(cmd), "config dummy2=%s", big);
	ask(cmd, &a);
	ask("config dummy2", &a);
	assert_string_equal(a.text, big);
	/* remove: parse errors, range, missing, busy, done */
	ask("remove dummy", &a);
	assert_string_equal(a.text, "Couldn't parse device number");
	ask("remove dummy7", &a);
	assert_string_equal(a.text, "Invalid device number - must be between 0 and 3");
	ask("remove dummy0", &a);
	assert_int_equal(a.err, -ENODEV);
	assert_string_equal(a.text, "Device doesn't exist");
	dummy_open[1] = true;
	ask("remove dummy1", &a);
	assert_int_equal(a.err, -EBUSY);
	assert_string_equal(a.text, "Device is currently open");
	dummy_open[1] = false;
	ask("remove dummy1", &a);
	assert_int_equal(a.err, 0);
	assert_string_equal(a.text, "");
	mconsole_unregister_device(&dummy);
	ask("config dummy1", &a);
	assert_string_equal(a.text, "Bad configuration option");
}

/* config runs in the worker: a version sent after it is answered first. */
static void test_worker_order(void **state)
{
	(void)state;
	struct answer a;
	mconsole_register_device(&dummy);
	send_cmd("config dummy3=slow");
	send_cmd("version");
	mconsole_receive();
	read_answer(&a);
	assert_true(strncmp(a.text, "Linux ", 6) == 0);
	assert_false(pending_reply());
	assert_true(mconsole_worker_run_one());
	read_answer(&a);
	assert_int_equal(a.err, 0);
	assert_string_equal(a.text, "");
	assert_false(mconsole_worker_run_one());
	mconsole_unregister_device(&dummy);
}

/* Replies to a client that does not read wait in a queue; nothing blocks, nothing is
 * lost while the client catches up. */
static void test_slow_reader(void **state)
{
	(void)state;
	struct answer a;
	for (int i = 0; i < 40; i++) {
		send_cmd("help");
		mconsole_receive();
	}
	for (int i = 0; i < 40; i++) {
		mconsole_outq_flush(100);
		read_answer(&a);
		assert_string_equal(a.text, mconsole_help_text);
	}
	assert_false(pending_reply());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_socket_owner_only),
		cmocka_unit_test(test_version_and_help),
		cmocka_unit_test(test_unknown_commands),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_log),
		cmocka_unit_test(test_proc),
		cmocka_unit_test(test_stack_errors),
		cmocka_unit_test(test_sysrq),
		cmocka_unit_test(test_stop_go),
		cmocka_unit_test(test_config_remove_without_devices),
		cmocka_unit_test(test_device_registry),
		cmocka_unit_test(test_worker_order),
		cmocka_unit_test(test_slow_reader),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
