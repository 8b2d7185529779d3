/* Unit tests for the umid directory (src/kernel/umid.c). Each test runs with $HOME set
 * to a fresh temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/umid.h"

struct fixture {
	char home[64];
	char *log;
	size_t log_len;
	FILE *log_file;
	struct boot_options opts;
	struct umid_dir dir;
	char uml_dir[256];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->home, "/tmp/umid-test-XXXXXX");
	if (!mkdtemp(f->home))
		return -1;
	setenv("HOME", f->home, 1);
	umask(022);
	f->log_file = open_memstream(&f->log, &f->log_len);
	*state = f;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fclose(f->log_file);
	free(f->log);
	nftw(f->home, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* The log so far, as a string. */
static const char *log_text(struct fixture *f)
{
	fflush(f->log_file);
	return f->log ? f->log : "";
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static char *read_file(const char *path, char *buf, size_t len)
{
	FILE *fp = fopen(path, "r");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, len - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* A pid that certainly names no process: a child we started and reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return pid;
}

/* Uses <home>/ud/ as uml_dir, as uml_dir= would give it (trailing '/'). */
static void use_uml_dir(struct fixture *f)
{
	snprintf(f->uml_dir, sizeof(f->uml_dir), "%s/ud/", f->home);
	f->opts.uml_dir = f->uml_dir;
}

/* Makes <uml_dir><umid>/ with the given pid file text (NULL: no pid file) and one more file. */
static void make_old_dir(struct fixture *f, const char *umid, const char *pid_text)
{
	char path[PATH_MAX];

	mkdir(f->uml_dir, 0777);
	snprintf(path, sizeof(path), "%s%s", f->uml_dir, umid);
	assert_int_equal(mkdir(path, 0777), 0);
	if (pid_text) {
		snprintf(path, sizeof(path), "%s%s/pid", f->uml_dir, umid);
		write_file(path, pid_text);
	}
	snprintf(path, sizeof(path), "%s%s/mconsole", f->uml_dir, umid);
	write_file(path, "old socket stand-in");
}

static void assert_our_pid_file(const struct umid_dir *dir)
{
	char path[PATH_MAX], text[32], want[32];
	struct stat st;

	assert_int_equal(umid_path(dir, "pid", path, sizeof(path)), 0);
	snprintf(want, sizeof(want), "%d\n", (int)getpid());
	assert_string_equal(read_file(path, text, sizeof(text)), want);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
}

static void assert_random_umid(const struct umid_dir *dir)
{
	assert_int_equal(strlen(dir->umid), 6);
	for (int i = 0; i < 6; i++)
		assert_true(isalnum((unsigned char)dir->umid[i]));
}

static void test_default_dir_random_umid(void **state)
{
	struct fixture *f = *state;
	char want[PATH_MAX];
	struct stat st;

	assert_int_equal(umid_setup(&f->opts, &f->dir, f->log_file), 0);
	assert_random_umid(&f->dir);
	snprintf(want, sizeof(want), "%s/.uml/%s", f->home, f->dir.umid);
	assert_string_equal(f->dir.path, want);
	assert_int_equal(stat(want, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* mkdir 0777 under umask 022. */
	assert_int_equal(st.st_mode & 07777, 0755);
	snprintf(want, sizeof(want), "%s/.uml", f->home);
	assert_int_equal(stat(want, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_our_pid_file(&f->dir);
	assert_string_equal(log_text(f), "");
}

static void test_random_umids_differ(void **state)
{
	struct fixture *f = *state;
	struct umid_dir second;

	assert_int_equal(umid_setup(&f->opts, &f->dir, f->log_file), 0);
	assert_int_equal(umid_setup(&f->opts, &second, f->log_file), 0);
	assert_random_umid(&second);
	assert_string_not_equal(f->dir.umid, second.umid);
	/* mkstemp's temporary file made way for the directory. */
	assert_true(exists(second.path));
}

static void test_no_home(void **state)
{
	struct fixture *f = *state;

	unsetenv("HOME");
	assert_int_equal(umid_setup(&f->opts, &f->dir, f->log_file), -ENOENT);
	assert_string_equal(log_text(f), "make_uml_dir : no value in environment for $HOME\n");
	assert_string_equal(f->dir.path, "");
}

static void test_named_umid_in_uml_dir(void **state)
{
	struct fixture *f = *state;
	char want[PATH_MAX];

	use_uml_dir(f);
	f->opts.umid = "debian";
	assert_int_equal(umid_setup(&f->opts, &f->dir, f->log_file), 0);
	assert_string_equal(f->dir.umid, "debian");
	snprintf(want, sizeof(want), "%s/ud/debian", f->home);
	assert_string_equal(f->dir.path, want);
	assert_our_pid_file(&f->dir);
	assert_string_equal(log_text(f), "");
}

static void test_uml_dir_tilde_and_slash(void **state)
{
	struct fixture *f = *state;
	char want[PATH_MAX];

	/* Not through cmdline_parse, so no '/' was appended: umid_setup adds it. */
	f->opts.uml_dir = "~/tilde";
	f->opts.umid = "m";
	assert_int_equal(umid_setup(&f->opts, &f->dir, f->log_file), 0);
	snprintf(want, sizeof(want), "%s/tilde/m", f->home);
	assert_string_equal(f->dir.path, want);
}

static void test_uml_dir_not_creatable(void **state)
{
	struct fixture *f = *state;

	snprintf(f->uml_dir, sizeof(f->uml_dir), "%s/missing/parent/", f->home);
	f->opts.uml_dir = f->uml_dir;
	assert_int_equal(umid_setup(&f->opts, &f->dir, f->log_file), -ENOENT);
	assert_non_null(strstr(log_text(f), "umlinux: can't create uml_dir "));
	assert_non_null(strstr(log_text(f), "/missing/parent/"));
	assert_non_null(strstr(log_text(f), "No such file or directory"));
}

static void test_stale_dead_pid_taken_over(void **state)
{
	struct fixture *f = *state;
	char text[32], path[PATH_MAX];

	use_uml_dir(f);
	snprintf(text, sizeof(text), "%d\n", (int)dead_pid());
	make_old_dir(f, "m1", text);
	f->opts.umid = "m1";
	assert_int_equal(umid_setup(&f->opts, &f->dir, f->log_file), 0);
	assert_string_equal(f->dir.umid, "m1");
	assert_our_pid_file(&f->dir);
	assert_int_equal(umid_path(&f->dir, "mconsole", path, sizeof(path)), 0);
	assert_false(exists(path));
	assert_string_equal(log_text(f), "");
}

static void test_stale_without_pid_file(void **state)
{
	struct fixture *f = *state;

	use_uml_dir(f);
	make_old_dir(f, "m1", NULL);
	f->opts.umid = "m1";
	assert_int_equal(umid_setup(&f->opts, &f->dir, f->log_file), 0);
	assert_string_equal(f->dir.umid, "m1");
	assert_our_pid_file(&f->dir);
}

static void test_stale_junk_pid_file(void **state)
{
	struct fixture *f = *state;

	use_uml_dir(f);
	make_old_dir(f, "m1", "not a pid\n");
	f->opts.umid = "m1";
	assert_int_equal(umid_setup(&f->opts, &f->dir, f->log_file), 0);
	assert_string_equal(f->dir.umid, "m1");
	assert_our_pid_file(&f->dir);
	assert_non_null(strstr(log_text(f), "/ud/m1/pid holds no pid"));
}

/* After a reboot the kernel re-executes in the same process and finds its own pid. */
static void test_own_pid_taken_over(void **state)
{
	struct fixture *f = *state;
	char text[32];

	use_uml_dir(f);
	snprintf(text, sizeof(text), "%d\n", (int)getpid());
	make_old_dir(f, "m1", text);
	f->opts.umid = "m1";
	assert_int_equal(umid_setup(&f->opts, &f->dir, f->log_file), 0);
	assert_string_equal(f->dir.umid, "m1");
	assert_string_equal(log_text(f), "");
}

static void expect_live_refusal(struct fixture *f, pid_t live)
{
	char text[32], want[256], path[PATH_MAX];

	use_uml_dir(f);
	snprintf(text, sizeof(text), "%d\n", (int)live);
	make_old_dir(f, "m1", text);
	f->opts.umid = "m1";
	assert_int_equal(umid_setup(&f->opts, &f->dir, f->log_file), 0);
	assert_random_umid(&f->dir);
	snprintf(want, sizeof(want),
		 "umid \"m1\" is already in use by pid %d\n"
		 "Failed to initialize umid \"m1\", trying with a random umid\n", (int)live);
	assert_string_equal(log_text(f), want);
	assert_our_pid_file(&f->dir);
	/* The live machine's directory is left alone. */
	snprintf(path, sizeof(path), "%sm1/pid", f->uml_dir);
	assert_string_equal(read_file(path, want, sizeof(want)), text);
	snprintf(path, sizeof(path), "%sm1/mconsole", f->uml_dir);
	assert_true(exists(path));
}

static void test_live_parent_pid_refused(void **state)
{
	expect_live_refusal(*state, getppid());
}

static void test_live_child_pid_refused(void **state)
{
	pid_t child = fork();

	assert_true(child >= 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	expect_live_refusal(*state, child);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

static void test_named_path_is_a_file(void **state)
{
	struct fixture *f = *state;
	char path[PATH_MAX];

	use_uml_dir(f);
	mkdir(f->uml_dir, 0777);
	snprintf(path, sizeof(path), "%sm1", f->uml_dir);
	write_file(path, "");
	f->opts.umid = "m1";
	assert_int_equal(umid_setup(&f->opts, &f->dir, f->log_file), 0);
	assert_random_umid(&f->dir);
	assert_non_null(strstr(log_text(f), "/ud/m1/pid: Not a directory\n"));
	assert_non_null(strstr(log_text(f),
			       "Failed to initialize umid \"m1\", trying with a random umid\n"));
}

static void test_bad_umid_falls_back(void **state)
{
	struct fixture *f = *state;

	f->opts.umid = "a/b";
	assert_int_equal(umid_setup(&f->opts, &f->dir, f->log_file), 0);
	assert_random_umid(&f->dir);
	assert_non_null(strstr(log_text(f),
			       "Failed to initialize umid \"a/b\", trying with a random umid\n"));
}

static void test_remove(void **state)
{
	struct fixture *f = *state;
	char path[PATH_MAX], uml_dir[PATH_MAX];
	struct umid_dir none;

	assert_int_equal(umid_setup(&f->opts, &f->dir, f->log_file), 0);
	assert_int_equal(umid_path(&f->dir, "mconsole", path, sizeof(path)), 0);
	write_file(path, "");
	umid_remove(&f->dir);
	assert_false(exists(path));
	assert_false(exists(f->dir.path));
	snprintf(uml_dir, sizeof(uml_dir), "%s/.uml", f->home);
	assert_true(exists(uml_dir));

	/* A umid_dir that was never set up names nothing to remove. */
	memset(&none, 0, sizeof(none));
	umid_remove(&none);
	assert_true(exists(uml_dir));
}

static void test_umid_path(void **state)
{
	struct fixture *f = *state;
	struct umid_dir none;
	char buf[PATH_MAX], small[8], want[PATH_MAX];

	assert_int_equal(umid_setup(&f->opts, &f->dir, f->log_file), 0);
	assert_int_equal(umid_path(&f->dir, "mconsole", buf, sizeof(buf)), 0);
	snprintf(want, sizeof(want), "%s/.uml/%s/mconsole", f->home, f->dir.umid);
	assert_string_equal(buf, want);
	assert_int_equal(umid_path(&f->dir, "mconsole", small, sizeof(small)), -ENAMETOOLONG);
	memset(&none, 0, sizeof(none));
	assert_int_equal(umid_path(&none, "pid", buf, sizeof(buf)), -ENOENT);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_default_dir_random_umid),
		T(test_random_umids_differ),
		T(test_no_home),
		T(test_named_umid_in_uml_dir),
		T(test_uml_dir_tilde_and_slash),
		T(test_uml_dir_not_creatable),
		T(test_stale_dead_pid_taken_over),
		T(test_stale_without_pid_file),
		T(test_stale_junk_pid_file),
		T(test_own_pid_taken_over),
		T(test_live_parent_pid_refused),
		T(test_live_child_pid_refused),
		T(test_named_path_is_a_file),
		T(test_bad_umid_falls_back),
		T(test_remove),
		T(test_umid_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
