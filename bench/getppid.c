/* getppid: cost of a trivial syscall (the raw syscall, bypassing any libc caching). */
#include "bench.h"
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long warm, n = bench_iters(argc, argv, 1000000, &warm);
	uint64_t t0, t1;

	for (long i = 0; i < warm; i++)
		syscall(SYS_getppid);
	t0 = bench_now_ns();
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	t1 = bench_now_ns();
	bench_report("getppid", t0, t1, n);
	return 0;
}
