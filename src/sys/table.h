#ifndef UMLINUX_SYS_TABLE_H
#define UMLINUX_SYS_TABLE_H
#define SYSCALL_MAX 512
extern const char *const syscall_names[SYSCALL_MAX];
#endif
