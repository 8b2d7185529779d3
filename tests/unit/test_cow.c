/* Unit tests for the COW format (lib/cow.c, lib/cow_file.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cow.h"

/* The worked example: uml_mkcow cow1.img back.img, back.img 1,024,000 bytes with mtime
 * 1577934245, in /tmp/demo (the first 0x30 bytes as uml_mkcow wrote them). */
static const unsigned char example_head[] = {
	0x4f, 0x4f, 0x4f, 0x4d, 0x00, 0x00, 0x00, 0x03, 0x5e, 0x0d, 0x5d, 0xa5, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x0f, 0xa0, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00,
	'/', 't', 'm', 'p', '/', 'd', 'e', 'm', 'o', '/', 'b', 'a', 'c', 'k', '.', 'i',
	'm', 'g',
};

static void example_header(unsigned char *buf)
{
	memset(buf, 0, COW_HEADER_V3_SIZE);
	memcpy(buf, example_head, sizeof(example_head));
}

static void parses_uml_mkcow_output(void **state)
{
	(void)state;
	unsigned char buf[COW_HEADER_V3_SIZE];
	struct cow_header h;
	example_header(buf);
	assert_int_equal(cow_parse_header(buf, sizeof(buf), &h), COW_OK);
	assert_int_equal(h.version, 3);
	assert_false(h.broken_v3);
	assert_string_equal(h.backing_file, "/tmp/demo/back.img");
	assert_int_equal(h.mtime, 1577934245);
	assert_int_equal(h.size, 1024000);
	assert_int_equal(h.sector_size, 512);
	assert_int_equal(h.align, 4096);
	assert_int_equal(h.sectors, 2000);
	assert_int_equal(h.bitmap_offset, 8192);
	assert_int_equal(h.bitmap_len, 250);
	assert_int_equal(h.data_offset, 12288);
}

static void v3_round_trip(void **state)
{
	(void)state;
	struct cow_header h, back;
	unsigned char buf[COW_HEADER_V3_SIZE], want[COW_HEADER_V3_SIZE];
	assert_int_equal(cow_init_v3(&h, "/tmp/demo/back.img", 1577934245, 1024000, 512, 4096), COW_OK);
	cow_format_v3(&h, buf);
	example_header(want);
	assert_memory_equal(buf, want, sizeof(buf));
	assert_int_equal(cow_parse_header(buf, sizeof(buf), &back), COW_OK);
	assert_int_equal(back.data_offset, h.data_offset);
	assert_string_equal(back.backing_file, h.backing_file);
}

static void partial_last_sector(void **state)
{
	(void)state;
	struct cow_header h;
	assert_int_equal(cow_init_v3(&h, "/b", 513, 513, 512, 4096), COW_OK);
	assert_int_equal(h.sectors, 2);
	assert_int_equal(h.bitmap_len, 1);
	assert_int_equal(h.data_offset, 12288);
	assert_int_equal(cow_init_v3(&h, "/b", 0, 0, 512, 4096), COW_OK);
	assert_int_equal(h.sectors, 0);
	assert_int_equal(h.data_offset, 8192);
}

static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }

static void reads_v2(void **state)
{
	(void)state;
	unsigned char buf[COW_HEADER_V2_SIZE] = { 0 };
	struct cow_header h;
	put32(buf, htobe32(COW_MAGIC));
	put32(buf + 4, htobe32(2));
	strcpy((char *)buf + 8, "/images/root_fs");
	put32(buf + 4104, htobe32(1000));
	put64(buf + 4108, htobe64(1 << 20));
	put32(buf + 4116, htobe32(512));
	assert_int_equal(cow_parse_header(buf, sizeof(buf), &h), COW_OK);
	assert_int_equal(h.version, 2);
	assert_string_equal(h.backing_file, "/images/root_fs");
	assert_int_equal(h.mtime, 1000);
	assert_int_equal(h.size, 1 << 20);
	assert_int_equal(h.align, 512);
	assert_int_equal(h.bitmap_offset, 4120);
	assert_int_equal(h.bitmap_len, 256);
	assert_int_equal(h.data_offset, 4608);   /* roundup(4120 + 256, 512) */
	assert_int_equal(cow_parse_header(buf, sizeof(buf) - 1, &h), COW_ESHORT);
}

static void reads_v1_in_host_order(void **state)
{
	(void)state;
	unsigned char buf[COW_HEADER_V1_SIZE] = { 0 };
	struct cow_header h;
	put32(buf, COW_MAGIC);
	put32(buf + 4, 1);
	strcpy((char *)buf + 8, "root_fs");
	put32(buf + 264, 42);
	put64(buf + 268, 4096 + 100);
	put32(buf + 276, 512);
	assert_int_equal(cow_parse_header(buf, sizeof(buf), &h), COW_OK);
	assert_int_equal(h.version, 1);
	assert_string_equal(h.backing_file, "root_fs");
	assert_int_equal(h.mtime, 42);
	assert_int_equal(h.sectors, 9);
	/* the historical rounding: (4196 + 511) / 4096 = 1 byte for 9 sectors */
	assert_int_equal(h.bitmap_len, 1);
	assert_int_equal(cow_bitmap_bytes(&h), 2);
	assert_int_equal(h.bitmap_offset, 280);
	assert_int_equal(h.data_offset, 512);
}

static void reads_broken_v3(void **state)
{
	(void)state;
	unsigned char buf[COW_HEADER_V3_BROKEN_SIZE] = { 0 };
	struct cow_header h;
	put32(buf, htobe32(COW_MAGIC));
	put32(buf + 4, htobe32(3));
	put32(buf + 8, htobe32(1234));
	put64(buf + 16, htobe64(8192));
	put32(buf + 24, htobe32(512));
	put32(buf + 28, htobe32(4096));
	strcpy((char *)buf + 36, "/b");
	assert_int_equal(cow_parse_header(buf, sizeof(buf), &h), COW_OK);
	assert_true(h.broken_v3);
	assert_int_equal(h.mtime, 1234);
	assert_int_equal(h.size, 8192);
	assert_string_equal(h.backing_file, "/b");
	assert_int_equal(h.bitmap_offset, 8192);   /* roundup(4136, 4096) */
	assert_int_equal(cow_parse_header(buf, COW_HEADER_V3_SIZE, &h), COW_ESHORT);
}

static void rejects_bad_headers(void **state)
{
	(void)state;
	unsigned char buf[COW_HEADER_V3_SIZE], bad[COW_HEADER_V3_SIZE];
	struct cow_header h;
	example_header(buf);
	for (size_t len = 0; len < sizeof(buf); len++)
		assert_int_equal(cow_parse_header(buf, len, &h), COW_ESHORT);
	memset(bad, 0, sizeof(bad));
	assert_int_equal(cow_parse_header(bad, sizeof(bad), &h), COW_ENOTCOW);
	memcpy(bad, buf, sizeof(bad));
	bad[7] = 4;
	assert_int_equal(cow_parse_header(bad, sizeof(bad), &h), COW_EVERSION);
	memcpy(bad, buf, sizeof(bad));
	memset(bad + 24, 0, 4);
	assert_int_equal(cow_parse_header(bad, sizeof(bad), &h), COW_EALIGN);
	memcpy(bad, buf, sizeof(bad));
	memset(bad + 20, 0, 4);
	assert_int_equal(cow_parse_header(bad, sizeof(bad), &h), COW_ESECTOR);
	memcpy(bad, buf, sizeof(bad));
	bad[31] = 1;
	assert_int_equal(cow_parse_header(bad, sizeof(bad), &h), COW_EFORMAT);
	memcpy(bad, buf, sizeof(bad));
	memset(bad + 32, 'x', COW_PATH_LEN);   /* no terminator */
	assert_int_equal(cow_parse_header(bad, sizeof(bad), &h), COW_EPATH);
	memcpy(bad, buf, sizeof(bad));
	memset(bad + 12, 0xff, 8);              /* size 2^64-1 */
	assert_int_equal(cow_parse_header(bad, sizeof(bad), &h), COW_ETOOBIG);
	memset(bad + 12, 0x7f, 1);              /* just under 2^63: the data area overflows */
	assert_int_equal(cow_parse_header(bad, sizeof(bad), &h), COW_ETOOBIG);
	assert_string_equal(cow_strerror(COW_ESHORT), "truncated COW header");
}

static void bitmap_bit_order(void **state)
{
	(void)state;
	unsigned char bm[4] = { 0 };
	cow_bitmap_set(bm, 1);
	assert_int_equal(bm[0], 0x02);   /* uml_moo took sector 1 from the COW for 0x02 */
	cow_bitmap_set(bm, 15);
	assert_int_equal(bm[1], 0x80);
	assert_true(cow_bitmap_test(bm, 1));
	assert_true(cow_bitmap_test(bm, 15));
	assert_false(cow_bitmap_test(bm, 0));
	assert_false(cow_bitmap_test(bm, 16));
}

static void backing_checks(void **state)
{
	(void)state;
	struct cow_header h;
	assert_int_equal(cow_init_v3(&h, "/b", 1577934245, 1024000, 512, 4096), COW_OK);
	assert_int_equal(cow_check_backing(&h, 1024000, 1577934245), COW_OK);
	assert_int_equal(cow_check_backing(&h, 1024001, 1577934245), COW_ESIZE);
	assert_int_equal(cow_check_backing(&h, 1024000, 1577934246), COW_EMTIME);
	/* only 32 bits of mtime are kept */
	assert_int_equal(cow_check_backing(&h, 1024000, 1577934245 + (1LL << 32)), COW_OK);
}

static void absolute_paths(void **state)
{
	(void)state;
	char out[PATH_MAX], cwd[PATH_MAX], want[PATH_MAX + 8];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(cow_absolute_path("root_fs", out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "%s/root_fs", cwd);
	assert_string_equal(out, want);
	assert_int_equal(cow_absolute_path("/tmp/../tmp/x.img", out, sizeof(out)), 0);
	assert_string_equal(out, "/tmp/x.img");
	assert_int_equal(cow_absolute_path("/x.img", out, sizeof(out)), 0);
	assert_string_equal(out, "/x.img");
	assert_int_equal(cow_absolute_path("/tmp/", out, sizeof(out)), -EISDIR);
	assert_int_equal(cow_absolute_path("/no/such/dir/x", out, sizeof(out)), -ENOENT);
	assert_int_equal(cow_absolute_path("/tmp/x", out, 4), -ENAMETOOLONG);
}

static void new_file_reads_back(void **state)
{
	(void)state;
	char name[] = "/tmp/cow-test-XXXXXX";
	int fd = mkstemp(name);
	assert_true(fd >= 0);
	unlink(name);
	assert_int_equal(write(fd, "junk that -f overwrites", 23), 23);
	struct cow_header h, back;
	assert_int_equal(cow_init_v3(&h, "/images/back.img", 99, 1024000, 512, 4096), COW_OK);
	assert_int_equal(cow_write_new(fd, &h), 0);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 12288 + 1024000);
	assert_true(st.st_blocks * 512 < 64 * 1024);   /* sparse */
	assert_int_equal(cow_read_header(fd, &back), COW_OK);
	assert_string_equal(back.backing_file, "/images/back.img");
	unsigned char *bm = malloc(cow_bitmap_bytes(&back));
	assert_non_null(bm);
	assert_int_equal(cow_read_bitmap(fd, &back, bm), 0);
	for (uint64_t i = 0; i < cow_bitmap_bytes(&back); i++)
		assert_int_equal(bm[i], 0);
	free(bm);
	assert_int_equal(ftruncate(fd, 100), 0);
	assert_int_equal(cow_read_header(fd, &back), COW_ESHORT);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_uml_mkcow_output),
		cmocka_unit_test(v3_round_trip),
		cmocka_unit_test(partial_last_sector),
		cmocka_unit_test(reads_v2),
		cmocka_unit_test(reads_v1_in_host_order),
		cmocka_unit_test(reads_broken_v3),
		cmocka_unit_test(rejects_bad_headers),
		cmocka_unit_test(bitmap_bit_order),
		cmocka_unit_test(backing_checks),
		cmocka_unit_test(absolute_paths),
		cmocka_unit_test(new_file_reads_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
