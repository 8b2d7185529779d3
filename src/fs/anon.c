/*
 * Anonymous files: eventfd, epoll and timerfd descriptors have no name. Linux puts them
 * all on one inode of its anon_inodefs (mode 0600 without a type, owned by root), so
 * fstat shows the same device and inode number for every one of them; so do we.
 */
#include "fs/poll.h"
#include "fs/proc/proc.h"

static struct inode *anon_inode;
static const struct inode_ops anon_iops = { 0 };

static struct inode *anon_inode_get(void)
{
	if (!anon_inode)
		anon_inode = inode_new(NULL, 1, 0600, &anon_iops, NULL);  /* kept for good */
	return inode_get(anon_inode);
}

struct file *anon_file_new(const char *name, const struct file_ops *fops, void *priv,
			   unsigned flags)
{
	proc_register_anon_name(fops, name);   /* /proc/<pid>/fd shows anon_inode:<name> */
	struct file *f = file_new(NULL, flags);
	f->inode = anon_inode_get();
	f->fops = fops;
	f->priv = priv;
	return f;
}

off_t anon_llseek(struct file *f, off_t off, int whence)
{
	(void)off; (void)whence;
	return f->pos;
}

void waitq_release(struct waitq *q)
{
	waitq_wake_all(q);
	while (!list_empty(&q->waiters))
		list_del_init(q->waiters.next);
}
