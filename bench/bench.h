/* Shared helpers for the bench/ micro-benchmarks.
 *
 * Every benchmark is a small static program: `prog <iterations>`.  It does a
 * warm-up of iterations/10 (at least 1) untimed operations, then times
 * <iterations> operations with CLOCK_MONOTONIC and prints exactly one line
 * "<name> <ns-per-op>" on stdout.  Errors go to stderr with exit status 1, so
 * a missing line means the run failed.
 */
#ifndef UMLINUX_BENCH_H
#define UMLINUX_BENCH_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline void bench_die(const char *name, const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", name, what, strerror(errno));
	exit(1);
}

/* Iteration count from argv[1] (default dflt); returns the warm-up count in *warm. */
static inline long bench_iters(int argc, char **argv, long dflt, long *warm)
{
	long n = dflt;

	if (argc > 1) {
		char *end;

		errno = 0;
		n = strtol(argv[1], &end, 0);
		if (errno || *end || n < 1) {
			fprintf(stderr, "usage: %s <iterations>\n", argv[0]);
			exit(2);
		}
	}
	*warm = n / 10 ? n / 10 : 1;
	return n;
}

static inline void bench_report(const char *name, uint64_t t0, uint64_t t1, long iters)
{
	printf("%s %.1f\n", name, (double)(t1 - t0) / (double)iters);
	fflush(stdout);
}

/* xorshift64: cheap deterministic pseudo-random numbers for the I/O offsets. */
static inline uint64_t bench_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

#endif
