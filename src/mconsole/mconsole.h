/*
 * MConsole, the management console: the host manages a running machine through the
 * datagram socket <umid dir>/mconsole (uml_mconsole, UML::MConsole), and the machine
 * reports events to the socket given by mconsole=notify:<path>. See docs/mconsole.md.
 */
#ifndef UMLINUX_MCONSOLE_H
#define UMLINUX_MCONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include "kernel/list.h"
#include "kernel/umid.h"
#include "mconsole_proto.h"

/* Boot: binds the request socket in the umid directory (printing UML's "mconsole
 * (version 2) initialized on <path>"), sends the socket notification and creates
 * /proc/mconsole when notify_path is set (mconsole=notify:). Without a socket (path too
 * long, ...) the machine runs on unmanaged, after a log line saying why. */
int mconsole_init(const struct umid_dir *umid, const char *notify_path);

/*
 * Devices that can be configured, queried and removed at run time (config/remove).
 * A device is found by the prefix of the request's argument ("ubd" in "ubd1=file").
 * Each operation receives the text after the name and may set *error to a message for
 * the client (a string that outlives the call); NULL operations are refused.
 */
struct mconsole_device {
	const char *name;
	/* config <name><spec>, e.g. spec "1=cow,backing": hot-plug. Returns 0, or the
	 * reply's error code (1, or a negative errno) with *error set. */
	int (*config)(const char *spec, const char **error);
	/* config <name><unit>: writes the current configuration into buf (snprintf-style:
	 * returns the length it needs, and is called again with a larger buffer when that
	 * did not fit), or returns a negative value with *error set. */
	int (*get_config)(const char *unit, char *buf, size_t size, const char **error);
	/* Parses the unit in *str (advancing it) and the valid range; returns the unit or
	 * -1 when there is none. */
	int (*id)(const char **str, int *start, int *end);
	/* remove <name><unit>: 0, -ENODEV (no such device), -EBUSY (in use), or another
	 * negative errno; *error may replace the standard message. */
	int (*remove)(int unit, const char **error);
	struct list_head link;
};
void mconsole_register_device(struct mconsole_device *dev);
void mconsole_unregister_device(struct mconsole_device *dev);
/* The common id: a decimal unit number right after the name, within [0, max]. */
int mconsole_parse_unit(const char **str, int max, int *start, int *end);

/* Sends a notification to the mconsole=notify: socket, if there is one. */
void mconsole_notify(enum mconsole_notify_type type, const void *data, size_t len);
/* That socket's path (for uml_watchdog), or NULL without mconsole=notify:. */
const char *mconsole_notify_socket(void);

/* MConsole stop: true from "stop" until "go". */
bool mconsole_machine_stopped(void);

/* SysRq (Linux's handle_sysrq): runs the action for key when /proc/sys/kernel/sysrq
 * allows it. check_mask false skips that check, as /proc/sysrq-trigger does. */
void sysrq_handle(int key, bool check_mask);

#endif
