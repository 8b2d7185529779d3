/* The COW header: parsing every version, the layout arithmetic and the v3 encoding. */
#include "cow.h"

#include <endian.h>
#include <string.h>

/* Offsets of the fields, per version (all layouts are packed). */
enum {
	V1_PATH = 8, V1_MTIME = 264, V1_SIZE = 268, V1_SECTOR = 276,
	V2_PATH = 8, V2_MTIME = 4104, V2_SIZE = 4108, V2_SECTOR = 4116,
	V3_MTIME = 8, V3_SIZE = 12, V3_SECTOR = 20, V3_ALIGN = 24, V3_FORMAT = 28, V3_PATH = 32,
	/* the pre-2006 64-bit v3: mtime widened to 8 bytes, everything after it shifted */
	V3B_MTIME = 8, V3B_SIZE = 16, V3B_SECTOR = 24, V3B_ALIGN = 28, V3B_FORMAT = 32,
	V3B_PATH = 36,
};

const char *cow_strerror(int err)
{
	switch (err) {
	case COW_OK: return "no error";
	case COW_ENOTCOW: return "not a COW file";
	case COW_ESHORT: return "truncated COW header";
	case COW_EVERSION: return "invalid COW version";
	case COW_EALIGN: return "invalid COW header, align == 0";
	case COW_ESECTOR: return "invalid COW header, sector size == 0";
	case COW_EFORMAT: return "unknown COW bitmap format";
	case COW_EPATH: return "invalid backing file name in COW header";
	case COW_ETOOBIG: return "backing file size in COW header too large";
	case COW_ESIZE: return "backing file size does not match the COW header";
	case COW_EMTIME: return "backing file mtime does not match the COW header";
	}
	return "unknown COW error";
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get_be32(const unsigned char *p) { return be32toh(get32(p)); }
static uint64_t get_be64(const unsigned char *p) { return be64toh(get64(p)); }

static void put_be32(unsigned char *p, uint32_t v)
{
	v = htobe32(v);
	memcpy(p, &v, sizeof(v));
}

static void put_be64(unsigned char *p, uint64_t v)
{
	v = htobe64(v);
	memcpy(p, &v, sizeof(v));
}

/* x rounded up to a multiple of a (a > 0); false on overflow. */
static bool round_up(uint64_t x, uint64_t a, uint64_t *out)
{
	uint64_t r = x % a;
	if (r == 0) {
		*out = x;
		return true;
	}
	return !__builtin_add_overflow(x, a - r, out);
}

/* Copies a NUL-terminated name out of a fixed field; false when it is empty or fills
 * the whole field without a terminator. */
static bool get_path(char *dst, const unsigned char *field, size_t field_len)
{
	const unsigned char *nul = memchr(field, 0, field_len);
	if (!nul || nul == field)
		return false;
	memcpy(dst, field, (size_t)(nul - field) + 1);
	return true;
}

static size_t header_size(const struct cow_header *h)
{
	switch (h->version) {
	case 1: return COW_HEADER_V1_SIZE;
	case 2: return COW_HEADER_V2_SIZE;
	default: return h->broken_v3 ? COW_HEADER_V3_BROKEN_SIZE : COW_HEADER_V3_SIZE;
	}
}

int cow_layout(struct cow_header *h)
{
	uint64_t ss = h->sector_size, end;
	if (ss == 0)
		return COW_ESECTOR;
	if (h->align == 0)
		return COW_EALIGN;
	h->sectors = h->size / ss + (h->size % ss != 0);
	if (h->version >= 3) {
		h->bitmap_len = (h->sectors + 7) / 8;
		if (!round_up(header_size(h), h->align, &h->bitmap_offset))
			return COW_ETOOBIG;
	} else {
		/* v1/v2 keep UML's historical rounding (it can come out a byte short) */
		uint64_t num;
		if (__builtin_add_overflow(h->size, ss - 1, &num))
			return COW_ETOOBIG;
		h->bitmap_len = num / (8 * ss);
		h->bitmap_offset = header_size(h);
	}
	if (!round_up(h->bitmap_offset + h->bitmap_len, h->align, &h->data_offset))
		return COW_ETOOBIG;
	/* the whole data area must be addressable with a signed 64-bit offset */
	if (__builtin_add_overflow(h->data_offset, h->size, &end) || end > (uint64_t)INT64_MAX)
		return COW_ETOOBIG;
	return COW_OK;
}

static int parse_v1(const unsigned char *b, size_t len, struct cow_header *h)
{
	if (len < COW_HEADER_V1_SIZE)
		return COW_ESHORT;
	if (!get_path(h->backing_file, b + V1_PATH, COW_PATH_LEN_V1))
		return COW_EPATH;
	/* v1 was written in the host's byte order */
	h->mtime = get32(b + V1_MTIME);
	h->size = get64(b + V1_SIZE);
	h->sector_size = get32(b + V1_SECTOR);
	h->align = h->sector_size;
	return COW_OK;
}

static int parse_v2(const unsigned char *b, size_t len, struct cow_header *h)
{
	if (len < COW_HEADER_V2_SIZE)
		return COW_ESHORT;
	if (!get_path(h->backing_file, b + V2_PATH, COW_PATH_LEN))
		return COW_EPATH;
	h->mtime = get_be32(b + V2_MTIME);
	h->size = get_be64(b + V2_SIZE);
	h->sector_size = get_be32(b + V2_SECTOR);
	h->align = h->sector_size;
	return COW_OK;
}

static int parse_v3(const unsigned char *b, size_t len, struct cow_header *h)
{
	if (len < COW_HEADER_V3_SIZE)
		return COW_ESHORT;
	/* A correct v3 has an absolute path at offset 32, never four zero bytes. */
	h->broken_v3 = get32(b + V3_PATH) == 0;
	if (h->broken_v3) {
		if (len < COW_HEADER_V3_BROKEN_SIZE)
			return COW_ESHORT;
		h->mtime = get_be32(b + V3B_MTIME);
		h->size = get_be64(b + V3B_SIZE);
		h->sector_size = get_be32(b + V3B_SECTOR);
		h->align = get_be32(b + V3B_ALIGN);
		h->cow_format = get32(b + V3B_FORMAT);
		if (!get_path(h->backing_file, b + V3B_PATH, COW_PATH_LEN))
			return COW_EPATH;
	} else {
		h->mtime = get_be32(b + V3_MTIME);
		h->size = get_be64(b + V3_SIZE);
		h->sector_size = get_be32(b + V3_SECTOR);
		h->align = get_be32(b + V3_ALIGN);
		h->cow_format = get32(b + V3_FORMAT);  /* written unswapped; 0 either way */
		if (!get_path(h->backing_file, b + V3_PATH, COW_PATH_LEN))
			return COW_EPATH;
	}
	if (h->align == 0)
		return COW_EALIGN;
	if (h->cow_format != 0)
		return COW_EFORMAT;
	return COW_OK;
}

int cow_parse_header(const void *buf, size_t len, struct cow_header *h)
{
	const unsigned char *b = buf;
	memset(h, 0, sizeof(*h));
	if (len < 8)
		return COW_ESHORT;
	/* v1 is in host order, v2 and v3 big-endian: the magic tells which */
	uint32_t magic = get32(b);
	if (magic == COW_MAGIC)
		h->version = get32(b + 4);
	else if (be32toh(magic) == COW_MAGIC)
		h->version = get_be32(b + 4);
	else
		return COW_ENOTCOW;
	int err;
	switch (h->version) {
	case 1: err = parse_v1(b, len, h); break;
	case 2: err = parse_v2(b, len, h); break;
	case 3: err = parse_v3(b, len, h); break;
	default: return COW_EVERSION;
	}
	if (err)
		return err;
	return cow_layout(h);
}

int cow_init_v3(struct cow_header *h, const char *backing_file, int64_t mtime,
		uint64_t size, uint32_t sector_size, uint32_t align)
{
	size_t n = strlen(backing_file);
	memset(h, 0, sizeof(*h));
	if (n == 0 || n >= COW_PATH_LEN)
		return COW_EPATH;
	memcpy(h->backing_file, backing_file, n + 1);
	h->version = COW_VERSION;
	h->mtime = mtime;
	h->size = size;
	h->sector_size = sector_size;
	h->align = align;
	return cow_layout(h);
}

void cow_format_v3(const struct cow_header *h, unsigned char buf[COW_HEADER_V3_SIZE])
{
	memset(buf, 0, COW_HEADER_V3_SIZE);
	put_be32(buf, COW_MAGIC);
	put_be32(buf + 4, COW_VERSION);
	put_be32(buf + V3_MTIME, (uint32_t)h->mtime);
	put_be64(buf + V3_SIZE, h->size);
	put_be32(buf + V3_SECTOR, h->sector_size);
	put_be32(buf + V3_ALIGN, h->align);
	memcpy(buf + V3_FORMAT, &h->cow_format, 4);   /* unswapped, as UML writes it */
	memcpy(buf + V3_PATH, h->backing_file, strnlen(h->backing_file, COW_PATH_LEN - 1));
}

int cow_check_backing(const struct cow_header *h, uint64_t size, int64_t mtime)
{
	if (size != h->size)
		return COW_ESIZE;
	if ((uint32_t)mtime != (uint32_t)h->mtime)
		return COW_EMTIME;
	return COW_OK;
}
