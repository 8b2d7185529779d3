/*
 * Memory calls that stop for the kernel: the ones the seccomp filter could not clear by
 * itself. Guest memory is host memory of the task host, so once the arguments are
 * checked (never the stub window; file mappings through a host descriptor we pass in)
 * the host does the work.
 */
#include <sys/mman.h>
#include <sys/syscall.h>
#include "mm/mapped_names.h"
#include "mm/mmap.h"
#include "fs/vfs.h"
#include "kernel/kernel.h"
#include "platform/platform.h"
#include "sys/syscalls.h"

#define TASK_SIZE 0x7ffffffff000UL

static bool touches_stub(unsigned long addr, unsigned long len)
{
	unsigned long end = addr + len;
	if (end < addr)
		return true;
	return addr < STUB_WINDOW_END && end > STUB_WINDOW_START;
}

long sys_brk(struct task *t, struct syscall_args *a)
{
	struct thread_group *tg = t->tg;
	unsigned long want = a->a[0];
	if (want < tg->brk_start || want >= STUB_WINDOW_START)
		return (long)tg->brk;
	unsigned long old_end = PAGE_ALIGN(tg->brk), new_end = PAGE_ALIGN(want);
	rlim_t lim = tg->rlim[RLIMIT_DATA].rlim_cur;
	if (lim != RLIM_INFINITY && want - tg->brk_start > lim)
		return (long)tg->brk;
	if (new_end > old_end) {
		long r = platform_inject(t, __NR_mmap, (long)old_end, (long)(new_end - old_end),
					 PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (r < 0 || (unsigned long)r != old_end)
			return (long)tg->brk;
	} else if (new_end < old_end) {
		platform_inject(t, __NR_munmap, (long)new_end, (long)(old_end - new_end), 0, 0, 0, 0);
	}
	tg->brk = want;
	return (long)want;
}

long sys_mmap(struct task *t, struct syscall_args *a)
{
	unsigned long addr = a->a[0], len = a->a[1];
	int prot = (int)a->a[2], flags = (int)a->a[3], fd = (int)a->a[4];
	off_t off = (off_t)a->a[5];
	if (!len)
		return -EINVAL;
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && touches_stub(addr, PAGE_ALIGN(len)))
		return -ENOMEM;
	if (flags & MAP_ANONYMOUS)
		return SYSRET_PASSTHROUGH;   /* fixed, outside the window: the host does it */
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	if (off & (long)(PAGE_SIZE - 1))
		return -EINVAL;
	int acc = f->flags & O_ACCMODE;
	if (acc == O_WRONLY || (f->flags & O_PATH))
		return -EACCES;
	if ((flags & MAP_TYPE) == MAP_SHARED && (prot & PROT_WRITE) && acc != O_RDWR)
		return -EACCES;
	if ((flags & MAP_TYPE) == MAP_SHARED && (prot & PROT_WRITE) && (f->flags & O_APPEND))
		return -EACCES;
	if (!f->fops || !f->fops->host_fd)
		return -ENODEV;
	int hfd = f->fops->host_fd(f);
	if (hfd < 0)
		return -ENODEV;
	mapped_name_note(t, f, hfd);
	long r = platform_map_fd(t, addr, len, prot, flags, hfd, off);
	if (r >= 0 && !(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && touches_stub((unsigned long)r, len)) {
		platform_inject(t, __NR_munmap, r, (long)len, 0, 0, 0, 0);
		return -ENOMEM;
	}
	return r;
}

long mm_range_checked(struct task *t, struct syscall_args *a)
{
	(void)t;
	if (touches_stub(a->a[0], PAGE_ALIGN(a->a[1])))
		return -EINVAL;
	if (a->a[0] + a->a[1] > TASK_SIZE + PAGE_SIZE)
		return -EINVAL;
	return SYSRET_PASSTHROUGH;
}

long sys_munmap(struct task *t, struct syscall_args *a) { return mm_range_checked(t, a); }
long sys_mprotect(struct task *t, struct syscall_args *a)
{
	return touches_stub(a->a[0], PAGE_ALIGN(a->a[1])) ? -ENOMEM : mm_range_checked(t, a);
}
long sys_madvise(struct task *t, struct syscall_args *a) { return mm_range_checked(t, a); }

long sys_mremap(struct task *t, struct syscall_args *a)
{
	unsigned long old = a->a[0], oldlen = a->a[1], newlen = a->a[2], flags = a->a[3], naddr = a->a[4];
	if (touches_stub(old, PAGE_ALIGN(oldlen)))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && touches_stub(naddr, PAGE_ALIGN(newlen)))
		return -EINVAL;
	if (!(flags & MREMAP_FIXED) && (flags & MREMAP_MAYMOVE)) {
		/* the host might move it anywhere, including the window: check after */
		t->exit_hook = NULL;
	}
	return SYSRET_PASSTHROUGH;
}

/* msync, mincore and the mlock family act on the caller's own mappings: checked, then
 * run by the host. */
long sys_mincore(struct task *t, struct syscall_args *a) { return mm_range_checked(t, a); }
long sys_mlock(struct task *t, struct syscall_args *a) { return mm_range_checked(t, a); }
long sys_munlock(struct task *t, struct syscall_args *a) { return mm_range_checked(t, a); }
long sys_mlock2(struct task *t, struct syscall_args *a) { return mm_range_checked(t, a); }
long sys_mlockall(struct task *t, struct syscall_args *a) { (void)t; (void)a; return SYSRET_PASSTHROUGH; }
long sys_munlockall(struct task *t, struct syscall_args *a) { (void)t; (void)a; return SYSRET_PASSTHROUGH; }
