/* Pipes and FIFOs. */
#ifndef UMLINUX_FS_PIPE_H
#define UMLINUX_FS_PIPE_H
#include "fs/vfs.h"
#define PIPE_DEFAULT_SIZE 65536
struct pipe {
	char *buf;
	size_t size, head, len;   /* ring buffer */
	int readers, writers;
	int fifo_readers_seen, fifo_writers_seen; /* opens so far, for FIFO open blocking */
	struct waitq rq, wq;      /* readers wait on rq (data or EOF), writers on wq (room) */
	struct fifo_entry *fifo;   /* set for a FIFO's pipe */
};
int pipe_create(struct task *t, struct file **rd, struct file **wr);
int fifo_open(struct inode *inode, struct file *f);
/* A path that opens the pipe f again (0), or 1 if f is no anonymous pipe. */
int pipe_proc_path(struct file *f, struct path *out);
long pipe_fcntl_size(struct file *f, struct task *t, int cmd, unsigned long arg);
extern const struct file_ops pipe_read_fops, pipe_write_fops;
/* splice and tee: the pipe behind f (anonymous or a FIFO), or NULL */
struct pipe *file_pipe(struct file *f);
/* Copies up to len bytes from the front of p, leaving them there; returns how many. */
size_t pipe_peek(const struct pipe *p, char *buf, size_t len);
/* Drops n bytes (at most p->len) from the front of p, waking writers. */
void pipe_consume(struct pipe *p, size_t n);
/* Appends what fits of buf, waking readers; returns how much. */
size_t pipe_put(struct pipe *p, const char *buf, size_t len);
#endif
