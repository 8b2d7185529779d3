/* The kernel command line. As in UML, the switches are the host process's own argv words;
 * as in Linux, whatever the kernel does not consume is handed to init: key=value words
 * become its environment, bare words its arguments, and everything after "--" its
 * arguments verbatim. Every switch lives in one table, which also generates --help. */
#include "kernel/cmdline.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "kernel/version.h"

#define DEFAULT_MEM_BYTES (64ULL << 20)

enum switch_kind {
	SW_WORD,    /* the whole word, e.g. "quiet" */
	SW_KEY,     /* "name=value"; name includes the '=' */
	SW_PREFIX,  /* a family such as ubd<n>=..., see switch_def.next */
};

struct switch_def {
	const char *name;
	enum switch_kind kind;
	/* SW_PREFIX: the characters allowed right after the prefix (NULL = any), so that
	 * "ethtool" is not taken for an eth<n>= switch. */
	const char *next;
	/* val is what follows the name (SW_KEY, SW_PREFIX) or NULL (SW_WORD).
	 * Returns 0, or -EINVAL after writing one line naming the switch to err. */
	int (*handle)(struct boot_options *o, const char *word, const char *val, FILE *err);
	const char *usage;
	const char *help;
};

static int add_word(const char **list, int *count, int max, const char *word,
		    const char *what, FILE *err)
{
	/* Keep the last slot for the NULL that lets callers pass the list to execve. */
	if (*count >= max - 1) {
		fprintf(err, "umlinux: %s: too many %s (at most %d)\n", word, what, max - 1);
		return -EINVAL;
	}
	list[(*count)++] = word;
	list[*count] = NULL;
	return 0;
}

static int keep_for_driver(struct boot_options *o, const char *word, const char *val,
			   FILE *err)
{
	(void)val;
	return add_word(o->driver_args, &o->driver_argc, CMDLINE_MAX_INIT_ARGS, word,
			"driver switches", err);
}

/* UML catches this common typo but boots anyway; so do we. */
static int warn_udb_typo(struct boot_options *o, const char *word, const char *val,
			 FILE *err)
{
	(void)o;
	(void)val;
	fprintf(err, "%s specified on command line is almost certainly a ubd -> udb TYPO\n",
		word);
	return 0;
}

static int ignore(struct boot_options *o, const char *word, const char *val, FILE *err)
{
	(void)o;
	(void)word;
	(void)val;
	(void)err;
	return 0;
}

static int set_mem(struct boot_options *o, const char *word, const char *val, FILE *err)
{
	if (!cmdline_parse_size(val, &o->mem_bytes)) {
		fprintf(err, "umlinux: %s: expected a size like 128M\n", word);
		return -EINVAL;
	}
	return 0;
}

static int set_umid(struct boot_options *o, const char *word, const char *val, FILE *err)
{
	/* The umid names a directory under uml_dir, so it must be one path component. */
	if (*val == '\0') {
		fprintf(err, "umlinux: %s: expected a name\n", word);
		return -EINVAL;
	}
	if (strlen(val) > CMDLINE_UMID_MAX) {
		fprintf(err, "umlinux: %s: too long (at most %d characters)\n", word,
			CMDLINE_UMID_MAX);
		return -EINVAL;
	}
	if (strchr(val, '/')) {
		fprintf(err, "umlinux: %s: must not contain '/'\n", word);
		return -EINVAL;
	}
	o->umid = val;
	return 0;
}

static int set_uml_dir(struct boot_options *o, const char *word, const char *val, FILE *err)
{
	size_t len = strlen(val);
	const char *slash = (len && val[len - 1] == '/') ? "" : "/";

	if (len == 0) {
		fprintf(err, "uml_dir can't be an empty string\n");
		return -EINVAL;
	}
	if ((size_t)snprintf(o->uml_dir_buf, sizeof(o->uml_dir_buf), "%s%s", val, slash)
	    >= sizeof(o->uml_dir_buf)) {
		fprintf(err, "umlinux: %s: path too long\n", word);
		return -EINVAL;
	}
	o->uml_dir = o->uml_dir_buf;
	return 0;
}

static int set_root(struct boot_options *o, const char *word, const char *val, FILE *err)
{
	(void)word;
	(void)err;
	o->root = val;
	o->root_given = true;
	return 0;
}

static int set_rootfstype(struct boot_options *o, const char *word, const char *val,
			  FILE *err)
{
	(void)word;
	(void)err;
	o->rootfstype = val;
	o->rootfstype_given = true;
	return 0;
}

static int set_rootflags(struct boot_options *o, const char *word, const char *val,
			 FILE *err)
{
	(void)word;
	(void)err;
	o->rootflags = val;
	o->rootflags_given = true;
	return 0;
}

static int set_hostfs_flag(struct boot_options *o, const char *word, const char *flag,
			   size_t len, FILE *err)
{
	if (len == 0)
		return 0;
	if (len == strlen("append") && strncmp(flag, "append", len) == 0) {
		o->hostfs_append = true;
		return 0;
	}
	fprintf(err, "umlinux: %s: unsupported option '%.*s' (the only one is 'append')\n",
		word, (int)len, flag);
	return -EINVAL;
}

static int set_hostfs(struct boot_options *o, const char *word, const char *val, FILE *err)
{
	size_t plen = strcspn(val, ",");
	const char *p = val + plen;

	if (plen >= sizeof(o->hostfs_prefix_buf)) {
		fprintf(err, "umlinux: %s: path too long\n", word);
		return -EINVAL;
	}
	o->hostfs_append = false;
	while (*p == ',') {
		size_t flen = strcspn(p + 1, ",");

		if (set_hostfs_flag(o, word, p + 1, flen, err))
			return -EINVAL;
		p += 1 + flen;
	}
	/* An empty prefix confines nothing, the same as no hostfs= at all. */
	memcpy(o->hostfs_prefix_buf, val, plen);
	o->hostfs_prefix_buf[plen] = '\0';
	o->hostfs_prefix = plen ? o->hostfs_prefix_buf : NULL;
	return 0;
}

static int set_rw(struct boot_options *o, const char *word, const char *val, FILE *err)
{
	(void)word;
	(void)val;
	(void)err;
	o->read_only = false;
	return 0;
}

static int set_ro(struct boot_options *o, const char *word, const char *val, FILE *err)
{
	(void)word;
	(void)val;
	(void)err;
	o->read_only = true;
	return 0;
}

static int set_init(struct boot_options *o, const char *word, const char *val, FILE *err)
{
	if (*val == '\0') {
		fprintf(err, "umlinux: %s: expected the path of a program\n", word);
		return -EINVAL;
	}
	o->init = val;
	return 0;
}

static int set_con_default(struct boot_options *o, const char *word, const char *val,
			   FILE *err)
{
	(void)word;
	(void)err;
	o->con_default = val;
	return 0;
}

/* val is what follows "con": "<n>=<channel>". */
static int set_con_n(struct boot_options *o, const char *word, const char *val, FILE *err)
{
	unsigned long n = 0;
	const char *p = val;

	for (; isdigit((unsigned char)*p) && n < CMDLINE_MAX_CONS; p++)
		n = n * 10 + (unsigned long)(*p - '0');
	if (isdigit((unsigned char)*p) || n >= CMDLINE_MAX_CONS) {
		fprintf(err, "umlinux: %s: console number must be 0..%d\n", word,
			CMDLINE_MAX_CONS - 1);
		return -EINVAL;
	}
	if (*p != '=') {
		fprintf(err, "umlinux: %s: expected con<n>=<channel>\n", word);
		return -EINVAL;
	}
	o->con[n] = p + 1;
	return 0;
}

static int set_quiet(struct boot_options *o, const char *word, const char *val, FILE *err)
{
	(void)word;
	(void)val;
	(void)err;
	o->quiet = true;
	return 0;
}

static int set_noreboot(struct boot_options *o, const char *word, const char *val,
			FILE *err)
{
	(void)word;
	(void)val;
	(void)err;
	o->noreboot = true;
	return 0;
}

static int set_mconsole(struct boot_options *o, const char *word, const char *val,
			FILE *err)
{
	static const char notify[] = "notify:";

	if (strncmp(val, notify, strlen(notify)) != 0) {
		/* UML's own wording, which scripts may look for. */
		fprintf(err, "mconsole_setup : Unknown option - '%s'\n", val);
		return -EINVAL;
	}
	if (val[strlen(notify)] == '\0') {
		fprintf(err, "umlinux: %s: expected a socket path after notify:\n", word);
		return -EINVAL;
	}
	o->mconsole_notify = val + strlen(notify);
	return 0;
}

static int set_loglevel(struct boot_options *o, const char *word, const char *val,
			FILE *err)
{
	long level = 0;
	const char *p = val;

	for (; isdigit((unsigned char)*p) && level <= 1000; p++)
		level = level * 10 + (*p - '0');
	if (p == val || *p != '\0' || level > 1000) {
		fprintf(err, "umlinux: %s: expected a number like 7\n", word);
		return -EINVAL;
	}
	o->loglevel = (int)level;
	return 0;
}

#define DIGITS "0123456789"

/* First match wins, so specific entries ("con=", "console=") come before families ("con"). */
static const struct switch_def switches[] = {
	{ "mem=", SW_KEY, NULL, set_mem, "mem=<size>[KMG]",
	  "guest RAM, e.g. mem=128M (default 64M)" },
	{ "umid=", SW_KEY, NULL, set_umid, "umid=<name>",
	  "machine id; names <uml_dir><name>/ (pid file, mconsole socket)" },
	{ "uml_dir=", SW_KEY, NULL, set_uml_dir, "uml_dir=<directory>",
	  "where umid directories go (default ~/.uml/)" },
	{ "root=", SW_KEY, NULL, set_root, "root=<dev>",
	  "root device (default /dev/ubda when ubda= is given, else /dev/root: hostfs)" },
	{ "rootfstype=", SW_KEY, NULL, set_rootfstype, "rootfstype=<type>",
	  "root filesystem type (default: detected on a disk, hostfs on /dev/root)" },
	{ "rootflags=", SW_KEY, NULL, set_rootflags, "rootflags=<options>",
	  "root mount options; for hostfs the host directory (default /)" },
	{ "rw", SW_WORD, NULL, set_rw, "rw", "mount the root read-write (default)" },
	{ "ro", SW_WORD, NULL, set_ro, "ro", "mount the root read-only" },
	{ "init=", SW_KEY, NULL, set_init, "init=<program>",
	  "first program (default /sbin/init, /etc/init, /bin/init, /bin/sh)" },
	{ "hostfs=", SW_KEY, NULL, set_hostfs, "hostfs=<root dir>[,append]",
	  "confine hostfs mounts to <root dir>; append opens every file O_APPEND" },
	{ "console=", SW_KEY, NULL, ignore, "console=<preferred console>",
	  "generic kernel parameter, accepted and ignored" },
	{ "con=", SW_KEY, NULL, set_con_default, "con=<channel>",
	  "channel for every console without its own con<n>=" },
	{ "con", SW_PREFIX, DIGITS, set_con_n, "con<n>=<channel>",
	  "channel for console n (0..15), e.g. con0=fd:0,fd:1 or con1=pts" },
	{ "ssl-non-raw", SW_WORD, NULL, keep_for_driver, "ssl-non-raw",
	  "serial lines in non-raw mode" },
	{ "ssl", SW_PREFIX, DIGITS "=", keep_for_driver, "ssl[<n>]=<channel>",
	  "channel for serial line n, or for all of them" },
	{ "ubd", SW_PREFIX, NULL, keep_for_driver, "ubd<n><flags>=<file>[,<backing>]",
	  "block device n (0..15 or a..p); flags r, s, d, c, t" },
	{ "udb", SW_PREFIX, NULL, warn_udb_typo, NULL, NULL },
	{ "eth", SW_PREFIX, DIGITS, keep_for_driver, "eth<n>=<transport>,<options>",
	  "network device n" },
	{ "vec", SW_PREFIX, DIGITS, keep_for_driver, "vec<n>:<option>=<value>,...",
	  "vector network device n" },
	{ "xterm=", SW_KEY, NULL, keep_for_driver, "xterm=<emulator>,<title sw>,<exec sw>",
	  "terminal emulator for xterm channels (default xterm,-T,-e)" },
	{ "iomem=", SW_KEY, NULL, keep_for_driver, "iomem=<name>,<file>",
	  "a host file as an IO memory region" },
	{ "mconsole=", SW_KEY, NULL, set_mconsole, "mconsole=notify:<socket>",
	  "send mconsole notifications to a unix socket" },
	{ "quiet", SW_WORD, NULL, set_quiet, "quiet", "fewer boot messages" },
	{ "noreboot", SW_WORD, NULL, set_noreboot, "noreboot", "exit instead of rebooting" },
	{ "loglevel=", SW_KEY, NULL, set_loglevel, "loglevel=<n>", "console log level" },
	{ "debug", SW_WORD, NULL, ignore, "debug", "accepted for compatibility; no effect" },
	{ "nosysemu", SW_WORD, NULL, ignore, "nosysemu", "accepted for compatibility; no effect" },
	{ "fake_ide", SW_WORD, NULL, ignore, "fake_ide", "obsolete; no effect" },
	{ "rootwait", SW_WORD, NULL, ignore, "rootwait", "accepted; the root is always ready" },
	{ "panic=", SW_KEY, NULL, ignore, "panic=<seconds>", "accepted; a panic always aborts" },
};

static bool switch_matches(const struct switch_def *sw, const char *word)
{
	size_t len = strlen(sw->name);

	switch (sw->kind) {
	case SW_WORD:
		return strcmp(word, sw->name) == 0;
	case SW_KEY:
		return strncmp(word, sw->name, len) == 0;
	case SW_PREFIX:
		return strncmp(word, sw->name, len) == 0 &&
		       (!sw->next || (word[len] && strchr(sw->next, word[len])));
	}
	return false;
}

static const struct switch_def *find_switch(const char *word)
{
	for (size_t i = 0; i < sizeof(switches) / sizeof(switches[0]); i++)
		if (switch_matches(&switches[i], word))
			return &switches[i];
	return NULL;
}

static void print_help_line(FILE *out, const char *usage, const char *help)
{
	fprintf(out, "    %-38s %s\n", usage, help);
}

static void print_help(FILE *out)
{
	fprintf(out, "umlinux v%s\n", UMLINUX_VERSION);
	print_help_line(out, "--help", "print this help and exit");
	print_help_line(out, "--version", "print the kernel version and exit");
	for (size_t i = 0; i < sizeof(switches) / sizeof(switches[0]); i++)
		if (switches[i].usage)
			print_help_line(out, switches[i].usage, switches[i].help);
	print_help_line(out, "<name>=<value>", "anything else: put in init's environment");
	print_help_line(out, "<word>", "anything else: passed to init as an argument");
	print_help_line(out, "-- <args>...", "everything after -- is passed to init as is");
}

static void set_defaults(struct boot_options *o)
{
	memset(o, 0, sizeof(*o));
	o->mem_bytes = DEFAULT_MEM_BYTES;
	o->root = "/dev/root";
	o->rootfstype = "hostfs";
	o->rootflags = "/";
	o->loglevel = -1;
}

/* /proc/cmdline shows the words as given; cut at a word boundary when it does not fit. */
static void join_cmdline(struct boot_options *o, int argc, char **argv)
{
	size_t used = 0;

	for (int i = 1; i < argc; i++) {
		size_t need = strlen(argv[i]) + (used ? 1 : 0);

		if (used + need >= sizeof(o->cmdline))
			break;
		used += (size_t)sprintf(o->cmdline + used, "%s%s", used ? " " : "", argv[i]);
	}
}

/* Linux drops what looks like an unused module parameter ("foo.bar=1") rather than
 * handing it to init. */
static bool is_module_param(const char *word)
{
	const char *dot = strchr(word, '.');
	const char *eq = strchr(word, '=');

	return dot && (!eq || dot < eq);
}

static int pass_to_init(struct boot_options *o, const char *word, FILE *err)
{
	if (is_module_param(word))
		return 0;
	if (strchr(word, '='))
		return add_word(o->init_env, &o->init_envc, CMDLINE_MAX_INIT_ENV, word,
				"environment words for init", err);
	return add_word(o->init_argv, &o->init_argc, CMDLINE_MAX_INIT_ARGS, word,
			"arguments for init", err);
}

static int handle_switch(struct boot_options *o, const char *word, FILE *err)
{
	const struct switch_def *sw = find_switch(word);

	if (!sw)
		return pass_to_init(o, word, err);
	return sw->handle(o, word, sw->kind == SW_WORD ? NULL : word + strlen(sw->name), err);
}

static enum cmdline_result handle_option(const char *word, FILE *out, FILE *err)
{
	if (strcmp(word, "--help") == 0) {
		print_help(out);
		return CMDLINE_EXIT_OK;
	}
	if (strcmp(word, "--version") == 0) {
		fprintf(out, "%s\n", UMLINUX_VERSION);
		return CMDLINE_EXIT_OK;
	}
	fprintf(err, "umlinux: unknown option '%s'; see --help\n", word);
	return CMDLINE_ERROR;
}

static enum cmdline_result pass_rest_to_init(struct boot_options *o, int count,
					     char **words, FILE *err)
{
	for (int i = 0; i < count; i++)
		if (add_word(o->init_argv, &o->init_argc, CMDLINE_MAX_INIT_ARGS, words[i],
			     "arguments for init", err))
			return CMDLINE_ERROR;
	return CMDLINE_BOOT;
}

enum cmdline_result cmdline_parse(int argc, char **argv, struct boot_options *opts,
				  FILE *out, FILE *err)
{
	set_defaults(opts);
	join_cmdline(opts, argc, argv);
	for (int i = 1; i < argc; i++) {
		const char *word = argv[i];

		if (strcmp(word, "--") == 0)
			return pass_rest_to_init(opts, argc - i - 1, argv + i + 1, err);
		if (word[0] == '-')
			return handle_option(word, out, err);
		if (handle_switch(opts, word, err))
			return CMDLINE_ERROR;
	}
	return CMDLINE_BOOT;
}

static uint64_t size_suffix_multiplier(char c)
{
	switch (c) {
	case 'k': case 'K': return 1ULL << 10;
	case 'm': case 'M': return 1ULL << 20;
	case 'g': case 'G': return 1ULL << 30;
	case '\0': return 1;
	}
	return 0;
}

bool cmdline_parse_size(const char *s, uint64_t *bytes)
{
	uint64_t value = 0, mult;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return false;
	for (; isdigit((unsigned char)*p); p++) {
		uint64_t digit = (uint64_t)(*p - '0');

		if (value > (UINT64_MAX - digit) / 10)
			return false;
		value = value * 10 + digit;
	}
	mult = size_suffix_multiplier(*p);
	if (mult == 0 || (*p && p[1] != '\0'))
		return false;
	if (value == 0 || value > UINT64_MAX / mult)
		return false;
	*bytes = value * mult;
	return true;
}

const char *cmdline_con_channel(const struct boot_options *opts, int n)
{
	if (n < 0 || n >= CMDLINE_MAX_CONS)
		return NULL;
	if (opts->con[n])
		return opts->con[n];
	if (opts->con_default)
		return opts->con_default;
	return n == 0 ? CMDLINE_CON0_DEFAULT : CMDLINE_CON_DEFAULT;
}
