/* The memory character devices (major 1): null, zero, full, random, urandom, kmsg. */
#ifndef UMLINUX_DRIVERS_MEM_H
#define UMLINUX_DRIVERS_MEM_H

#include <stddef.h>

/* Registers major 1 ("mem" in /proc/devices) with the character device table. */
void mem_devices_init(void);

/* Random bytes for the kernel's own use (UUIDs, AT_RANDOM...), from the host. */
void get_random_bytes(void *buf, size_t len);

#endif
