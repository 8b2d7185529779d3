/* libFuzzer harness for the COW header parser (lib/cow.c): any bytes must parse to an
 * error or to a header whose layout is self-consistent and addressable, and a parsed v3
 * header must survive re-encoding. Build: make fuzz; run: build/fuzz/fuzz_cow_header. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cow.h"

static void check(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cow_header h, again;
	/* a private copy of exactly size bytes, so reading past it is caught */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	int err = cow_parse_header(buf, size, &h);
	free(buf);
	if (err != COW_OK) {
		check(strlen(cow_strerror(err)) > 0);
		return 0;
	}
	check(h.version >= 1 && h.version <= 3);
	check(h.sector_size > 0 && h.align > 0);
	check(strnlen(h.backing_file, COW_PATH_LEN) < COW_PATH_LEN && h.backing_file[0]);
	check(h.sectors * (uint64_t)h.sector_size >= h.size);
	check(h.data_offset >= h.bitmap_offset + h.bitmap_len);
	check(h.bitmap_len <= cow_bitmap_bytes(&h));
	check(h.data_offset + h.size <= (uint64_t)INT64_MAX);
	if (h.version == 3 && !h.broken_v3) {
		unsigned char out[COW_HEADER_V3_SIZE];
		cow_format_v3(&h, out);
		check(cow_parse_header(out, sizeof(out), &again) == COW_OK);
		check(again.size == h.size && again.data_offset == h.data_offset);
		check((uint32_t)again.mtime == (uint32_t)h.mtime);
		check(strcmp(again.backing_file, h.backing_file) == 0);
	}
	return 0;
}
