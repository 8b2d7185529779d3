/* The umid directory, matching UML's layout so that uml_mconsole and friends find us:
 * <uml_dir><umid>/pid holds our pid, and the directory also gets the mconsole socket.
 * A directory whose pid file names a dead process is left over from a crash and is
 * taken over; one held by a live process makes us fall back to a random umid. */
#include "kernel/umid.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RANDOM_UMID_LEN   6
#define RANDOM_UMID_TRIES 16

static void umid_log(FILE *log, const char *fmt, ...)
{
	va_list ap;

	if (!log)
		return;
	va_start(ap, fmt);
	vfprintf(log, fmt, ap);
	va_end(ap);
	fflush(log);
}

/* Expands a leading '~' to $HOME (as UML does for its default "~/.uml/"), and makes sure
 * the result ends in '/' so that "<uml_dir><umid>" is a path. */
static int resolve_uml_dir(const struct boot_options *opts, char *buf, size_t len,
			   FILE *log)
{
	const char *dir = opts->uml_dir ? opts->uml_dir : "~/.uml/";
	const char *home = "";
	size_t n;

	if (dir[0] == '~') {
		home = getenv("HOME");
		if (!home || !*home) {
			umid_log(log, "make_uml_dir : no value in environment for $HOME\n");
			return -ENOENT;
		}
		dir++;
	}
	n = (size_t)snprintf(buf, len, "%s%s", home, dir);
	if (n + 1 < len && n > 0 && buf[n - 1] != '/')
		strcpy(buf + n++, "/");
	if (n + 1 >= len) {
		umid_log(log, "umlinux: uml_dir %s%s: path too long\n", home, dir);
		return -ENAMETOOLONG;
	}
	return 0;
}

static int make_uml_dir(const char *uml_dir, FILE *log)
{
	int err;

	if (mkdir(uml_dir, 0777) == 0 || errno == EEXIST)
		return 0;
	err = -errno;
	umid_log(log, "umlinux: can't create uml_dir %s: %s\n", uml_dir, strerror(-err));
	return err;
}

static int fill_umid_dir(struct umid_dir *out, const char *uml_dir, const char *umid)
{
	size_t n = (size_t)snprintf(out->path, sizeof(out->path), "%s%s", uml_dir, umid);

	if (n >= sizeof(out->path) || strlen(umid) >= sizeof(out->umid)) {
		memset(out, 0, sizeof(*out));
		return -ENAMETOOLONG;
	}
	strcpy(out->umid, umid);
	return 0;
}

static pid_t parse_pid(const char *text)
{
	char *end;
	long pid;

	errno = 0;
	pid = strtol(text, &end, 10);
	if (errno || end == text || (*end != '\n' && *end != '\0') || pid <= 0 ||
	    pid > INT_MAX)
		return 0;
	return (pid_t)pid;
}

/* Returns the pid of the live machine that owns dir, 0 when there is none (no pid file,
 * junk in it, or a dead process), or a negative errno when we cannot tell. */
static pid_t read_owner(const struct umid_dir *dir, FILE *log)
{
	char path[PATH_MAX], text[32];
	ssize_t n;
	pid_t pid;
	int fd = umid_path(dir, "pid", path, sizeof(path));

	if (fd < 0)
		return fd;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int err = -errno;

		if (err == -ENOENT)
			return 0;
		umid_log(log, "umlinux: can't open %s: %s\n", path, strerror(-err));
		return err;
	}
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	pid = parse_pid(text);
	if (pid == 0)
		umid_log(log, "umlinux: %s holds no pid; taking the directory over\n", path);
	/* A reboot re-executes the kernel in the same process: that pid is ours, not a rival. */
	if (pid == 0 || pid == getpid())
		return 0;
	/* EPERM still means the process exists (it just belongs to someone else). */
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return 0;
	return pid;
}

/* Removes the entries of dir (not recursively: a umid directory holds only files and
 * sockets). Returns 0 or the first negative errno. */
static int remove_dir_files(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *ent;
	int err = 0;

	if (!dir)
		return -errno;
	while ((ent = readdir(dir)) != NULL) {
		if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(dir), ent->d_name, 0) < 0 && !err)
			err = -errno;
	}
	closedir(dir);
	return err;
}

static int take_over_stale(const char *path, FILE *log)
{
	int err = remove_dir_files(path);

	if (!err && rmdir(path) < 0)
		err = -errno;
	if (!err && mkdir(path, 0777) < 0)
		err = -errno;
	if (err)
		umid_log(log, "umlinux: can't clear stale umid directory %s: %s\n", path,
			 strerror(-err));
	return err;
}

static int claim_named_umid(const char *uml_dir, const char *umid, struct umid_dir *out,
			    FILE *log)
{
	pid_t owner;
	int err;

	if (!*umid || strchr(umid, '/') || fill_umid_dir(out, uml_dir, umid)) {
		umid_log(log, "umlinux: umid \"%s\" can't name a directory in %s\n", umid,
			 uml_dir);
		return -EINVAL;
	}
	if (mkdir(out->path, 0777) == 0)
		return 0;
	err = -errno;
	if (err != -EEXIST) {
		umid_log(log, "umlinux: can't create %s: %s\n", out->path, strerror(-err));
		return err;
	}
	owner = read_owner(out, log);
	if (owner > 0) {
		umid_log(log, "umid \"%s\" is already in use by pid %d\n", umid, (int)owner);
		return -EBUSY;
	}
	return owner < 0 ? owner : take_over_stale(out->path, log);
}

/* mkstemp picks a name nobody has, as UML does; the file then makes way for a directory. */
static int claim_random_umid(const char *uml_dir, struct umid_dir *out, FILE *log)
{
	char tmpl[PATH_MAX];
	int fd, err = -EEXIST;

	if ((size_t)snprintf(tmpl, sizeof(tmpl), "%sXXXXXX", uml_dir) >= sizeof(tmpl)) {
		umid_log(log, "umlinux: uml_dir %s: path too long\n", uml_dir);
		return -ENAMETOOLONG;
	}
	for (int i = 0; i < RANDOM_UMID_TRIES; i++) {
		strcpy(tmpl + strlen(uml_dir), "XXXXXX");
		fd = mkstemp(tmpl);
		if (fd < 0) {
			err = -errno;
			break;
		}
		close(fd);
		unlink(tmpl);
		/* Another process may take the name between unlink and mkdir: draw again. */
		if (mkdir(tmpl, 0777) == 0)
			return fill_umid_dir(out, uml_dir, tmpl + strlen(uml_dir));
		err = -errno;
		if (err != -EEXIST)
			break;
	}
	umid_log(log, "umlinux: can't create a umid directory in %s: %s\n", uml_dir,
		 strerror(-err));
	return err;
}

static int write_pid_file(const struct umid_dir *dir, FILE *log)
{
	char path[PATH_MAX];
	int fd, err = umid_path(dir, "pid", path, sizeof(path));

	if (err)
		return err;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || dprintf(fd, "%d\n", (int)getpid()) < 0)
		err = -errno;
	if (fd >= 0 && close(fd) < 0 && !err)
		err = -errno;
	if (err)
		umid_log(log, "umlinux: can't write pid file %s: %s\n", path, strerror(-err));
	return err;
}

int umid_setup(const struct boot_options *opts, struct umid_dir *out, FILE *log)
{
	char uml_dir[PATH_MAX];
	int err;

	memset(out, 0, sizeof(*out));
	err = resolve_uml_dir(opts, uml_dir, sizeof(uml_dir), log);
	if (!err)
		err = make_uml_dir(uml_dir, log);
	if (err)
		return err;
	if (opts->umid) {
		err = claim_named_umid(uml_dir, opts->umid, out, log);
		if (err)
			umid_log(log, "Failed to initialize umid \"%s\", trying with a random umid\n",
				 opts->umid);
	}
	if (!opts->umid || err) {
		memset(out, 0, sizeof(*out));
		err = claim_random_umid(uml_dir, out, log);
	}
	if (!err)
		err = write_pid_file(out, log);
	return err;
}

void umid_remove(const struct umid_dir *dir)
{
	/* Nothing was set up: never guess a path to delete. */
	if (!dir->path[0])
		return;
	/* Best effort at halt: there is nobody left to report a failure to. */
	remove_dir_files(dir->path);
	rmdir(dir->path);
}

int umid_path(const struct umid_dir *dir, const char *name, char *buf, size_t len)
{
	if (!dir->path[0])
		return -ENOENT;
	if ((size_t)snprintf(buf, len, "%s/%s", dir->path, name) >= len)
		return -ENAMETOOLONG;
	return 0;
}
