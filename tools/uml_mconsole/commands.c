/*
 * Running a command line: uml_mconsole's local commands (quit, help, switch, log,
 * mconsole-version, int), matched by prefix as the original matches them ("quitx" is
 * quit), and everything else sent to the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mconsole_proto.h"
#include "uml_mconsole.h"

/* "log " plus a block plus its NUL fit in one request. */
#define LOG_BLOCK (MCONSOLE_MAX_DATA - 5 - 1)

static const char local_help[] =
	"Additional local mconsole commands:\n"
	"    quit - Quit mconsole\n"
	"    switch <socket-name> - Switch control to the given machine\n"
	"    log -f <filename> - use contents of <filename> as UML log messages\n"
	"    mconsole-version - version of this mconsole program\n"
	"    int  - Interrupt UML session\n";

static const char *skip_word(const char *line, const char *word)
{
	const char *p = line + strlen(word);
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

bool switch_target(struct session *s, const char *name)
{
	struct mconsole_target t;
	if (mconsole_resolve(name, &t, stderr) < 0)
		return false;
	s->target = t;
	s->have_target = true;
	snprintf(s->name, sizeof(s->name), "%s", name);
	return true;
}

int send_and_print(struct session *s, const char *cmd)
{
	struct mconsole_answer ans;
	if (!s->have_target) {
		fprintf(stderr, "uml_mconsole: not connected to a UML; use switch <umid>\n");
		return 1;
	}
	int err = mconsole_transact(s->fd, s->target.sock, cmd, s->timeout_ms, &ans);
	switch (err) {
	case 0:
		printf("%s %s\n", ans.err ? "ERR" : "OK", ans.text);
		mconsole_answer_free(&ans);
		return ans.err & 0xff;
	case -E2BIG:
		fprintf(stderr, "uml_mconsole: command too long (%zu characters, at most %d)\n",
			strlen(cmd), MCONSOLE_MAX_DATA - 1);
		return 1;
	case -ETIMEDOUT:
		fprintf(stderr, "uml_mconsole: no reply from %s within %d s\n", s->target.sock,
			s->timeout_ms / 1000);
		return 1;
	case -ECONNREFUSED:
	case -ENOENT:
		fprintf(stderr, "uml_mconsole: %s: %s (is the UML still running?)\n",
			s->target.sock, strerror(-err));
		return 1;
	default:
		fprintf(stderr, "uml_mconsole: %s: %s\n", s->target.sock, strerror(-err));
		return 1;
	}
}

static int send_log_block(struct session *s, const char *text, size_t n)
{
	char cmd[MCONSOLE_MAX_DATA];
	snprintf(cmd, sizeof(cmd), "log %.*s", (int)n, text);
	return send_and_print(s, cmd);
}

/* log <text>: in blocks that fit a request, then a newline unless the text ends a line. */
static int log_text(struct session *s, const char *text)
{
	size_t len = strlen(text);
	int status = 0;
	for (size_t off = 0; off < len && !status; off += LOG_BLOCK)
		status = send_log_block(s, text + off, len - off < LOG_BLOCK ? len - off : LOG_BLOCK);
	if (!status && (len == 0 || text[len - 1] != '\n'))
		status = send_log_block(s, "\n", 1);
	return status;
}

/* log -f <file>: the file's contents, block by block (a NUL ends a block early). */
static int log_file(struct session *s, const char *path)
{
	char block[LOG_BLOCK + 1];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("opening file: %s\n", strerror(errno));
		exit(1);
	}
	ssize_t n;
	char last = '\n';
	int status = 0;
	while (!status && (n = read(fd, block, LOG_BLOCK)) > 0) {
		block[n] = '\0';
		last = block[n - 1];
		status = send_log_block(s, block, strlen(block));
	}
	close(fd);
	if (!status && last != '\n')
		status = send_log_block(s, "\n", 1);
	return status;
}

static int local_int(struct session *s)
{
	int pid = s->have_target ? mconsole_read_pid(s->target.pidfile) : 0;
	if (pid <= 0) {
		printf("Cannot determine the PID of your UML session, not sending signal.\n");
		return 0;
	}
	if (kill(pid, SIGINT) < 0)
		fprintf(stderr, "uml_mconsole: kill %d: %s\n", pid, strerror(errno));
	return 0;
}

enum local { L_QUIT, L_HELP, L_SWITCH, L_LOG, L_VERSION, L_INT };
static const char *const local_names[] = {
	[L_QUIT] = "quit", [L_HELP] = "help", [L_SWITCH] = "switch", [L_LOG] = "log",
	[L_VERSION] = "mconsole-version", [L_INT] = "int",
};

int run_command(struct session *s, const char *line, bool *quit)
{
	const char *arg;
	switch (mconsole_match_command(line, local_names, sizeof(local_names) / sizeof(local_names[0]))) {
	case L_QUIT:
		*quit = true;
		return 0;
	case L_HELP:
		send_and_print(s, "help");
		fputs(local_help, stdout);
		return 0;
	case L_SWITCH:
		arg = skip_word(line, "switch");
		if (switch_target(s, arg))
			printf("Switched to '%s'\n", arg);
		return 0;
	case L_LOG:
		arg = skip_word(line, "log");
		if (strncmp(arg, "-f", 2) == 0 && (arg[2] == ' ' || arg[2] == '\t'))
			return log_file(s, skip_word(arg, "-f"));
		return log_text(s, strlen(line) > 4 ? line + 4 : "");
	case L_VERSION:
		printf("uml_mconsole client version 2\n");
		return 0;
	case L_INT:
		return local_int(s);
	}
	char *cmd = absolutize_ubd_config(line);
	int status = send_and_print(s, cmd);
	free(cmd);
	return status;
}
