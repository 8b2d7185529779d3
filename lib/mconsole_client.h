/*
 * The client half of MConsole for the host tools: finding an instance's socket from its
 * umid the way uml_mconsole does, and one request/reply exchange with a timeout.
 */
#ifndef UMLINUX_LIB_MCONSOLE_CLIENT_H
#define UMLINUX_LIB_MCONSOLE_CLIENT_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>

struct mconsole_target {
	char sock[PATH_MAX];   /* the instance's mconsole socket */
	char pidfile[PATH_MAX];/* its pid file (for uml_mconsole's "int") */
};

/* Resolves name as uml_mconsole does, trying in order $HOME/.uml/<name>/mconsole,
 * /tmp/uml/<name>/mconsole and name itself (a socket path). Each candidate that cannot
 * be stat'ed prints "Warning: couldn't stat file: <path> - <reason>" on warn (when not
 * NULL). Returns 0, or -ENOENT when none exists. */
int mconsole_resolve(const char *name, struct mconsole_target *out, FILE *warn);

/* A datagram socket bound to an address of its own (the kernel answers to the sender's
 * address, so an unbound client would get nothing). Returns the fd or -errno. */
int mconsole_client_socket(void);

struct mconsole_answer {
	int32_t err;      /* from the first datagram: 0 for OK */
	char *text;       /* every chunk concatenated, NUL-terminated (malloc'd) */
	size_t len;
};

/* Sends cmd to the socket at path and collects the reply until a datagram with more = 0.
 * timeout_ms bounds the wait for each datagram (< 0: forever). Returns 0, -E2BIG for a
 * command of 512 characters or more, -ETIMEDOUT, -EPROTO for a reply that is not one,
 * or the -errno of sending (-ECONNREFUSED: nobody is listening on that socket). */
int mconsole_transact(int fd, const char *path, const char *cmd, int timeout_ms,
		      struct mconsole_answer *ans);
void mconsole_answer_free(struct mconsole_answer *ans);

/* Reads the pid in a pid file; 0 if it holds none. */
int mconsole_read_pid(const char *pidfile);

#endif
