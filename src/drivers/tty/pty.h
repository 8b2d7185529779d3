/*
 * Pseudo-terminals: opening /dev/ptmx (5,2) makes a pair. The slave, /dev/pts/N
 * (136,N), is an ordinary tty with a line discipline and job control; the master is a
 * file whose writes are the slave's input and whose reads are the slave's output.
 */
#ifndef UMLINUX_PTY_H
#define UMLINUX_PTY_H

#define PTY_MASTER_MAJOR 5     /* /dev/ptmx is (5,2) */
#define PTY_MASTER_MINOR 2
#define PTY_SLAVE_MAJOR  136
#define PTY_MAX          4096  /* /proc/sys/kernel/pty/max */

/* Registers the ptmx and pts character devices. */
void pty_init(void);
#endif
