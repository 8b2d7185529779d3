/*
 * humfs's on-host text formats (shadow_fs, version 2), shared by the kernel's humfs and
 * the humfsify tool: the per-file metadata line and the superblock file. Parsers take
 * untrusted bytes (a host user, or a guest through an earlier mount, wrote them) and
 * refuse anything but the exact grammar.
 */
#ifndef UMLINUX_HUMFS_FORMAT_H
#define UMLINUX_HUMFS_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A metadata line: "<mode> <uid> <gid>[ <type> <major> <minor>]\n", numbers in decimal.
 * humfsify writes the permission bits (& 0777); we write and accept set-id and sticky
 * bits too (& 07777). type is 'c' or 'b' with a device number, 's' for a socket, or 0
 * when the data file's own type stands (regular, directory, symlink, FIFO). */
struct humfs_meta {
	mode_t perm;
	uid_t uid;
	gid_t gid;
	char type;
	unsigned major, minor;
};

#define HUMFS_META_MAX 128   /* longest line accepted (ours are under 64 bytes) */

/* Parses the first line of buf (len bytes, not NUL-terminated); anything after the
 * first newline is ignored, so a line rewritten in place over a longer one needs no
 * truncate to stay valid. 0, or -1 with *why saying what is wrong. */
int humfs_meta_parse(const char *buf, size_t len, struct humfs_meta *m, const char **why);
/* The line for m, NUL-terminated; its length, or -1 if it does not fit. */
int humfs_meta_format(const struct humfs_meta *m, char *buf, size_t len);
/* The file type bits (S_IF*) the metadata gives, or 0 when the data file's stand. */
mode_t humfs_meta_type(const struct humfs_meta *m);

/* The superblock file:
 *   version 2\nmetadata shadow_fs\nused <bytes>\ntotal <bytes>\n
 * Version 1 is read too (its metadata line is optional, shadow_fs by default). */
struct humfs_super {
	int version;
	char metadata[32];
	uint64_t used, total;
};

#define HUMFS_SUPER_MAX 4096

int humfs_super_parse(const char *buf, size_t len, struct humfs_super *s, const char **why);
/* Always version 2. Length, or -1 if buf is too small. */
int humfs_super_format(const struct humfs_super *s, char *buf, size_t len);

/* humfsify's size argument: digits with an optional K, M or G (1024-based). -1 if bad. */
int humfs_parse_size(const char *arg, uint64_t *bytes);

#endif
