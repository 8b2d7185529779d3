/*
 * config ubd<n>[flags]=<cow>,<backing>: the kernel opens these files from its own working
 * directory, so relative names are made absolute against ours first, as uml_mconsole
 * does (the value is split at its first comma only).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uml_mconsole.h"

/* Appends name, made absolute, to out (of size PATH_MAX * 2). */
static void append_absolute(char *out, size_t size, const char *name, size_t len)
{
	char part[PATH_MAX], dir[PATH_MAX], *real;
	if (len >= sizeof(part))
		len = sizeof(part) - 1;
	memcpy(part, name, len);
	part[len] = '\0';
	if (!*part || *part == '/') {
		strncat(out, part, size - strlen(out) - 1);
		return;
	}
	const char *slash = strrchr(part, '/');
	const char *base = slash ? slash + 1 : part;
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - part) : 1, slash ? part : ".");
	real = realpath(dir, NULL);
	if (!real) {
		fprintf(stderr, "absolutize : Can't cd to '%s', %s\n", dir, strerror(errno));
		strncat(out, part, size - strlen(out) - 1);
		return;
	}
	snprintf(out + strlen(out), size - strlen(out), "%s/%s", strcmp(real, "/") ? real : "",
		 base);
	free(real);
}

char *absolutize_ubd_config(const char *cmd)
{
	const char *p = cmd;
	if (strncmp(p, "config", 6) != 0)
		return strdup(cmd);
	p += 6;
	while (*p == ' ' || *p == '\t')
		p++;
	const char *eq = strchr(p, '=');
	if (strncmp(p, "ubd", 3) != 0 || !eq)
		return strdup(cmd);
	size_t size = 2 * PATH_MAX + (size_t)(eq - cmd) + 2;
	char *out = calloc(1, size);
	if (!out)
		return strdup(cmd);
	memcpy(out, cmd, (size_t)(eq - cmd) + 1);
	const char *value = eq + 1, *comma = strchr(value, ',');
	append_absolute(out, size, value, comma ? (size_t)(comma - value) : strlen(value));
	if (comma) {
		strncat(out, ",", size - strlen(out) - 1);
		append_absolute(out, size, comma + 1, strlen(comma + 1));
	}
	return out;
}
