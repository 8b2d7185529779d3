#ifndef UMLINUX_HALT_H
#define UMLINUX_HALT_H
#include <stdbool.h>
#include "kernel/umid.h"
/* What kernel_halt needs: the umid directory to remove, and how to reboot. */
void halt_setup(const struct umid_dir *umid, bool noreboot, char **argv);
#endif
