/* The kernel command line: UML-style switches from the host's argv. */
#ifndef UMLINUX_KERNEL_CMDLINE_H
#define UMLINUX_KERNEL_CMDLINE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CMDLINE_MAX_INIT_ARGS 64
#define CMDLINE_MAX_INIT_ENV  64
#define CMDLINE_MAX_CONS      16
#define CMDLINE_UMID_MAX      63   /* UML's limit on umid= */

/* What a console uses when neither con<n>= nor con= names a channel. con0 is UML's
 * CONFIG_CON_ZERO_CHAN; for the others UML defaults to a terminal emulator, which makes
 * no sense for a headless kernel, so they default to a line that discards output. */
#define CMDLINE_CON0_DEFAULT  "fd:0,fd:1"
#define CMDLINE_CON_DEFAULT   "null"

struct boot_options {
	uint64_t mem_bytes;            /* mem=, default 64 MiB (UML's default is 32M; we use 64M) */
	const char *umid;              /* umid=, NULL when not given (a random one is made) */
	const char *uml_dir;           /* uml_dir=, NULL means $HOME/.uml/ ; always ends in '/' when set */
	const char *root;              /* root=, default "/dev/root" */
	const char *rootfstype;        /* rootfstype=, default "hostfs" */
	const char *rootflags;         /* rootflags=, host directory for hostfs root, default "/" */
	bool root_given, rootfstype_given, rootflags_given;  /* given, not the defaults */
	const char *hostfs_prefix;     /* hostfs=<prefix>[,append...]: the prefix part, or NULL */
	bool hostfs_append;            /* hostfs=...,append */
	bool read_only;                /* ro (default rw) */
	const char *init;              /* init=, NULL means try /sbin/init, /etc/init, /bin/init, /bin/sh */
	const char *con[CMDLINE_MAX_CONS]; /* con<n>= channel spec, NULL = default; con0 default "fd:0,fd:1" */
	const char *con_default;       /* con= (all consoles) */
	bool quiet;                    /* quiet */
	bool noreboot;                 /* noreboot: exit instead of rebooting */
	const char *mconsole_notify;   /* mconsole=notify:<socket> */
	int loglevel;                  /* loglevel=, -1 when not given */
	/* Everything the kernel does not consume, as Linux passes it on to init:
	 * unknown key=value words go to init's environment, bare words to its argv
	 * (init_argv holds only the arguments after init's own name). Like Linux, words
	 * whose name has a '.' (module parameters, e.g. virtio_uml.device=) are dropped.
	 * init_argv, init_env and driver_args are NULL-terminated, so each holds at most
	 * CMDLINE_MAX_* - 1 entries. */
	const char *init_argv[CMDLINE_MAX_INIT_ARGS];
	int init_argc;
	const char *init_env[CMDLINE_MAX_INIT_ENV];
	int init_envc;
	/* Switches that drivers parse themselves later (ubd<n>=, eth<n>=, ssl<n>=, ...):
	 * kept verbatim, in order. */
	const char *driver_args[CMDLINE_MAX_INIT_ARGS];
	int driver_argc;
	/* The whole command line as one string (for /proc/cmdline and the boot log). */
	char cmdline[4096];
	/* Backing store for the two values that are not plain slices of an argv word:
	 * uml_dir gets a '/' appended and hostfs_prefix ends at the first ','. argv is not
	 * edited in place because a reboot re-executes the kernel with it. Since uml_dir
	 * and hostfs_prefix may point here, a boot_options must not be copied by value. */
	char uml_dir_buf[PATH_MAX];
	char hostfs_prefix_buf[PATH_MAX];
};

enum cmdline_result {
	CMDLINE_BOOT = 0,   /* go on booting */
	CMDLINE_EXIT_OK,    /* --help / --version printed; exit 0 */
	CMDLINE_ERROR,      /* a one-line error naming the switch was written to err; exit 1 */
};

/* Parses argv[1..argc-1]. Strings in opts point into argv (never copied; uml_dir and
 * hostfs_prefix point into opts itself), so argv must outlive opts. out receives
 * --help/--version text, err the error line (and the udb typo warning). */
enum cmdline_result cmdline_parse(int argc, char **argv, struct boot_options *opts,
				  FILE *out, FILE *err);

/* "128M" -> 134217728. Accepts K/M/G (either case), plain bytes. Returns false on junk,
 * zero or overflow. */
bool cmdline_parse_size(const char *s, uint64_t *bytes);

/* The channel spec console n (0..CMDLINE_MAX_CONS-1) uses: con<n>= if given, else con=,
 * else the built-in default. As in UML, con= never overrides a con<n>=, whatever the
 * order they came in. Returns NULL for n out of range. */
const char *cmdline_con_channel(const struct boot_options *opts, int n);

#endif
