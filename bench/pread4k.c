/* pread4k: 4 KiB pread at random block-aligned offsets in a 16 MiB file in /tmp. */
#include "bench_file.h"

int main(int argc, char **argv)
{
	long warm, n = bench_iters(argc, argv, 200000, &warm);
	static char buf[BF_BLOCK];
	uint64_t seed = 0x9e3779b97f4a7c15ull, t0, t1;
	int fd = bf_create("pread4k");

	for (long i = 0; i < warm; i++)
		if (pread(fd, buf, BF_BLOCK, bf_offset(&seed)) != BF_BLOCK)
			bench_die("pread4k", "pread");
	t0 = bench_now_ns();
	for (long i = 0; i < n; i++)
		if (pread(fd, buf, BF_BLOCK, bf_offset(&seed)) != BF_BLOCK)
			bench_die("pread4k", "pread");
	t1 = bench_now_ns();
	close(fd);
	bench_report("pread4k", t0, t1, n);
	return 0;
}
