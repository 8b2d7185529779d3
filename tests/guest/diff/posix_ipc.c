/* POSIX shared memory and semaphores, which glibc keeps in /dev/shm (a tmpfs):
 * shm_open/ftruncate/mmap shared across fork, O_EXCL, shm_unlink; named semaphores
 * (sem_open makes a file and links it into place) posted by another process, sem_wait,
 * sem_trywait, sem_timedwait timing out, sem_getvalue, sem_unlink; an unnamed
 * process-shared semaphore in a shared mapping. Names differ between runs: not
 * printed. */
#include "check.h"
#include <linux/magic.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/statfs.h>

static char shm_name[64], sem_name[64];

static void shm_tests(void)
{
	int fd = shm_open(shm_name, O_CREAT | O_EXCL | O_RDWR, 0600);
	CHECK_ERRNO(fd, "shm_open create");
	struct stat st;
	fstat(fd, &st);
	printf("new object: mode %o size %lld\n", (unsigned)st.st_mode, (long long)st.st_size);
	struct statfs sf;
	fstatfs(fd, &sf);
	SHOW_BOOL("on tmpfs", sf.f_type == TMPFS_MAGIC);
	CHECK_ERRNO(ftruncate(fd, 8192), "ftruncate 8192");
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK_ERRNO(p == MAP_FAILED ? -1 : 0, "mmap");
	strcpy(p + 4096, "from the parent");
	CHECK_ERRNO(shm_open(shm_name, O_CREAT | O_EXCL | O_RDWR, 0600), "shm_open O_EXCL again");
	pid_t pid = fork();
	if (pid == 0) {
		int cfd = shm_open(shm_name, O_RDWR, 0);
		char *q = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
		printf("child reads: %s\n", q + 4096);
		strcpy(q, "from the child");
		fflush(stdout);
		_exit(0);
	}
	wait_for(pid);
	printf("parent reads: %s\n", p);
	char buf[32] = "";
	pread(fd, buf, sizeof buf - 1, 0);
	printf("read() sees: %s\n", buf);
	CHECK_ERRNO(shm_unlink(shm_name), "shm_unlink");
	CHECK_ERRNO(shm_open(shm_name, O_RDWR, 0), "shm_open after unlink");
	CHECK_ERRNO(shm_unlink(shm_name), "shm_unlink again");
	printf("mapping still reads: %s\n", p);
	munmap(p, 8192);
	close(fd);
}

static void named_sem(void)
{
	sem_t *s = sem_open(sem_name, O_CREAT | O_EXCL, 0600, 0);
	CHECK_ERRNO(s == SEM_FAILED ? -1 : 0, "sem_open create");
	char path[128];
	snprintf(path, sizeof path, "/dev/shm/sem.%s", sem_name + 1);
	CHECK_ERRNO(access(path, F_OK), "its file in /dev/shm");
	sem_t *again = sem_open(sem_name, O_CREAT | O_EXCL, 0600, 0);
	CHECK_ERRNO(again == SEM_FAILED ? -1 : 0, "sem_open O_EXCL again");
	CHECK_ERRNO(sem_trywait(s), "sem_trywait at 0");
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 100 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	CHECK_ERRNO(sem_timedwait(s, &ts), "sem_timedwait 100 ms");
	pid_t pid = fork();
	if (pid == 0) {
		sem_t *c = sem_open(sem_name, 0);
		msleep(100);
		sem_post(c);
		sem_post(c);
		_exit(0);
	}
	CHECK_ERRNO(sem_wait(s), "sem_wait for the child's post");
	wait_for(pid);
	int v = -1;
	sem_getvalue(s, &v);
	SHOW_INT("value left", v);
	sem_close(s);
	CHECK_ERRNO(sem_unlink(sem_name), "sem_unlink");
	CHECK_ERRNO(access(path, F_OK), "its file after sem_unlink");
	s = sem_open(sem_name, 0);
	CHECK_ERRNO(s == SEM_FAILED ? -1 : 0, "sem_open after unlink");
}

static void unnamed_sem(void)
{
	sem_t *s = mmap(NULL, sizeof(sem_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK_ERRNO(sem_init(s, 1, 0), "sem_init process-shared");
	pid_t pid = fork();
	if (pid == 0) {
		msleep(100);
		sem_post(s);
		_exit(0);
	}
	CHECK_ERRNO(sem_wait(s), "sem_wait across fork");
	wait_for(pid);
	sem_destroy(s);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	snprintf(shm_name, sizeof shm_name, "/umlinux-shm-%d", (int)getpid());
	snprintf(sem_name, sizeof sem_name, "/umlinux-sem-%d", (int)getpid());
	shm_tests();
	named_sem();
	unnamed_sem();
	return 0;
}
