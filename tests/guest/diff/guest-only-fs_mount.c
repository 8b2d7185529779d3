/* Guest only (mounting on the host would change it): mount/umount2 argument
 * checks, a proc mount (f_type, EXDEV for rename and link out of it, EBUSY
 * for rmdir/rename of the mount point, EPERM for mkdir in proc, busy while a
 * file is open), propagation flags, and a read-only hostfs mount of the host's
 * "/" (EROFS from every change, EEXIST and EISDIR still first, ST_RDONLY),
 * remounts. The host's "/" is never mounted writable.
 * Prints only ok / not ok. */
#include "check.h"
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>

#define HOSTFS_MAGIC 0x00c0ffee

/* "label: ok" when r failed with want (or succeeded when want is 0). */
static void expect(const char *label, long r, int want)
{
	int got = r < 0 ? errno : 0;
	if (got == want)
		printf("%s: ok\n", label);
	else
		printf("%s: got %s, want %s: not ok\n", label, errname(got), errname(want));
}

static void arguments(void)
{
	mkdir("p", 0755);
	expect("mount on missing target", mount("none", "missing", "proc", 0, NULL), ENOENT);
	expect("mount unknown type", mount("none", "p", "nosuchfs", 0, NULL), ENODEV);
	expect("mount NULL type", mount("none", "p", NULL, 0, NULL), EINVAL);
	expect("mount NULL target", syscall(SYS_mount, "none", NULL, "proc", 0, NULL), EFAULT);
	expect("mount MS_NOUSER", mount("none", "p", "proc", MS_NOUSER, NULL), EINVAL);
	expect("umount2 unknown flag", umount2("p", 0x100), EINVAL);
	expect("umount2 not a mount point", umount2("p", 0), EINVAL);
	expect("umount2 missing", umount2("missing", 0), ENOENT);
	expect("MS_PRIVATE on a non-mount-point", mount(NULL, "p", NULL, MS_PRIVATE, NULL), EINVAL);
	expect("MS_PRIVATE|MS_REC on /", mount(NULL, "/", NULL, MS_PRIVATE | MS_REC, NULL), 0);
}

static void proc_mount(void)
{
	expect("mount proc", mount("proc", "p", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL), 0);
	struct statfs sf;
	expect("statfs p", statfs("p", &sf), 0);
	SHOW_OK("f_type is PROC_SUPER_MAGIC", sf.f_type == PROC_SUPER_MAGIC);
	SHOW_OK("f_flags has nosuid,nodev,noexec",
		(sf.f_flags & (ST_NOSUID | ST_NODEV | ST_NOEXEC)) == (ST_NOSUID | ST_NODEV | ST_NOEXEC));
	expect("access p/uptime", access("p/uptime", R_OK), 0);
	expect("rmdir the mount point", rmdir("p"), EBUSY);
	expect("rename the mount point", rename("p", "p2"), EBUSY);
	mkdir("other", 0755);
	expect("rename a dir over the mount point", rename("other", "p"), EBUSY);
	expect("rename out of proc", rename("p/uptime", "uptime"), EXDEV);
	expect("link out of proc", link("p/uptime", "uptime"), EXDEV);
	expect("mkdir in proc", mkdir("p/newdir", 0755), EPERM);
	expect("MS_PRIVATE on the mount point", mount(NULL, "p", NULL, MS_PRIVATE, NULL), 0);
	expect("remount proc read-only", mount(NULL, "p", NULL, MS_REMOUNT | MS_RDONLY, NULL), 0);
	expect("statfs after remount", statfs("p", &sf), 0);
	SHOW_OK("f_flags has ST_RDONLY", (sf.f_flags & ST_RDONLY) != 0);
	expect("remount proc read-write", mount(NULL, "p", NULL, MS_REMOUNT, NULL), 0);
	expect("statfs after remount", statfs("p", &sf), 0);
	SHOW_OK("f_flags without ST_RDONLY", (sf.f_flags & ST_RDONLY) == 0);
	expect("remount a non-root of the mount", mount(NULL, "p/self", NULL, MS_REMOUNT, NULL), EINVAL);
	int fd = open("p/uptime", O_RDONLY);
	expect("umount2 with a file open", umount2("p", 0), EBUSY);
	expect("umount2 MNT_DETACH with a file open", umount2("p", MNT_DETACH), EBUSY);
	close(fd);
	expect("umount2 MNT_EXPIRE|MNT_FORCE", umount2("p", MNT_EXPIRE | MNT_FORCE), EINVAL);
	symlink("p", "plink");
	expect("umount2 UMOUNT_NOFOLLOW on a symlink", umount2("plink", UMOUNT_NOFOLLOW), EINVAL);
	expect("umount2 through a symlink", umount2("plink", 0), 0);
	expect("umount2 again", umount2("p", 0), EINVAL);
	expect("rmdir the former mount point", rmdir("p"), 0);
}

/* The host's "/" read-only: nothing here may change it. */
static void readonly_mount(void)
{
	mkdir("h", 0755);
	expect("mount hostfs / read-only", mount("none", "h", "hostfs", MS_RDONLY, "/"), 0);
	struct statfs sf;
	expect("statfs h", statfs("h", &sf), 0);
	SHOW_OK("f_type is hostfs's", sf.f_type == HOSTFS_MAGIC);
	SHOW_OK("f_flags has ST_RDONLY", (sf.f_flags & ST_RDONLY) != 0);
	expect("mkdir existing h/tmp", mkdir("h/tmp", 0755), EEXIST);
	expect("mkdir new", mkdir("h/umlinux-new-dir", 0755), EROFS);
	expect("mknod new", mknod("h/umlinux-new-fifo", S_IFIFO | 0644, 0), EROFS);
	expect("symlink new", symlink("x", "h/umlinux-new-link"), EROFS);
	expect("unlink missing", unlink("h/umlinux-missing"), EROFS);
	expect("rmdir h/tmp", rmdir("h/tmp"), EROFS);
	expect("rmdir h/.", rmdir("h/."), EINVAL);
	expect("rename within", rename("h/tmp", "h/umlinux-x"), EROFS);
	expect("rename out", rename("h/tmp", "x"), EXDEV);
	write_file("mine", "m", 0644);
	expect("link in (the new name is checked first)", link("mine", "h/umlinux-x"), EROFS);
	expect("chmod h/tmp", chmod("h/tmp", 0777), EROFS);
	expect("chown h/tmp", chown("h/tmp", 0, 0), EROFS);
	expect("utimensat h/tmp", utimensat(AT_FDCWD, "h/tmp", NULL, 0), EROFS);
	expect("truncate a directory", truncate("h/tmp", 0), EISDIR);
	expect("setxattr h/tmp", setxattr("h/tmp", "user.x", "v", 1, 0), EROFS);
	expect("getxattr h/tmp", getxattr("h/tmp", "user.x", NULL, 0), EOPNOTSUPP);
	expect("open O_CREAT", open("h/umlinux-new-file", O_CREAT | O_WRONLY, 0644), EROFS);
	int fd = open("h/tmp", O_RDONLY | O_DIRECTORY);
	expect("fchmod on a read-only mount", fchmod(fd, 0777), EROFS);
	close(fd);
	expect("umount2 h", umount2("h", 0), 0);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	if (getppid() != 1) {
		printf("not running as init: refusing to mount: not ok\n");
		return 1;
	}
	arguments();
	proc_mount();
	readonly_mount();
	return 0;
}
