/* Allocation helpers: the kernel treats host memory exhaustion as fatal. */
#include <stdlib.h>
#include <string.h>
#include "kernel/kernel.h"

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		panic("out of host memory");
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		panic("out of host memory");
	return p;
}
