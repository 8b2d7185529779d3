/*
 * The guest names of memfd-backed mappings. Files of tmpfs and ext2/3/4 are mapped
 * through host memfds (their page caches), which the host's /proc/<pid>/maps names
 * "/memfd:<name> (deleted)". When such a file is mapped (mmap, exec) its memfd's name is
 * remembered with the file's guest path, device and inode number, so /proc/<pid>/maps
 * can show what Linux shows: the path, and " (deleted)" once the file has no name.
 * Each memfd's name is unique to its inode (fs/ext2/pagecache.c, fs/tmpfs/file.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mm/mapped_names.h"

#define MAX_NAMES 4096   /* the oldest is forgotten beyond this */

struct mapped_name {
	char *memfd;             /* "/memfd:ext2:98:0:12", as the host names it */
	char *path;              /* the guest path when last mapped */
	dev_t dev;
	uint64_t ino;
	struct inode *inode;     /* while it lives (no reference), for " (deleted)" */
	bool deleted;            /* the inode went without a name */
	struct mapped_name *next;
};

static struct mapped_name *names;   /* newest first */
static unsigned count;

static struct mapped_name *find(const char *memfd)
{
	for (struct mapped_name *m = names; m; m = m->next)
		if (!strcmp(m->memfd, memfd))
			return m;
	return NULL;
}

static void drop_oldest(void)
{
	struct mapped_name **pp = &names;

	if (!*pp)
		return;
	while ((*pp)->next)
		pp = &(*pp)->next;
	free((*pp)->memfd);
	free((*pp)->path);
	free(*pp);
	*pp = NULL;
	count--;
}

/* The host's name of host_fd without " (deleted)", if it is a memfd. */
static bool memfd_name(int host_fd, char *buf, size_t len)
{
	static const char deleted[] = " (deleted)";
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", host_fd);
	n = readlink(link, buf, len - 1);
	if (n <= 0 || strncmp(buf, "/memfd:", 7))
		return false;
	buf[n] = '\0';
	if ((size_t)n > sizeof(deleted) - 1 && !strcmp(buf + n - (sizeof(deleted) - 1), deleted))
		buf[n - (sizeof(deleted) - 1)] = '\0';
	return true;
}

void mapped_name_note(struct task *t, struct file *f, int host_fd)
{
	char memfd[PATH_MAX], path[PATH_MAX];
	struct mapped_name *m;

	/* exec and mmap of other files (hostfs) pay nothing here */
	if (!f->inode || !f->inode->sb || !f->inode->sb->maps_memfds ||
	    !memfd_name(host_fd, memfd, sizeof(memfd)))
		return;
	if (path_to_string(t, &f->path, path, sizeof(path)) < 0)
		return;
	m = find(memfd);
	if (!m) {
		if (count >= MAX_NAMES)
			drop_oldest();
		m = xcalloc(1, sizeof(*m));
		m->memfd = xstrdup(memfd);
		m->next = names;
		names = m;
		count++;
	} else {
		free(m->path);
	}
	m->path = xstrdup(path);
	m->dev = f->inode->sb ? f->inode->sb->dev : 0;
	m->ino = f->inode->ino;
	m->inode = f->inode;
	m->deleted = false;
}

void mapped_name_forget(struct inode *inode)
{
	for (struct mapped_name *m = names; m; m = m->next) {
		if (m->inode != inode)
			continue;
		m->deleted = inode->dead || inode->nlink == 0;
		m->inode = NULL;
	}
}

int mapped_name_lookup(const char *host_name, char *buf, size_t len, dev_t *dev, uint64_t *ino)
{
	struct mapped_name *m = names ? find(host_name) : NULL;
	bool deleted;

	if (!m)
		return -ENOENT;
	deleted = m->inode ? (m->inode->dead || m->inode->nlink == 0) : m->deleted;
	snprintf(buf, len, "%s%s", m->path, deleted ? " (deleted)" : "");
	*dev = m->dev;
	*ino = m->ino;
	return 0;
}

struct inode *mapped_name_inode(const char *host_name)
{
	struct mapped_name *m = names ? find(host_name) : NULL;

	return m ? m->inode : NULL;
}
