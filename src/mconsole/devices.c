/*
 * config and remove: the registry of devices that can be configured at run time (ubd,
 * eth, con, ssl, mem register here as they come), and UML's replies around each
 * device's own answers.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mconsole/internal.h"

static struct list_head devices = LIST_HEAD_INIT(devices);

void mconsole_register_device(struct mconsole_device *dev)
{
	list_add_tail(&dev->link, &devices);
}

void mconsole_unregister_device(struct mconsole_device *dev)
{
	list_del_init(&dev->link);
}

/* The first registered device whose name the argument starts with (UML's lookup). */
static struct mconsole_device *find_device(const char *arg)
{
	struct list_head *p;
	list_for_each(p, &devices) {
		struct mconsole_device *d = list_entry(p, struct mconsole_device, link);
		if (strncmp(arg, d->name, strlen(d->name)) == 0)
			return d;
	}
	return NULL;
}

int mconsole_parse_unit(const char **str, int max, int *start, int *end)
{
	const char *s = *str;
	long n = 0;
	*start = 0;
	*end = max;
	if (!isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s)) {
		if (n <= max)   /* past max stays past max, without overflowing */
			n = n * 10 + (*s - '0');
		s++;
	}
	*str = s;
	return n > max ? max + 1 : (int)n;
}

/* A query: the device writes its configuration; a buffer too small is made larger. */
static void query_config(struct mc_request *req, struct mconsole_device *dev, const char *unit)
{
	const char *error = NULL;
	size_t size = 256;
	if (!dev->get_config) {
		mconsole_reply(req, "No get_config routine defined", 1, false);
		return;
	}
	for (int tries = 0; tries < 8; tries++) {
		char *buf = calloc(1, size);
		if (!buf)
			break;
		int n = dev->get_config(unit, buf, size, &error);
		if (n < 0) {
			mconsole_reply(req, error ? error : "", 1, false);
			free(buf);
			return;
		}
		if ((size_t)n < size) {
			mconsole_reply(req, buf, 0, false);
			free(buf);
			return;
		}
		free(buf);
		size = (size_t)n + 1;
	}
	mconsole_reply(req, "Failed to allocate buffer", 1, false);
}

void mconsole_cmd_config(struct mc_request *req)
{
	const char *arg = mconsole_argument(req);
	struct mconsole_device *dev = find_device(arg);
	if (!dev) {
		mconsole_reply(req, "Bad configuration option", 1, false);
		return;
	}
	const char *rest = arg + strlen(dev->name);
	if (!strchr(rest, '=')) {
		query_config(req, dev, rest);
		return;
	}
	if (!dev->config) {
		mconsole_reply(req, "Device doesn't support hot-plugging", 1, false);
		return;
	}
	const char *error = NULL;
	int err = dev->config(rest, &error);
	mconsole_reply(req, error ? error : "", err, false);
}

void mconsole_cmd_remove(struct mc_request *req)
{
	const char *arg = mconsole_argument(req);
	struct mconsole_device *dev = find_device(arg);
	if (!dev) {
		mconsole_reply(req, "Bad remove option", 1, false);
		return;
	}
	const char *rest = arg + strlen(dev->name);
	int start = 0, end = 0;
	int unit = dev->id ? dev->id(&rest, &start, &end) : -1;
	if (unit < 0) {
		mconsole_reply(req, "Couldn't parse device number", 1, false);
		return;
	}
	if (unit < start || unit > end) {
		char text[96];
		snprintf(text, sizeof(text), "Invalid device number - must be between %d and %d",
			 start, end);
		mconsole_reply(req, text, 1, false);
		return;
	}
	const char *error = NULL;
	int err = dev->remove ? dev->remove(unit, &error) : -EOPNOTSUPP;
	if (!error) {
		switch (err) {
		case 0: error = ""; break;
		case -ENODEV: error = "Device doesn't exist"; break;
		case -EBUSY: error = "Device is currently open"; break;
		case -EOPNOTSUPP: error = "Device doesn't support removal"; break;
		default: error = strerror(-err); break;
		}
	}
	mconsole_reply(req, error, err, false);
}
