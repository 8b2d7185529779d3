/* System V IPC. Shared memory: shmget (keys, IPC_CREAT/IPC_EXCL, sizes), shmat/shmdt
 * (addresses, SHM_RND, SHM_RDONLY), sharing across fork, attach counts through fork,
 * exec and exit, IPC_RMID while attached, permissions. Semaphores: SETVAL/SETALL/
 * GETALL, atomic semop (nothing applied when one operation would block), IPC_NOWAIT,
 * ERANGE/EFBIG/E2BIG, blocking with GETNCNT/GETZCNT, semtimedop timeouts, SEM_UNDO at
 * exit, EIDRM for a waiter whose set is removed, EINTR. Message queues: types,
 * MSG_EXCEPT, negative types, E2BIG/MSG_NOERROR, ENOMSG, a full queue, blocking send
 * and receive, msg_qbytes limits, EIDRM. Ids and keys differ between runs: never
 * printed. */
#define CHECK_SUB_MAIN sub_main
#include "check.h"
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif

union semun { int val; struct semid_ds *buf; unsigned short *array; };

static key_t key_base;

int sub_main(int argc, char **argv)
{
	(void)argc;
	struct shmid_ds ds;
	if (shmctl(atoi(argv[2]), IPC_STAT, &ds) != 0)
		return 2;
	printf("after exec: nattch %lu\n", (unsigned long)ds.shm_nattch);
	return 0;
}

static void as_user(void)
{
	gid_t g[1] = { 100 };
	setgroups(1, g);
	if (setresgid(100, 100, 100) != 0 || setresuid(1000, 1000, 1000) != 0)
		printf("cannot drop privileges\n");
}

static void show_shm(const char *label, int id)
{
	struct shmid_ds ds;
	if (shmctl(id, IPC_STAT, &ds) != 0) {
		printf("%s: %s\n", label, errname(errno));
		return;
	}
	printf("%s: size %zu nattch %lu mode %o key0 %d cpid-me %d\n", label, ds.shm_segsz,
	       (unsigned long)ds.shm_nattch, (unsigned)ds.shm_perm.mode, ds.shm_perm.__key == 0,
	       ds.shm_cpid == getpid());
}

static void shm_tests(void)
{
	CHECK_ERRNO(shmget(IPC_PRIVATE, 0, 0600), "shmget size 0");
	int id = shmget(IPC_PRIVATE, 10000, 0600);
	CHECK_ERRNO(id, "shmget private");
	show_shm("fresh", id);
	key_t k = key_base + 1;
	int kid = shmget(k, 4096, IPC_CREAT | 0640);
	CHECK_ERRNO(kid, "shmget key create");
	SHOW_BOOL("same key same id", shmget(k, 4096, 0) == kid);
	SHOW_BOOL("smaller size same id", shmget(k, 100, 0) == kid);
	CHECK_ERRNO(shmget(k, 8192, 0), "shmget bigger than the segment");
	CHECK_ERRNO(shmget(k, 4096, IPC_CREAT | IPC_EXCL | 0600), "shmget IPC_EXCL");
	CHECK_ERRNO(shmget(key_base + 2, 4096, 0600), "shmget missing key");

	char *p = shmat(id, NULL, 0);
	CHECK_ERRNO(p == (void *)-1 ? -1 : 0, "shmat");
	strcpy(p, "parent wrote");
	show_shm("attached", id);
	pid_t pid = fork();
	if (pid == 0) {
		char *q = shmat(id, NULL, 0);
		printf("child sees: %s (inherited: %s)\n", q, p);
		strcpy(q, "child wrote");
		struct shmid_ds ds;
		shmctl(id, IPC_STAT, &ds);
		printf("child: nattch %lu\n", (unsigned long)ds.shm_nattch);
		fflush(stdout);
		_exit(0);
	}
	wait_for(pid);
	printf("parent sees: %s\n", p);
	show_shm("after the child exited", id);

	pid = fork();
	if (pid == 0) {
		char arg[32];
		snprintf(arg, sizeof arg, "%d", id);
		execl(self_exe, self_exe, "--sub", arg, (char *)NULL);
		_exit(3);
	}
	SHOW_STATUS("exec child", wait_for(pid));

	pid = fork();
	if (pid == 0) {
		char *r = shmat(id, NULL, SHM_RDONLY);
		printf("read-only attach reads: %s\n", r);
		fflush(stdout);
		r[0] = 'X';
		_exit(0);
	}
	SHOW_STATUS("writing a read-only attachment", wait_for(pid));

	CHECK_ERRNO(shmdt(p + 1), "shmdt of a wrong address");
	CHECK_ERRNO(shmdt(p), "shmdt");
	CHECK_ERRNO(shmdt(p), "shmdt again");
	show_shm("detached", id);

	/* addresses */
	char *fixed = mmap(NULL, 1 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(fixed, 1 << 20);
	char *a = shmat(id, fixed + 100, 0);
	CHECK_ERRNO(a == (void *)-1 ? -1 : 0, "shmat unaligned address");
	a = shmat(id, fixed + 100, SHM_RND);
	SHOW_BOOL("SHM_RND rounds down", a == fixed);
	char *b = shmat(id, fixed, 0);
	CHECK_ERRNO(b == (void *)-1 ? -1 : 0, "shmat over an attachment");
	b = shmat(id, fixed, SHM_REMAP);
	SHOW_BOOL("SHM_REMAP maps over it", b == fixed);
	shmdt(a);

	/* IPC_RMID while attached */
	char *c = shmat(kid, NULL, 0);
	CHECK_ERRNO(shmctl(kid, IPC_RMID, NULL), "IPC_RMID while attached");
	show_shm("removed but attached", kid);
	CHECK_ERRNO(shmget(k, 4096, 0), "key after IPC_RMID");
	c[0] = 'z';
	CHECK_ERRNO(shmdt(c), "shmdt of the last attachment");
	show_shm("after the last detach", kid);

	/* permissions */
	pid = fork();
	if (pid == 0) {
		as_user();
		struct shmid_ds ds;
		char *x = shmat(id, NULL, 0);
		CHECK_ERRNO(x == (void *)-1 ? -1 : 0, "user shmat 0600 root segment");
		CHECK_ERRNO(shmctl(id, IPC_STAT, &ds), "user IPC_STAT");
		CHECK_ERRNO(shmctl(id, IPC_RMID, NULL), "user IPC_RMID");
		int uid = shmget(IPC_PRIVATE, 4096, 0644);
		struct shmid_ds u;
		shmctl(uid, IPC_STAT, &u);
		printf("user's segment: uid %d gid %d cuid %d\n", (int)u.shm_perm.uid, (int)u.shm_perm.gid,
		       (int)u.shm_perm.cuid);
		shmctl(uid, IPC_RMID, NULL);
		fflush(stdout);
		_exit(0);
	}
	wait_for(pid);
	struct shmid_ds ds;
	shmctl(id, IPC_STAT, &ds);
	ds.shm_perm.mode = 0606;
	ds.shm_perm.uid = 1000;
	CHECK_ERRNO(shmctl(id, IPC_SET, &ds), "IPC_SET owner 1000 mode 0606");
	show_shm("after IPC_SET", id);
	pid = fork();
	if (pid == 0) {
		as_user();
		CHECK_ERRNO(shmctl(id, IPC_RMID, NULL), "new owner removes it");
		fflush(stdout);
		_exit(0);
	}
	wait_for(pid);
	CHECK_ERRNO(shmctl(id, IPC_STAT, &ds), "IPC_STAT after removal");
	struct shm_info si;
	SHOW_BOOL("SHM_INFO", shmctl(0, SHM_INFO, (struct shmid_ds *)&si) >= 0);
	CHECK_ERRNO(shmctl(id, 12345, &ds), "shmctl bad command");
}

static int semval(int id, int n)
{
	return semctl(id, n, GETVAL);
}

static int op(int id, unsigned short n, short v, short flg)
{
	struct sembuf sb = { n, v, flg };
	return semop(id, &sb, 1);
}

static void on_usr1(int s)
{
	(void)s;
}

static void sem_tests(void)
{
	int id = semget(IPC_PRIVATE, 3, 0600);
	CHECK_ERRNO(id, "semget");
	CHECK_ERRNO(semget(IPC_PRIVATE, 0, 0600), "semget 0 semaphores");
	CHECK_ERRNO(semget(key_base + 3, 2, IPC_CREAT | 0600), "semget key");
	CHECK_ERRNO(semget(key_base + 3, 3, 0), "semget key, more semaphores");
	semctl(semget(key_base + 3, 0, 0), 0, IPC_RMID);
	union semun u;
	u.val = 5;
	CHECK_ERRNO(semctl(id, 0, SETVAL, u), "SETVAL 5");
	SHOW_INT("GETVAL", semval(id, 0));
	u.val = 40000;
	CHECK_ERRNO(semctl(id, 0, SETVAL, u), "SETVAL 40000");
	CHECK_ERRNO(semctl(id, 7, GETVAL), "GETVAL semnum 7");
	unsigned short vals[3] = { 1, 2, 3 }, got[3];
	u.array = vals;
	CHECK_ERRNO(semctl(id, 0, SETALL, u), "SETALL 1 2 3");
	u.array = got;
	semctl(id, 0, GETALL, u);
	printf("GETALL: %d %d %d\n", got[0], got[1], got[2]);
	struct semid_ds ds;
	u.buf = &ds;
	semctl(id, 0, IPC_STAT, u);
	printf("IPC_STAT: nsems %lu mode %o otime-set %d\n", (unsigned long)ds.sem_nsems,
	       (unsigned)ds.sem_perm.mode, ds.sem_otime != 0);

	struct sembuf two[2] = { { 0, -1, 0 }, { 1, -5, IPC_NOWAIT } };
	CHECK_ERRNO(semop(id, two, 2), "semop: one of two would block");
	printf("values untouched: %d %d\n", semval(id, 0), semval(id, 1));
	two[1].sem_op = -2;
	CHECK_ERRNO(semop(id, two, 2), "semop: both can go");
	printf("values: %d %d\n", semval(id, 0), semval(id, 1));
	SHOW_BOOL("GETPID is me", semctl(id, 0, GETPID) == getpid());
	CHECK_ERRNO(op(id, 0, -1, IPC_NOWAIT), "decrement at 0, IPC_NOWAIT");
	CHECK_ERRNO(op(id, 2, 32767, 0), "increment past SEMVMX");
	CHECK_ERRNO(op(id, 3, 1, 0), "semnum past the set");
	struct sembuf many[501];
	memset(many, 0, sizeof many);
	CHECK_ERRNO(semop(id, many, 501), "501 operations");
	CHECK_ERRNO(semop(id, many, 0), "0 operations");
	struct timespec ts = { 0, 100 * 1000000 };
	struct sembuf dec = { 0, -1, 0 };
	CHECK_ERRNO(semtimedop(id, &dec, 1, &ts), "semtimedop timing out");
	ts.tv_nsec = 2000000000;
	CHECK_ERRNO(semtimedop(id, &dec, 1, &ts), "semtimedop bad timeout");
	semctl(id, 0, IPC_STAT, u);
	SHOW_BOOL("otime set", ds.sem_otime != 0);

	/* a waiter for an increase, then one for zero */
	pid_t pid = fork();
	if (pid == 0)
		_exit(op(id, 0, -2, 0) == 0 ? 0 : 1);
	msleep(200);
	SHOW_INT("GETNCNT with a waiter", semctl(id, 0, GETNCNT));
	op(id, 0, 1, 0);
	msleep(100);
	SHOW_INT("GETNCNT, not enough yet", semctl(id, 0, GETNCNT));
	op(id, 0, 1, 0);
	SHOW_STATUS("waiter for 2", wait_for(pid));
	SHOW_INT("value after", semval(id, 0));
	op(id, 1, 1, 0);
	pid = fork();
	if (pid == 0)
		_exit(op(id, 1, 0, 0) == 0 ? 0 : 1);
	msleep(200);
	SHOW_INT("GETZCNT with a waiter", semctl(id, 1, GETZCNT));
	op(id, 1, -1, 0);
	SHOW_STATUS("waiter for zero", wait_for(pid));

	/* SEM_UNDO */
	pid = fork();
	if (pid == 0) {
		op(id, 2, 4, SEM_UNDO);
		op(id, 2, -1, SEM_UNDO);
		printf("child: value %d\n", semval(id, 2));
		fflush(stdout);
		_exit(0);
	}
	wait_for(pid);
	SHOW_INT("after the child's exit, undone", semval(id, 2));
	pid = fork();
	if (pid == 0) {
		op(id, 2, 4, SEM_UNDO);
		u.val = 1;
		semctl(id, 2, SETVAL, u);   /* forgets the adjustment */
		_exit(0);
	}
	wait_for(pid);
	SHOW_INT("SETVAL cleared the undo", semval(id, 2));

	/* a signal interrupts a waiter, even with SA_RESTART */
	pid = fork();
	if (pid == 0) {
		struct sigaction sa = { 0 };
		sa.sa_handler = on_usr1;
		sa.sa_flags = SA_RESTART;
		sigaction(SIGUSR1, &sa, NULL);
		int r = op(id, 0, -1, 0);
		printf("interrupted semop: %d %s\n", r, errname(errno));
		fflush(stdout);
		_exit(0);
	}
	msleep(200);
	kill(pid, SIGUSR1);
	wait_for(pid);

	/* removal under a waiter */
	pid = fork();
	if (pid == 0) {
		int r = op(id, 0, -1, 0);
		printf("waiter after IPC_RMID: %d %s\n", r, errname(errno));
		fflush(stdout);
		_exit(0);
	}
	msleep(200);
	pid_t upid = fork();
	if (upid == 0) {
		as_user();
		CHECK_ERRNO(semctl(id, 0, IPC_RMID), "user IPC_RMID");
		CHECK_ERRNO(semctl(id, 0, GETVAL), "user GETVAL");
		fflush(stdout);
		_exit(0);
	}
	wait_for(upid);
	int rc = semctl(id, 0, IPC_RMID);   /* reported after the waiter's line */
	wait_for(pid);
	CHECK_ERRNO(rc, "IPC_RMID");
	CHECK_ERRNO(semctl(id, 0, GETVAL), "GETVAL after removal");
	CHECK_ERRNO(op(id, 0, 1, 0), "semop after removal");
}

struct mbuf {
	long type;
	char text[64];
};

static void snd(int q, long type, const char *text)
{
	struct mbuf m = { type, "" };
	snprintf(m.text, sizeof m.text, "%s", text);
	if (msgsnd(q, &m, strlen(text), 0) != 0)
		printf("msgsnd %s: %s\n", text, errname(errno));
}

static void rcv(const char *label, int q, size_t size, long type, int flg)
{
	struct mbuf m;
	memset(&m, 0, sizeof m);
	ssize_t n = msgrcv(q, &m, size, type, flg);
	if (n < 0)
		printf("%s: %s\n", label, errname(errno));
	else
		printf("%s: type %ld \"%.*s\"\n", label, m.type, (int)n, m.text);
}

static void show_q(const char *label, int q)
{
	struct msqid_ds ds;
	if (msgctl(q, IPC_STAT, &ds) != 0) {
		printf("%s: %s\n", label, errname(errno));
		return;
	}
	printf("%s: qnum %lu cbytes %lu qbytes %lu lspid-me %d\n", label, (unsigned long)ds.msg_qnum,
	       (unsigned long)ds.__msg_cbytes, (unsigned long)ds.msg_qbytes, ds.msg_lspid == getpid());
}

static void msg_tests(void)
{
	int q = msgget(IPC_PRIVATE, 0600);
	CHECK_ERRNO(q, "msgget");
	show_q("fresh", q);
	snd(q, 1, "hello");
	snd(q, 2, "world");
	snd(q, 3, "third");
	snd(q, 1, "again");
	show_q("four messages", q);
	struct mbuf m = { 0, "x" };
	CHECK_ERRNO(msgsnd(q, &m, 1, 0), "msgsnd type 0");
	CHECK_ERRNO(msgsnd(q, &m, 9000, 0), "msgsnd 9000 bytes");
	rcv("type 2", q, 64, 2, 0);
	rcv("small buffer", q, 2, 0, 0);
	rcv("MSG_NOERROR", q, 2, 0, MSG_NOERROR);
	rcv("MSG_EXCEPT 1", q, 64, 1, MSG_EXCEPT);
	rcv("type -5", q, 64, -5, 0);
	rcv("nothing left", q, 64, 0, IPC_NOWAIT);
	show_q("empty", q);

	struct msqid_ds ds;
	msgctl(q, IPC_STAT, &ds);
	ds.msg_qbytes = 100;
	CHECK_ERRNO(msgctl(q, IPC_SET, &ds), "msg_qbytes 100");
	char big[64];
	memset(big, 'b', sizeof big);
	struct mbuf bm = { 5, "" };
	memcpy(bm.text, big, 60);
	CHECK_ERRNO(msgsnd(q, &bm, 60, 0), "send 60");
	CHECK_ERRNO(msgsnd(q, &bm, 60, IPC_NOWAIT), "send 60 more, IPC_NOWAIT");
	pid_t pid = fork();
	if (pid == 0)
		_exit(msgsnd(q, &bm, 60, 0) == 0 ? 0 : 1);
	msleep(200);
	show_q("a sender waits", q);
	rcv("make room", q, 64, 0, 0);
	SHOW_STATUS("blocked sender", wait_for(pid));
	show_q("its message", q);
	rcv("drain", q, 64, 0, 0);

	pid = fork();
	if (pid == 0) {
		struct mbuf r;
		ssize_t n = msgrcv(q, &r, sizeof r.text, 7, 0);
		printf("child received %zd bytes of type %ld\n", n, r.type);
		fflush(stdout);
		_exit(0);
	}
	msleep(200);
	snd(q, 6, "not for the child");
	snd(q, 7, "for the child");
	wait_for(pid);
	rcv("left over", q, 64, 0, IPC_NOWAIT);

	pid = fork();
	if (pid == 0) {
		as_user();
		struct msqid_ds d;
		CHECK_ERRNO(msgctl(q, IPC_STAT, &d), "user IPC_STAT of a 0600 queue");
		int uq = msgget(IPC_PRIVATE, 0600);
		msgctl(uq, IPC_STAT, &d);
		d.msg_qbytes = 100000;
		CHECK_ERRNO(msgctl(uq, IPC_SET, &d), "user raises msg_qbytes past MSGMNB");
		msgctl(uq, IPC_RMID, NULL);
		fflush(stdout);
		_exit(0);
	}
	wait_for(pid);

	pid = fork();
	if (pid == 0) {
		struct mbuf r;
		ssize_t n = msgrcv(q, &r, sizeof r.text, 0, 0);
		printf("receiver after IPC_RMID: %zd %s\n", n, errname(errno));
		fflush(stdout);
		_exit(0);
	}
	msleep(200);
	int rc = msgctl(q, IPC_RMID, NULL);   /* reported after the child's line */
	wait_for(pid);
	CHECK_ERRNO(rc, "IPC_RMID");
	CHECK_ERRNO(msgsnd(q, &bm, 1, 0), "msgsnd after removal");
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	key_base = (key_t)(0x75000000 + ((getpid() & 0xffff) << 4));
	shm_tests();
	sem_tests();
	msg_tests();
	return 0;
}
