/*
 * The only way the kernel touches guest memory. Guest pointers and lengths are never
 * trusted: anything the host refuses is -EFAULT, never a kernel crash.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include "kernel/kernel.h"
#include "platform/platform.h"

#define GUEST_ADDR_LIMIT 0x800000000000UL

static bool range_ok(unsigned long addr, size_t len)
{
	return addr + len >= addr && addr + len <= GUEST_ADDR_LIMIT;
}

int guest_read(struct task *t, void *dst, unsigned long src, size_t len)
{
	if (len == 0)
		return 0;
	if (!range_ok(src, len))
		return -EFAULT;
	struct iovec local = { dst, len }, remote = { (void *)src, len };
	ssize_t n = process_vm_readv(t->host_tid, &local, 1, &remote, 1, 0);
	return n == (ssize_t)len ? 0 : -EFAULT;
}

int guest_write(struct task *t, unsigned long dst, const void *src, size_t len)
{
	if (len == 0)
		return 0;
	if (!range_ok(dst, len))
		return -EFAULT;
	struct iovec local = { (void *)src, len }, remote = { (void *)dst, len };
	ssize_t n = process_vm_writev(t->host_tid, &local, 1, &remote, 1, 0);
	return n == (ssize_t)len ? 0 : -EFAULT;
}

long guest_read_str(struct task *t, char *dst, unsigned long src, size_t max)
{
	size_t done = 0;
	while (done < max) {
		/* read up to the end of the page so a string ending near unmapped memory works */
		size_t chunk = PAGE_SIZE - ((src + done) & (PAGE_SIZE - 1));
		if (chunk > max - done)
			chunk = max - done;
		if (guest_read(t, dst + done, src + done, chunk) < 0)
			return -EFAULT;
		char *nul = memchr(dst + done, 0, chunk);
		if (nul)
			return nul - dst;
		done += chunk;
	}
	return -ENAMETOOLONG;
}

int guest_read_struct(struct task *t, void *dst, size_t ksize, unsigned long src, size_t usize)
{
	/* Linux checks the tail beyond what it knows before copying what it knows */
	for (size_t off = ksize; off < usize;) {
		unsigned char tail[256];
		size_t chunk = usize - off < sizeof(tail) ? usize - off : sizeof(tail);
		if (guest_read(t, tail, src + off, chunk) < 0)
			return -EFAULT;
		for (size_t i = 0; i < chunk; i++)
			if (tail[i])
				return -E2BIG;
		off += chunk;
	}
	size_t n = usize < ksize ? usize : ksize;
	memset(dst, 0, ksize);
	return guest_read(t, dst, src, n);
}
