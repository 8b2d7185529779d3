/* Inside System V IPC: the id tables and permission rules shared by shm, sem and msg
 * (Linux's ipc/util.c), and the per-process state. */
#ifndef UMLINUX_IPC_INT_H
#define UMLINUX_IPC_INT_H
#include <sys/ipc.h>
#include "ipc/ipc.h"
#include "kernel/list.h"

#define IPC_SEQ_MULTIPLIER 32768   /* Linux's IPCMNI: an id is seq * this + index */
/* ipc_perms() flags, as Linux's S_IRUGO/S_IWUGO */
#define IPC_MAY_READ  0444
#define IPC_MAY_WRITE 0222
#define IPC_MAY_EXEC  0111

/* What every IPC object has first (Linux's kern_ipc_perm). */
struct ipc_obj {
	key_t key;
	uid_t uid, cuid;
	gid_t gid, cgid;
	mode_t mode;              /* the nine permission bits */
	unsigned short seq;
	int index, id;
};

/* One kind of object: slots by index, allocated cyclically as Linux's idr is. */
struct ipc_ids {
	int max;                  /* SHMMNI, SEMMNI, MSGMNI */
	struct ipc_obj **slots;
	int in_use, last_idx;
	unsigned short seq;
};

struct ipc_obj *ipc_find_key(struct ipc_ids *ids, key_t key);
struct ipc_obj *ipc_find_id(struct ipc_ids *ids, int id);        /* NULL: EINVAL */
struct ipc_obj *ipc_find_index(struct ipc_ids *ids, int index);  /* for *_STAT */
int ipc_highest_index(const struct ipc_ids *ids);
/* Gives o an index and id, with the creator's credentials and mode; -ENOSPC. */
int ipc_add(struct ipc_ids *ids, struct ipc_obj *o, key_t key, int flg, const struct cred *c);
void ipc_remove(struct ipc_ids *ids, struct ipc_obj *o);

/* ipcperms(): flag's rwx bits (any of the three triplets) against the caller's class;
 * -EACCES unless granted or CAP_IPC_OWNER. */
int ipc_perms(const struct cred *c, const struct ipc_obj *o, int flag);
/* IPC_SET and IPC_RMID: the owner, the creator, or CAP_SYS_ADMIN. */
bool ipc_may_change(const struct cred *c, const struct ipc_obj *o);
void ipc_perm_out(const struct ipc_obj *o, struct ipc_perm *out);
/* IPC_SET's uid, gid and mode (checked by the caller). */
void ipc_perm_set(struct ipc_obj *o, const struct ipc_perm *in);
long ipc_now(void);

/*
 * ipcget(): IPC_PRIVATE always creates; a key finds its object or (IPC_CREAT) makes one;
 * IPC_CREAT|IPC_EXCL on an existing key is EEXIST; then the kind's own check (a size or
 * count too big) and the permissions of flg. Returns the id or -errno.
 */
struct ipc_get_ops {
	int (*create)(struct task *t, key_t key, int flg, unsigned long arg);  /* the new id */
	int (*check)(struct ipc_obj *o, unsigned long arg);             /* 0 or -errno */
};
long ipc_get(struct ipc_ids *ids, struct task *t, key_t key, int flg, unsigned long arg,
	     const struct ipc_get_ops *ops);

/* Per process (thread group). */
struct sem_undo_list;
struct ipc_proc {
	struct list_head link;
	struct thread_group *tg;
	struct list_head attaches;      /* of struct shm_attach */
	struct sem_undo_list *undo;     /* shared under CLONE_SYSVSEM; NULL until needed */
};
struct ipc_proc *ipc_proc_of(struct thread_group *tg, bool create);

/* shm.c, sem.c: the process hooks' parts */
void shm_fork(struct ipc_proc *parent, struct ipc_proc *child);
void shm_detach_all(struct ipc_proc *p);
void sem_undo_share(struct ipc_proc *parent, struct ipc_proc *child);
void sem_exit(struct ipc_proc *p);
#endif
