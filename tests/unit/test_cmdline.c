/* Unit tests for the kernel command line (src/kernel/cmdline.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/cmdline.h"
#include "kernel/version.h"

/* One parse: the options plus what was written to out and err. */
struct run {
	struct boot_options opts;
	enum cmdline_result res;
	char *out, *err;
	size_t out_len, err_len;
	char *argv[200];
};

static struct run *run_new(void)
{
	return calloc(1, sizeof(struct run));
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	free(r);
}

static enum cmdline_result run_argv(struct run *r, int argc)
{
	FILE *out = open_memstream(&r->out, &r->out_len);
	FILE *err = open_memstream(&r->err, &r->err_len);

	assert_non_null(out);
	assert_non_null(err);
	r->res = cmdline_parse(argc, r->argv, &r->opts, out, err);
	fclose(out);
	fclose(err);
	return r->res;
}

/* Parses "umlinux" followed by the NULL-terminated words; returns a run to free. */
static struct run *parse(const char *first, ...)
{
	struct run *r = run_new();
	va_list ap;
	int argc = 0;

	r->argv[argc++] = (char *)"umlinux";
	va_start(ap, first);
	for (const char *w = first; w; w = va_arg(ap, const char *))
		r->argv[argc++] = (char *)w;
	va_end(ap);
	run_argv(r, argc);
	return r;
}

/* Expects the parse to fail with exactly this error text and nothing on out. */
static void expect_error(const char *word, const char *message)
{
	struct run *r = parse(word, NULL);

	assert_int_equal(r->res, CMDLINE_ERROR);
	assert_string_equal(r->err, message);
	assert_int_equal(r->out_len, 0);
	run_free(r);
}

static void test_defaults(void **state)
{
	struct run *r = parse(NULL);
	const struct boot_options *o = &r->opts;

	(void)state;
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_int_equal(o->mem_bytes, 64ULL << 20);
	assert_null(o->umid);
	assert_null(o->uml_dir);
	assert_string_equal(o->root, "/dev/root");
	assert_string_equal(o->rootfstype, "hostfs");
	assert_string_equal(o->rootflags, "/");
	assert_null(o->hostfs_prefix);
	assert_false(o->hostfs_append);
	assert_false(o->read_only);
	assert_null(o->init);
	for (int i = 0; i < CMDLINE_MAX_CONS; i++)
		assert_null(o->con[i]);
	assert_null(o->con_default);
	assert_false(o->quiet);
	assert_false(o->noreboot);
	assert_null(o->mconsole_notify);
	assert_int_equal(o->loglevel, -1);
	assert_int_equal(o->init_argc, 0);
	assert_int_equal(o->init_envc, 0);
	assert_int_equal(o->driver_argc, 0);
	assert_string_equal(o->cmdline, "");
	assert_int_equal(r->err_len, 0);
	assert_int_equal(r->out_len, 0);
	run_free(r);
}

static void test_parse_size_good(void **state)
{
	static const struct { const char *s; uint64_t v; } good[] = {
		{ "128M", 128ULL << 20 }, { "128m", 128ULL << 20 }, { "1k", 1024 },
		{ "1K", 1024 }, { "2G", 2ULL << 30 }, { "2g", 2ULL << 30 },
		{ "4096", 4096 }, { "1", 1 },
		{ "18446744073709551615", UINT64_MAX },
		{ "17179869183G", 17179869183ULL << 30 },
	};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = 0;
		assert_true(cmdline_parse_size(good[i].s, &v));
		assert_int_equal(v, good[i].v);
	}
}

static void test_parse_size_junk(void **state)
{
	static const char *const bad[] = {
		"", "0", "0M", "M", "12MB", "12T", "-1", "+1", " 12", "12 ", "1.5M", "0x10",
		"18446744073709551616", "17179869184G", "99999999999999999999999",
	};
	uint64_t v = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(cmdline_parse_size(bad[i], &v));
		assert_int_equal(v, 42);
	}
}

static void test_mem(void **state)
{
	struct run *r = parse("mem=1G", NULL);

	(void)state;
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_int_equal(r->opts.mem_bytes, 1ULL << 30);
	run_free(r);

	/* Like Linux, a repeated switch: the last one wins. */
	r = parse("mem=1M", "mem=256m", NULL);
	assert_int_equal(r->opts.mem_bytes, 256ULL << 20);
	run_free(r);

	expect_error("mem=12X", "umlinux: mem=12X: expected a size like 128M\n");
	expect_error("mem=", "umlinux: mem=: expected a size like 128M\n");
	expect_error("mem=0", "umlinux: mem=0: expected a size like 128M\n");
}

static void test_error_stops_parsing(void **state)
{
	struct run *r = parse("mem=junk", "quiet", "mem=1x", NULL);

	(void)state;
	assert_int_equal(r->res, CMDLINE_ERROR);
	assert_string_equal(r->err, "umlinux: mem=junk: expected a size like 128M\n");
	run_free(r);
}

static void test_umid(void **state)
{
	char word[100] = "umid=";
	struct run *r = parse("umid=debian", NULL);

	(void)state;
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_string_equal(r->opts.umid, "debian");
	run_free(r);

	memset(word + 5, 'a', 63);
	r = parse(word, NULL);
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_int_equal(strlen(r->opts.umid), 63);
	run_free(r);

	word[5 + 63] = 'a';
	r = parse(word, NULL);
	assert_int_equal(r->res, CMDLINE_ERROR);
	assert_non_null(strstr(r->err, "umlinux: umid=aaa"));
	assert_non_null(strstr(r->err, "too long (at most 63 characters)"));
	run_free(r);

	expect_error("umid=", "umlinux: umid=: expected a name\n");
	expect_error("umid=a/b", "umlinux: umid=a/b: must not contain '/'\n");
}

static void test_uml_dir(void **state)
{
	char *long_word;
	struct run *r = parse("uml_dir=/tmp/uml", NULL);

	(void)state;
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_string_equal(r->opts.uml_dir, "/tmp/uml/");
	assert_string_equal(r->argv[1], "uml_dir=/tmp/uml");
	run_free(r);

	r = parse("uml_dir=/tmp/uml/", NULL);
	assert_string_equal(r->opts.uml_dir, "/tmp/uml/");
	run_free(r);

	expect_error("uml_dir=", "uml_dir can't be an empty string\n");

	long_word = malloc(PATH_MAX + 20);
	strcpy(long_word, "uml_dir=");
	memset(long_word + 8, 'd', PATH_MAX);
	long_word[8 + PATH_MAX] = '\0';
	r = parse(long_word, NULL);
	assert_int_equal(r->res, CMDLINE_ERROR);
	assert_non_null(strstr(r->err, "path too long"));
	assert_int_equal(strncmp(r->err, "umlinux: uml_dir=ddd", 20), 0);
	run_free(r);
	free(long_word);
}

static void test_root_switches(void **state)
{
	struct run *r = parse("root=/dev/ubda", "rootfstype=ext2", "rootflags=ro,errors=panic",
			      NULL);

	(void)state;
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_string_equal(r->opts.root, "/dev/ubda");
	assert_string_equal(r->opts.rootfstype, "ext2");
	assert_string_equal(r->opts.rootflags, "ro,errors=panic");
	assert_int_equal(r->opts.init_envc, 0);
	run_free(r);
}

static void test_rw_ro(void **state)
{
	struct run *r = parse("ro", NULL);

	(void)state;
	assert_true(r->opts.read_only);
	run_free(r);
	r = parse("ro", "rw", NULL);
	assert_false(r->opts.read_only);
	assert_int_equal(r->opts.init_argc, 0);
	run_free(r);
}

static void test_hostfs(void **state)
{
	struct run *r = parse("hostfs=/srv/guest", NULL);

	(void)state;
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_string_equal(r->opts.hostfs_prefix, "/srv/guest");
	assert_false(r->opts.hostfs_append);
	assert_int_equal(r->opts.driver_argc, 0);
	run_free(r);

	r = parse("hostfs=/srv/guest,append", NULL);
	assert_string_equal(r->opts.hostfs_prefix, "/srv/guest");
	assert_true(r->opts.hostfs_append);
	/* The prefix is cut at the comma without editing argv (a reboot re-execs with it). */
	assert_string_equal(r->argv[1], "hostfs=/srv/guest,append");
	run_free(r);

	r = parse("hostfs=,append", NULL);
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_null(r->opts.hostfs_prefix);
	assert_true(r->opts.hostfs_append);
	run_free(r);

	r = parse("hostfs=/a,append", "hostfs=/b", NULL);
	assert_string_equal(r->opts.hostfs_prefix, "/b");
	assert_false(r->opts.hostfs_append);
	run_free(r);

	expect_error("hostfs=/srv,appendx",
		     "umlinux: hostfs=/srv,appendx: unsupported option 'appendx' "
		     "(the only one is 'append')\n");
	expect_error("hostfs=/srv,append,sync",
		     "umlinux: hostfs=/srv,append,sync: unsupported option 'sync' "
		     "(the only one is 'append')\n");
}

static void test_init(void **state)
{
	struct run *r = parse("init=/bin/sh", NULL);

	(void)state;
	assert_string_equal(r->opts.init, "/bin/sh");
	assert_int_equal(r->opts.init_envc, 0);
	run_free(r);
	expect_error("init=", "umlinux: init=: expected the path of a program\n");
}

static void test_consoles(void **state)
{
	struct run *r = parse("con0=fd:0,fd:1", "con=null", "con15=pts", "con1=port:9000",
			      NULL);
	const struct boot_options *o = &r->opts;

	(void)state;
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_string_equal(o->con[0], "fd:0,fd:1");
	assert_string_equal(o->con[1], "port:9000");
	assert_string_equal(o->con[15], "pts");
	assert_null(o->con[2]);
	assert_string_equal(o->con_default, "null");
	/* con= is only a default: it does not override con0= given before it. */
	assert_string_equal(cmdline_con_channel(o, 0), "fd:0,fd:1");
	assert_string_equal(cmdline_con_channel(o, 2), "null");
	assert_null(cmdline_con_channel(o, 16));
	assert_null(cmdline_con_channel(o, -1));
	assert_int_equal(o->init_envc + o->init_argc + o->driver_argc, 0);
	run_free(r);

	r = parse("con=pts", NULL);
	assert_string_equal(cmdline_con_channel(&r->opts, 0), "pts");
	run_free(r);

	r = parse(NULL);
	assert_string_equal(cmdline_con_channel(&r->opts, 0), CMDLINE_CON0_DEFAULT);
	assert_string_equal(cmdline_con_channel(&r->opts, 0), "fd:0,fd:1");
	assert_string_equal(cmdline_con_channel(&r->opts, 5), CMDLINE_CON_DEFAULT);
	run_free(r);

	expect_error("con16=null", "umlinux: con16=null: console number must be 0..15\n");
	expect_error("con99999999999999999999=null",
		     "umlinux: con99999999999999999999=null: console number must be 0..15\n");
	expect_error("con1x=null", "umlinux: con1x=null: expected con<n>=<channel>\n");
	expect_error("con1", "umlinux: con1: expected con<n>=<channel>\n");
}

static void test_console_is_not_con(void **state)
{
	struct run *r = parse("console=tty0", "conx=1", NULL);

	(void)state;
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_null(r->opts.con_default);
	assert_int_equal(r->opts.init_envc, 1);
	assert_string_equal(r->opts.init_env[0], "conx=1");
	run_free(r);
}

static void test_quiet_noreboot(void **state)
{
	struct run *r = parse("quiet", "noreboot", NULL);

	(void)state;
	assert_true(r->opts.quiet);
	assert_true(r->opts.noreboot);
	assert_int_equal(r->opts.init_argc, 0);
	run_free(r);
}

static void test_mconsole(void **state)
{
	struct run *r = parse("mconsole=notify:/tmp/notify.sock", NULL);

	(void)state;
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_string_equal(r->opts.mconsole_notify, "/tmp/notify.sock");
	run_free(r);

	expect_error("mconsole=foo", "mconsole_setup : Unknown option - 'foo'\n");
	expect_error("mconsole=", "mconsole_setup : Unknown option - ''\n");
	expect_error("mconsole=notify:",
		     "umlinux: mconsole=notify:: expected a socket path after notify:\n");
}

static void test_help(void **state)
{
	static const char *const listed[] = {
		"--help", "--version", "mem=<size>", "umid=<name>", "uml_dir=<directory>",
		"root=<dev>", "rootfstype=", "rootflags=", "\n    rw ", "\n    ro ",
		"init=<program>", "con=<channel>", "con<n>=<channel>", "ssl[<n>]=",
		"ssl-non-raw", "ubd<n>", "eth<n>=", "vec<n>:", "xterm=", "iomem=",
		"hostfs=<root dir>[,append]", "mconsole=notify:<socket>", "\n    quiet ",
		"\n    noreboot ", "\n    debug ", "nosysemu", "fake_ide", "console=",
		"rootwait", "panic=", "loglevel=", "-- <args>",
	};
	struct run *r = parse("mem=1M", "--help", "mem=junk", NULL);
	int lines = 0;

	(void)state;
	assert_int_equal(r->res, CMDLINE_EXIT_OK);
	assert_int_equal(r->err_len, 0);
	assert_int_equal(strncmp(r->out, "umlinux v" UMLINUX_VERSION "\n",
				 strlen("umlinux v" UMLINUX_VERSION "\n")), 0);
	assert_int_equal(strncmp(r->out, "umlinux v6.1.0-umlinux\n", 23), 0);
	for (size_t i = 0; i < sizeof(listed) / sizeof(listed[0]); i++) {
		if (!strstr(r->out, listed[i]))
			fail_msg("--help does not mention %s", listed[i]);
	}
	/* One switch a line, each with a description after the usage column. */
	for (const char *p = r->out; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	assert_true(lines >= (int)(sizeof(listed) / sizeof(listed[0])));
	for (const char *p = strchr(r->out, '\n') + 1; *p; p = strchr(p, '\n') + 1) {
		const char *eol = strchr(p, '\n');

		assert_int_equal(strncmp(p, "    ", 4), 0);
		assert_true(eol - p > 44);
	}
	run_free(r);
}

static void test_version(void **state)
{
	struct run *r = parse("--version", NULL);

	(void)state;
	assert_int_equal(r->res, CMDLINE_EXIT_OK);
	assert_string_equal(r->out, "6.1.0-umlinux\n");
	assert_string_equal(r->out, UMLINUX_VERSION "\n");
	assert_int_equal(r->err_len, 0);
	run_free(r);
}

static void test_unknown_option(void **state)
{
	(void)state;
	expect_error("--showconfig", "umlinux: unknown option '--showconfig'; see --help\n");
	expect_error("-x", "umlinux: unknown option '-x'; see --help\n");
	expect_error("-", "umlinux: unknown option '-'; see --help\n");
}

static void test_driver_args(void **state)
{
	struct run *r = parse("ubd0=root_fs", "ubdbr=cow,backing", "ubd=sync",
			      "eth0=tuntap,,,192.168.0.254", "ssl=pty", "ssl1=pts",
			      "ssl-non-raw", "vec0:transport=tap,ifname=tap0",
			      "xterm=gnome-terminal,-t,-x", "iomem=pci,/tmp/io",
			      "ethtool", "vecx", "sslx=1", NULL);
	const struct boot_options *o = &r->opts;
	static const char *const kept[] = {
		"ubd0=root_fs", "ubdbr=cow,backing", "ubd=sync", "eth0=tuntap,,,192.168.0.254",
		"ssl=pty", "ssl1=pts", "ssl-non-raw", "vec0:transport=tap,ifname=tap0",
		"xterm=gnome-terminal,-t,-x", "iomem=pci,/tmp/io",
	};

	(void)state;
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_int_equal(o->driver_argc, 10);
	for (int i = 0; i < 10; i++)
		assert_string_equal(o->driver_args[i], kept[i]);
	assert_null(o->driver_args[10]);
	/* Words that merely start like a driver family are not driver switches. */
	assert_int_equal(o->init_argc, 2);
	assert_string_equal(o->init_argv[0], "ethtool");
	assert_string_equal(o->init_argv[1], "vecx");
	assert_int_equal(o->init_envc, 1);
	assert_string_equal(o->init_env[0], "sslx=1");
	run_free(r);
}

static void test_udb_typo(void **state)
{
	struct run *r = parse("udb0=root_fs", "mem=32M", NULL);

	(void)state;
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_string_equal(r->err, "udb0=root_fs specified on command line is almost "
				    "certainly a ubd -> udb TYPO\n");
	assert_int_equal(r->opts.mem_bytes, 32ULL << 20);
	assert_int_equal(r->opts.driver_argc, 0);
	assert_int_equal(r->opts.init_envc, 0);
	run_free(r);
}

static void test_ignored_switches(void **state)
{
	struct run *r = parse("debug", "nosysemu", "fake_ide", "console=tty0", "rootwait",
			      "panic=10", "loglevel=4", NULL);
	const struct boot_options *o = &r->opts;

	(void)state;
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_int_equal(o->init_argc + o->init_envc + o->driver_argc, 0);
	assert_int_equal(o->loglevel, 4);
	assert_int_equal(r->err_len, 0);
	run_free(r);

	expect_error("loglevel=x", "umlinux: loglevel=x: expected a number like 7\n");
	expect_error("loglevel=", "umlinux: loglevel=: expected a number like 7\n");
	expect_error("loglevel=99999", "umlinux: loglevel=99999: expected a number like 7\n");
}

static void test_init_argv_env_split(void **state)
{
	struct run *r = parse("single", "FOO=bar", "mem=32M", "emergency", "TERM=vt100",
			      "x==y", NULL);
	const struct boot_options *o = &r->opts;

	(void)state;
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_int_equal(o->init_argc, 2);
	assert_string_equal(o->init_argv[0], "single");
	assert_string_equal(o->init_argv[1], "emergency");
	assert_null(o->init_argv[2]);
	assert_int_equal(o->init_envc, 3);
	assert_string_equal(o->init_env[0], "FOO=bar");
	assert_string_equal(o->init_env[1], "TERM=vt100");
	assert_string_equal(o->init_env[2], "x==y");
	assert_null(o->init_env[3]);
	/* Values point into argv, never copied. */
	assert_ptr_equal(o->init_argv[0], r->argv[1]);
	run_free(r);
}

static void test_module_params_dropped(void **state)
{
	struct run *r = parse("virtio_uml.device=/tmp/s:1", "foo.bar", "a=b.c", NULL);

	(void)state;
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_int_equal(r->opts.init_argc, 0);
	assert_int_equal(r->opts.init_envc, 1);
	assert_string_equal(r->opts.init_env[0], "a=b.c");
	run_free(r);
}

static void test_double_dash(void **state)
{
	struct run *r = parse("mem=1M", "x", "--", "mem=2M", "--help", "-x", "a=b", "foo.bar",
			      "--", NULL);
	const struct boot_options *o = &r->opts;
	static const char *const args[] = { "x", "mem=2M", "--help", "-x", "a=b", "foo.bar",
					    "--" };

	(void)state;
	assert_int_equal(r->res, CMDLINE_BOOT);
	assert_int_equal(o->mem_bytes, 1ULL << 20);
	assert_int_equal(o->init_argc, 7);
	for (int i = 0; i < 7; i++)
		assert_string_equal(o->init_argv[i], args[i]);
	assert_int_equal(o->init_envc, 0);
	assert_int_equal(r->out_len, 0);
	assert_string_equal(o->cmdline, "mem=1M x -- mem=2M --help -x a=b foo.bar --");
	run_free(r);
}

static void test_cmdline_joined(void **state)
{
	struct run *r = parse("mem=1M", "quiet", "FOO=bar", NULL);

	(void)state;
	assert_string_equal(r->opts.cmdline, "mem=1M quiet FOO=bar");
	run_free(r);
}

static void test_cmdline_truncated(void **state)
{
	struct run *r = run_new();
	char word[101], full[200 * 101 + 1] = "";
	size_t len;

	(void)state;
	memset(word, 'w', 100);
	word[100] = '\0';
	r->argv[0] = (char *)"umlinux";
	r->argv[1] = (char *)"--";
	strcat(full, "--");
	for (int i = 2; i < 60; i++) {
		r->argv[i] = word;
		strcat(full, " ");
		strcat(full, word);
	}
	run_argv(r, 60);
	assert_int_equal(r->res, CMDLINE_BOOT);
	len = strlen(r->opts.cmdline);
	assert_true(len < sizeof(r->opts.cmdline));
	assert_true(len > sizeof(r->opts.cmdline) - 102);
	/* Cut at a word boundary. */
	assert_int_equal(strncmp(r->opts.cmdline, full, len), 0);
	assert_int_equal(full[len], ' ');
	run_free(r);
}

static void test_too_many_init_words(void **state)
{
	struct run *r = run_new();

	(void)state;
	r->argv[0] = (char *)"umlinux";
	for (int i = 1; i <= CMDLINE_MAX_INIT_ARGS - 1; i++)
		r->argv[i] = (char *)"arg";
	assert_int_equal(run_argv(r, CMDLINE_MAX_INIT_ARGS), CMDLINE_BOOT);
	assert_int_equal(r->opts.init_argc, CMDLINE_MAX_INIT_ARGS - 1);
	assert_null(r->opts.init_argv[CMDLINE_MAX_INIT_ARGS - 1]);
	free(r->out);
	free(r->err);

	r->argv[CMDLINE_MAX_INIT_ARGS] = (char *)"one-too-many";
	assert_int_equal(run_argv(r, CMDLINE_MAX_INIT_ARGS + 1), CMDLINE_ERROR);
	assert_string_equal(r->err, "umlinux: one-too-many: too many arguments for init "
				    "(at most 63)\n");
	free(r->out);
	free(r->err);

	for (int i = 1; i <= CMDLINE_MAX_INIT_ENV; i++)
		r->argv[i] = (char *)"A=1";
	assert_int_equal(run_argv(r, CMDLINE_MAX_INIT_ENV + 1), CMDLINE_ERROR);
	assert_string_equal(r->err, "umlinux: A=1: too many environment words for init "
				    "(at most 63)\n");
	run_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_parse_size_good),
		cmocka_unit_test(test_parse_size_junk),
		cmocka_unit_test(test_mem),
		cmocka_unit_test(test_error_stops_parsing),
		cmocka_unit_test(test_umid),
		cmocka_unit_test(test_uml_dir),
		cmocka_unit_test(test_root_switches),
		cmocka_unit_test(test_rw_ro),
		cmocka_unit_test(test_hostfs),
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_consoles),
		cmocka_unit_test(test_console_is_not_con),
		cmocka_unit_test(test_quiet_noreboot),
		cmocka_unit_test(test_mconsole),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_unknown_option),
		cmocka_unit_test(test_driver_args),
		cmocka_unit_test(test_udb_typo),
		cmocka_unit_test(test_ignored_switches),
		cmocka_unit_test(test_init_argv_env_split),
		cmocka_unit_test(test_module_params_dropped),
		cmocka_unit_test(test_double_dash),
		cmocka_unit_test(test_cmdline_joined),
		cmocka_unit_test(test_cmdline_truncated),
		cmocka_unit_test(test_too_many_init_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
