/* The umid directory, <uml_dir><umid>/: it holds the pid file that marks the machine as
 * running and the sockets (mconsole) that host tools find by umid. */
#ifndef UMLINUX_KERNEL_UMID_H
#define UMLINUX_KERNEL_UMID_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "kernel/cmdline.h"

struct umid_dir {
	char umid[CMDLINE_UMID_MAX + 1];
	char path[PATH_MAX];    /* <uml_dir><umid>, no trailing '/'; "" before setup */
};

/* Creates uml_dir (opts->uml_dir, default $HOME/.uml/) and <uml_dir><umid>/ with a pid
 * file in it. Without opts->umid, or when that umid is held by a live process, a random
 * 6-character umid is used instead. A directory left by a dead machine is taken over.
 * Returns 0, or a negative errno after writing one line naming the path to log. */
int umid_setup(const struct boot_options *opts, struct umid_dir *out, FILE *log);

/* Removes every file in the directory and the directory itself (clean halt). */
void umid_remove(const struct umid_dir *dir);

/* Builds "<dir>/<name>" into buf. Returns 0 or -ENAMETOOLONG. */
int umid_path(const struct umid_dir *dir, const char *name, char *buf, size_t len);

#endif
