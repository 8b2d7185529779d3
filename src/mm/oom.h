/* The OOM killer's choice and kill, for sysrq f (and for mem= enforcement to use). */
#ifndef UMLINUX_MM_OOM_H
#define UMLINUX_MM_OOM_H
#include <stdbool.h>
/* Kills the process using the most memory (never init), with Linux's "Out of memory:
 * Killed process ..." log line. False when no process is eligible. */
bool oom_kill_biggest(void);
#endif
