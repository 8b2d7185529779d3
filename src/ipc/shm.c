/*
 * System V shared memory. A segment's bytes are a host memfd; shmat maps it into the
 * task as a shared file mapping (platform_map_fd), so every attached process sees the
 * same pages. Each process keeps its attachments, which fork copies, exec and exit
 * drop, and shmdt undoes; a segment marked by IPC_RMID goes with its last attachment.
 * (A guest munmap of an attachment is the host's business and is not counted.)
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ipc/ipc_int.h"
#include "platform/platform.h"
#include "sys/syscalls.h"
#include "task/cred.h"

#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY 15
#endif
#define SHMMNI 4096
#define SHMMIN 1UL
#define SHMMAX (ULONG_MAX - (1UL << 24))   /* Linux's 64-bit defaults */
#define SHMALL (ULONG_MAX - (1UL << 24))

struct shm_seg {
	struct ipc_obj perm;
	size_t size;
	int memfd;
	unsigned long nattch;
	bool dest, locked;          /* SHM_DEST (IPC_RMID while attached), SHM_LOCKED */
	pid_t cpid, lpid;
	long atime, dtime, ctime;
};

struct shm_attach {
	struct list_head link;      /* in ipc_proc.attaches */
	unsigned long addr, len;
	struct shm_seg *seg;
};

static struct ipc_ids shm_ids = { .max = SHMMNI };
static unsigned long shm_pages;   /* of every segment, against SHMALL */

static struct shm_seg *seg_of(struct ipc_obj *o) { return (struct shm_seg *)o; }
static struct shm_seg *seg_by_id(int id)
{
	struct ipc_obj *o = ipc_find_id(&shm_ids, id);
	return o ? seg_of(o) : NULL;
}

static unsigned long pages_of(size_t size) { return (size + PAGE_SIZE - 1) / PAGE_SIZE; }

static void seg_destroy(struct shm_seg *s)
{
	ipc_remove(&shm_ids, &s->perm);
	shm_pages -= pages_of(s->size);
	close(s->memfd);
	free(s);
}

/* The last attachment of a removed segment is gone: so is the segment. */
static void seg_maybe_destroy(struct shm_seg *s)
{
	if (s->dest && s->nattch == 0)
		seg_destroy(s);
}

/* ---- shmget ----------------------------------------------------------------------- */

static int shm_create(struct task *t, key_t key, int flg, unsigned long size)
{
	if (size < SHMMIN || size > SHMMAX)
		return -EINVAL;
	if (shm_pages + pages_of(size) < shm_pages || shm_pages + pages_of(size) > SHMALL)
		return -ENOSPC;
	if (shm_ids.in_use >= shm_ids.max)
		return -ENOSPC;
	char name[32];
	snprintf(name, sizeof(name), "SYSV%08x", (unsigned)key);
	int fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		return -ENOMEM;
	if (ftruncate(fd, (off_t)size) < 0) {
		close(fd);
		return -ENOMEM;
	}
	struct shm_seg *s = xcalloc(1, sizeof(*s));
	s->size = size;
	s->memfd = fd;
	s->cpid = t->tg->tgid;
	s->ctime = ipc_now();
	int id = ipc_add(&shm_ids, &s->perm, key, flg, &t->cred);
	if (id < 0) {
		close(fd);
		free(s);
		return id;
	}
	shm_pages += pages_of(size);
	return id;
}

static int shm_check(struct ipc_obj *o, unsigned long size)
{
	return size > seg_of(o)->size ? -EINVAL : 0;
}

static const struct ipc_get_ops shm_get_ops = { shm_create, shm_check };

long sys_shmget(struct task *t, struct syscall_args *a)
{
	return ipc_get(&shm_ids, t, (key_t)a->a[0], (int)a->a[2], a->a[1], &shm_get_ops);
}

/* ---- shmat / shmdt ---------------------------------------------------------------- */

static bool in_stub_window(unsigned long addr, unsigned long len)
{
	return addr + len < addr || (addr < STUB_WINDOW_END && addr + len > STUB_WINDOW_START);
}

/* Where the segment goes: the caller's address (rounded down with SHM_RND), or the
 * host's choice. Returns mmap flags, or -EINVAL. */
static int place(unsigned long *addr, int shmflg)
{
	if (!*addr)
		return 0;
	if (*addr & (SHMLBA - 1)) {
		if (!(shmflg & SHM_RND))
			return -EINVAL;
		*addr &= ~(unsigned long)(SHMLBA - 1);
		if (!*addr && (shmflg & SHM_REMAP))
			return -EINVAL;
		if (!*addr)
			return 0;
	}
	/* without SHM_REMAP an address over an existing mapping is refused */
	return (shmflg & SHM_REMAP) ? MAP_FIXED : MAP_FIXED_NOREPLACE;
}

static void detach(struct shm_attach *at, pid_t pid);

/* SHM_REMAP mapped over whole attachments: their mappings are gone (Linux closes the
 * replaced vma, which counts as a detach). */
static void forget_replaced(struct ipc_proc *ip, unsigned long addr, unsigned long len)
{
	struct list_head *p, *n;
	list_for_each_safe(p, n, &ip->attaches) {
		struct shm_attach *at = list_entry(p, struct shm_attach, link);
		if (at->addr >= addr && at->addr + at->len <= addr + len)
			detach(at, 0);
	}
}

static long attach(struct task *t, struct shm_seg *s, unsigned long addr, int shmflg)
{
	int fixed = place(&addr, shmflg);
	if (fixed < 0)
		return fixed;
	unsigned long len = PAGE_ALIGN(s->size);
	if (fixed && in_stub_window(addr, len))
		return -EINVAL;
	int prot = PROT_READ | ((shmflg & SHM_RDONLY) ? 0 : PROT_WRITE) |
		   ((shmflg & SHM_EXEC) ? PROT_EXEC : 0);
	long r = platform_map_fd(t, addr, len, prot, MAP_SHARED | fixed, s->memfd, 0);
	if (r == -EEXIST)
		return -EINVAL;
	if (r < 0)
		return r;
	if (in_stub_window((unsigned long)r, len)) {
		platform_inject(t, __NR_munmap, r, (long)len, 0, 0, 0, 0);
		return -ENOMEM;
	}
	struct ipc_proc *ip = ipc_proc_of(t->tg, true);
	s->nattch++;   /* first: a replaced attachment of s must not free it */
	if (fixed == MAP_FIXED)
		forget_replaced(ip, (unsigned long)r, len);
	struct shm_attach *at = xcalloc(1, sizeof(*at));
	at->addr = (unsigned long)r;
	at->len = len;
	at->seg = s;
	list_add_tail(&at->link, &ip->attaches);
	s->atime = ipc_now();
	s->lpid = t->tg->tgid;
	return r;
}

long sys_shmat(struct task *t, struct syscall_args *a)
{
	int shmflg = (int)a->a[2];
	struct shm_seg *s = seg_by_id((int)a->a[0]);
	if (!s)
		return -EINVAL;
	int want = IPC_MAY_READ | ((shmflg & SHM_RDONLY) ? 0 : IPC_MAY_WRITE) |
		   ((shmflg & SHM_EXEC) ? IPC_MAY_EXEC : 0);
	int err = ipc_perms(&t->cred, &s->perm, want);
	if (err < 0)
		return err;
	return attach(t, s, a->a[1], shmflg);
}

static void detach(struct shm_attach *at, pid_t pid)
{
	struct shm_seg *s = at->seg;
	list_del_init(&at->link);
	free(at);
	s->nattch--;
	s->dtime = ipc_now();
	if (pid)
		s->lpid = pid;
	seg_maybe_destroy(s);
}

long sys_shmdt(struct task *t, struct syscall_args *a)
{
	unsigned long addr = a->a[0];
	struct ipc_proc *ip = ipc_proc_of(t->tg, false);
	if ((addr & (PAGE_SIZE - 1)) || !ip)
		return -EINVAL;
	struct list_head *p;
	list_for_each(p, &ip->attaches) {
		struct shm_attach *at = list_entry(p, struct shm_attach, link);
		if (at->addr != addr)
			continue;
		platform_inject(t, __NR_munmap, (long)at->addr, (long)at->len, 0, 0, 0, 0);
		detach(at, t->tg->tgid);
		return 0;
	}
	return -EINVAL;
}

void shm_fork(struct ipc_proc *parent, struct ipc_proc *child)
{
	struct list_head *p;
	list_for_each(p, &parent->attaches) {
		struct shm_attach *at = list_entry(p, struct shm_attach, link);
		struct shm_attach *copy = xcalloc(1, sizeof(*copy));
		*copy = *at;
		list_add_tail(&copy->link, &child->attaches);
		at->seg->nattch++;
	}
}

/* The mappings themselves went with the image (exec) or the process (exit). */
void shm_detach_all(struct ipc_proc *ip)
{
	while (!list_empty(&ip->attaches))
		detach(list_entry(ip->attaches.next, struct shm_attach, link), 0);
}

/* ---- shmctl ----------------------------------------------------------------------- */

static void stat_out(const struct shm_seg *s, struct shmid_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_perm_out(&s->perm, &ds->shm_perm);
	ds->shm_perm.mode |= (s->dest ? SHM_DEST : 0) | (s->locked ? SHM_LOCKED : 0);
	ds->shm_segsz = s->size;
	ds->shm_atime = s->atime;
	ds->shm_dtime = s->dtime;
	ds->shm_ctime = s->ctime;
	ds->shm_cpid = s->cpid;
	ds->shm_lpid = s->lpid;
	ds->shm_nattch = s->nattch;
}

static long put(struct task *t, unsigned long addr, const void *v, size_t n)
{
	return guest_write(t, addr, v, n) < 0 ? -EFAULT : 0;
}

static long info(struct task *t, int cmd, unsigned long buf)
{
	long r;
	if (cmd == IPC_INFO) {
		struct shminfo si = { .shmmax = SHMMAX, .shmmin = SHMMIN, .shmmni = SHMMNI,
				      .shmseg = SHMMNI, .shmall = SHMALL };
		r = put(t, buf, &si, sizeof(si));
	} else {
		struct shm_info si = { .used_ids = shm_ids.in_use, .shm_tot = shm_pages,
				       .shm_rss = shm_pages };
		r = put(t, buf, &si, sizeof(si));
	}
	return r < 0 ? r : ipc_highest_index(&shm_ids);
}

/* SHM_STAT and SHM_STAT_ANY take an index and answer the id. */
static long stat_by_index(struct task *t, int cmd, int index, unsigned long buf)
{
	struct ipc_obj *o = ipc_find_index(&shm_ids, index);
	if (!o)
		return -EINVAL;
	if (cmd == SHM_STAT && ipc_perms(&t->cred, o, IPC_MAY_READ) < 0)
		return -EACCES;
	struct shmid_ds ds;
	stat_out(seg_of(o), &ds);
	long r = put(t, buf, &ds, sizeof(ds));
	return r < 0 ? r : o->id;
}

static long set(struct task *t, struct shm_seg *s, const struct shmid_ds *ds)
{
	if (!ipc_may_change(&t->cred, &s->perm))
		return -EPERM;
	ipc_perm_set(&s->perm, &ds->shm_perm);
	s->ctime = ipc_now();
	return 0;
}

/* IPC_RMID: gone at once when nobody is attached; else marked, and its key freed. */
static long rmid(struct task *t, struct shm_seg *s)
{
	if (!ipc_may_change(&t->cred, &s->perm))
		return -EPERM;
	s->dest = true;
	s->perm.key = IPC_PRIVATE;
	seg_maybe_destroy(s);
	return 0;
}

static long lock(struct task *t, struct shm_seg *s, bool on)
{
	/* without CAP_IPC_LOCK only the owner or creator, as Linux's RLIMIT_MEMLOCK-free case */
	if (!cred_capable(&t->cred, CAP_IPC_LOCK) && t->cred.euid != s->perm.uid &&
	    t->cred.euid != s->perm.cuid)
		return -EPERM;
	s->locked = on;
	return 0;
}

long sys_shmctl(struct task *t, struct syscall_args *a)
{
	int id = (int)a->a[0], cmd = (int)a->a[1];
	unsigned long buf = a->a[2];
	if (cmd < 0 || id < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO: case SHM_INFO:
		return info(t, cmd, buf);
	case SHM_STAT: case SHM_STAT_ANY:
		return stat_by_index(t, cmd, id, buf);
	case IPC_STAT: case IPC_SET: case IPC_RMID: case SHM_LOCK: case SHM_UNLOCK:
		break;
	default:
		return -EINVAL;
	}
	struct shmid_ds ds;
	if (cmd == IPC_SET && guest_read(t, &ds, buf, sizeof(ds)) < 0)
		return -EFAULT;   /* copied before the lookup, as Linux does */
	struct shm_seg *s = seg_by_id(id);
	if (!s)
		return -EINVAL;
	switch (cmd) {
	case IPC_STAT:
		if (ipc_perms(&t->cred, &s->perm, IPC_MAY_READ) < 0)
			return -EACCES;
		stat_out(s, &ds);
		return put(t, buf, &ds, sizeof(ds));
	case IPC_SET:
		return set(t, s, &ds);
	case IPC_RMID:
		return rmid(t, s);
	default:
		return lock(t, s, cmd == SHM_LOCK);
	}
}
