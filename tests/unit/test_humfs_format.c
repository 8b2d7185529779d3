/* Unit tests for humfs's metadata lines and superblock (lib/humfs_format.c): the lines
 * Debian's humfsify writes, the ones we add (set-id bits, sockets), and what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>
#include "humfs_format.h"

static int parse(const char *line, struct humfs_meta *m, const char **why)
{
	return humfs_meta_parse(line, strlen(line), m, why);
}

static void test_debian_lines(void **state)
{
	struct humfs_meta m;
	const char *why;

	(void)state;
	assert_int_equal(parse("493 0 0\n", &m, &why), 0);
	assert_int_equal(m.perm, 0755);
	assert_int_equal(m.type, 0);
	assert_int_equal(humfs_meta_type(&m), 0);
	assert_int_equal(parse("416 1000 42\n", &m, &why), 0);
	assert_int_equal(m.perm, 0640);
	assert_int_equal(m.uid, 1000);
	assert_int_equal(m.gid, 42);
	assert_int_equal(parse("420 0 0 c 1 3\n", &m, &why), 0);
	assert_int_equal(humfs_meta_type(&m), S_IFCHR);
	assert_int_equal(m.major, 1);
	assert_int_equal(m.minor, 3);
	assert_int_equal(parse("420 0 0 b 8 1\n", &m, &why), 0);
	assert_int_equal(humfs_meta_type(&m), S_IFBLK);
	/* no newline at the end of the file, and what follows the first line ignored */
	assert_int_equal(parse("511 0 0", &m, &why), 0);
	assert_int_equal(parse("420 0 0\n 1000\n", &m, &why), 0);
}

static void test_our_additions(void **state)
{
	struct humfs_meta m = { .perm = 04755, .uid = 0, .gid = 0 }, back;
	const char *why;
	char line[HUMFS_META_MAX];

	(void)state;
	assert_int_equal(humfs_meta_format(&m, line, sizeof(line)), 9);
	assert_string_equal(line, "2541 0 0\n");
	m.type = 's';
	humfs_meta_format(&m, line, sizeof(line));
	assert_string_equal(line, "2541 0 0 s\n");
	assert_int_equal(parse(line, &back, &why), 0);
	assert_int_equal(humfs_meta_type(&back), S_IFSOCK);
	m = (struct humfs_meta){ .perm = 0660, .uid = 4294967294u, .gid = 6, .type = 'b',
				 .major = 4095, .minor = 1048575 };
	humfs_meta_format(&m, line, sizeof(line));
	assert_int_equal(parse(line, &back, &why), 0);
	assert_memory_equal(&m, &back, sizeof(m));
	assert_int_equal(humfs_meta_format(&m, line, 8), -1);
}

static void expect_bad(const char *line, const char *reason)
{
	struct humfs_meta m;
	const char *why = NULL;

	assert_int_equal(parse(line, &m, &why), -1);
	assert_string_equal(why, reason);
}

static void test_refused_lines(void **state)
{
	char longline[300];

	(void)state;
	expect_bad("", "empty");
	expect_bad("\n", "empty");
	expect_bad("abc 0 0\n", "bad mode");
	expect_bad("-1 0 0\n", "bad mode");
	expect_bad("4096 0 0\n", "bad mode");   /* 010000: beyond the permission bits */
	expect_bad("493 x 0\n", "bad uid");
	expect_bad("493 4294967295 0\n", "bad uid");
	expect_bad("493 0\n", "bad gid");
	expect_bad("493  0 0\n", "bad uid");
	expect_bad("493 0 0 \n", "missing file type");
	expect_bad("493 0 0 p\n", "unknown file type");
	expect_bad("493 0 0 c 1\n", "bad device minor number");
	expect_bad("493 0 0 c 4096 1\n", "bad device major number");
	expect_bad("493 0 0 s 1 2\n", "trailing characters");
	expect_bad("493 0 0x\n", "trailing characters");
	memset(longline, '1', sizeof(longline));
	longline[sizeof(longline) - 1] = '\0';
	expect_bad(longline, "line too long");
}

static void test_superblock(void **state)
{
	const char *v2 = "version 2\nmetadata shadow_fs\nused 16384\ntotal 1048576\n";
	struct humfs_super s;
	const char *why = NULL;
	char text[256];

	(void)state;
	assert_int_equal(humfs_super_parse(v2, strlen(v2), &s, &why), 0);
	assert_int_equal(s.version, 2);
	assert_string_equal(s.metadata, "shadow_fs");
	assert_int_equal(s.used, 16384);
	assert_int_equal(s.total, 1048576);
	humfs_super_format(&s, text, sizeof(text));
	assert_string_equal(text, v2);
	assert_int_equal(humfs_super_parse("version 1\nused 0\ntotal 9\n", 24, &s, &why), 0);
	assert_string_equal(s.metadata, "shadow_fs");
#define BAD(text, reason) do { \
		assert_int_equal(humfs_super_parse(text, strlen(text), &s, &why), -1); \
		assert_string_equal(why, reason); } while (0)
	BAD("", "no version line");
	BAD("version 3\nmetadata shadow_fs\nused 0\ntotal 1\n", "unsupported version (1 and 2 are known)");
	BAD("version 2\nused 0\ntotal 1\n", "no metadata line");
	BAD("version 2\nmetadata shadow_fs\ntotal 1\n", "no used line");
	BAD("version 2\nmetadata shadow_fs\nused 0\n", "no total line");
	BAD("version 2\nmetadata shadow_fs\nused x\ntotal 1\n", "bad used");
	BAD("version 2\nversion 2\n", "a line given twice");
	BAD("version 2\nsize 5\n", "unknown line");
	BAD("version 2\nmetadata a\001b\nused 0\ntotal 1\n", "bad metadata format name");
}

static void test_sizes(void **state)
{
	uint64_t b;

	(void)state;
	assert_int_equal(humfs_parse_size("100", &b), 0);
	assert_int_equal(b, 100);
	assert_int_equal(humfs_parse_size("64K", &b), 0);
	assert_int_equal(b, 65536);
	assert_int_equal(humfs_parse_size("1M", &b), 0);
	assert_int_equal(b, 1048576);
	assert_int_equal(humfs_parse_size("2G", &b), 0);
	assert_int_equal(b, 2147483648u);
	assert_int_equal(humfs_parse_size("10Q", &b), -1);
	assert_int_equal(humfs_parse_size("1MB", &b), -1);
	assert_int_equal(humfs_parse_size("", &b), -1);
	assert_int_equal(humfs_parse_size("-1", &b), -1);
	assert_int_equal(humfs_parse_size("99999999999999999999", &b), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian_lines),
		cmocka_unit_test(test_our_additions),
		cmocka_unit_test(test_refused_lines),
		cmocka_unit_test(test_superblock),
		cmocka_unit_test(test_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
