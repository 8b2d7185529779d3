/*
 * Facilities this kernel does not have, answered as a Linux built without them
 * (CONFIG_KEYS=n): ENOSYS, quietly, since programs expect it.
 * su's pam_keyinit carries on without a session keyring.
 */
#include <errno.h>
#include "sys/syscalls.h"

#define ABSENT(name) SYSCALL(name) { (void)t; (void)a; return -ENOSYS; }

ABSENT(add_key)
ABSENT(request_key)
ABSENT(keyctl)
