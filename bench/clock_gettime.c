/* clock_gettime: the real clock_gettime syscall (not the vDSO fast path). */
#include "bench.h"
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long warm, n = bench_iters(argc, argv, 1000000, &warm);
	struct timespec ts;
	uint64_t t0, t1;

	for (long i = 0; i < warm; i++)
		if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts))
			bench_die("clock_gettime", "syscall");
	t0 = bench_now_ns();
	for (long i = 0; i < n; i++)
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	t1 = bench_now_ns();
	bench_report("clock_gettime", t0, t1, n);
	return 0;
}
