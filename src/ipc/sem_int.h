/* Inside System V semaphores: the set, shared by sem.c (semget, semop, semctl) and
 * sem_undo.c (SEM_UNDO adjustments). */
#ifndef UMLINUX_IPC_SEM_INT_H
#define UMLINUX_IPC_SEM_INT_H
#include "ipc/ipc_int.h"

#define SEMMSL 32000
#define SEMMNI 32000
#define SEMMNS (SEMMSL * SEMMNI)
#define SEMOPM 500
#define SEMVMX 32767
#define SEMAEM SEMVMX

struct sem {
	unsigned short val;
	pid_t pid;                  /* the last to operate on it */
};

struct sem_set {
	struct ipc_obj perm;
	int nsems;
	struct sem *sems;
	long otime, ctime;
	struct waitq wait;          /* callers waiting for a change */
};

/* One process's adjustments for one set. */
struct sem_undo {
	struct list_head link;      /* in sem_undo_list.undos */
	struct list_head all;       /* in all_undos: SETVAL clears everyone's */
	int semid;
	short *adj;
};

struct sem_undo_list {
	int refcount;
	struct list_head undos;
};

struct sem_set *sem_set_by_id(int id);

/* sem_undo.c */
/* The caller's adjustments for s, made on first use. */
struct sem_undo *sem_undo_find(struct task *t, struct sem_set *s);
/* SETVAL and SETALL: what processes would undo no longer applies (semnum -1: all). */
void sem_undo_clear(int semid, int semnum, int nsems);
/* The set is gone: so are everyone's adjustments for it. */
void sem_undo_forget_set(int semid);
#endif
