/* names and attributes as an ordinary user (uid 1000, groups 1000 and 2000):
 * EACCES without write+search on the parent (mkdir, mknod, symlink, link,
 * unlink, rmdir, rename, and EEXIST still winning), sticky directories
 * (EPERM unless owner of file or dir), renaming a directory to another parent
 * needs write on it, mknod of devices (EPERM after EACCES), fs.protected_
 * hardlinks, chmod clearing setgid for a non-member group, chown/chgrp rules,
 * utimensat explicit vs "now" times, truncate EACCES, chroot/mount/umount2
 * EPERM and their order against ENOENT. */
#include "check.h"
#include <grp.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

static void mode(const char *label, const char *p)
{
	struct stat st;
	if (lstat(p, &st) != 0)
		printf("%s: %s\n", label, errname(errno));
	else
		printf("%s: %04o uid=%d gid=%d\n", label, st.st_mode & 07777, (int)st.st_uid, (int)st.st_gid);
}

/* Built by root before dropping privileges. */
static void setup(void)
{
	chmod(".", 0777);
	mkdir("ro", 0755);                 /* root's, not writable by the user */
	write_file("ro/file", "f", 0644);
	mkdir("ro/sub", 0755);
	mkdir("noexec", 0766);             /* writable but not searchable */
	write_file("noexec/file", "f", 0644);
	mkdir("sticky", 01777);
	chmod("sticky", 01777);
	write_file("sticky/roots", "r", 0666);
	mkdir("sticky/rootdir", 0777);
	chmod("sticky/rootdir", 0777);
	write_file("sticky/mine", "m", 0644);
	chown("sticky/mine", 1000, 1000);
	mkdir("usticky", 01777);           /* sticky, owned by the user */
	chmod("usticky", 01777);
	chown("usticky", 1000, 1000);
	write_file("usticky/roots", "r", 0644);
	mkdir("mydir", 0755);
	chown("mydir", 1000, 1000);
	mkdir("rootsdir", 0755);           /* root's: can't get a new ".." from the user */
	mkdir("rootsdir/in", 0777);
	chmod("rootsdir/in", 0777);
	write_file("rootfile", "r", 0666);     /* root's, rw for all: safe to hard-link */
	chmod("rootfile", 0666);
	write_file("rootprivate", "r", 0600);  /* root's, private: not */
	write_file("rootsuid", "r", 04777);
	chmod("rootsuid", 04777);
	write_file("mine", "m", 0644);
	chown("mine", 1000, 1000);
	write_file("g2000", "g", 0644);
	chown("g2000", 1000, 2000);
	write_file("g3000", "g", 0644);
	chown("g3000", 1000, 3000);
	write_file("root644", "r", 0644);
	write_file("root666", "r", 0666);
	chmod("root666", 0666);
}

static void names(void)
{
	CHECK_ERRNO(mkdir("ro/new", 0755), "mkdir in root's 0755 dir");
	CHECK_ERRNO(mkdir("ro/sub", 0755), "mkdir existing in root's dir");
	CHECK_ERRNO(mkdir("noexec/new", 0755), "mkdir in dir without search");
	CHECK_ERRNO(mknod("ro/fifo", S_IFIFO | 0644, 0), "mknod fifo in root's dir");
	CHECK_ERRNO(mknod("ro/chr", S_IFCHR | 0644, makedev(1, 3)), "mknod chr in root's dir");
	CHECK_ERRNO(mknod("chr", S_IFCHR | 0644, makedev(1, 3)), "mknod chr in writable dir");
	CHECK_ERRNO(mknod("blk", S_IFBLK | 0644, makedev(7, 0)), "mknod blk in writable dir");
	CHECK_ERRNO(mknod("fifo", S_IFIFO | 0644, 0), "mknod fifo in writable dir");
	CHECK_ERRNO(symlink("x", "ro/link"), "symlink in root's dir");
	CHECK_ERRNO(link("mine", "ro/link"), "link into root's dir");
	CHECK_ERRNO(unlink("ro/file"), "unlink in root's dir");
	CHECK_ERRNO(unlink("ro/missing"), "unlink missing in root's dir");
	CHECK_ERRNO(rmdir("ro/sub"), "rmdir in root's dir");
	CHECK_ERRNO(rename("ro/file", "stolen"), "rename out of root's dir");
	CHECK_ERRNO(rename("mine", "ro/mine"), "rename into root's dir");
	CHECK_ERRNO(rename("mine", "ro/file"), "rename over a file in root's dir");
	CHECK_ERRNO(rename("rootsdir", "mydir/rootsdir"), "move root's dir to another parent");
	CHECK_ERRNO(rename("rootsdir", "rootsdir2"), "rename root's dir in place");
	CHECK_ERRNO(rename("rootsdir2", "rootsdir"), "  and back");
	CHECK_ERRNO(rename("mydir", "rootsdir/in/mydir"), "move own dir to another parent");
	CHECK_ERRNO(rename("rootsdir/in/mydir", "mydir"), "  and back");
	CHECK_ERRNO(unlink("noexec/file"), "unlink in dir without search");

	/* sticky */
	CHECK_ERRNO(unlink("sticky/roots"), "sticky: unlink root's file");
	CHECK_ERRNO(rename("sticky/roots", "sticky/x"), "sticky: rename root's file");
	CHECK_ERRNO(rename("mine", "sticky/roots"), "sticky: rename over root's file");
	CHECK_ERRNO(rmdir("sticky/rootdir"), "sticky: rmdir root's dir");
	CHECK_ERRNO(unlink("sticky/rootdir"), "sticky: unlink root's dir");
	CHECK_ERRNO(unlink("sticky/nope"), "sticky: unlink missing");
	CHECK_ERRNO(rename("sticky/mine", "sticky/mine2"), "sticky: rename own file");
	CHECK_ERRNO(unlink("sticky/mine2"), "sticky: unlink own file");
	CHECK_ERRNO(unlink("usticky/roots"), "sticky dir we own: unlink root's file");

	/* protected hardlinks */
	CHECK_ERRNO(link("rootfile", "l1"), "link root's 0666 file");
	CHECK_ERRNO(link("rootprivate", "l2"), "link root's 0600 file");
	CHECK_ERRNO(link("rootsuid", "l3"), "link root's setuid file");
	CHECK_ERRNO(link("mine", "l4"), "link own file");
	CHECK_ERRNO(link("root644", "l5"), "link root's 0644 file");
}

static void attrs(void)
{
	CHECK_ERRNO(chmod("root666", 0600), "chmod root's file");
	CHECK_ERRNO(chmod("missing", 0600), "chmod missing");
	CHECK_ERRNO(chmod("g3000", 02755), "chmod g+s, group not ours");
	mode("  g3000", "g3000");
	CHECK_ERRNO(chmod("g2000", 02755), "chmod g+s, supplementary group");
	mode("  g2000", "g2000");
	CHECK_ERRNO(chown("mine", 1000, -1), "chown own file to self");
	CHECK_ERRNO(chown("mine", 0, -1), "chown own file to root");
	CHECK_ERRNO(chown("mine", -1, 2000), "chgrp own file to supplementary group");
	mode("  mine", "mine");
	CHECK_ERRNO(chown("mine", -1, 3000), "chgrp own file to other group");
	CHECK_ERRNO(chown("mine", 1000, 3000), "chown self + other group");
	CHECK_ERRNO(chown("root666", -1, 1000), "chgrp root's file");
	CHECK_ERRNO(chown("root666", -1, -1), "chown root's file -1:-1");
	CHECK_ERRNO(chown("missing", -1, -1), "chown missing");
	CHECK_ERRNO(chown("rootsuid", -1, -1), "chown root's setuid file -1:-1");
	mode("  rootsuid", "rootsuid");
	chmod("g2000", 02755);
	CHECK_ERRNO(chown("g2000", -1, 1000), "chgrp own setgid file");
	mode("  g2000", "g2000");

	struct timespec ts[2] = { { 100, 0 }, { 200, 0 } };
	struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct timespec half[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	CHECK_ERRNO(utimensat(AT_FDCWD, "root666", ts, 0), "utimensat explicit on root's 0666");
	CHECK_ERRNO(utimensat(AT_FDCWD, "root666", NULL, 0), "utimensat NULL on root's 0666");
	CHECK_ERRNO(utimensat(AT_FDCWD, "root666", now, 0), "utimensat NOW,NOW on root's 0666");
	CHECK_ERRNO(utimensat(AT_FDCWD, "root666", half, 0), "utimensat NOW,OMIT on root's 0666");
	CHECK_ERRNO(utimensat(AT_FDCWD, "root644", NULL, 0), "utimensat NULL on root's 0644");
	CHECK_ERRNO(utimensat(AT_FDCWD, "root644", ts, 0), "utimensat explicit on root's 0644");
	CHECK_ERRNO(utimes("root666", NULL), "utimes NULL on root's 0666");
	CHECK_ERRNO(utimensat(AT_FDCWD, "mine", ts, 0), "utimensat explicit on own file");

	CHECK_ERRNO(truncate("root644", 0), "truncate root's 0644");
	CHECK_ERRNO(truncate("root666", 0), "truncate root's 0666");
	int fd = open("root644", O_RDONLY);
	CHECK_ERRNO(ftruncate(fd, 0), "ftruncate read-only fd");
	CHECK_ERRNO(fchmod(fd, 0600), "fchmod root's file");
	CHECK_ERRNO(fchown(fd, 1000, 1000), "fchown root's file");
	close(fd);
}

static void privileged(void)
{
	CHECK_ERRNO(chroot("ro"), "chroot");
	CHECK_ERRNO(chroot("missing"), "chroot missing");
	CHECK_ERRNO(chroot("noexec"), "chroot into dir without search");
	CHECK_ERRNO(chroot("mine"), "chroot a file");
	CHECK_ERRNO(mount("none", "ro", "tmpfs", 0, NULL), "mount");
	CHECK_ERRNO(mount("none", "missing", "tmpfs", 0, NULL), "mount on missing");
	CHECK_ERRNO(umount2("ro", 0), "umount2");
	CHECK_ERRNO(umount2("missing", 0), "umount2 missing");
	CHECK_ERRNO(umount2("ro", 0x100), "umount2 bad flag");
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	setup();
	gid_t groups[] = { 1000, 2000 };
	if (setgroups(2, groups) || setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000)) {
		printf("cannot become uid 1000: %s\n", errname(errno));
		return 1;
	}
	names();
	attrs();
	privileged();
	return 0;
}
