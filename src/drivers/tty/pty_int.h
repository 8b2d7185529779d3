/* Inside the pseudo-terminal driver: a pair, shared by pty.c (lifetime, opens, the
 * slave's driver) and pty_master.c (the master's file). */
#ifndef UMLINUX_PTY_INT_H
#define UMLINUX_PTY_INT_H
#include "drivers/tty/pty.h"
#include "drivers/tty/tty_int.h"

#define PTY_BUF_SIZE 65536u   /* slave output waiting for a master reader */

/* Pairs are kept for good once made and reused by index: a zombie's controlling tty
 * may still point at a slave whose pair is gone. */
struct pty {
	struct tty slave;
	int index;
	bool in_use;             /* a master is open, or slave files remain */
	bool master_open;
	bool locked;             /* TIOCSPTLCK (unlockpt clears it): slave opens fail */
	bool other_closed;       /* every slave file closed: master reads EIO once drained */
	bool packet;             /* TIOCPKT */
	unsigned char pkt_status;  /* TIOCPKT_* waiting for a packet-mode reader */
	char *out;               /* ring of slave output */
	size_t out_head, out_len;
	struct waitq read_wait, write_wait;   /* the master's readers and writers */
};

extern const struct file_ops pty_master_fops;

/* pty.c */
size_t pty_out_take(struct pty *p, char *buf, size_t len);
/* The master is gone: the slave hangs up and the pair frees once its files close. */
void pty_master_closed(struct pty *p);
/* TIOCGPTPEER: a new descriptor of the slave. */
long pty_open_peer(struct pty *p, struct task *t, unsigned long flags);
#endif
