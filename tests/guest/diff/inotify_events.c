/* inotify, the events the file system operations make, on a watched directory (with the
 * child's name) and on watched files themselves, in Linux's order: create, open, read,
 * write, close; chmod, chown, utimes (ATTRIB, or ACCESS/MODIFY for one time alone),
 * truncate, O_TRUNC, fallocate; link, symlink, mknod, mkdir; unlink and rmdir (ATTRIB,
 * DELETE_SELF and IGNORED when the last link goes, deferred while the file is open);
 * rename (MOVED_FROM/MOVED_TO with one cookie, MOVE_SELF, a replaced file deleted),
 * RENAME_EXCHANGE, moves to and from unwatched directories; directories read;
 * IN_EXCL_UNLINK; O_PATH descriptors; copy_file_range and sendfile; execve; IN_UNMOUNT
 * on a tmpfs. */
#define CHECK_SUB_MAIN sub_main
#include "check.h"
#include "inotify_show.h"
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>

static int ifd;

static void show(const char *label)
{
	ino_drain(label, ifd);
}

static void data_and_attributes(void)
{
	int w = open("w/f", O_CREAT | O_WRONLY, 0644);
	write(w, "hello", 5);
	close(w);
	show("create, write, close w/f");
	printf("wd f: %d\n", inotify_add_watch(ifd, "w/f", IN_ALL_EVENTS));
	char buf[16];
	int r = open("w/f", O_RDONLY);
	read(r, buf, 2);
	read(r, buf, 0);
	pread(r, buf, 2, 1);
	close(r);
	show("open, read 2, read 0, pread, close");
	struct iovec iov[2] = { { "ab", 2 }, { "cd", 2 } };
	w = open("w/f", O_WRONLY | O_APPEND);
	writev(w, iov, 2);
	write(w, "", 0);
	close(w);
	show("writev of two vectors, empty write");
	chmod("w/f", 0600);
	chown("w/f", 0, 0);
	show("chmod, chown to the same owner");
	struct timespec ts[2] = { { 1, 0 }, { 2, 0 } };
	utimensat(AT_FDCWD, "w/f", ts, 0);
	ts[1].tv_nsec = UTIME_OMIT;
	utimensat(AT_FDCWD, "w/f", ts, 0);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = 0;
	utimensat(AT_FDCWD, "w/f", ts, 0);
	utimensat(AT_FDCWD, "w/f", NULL, 0);
	show("utimensat both, atime only, mtime only, now");
	truncate("w/f", 3);
	w = open("w/f", O_WRONLY);
	ftruncate(w, 1);
	fallocate(w, 0, 0, 100);
	close(w);
	show("truncate, open, ftruncate, fallocate, close");
	w = open("w/f", O_WRONLY | O_TRUNC);
	close(w);
	show("open O_TRUNC, close");
	w = open("w/f", O_PATH);
	close(w);
	show("open O_PATH, close");
	int out = open("w/copy", O_CREAT | O_WRONLY, 0644);
	write(out, "0123456789", 10);
	close(out);
	out = open("w/copy", O_RDONLY);
	w = open("w/f", O_WRONLY);
	show("(setting up w/copy)");
	loff_t in_off = 0;
	copy_file_range(out, &in_off, w, NULL, 4, 0);
	show("copy_file_range w/copy -> w/f");
	off_t off = 0;
	sendfile(w, out, &off, 3);
	show("sendfile w/copy -> w/f");
	close(w);
	close(out);
	unlink("w/copy");
	show("closes, unlink w/copy");
}

static void names(void)
{
	link("w/f", "w/g");
	show("link w/f w/g");
	rename("w/g", "w/h");
	show("rename w/g w/h (the file f's watch is on)");
	unlink("w/h");
	show("unlink w/h (one link left)");
	symlink("f", "w/sl");
	mknod("w/fifo", S_IFIFO | 0644, 0);
	mkdir("w/sub", 0755);
	show("symlink, mknod fifo, mkdir");
	printf("wd sub: %d\n", inotify_add_watch(ifd, "w/sub", IN_ALL_EVENTS));
	DIR *d = opendir("w/sub");
	while (readdir(d))
		;
	closedir(d);
	show("opendir, readdir to the end, closedir w/sub");
	rename("w/sub", "w/sub2");
	show("rename w/sub w/sub2");
	rename("w/sl", "w/sub2/sl");
	show("rename w/sl w/sub2/sl");
	unlink("w/sub2/sl");
	rmdir("w/sub2");
	show("unlink w/sub2/sl, rmdir w/sub2");
	unlink("w/fifo");
	show("unlink w/fifo");
}

static void replace_and_exchange(void)
{
	write_file("w/x", "x", 0644);
	write_file("w/y", "y", 0644);
	show("(w/x and w/y made)");
	printf("wd x: %d\n", inotify_add_watch(ifd, "w/x", IN_ALL_EVENTS));
	rename("w/y", "w/x");
	show("rename w/y over w/x (watched)");
	write_file("w/y", "y", 0644);
	show("(w/y made)");
	syscall(SYS_renameat2, AT_FDCWD, "w/x", AT_FDCWD, "w/y", 2 /* RENAME_EXCHANGE */);
	show("RENAME_EXCHANGE w/x w/y");
	mkdir("other", 0755);
	rename("w/y", "other/y");
	show("rename w/y to the unwatched other/y");
	rename("other/y", "w/z");
	show("rename other/y to w/z");
	unlink("w/z");
	unlink("w/x");
	show("unlink w/z and w/x");
}

static void deletion(void)
{
	int r = open("w/f", O_RDONLY);
	show("open w/f");
	unlink("w/f");
	show("unlink w/f while open (its last link)");
	close(r);
	show("close it");
	mkdir("w/d2", 0755);
	printf("wd d2: %d\n", inotify_add_watch(ifd, "w/d2", IN_DELETE_SELF));
	write_file("w/q", "q", 0644);
	printf("wd q: %d\n", inotify_add_watch(ifd, "w/q", IN_MODIFY));
	show("(w/d2 and w/q made and watched)");
	rmdir("w/d2");
	unlink("w/q");
	show("rmdir w/d2 (DELETE_SELF asked), unlink w/q (only MODIFY asked)");

	/* IN_EXCL_UNLINK: no more events of a child once it is unlinked */
	int ex = inotify_init1(IN_NONBLOCK);
	inotify_add_watch(ex, "w", IN_MODIFY | IN_CLOSE | IN_EXCL_UNLINK);
	int w = open("w/e", O_CREAT | O_WRONLY, 0644);
	write(w, "1", 1);
	unlink("w/e");
	write(w, "2", 1);
	close(w);
	ino_drain("IN_EXCL_UNLINK: write, unlink, write, close", ex);
	close(ex);
	show("(the other instance meanwhile)");
}

static void watched_dir_removed(void)
{
	printf("wd .: %d\n", inotify_add_watch(ifd, ".", IN_ALL_EVENTS & ~(IN_OPEN | IN_CLOSE | IN_ACCESS)));
	rmdir("other");
	rename("w", "w2");
	show("rmdir other, rename w w2");
	rmdir("w2");
	show("rmdir w2");
}

int sub_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	return 0;
}

/* exec opens the image, reads it (IN_ACCESS) and closes it */
static void exec_image(void)
{
	char buf[65536];
	mkdir("ex", 0755);
	int in = open(self_exe, O_RDONLY), out = open("ex/prog", O_CREAT | O_WRONLY, 0755);
	long n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		write(out, buf, n);
	close(in);
	close(out);
	printf("wd ex: %d\n", inotify_add_watch(ifd, "ex", IN_ALL_EVENTS));
	pid_t pid = fork();
	if (pid == 0) {
		execl("ex/prog", "prog", "--sub", (char *)NULL);
		_exit(127);
	}
	printf("exec: %s\n", status_str(wait_for(pid)));
	unlink("ex/prog");
	rmdir("ex");
	show("exec ex/prog, unlink it, rmdir ex");
}

static void unmount(void)
{
	mkdir("mnt", 0755);
	if (mount("none", "mnt", "tmpfs", 0, NULL) != 0) {
		printf("mount tmpfs: %s\n", errname(errno));
		return;
	}
	write_file("mnt/t", "t", 0644);
	printf("wd mnt: %d\n", inotify_add_watch(ifd, "mnt", IN_CREATE | IN_DELETE));
	printf("wd mnt/t: %d\n", inotify_add_watch(ifd, "mnt/t", IN_MODIFY));
	unlink("mnt/t");
	write_file("mnt/u", "u", 0644);
	printf("wd mnt/u: %d\n", inotify_add_watch(ifd, "mnt/u", IN_MODIFY));
	mkdir("mnt/dd", 0755);
	printf("wd mnt/dd: %d\n", inotify_add_watch(ifd, "mnt/dd", IN_ALL_EVENTS));
	rename("mnt/u", "mnt/dd/u");
	rename("mnt/dd/u", "mnt/u");
	rmdir("mnt/dd");
	show("tmpfs: unlink t, make u, mkdir dd, move u into dd and back, rmdir dd");
	CHECK_ERRNO(umount("mnt"), "umount");
	show("umount");
	rmdir("mnt");
}

int test_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	ifd = inotify_init1(IN_NONBLOCK);
	mkdir("w", 0755);
	printf("wd w: %d\n", inotify_add_watch(ifd, "w", IN_ALL_EVENTS));
	data_and_attributes();
	names();
	replace_and_exchange();
	deletion();
	watched_dir_removed();
	exec_image();
	unmount();
	close(ifd);
	return 0;
}
