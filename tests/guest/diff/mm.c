/* memory management: anonymous mmap/munmap, MAP_SHARED vs MAP_PRIVATE
 * across fork (copy-on-write), file mappings (MAP_SHARED writes reach the
 * file, write() reaches the mapping, MAP_PRIVATE does not write back),
 * mprotect, mremap (grow, move, shrink), madvise(MADV_DONTNEED) zeroes,
 * brk/sbrk, MAP_FIXED, MAP_FIXED_NOREPLACE, mmap errors, a 32 MiB touch
 * test, mincore residency after touching, msync. */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>

static int child_status(void (*fn)(void))
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		fn();
		_exit(0);
	}
	return wait_for(p);
}

static char *g_unmapped;
static void touch_unmapped(void) { g_unmapped[0] = 1; }
static int global_var = 5;

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	long pg = sysconf(_SC_PAGESIZE);

	/* anonymous */
	char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	SHOW_BOOL("mmap anon ok", m != MAP_FAILED);
	SHOW_BOOL("page aligned", ((uintptr_t)m % pg) == 0);
	int zero = 1;
	for (long i = 0; i < 4 * pg; i++)
		if (m[i])
			zero = 0;
	SHOW_BOOL("fresh anonymous memory is zero", zero);
	memset(m, 0x5a, 4 * pg);
	SHOW_INT("write/read", m[3 * pg + 7]);
	CHECK_ERRNO(munmap(m + pg, pg), "munmap middle page");
	g_unmapped = m + pg;
	SHOW_STATUS("touching unmapped page", child_status(touch_unmapped));
	SHOW_INT("neighbour pages intact", m[0] + m[2 * pg]);
	CHECK_ERRNO(munmap(m, 4 * pg), "munmap range with a hole");
	CHECK_ERRNO(munmap(m + 1, pg), "munmap unaligned");
	CHECK_ERRNO(munmap(m, 0), "munmap length 0");

	/* errors */
	SHOW_BOOL("mmap length 0 fails", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
	SHOW_ERR("  errno", errno);
	SHOW_BOOL("mmap without SHARED/PRIVATE fails", mmap(NULL, pg, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
	SHOW_ERR("  errno", errno);
	SHOW_BOOL("mmap bad fd fails", mmap(NULL, pg, PROT_READ, MAP_PRIVATE, 77, 0) == MAP_FAILED);
	SHOW_ERR("  errno", errno);
	SHOW_BOOL("mmap unaligned offset fails", mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1) == MAP_FAILED);
	SHOW_ERR("  errno", errno);
	write_file("ro", "read only file", 0644);
	int rofd = open("ro", O_RDONLY);
	SHOW_BOOL("MAP_SHARED PROT_WRITE on O_RDONLY fd fails", mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, rofd, 0) == MAP_FAILED);
	SHOW_ERR("  errno", errno);
	char *priv = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, rofd, 0);
	SHOW_BOOL("MAP_PRIVATE PROT_WRITE on O_RDONLY fd ok", priv != MAP_FAILED);
	priv[0] = 'R';
	char fb[32] = { 0 };
	pread(rofd, fb, 14, 0);
	SHOW_STR("file after writing private mapping", fb);
	munmap(priv, pg);
	close(rofd);
	mkdir("adir", 0755);
	int dfd = open("adir", O_RDONLY);
	SHOW_BOOL("mmap a directory fails", mmap(NULL, pg, PROT_READ, MAP_PRIVATE, dfd, 0) == MAP_FAILED);
	SHOW_ERR("  errno", errno);
	close(dfd);

	/* shared vs private across fork */
	int *sh = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int *pv = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*sh = 1;
	*pv = 1;
	global_var = 5;
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		*sh = 2;
		*pv = 2;
		global_var = 6;
		_exit(0);
	}
	wait_for(p);
	SHOW_INT("MAP_SHARED anon after child write", *sh);
	SHOW_INT("MAP_PRIVATE anon after child write", *pv);
	SHOW_INT("global after child write", global_var);
	/* COW the other way: parent writes after fork, child sees old value */
	int pfd[2];
	pipe(pfd);
	fflush(stdout);
	p = fork();
	if (p == 0) {
		char c;
		read(pfd[0], &c, 1);
		_exit(*pv + global_var);
	}
	*pv = 10;
	global_var = 20;
	write(pfd[1], "g", 1);
	SHOW_STATUS("child sees pre-fork private values (1+5)", wait_for(p));
	close(pfd[0]);
	close(pfd[1]);

	/* file mappings */
	int fd = open("mapped", O_RDWR | O_CREAT | O_TRUNC, 0644);
	ftruncate(fd, 2 * pg);
	char *fm = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	memcpy(fm + 10, "via-mmap", 8);
	CHECK_ERRNO(msync(fm, 2 * pg, MS_SYNC), "msync");
	memset(fb, 0, sizeof fb);
	pread(fd, fb, 8, 10);
	SHOW_STR("read() sees MAP_SHARED write", fb);
	pwrite(fd, "via-write", 9, pg + 3);
	printf("mapping sees write(): %.9s\n", fm + pg + 3);
	char *fp = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	memcpy(fp + 10, "PRIVATE!", 8);
	memset(fb, 0, sizeof fb);
	pread(fd, fb, 8, 10);
	SHOW_STR("file after MAP_PRIVATE write", fb);
	printf("shared mapping after private write: %.8s\n", fm + 10);
	/* a shared file mapping is shared with a forked child */
	fflush(stdout);
	p = fork();
	if (p == 0) {
		memcpy(fm + 100, "child", 5);
		_exit(0);
	}
	wait_for(p);
	printf("parent sees child's write to shared file mapping: %.5s\n", fm + 100);
	CHECK_ERRNO(msync(fm + 1, pg, MS_SYNC), "msync unaligned");
	CHECK_ERRNO(msync(fm, pg, MS_SYNC | MS_ASYNC), "msync SYNC|ASYNC");
	munmap(fp, pg);
	munmap(fm, 2 * pg);
	memset(fb, 0, sizeof fb);
	pread(fd, fb, 8, 10);
	SHOW_STR("file keeps data after munmap", fb);
	/* mapping with offset */
	char *off = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, pg);
	printf("mapping at offset pg: %.9s\n", off + 3);
	munmap(off, pg);
	close(fd);

	/* mprotect */
	m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_ERRNO(mprotect(m, pg, PROT_READ), "mprotect PROT_READ");
	CHECK_ERRNO(mprotect(m + 1, pg, PROT_READ), "mprotect unaligned");
	CHECK_ERRNO(mprotect(m, pg, 0x100), "mprotect bad prot");
	CHECK_ERRNO(mprotect(m, pg, PROT_READ | PROT_WRITE), "mprotect back to RW");
	m[0] = 1;
	munmap(m, 2 * pg);

	/* mremap */
	m = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	strcpy(m, "keep me");
	char *m2 = mremap(m, pg, 64 * pg, MREMAP_MAYMOVE);
	SHOW_BOOL("mremap grow ok", m2 != MAP_FAILED);
	SHOW_STR("contents kept", m2);
	m2[63 * pg] = 'z';
	SHOW_INT("new tail usable", m2[63 * pg]);
	char *m3 = mremap(m2, 64 * pg, pg, 0);
	SHOW_BOOL("mremap shrink in place", m3 == m2);
	CHECK_ERRNO((long)mremap(m3, pg, 2 * pg, 0x80), "mremap bad flags");
	munmap(m3, pg);

	/* madvise DONTNEED zeroes private anonymous memory */
	m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(m, 7, 4 * pg);
	CHECK_ERRNO(madvise(m, 2 * pg, MADV_DONTNEED), "madvise DONTNEED");
	printf("after DONTNEED: first=%d third page=%d\n", m[0], m[2 * pg]);
	CHECK_ERRNO(madvise(m, pg, 12345), "madvise bad advice");
	unsigned char vec[4];
	CHECK_ERRNO(mincore(m, 4 * pg, vec), "mincore");
	printf("mincore residency (dropped+untouched, touched, touched): %d %d %d\n", vec[1] & 1, vec[2] & 1, vec[3] & 1);
	CHECK_ERRNO(mincore(m + 1, pg, vec), "mincore unaligned");
	munmap(m, 4 * pg);
	CHECK_ERRNO(mincore(m, pg, vec), "mincore on unmapped range");

	/* MAP_FIXED */
	m = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(m, 1, 3 * pg);
	char *fx = mmap(m + pg, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	SHOW_BOOL("MAP_FIXED at requested address", fx == m + pg);
	printf("MAP_FIXED replaced page content: %d %d %d\n", m[0], m[pg], m[2 * pg]);
	char *nr = mmap(m + pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	SHOW_BOOL("MAP_FIXED_NOREPLACE on used range fails", nr == MAP_FAILED);
	SHOW_ERR("  errno", errno);
	SHOW_BOOL("MAP_FIXED unaligned fails", mmap(m + 1, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED);
	SHOW_ERR("  errno", errno);
	munmap(m, 3 * pg);
	nr = mmap(m, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	SHOW_BOOL("MAP_FIXED_NOREPLACE on free range", nr == m);
	munmap(nr, pg);

	/* brk */
	char *b0 = sbrk(0);
	SHOW_BOOL("sbrk(0) ok", b0 != (void *)-1);
	char *b1 = sbrk(10 * pg);
	SHOW_BOOL("sbrk grows from old break", b1 == b0);
	memset(b1, 3, 10 * pg);
	SHOW_INT("new heap usable", b1[10 * pg - 1]);
	SHOW_BOOL("sbrk(0) moved by 10 pages", (char *)sbrk(0) == b0 + 10 * pg);
	sbrk(-10 * pg);
	SHOW_BOOL("sbrk shrink back", (char *)sbrk(0) == b0);
	long r = syscall(12 /* brk */, 0);
	SHOW_BOOL("brk(0) returns current break", (char *)r == b0);
	r = syscall(12, 1);
	SHOW_BOOL("brk(1) fails: returns current break", (char *)r == b0);

	/* bigger region: 32 MiB touched page by page */
	size_t big = 32UL << 20;
	char *bg = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long sum = 0;
	for (size_t i = 0; i < big; i += pg)
		bg[i] = (char)(i / pg);
	for (size_t i = 0; i < big; i += pg)
		sum += (unsigned char)bg[i];
	SHOW_INT("32 MiB touched, checksum", sum);
	munmap(bg, big);
	/* and a child touching it too (COW of a big region) */
	bg = mmap(NULL, 8UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(bg, 1, 8UL << 20);
	fflush(stdout);
	p = fork();
	if (p == 0) {
		memset(bg, 2, 8UL << 20);
		_exit(bg[12345]);
	}
	SHOW_STATUS("child wrote 8 MiB COW region", wait_for(p));
	SHOW_INT("parent still sees", bg[12345]);
	munmap(bg, 8UL << 20);
	return 0;
}
