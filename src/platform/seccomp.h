#ifndef UMLINUX_SECCOMP_H
#define UMLINUX_SECCOMP_H
#include <linux/filter.h>
#include <stddef.h>
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
size_t seccomp_build_filter(struct sock_filter *p, size_t max);
int seccomp_install(void);             /* in the task host, before it execs the stub */
const char *seccomp_allow_reason(int nr); /* NULL when nr stops for the kernel */
#endif
