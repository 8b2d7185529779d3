/*
 * Facilities this kernel does not have, answered as a Linux built without them
 * (CONFIG_KEYS=n, CONFIG_INOTIFY_USER=n): ENOSYS, quietly, since programs expect it.
 * su's pam_keyinit carries on without a session keyring; tail -f falls back to polling.
 */
#include <errno.h>
#include "sys/syscalls.h"

#define ABSENT(name) SYSCALL(name) { (void)t; (void)a; return -ENOSYS; }

ABSENT(add_key)
ABSENT(request_key)
ABSENT(keyctl)
ABSENT(inotify_init)
ABSENT(inotify_init1)
ABSENT(inotify_add_watch)
ABSENT(inotify_rm_watch)
