/* libFuzzer harness for humfs's text parsers (lib/humfs_format.c): any bytes parse to an
 * error with a reason, or to values that format back to a line or superblock that parses
 * to the same values. The first byte picks the parser. Build: make fuzz. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "humfs_format.h"

static void check(int cond)
{
	if (!cond)
		abort();
}

static void meta(const char *buf, size_t size)
{
	struct humfs_meta m, again;
	const char *why = NULL;
	char line[HUMFS_META_MAX];
	int n;

	if (humfs_meta_parse(buf, size, &m, &why)) {
		check(why && *why);
		return;
	}
	check(m.perm <= 07777);
	n = humfs_meta_format(&m, line, sizeof(line));
	check(n > 0);
	check(!humfs_meta_parse(line, (size_t)n, &again, &why));
	check(!memcmp(&m, &again, sizeof(m)));
}

static void super(const char *buf, size_t size)
{
	struct humfs_super s, again;
	const char *why = NULL;
	char text[256];
	int n;

	if (humfs_super_parse(buf, size, &s, &why)) {
		check(why && *why);
		return;
	}
	check(s.version == 1 || s.version == 2);
	n = humfs_super_format(&s, text, sizeof(text));
	check(n > 0);
	check(!humfs_super_parse(text, (size_t)n, &again, &why));
	check(again.used == s.used && again.total == s.total && !strcmp(again.metadata, s.metadata));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf;

	if (size < 1)
		return 0;
	/* a private copy of exactly the input, so reading past it is caught */
	buf = malloc(size - 1 ? size - 1 : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	if (data[0] & 1)
		super(buf, size - 1);
	else
		meta(buf, size - 1);
	free(buf);
	return 0;
}
