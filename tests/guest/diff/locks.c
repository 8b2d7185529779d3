/* file locks: POSIX record locks (ranges split and merged, whence and negative
 * lengths, errors, released by any close and by exit, not inherited, shared by
 * threads), F_SETLKW waiting and EINTR, EDEADLK between two processes, OFD locks (per
 * open file, conflicting with POSIX ones, l_pid -1, inherited), flock(2) (shared and
 * exclusive, per open file, conversions, blocking, independent of fcntl locks),
 * F_GETOWN/F_SETOWN(_EX), F_GETSIG/F_SETSIG, seals on a regular file. */
#include "check.h"
#include <pthread.h>
#include <sys/file.h>
#include <sys/mount.h>

/* Until the child sleeps (state S in /proc: blocked in the lock call it makes right after
 * signalling us), then a little longer; a fixed sleep was too short on a loaded machine. */
static void wait_blocked(pid_t pid)
{
	char path[64], buf[256];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (access("/proc/self/stat", R_OK) != 0)
		mount("proc", "/proc", "proc", 0, NULL);   /* as init in the guest */
	for (int i = 0; i < 500; i++) {
		FILE *f = fopen(path, "r");
		char *rp = NULL;
		if (f) {
			if (fgets(buf, sizeof(buf), f))
				rp = strrchr(buf, ')');
			fclose(f);
		}
		if (rp && rp[1] == ' ' && rp[2] == 'S')
			break;
		msleep(10);
	}
	msleep(50);
}

static const char *tname(int t)
{
	return t == F_RDLCK ? "F_RDLCK" : t == F_WRLCK ? "F_WRLCK" : t == F_UNLCK ? "F_UNLCK" : "?";
}

static int setlk(int fd, int cmd, int type, int whence, off_t start, off_t len)
{
	struct flock l = { .l_type = type, .l_whence = whence, .l_start = start, .l_len = len };
	return fcntl(fd, cmd, &l);
}

/* F_GETLK as another process would see it: what is in the way of type at start/len. */
static void other_sees(const char *label, int type, off_t start, off_t len)
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		int fd = open("file", O_RDWR);
		struct flock l = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
		if (fcntl(fd, F_GETLK, &l) < 0)
			printf("%s: F_GETLK %s\n", label, errname(errno));
		else if (l.l_type == F_UNLCK)
			printf("%s: F_UNLCK\n", label);
		else
			printf("%s: %s start=%lld len=%lld whence=%d pid_is_parent=%d\n", label,
			       tname(l.l_type), (long long)l.l_start, (long long)l.l_len, l.l_whence,
			       l.l_pid == getppid());
		fflush(stdout);
		_exit(0);
	}
	wait_for(p);
}

static void ranges(int fd)
{
	CHECK_ERRNO(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), "write lock 0-9");
	CHECK_ERRNO(setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 3, 3), "unlock 3-5");
	other_sees("  at 0-1", F_RDLCK, 0, 2);
	other_sees("  at 4", F_RDLCK, 4, 1);
	other_sees("  at 5-20", F_RDLCK, 5, 16);
	CHECK_ERRNO(setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 3, 3), "read lock 3-5 (fills the hole)");
	other_sees("  read at 4", F_RDLCK, 4, 1);
	other_sees("  write at 4", F_WRLCK, 4, 1);
	CHECK_ERRNO(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 3, 3), "write lock 3-5 (merges all)");
	other_sees("  read at 9", F_RDLCK, 9, 1);
	CHECK_ERRNO(setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), "unlock all (len 0)");
	other_sees("  at 0-99", F_WRLCK, 0, 100);

	CHECK_ERRNO(setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 100, 0), "read lock from 100 to EOF");
	other_sees("  write at 1000", F_WRLCK, 1000, 1);
	lseek(fd, 50, SEEK_SET);
	CHECK_ERRNO(setlk(fd, F_SETLK, F_WRLCK, SEEK_CUR, -10, -5), "write lock SEEK_CUR -10 len -5");
	other_sees("  at 30-49", F_RDLCK, 30, 20);
	write(fd, "0123456789", 10);   /* size 60 */
	CHECK_ERRNO(setlk(fd, F_SETLK, F_WRLCK, SEEK_END, -2, 1), "write lock SEEK_END -2 len 1");
	other_sees("  at 55-60", F_RDLCK, 55, 6);
	CHECK_ERRNO(setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), "unlock all");

	CHECK_ERRNO(setlk(fd, F_SETLK, F_WRLCK, 7, 0, 1), "bad whence");
	CHECK_ERRNO(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, -1, 1), "negative start");
	CHECK_ERRNO(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 2, -3), "negative length past 0");
	CHECK_ERRNO(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0x7fffffffffffffffLL, 2), "range past OFFSET_MAX");
	CHECK_ERRNO(setlk(fd, F_SETLK, 7, SEEK_SET, 0, 1), "bad type");
	struct flock l = { .l_type = F_UNLCK, .l_whence = SEEK_SET };
	CHECK_ERRNO(fcntl(fd, F_GETLK, &l), "F_GETLK with F_UNLCK");
	l.l_type = F_WRLCK;
	CHECK_ERRNO(fcntl(fd, F_GETLK, &l), "F_GETLK on a free file");
	printf("  type %s\n", tname(l.l_type));
	int ro = open("file", O_RDONLY), wo = open("file", O_WRONLY);
	CHECK_ERRNO(setlk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), "write lock on O_RDONLY fd");
	CHECK_ERRNO(setlk(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), "read lock on O_WRONLY fd");
	CHECK_ERRNO(setlk(ro, F_SETLK, F_UNLCK, SEEK_SET, 0, 1), "unlock on O_RDONLY fd");
	close(ro);
	close(wo);
	int path = open("file", O_PATH);
	CHECK_ERRNO(setlk(path, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), "lock on O_PATH fd");
	close(path);
}

static void *thread_lock(void *arg)
{
	int fd = *(int *)arg;
	long r = setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 5);
	return (void *)(r == 0 ? 1L : 0L);
}

static void owners(int fd)
{
	CHECK_ERRNO(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 5), "write lock 0-4");
	int other = open("file", O_RDWR);
	CHECK_ERRNO(setlk(other, F_SETLK, F_WRLCK, SEEK_SET, 0, 5), "same process, other open file");
	pthread_t th;
	void *ok;
	pthread_create(&th, NULL, thread_lock, &other);
	pthread_join(th, &ok);
	SHOW_BOOL("another thread may take it too", ok != NULL);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		CHECK_ERRNO(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 5), "forked child, inherited fd");
		fflush(stdout);
		_exit(0);
	}
	wait_for(p);
	close(other);   /* any close of the file drops the process's locks */
	other_sees("after closing another fd of the file", F_WRLCK, 0, 5);

	fflush(stdout);
	p = fork();
	if (p == 0) {
		int f = open("file", O_RDWR);
		setlk(f, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
		_exit(0);
	}
	wait_for(p);
	struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 1 };
	fcntl(fd, F_GETLK, &l);
	printf("a dead child's lock: %s\n", tname(l.l_type));
}

static void on_usr1(int s) { (void)s; }

static void waiting(int fd)
{
	int pf[2];
	char c;
	pipe(pf);
	CHECK_ERRNO(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), "parent locks byte 0");
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		int f = open("file", O_RDWR);
		CHECK_ERRNO(setlk(f, F_SETLK, F_WRLCK, SEEK_SET, 1, 1), "child locks byte 1");
		fflush(stdout);
		write(pf[1], "x", 1);
		CHECK_ERRNO(setlk(f, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1), "child waits for byte 0");
		fflush(stdout);
		_exit(0);
	}
	read(pf[0], &c, 1);
	wait_blocked(p);
	CHECK_ERRNO(setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1), "parent waits for byte 1: deadlock");
	fflush(stdout);
	setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1);
	SHOW_STATUS("child", wait_for(p));

	/* a signal ends the wait with EINTR (no SA_RESTART) */
	CHECK_ERRNO(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), "parent locks byte 0");
	fflush(stdout);
	p = fork();
	if (p == 0) {
		struct sigaction sa = { .sa_handler = on_usr1 };
		sigaction(SIGUSR1, &sa, NULL);
		int f = open("file", O_RDWR);
		write(pf[1], "x", 1);
		CHECK_ERRNO(setlk(f, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1), "child's F_SETLKW interrupted");
		fflush(stdout);
		_exit(0);
	}
	read(pf[0], &c, 1);
	wait_blocked(p);
	kill(p, SIGUSR1);
	wait_for(p);
	setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	close(pf[0]);
	close(pf[1]);
}

static void ofd(void)
{
	int a = open("file", O_RDWR), b = open("file", O_RDWR);
	CHECK_ERRNO(setlk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10), "OFD write lock through a");
	CHECK_ERRNO(setlk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1), "OFD lock through b (other open file)");
	int a2 = dup(a);
	CHECK_ERRNO(setlk(a2, F_OFD_SETLK, F_RDLCK, SEEK_SET, 5, 1), "OFD lock through a dup of a");
	CHECK_ERRNO(setlk(b, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), "POSIX lock against it, same process");
	struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
	CHECK_ERRNO(fcntl(b, F_OFD_GETLK, &l), "F_OFD_GETLK through b");
	printf("  %s start=%lld len=%lld pid=%d\n", tname(l.l_type), (long long)l.l_start,
	       (long long)l.l_len, l.l_pid);
	l = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_pid = 1 };
	CHECK_ERRNO(fcntl(b, F_OFD_SETLK, &l), "F_OFD_SETLK with l_pid set");
	CHECK_ERRNO(fcntl(b, F_OFD_GETLK, &l), "F_OFD_GETLK with l_pid set");
	close(b);   /* unlike POSIX locks, closing another open file keeps them */
	b = open("file", O_RDWR);
	CHECK_ERRNO(setlk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1), "still locked after closing b");
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		CHECK_ERRNO(setlk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1), "child, through the inherited a");
		fflush(stdout);
		_exit(0);
	}
	wait_for(p);
	close(a);
	CHECK_ERRNO(setlk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1), "a2 still holds the open file");
	close(a2);
	CHECK_ERRNO(setlk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1), "after the last close of a");
	close(b);
}

static void flocks(void)
{
	int f1 = open("file", O_RDONLY), f2 = open("file", O_RDONLY), f3 = open("file", O_WRONLY);
	CHECK_ERRNO(flock(f1, LOCK_SH | LOCK_NB), "f1 LOCK_SH");
	CHECK_ERRNO(flock(f2, LOCK_SH | LOCK_NB), "f2 LOCK_SH");
	CHECK_ERRNO(flock(f3, LOCK_EX | LOCK_NB), "f3 LOCK_EX (O_WRONLY)");
	CHECK_ERRNO(flock(f1, LOCK_EX | LOCK_NB), "f1 converts to LOCK_EX");
	CHECK_ERRNO(flock(f2, LOCK_UN), "f2 LOCK_UN");
	CHECK_ERRNO(flock(f3, LOCK_EX | LOCK_NB), "f3 LOCK_EX: f1's failed conversion lost its lock");
	CHECK_ERRNO(setlk(f3, F_SETLK, F_WRLCK, SEEK_SET, 0, 0), "fcntl lock beside a flock lock");
	setlk(f3, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	CHECK_ERRNO(flock(f3, LOCK_UN), "f3 LOCK_UN");
	CHECK_ERRNO(flock(f3, LOCK_UN), "f3 LOCK_UN again");

	/* a child shares the open file, and so the lock */
	CHECK_ERRNO(flock(f1, LOCK_EX | LOCK_NB), "f1 LOCK_EX");
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		CHECK_ERRNO(flock(f1, LOCK_UN), "child unlocks the inherited f1");
		fflush(stdout);
		_exit(0);
	}
	wait_for(p);
	CHECK_ERRNO(flock(f2, LOCK_EX | LOCK_NB), "f2 LOCK_EX after that");

	/* blocking: the child waits until f2 lets go */
	int pf[2];
	char c;
	pipe(pf);
	fflush(stdout);
	p = fork();
	if (p == 0) {
		close(f1);   /* else our copies would keep the open files and their locks */
		close(f2);
		close(f3);
		int f = open("file", O_RDONLY);
		write(pf[1], "x", 1);
		CHECK_ERRNO(flock(f, LOCK_SH), "child's blocking LOCK_SH");
		fflush(stdout);
		_exit(0);
	}
	read(pf[0], &c, 1);
	wait_blocked(p);
	/* the woken child prints first: report the close only after it has exited, so the
	 * order of the two lines does not depend on who runs first */
	int cr = close(f2), ce = errno;
	wait_for(p);
	errno = ce;
	CHECK_ERRNO(cr, "parent closes f2 (releases)");
	fflush(stdout);

	/* a signal ends a blocking flock with EINTR; the lock is free afterwards */
	CHECK_ERRNO(flock(f1, LOCK_EX | LOCK_NB), "f1 LOCK_EX");
	fflush(stdout);
	p = fork();
	if (p == 0) {
		struct sigaction sa = { .sa_handler = on_usr1 };
		sigaction(SIGUSR1, &sa, NULL);
		int f = open("file", O_RDONLY);
		write(pf[1], "x", 1);
		CHECK_ERRNO(flock(f, LOCK_EX), "child's blocking LOCK_EX interrupted");
		fflush(stdout);
		_exit(0);
	}
	read(pf[0], &c, 1);
	wait_blocked(p);
	kill(p, SIGUSR1);
	wait_for(p);
	CHECK_ERRNO(flock(f1, LOCK_UN), "f1 LOCK_UN");
	close(pf[0]);
	close(pf[1]);

	CHECK_ERRNO(flock(f1, LOCK_SH | LOCK_EX), "flock LOCK_SH|LOCK_EX");
	CHECK_ERRNO(flock(99, LOCK_SH), "flock bad fd");
	CHECK_ERRNO(flock(99, 0), "flock bad op and bad fd");
	int path = open("file", O_PATH);
	CHECK_ERRNO(flock(path, LOCK_SH), "flock on O_PATH fd");
	close(path);
	close(f1);
	close(f3);
}

static void owner_and_signal(int fd)
{
	CHECK_VAL(fcntl(fd, F_GETOWN), "F_GETOWN initially");
	CHECK_ERRNO(fcntl(fd, F_SETOWN, getpid()), "F_SETOWN getpid()");
	SHOW_BOOL("F_GETOWN is it", fcntl(fd, F_GETOWN) == getpid());
	CHECK_ERRNO(fcntl(fd, F_SETOWN, -getpgrp()), "F_SETOWN -getpgrp()");
	SHOW_BOOL("F_GETOWN is it", fcntl(fd, F_GETOWN) == -getpgrp());
	struct f_owner_ex ex;
	CHECK_ERRNO(fcntl(fd, F_GETOWN_EX, &ex), "F_GETOWN_EX");
	printf("  type pgrp=%d pid ok=%d\n", ex.type == F_OWNER_PGRP, ex.pid == getpgrp());
	ex.type = F_OWNER_TID;
	ex.pid = getpid();
	CHECK_ERRNO(fcntl(fd, F_SETOWN_EX, &ex), "F_SETOWN_EX F_OWNER_TID");
	SHOW_BOOL("F_GETOWN now the tid", fcntl(fd, F_GETOWN) == getpid());
	ex.type = 9;
	CHECK_ERRNO(fcntl(fd, F_SETOWN_EX, &ex), "F_SETOWN_EX bad type");
	CHECK_ERRNO(fcntl(fd, F_SETOWN, 999999), "F_SETOWN missing pid");
	CHECK_ERRNO(fcntl(fd, F_SETOWN, 0), "F_SETOWN 0");
	CHECK_VAL(fcntl(fd, F_GETOWN), "F_GETOWN after clearing");
	CHECK_VAL(fcntl(fd, F_GETSIG), "F_GETSIG initially");
	CHECK_ERRNO(fcntl(fd, F_SETSIG, SIGUSR1), "F_SETSIG SIGUSR1");
	CHECK_VAL(fcntl(fd, F_GETSIG), "F_GETSIG");
	CHECK_ERRNO(fcntl(fd, F_SETSIG, 65), "F_SETSIG 65");
	CHECK_ERRNO(fcntl(fd, F_GET_SEALS), "F_GET_SEALS on a regular file");
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), "F_ADD_SEALS on a regular file");
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	int fd = open("file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	ranges(fd);
	owners(fd);
	waiting(fd);
	ofd();
	flocks();
	owner_and_signal(fd);
	close(fd);
	return 0;
}
