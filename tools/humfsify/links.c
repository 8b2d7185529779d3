/* Hard links: inodes seen with more than one name, by (device, inode). */
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "humfsify.h"

struct seen {
	dev_t dev;
	ino_t ino;
	char *meta;       /* the first name's metadata file */
};

static void *tree;

static int compare(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

/* The record for st's inode, made (with meta) if new; *fresh says which. */
static struct seen *find(const struct stat *st, const char *meta, bool *fresh)
{
	struct seen key = { st->st_dev, st->st_ino, NULL }, **slot;
	struct seen *s = malloc(sizeof(*s));

	if (!s)
		return NULL;
	*s = key;
	slot = tsearch(s, &tree, compare);
	if (!slot) {
		free(s);
		return NULL;
	}
	*fresh = *slot == s;
	if (*fresh)
		s->meta = meta ? strdup(meta) : NULL;
	else
		free(s);
	return *slot;
}

bool hardlink_seen(const struct stat *st, const char *meta_path)
{
	struct seen *s;
	bool fresh;

	if (st->st_nlink < 2)
		return false;
	s = find(st, meta_path, &fresh);
	if (!s || fresh || !s->meta)
		return false;
	if (link(s->meta, meta_path)) {
		fprintf(stdout, "linking '%s' to '%s' failed\n", meta_path, s->meta);
		return false;
	}
	return true;
}

bool hardlink_counted(const struct stat *st)
{
	bool fresh;

	if (st->st_nlink < 2)
		return false;
	return find(st, NULL, &fresh) && !fresh;
}

static void free_seen(void *p)
{
	struct seen *s = p;

	free(s->meta);
	free(s);
}

void hardlink_reset(void)
{
	tdestroy(tree, free_seen);
	tree = NULL;
}
