/*
 * ubd: UML's block devices. Each unit is a host file (an image, or a COW file over a
 * read-only backing file) shown to the guest as /dev/ubda... (major 98, 16 minors per
 * disk) and usable as a filesystem's disk. Switches: ubd<n><flags>=<file>[,<backing>].
 */
#ifndef UMLINUX_DRIVERS_UBD_H
#define UMLINUX_DRIVERS_UBD_H
#include <stdbool.h>
#include <limits.h>
#include <stddef.h>

#define UBD_MAJOR     98
#define UBD_SHIFT     4            /* minors per disk: 16 (partitions) */
#define UBD_MAX_DEV   16

/* One ubd switch, parsed. */
struct ubd_config {
	int unit;                      /* 0..15 */
	bool read_only;                /* r */
	bool sync;                     /* s: O_SYNC writes */
	bool no_cow;                   /* d: the file is data, never a COW header */
	bool shared;                   /* c: no host lock */
	bool no_trim;                  /* t */
	char file[PATH_MAX];
	char backing[PATH_MAX];        /* "" when none was given */
	char serial[64];
};

/* What a switch asks for besides a device. */
enum ubd_switch_kind { UBD_SWITCH_DEVICE, UBD_SWITCH_SYNC_ALL, UBD_SWITCH_FAKE_MAJOR };

/* A unit number ("1", "15") or letter ("b"), advancing *s; 0, or -1 with *why set. */
int ubd_parse_unit(const char **s, int *unit, const char **why);

/* Parses what follows "ubd" in a switch ("a=cow,root_fs", "0r=img", "=sync"). Returns
 * the kind (>= 0), or -1 with *why set to UML's message for the error. *fake_major gets
 * the number of a ubd=<major> switch. */
int ubd_parse_switch(const char *s, struct ubd_config *c, int *fake_major, const char **why);

/* Sets up every ubd<n>= switch among the driver switches (NULL-terminated): opens the
 * files (creating COW files), registers the disks and their /dev nodes. Errors are
 * logged; the other units go on. Returns the number of units configured. */
int ubd_init(const char *const *driver_args);

/* Whether unit n has a disk (for root=/dev/ubda as the default). */
bool ubd_configured(int unit);

/*
 * Hot-plug, in the shape of MConsole's device operations (UML's ubd_config,
 * ubd_get_config, ubd_id and ubd_remove, with their replies):
 *   ubd_config("b=cow,backing")  adds a unit: 0, 1 with *error for a bad switch, or
 *                                -errno with *error when its files can't be used;
 *   ubd_get_config("b", ...)     "<file>" or "<cow>,<backing>" ("" when unconfigured),
 *                                snprintf-style; -1 with *error for a bad unit;
 *   ubd_id(&str, ...)            the unit at *str (advanced) and the valid range;
 *   ubd_remove(1, ...)           0, -ENODEV (no disk), -EBUSY (open or mounted).
 */
int ubd_config(const char *spec, const char **error);
int ubd_get_config(const char *unit, char *buf, size_t size, const char **error);
int ubd_id(const char **str, int *start, int *end);
int ubd_remove(int unit, const char **error);
void ubd_mconsole_register(void);   /* ubd_mconsole.c: the operations above as "ubd" */
#endif
