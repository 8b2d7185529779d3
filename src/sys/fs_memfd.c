/* memfd_create: an anonymous tmpfs file (fs/tmpfs/memfd.c) on a new descriptor. */
#include <linux/memfd.h>
#include "fs/tmpfs/tmpfs.h"
#include "fs/vfs.h"
#include "sys/syscalls.h"

/* NAME_MAX less "memfd:", which the name gets in front (Linux's MFD_NAME_MAX_LEN) */
#define MEMFD_NAME_MAX (NAME_MAX - 6)

long sys_memfd_create(struct task *t, struct syscall_args *a)
{
	unsigned flags = (unsigned)a->a[1];
	/* vm.memfd_noexec is 0 here: neither flag means MFD_EXEC. MFD_HUGETLB is refused
	 * as by a kernel without hugetlbfs: there are no huge pages to give. */
	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL | MFD_EXEC))
		return -EINVAL;
	if ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))
		return -EINVAL;
	/* Linux reads one byte past the longest name, and no further */
	char name[MEMFD_NAME_MAX + 1];
	long n = a->a[0] ? guest_read_str(t, name, a->a[0], sizeof(name)) : -EFAULT;
	if (n == -ENAMETOOLONG)
		return -EINVAL;
	if (n < 0)
		return n;
	struct file *f;
	int err = tmpfs_memfd_create(name, flags, &t->cred, &f);
	if (err < 0)
		return err;
	return fd_install(t, f, flags & MFD_CLOEXEC, 0);
}
