/*
 * /proc/<pid>/maps: the host knows the guest's mappings (guest memory is the task host's
 * memory); we show them without the stub window, with guest paths for host file names.
 */
#include <stdlib.h>
#include <string.h>
#include "fs/hostfs/hostfs.h"
#include "fs/proc/format.h"
#include "fs/proc/hostproc.h"
#include "fs/proc/internal.h"
#include "mm/mapped_names.h"

/* hostfs files are mapped from their host files; tmpfs and ext2/3/4 files from memfds
 * whose names were noted when they were mapped. */
static int maps_guest_file(void *ctx, const char *host_path, char *buf, size_t len, dev_t *dev,
			   uint64_t *ino)
{
	if (!strncmp(host_path, "/memfd:", 7))
		return mapped_name_lookup(host_path, buf, len, dev, ino);
	return hostfs_guest_path(ctx, host_path, buf, len, dev);
}

int proc_show_maps(struct proc_buf *b, const struct proc_node *n, struct task *reader)
{
	struct thread_group *tg;
	struct task *t;
	int err = proc_node_target_for(n, reader, true, &tg, &t);
	if (err < 0)
		return err;
	if (tg->zombie || !t)
		return 0;
	size_t len;
	char *host = hostproc_read(tg->host_tgid, 0, "maps", &len);
	if (!host)
		return 0;
	struct proc_maps_hints h = {
		.brk_start = tg->brk_start, .brk = tg->brk, .stack_top = tg->stack_top,
		.guest_file = maps_guest_file, .ctx = proc_reader_or_init(reader),
	};
	proc_rewrite_maps(b, host, len, &h);
	free(host);
	return 0;
}
