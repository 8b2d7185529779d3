/*
 * AF_UNIX names. A filesystem name is a socket node made with mknod in the binder's
 * file system view (its umask applied, EADDRINUSE if the name exists); the socket is
 * found again by the node's superblock and inode number, so a rename keeps it reachable
 * and removing the node makes it unreachable, as in Linux. An abstract name (sun_path
 * starting with a NUL byte) lives in a table of its own, per socket type as Linux hashes
 * it; autobind picks "\0" and five hex digits.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "net/unix.h"

#define SUN_PATH_OFFSET offsetof(struct sockaddr_un, sun_path)

struct binding {
	struct list_head link;
	struct unix_sock *u;       /* weak: unbound before the socket goes */
	struct super_block *sb;    /* filesystem names */
	uint64_t ino;
	int type;                  /* abstract names: per type */
};

static struct list_head bindings = LIST_HEAD_INIT(bindings);

int unix_validate_addr(const struct sockaddr *addr, socklen_t len)
{
	if (len < SUN_PATH_OFFSET || len > sizeof(struct sockaddr_un) ||
	    addr->sa_family != AF_UNIX)
		return -EINVAL;
	return 0;
}

static bool is_abstract(const struct sockaddr_un *sun, socklen_t len)
{
	return len > SUN_PATH_OFFSET && sun->sun_path[0] == 0;
}

/* A filesystem name as Linux keeps it: up to the first NUL, the NUL counted. */
static void path_name(const struct sockaddr *addr, socklen_t len, struct unix_addr *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(&out->sun, addr, len);
	out->sun.sun_path[sizeof(out->sun.sun_path) - 1] = 0;
	((char *)&out->sun)[len < sizeof(out->sun) ? len : sizeof(out->sun) - 1] = 0;
	out->len = (socklen_t)(SUN_PATH_OFFSET + strlen(out->sun.sun_path) + 1);
}

static struct binding *find_abstract(const struct sockaddr_un *sun, socklen_t len, int type)
{
	struct list_head *p;
	list_for_each(p, &bindings) {
		struct binding *b = list_entry(p, struct binding, link);
		if (!b->sb && b->type == type && b->u->addr->len == len &&
		    memcmp(&b->u->addr->sun, sun, len) == 0)
			return b;
	}
	return NULL;
}

static struct binding *find_node(struct super_block *sb, uint64_t ino)
{
	struct list_head *p;
	list_for_each(p, &bindings) {
		struct binding *b = list_entry(p, struct binding, link);
		if (b->sb && b->sb == sb && b->ino == ino)
			return b;
	}
	return NULL;
}

static void add_binding(struct unix_sock *u, struct unix_addr *a, struct super_block *sb, uint64_t ino)
{
	struct binding *b = xcalloc(1, sizeof(*b));
	b->u = u;
	b->sb = sb;
	b->ino = ino;
	b->type = u->sk->type;
	u->addr = a;
	list_add_tail(&b->link, &bindings);
}

static int bind_abstract(struct unix_sock *u, const struct sockaddr *addr, socklen_t len)
{
	if (find_abstract((const struct sockaddr_un *)addr, len, u->sk->type))
		return -EADDRINUSE;
	struct unix_addr *a = xcalloc(1, sizeof(*a));
	memcpy(&a->sun, addr, len);
	a->len = len;
	add_binding(u, a, NULL, 0);
	return 0;
}

static int bind_path(struct unix_sock *u, const struct sockaddr *addr, socklen_t len)
{
	struct unix_addr *a = xcalloc(1, sizeof(*a));
	path_name(addr, len, a);
	/* the node's mode is 0777 less the umask (Linux: the socket inode's mode) */
	int err = vfs_mknod(current, AT_FDCWD, a->sun.sun_path, S_IFSOCK | 0777, 0);
	if (!err && u->addr) {
		/* Linux makes the node before it looks whether the socket has a name */
		vfs_unlink(current, AT_FDCWD, a->sun.sun_path);
		err = -EINVAL;
	}
	struct path p;
	if (!err)
		err = path_walk(current, AT_FDCWD, a->sun.sun_path, 0, &p);
	if (err) {
		free(a);
		return err == -EEXIST ? -EADDRINUSE : err;
	}
	struct inode *i = p.dentry->inode;
	add_binding(u, a, i->sb, i->ino);
	path_put(&p);
	return 0;
}

int unix_autobind(struct unix_sock *u)
{
	static unsigned next = 1;
	if (u->addr)
		return 0;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t len = SUN_PATH_OFFSET + 6;
	for (unsigned tries = 0; tries < 0xfffff; tries++, next = (next + 1) & 0xfffff) {
		char hex[8];
		snprintf(hex, sizeof(hex), "%05x", next);
		memcpy(sun.sun_path + 1, hex, 5);
		if (!find_abstract(&sun, len, u->sk->type))
			return bind_abstract(u, (struct sockaddr *)&sun, len);
	}
	return -ENOSPC;
}

int unix_bind(struct unix_sock *u, const struct sockaddr *addr, socklen_t len)
{
	int err = unix_validate_addr(addr, len);
	if (err)
		return err;
	if (len == SUN_PATH_OFFSET)
		return u->addr ? -EINVAL : unix_autobind(u);
	const struct sockaddr_un *sun = (const struct sockaddr_un *)addr;
	if (is_abstract(sun, len))
		return u->addr ? -EINVAL : bind_abstract(u, addr, len);
	return bind_path(u, addr, len);
}

/* A filesystem name: the node must be a socket the caller may write to. */
static long find_path(const struct sockaddr *addr, socklen_t len, int type, struct unix_sock **out)
{
	struct unix_addr a;
	path_name(addr, len, &a);
	struct path p;
	int err = path_walk(current, AT_FDCWD, a.sun.sun_path, LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	struct inode *i = p.dentry->inode;
	err = inode_permission(current, i, MAY_WRITE);
	struct binding *b = !err && S_ISSOCK(i->mode) ? find_node(i->sb, i->ino) : NULL;
	path_put(&p);
	if (err)
		return err;
	if (!b)
		return -ECONNREFUSED;
	if (b->u->sk->type != type)
		return -EPROTOTYPE;
	unix_get(b->u);
	*out = b->u;
	return 0;
}

long unix_find(const struct sockaddr *addr, socklen_t len, int type, struct unix_sock **out)
{
	int err = unix_validate_addr(addr, len);
	if (err)
		return err;
	const struct sockaddr_un *sun = (const struct sockaddr_un *)addr;
	if (!is_abstract(sun, len))
		return find_path(addr, len, type, out);
	struct binding *b = find_abstract(sun, len, type);
	if (!b)
		return -ECONNREFUSED;
	unix_get(b->u);
	*out = b->u;
	return 0;
}

void unix_unbind(struct unix_sock *u)
{
	struct list_head *p, *n;
	list_for_each_safe(p, n, &bindings) {
		struct binding *b = list_entry(p, struct binding, link);
		if (b->u == u) {
			list_del_init(&b->link);
			free(b);
		}
	}
}
