/* fadvise64, readahead and sync_file_range (64-bit arguments passed as longs through
 * syscall()): every advice on a regular file succeeds; the errors come in Linux's order:
 * EBADF for bad and O_PATH descriptors, ESPIPE for pipes, EINVAL for a negative length or
 * an unknown advice; readahead needs a readable regular file; sync_file_range takes
 * regular files and directories, checks its flags and range before the file type. */
#include "check.h"
#include <sys/syscall.h>

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	int fd = open("f", O_CREAT | O_RDWR, 0644);
	CHECK_VAL(write(fd, "0123456789", 10), "write");
	static const int advice[] = { POSIX_FADV_NORMAL, POSIX_FADV_RANDOM, POSIX_FADV_SEQUENTIAL,
				      POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE };
	for (unsigned i = 0; i < sizeof(advice) / sizeof(advice[0]); i++)
		CHECK_ERRNO(syscall(SYS_fadvise64, fd, 0L, 0L, advice[i]), "fadvise64 regular file");
	CHECK_ERRNO(syscall(SYS_fadvise64, fd, 5L, 1L << 20, POSIX_FADV_WILLNEED), "fadvise64 past the end");
	CHECK_ERRNO(syscall(SYS_fadvise64, fd, 0L, -1L, POSIX_FADV_NORMAL), "fadvise64 negative length");
	CHECK_ERRNO(syscall(SYS_fadvise64, fd, 0L, 0L, 42), "fadvise64 unknown advice");
	CHECK_ERRNO(syscall(SYS_fadvise64, 999, 0L, 0L, POSIX_FADV_NORMAL), "fadvise64 bad fd");
	int p[2];
	CHECK_ERRNO(pipe(p), "pipe");
	CHECK_ERRNO(syscall(SYS_fadvise64, p[0], 0L, 0L, POSIX_FADV_NORMAL), "fadvise64 pipe");
	CHECK_ERRNO(syscall(SYS_fadvise64, p[0], 0L, 0L, 42), "fadvise64 pipe, unknown advice");
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_ERRNO(syscall(SYS_fadvise64, dir, 0L, 0L, POSIX_FADV_NORMAL), "fadvise64 directory");
	int opath = open("f", O_PATH);
	CHECK_ERRNO(syscall(SYS_fadvise64, opath, 0L, 0L, POSIX_FADV_NORMAL), "fadvise64 O_PATH");
	check_rc(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL), "posix_fadvise");

	CHECK_ERRNO(syscall(SYS_readahead, fd, 0L, 4096L), "readahead regular file");
	CHECK_ERRNO(syscall(SYS_readahead, p[0], 0L, 4096L), "readahead pipe");
	CHECK_ERRNO(syscall(SYS_readahead, dir, 0L, 4096L), "readahead directory");
	CHECK_ERRNO(syscall(SYS_readahead, 999, 0L, 4096L), "readahead bad fd");
	int wo = open("f", O_WRONLY);
	CHECK_ERRNO(syscall(SYS_readahead, wo, 0L, 4096L), "readahead write-only");

	const unsigned all = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
	CHECK_ERRNO(syscall(SYS_sync_file_range, fd, 0L, 0L, all), "sync_file_range whole file");
	CHECK_ERRNO(syscall(SYS_sync_file_range, fd, 2L, 4L, SYNC_FILE_RANGE_WRITE), "sync_file_range part");
	CHECK_ERRNO(syscall(SYS_sync_file_range, wo, 0L, 0L, 0), "sync_file_range write-only, no flags");
	CHECK_ERRNO(syscall(SYS_sync_file_range, dir, 0L, 0L, all), "sync_file_range directory");
	CHECK_ERRNO(syscall(SYS_sync_file_range, fd, 0L, 0L, 8), "sync_file_range unknown flag");
	CHECK_ERRNO(syscall(SYS_sync_file_range, fd, -1L, 0L, 0), "sync_file_range negative offset");
	CHECK_ERRNO(syscall(SYS_sync_file_range, fd, 4L, -2L, 0), "sync_file_range negative length");
	CHECK_ERRNO(syscall(SYS_sync_file_range, p[0], 0L, 0L, 0), "sync_file_range pipe");
	CHECK_ERRNO(syscall(SYS_sync_file_range, p[0], -1L, 0L, 0), "sync_file_range pipe, bad offset");
	CHECK_ERRNO(syscall(SYS_sync_file_range, 999, 0L, 0L, 0), "sync_file_range bad fd");
	CHECK_ERRNO(syscall(SYS_sync_file_range, opath, 0L, 0L, 0), "sync_file_range O_PATH");
	return 0;
}
