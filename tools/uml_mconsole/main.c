/*
 * uml_mconsole: the MConsole client, a drop-in for uml-utilities' tool.
 *
 *   uml_mconsole <umid-or-socket> <command words...>   one request: the words joined
 *                                                       with spaces
 *   uml_mconsole <umid-or-socket>                       interactive, prompt "(<umid>) "
 *
 * Output is "OK <text>" or "ERR <text>"; the exit status is the reply's error code
 * truncated to 8 bits (0 for OK), 1 when the instance does not answer. Replies are
 * waited for UML_MCONSOLE_TIMEOUT seconds (default 30).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lineedit.h"
#include "uml_mconsole.h"

#define DEFAULT_TIMEOUT_S 30

static int timeout_from_env(void)
{
	const char *v = getenv("UML_MCONSOLE_TIMEOUT");
	long s = v ? strtol(v, NULL, 10) : 0;
	return (int)((s > 0 && s < 86400 ? s : DEFAULT_TIMEOUT_S) * 1000);
}

static char *join_words(int argc, char **argv)
{
	size_t len = 1;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *s = calloc(1, len);
	if (!s)
		exit(1);
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static void trim_trailing_space(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

static int interactive(struct session *s)
{
	for (;;) {
		char prompt[32];
		snprintf(prompt, sizeof(prompt), "(%.11s) ", s->have_target ? s->name : "[None]");
		char *line = lineedit_read(prompt);
		if (!line) {
			printf("\n");
			return 0;
		}
		trim_trailing_space(line);
		bool quit = false;
		if (*line) {
			lineedit_history_add(line);
			run_command(s, line, &quit);
		}
		free(line);
		fflush(stdout);
		if (quit)
			return 0;
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "Usage : uml_mconsole socket-name [command]\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct session s = { .timeout_ms = timeout_from_env() };
	s.fd = mconsole_client_socket();
	if (s.fd < 0) {
		fprintf(stderr, "uml_mconsole: can't create a socket: %s\n", strerror(-s.fd));
		return 1;
	}
	bool found = switch_target(&s, argv[1]);
	if (argc == 2)
		return interactive(&s);
	if (!found) {
		fprintf(stderr, "uml_mconsole: no UML instance '%s': no such umid in ~/.uml or "
			"/tmp/uml, nor a socket by that name\n", argv[1]);
		return 1;
	}
	char *cmd = join_words(argc - 2, argv + 2);
	bool quit = false;
	int status = run_command(&s, cmd, &quit);
	free(cmd);
	return status;
}
