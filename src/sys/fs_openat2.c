/*
 * openat2: openat with a struct open_how that is checked strictly (unknown flags,
 * a stray mode, O_PATH with other flags are EINVAL where openat ignores them) and
 * RESOLVE_* flags that bound the path walk (fs/namei.c).
 */
#include <linux/openat2.h>
#include "fs/vfs.h"
#include "sys/syscalls.h"

/* Linux's VALID_OPEN_FLAGS, with the kernel's own O_LARGEFILE and __O_TMPFILE bits */
#define VALID_OPEN_FLAGS                                                                  \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_SYNC | \
	 O_DSYNC | O_ASYNC | O_DIRECT | KERNEL_O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW |        \
	 O_NOATIME | O_CLOEXEC | O_PATH | KERNEL_O_TMPFILE_BIT)
#define VALID_RESOLVE_FLAGS                                                               \
	(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH |    \
	 RESOLVE_IN_ROOT | RESOLVE_CACHED)

/* The walk flags of the RESOLVE_* ones. RESOLVE_CACHED needs none: no walk here waits
 * for a disk, so every walk would complete from Linux's cache. */
static unsigned resolve_lookup_flags(uint64_t resolve)
{
	unsigned lf = 0;
	if (resolve & RESOLVE_NO_XDEV)
		lf |= LOOKUP_NO_XDEV;
	if (resolve & RESOLVE_NO_MAGICLINKS)
		lf |= LOOKUP_NO_MAGICLINKS;
	if (resolve & RESOLVE_NO_SYMLINKS)
		lf |= LOOKUP_NO_SYMLINKS;
	if (resolve & RESOLVE_BENEATH)
		lf |= LOOKUP_BENEATH;
	if (resolve & RESOLVE_IN_ROOT)
		lf |= LOOKUP_IN_ROOT;
	return lf;
}

/* Linux's build_open_flags, in its order. */
static long open_how_check(const struct open_how *how)
{
	uint64_t flags = how->flags & ~(uint64_t)O_CLOEXEC;
	if (flags & ~(uint64_t)VALID_OPEN_FLAGS)
		return -EINVAL;
	if (how->resolve & ~(uint64_t)VALID_RESOLVE_FLAGS)
		return -EINVAL;
	if ((how->resolve & RESOLVE_BENEATH) && (how->resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	bool creates = flags & (O_CREAT | KERNEL_O_TMPFILE_BIT);
	if (creates ? (how->mode & ~(uint64_t)07777) != 0 : how->mode != 0)
		return -EINVAL;
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return -EINVAL;
	if ((flags & KERNEL_O_TMPFILE_BIT) &&
	    (!(flags & O_DIRECTORY) || (flags & O_ACCMODE) == O_RDONLY))
		return -EINVAL;
	if ((flags & O_PATH) && (flags & ~(uint64_t)(O_PATH | O_DIRECTORY | O_NOFOLLOW)))
		return -EINVAL;
	/* a creating or truncating open is never done from the cache alone */
	if ((how->resolve & RESOLVE_CACHED) && (flags & (O_TRUNC | O_CREAT | KERNEL_O_TMPFILE_BIT)))
		return -EAGAIN;
	return 0;
}

long sys_openat2(struct task *t, struct syscall_args *a)
{
	size_t size = a->a[3];
	struct open_how how;
	if (size < sizeof(how))   /* Linux's OPEN_HOW_SIZE_VER0: the struct as it is today */
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	long err = guest_read_struct(t, &how, sizeof(how), a->a[2], size);
	if (err < 0)
		return err;
	if ((err = open_how_check(&how)) < 0)
		return err;
	return do_openat(t, (int)a->a[0], a->a[1], (int)how.flags, (mode_t)how.mode,
			 resolve_lookup_flags(how.resolve));
}
