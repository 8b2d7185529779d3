/* credentials: getuid/geteuid/getgid as root, getres[ug]id, setgroups,
 * setresuid to 1000 then EPERM on setuid(0), permission checks as non-root
 * (access/open of a 0600 root file, directory search permission), saved
 * set-user-ID switching, setfsuid, root's DAC override. */
#include "check.h"
#include <grp.h>
#include <sys/fsuid.h>

static int child_report(void (*fn)(void))
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	return wait_for(p);
}

static void as_user(void)
{
	CHECK_ERRNO(setgroups(0, NULL), "setgroups(0)");
	CHECK_ERRNO(setresgid(1000, 1000, 1000), "setresgid(1000,1000,1000)");
	CHECK_ERRNO(setresuid(1000, 1000, 1000), "setresuid(1000,1000,1000)");
	uid_t r, e, s;
	getresuid(&r, &e, &s);
	printf("getresuid: %d %d %d\n", (int)r, (int)e, (int)s);
	gid_t gr, ge, gs;
	getresgid(&gr, &ge, &gs);
	printf("getresgid: %d %d %d\n", (int)gr, (int)ge, (int)gs);
	CHECK_ERRNO(setuid(0), "setuid(0) as 1000");
	CHECK_ERRNO(seteuid(0), "seteuid(0) as 1000");
	CHECK_ERRNO(setgid(0), "setgid(0) as 1000");
	CHECK_ERRNO(setgroups(0, NULL), "setgroups as 1000");
	CHECK_ERRNO(setuid(1000), "setuid(1000) as 1000");
	CHECK_ERRNO(access("secret", R_OK), "access(0600 root file, R_OK)");
	CHECK_ERRNO(access("secret", F_OK), "access(0600 root file, F_OK)");
	CHECK_ERRNO(open("secret", O_RDONLY), "open(0600 root file)");
	CHECK_ERRNO(access("public", R_OK), "access(0644 root file, R_OK)");
	CHECK_ERRNO(access("public", W_OK), "access(0644 root file, W_OK)");
	CHECK_ERRNO(open("public", O_WRONLY), "open(0644 root file, O_WRONLY)");
	CHECK_ERRNO(access("closed/inner", F_OK), "access(file in 0700 root dir)");
	CHECK_ERRNO(open("closed/inner", O_RDONLY), "open(file in 0700 root dir)");
	CHECK_ERRNO(open("newfile", O_WRONLY | O_CREAT, 0644), "create in 0755 root dir");
	CHECK_ERRNO(open("opendir/mine", O_WRONLY | O_CREAT, 0644), "create in 0777 dir");
	struct stat st;
	if (stat("opendir/mine", &st) == 0)
		printf("new file owner uid==1000: %d gid==1000: %d\n", st.st_uid == 1000, st.st_gid == 1000);
	CHECK_ERRNO(unlink("sticky/rootfile"), "unlink root file in sticky dir");
	CHECK_ERRNO(chown("opendir/mine", 0, 0), "chown own file to root");
	CHECK_ERRNO(chmod("public", 0666), "chmod root's file");
	CHECK_ERRNO(kill(1, 0), "kill(1, 0) as 1000");
}

static void saved_uid(void)
{
	/* real/effective/saved: keep root as saved id and switch back and forth */
	CHECK_ERRNO(setresuid(0, 1000, 0), "setresuid(0,1000,0)");
	printf("getuid=%d geteuid=%d\n", (int)getuid(), (int)geteuid());
	CHECK_ERRNO(access("secret", R_OK), "access uses real uid (root)");
	CHECK_ERRNO(open("secret", O_RDONLY), "open uses effective uid (1000)");
	CHECK_ERRNO(seteuid(0), "seteuid(0) back via saved uid");
	printf("geteuid=%d\n", (int)geteuid());
	CHECK_ERRNO(setreuid(1000, 1000), "setreuid(1000,1000)");
	uid_t r, e, s;
	getresuid(&r, &e, &s);
	printf("getresuid after setreuid: %d %d %d\n", (int)r, (int)e, (int)s);
	CHECK_ERRNO(seteuid(0), "seteuid(0) after setreuid");
}

static void fsuid(void)
{
	int old = setfsuid(1000);
	printf("setfsuid returns previous: %d\n", old);
	printf("setfsuid(-1) query: %d\n", setfsuid(-1));
	CHECK_ERRNO(open("secret", O_RDONLY), "open with fsuid 1000");
	setfsuid(0);
	int fd = CHECK_ERRNO(open("secret", O_RDONLY), "open with fsuid 0");
	if (fd >= 0)
		close(fd);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	printf("getuid: %d\n", (int)getuid());
	printf("geteuid: %d\n", (int)geteuid());
	printf("getgid: %d\n", (int)getgid());
	printf("getegid: %d\n", (int)getegid());
	uid_t r, e, s;
	getresuid(&r, &e, &s);
	printf("getresuid: %d %d %d\n", (int)r, (int)e, (int)s);
	CHECK_ERRNO(setgroups(0, NULL), "setgroups(0) as root");
	printf("getgroups count: %d\n", getgroups(0, NULL));
	gid_t gl[3] = { 5, 7, 9 }, out[8];
	CHECK_ERRNO(setgroups(3, gl), "setgroups(3)");
	int n = getgroups(8, out);
	printf("getgroups: %d [%d %d %d]\n", n, (int)out[0], (int)out[1], (int)out[2]);
	CHECK_ERRNO(getgroups(1, out), "getgroups with too small buffer");
	setgroups(0, NULL);

	chmod(".", 0755);
	write_file("secret", "s3cret\n", 0600);
	write_file("public", "hello\n", 0644);
	mkdir("closed", 0700);
	write_file("closed/inner", "x\n", 0644);
	mkdir("opendir", 0777);
	chmod("opendir", 0777);
	mkdir("sticky", 01777);
	chmod("sticky", 01777);
	write_file("sticky/rootfile", "x\n", 0666);
	write_file("noperm", "x\n", 0000);

	/* root overrides DAC */
	int fd = CHECK_ERRNO(open("noperm", O_RDWR), "root opens mode 0000 file rw");
	if (fd >= 0)
		close(fd);
	CHECK_ERRNO(access("noperm", R_OK | W_OK), "root access(0000, R_OK|W_OK)");
	CHECK_ERRNO(access("noperm", X_OK), "root access(0000, X_OK)");
	CHECK_ERRNO(access("missing", F_OK), "access(missing)");
	CHECK_ERRNO(access("public", 0x10), "access bad mode");

	SHOW_STATUS("as uid 1000", child_report(as_user));
	SHOW_STATUS("saved uid", child_report(saved_uid));
	SHOW_STATUS("fsuid", child_report(fsuid));
	return 0;
}
