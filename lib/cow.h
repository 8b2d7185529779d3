/*
 * UML's copy-on-write (COW) file format, shared by the ubd driver and the host tools
 * (uml_mkcow, uml_moo). A COW file is a header naming a backing file, a bitmap with one
 * bit per sector (set: the sector lives in the COW file), and a data area laid out like
 * the backing file. Versions 1, 2 and 3 (and the "broken" 64-bit v3 layout) are read;
 * only v3 is written. Layouts: docs/ubd.md and the project's uml-facts reference.
 *
 * Nothing here prints: callers turn the COW_E* codes into their own messages (the tools
 * print uml-utilities' texts, the kernel names the device and files).
 */
#ifndef UMLINUX_LIB_COW_H
#define UMLINUX_LIB_COW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define COW_MAGIC            0x4F4F4F4Du   /* "OOOM" when written big-endian */
#define COW_VERSION          3             /* the only version written */
#define COW_SECTOR_SIZE      512           /* what uml_mkcow and UML write */
#define COW_PATH_LEN_V1      256
#define COW_PATH_LEN         4096          /* v2 and v3: NUL-terminated, so 4095 usable */
#define COW_HEADER_V1_SIZE   280
#define COW_HEADER_V2_SIZE   4120
#define COW_HEADER_V3_SIZE   4128
#define COW_HEADER_V3_BROKEN_SIZE 4136
/* Enough leading bytes of a file to parse any version's header. */
#define COW_HEADER_READ_SIZE COW_HEADER_V3_BROKEN_SIZE

/* Results of parsing and checking; 0 is success. */
enum cow_error {
	COW_OK = 0,
	COW_ENOTCOW,        /* no COW magic: a plain image (not an error for a lone file) */
	COW_ESHORT,         /* the file ends inside the header */
	COW_EVERSION,       /* a version other than 1, 2 or 3 */
	COW_EALIGN,         /* v3 alignment of 0 */
	COW_ESECTOR,        /* sector size of 0 */
	COW_EFORMAT,        /* v3 cow_format other than 0 (the bitmap format) */
	COW_EPATH,          /* backing file name empty or not NUL-terminated */
	COW_ETOOBIG,        /* the size makes the layout overflow a 64-bit file offset */
	COW_ESIZE,          /* the backing file's size is not the one recorded */
	COW_EMTIME,         /* the backing file's mtime is not the one recorded */
};

struct cow_header {
	unsigned version;            /* 1, 2 or 3 */
	bool broken_v3;              /* a v3 file written by a pre-2006 64-bit build */
	char backing_file[COW_PATH_LEN];
	int64_t mtime;               /* of the backing file, seconds (32 bits on disk) */
	uint64_t size;               /* of the backing file, bytes */
	uint32_t sector_size;
	uint32_t align;              /* v1/v2: the sector size */
	uint32_t cow_format;
	/* The layout, derived from the fields above by cow_layout(). */
	uint64_t sectors;            /* backing sectors, the last one possibly partial */
	uint64_t bitmap_offset;      /* where the bitmap starts in the COW file */
	uint64_t bitmap_len;         /* bytes of bitmap the format defines */
	uint64_t data_offset;        /* where sector 0's data lives */
};

/* A short English description of a COW_E* code ("not a COW file", ...). */
const char *cow_strerror(int err);

/* Parses the first len bytes of a file. Fills *h (layout included) and returns COW_OK or
 * a COW_E* code. Never reads past len, whatever the bytes say. */
int cow_parse_header(const void *buf, size_t len, struct cow_header *h);

/* Fills h as a v3 header for a backing file; returns COW_OK, COW_EPATH or COW_ETOOBIG. */
int cow_init_v3(struct cow_header *h, const char *backing_file, int64_t mtime,
		uint64_t size, uint32_t sector_size, uint32_t align);

/* Writes h's v3 on-disk form into buf (COW_HEADER_V3_SIZE bytes). */
void cow_format_v3(const struct cow_header *h, unsigned char buf[COW_HEADER_V3_SIZE]);

/* Computes the layout fields from version, size, sector_size and align. Returns
 * COW_OK, COW_ESECTOR, COW_EALIGN or COW_ETOOBIG. */
int cow_layout(struct cow_header *h);

/* Does the backing file (its st_size and st_mtime) still match the header? COW_OK,
 * COW_ESIZE or COW_EMTIME. The header keeps 32 bits of mtime, so only those count. */
int cow_check_backing(const struct cow_header *h, uint64_t size, int64_t mtime);

/* Bitmap bit of a sector: bit (s & 7) of byte s >> 3, least significant bit first. */
static inline bool cow_bitmap_test(const unsigned char *bitmap, uint64_t sector)
{
	return bitmap[sector >> 3] & (1u << (sector & 7));
}

static inline void cow_bitmap_set(unsigned char *bitmap, uint64_t sector)
{
	bitmap[sector >> 3] |= (unsigned char)(1u << (sector & 7));
}

/* Bytes of bitmap that cover every sector (v1/v2 define one byte less in some cases:
 * their historical rounding bug; readers use this length, holding zeros past the file's
 * own bitmap). */
static inline uint64_t cow_bitmap_bytes(const struct cow_header *h)
{
	return (h->sectors + 7) / 8;
}

/* ---- file helpers (lib/cow_file.c) ------------------------------------------------- */

/* Reads and parses the header of an open file. COW_OK, a COW_E* code, or -errno. */
int cow_read_header(int fd, struct cow_header *h);

/* Reads the bitmap into a buffer of cow_bitmap_bytes(h) bytes (bytes the file does not
 * define are zero). 0 or -errno. */
int cow_read_bitmap(int fd, const struct cow_header *h, unsigned char *bitmap);

/* Makes fd (an empty or to-be-overwritten file) a fresh v3 COW file for h: the header,
 * a zero bitmap, and a sparse data area as long as the backing file. 0 or -errno. */
int cow_write_new(int fd, const struct cow_header *h);

/* The absolute name uml_mkcow and UML record for a backing file: the directory part
 * resolved (symlinks included) through the file system, the last component kept as
 * given; a name without '/' is taken relative to the current directory. 0 or -errno
 * (-ENAMETOOLONG when it does not fit in len). */
int cow_absolute_path(const char *path, char *out, size_t len);

#endif
