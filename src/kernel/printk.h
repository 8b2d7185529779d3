#ifndef UMLINUX_PRINTK_H
#define UMLINUX_PRINTK_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
extern int console_loglevel;
void vprintk(const char *fmt, va_list ap);
void printk_emergency(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void printk_set_console(void (*sink)(const char *s, size_t n));
/* Also hands every message's text (no level, no time stamp) to tap, whatever the console
 * level: MConsole returns what sysrq and stack print this way. NULL removes it. */
void printk_set_tap(void (*tap)(const char *s, size_t n));
/* Called with the message of a panic before the machine halts (MConsole's panic
 * notification). */
void panic_set_notifier(void (*fn)(const char *msg));
size_t printk_read_all(char *dst, size_t max);  /* the buffer's contents, oldest first */
size_t printk_size(void);
void printk_clear(void);
size_t printk_capacity(void);   /* the ring's size (syslog's SIZE_BUFFER) */
uint64_t printk_total(void);    /* bytes ever logged, never reset: the buffer ends there */
/* "Kernel panic - not syncing: Attempted to kill init! exitcode=0x..." */
void printk_emergency_init_death(int wait_status);
#endif
