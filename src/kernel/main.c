/*
 * Boot: parse the command line, claim the umid directory, check the host, mount the
 * root, start init, and run the event loop until halt.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "drivers/tty/tty.h"
#include "fs/vfs.h"
#include "kernel/cmdline.h"
#include "kernel/kernel.h"
#include "kernel/loop.h"
#include "kernel/printk.h"
#include "kernel/umid.h"
#include "kernel/halt.h"
#include "kernel/version.h"
#include "platform/platform.h"
#include "signal/signal.h"
#include "sys/syscalls.h"
#include "task/task.h"

/* Subsystems that register themselves; weak so the kernel links while one is missing. */
__attribute__((weak)) void hostfs_init(void);
__attribute__((weak)) void hostfs_set_jail(const char *prefix, bool append);
__attribute__((weak)) void humfs_init(void);
__attribute__((weak)) void procfs_init(void);
__attribute__((weak)) void devfs_init(void);
__attribute__((weak)) void tmpfs_init(void);
__attribute__((weak)) void devpts_init(void);
__attribute__((weak)) void sysfs_init(void);
__attribute__((weak)) void mem_devices_init(void);
__attribute__((weak)) void mem_set_total(uint64_t bytes);
__attribute__((weak)) void proc_set_cmdline(const char *s);
__attribute__((weak)) int console_open_for_init(struct task *t);
__attribute__((weak)) int ubd_init(const char *const *driver_args);
__attribute__((weak)) void ext2_init(void);
__attribute__((weak)) bool ubd_configured(int unit);
__attribute__((weak)) int mconsole_init(const struct umid_dir *umid, const char *notify_path);
__attribute__((weak)) void harddog_init(void);
void syscall_table_print_markdown(FILE *out);

static struct boot_options opts;
static struct umid_dir umid;

static struct task *create_init_task(void)
{
	pid_t host;
	int err = platform_spawn_first(&host);
	if (err < 0)
		panic("cannot start the init task host: %s", strerror(-err));
	pid_t pid = pid_alloc();
	struct task *t = task_alloc(pid, host);
	t->stop = STOP_SIGNAL;     /* at the stub's settling int3 */
	if (platform_get_regs(t) < 0)
		panic("cannot read the init task host's registers");
	struct thread_group *tg = tg_alloc(pid, NULL);
	init_tg = tg;
	tg->host_tgid = host;
	tg->pgid = tg->sid = 0;   /* as Linux's init: no session until it calls setsid() */
	tg->sighand = sighand_copy(NULL);
	rlimits_init(tg->rlim);
	tg_add_thread(tg, t);
	t->files = files_new();
	t->fs = fs_struct_new();
	t->fs->root.mnt = root_mount;
	t->fs->root.dentry = root_mount->root;
	path_get(&t->fs->root);
	t->fs->cwd = t->fs->root;
	path_get(&t->fs->cwd);
	snprintf(tg->comm, sizeof(tg->comm), "swapper");
	return t;
}

/* What a booted Linux has below /dev before init runs: devtmpfs itself, then (as
 * systemd and Debian's mountdevsubfs do) the pty filesystem and a tmpfs for POSIX
 * shared memory. */
static void mount_early(struct task *t)
{
	struct path p;
	if (!vfs_find_fs("devtmpfs") || path_walk(t, AT_FDCWD, "/dev", LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p) < 0)
		return;
	path_put(&p);
	if (vfs_mount(t, "devtmpfs", "/dev", "devtmpfs", 0, "") < 0)
		return;
	printk("devtmpfs: mounted\n");
	if (vfs_find_fs("devpts"))
		vfs_mount(t, "devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "gid=5,mode=620,ptmxmode=000");
	if (vfs_find_fs("tmpfs"))
		vfs_mount(t, "tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "");
}

/*
 * The root: root=/dev/ubda is the default when ubda= (ubd0=) is given, as in UML; a
 * root on a disk gets its type detected unless rootfstype= names one, and hostfs's
 * default rootflags (a host directory) mean nothing to it. A root without a device
 * (hostfs, humfs) is mounted from the root= name less its /dev/, as Linux's
 * mount_nodev_root does: /proc/mounts shows root=/dev/root as "root".
 */
static void mount_root(void)
{
	const char *root = opts.root, *fstype = opts.rootfstype, *flags = opts.rootflags;
	if (!opts.root_given && ubd_configured && ubd_configured(0))
		root = "/dev/ubda";
	bool on_disk = strcmp(root, "/dev/root") != 0 && strncmp(root, "/dev/", 5) == 0;
	if (on_disk && !opts.rootfstype_given)
		fstype = NULL;
	if (on_disk && !opts.rootflags_given)
		flags = "";
	unsigned long mflags = opts.read_only ? MS_RDONLY : 0;
	const char *source = !on_disk && strncmp(root, "/dev/", 5) == 0 ? root + 5 : root;
	int err = vfs_mount_root(fstype, source, mflags, flags);
	if (err < 0)
		panic("VFS: Unable to mount root fs (%s on %s): error %d", fstype ? fstype : "any type",
		      on_disk ? root : flags, -err);
	printk("VFS: Mounted root (%s filesystem)%s.\n", root_mount->sb->type->name,
	       opts.read_only ? " readonly" : "");
}

/*
 * init's stdio. Linux gives init /dev/console, which can never be a controlling
 * terminal, so `init=/bin/sh` has no job control and ^C does nothing. We make init a
 * session leader on con0 (/dev/tty0) instead, so the shell on the console behaves as on
 * a login terminal (see docs/architecture.md). /dev/console is the fallback.
 */
static void open_init_console(struct task *t)
{
	struct file *f = NULL;
	t->tg->sid = t->tg->pgid = t->tg->tgid;
	if (vfs_open(t, AT_FDCWD, "/dev/tty0", O_RDWR, 0, 0, &f) == 0) {
		file_opened_hook(t, f, O_RDWR);
		for (int fd = 0; fd < 3; fd++)
			fd_install_at(t, fd, fd ? file_get(f) : f, false);
		return;
	}
	t->tg->sid = t->tg->pgid = 0;
	if (console_open_for_init)
		console_open_for_init(t);
}

static int start_init(struct task *t)
{
	const char *candidates[] = { opts.init, "/sbin/init", "/etc/init", "/bin/init", "/bin/sh" };
	const char *envp[CMDLINE_MAX_INIT_ENV + 3];
	int ne = 0;
	envp[ne++] = "HOME=/";
	envp[ne++] = "TERM=linux";
	for (int i = 0; i < opts.init_envc && opts.init_env[i]; i++)
		envp[ne++] = opts.init_env[i];
	envp[ne] = NULL;
	for (size_t c = 0; c < ARRAY_SIZE(candidates); c++) {
		if (!candidates[c] || (c > 0 && opts.init))
			continue;
		const char *argv[CMDLINE_MAX_INIT_ARGS + 2];
		int na = 0;
		argv[na++] = candidates[c];
		for (int i = 0; i < opts.init_argc && opts.init_argv[i]; i++)
			argv[na++] = opts.init_argv[i];
		argv[na] = NULL;
		printk("Run %s as init process\n", candidates[c]);
		int err = exec_init(t, candidates[c], argv, envp);
		if (err == 0)
			return 0;
		printk("<3>Failed to execute %s (error %d)\n", candidates[c], -err);
		if (opts.init)
			panic("Requested init %s failed (error %d).", opts.init, -err);
	}
	return -ENOENT;
}

int main(int argc, char **argv)
{
	kernel_host_pid = getpid();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "--syscall-table") == 0) {
		syscall_table_print_markdown(stdout);
		return 0;
	}
	enum cmdline_result cr = cmdline_parse(argc, argv, &opts, stdout, stderr);
	if (cr == CMDLINE_EXIT_OK)
		return 0;
	if (cr == CMDLINE_ERROR)
		return 1;
	console_quiet = opts.quiet;
	if (umid_setup(&opts, &umid, stderr) < 0)
		return 1;
	halt_setup(&umid, opts.noreboot, argv);
	if (platform_init(opts.quiet) < 0) {
		umid_remove(&umid);
		return 1;
	}
	if (loop_init() < 0) {
		fprintf(stderr, "umlinux: cannot set up the event loop: %s\n", strerror(errno));
		return 1;
	}
	printk("<5>Linux version %s (umlinux) #1 %s\n", UMLINUX_VERSION, __DATE__);
	printk("Kernel command line: %s\n", opts.cmdline);
	if (mem_set_total)
		mem_set_total(opts.mem_bytes);
	if (proc_set_cmdline)
		proc_set_cmdline(opts.cmdline);
	if (hostfs_init)
		hostfs_init();
	if (hostfs_set_jail && opts.hostfs_prefix)
		hostfs_set_jail(opts.hostfs_prefix, opts.hostfs_append);
	if (humfs_init)
		humfs_init();
	if (procfs_init)
		procfs_init();
	if (devfs_init)
		devfs_init();
	if (tmpfs_init)
		tmpfs_init();
	if (devpts_init)
		devpts_init();
	if (sysfs_init)
		sysfs_init();
	if (mem_devices_init)
		mem_devices_init();
	if (console_init(cmdline_con_channel(&opts, 0)) < 0)
		panic("cannot initialize the console");
	for (int n = 1; n < CMDLINE_MAX_CONS; n++)
		console_setup_line(n, cmdline_con_channel(&opts, n));
	printk_set_console(console_write_kernel);
	if (ubd_init)
		ubd_init(opts.driver_args);
	if (ext2_init)
		ext2_init();
	if (mconsole_init)
		mconsole_init(&umid, opts.mconsole_notify);
	if (harddog_init)
		harddog_init();
	mount_root();
	struct task *init = create_init_task();
	mount_early(init);
	open_init_console(init);
	if (start_init(init) < 0)
		panic("No working init found.  Try passing init= option to kernel. "
		      "See Linux Documentation/admin-guide/init.rst for guidance.");
	init->state = TASK_RUNNING;
	task_resume(init, 0);
	loop_run();
	return 0;
}
