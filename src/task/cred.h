/*
 * Credentials beyond the ids: capabilities and the changes execve and setuid make to
 * them, with Linux's rules (capabilities(7): "Effect of user ID changes on capabilities").
 */
#ifndef UMLINUX_TASK_CRED_H
#define UMLINUX_TASK_CRED_H
#include <linux/capability.h>
#include "kernel/kernel.h"

/* Every capability this kernel knows (0x1ff_ffffffff with CAP_LAST_CAP 40). */
#define CAP_FULL_SET ((2ULL << CAP_LAST_CAP) - 1)

uint64_t cred_cap_effective(const struct cred *c);
uint64_t cred_cap_permitted(const struct cred *c);
uint64_t cred_cap_bset(const struct cred *c);
/* capable(cap) for the holder of c */
bool cred_capable(const struct cred *c, int cap);
/* Drops cap from the bounding set (PR_CAPBSET_DROP). */
void cred_bset_drop(struct cred *c, int cap);

/* After execve has applied set-id bits: capabilities, keep-caps, dumpability and the
 * parent-death signal as Linux leaves them for the new image. */
void cred_exec_commit(struct task *t);

#endif
