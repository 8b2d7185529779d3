/*
 * msync. The host does what it can (a hostfs file's mapping is the host file's own
 * pages); files whose mapping is a page-cache memfd (ext2/3/4) are written back to their
 * disk for MS_SYNC and MS_ASYNC alike, found through the host's view of the caller's
 * mappings and the names noted when they were mapped (mapped_names.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "fs/proc/hostproc.h"
#include "mm/mapped_names.h"
#include "mm/mmap.h"
#include "platform/platform.h"

/* The inode behind one line of the host's maps, if it overlaps [from, to). */
static struct inode *line_inode(const char *line, size_t n, unsigned long from, unsigned long to)
{
	static const char deleted[] = " (deleted)";
	char buf[PATH_MAX + 128], *name;
	unsigned long start, end;
	int at = 0;

	if (n >= sizeof(buf))
		return NULL;
	memcpy(buf, line, n);
	buf[n] = '\0';
	if (sscanf(buf, "%lx-%lx %*s %*s %*s %*s %n", &start, &end, &at) < 2 || !at)
		return NULL;
	if (end <= from || start >= to)
		return NULL;
	name = buf + at;
	if (strncmp(name, "/memfd:", 7))
		return NULL;
	size_t len = strlen(name), dl = sizeof(deleted) - 1;
	if (len > dl && !strcmp(name + len - dl, deleted))
		name[len - dl] = '\0';
	return mapped_name_inode(name);
}

long sys_msync(struct task *t, struct syscall_args *a)
{
	unsigned long addr = a->a[0], len = a->a[1];
	int flags = (int)a->a[2];
	size_t maps_len;
	char *maps;
	int err = 0;

	long r = mm_range_checked(t, a);
	if (r != SYSRET_PASSTHROUGH)
		return r;
	if (!(flags & (MS_SYNC | MS_ASYNC)) || (flags & ~(MS_SYNC | MS_ASYNC | MS_INVALIDATE)) ||
	    ((flags & MS_SYNC) && (flags & MS_ASYNC)))
		return SYSRET_PASSTHROUGH;   /* the host answers EINVAL */
	maps = hostproc_read(t->tg->host_tgid, 0, "maps", &maps_len);
	for (const char *p = maps, *end = maps ? maps + maps_len : NULL; p && p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct inode *i = line_inode(p, n, addr, addr + len);
		if (i && i->iops && i->iops->sync_mapping && !err)
			err = i->iops->sync_mapping(i);
		p += n + 1;
	}
	free(maps);
	return err ? err : SYSRET_PASSTHROUGH;   /* the host checks the range and does the rest */
}
