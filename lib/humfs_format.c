/* humfs's metadata lines and superblock: strict parsers and their formatters. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "humfs_format.h"

/* A cursor over one line of untrusted text. */
struct scan {
	const char *p, *end;
};

/* Decimal digits only (no sign, no spaces), at most max. */
static bool scan_number(struct scan *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *start = s->p;

	while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
		unsigned d = (unsigned)(*s->p - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
		s->p++;
	}
	*out = v;
	return s->p > start;
}

static bool scan_char(struct scan *s, char c)
{
	if (s->p >= s->end || *s->p != c)
		return false;
	s->p++;
	return true;
}

/* The first line of buf, without its newline; false if it is too long. */
static bool first_line(const char *buf, size_t len, size_t max, struct scan *s)
{
	const char *nl = memchr(buf, '\n', len);
	size_t n = nl ? (size_t)(nl - buf) : len;

	if (n > max)
		return false;
	*s = (struct scan){ buf, buf + n };
	return true;
}

#define FAIL(msg) do { *why = (msg); return -1; } while (0)

static int parse_device(struct scan *s, struct humfs_meta *m, const char **why)
{
	uint64_t major, minor;

	if (!scan_char(s, ' ') || !scan_number(s, 4095, &major))
		FAIL("bad device major number");
	if (!scan_char(s, ' ') || !scan_number(s, 1048575, &minor))
		FAIL("bad device minor number");
	m->major = (unsigned)major;
	m->minor = (unsigned)minor;
	return 0;
}

int humfs_meta_parse(const char *buf, size_t len, struct humfs_meta *m, const char **why)
{
	uint64_t perm, uid, gid;
	struct scan s;

	*m = (struct humfs_meta){ 0 };
	if (!first_line(buf, len, HUMFS_META_MAX, &s))
		FAIL("line too long");
	if (s.p == s.end)
		FAIL("empty");
	if (!scan_number(&s, 07777, &perm))
		FAIL("bad mode");
	if (!scan_char(&s, ' ') || !scan_number(&s, UINT32_MAX - 1, &uid))
		FAIL("bad uid");
	if (!scan_char(&s, ' ') || !scan_number(&s, UINT32_MAX - 1, &gid))
		FAIL("bad gid");
	m->perm = (mode_t)perm;
	m->uid = (uid_t)uid;
	m->gid = (gid_t)gid;
	if (scan_char(&s, ' ')) {
		if (s.p == s.end)
			FAIL("missing file type");
		m->type = *s.p++;
		if (m->type == 'c' || m->type == 'b') {
			if (parse_device(&s, m, why))
				return -1;
		} else if (m->type != 's') {
			FAIL("unknown file type");
		}
	}
	if (s.p != s.end)
		FAIL("trailing characters");
	return 0;
}

int humfs_meta_format(const struct humfs_meta *m, char *buf, size_t len)
{
	int n;

	if (m->type == 'c' || m->type == 'b')
		n = snprintf(buf, len, "%u %u %u %c %u %u\n", (unsigned)(m->perm & 07777),
			     (unsigned)m->uid, (unsigned)m->gid, m->type, m->major, m->minor);
	else if (m->type == 's')
		n = snprintf(buf, len, "%u %u %u s\n", (unsigned)(m->perm & 07777),
			     (unsigned)m->uid, (unsigned)m->gid);
	else
		n = snprintf(buf, len, "%u %u %u\n", (unsigned)(m->perm & 07777),
			     (unsigned)m->uid, (unsigned)m->gid);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

mode_t humfs_meta_type(const struct humfs_meta *m)
{
	switch (m->type) {
	case 'c': return S_IFCHR;
	case 'b': return S_IFBLK;
	case 's': return S_IFSOCK;
	default:  return 0;
	}
}

/* "<key> <value>" with key one of the superblock's; false on anything else. */
static bool super_line(struct scan *s, struct humfs_super *sb, unsigned *seen, const char **why)
{
	static const char *const keys[] = { "version", "metadata", "used", "total" };
	unsigned k;
	uint64_t v;

	for (k = 0; k < 4; k++) {
		size_t kl = strlen(keys[k]);
		if ((size_t)(s->end - s->p) > kl && !memcmp(s->p, keys[k], kl) && s->p[kl] == ' ')
			break;
	}
	if (k == 4) {
		*why = "unknown line";
		return false;
	}
	if (*seen & (1u << k)) {
		*why = "a line given twice";
		return false;
	}
	*seen |= 1u << k;
	s->p += strlen(keys[k]) + 1;
	if (k == 1) {
		size_t n = (size_t)(s->end - s->p);
		bool ok = n > 0 && n < sizeof(sb->metadata);
		for (size_t i = 0; ok && i < n; i++) {
			char c = s->p[i];   /* a word, as humfsify's \w+ */
			ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			     c == '_' || c == '-';
		}
		if (!ok) {
			*why = "bad metadata format name";
			return false;
		}
		memcpy(sb->metadata, s->p, n);
		sb->metadata[n] = '\0';
		s->p = s->end;
		return true;
	}
	if (!scan_number(s, k == 0 ? 1000 : UINT64_MAX / 2, &v) || s->p != s->end) {
		*why = k == 0 ? "bad version" : k == 2 ? "bad used" : "bad total";
		return false;
	}
	if (k == 0)
		sb->version = (int)v;
	else if (k == 2)
		sb->used = v;
	else
		sb->total = v;
	return true;
}

int humfs_super_parse(const char *buf, size_t len, struct humfs_super *s, const char **why)
{
	unsigned seen = 0;
	size_t off = 0;

	*s = (struct humfs_super){ 0 };
	if (len > HUMFS_SUPER_MAX)
		FAIL("too long");
	while (off < len) {
		struct scan sc;
		if (!first_line(buf + off, len - off, 256, &sc))
			FAIL("line too long");
		off += (size_t)(sc.end - sc.p) + 1;
		if (sc.p == sc.end)
			continue;   /* blank lines are harmless */
		if (!super_line(&sc, s, &seen, why))
			return -1;
	}
	if (!(seen & 1))
		FAIL("no version line");
	if (s->version != 1 && s->version != 2)
		FAIL("unsupported version (1 and 2 are known)");
	if (!(seen & 2)) {
		if (s->version == 2)
			FAIL("no metadata line");
		strcpy(s->metadata, "shadow_fs");
	}
	if (!(seen & 4))
		FAIL("no used line");
	if (!(seen & 8))
		FAIL("no total line");
	return 0;
}

int humfs_super_format(const struct humfs_super *s, char *buf, size_t len)
{
	int n = snprintf(buf, len, "version 2\nmetadata %s\nused %llu\ntotal %llu\n",
			 s->metadata[0] ? s->metadata : "shadow_fs",
			 (unsigned long long)s->used, (unsigned long long)s->total);

	return n < 0 || (size_t)n >= len ? -1 : n;
}

int humfs_parse_size(const char *arg, uint64_t *bytes)
{
	struct scan s = { arg, arg + strlen(arg) };
	uint64_t v, mult = 1;

	if (!scan_number(&s, UINT64_MAX, &v))
		return -1;
	if (s.p < s.end) {
		switch (*s.p++) {
		case 'K': mult = 1024; break;
		case 'M': mult = 1024 * 1024; break;
		case 'G': mult = 1024 * 1024 * 1024; break;
		default: return -1;
		}
	}
	if (s.p != s.end || v > UINT64_MAX / 2 / mult)
		return -1;
	*bytes = v * mult;
	return 0;
}
