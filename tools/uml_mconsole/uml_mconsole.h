/* uml_mconsole: what its files share. */
#ifndef UML_MCONSOLE_H
#define UML_MCONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include "mconsole_client.h"

struct session {
	int fd;                        /* our bound datagram socket */
	bool have_target;
	struct mconsole_target target;
	char name[PATH_MAX];           /* as given: the prompt shows its first 11 characters */
	int timeout_ms;
};

/* Runs one command line (local or sent to the kernel) and prints the outcome. Returns
 * the exit status it calls for: the reply's err truncated to 8 bits, 0 for OK and for
 * local commands, 1 when nothing answered. quit makes *quit true. */
int run_command(struct session *s, const char *line, bool *quit);

/* Sends cmd and prints "OK <text>" or "ERR <text>"; returns as run_command. */
int send_and_print(struct session *s, const char *cmd);

/* Resolves name (printing uml_mconsole's warnings); false leaves s unchanged. */
bool switch_target(struct session *s, const char *name);

/* config ubd<n>=<cow>,<backing>: relative file names made absolute for the kernel, whose
 * working directory is not ours. Returns a malloc'd command. */
char *absolutize_ubd_config(const char *cmd);

#endif
