/* pwrite4k: 4 KiB pwrite at random block-aligned offsets in a 16 MiB file in /tmp. */
#include "bench_file.h"

int main(int argc, char **argv)
{
	long warm, n = bench_iters(argc, argv, 100000, &warm);
	static char buf[BF_BLOCK];
	uint64_t seed = 0x9e3779b97f4a7c15ull, t0, t1;
	int fd = bf_create("pwrite4k");

	memset(buf, 0x5a, sizeof(buf));
	for (long i = 0; i < warm; i++)
		if (pwrite(fd, buf, BF_BLOCK, bf_offset(&seed)) != BF_BLOCK)
			bench_die("pwrite4k", "pwrite");
	t0 = bench_now_ns();
	for (long i = 0; i < n; i++)
		if (pwrite(fd, buf, BF_BLOCK, bf_offset(&seed)) != BF_BLOCK)
			bench_die("pwrite4k", "pwrite");
	t1 = bench_now_ns();
	close(fd);
	bench_report("pwrite4k", t0, t1, n);
	return 0;
}
