/*
 * humfs inode operations: hostfs's, on the data/ tree, with the guest's view of owner,
 * permissions and type taken from (and kept in) the metadata files. Guest credentials
 * never reach the host: data files are the host user's, mode 0644/0755, whatever the
 * guest sees. Every change does both halves before returning, metadata first when a
 * name appears and data first when it goes, so a crash can leave only an unused
 * metadata file behind, never a data file the guest could reach without its metadata.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "fs/humfs/humfs_int.h"

#define DATA_FILE_MODE 0644
#define DATA_DIR_MODE  0755

static void set_override(struct hostfs_inode *hi, const struct humfs_meta *m)
{
	mode_t type = humfs_meta_type(m);
	struct inode *inode = hi->inode;

	if (!type)
		type = hi->host_type;
	hi->over = (struct hostfs_override){
		.valid = true, .mode = type | m->perm, .uid = m->uid, .gid = m->gid,
		.rdev = (S_ISCHR(type) || S_ISBLK(type)) ? makedev(m->major, m->minor) : 0,
	};
	if (!hi->over.rdev && (S_ISCHR(type) || S_ISBLK(type)))
		hi->over.rdev = inode->rdev;   /* a host device node with no type recorded */
	inode->mode = hi->over.mode;
	inode->uid = m->uid;
	inode->gid = m->gid;
	inode->rdev = hi->over.rdev;
}

/* Device and socket types stand in for a host file, never for a directory, symlink or
 * FIFO, whose host type is what the VFS must see. */
static bool type_fits(mode_t host_type, const struct humfs_meta *m)
{
	if (!m->type)
		return true;
	return S_ISREG(host_type) || S_ISCHR(host_type) || S_ISBLK(host_type) ||
	       S_ISSOCK(host_type);
}

int humfs_load_meta(struct inode *inode)
{
	struct hostfs_inode *hi = HI(inode);
	struct humfs_meta m;
	int err;

	if (!hi->path)
		return 0;   /* removed: keeps what it had */
	err = humfs_meta_read(inode->sb, hi->path, S_ISDIR(hi->host_type), &m);
	if (err)
		return err;
	if (!type_fits(hi->host_type, &m)) {
		printk("humfs: %s: metadata of data/%s gives type '%c' to a host %s\n",
		       HUM(inode->sb)->name, hi->path, m.type,
		       S_ISDIR(hi->host_type) ? "directory" : S_ISLNK(hi->host_type) ? "symlink" : "FIFO");
		return -EIO;
	}
	set_override(hi, &m);
	return 0;
}

/* Keeps a directory just looked up alive a while (humfs_sb.recent_dirs). */
static void keep_recent(struct inode *inode)
{
	struct humfs_sb *hum = HUM(inode->sb);
	struct inode **slot;

	if (!S_ISDIR(inode->mode))
		return;
	for (unsigned i = 0; i < HUMFS_RECENT_DIRS; i++)
		if (hum->recent_dirs[i] == inode)
			return;
	slot = &hum->recent_dirs[hum->recent_next++ % HUMFS_RECENT_DIRS];
	if (*slot)
		inode_put(*slot);
	*slot = inode_get(inode);
}

void humfs_forget_recent(struct super_block *sb)
{
	struct humfs_sb *hum = HUM(sb);

	for (unsigned i = 0; i < HUMFS_RECENT_DIRS; i++) {
		if (hum->recent_dirs[i])
			inode_put(hum->recent_dirs[i]);
		hum->recent_dirs[i] = NULL;
	}
}

static int humfs_lookup(struct inode *dir, const char *name, struct inode **out)
{
	int err = hostfs_iops.lookup(dir, name, out);

	if (err)
		return err;
	if (!HI(*out)->over.valid && (err = humfs_load_meta(*out))) {
		inode_put(*out);
		*out = NULL;
		return err;
	}
	keep_recent(*out);
	return 0;
}

static struct humfs_meta meta_of(const struct inode *inode)
{
	const struct hostfs_override *o = &HI(inode)->over;
	struct humfs_meta m = { .perm = o->mode & 07777, .uid = o->uid, .gid = o->gid };

	if (S_ISCHR(o->mode) || S_ISBLK(o->mode)) {
		m.type = S_ISCHR(o->mode) ? 'c' : 'b';
		m.major = major(o->rdev);
		m.minor = minor(o->rdev);
	} else if (S_ISSOCK(o->mode) && !S_ISSOCK(HI(inode)->host_type)) {
		m.type = 's';
	}
	return m;
}

/* The bytes the host holds for inode's file. */
static int64_t inode_bytes(struct inode *inode)
{
	struct hostfs_loc loc;
	int64_t bytes;

	if (hostfs_locate(inode, true, &loc))
		return 0;
	bytes = humfs_host_bytes(loc.dirfd, loc.name);
	hostfs_loc_done(&loc);
	return bytes;
}

static void share_override(struct hostfs_inode *hi, void *arg)
{
	const struct humfs_meta *m = arg;

	if (hi->over.valid && !S_ISDIR(hi->host_type))
		set_override(hi, m);
}

/* chmod and chown change the metadata only; the rest goes to the data file. */
static int humfs_setattr(struct inode *inode, const struct iattr *a)
{
	struct hostfs_inode *hi = HI(inode);
	struct iattr rest = *a;
	int err;

	if (hostfs_rdonly(inode->sb))
		return -EROFS;
	if (a->valid & (ATTR_MODE | ATTR_UID | ATTR_GID)) {
		struct humfs_meta m = meta_of(inode);
		if (a->valid & ATTR_MODE)
			m.perm = a->mode & 07777;
		if (a->valid & ATTR_UID)
			m.uid = a->uid;
		if (a->valid & ATTR_GID)
			m.gid = a->gid;
		struct humfs_meta cur = meta_of(inode);
		if (m.perm == cur.perm && m.uid == cur.uid && m.gid == cur.gid)
			goto rest;   /* tar's chown and chmod often repeat what create wrote */
		if (hi->path) {
			err = humfs_meta_write(inode->sb, hi->path, S_ISDIR(hi->host_type), &m);
			if (err)
				return err;
		}
		set_override(hi, &m);
		/* Other names of the file share its (hard-linked) metadata file. */
		if (inode->nlink > 1)
			hostfs_for_each_ino(inode->sb, inode->ino, share_override, &m);
	}
rest:
	rest.valid &= ~(ATTR_MODE | ATTR_UID | ATTR_GID);
	if (!rest.valid)
		return 0;
	if (!(rest.valid & ATTR_SIZE))
		return hostfs_iops.setattr(inode, &rest);
	/* A size change: what the host holds before and after is charged. */
	int64_t before = inode_bytes(inode);
	err = hostfs_iops.setattr(inode, &rest);
	humfs_charge(inode->sb, inode_bytes(inode) - before);
	return err;
}

static struct humfs_meta new_meta(struct inode *dir, mode_t *mode, const struct cred *cred)
{
	struct humfs_meta m = { 0 };

	vfs_init_owner(dir, mode, cred, &m.uid, &m.gid);
	m.perm = *mode & 07777;
	return m;
}

/* What the host says of dir's entry name (type 0 when there is none), through a fresh
 * directory descriptor: its type, the bytes it holds and its links. */
struct entry_info {
	mode_t type;
	int64_t bytes;
	nlink_t nlink;
};

static struct entry_info entry_stat(struct inode *dir, const char *name)
{
	struct entry_info e = { 0 };
	int fd = hostfs_open_child_dir(dir, name);
	struct statx stx;

	if (fd < 0)
		return e;
	if (!hostfs_statx_at(fd, name, &stx))
		e = (struct entry_info){ stx.stx_mode & S_IFMT, (int64_t)stx.stx_blocks * 512,
					 stx.stx_nlink };
	close(fd);
	return e;
}

static int create_data(struct inode *dir, const char *name, void *arg);

/* Makes the name dir/name: its metadata m first (a directory's in dir_metadata/), then
 * the data by make_data(dir, name, arg). The metadata goes again if the data can't be
 * made, unless the name turned out to exist (EEXIST: that metadata is the file's own).
 * What the host allocated is charged. */
static int new_entry(struct inode *dir, const char *name, const struct humfs_meta *m, bool is_dir,
		     int (*make_data)(struct inode *dir, const char *name, void *arg), void *arg)
{
	char *path;
	int err;

	if (hostfs_rdonly(dir->sb))
		return -EROFS;
	if (!HI(dir)->path)
		return -ENOENT;   /* inside a removed directory */
	path = hostfs_child_path(HI(dir)->path, name);
	err = is_dir ? humfs_meta_mkdir(dir->sb, path, m) : humfs_meta_write(dir->sb, path, false, m);
	if (!err) {
		err = make_data(dir, name, arg);
		if (err && err != -EEXIST && is_dir)
			humfs_meta_rmdir(dir->sb, path);
		else if (err && err != -EEXIST)
			humfs_meta_unlink(dir->sb, path);
	}
	free(path);
	if (!err && make_data != create_data)   /* a new file holds no blocks yet */
		humfs_charge(dir->sb, entry_stat(dir, name).bytes);
	return err;
}

struct create_args {
	mode_t data_mode;
	struct inode **out;
};

static int create_data(struct inode *dir, const char *name, void *arg)
{
	struct create_args *c = arg;

	return hostfs_iops.create(dir, name, c->data_mode, 0, NULL, c->out);
}

static int humfs_create(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
			const struct cred *cred, struct inode **out)
{
	struct humfs_meta m;
	int err;

	if (!(mode & S_IFMT))
		mode |= S_IFREG;
	m = new_meta(dir, &mode, cred);
	if (S_ISCHR(mode) || S_ISBLK(mode)) {
		m.type = S_ISCHR(mode) ? 'c' : 'b';
		m.major = major(rdev);
		m.minor = minor(rdev);
	} else if (S_ISSOCK(mode)) {
		m.type = 's';
	}
	/* A FIFO is a host FIFO (anyone may make one); devices and sockets are empty
	 * regular files that only the metadata makes special. */
	struct create_args c = { (S_ISFIFO(mode) ? S_IFIFO : S_IFREG) | DATA_FILE_MODE, out };
	err = new_entry(dir, name, &m, false, create_data, &c);
	if (err)
		return err;
	set_override(HI(*out), &m);
	if (!S_ISREG(mode) && HI(*out)->created_fd >= 0) {
		close(HI(*out)->created_fd);   /* never opened as a host file */
		HI(*out)->created_fd = -1;
	}
	return 0;
}

static int mkdir_data(struct inode *dir, const char *name, void *arg)
{
	(void)arg;
	return hostfs_iops.mkdir(dir, name, DATA_DIR_MODE, NULL);
}

static int humfs_mkdir(struct inode *dir, const char *name, mode_t mode, const struct cred *cred)
{
	struct humfs_meta m;

	if (humfs_free_bytes(dir->sb) < 4096)
		return -ENOSPC;
	mode = (mode & 07777) | S_IFDIR;
	m = new_meta(dir, &mode, cred);
	return new_entry(dir, name, &m, true, mkdir_data, NULL);
}

static int symlink_data(struct inode *dir, const char *name, void *arg)
{
	return hostfs_iops.symlink(dir, name, arg, NULL);
}

static int humfs_symlink(struct inode *dir, const char *name, const char *target,
			 const struct cred *cred)
{
	mode_t mode = S_IFLNK | 0777;
	struct humfs_meta m = new_meta(dir, &mode, cred);

	return new_entry(dir, name, &m, false, symlink_data, (void *)target);
}

/* A name for an existing file shares its metadata file (a host hard link); a file
 * without a name (O_TMPFILE) has none yet, and gets one written from its inode. */
static int link_meta(struct inode *old, const char *path)
{
	struct humfs_meta m;

	if (HI(old)->path)
		return humfs_meta_link(old->sb, HI(old)->path, path);
	m = meta_of(old);
	return humfs_meta_write(old->sb, path, false, &m);
}

static int humfs_link(struct inode *old, struct inode *dir, const char *name)
{
	char *path;
	int err;

	if (hostfs_rdonly(dir->sb))
		return -EROFS;
	if (!HI(dir)->path)
		return -ENOENT;
	path = hostfs_child_path(HI(dir)->path, name);
	err = link_meta(old, path);
	if (!err) {
		err = hostfs_iops.link(old, dir, name);
		if (err && err != -EEXIST)
			humfs_meta_unlink(dir->sb, path);
	}
	free(path);
	return err;
}

/* O_TMPFILE: a host O_TMPFILE data file, the guest's owner and mode kept in the inode
 * only; metadata is written if and when the file is linked. */
static int humfs_tmpfile(struct inode *dir, mode_t mode, const struct cred *cred,
			 struct inode **out)
{
	struct humfs_meta m;
	int err;

	if (hostfs_rdonly(dir->sb))
		return -EROFS;
	m = new_meta(dir, &mode, cred);
	err = hostfs_tmpfile(dir, S_IFREG | DATA_FILE_MODE, NULL, out);
	if (!err)
		set_override(HI(*out), &m);
	return err;
}

/* A file that never had a name gives back the space its writes were charged. */
static void humfs_destroy(struct inode *inode)
{
	if (HI(inode) && HI(inode)->tmpfile)
		humfs_charge(inode->sb, -inode_bytes(inode));
	hostfs_destroy(inode);
}

static int humfs_unlink(struct inode *dir, const char *name)
{
	struct entry_info gone;
	char *path;
	int err;

	if (hostfs_rdonly(dir->sb))
		return -EROFS;
	gone = entry_stat(dir, name);
	err = hostfs_iops.unlink(dir, name);
	if (err)
		return err;
	path = hostfs_child_path(HI(dir)->path, name);
	humfs_meta_unlink(dir->sb, path);
	free(path);
	if (gone.nlink == 1)
		humfs_charge(dir->sb, -gone.bytes);
	return 0;
}

static int humfs_rmdir(struct inode *dir, const char *name)
{
	int64_t bytes;
	char *path;
	int err;

	if (hostfs_rdonly(dir->sb))
		return -EROFS;
	bytes = entry_stat(dir, name).bytes;
	err = hostfs_iops.rmdir(dir, name);
	if (err)
		return err;
	path = hostfs_child_path(HI(dir)->path, name);
	humfs_meta_rmdir(dir->sb, path);
	free(path);
	humfs_charge(dir->sb, -bytes);
	return 0;
}

static int humfs_rename(struct inode *olddir, const char *oldname, struct inode *newdir,
			const char *newname, unsigned flags)
{
	bool exchange = flags & RENAME_EXCHANGE;
	struct entry_info old, over;
	char *from, *to;
	int err;

	if (hostfs_rdonly(olddir->sb))
		return -EROFS;
	if (!HI(olddir)->path || !HI(newdir)->path)
		return -ENOENT;
	old = entry_stat(olddir, oldname);
	over = entry_stat(newdir, newname);
	from = hostfs_child_path(HI(olddir)->path, oldname);
	to = hostfs_child_path(HI(newdir)->path, newname);
	/* A directory arriving where its new parent's metadata file is named. */
	err = S_ISDIR(old.type) ? humfs_meta_make_room(olddir->sb, to) : 0;
	if (!err && exchange && S_ISDIR(over.type))
		err = humfs_meta_make_room(olddir->sb, from);
	if (!err)
		err = hostfs_iops.rename(olddir, oldname, newdir, newname, flags);
	/* Renaming a name over another of the same file succeeds and leaves both: the
	 * metadata names (hard links too) stay as they are. */
	bool noop = !err && !exchange && entry_stat(olddir, oldname).type;
	if (!err && !noop) {
		err = humfs_meta_rename(olddir->sb, from, S_ISDIR(old.type), to, S_ISDIR(over.type), flags);
		if (err)
			printk("humfs: %s: renaming the metadata of data/%s to data/%s failed: %s\n",
			       HUM(olddir->sb)->name, from, to, strerror(-err));
		else if (over.type && !exchange && (S_ISDIR(over.type) || over.nlink == 1))
			humfs_charge(olddir->sb, -over.bytes);   /* the file renamed over is gone */
	}
	free(from);
	free(to);
	return err;
}

static int humfs_getattr(struct inode *inode, struct kstat *st)
{
	return hostfs_iops.getattr(inode, st);
}

const struct inode_ops humfs_iops = {
	.lookup = humfs_lookup,
	.getattr = humfs_getattr,
	.setattr = humfs_setattr,
	.create = humfs_create,
	.mkdir = humfs_mkdir,
	.symlink = humfs_symlink,
	.link = humfs_link,
	.tmpfile = humfs_tmpfile,
	.unlink = humfs_unlink,
	.rmdir = humfs_rmdir,
	.rename = humfs_rename,
	.readlink = hostfs_readlink,
	.open = hostfs_open,
	.destroy = humfs_destroy,
};
