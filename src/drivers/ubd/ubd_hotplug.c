/*
 * ubd hot-plug, as MConsole's "config" and "remove" reach it: adding a unit at run time
 * (the same switch syntax as the command line), asking a unit what it holds, and
 * removing a unit nothing has open or mounted. Replies and error codes are UML's.
 */
#include <errno.h>
#include <stdio.h>
#include "drivers/ubd/ubd_int.h"

int ubd_config(const char *spec, const char **error)
{
	struct ubd_config c;
	int major = 0;
	*error = NULL;
	int kind = ubd_parse_switch(spec, &c, &major, error);
	if (kind < 0)
		return 1;
	if (kind != UBD_SWITCH_DEVICE) {
		*error = "Can't change ubd settings at run time";
		return 1;
	}
	if (ubd_unit(c.unit)) {
		*error = "Device is already configured";
		return 1;
	}
	int err = ubd_add_unit(&c);
	if (err) {
		*error = "Couldn't determine size of device's file";
		return err;
	}
	return 0;
}

int ubd_get_config(const char *name, char *buf, size_t size, const char **error)
{
	int n;
	const char *why;
	if (ubd_parse_unit(&name, &n, &why) < 0) {
		*error = "ubd_get_config : device number out of range";
		return -1;
	}
	struct ubd *u = ubd_unit(n);
	if (!u)
		return snprintf(buf, size, "%s", "");
	if (u->backing_fd >= 0)
		return snprintf(buf, size, "%s,%s", u->cfg.file, u->backing_name);
	return snprintf(buf, size, "%s", u->cfg.file);
}

/* UML's: the unit as written, number or letter; MConsole checks it against the range. */
int ubd_id(const char **str, int *start, int *end)
{
	const char *s = *str;
	*start = 0;
	*end = UBD_MAX_DEV - 1;
	if (*s >= 'a' && *s <= 'z') {
		*str = s + 1;
		return *s - 'a';
	}
	if (*s < '0' || *s > '9')
		return -1;
	int n = 0;
	while (*s >= '0' && *s <= '9') {
		if (n <= UBD_MAX_DEV)   /* past the range stays past it, without overflow */
			n = n * 10 + (*s - '0');
		s++;
	}
	*str = s;
	return n;
}

int ubd_remove(int unit, const char **error)
{
	*error = NULL;
	struct ubd *u = ubd_unit(unit);
	if (!u)
		return -ENODEV;
	if (u->disk.users > 0 || u->disk.mounted)
		return -EBUSY;
	ubd_del_unit(unit);
	return 0;
}
