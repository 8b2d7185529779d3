/*
 * Credentials: the set*id family, supplementary groups and capabilities, with Linux's
 * rules (kernel/sys.c, kernel/groups.c, security/commoncap.c as documented in
 * setresuid(2), setgroups(2), capabilities(7)). Credentials are per thread, as in
 * Linux; glibc makes a process-wide change by having every thread make the same call
 * (its SIGSETXID broadcast), which needs nothing from us but ordinary signals.
 */
#include <linux/capability.h>
#include <linux/personality.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/kernel.h"
#include "platform/platform.h"
#include "sys/syscalls.h"
#include "task/cred.h"

#define INVALID_ID 0xffffffffU          /* (uid_t)-1: "leave unchanged", never an id */
#define GROUPS_MAX 65536                 /* NGROUPS_MAX */
#define GROUP_LISTS_MEMORY_MAX (64UL << 20)

/* The capabilities that follow the filesystem uid (Linux's CAP_FS_MASK). */
#define CAP_BIT(c) (1ULL << (c))
#define CAP_FS_SET (CAP_BIT(CAP_CHOWN) | CAP_BIT(CAP_MKNOD) | CAP_BIT(CAP_LINUX_IMMUTABLE) | \
		    CAP_BIT(CAP_DAC_OVERRIDE) | CAP_BIT(CAP_DAC_READ_SEARCH) | CAP_BIT(CAP_FOWNER) | \
		    CAP_BIT(CAP_FSETID) | CAP_BIT(CAP_MAC_OVERRIDE))

uint64_t cred_cap_effective(const struct cred *c) { return CAP_FULL_SET & ~c->cap_eff_missing; }
uint64_t cred_cap_permitted(const struct cred *c) { return CAP_FULL_SET & ~c->cap_prm_missing; }
uint64_t cred_cap_bset(const struct cred *c) { return CAP_FULL_SET & ~c->cap_bset_missing; }

bool cred_capable(const struct cred *c, int cap)
{
	return cap >= 0 && cap <= CAP_LAST_CAP && (cred_cap_effective(c) & CAP_BIT(cap));
}

void cred_bset_drop(struct cred *c, int cap) { c->cap_bset_missing |= CAP_BIT(cap); }

static void set_caps(struct cred *c, uint64_t eff, uint64_t prm)
{
	c->cap_eff_missing = CAP_FULL_SET & ~eff;
	c->cap_prm_missing = CAP_FULL_SET & ~prm;
}

/* Linux's commit_creds(): a process whose effective or filesystem ids change, or which
 * gains capabilities, becomes non-dumpable (fs.suid_dumpable is 0) and forgets its
 * parent-death signal, so a privilege change cannot be observed or signalled into. */
static void cred_commit(struct task *t, const struct cred *new)
{
	const struct cred *old = &t->cred;
	if (old->euid != new->euid || old->egid != new->egid || old->fsuid != new->fsuid ||
	    old->fsgid != new->fsgid || (cred_cap_permitted(new) & ~cred_cap_permitted(old))) {
		t->tg->dumpable = 0;
		t->tg->pdeath_signal = 0;
	}
	t->cred = *new;
}

static bool any_uid_root(const struct cred *c) { return c->uid == 0 || c->euid == 0 || c->suid == 0; }

/* Capabilities follow uid changes: leaving uid 0 everywhere drops them all (unless
 * keep-caps), leaving euid 0 empties the effective set, regaining it refills it. */
static void caps_follow_uids(struct cred *new, const struct cred *old)
{
	uint64_t eff = cred_cap_effective(new), prm = cred_cap_permitted(new);
	if (any_uid_root(old) && !any_uid_root(new) && !new->keep_caps)
		eff = prm = 0;
	if (old->euid == 0 && new->euid != 0)
		eff = 0;
	if (old->euid != 0 && new->euid == 0)
		eff = prm;
	set_caps(new, eff, prm);
}

/* The file-related capabilities follow fsuid 0 in and out. */
static void caps_follow_fsuid(struct cred *new, const struct cred *old)
{
	uint64_t eff = cred_cap_effective(new), prm = cred_cap_permitted(new);
	if (old->fsuid == 0 && new->fsuid != 0)
		eff &= ~CAP_FS_SET;
	if (old->fsuid != 0 && new->fsuid == 0)
		eff |= prm & CAP_FS_SET;
	set_caps(new, eff, prm);
}

/* One code path for uids and gids: the four ids of a kind, and what finishing needs. */
struct id_set { unsigned *real, *eff, *saved, *fs; };

static struct id_set ids_of(struct cred *c, bool gid)
{
	if (gid)
		return (struct id_set){ &c->gid, &c->egid, &c->sgid, &c->fsgid };
	return (struct id_set){ &c->uid, &c->euid, &c->suid, &c->fsuid };
}

static bool may_set_ids(const struct cred *c, bool gid)
{
	return cred_capable(c, gid ? CAP_SETGID : CAP_SETUID);
}

static long finish_set_ids(struct task *t, struct cred *new, bool gid)
{
	if (!gid)
		caps_follow_uids(new, &t->cred);
	cred_commit(t, new);
	return 0;
}

/* setuid/setgid: the privileged set all three ids, others only the effective one, and
 * only to the real or saved id. */
static long do_setid(struct task *t, unsigned id, bool gid)
{
	if (id == INVALID_ID)
		return -EINVAL;
	struct cred new = t->cred;
	struct id_set o = ids_of(&t->cred, gid), n = ids_of(&new, gid);
	if (may_set_ids(&t->cred, gid))
		*n.real = *n.saved = id;
	else if (id != *o.real && id != *o.saved)
		return -EPERM;
	*n.eff = *n.fs = id;
	return finish_set_ids(t, &new, gid);
}

/* setreuid/setregid: the saved id follows the effective one when the real id is set or
 * the effective id moves away from the (old) real id. */
static long do_setreid(struct task *t, unsigned rid, unsigned eid, bool gid)
{
	bool cap = may_set_ids(&t->cred, gid);
	struct cred new = t->cred;
	struct id_set o = ids_of(&t->cred, gid), n = ids_of(&new, gid);
	if (rid != INVALID_ID) {
		if (rid != *o.real && rid != *o.eff && !cap)
			return -EPERM;
		*n.real = rid;
	}
	if (eid != INVALID_ID) {
		if (eid != *o.real && eid != *o.eff && eid != *o.saved && !cap)
			return -EPERM;
		*n.eff = eid;
	}
	if (rid != INVALID_ID || (eid != INVALID_ID && eid != *o.real))
		*n.saved = *n.eff;
	*n.fs = *n.eff;
	return finish_set_ids(t, &new, gid);
}

static bool id_is_new(unsigned id, struct id_set o)
{
	return id != INVALID_ID && id != *o.real && id != *o.eff && id != *o.saved;
}

/* setresuid/setresgid: unprivileged callers may shuffle among their current three ids. */
static long do_setresid(struct task *t, unsigned rid, unsigned eid, unsigned sid, bool gid)
{
	struct cred new = t->cred;
	struct id_set o = ids_of(&t->cred, gid), n = ids_of(&new, gid);
	if ((rid == INVALID_ID || rid == *o.real) &&
	    (eid == INVALID_ID || (eid == *o.eff && eid == *o.fs)) &&
	    (sid == INVALID_ID || sid == *o.saved))
		return 0;
	if ((id_is_new(rid, o) || id_is_new(eid, o) || id_is_new(sid, o)) && !may_set_ids(&t->cred, gid))
		return -EPERM;
	if (rid != INVALID_ID)
		*n.real = rid;
	if (eid != INVALID_ID)
		*n.eff = eid;
	if (sid != INVALID_ID)
		*n.saved = sid;
	*n.fs = *n.eff;
	return finish_set_ids(t, &new, gid);
}

/* setfsuid/setfsgid never fail: they return the previous id whether or not it changed. */
static long do_setfsid(struct task *t, unsigned id, bool gid)
{
	struct cred new = t->cred;
	struct id_set o = ids_of(&t->cred, gid), n = ids_of(&new, gid);
	unsigned prev = *o.fs;
	if (id == INVALID_ID || id == prev)
		return prev;
	if (id != *o.real && id != *o.eff && id != *o.saved && !may_set_ids(&t->cred, gid))
		return prev;
	*n.fs = id;
	if (!gid)
		caps_follow_fsuid(&new, &t->cred);
	cred_commit(t, &new);
	return prev;
}

static long put_res_ids(struct task *t, const struct syscall_args *a, struct id_set ids)
{
	if (guest_write(t, a->a[0], ids.real, sizeof(unsigned)) < 0 ||
	    guest_write(t, a->a[1], ids.eff, sizeof(unsigned)) < 0 ||
	    guest_write(t, a->a[2], ids.saved, sizeof(unsigned)) < 0)
		return -EFAULT;
	return 0;
}

long sys_setuid(struct task *t, struct syscall_args *a) { return do_setid(t, (unsigned)a->a[0], false); }
long sys_setgid(struct task *t, struct syscall_args *a) { return do_setid(t, (unsigned)a->a[0], true); }
long sys_setreuid(struct task *t, struct syscall_args *a)
{
	return do_setreid(t, (unsigned)a->a[0], (unsigned)a->a[1], false);
}
long sys_setregid(struct task *t, struct syscall_args *a)
{
	return do_setreid(t, (unsigned)a->a[0], (unsigned)a->a[1], true);
}
long sys_setresuid(struct task *t, struct syscall_args *a)
{
	return do_setresid(t, (unsigned)a->a[0], (unsigned)a->a[1], (unsigned)a->a[2], false);
}
long sys_setresgid(struct task *t, struct syscall_args *a)
{
	return do_setresid(t, (unsigned)a->a[0], (unsigned)a->a[1], (unsigned)a->a[2], true);
}
long sys_setfsuid(struct task *t, struct syscall_args *a) { return do_setfsid(t, (unsigned)a->a[0], false); }
long sys_setfsgid(struct task *t, struct syscall_args *a) { return do_setfsid(t, (unsigned)a->a[0], true); }
long sys_getresuid(struct task *t, struct syscall_args *a) { return put_res_ids(t, a, ids_of(&t->cred, false)); }
long sys_getresgid(struct task *t, struct syscall_args *a) { return put_res_ids(t, a, ids_of(&t->cred, true)); }

/*
 * Supplementary groups. A list is immutable once made and shared by every cred holding
 * it, so a cred stays a plain value that may be copied freely (fork, access(2)'s
 * temporary switch). Lists are interned and kept: there are few distinct ones, and the
 * total is bounded.
 */
struct group_list {
	struct group_list *next;
	int n;
	gid_t gids[];
};
static struct group_list *group_lists;
static size_t group_lists_bytes;

static const gid_t *groups_intern(const gid_t *gids, int n)
{
	for (struct group_list *l = group_lists; l; l = l->next)
		if (l->n == n && memcmp(l->gids, gids, (size_t)n * sizeof(gid_t)) == 0)
			return l->gids;
	size_t size = sizeof(struct group_list) + (size_t)n * sizeof(gid_t);
	if (group_lists_bytes + size > GROUP_LISTS_MEMORY_MAX)
		return NULL;
	struct group_list *l = xcalloc(1, size);
	l->n = n;
	memcpy(l->gids, gids, (size_t)n * sizeof(gid_t));
	l->next = group_lists;
	group_lists = l;
	group_lists_bytes += size;
	return l->gids;
}

static int gid_cmp(const void *x, const void *y)
{
	gid_t a = *(const gid_t *)x, b = *(const gid_t *)y;
	return a < b ? -1 : a > b;
}

long sys_getgroups(struct task *t, struct syscall_args *a)
{
	int size = (int)a->a[0];
	const struct cred *c = &t->cred;
	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if (c->ngroups > size)
		return -EINVAL;
	if (guest_write(t, a->a[1], c->groups, (size_t)c->ngroups * sizeof(gid_t)) < 0)
		return -EFAULT;
	return c->ngroups;
}

/* Linux keeps the list sorted (getgroups shows it so) and checks privilege first. */
long sys_setgroups(struct task *t, struct syscall_args *a)
{
	int size = (int)a->a[0];
	if (!cred_capable(&t->cred, CAP_SETGID))
		return -EPERM;
	if ((unsigned)size > GROUPS_MAX)
		return -EINVAL;
	const gid_t *shared = NULL;
	if (size > 0) {
		gid_t *gids = xcalloc((size_t)size, sizeof(gid_t));
		if (guest_read(t, gids, a->a[1], (size_t)size * sizeof(gid_t)) < 0) {
			free(gids);
			return -EFAULT;
		}
		qsort(gids, (size_t)size, sizeof(gid_t), gid_cmp);
		shared = groups_intern(gids, size);
		free(gids);
		if (!shared)
			return -ENOMEM;
	}
	t->cred.groups = shared;
	t->cred.ngroups = size;
	return 0;
}

/* capget/capset headers: a version we do not speak is answered with ours and EINVAL. */
static int cap_header_words(struct task *t, unsigned long uhdr, int *words)
{
	uint32_t version;
	if (guest_read(t, &version, uhdr, sizeof(version)) < 0)
		return -EFAULT;
	switch (version) {
	case _LINUX_CAPABILITY_VERSION_1:
		*words = _LINUX_CAPABILITY_U32S_1;
		return 0;
	case _LINUX_CAPABILITY_VERSION_2:
	case _LINUX_CAPABILITY_VERSION_3:
		*words = _LINUX_CAPABILITY_U32S_3;
		return 0;
	}
	version = _LINUX_CAPABILITY_VERSION_3;
	if (guest_write(t, uhdr, &version, sizeof(version)) < 0)
		return -EFAULT;
	return -EINVAL;
}

static long cap_header_pid(struct task *t, unsigned long uhdr, int *pid)
{
	return guest_read(t, pid, uhdr + offsetof(struct __user_cap_header_struct, pid), sizeof(*pid));
}

/* Any thread's sets may be read; a NULL data pointer just probes the version. */
long sys_capget(struct task *t, struct syscall_args *a)
{
	int words, pid;
	int err = cap_header_words(t, a->a[0], &words);
	if (!a->a[1] || err)
		return !a->a[1] && err == -EINVAL ? 0 : err;
	if (cap_header_pid(t, a->a[0], &pid) < 0)
		return -EFAULT;
	if (pid < 0)
		return -EINVAL;
	struct task *target = pid ? task_by_tid(pid) : t;
	if (!target)
		return -ESRCH;
	const struct cred *c = &target->cred;
	uint64_t eff = cred_cap_effective(c), prm = cred_cap_permitted(c), inh = c->cap_inheritable;
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)eff, (uint32_t)prm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(prm >> 32), (uint32_t)(inh >> 32) },
	};
	return guest_write(t, a->a[1], d, (size_t)words * sizeof(d[0])) < 0 ? -EFAULT : 0;
}

static uint64_t cap_join(uint32_t lo, uint32_t hi) { return (lo | ((uint64_t)hi << 32)) & CAP_FULL_SET; }

/* capset changes only the caller; permitted may only shrink, effective must stay inside
 * it, and inheritable may grow only within what is held (or the bounding set with
 * CAP_SETPCAP). */
long sys_capset(struct task *t, struct syscall_args *a)
{
	int words, pid;
	int err = cap_header_words(t, a->a[0], &words);
	if (err)
		return err;
	if (cap_header_pid(t, a->a[0], &pid) < 0)
		return -EFAULT;
	if (pid != 0 && pid != t->tid)
		return -EPERM;
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof(d));
	if (guest_read(t, d, a->a[1], (size_t)words * sizeof(d[0])) < 0)
		return -EFAULT;
	uint64_t eff = cap_join(d[0].effective, d[1].effective);
	uint64_t prm = cap_join(d[0].permitted, d[1].permitted);
	uint64_t inh = cap_join(d[0].inheritable, d[1].inheritable);
	const struct cred *old = &t->cred;
	uint64_t old_prm = cred_cap_permitted(old), old_inh = old->cap_inheritable;
	if (!cred_capable(old, CAP_SETPCAP) && (inh & ~(old_inh | old_prm)))
		return -EPERM;
	if ((inh & ~(old_inh | cred_cap_bset(old))) || (prm & ~old_prm) || (eff & ~prm))
		return -EPERM;
	struct cred new = *old;
	set_caps(&new, eff, prm);
	new.cap_inheritable = inh;
	cred_commit(t, &new);
	return 0;
}

/* execve of a file without file capabilities: root (real or effective) gets the bounding
 * set, effective only with euid 0; anyone else starts with nothing. A set-id image is not
 * dumpable and does not keep the parent-death signal or unsafe personality flags. */
void cred_exec_commit(struct task *t)
{
	struct cred *c = &t->cred;
	uint64_t prm = 0;
	if (c->uid == 0 || c->euid == 0)
		prm = cred_cap_bset(c) | c->cap_inheritable;
	set_caps(c, c->euid == 0 ? prm : 0, prm);
	c->keep_caps = false;
	bool setid = c->euid != c->uid || c->egid != c->gid;
	t->tg->dumpable = setid ? 0 : 1;
	if (setid) {
		t->tg->pdeath_signal = 0;
		t->tg->personality &= ~(unsigned long)PER_CLEAR_ON_SETID;
	}
}
