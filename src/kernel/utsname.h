/* The system's names, as uname(2) reports them and sethostname(2) changes them. */
#ifndef UMLINUX_KERNEL_UTSNAME_H
#define UMLINUX_KERNEL_UTSNAME_H

#include <linux/utsname.h>
#include <stddef.h>

/* sysname "Linux", nodename (default "(none)"), release UMLINUX_VERSION, version
 * "#1 <build date>", machine "x86_64" (UML reports the host's sub-architecture, not
 * "um"), domainname (default "(none)"). */
const struct new_utsname *utsname_get(void);

/* Fills the C library's struct utsname (the layout uname(2) writes). */
struct utsname;
void utsname_fill(struct utsname *u);

/* Sets the name from len bytes (not NUL-terminated): -EINVAL past __NEW_UTS_LEN. */
int utsname_set_hostname(const char *name, size_t len);
int utsname_set_domainname(const char *name, size_t len);

#endif
