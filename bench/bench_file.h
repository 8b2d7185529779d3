/* Shared by pread4k/pwrite4k: a 16 MiB scratch file in /tmp, 4 KiB blocks. */
#ifndef UMLINUX_BENCH_FILE_H
#define UMLINUX_BENCH_FILE_H

#include "bench.h"
#include <fcntl.h>
#include <unistd.h>

#define BF_SIZE   (16l << 20)
#define BF_BLOCK  4096l
#define BF_BLOCKS (BF_SIZE / BF_BLOCK)

static char bf_path[64];

static void bf_cleanup(void)
{
	if (bf_path[0])
		unlink(bf_path);
}

/* Create and fill the file (so reads hit real data), return an O_RDWR fd. */
static int bf_create(const char *name)
{
	static char buf[1 << 16];
	int fd;

	snprintf(bf_path, sizeof(bf_path), "/tmp/umlinux-bench-%s.%d", name, (int)getpid());
	fd = open(bf_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		bf_path[0] = 0;
		bench_die(name, "open");
	}
	atexit(bf_cleanup);
	memset(buf, 0xa5, sizeof(buf));
	for (long off = 0; off < BF_SIZE; off += (long)sizeof(buf))
		if (pwrite(fd, buf, sizeof(buf), off) != (ssize_t)sizeof(buf))
			bench_die(name, "fill");
	return fd;
}

/* Block-aligned pseudo-random offset within the file. */
static inline off_t bf_offset(uint64_t *seed)
{
	return (off_t)(bench_rand(seed) % BF_BLOCKS) * BF_BLOCK;
}

#endif
