/*
 * File system notification hooks: the VFS calls these where Linux calls its fsnotify_*
 * hooks, and inotify watches hear about them. A file is watched by (superblock, inode
 * number), as the VFS keeps files (hostfs may make a new inode object for a file it saw
 * before). Every hook is an inline test of one counter while nothing is watched.
 */
#ifndef UMLINUX_FS_NOTIFY_FSNOTIFY_H
#define UMLINUX_FS_NOTIFY_FSNOTIFY_H
#include <stdint.h>
#include <sys/inotify.h>
#include "fs/vfs.h"

/* How many files are watched now. */
extern unsigned fsnotify_marks;

/* The slow halves of the hooks below (fsnotify.c). */
void fsnotify_file_event(struct file *f, uint32_t mask);
void fsnotify_change_event(struct dentry *d, struct inode *inode, unsigned ia_valid);
void fsnotify_create_event(struct inode *dir, const char *name, bool isdir);
void fsnotify_link_event(struct inode *dir, const char *name, struct inode *inode);
void fsnotify_remove_event(struct inode *dir, const char *name, struct inode *victim, bool isdir);
void fsnotify_move_event(struct inode *olddir, const char *oldname, struct inode *newdir,
			 const char *newname, struct inode *moved, struct inode *replaced);
void fsnotify_inode_released(struct inode *inode);
void fsnotify_unmount_event(struct super_block *sb);

/* Open files: events for the file and, with its name, for its directory. O_PATH
 * descriptors make none, as in Linux. */
static inline void fsnotify_open(struct file *f)
{
	if (fsnotify_marks)
		fsnotify_file_event(f, IN_OPEN);
}

/* The last reference to an opened file is going: IN_CLOSE_WRITE or IN_CLOSE_NOWRITE. */
static inline void fsnotify_close(struct file *f)
{
	if (fsnotify_marks)
		fsnotify_file_event(f, 0);
}

static inline void fsnotify_access(struct file *f)
{
	if (fsnotify_marks)
		fsnotify_file_event(f, IN_ACCESS);
}

static inline void fsnotify_modify(struct file *f)
{
	if (fsnotify_marks)
		fsnotify_file_event(f, IN_MODIFY);
}

/* An attribute change (ATTR_* of struct iattr) of the file d names, or of inode when d
 * is NULL (a file without a name). */
static inline void fsnotify_change(struct dentry *d, struct inode *inode, unsigned ia_valid)
{
	if (fsnotify_marks)
		fsnotify_change_event(d, inode, ia_valid);
}

/* name appeared in dir: create, mknod, symlink, mkdir. */
static inline void fsnotify_create(struct inode *dir, const char *name, bool isdir)
{
	if (fsnotify_marks)
		fsnotify_create_event(dir, name, isdir);
}

/* A hard link: inode's link count changed, and name appeared in dir. */
static inline void fsnotify_link(struct inode *dir, const char *name, struct inode *inode)
{
	if (fsnotify_marks)
		fsnotify_link_event(dir, name, inode);
}

/* unlink or rmdir of name in dir, victim (a reference the caller still holds) its file. */
static inline void fsnotify_remove(struct inode *dir, const char *name, struct inode *victim,
				   bool isdir)
{
	if (fsnotify_marks)
		fsnotify_remove_event(dir, name, victim, isdir);
}

/* A rename of moved; replaced is the file renamed over, or NULL. */
static inline void fsnotify_move(struct inode *olddir, const char *oldname, struct inode *newdir,
				 const char *newname, struct inode *moved, struct inode *replaced)
{
	if (fsnotify_marks)
		fsnotify_move_event(olddir, oldname, newdir, newname, moved, replaced);
}

/* The last reference to an inode object is going (objects.c). */
static inline void fsnotify_inode_put(struct inode *inode)
{
	if (fsnotify_marks)
		fsnotify_inode_released(inode);
}

/* sb is being shut down: its watches end with IN_UNMOUNT. */
static inline void fsnotify_unmount(struct super_block *sb)
{
	if (fsnotify_marks)
		fsnotify_unmount_event(sb);
}

#endif
