/* disk_io: file I/O timings for bench/ubd.sh, natively and in a guest whose root is an
 * ext4 image through a COW file.
 *
 *   disk_io seqwrite DIR MIB     write DIR/seq in 1 MiB writes, then fsync: ns per MiB
 *   disk_io seqread DIR          read DIR/seq in 1 MiB reads: ns per MiB
 *   disk_io randread DIR N       N preads of 4 KiB at random aligned offsets of DIR/seq
 *   disk_io untar DIR TARBALL    busybox tar -x into DIR (fork, exec, wait): ns in all
 *
 * Each prints one line "<name> <ns>". */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

#define MIB (1 << 20)

static char buf[MIB];

static int open_seq(const char *dir, int flags)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/seq", dir);
	int fd = open(path, flags, 0644);
	if (fd < 0)
		bench_die("disk_io", path);
	return fd;
}

static void seqwrite(const char *dir, long mib)
{
	int fd = open_seq(dir, O_WRONLY | O_CREAT | O_TRUNC);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 31 + 7);
	uint64_t t0 = bench_now_ns();
	for (long i = 0; i < mib; i++)
		if (write(fd, buf, MIB) != MIB)
			bench_die("seqwrite", "write");
	if (fsync(fd) < 0)
		bench_die("seqwrite", "fsync");
	uint64_t t1 = bench_now_ns();
	close(fd);
	printf("seqwrite %llu\n", (unsigned long long)((t1 - t0) / (uint64_t)mib));
}

static void seqread(const char *dir)
{
	int fd = open_seq(dir, O_RDONLY);
	long mib = 0;
	ssize_t n;
	uint64_t t0 = bench_now_ns();
	while ((n = read(fd, buf, MIB)) > 0)
		mib += n == MIB;
	uint64_t t1 = bench_now_ns();
	if (n < 0 || mib == 0)
		bench_die("seqread", "read");
	close(fd);
	printf("seqread %llu\n", (unsigned long long)((t1 - t0) / (uint64_t)mib));
}

static void randread(const char *dir, long n)
{
	int fd = open_seq(dir, O_RDONLY);
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_size < 4096)
		bench_die("randread", "fstat");
	uint64_t blocks = (uint64_t)st.st_size / 4096, seed = 0x9e3779b97f4a7c15ull;
	uint64_t t0 = bench_now_ns();
	for (long i = 0; i < n; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		if (pread(fd, buf, 4096, (off_t)((seed >> 33) % blocks * 4096)) != 4096)
			bench_die("randread", "pread");
	}
	uint64_t t1 = bench_now_ns();
	close(fd);
	printf("randread4k %llu\n", (unsigned long long)((t1 - t0) / (uint64_t)n));
}

static void untar(const char *dir, const char *tarball)
{
	uint64_t t0 = bench_now_ns();
	pid_t p = fork();
	if (p == 0) {
		execl("/bin/busybox", "tar", "-x", "-f", tarball, "-C", dir, (char *)NULL);
		_exit(127);
	}
	int st;
	if (p < 0 || waitpid(p, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		bench_die("untar", "busybox tar -x");
	uint64_t t1 = bench_now_ns();
	printf("untar %llu\n", (unsigned long long)(t1 - t0));
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "seqwrite"))
		seqwrite(argv[2], atol(argv[3]));
	else if (argc >= 3 && !strcmp(argv[1], "seqread"))
		seqread(argv[2]);
	else if (argc >= 4 && !strcmp(argv[1], "randread"))
		randread(argv[2], atol(argv[3]));
	else if (argc >= 4 && !strcmp(argv[1], "untar"))
		untar(argv[2], argv[3]);
	else {
		fprintf(stderr, "usage: disk_io seqwrite|seqread|randread|untar DIR [ARG]\n");
		return 2;
	}
	return 0;
}
