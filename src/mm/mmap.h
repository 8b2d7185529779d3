/* Memory-mapping calls shared between src/mm/ files. */
#ifndef UMLINUX_MM_MMAP_H
#define UMLINUX_MM_MMAP_H

#include "kernel/kernel.h"

/* A range call (munmap, madvise, msync, mlock...) that the host may run: EINVAL when it
 * touches the stub window or lies beyond the guest's address space, else
 * SYSRET_PASSTHROUGH. */
long mm_range_checked(struct task *t, struct syscall_args *a);

#endif
