/* The kernel release string: what --version prints and the boot banner shows. */
#ifndef UMLINUX_KERNEL_VERSION_H
#define UMLINUX_KERNEL_VERSION_H

/* Shaped like a Linux release (uname -r) so guest programs that parse it see 6.1. */
#define UMLINUX_VERSION "6.1.0-umlinux"

#endif
