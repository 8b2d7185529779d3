/*
 * execve in user space: the file is found and checked through our VFS, "#!" scripts are
 * unwrapped, then the task host re-executes the stub and we map the ELF (and its
 * interpreter) from host descriptors, build the initial stack and jump to the entry.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "mm/mapped_names.h"
#include "fs/notify/fsnotify.h"
#include "fs/vfs.h"
#include "ipc/ipc.h"
#include "kernel/kernel.h"
#include "platform/platform.h"
#include "signal/signal.h"
#include "signal/timers.h"
#include "task/cred.h"
#include "task/exec.h"
#include "task/task.h"

#define MAX_ARG_STRLEN (32 * PAGE_SIZE)
#define MAX_ARGS_TOTAL (2 * 1024 * 1024)
#define MAX_SCRIPT_DEPTH 4
#define ET_DYN_BASE 0x555555554000UL

void exec_args_free(struct exec_args *ea)
{
	for (int i = 0; i < ea->argc; i++)
		free(ea->argv[i]);
	for (int i = 0; i < ea->envc; i++)
		free(ea->envp[i]);
	free(ea->argv);
	free(ea->envp);
	memset(ea, 0, sizeof(*ea));
}

static int push_str(char ***vec, int *n, const char *s, size_t *total)
{
	size_t len = strlen(s) + 1;
	if (len > MAX_ARG_STRLEN)
		return -E2BIG;
	*total += len + sizeof(char *);
	if (*total > MAX_ARGS_TOTAL)
		return -E2BIG;
	char **nv = realloc(*vec, (size_t)(*n + 2) * sizeof(char *));
	if (!nv)
		return -ENOMEM;
	*vec = nv;
	nv[(*n)++] = xstrdup(s);
	nv[*n] = NULL;
	return 0;
}

/* Copies a guest argv/envp array. */
static int copy_strings(struct task *t, unsigned long uvec, char ***vec, int *n, size_t *total)
{
	*vec = xcalloc(1, sizeof(char *));
	*n = 0;
	if (!uvec)
		return 0;
	char *buf = malloc(MAX_ARG_STRLEN);
	if (!buf)
		return -ENOMEM;
	for (int i = 0;; i++) {
		unsigned long p;
		if (guest_read(t, &p, uvec + (unsigned long)i * 8, 8) < 0) {
			free(buf);
			return -EFAULT;
		}
		if (!p)
			break;
		long len = guest_read_str(t, buf, p, MAX_ARG_STRLEN);
		if (len < 0) {
			free(buf);
			return len == -ENAMETOOLONG ? -E2BIG : (int)len;
		}
		int err = push_str(vec, n, buf, total);
		if (err < 0) {
			free(buf);
			return err;
		}
	}
	free(buf);
	return 0;
}

static ssize_t read_at(struct file *f, void *buf, size_t len, off_t off)
{
	if (!f->fops || !f->fops->read)
		return -EACCES;
	size_t done = 0;
	while (done < len) {
		off_t pos = off + (off_t)done;
		ssize_t n = f->fops->read(f, (char *)buf + done, len - done, &pos);
		if (n < 0)
			return n;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	if (done)
		fsnotify_access(f);   /* Linux's kernel_read() of the image */
	return (ssize_t)done;
}

/* Opens an executable for exec: a regular file we may execute, on an exec mount. */
static int open_exec(struct task *t, int dirfd, const char *path, int atflags, struct file **out,
		     struct path *where)
{
	struct path p;
	unsigned lf = (atflags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	if (atflags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	int err;
	if (!path[0] && (atflags & AT_EMPTY_PATH)) {
		struct file *f = fd_get(t, dirfd);
		if (!f || !f->path.dentry)
			return -EBADF;
		p = f->path;
		path_get(&p);
	} else {
		err = path_walk(t, dirfd, path, lf, &p);
		if (err < 0)
			return err;
	}
	struct inode *inode = p.dentry->inode;
	if (S_ISLNK(inode->mode))
		err = -ELOOP;
	else if (!S_ISREG(inode->mode))
		err = -EACCES;
	else if (p.mnt && (p.mnt->flags & MS_NOEXEC))
		err = -EACCES;
	else
		err = path_permission(t, &p, MAY_EXEC);
	if (!err)
		err = vfs_open_path(t, &p, O_RDONLY, out);
	if (err < 0) {
		path_put(&p);
		return err;
	}
	*where = p;
	return 0;
}

/* "#!interp [arg]": rewrites args to interp [arg] path argv[1..]. */
static int unwrap_script(struct exec_args *ea, const char *buf, size_t len, const char *path,
			 char *interp, size_t interp_len)
{
	char line[256];
	size_t n = len < sizeof(line) - 1 ? len : sizeof(line) - 1;
	memcpy(line, buf + 2, n > 2 ? n - 2 : 0);
	line[n > 2 ? n - 2 : 0] = 0;
	char *nl = strchr(line, '\n');
	if (nl)
		*nl = 0;
	else if (n == sizeof(line) - 1)
		return -ENOEXEC;    /* interpreter line too long: Linux says ENOEXEC */
	char *s = line;
	while (*s == ' ' || *s == '\t')
		s++;
	char *end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = 0;
	if (!*s)
		return -ENOEXEC;
	char *arg = s + strcspn(s, " \t");
	if (*arg) {
		*arg++ = 0;
		while (*arg == ' ' || *arg == '\t')
			arg++;
	}
	snprintf(interp, interp_len, "%s", s);
	/* new argv: interp [arg] path argv[1..] */
	char **nv = xcalloc((size_t)ea->argc + 4, sizeof(char *));
	int k = 0;
	nv[k++] = xstrdup(s);
	if (*arg)
		nv[k++] = xstrdup(arg);
	nv[k++] = xstrdup(path);
	for (int i = 1; i < ea->argc; i++)
		nv[k++] = ea->argv[i];
	if (ea->argc > 0)
		free(ea->argv[0]);
	free(ea->argv);
	ea->argv = nv;
	ea->argc = k;
	return 0;
}

static int read_elf(struct file *f, struct elf_image *img)
{
	Elf64_Ehdr *eh = &img->eh;
	if (read_at(f, eh, sizeof(*eh), 0) != sizeof(*eh))
		return -ENOEXEC;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_machine != EM_X86_64 || (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 || eh->e_phnum > 64)
		return -ENOEXEC;
	img->ph = xcalloc(eh->e_phnum, sizeof(Elf64_Phdr));
	size_t len = eh->e_phnum * sizeof(Elf64_Phdr);
	if (read_at(f, img->ph, len, (off_t)eh->e_phoff) != (ssize_t)len)
		return -ENOEXEC;
	return 0;
}

static int find_interp(struct file *f, struct elf_image *img, char *interp, size_t len)
{
	for (int i = 0; i < img->eh.e_phnum; i++) {
		Elf64_Phdr *ph = &img->ph[i];
		if (ph->p_type != PT_INTERP)
			continue;
		if (ph->p_filesz == 0 || ph->p_filesz >= len)
			return -ENOEXEC;
		if (read_at(f, interp, ph->p_filesz, (off_t)ph->p_offset) != (ssize_t)ph->p_filesz)
			return -ENOEXEC;
		interp[ph->p_filesz] = 0;
		if (strlen(interp) + 1 != ph->p_filesz && interp[ph->p_filesz - 1] != 0)
			return -ENOEXEC;
		return 1;
	}
	return 0;
}

/*
 * Everything that can fail for a reason the caller should see happens before the
 * point of no return: walking, permissions, scripts, ELF headers, the interpreter.
 */
static int exec_prepare(struct task *t, int dirfd, const char *path, int atflags,
			struct exec_args *ea, struct exec_plan *plan)
{
	char cur[PATH_MAX];
	snprintf(cur, sizeof(cur), "%s", path);
	for (int depth = 0;; depth++) {
		if (depth > MAX_SCRIPT_DEPTH)
			return -ELOOP;
		struct file *f;
		struct path where;
		int err = open_exec(t, dirfd, cur, depth ? 0 : atflags, &f, &where);
		if (err < 0)
			return err;
		char head[256];
		ssize_t n = read_at(f, head, sizeof(head), 0);
		if (n >= 2 && head[0] == '#' && head[1] == '!') {
			char interp[PATH_MAX];
			const char *script_name = cur;
			char fdname[64];
			if (depth == 0 && !cur[0]) {
				snprintf(fdname, sizeof(fdname), "/dev/fd/%d", dirfd);
				script_name = fdname;
			}
			err = unwrap_script(ea, head, (size_t)n, script_name, interp, sizeof(interp));
			file_put(f);
			path_put(&where);
			if (err < 0)
				return err;
			snprintf(cur, sizeof(cur), "%s", interp);
			dirfd = AT_FDCWD;
			continue;
		}
		plan->file = f;
		plan->where = where;
		err = read_elf(f, &plan->main);
		if (err < 0)
			return err;
		char interp[PATH_MAX];
		err = find_interp(f, &plan->main, interp, sizeof(interp));
		if (err < 0)
			return err;
		if (err == 1) {
			struct path ipath;
			err = open_exec(t, AT_FDCWD, interp, 0, &plan->interp_file, &ipath);
			if (err < 0)
				return err == -EACCES ? -EACCES : err;
			path_put(&ipath);
			err = read_elf(plan->interp_file, &plan->interp);
			if (err < 0)
				return -ELIBBAD;
		}
		int hfd = f->fops && f->fops->host_fd ? f->fops->host_fd(f) : -ENODEV;
		if (hfd < 0)
			return -ENOEXEC;  /* only host-backed files can be mapped yet */
		plan->host_fd = hfd;
		mapped_name_note(t, f, hfd);
		if (plan->interp_file) {
			struct file *i = plan->interp_file;
			hfd = i->fops && i->fops->host_fd ? i->fops->host_fd(i) : -ENODEV;
			if (hfd < 0)
				return -ELIBBAD;
			plan->interp_host_fd = hfd;
			mapped_name_note(t, i, hfd);
		}
		return 0;
	}
}

void exec_plan_free(struct exec_plan *plan)
{
	if (plan->file)
		file_put(plan->file);
	if (plan->interp_file)
		file_put(plan->interp_file);
	if (plan->where.dentry)
		path_put(&plan->where);
	free(plan->main.ph);
	free(plan->interp.ph);
	memset(plan, 0, sizeof(*plan));
}

/* The whole span of an image's PT_LOAD segments. */
static void image_span(struct elf_image *img, unsigned long *lo, unsigned long *hi)
{
	*lo = ~0UL;
	*hi = 0;
	for (int i = 0; i < img->eh.e_phnum; i++) {
		Elf64_Phdr *ph = &img->ph[i];
		if (ph->p_type != PT_LOAD)
			continue;
		unsigned long s = ph->p_vaddr & ~(PAGE_SIZE - 1);
		unsigned long e = PAGE_ALIGN(ph->p_vaddr + ph->p_memsz);
		if (s < *lo)
			*lo = s;
		if (e > *hi)
			*hi = e;
	}
}

static int prot_of(uint32_t pf)
{
	return ((pf & PF_R) ? PROT_READ : 0) | ((pf & PF_W) ? PROT_WRITE : 0) | ((pf & PF_X) ? PROT_EXEC : 0);
}

static long inject_mmap_anon(struct task *t, unsigned long addr, size_t len, int prot, int flags)
{
	return platform_inject(t, __NR_mmap, (long)addr, (long)len, prot,
			       flags | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* Maps one image at bias; returns the end of its highest segment (for brk). */
static long map_image(struct task *t, struct elf_image *img, int host_fd, unsigned long bias)
{
	unsigned long end_max = 0;
	for (int i = 0; i < img->eh.e_phnum; i++) {
		Elf64_Phdr *ph = &img->ph[i];
		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		if (ph->p_filesz > ph->p_memsz || (ph->p_vaddr & (PAGE_SIZE - 1)) != (ph->p_offset & (PAGE_SIZE - 1)))
			return -ENOEXEC;
		int prot = prot_of(ph->p_flags);
		unsigned long va = bias + ph->p_vaddr;
		unsigned long start = va & ~(PAGE_SIZE - 1);
		unsigned long delta = va - start;
		unsigned long file_end = va + ph->p_filesz;
		unsigned long mem_end = va + ph->p_memsz;
		if (ph->p_filesz) {
			long r = platform_map_fd(t, start, PAGE_ALIGN(ph->p_filesz + delta), prot,
						 MAP_PRIVATE | MAP_FIXED, host_fd, (off_t)(ph->p_offset - delta));
			if (r < 0)
				return r;
		}
		if (mem_end > file_end) {
			unsigned long zero_end = PAGE_ALIGN(file_end);
			/* Linux clears the rest of the last file page, past p_memsz too: ld.so's
			 * early malloc hands out the space after _end as already zeroed. */
			if (ph->p_filesz && zero_end > file_end && (prot & PROT_WRITE)) {
				static const char zeros[PAGE_SIZE];
				if (guest_write(t, file_end, zeros, zero_end - file_end) < 0)
					return -EFAULT;
			}
			unsigned long anon_start = ph->p_filesz ? zero_end : start;
			if (PAGE_ALIGN(mem_end) > anon_start) {
				long r = inject_mmap_anon(t, anon_start, PAGE_ALIGN(mem_end) - anon_start, prot, MAP_FIXED);
				if (r < 0)
					return r;
			}
		}
		if (mem_end > end_max)
			end_max = mem_end;
	}
	return (long)end_max;
}

static unsigned long phdr_addr(struct elf_image *img, unsigned long bias)
{
	for (int i = 0; i < img->eh.e_phnum; i++)
		if (img->ph[i].p_type == PT_PHDR)
			return bias + img->ph[i].p_vaddr;
	for (int i = 0; i < img->eh.e_phnum; i++) {
		Elf64_Phdr *ph = &img->ph[i];
		if (ph->p_type == PT_LOAD && ph->p_offset <= img->eh.e_phoff &&
		    img->eh.e_phoff < ph->p_offset + ph->p_filesz)
			return bias + ph->p_vaddr + (img->eh.e_phoff - ph->p_offset);
	}
	return 0;
}

/* Host auxv values of the fresh stub (vDSO, hwcaps, signal stack size). */
static void read_host_auxv(struct task *t, unsigned long *vals, const unsigned long *keys, int n)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/auxv", t->host_tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	unsigned long buf[128];
	ssize_t len = read(fd, buf, sizeof(buf));
	close(fd);
	for (ssize_t i = 0; i + 1 < len / 8; i += 2)
		for (int k = 0; k < n; k++)
			if (buf[i] == keys[k])
				vals[k] = buf[i + 1];
}

struct stack_builder {
	struct task *t;
	unsigned long sp;
	int err;
};

static unsigned long push_bytes(struct stack_builder *b, const void *p, size_t len)
{
	b->sp -= len;
	if (!b->err && guest_write(b->t, b->sp, p, len) < 0)
		b->err = -EFAULT;
	return b->sp;
}

static int build_stack(struct task *t, struct exec_args *ea, struct exec_plan *plan,
		       unsigned long bias, unsigned long interp_base, const char *execfn,
		       unsigned long *sp_out)
{
	static const unsigned long keys[] = { AT_SYSINFO_EHDR, AT_HWCAP, AT_HWCAP2, AT_MINSIGSTKSZ };
	unsigned long host[4] = { 0, 0, 0, 0 };
	read_host_auxv(t, host, keys, 4);
	struct stack_builder b = { t, (t->regs.rsp & ~15UL) - 256, 0 };
	unsigned long *argp = xcalloc((size_t)ea->argc + 1, sizeof(long));
	unsigned long *envp = xcalloc((size_t)ea->envc + 1, sizeof(long));
	unsigned long fn = push_bytes(&b, execfn, strlen(execfn) + 1);
	for (int i = ea->envc - 1; i >= 0; i--)
		envp[i] = push_bytes(&b, ea->envp[i], strlen(ea->envp[i]) + 1);
	for (int i = ea->argc - 1; i >= 0; i--)
		argp[i] = push_bytes(&b, ea->argv[i], strlen(ea->argv[i]) + 1);
	unsigned long platform = push_bytes(&b, "x86_64", 7);
	unsigned char rnd[16];
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		memset(rnd, 0x5a, sizeof(rnd));
	unsigned long random_at = push_bytes(&b, rnd, sizeof(rnd));
	const struct cred *c = &t->cred;
	unsigned long aux[][2] = {
		{ AT_SYSINFO_EHDR, host[0] }, { AT_MINSIGSTKSZ, host[3] },
		{ AT_HWCAP, host[1] }, { AT_PAGESZ, PAGE_SIZE }, { AT_CLKTCK, 100 },
		{ AT_PHDR, phdr_addr(&plan->main, bias) }, { AT_PHENT, sizeof(Elf64_Phdr) },
		{ AT_PHNUM, plan->main.eh.e_phnum }, { AT_BASE, interp_base }, { AT_FLAGS, 0 },
		{ AT_ENTRY, bias + plan->main.eh.e_entry }, { AT_UID, c->uid }, { AT_EUID, c->euid },
		{ AT_GID, c->gid }, { AT_EGID, c->egid }, { AT_SECURE, plan->secure },
		{ AT_RANDOM, random_at }, { AT_HWCAP2, host[2] }, { AT_EXECFN, fn },
		{ AT_PLATFORM, platform }, { AT_NULL, 0 },
	};
	size_t words = 1 + (size_t)ea->argc + 1 + (size_t)ea->envc + 1 + 2 * ARRAY_SIZE(aux);
	b.sp = (b.sp - words * 8) & ~15UL;
	unsigned long *blk = xcalloc(words, 8);
	size_t k = 0;
	blk[k++] = (unsigned long)ea->argc;
	for (int i = 0; i < ea->argc; i++)
		blk[k++] = argp[i];
	blk[k++] = 0;
	for (int i = 0; i < ea->envc; i++)
		blk[k++] = envp[i];
	blk[k++] = 0;
	for (size_t i = 0; i < ARRAY_SIZE(aux); i++) {
		if (aux[i][0] == AT_SYSINFO_EHDR && !aux[i][1])
			aux[i][0] = AT_IGNORE;
		if (aux[i][0] == AT_MINSIGSTKSZ && !aux[i][1])
			aux[i][0] = AT_IGNORE;
		blk[k++] = aux[i][0];
		blk[k++] = aux[i][1];
	}
	if (!b.err && guest_write(t, b.sp, blk, words * 8) < 0)
		b.err = -EFAULT;
	free(blk);
	free(argp);
	free(envp);
	*sp_out = b.sp;
	return b.err;
}

static void set_process_identity(struct task *t, struct exec_args *ea, struct exec_plan *plan)
{
	struct thread_group *tg = t->tg;
	const char *base = strrchr(ea->filename, '/');
	base = base ? base + 1 : ea->filename;
	memset(tg->comm, 0, sizeof(tg->comm));
	size_t bl = strlen(base);
	memcpy(tg->comm, base, bl < sizeof(tg->comm) - 1 ? bl : sizeof(tg->comm) - 1); /* TASK_COMM_LEN */
	memcpy(t->comm, tg->comm, sizeof(t->comm));
	if (path_to_string(t, &plan->where, tg->exe, sizeof(tg->exe)) < 0)
		snprintf(tg->exe, sizeof(tg->exe), "%s", ea->filename);
	size_t len = 0;
	for (int i = 0; i < ea->argc; i++)
		len += strlen(ea->argv[i]) + 1;
	free(tg->cmdline);
	tg->cmdline = xcalloc(1, len + 1);
	tg->cmdline_len = len;
	for (int i = 0, o = 0; i < ea->argc; i++) {
		size_t n = strlen(ea->argv[i]) + 1;
		memcpy(tg->cmdline + o, ea->argv[i], n);
		o += (int)n;
	}
	len = 0;
	for (int i = 0; i < ea->envc; i++)
		len += strlen(ea->envp[i]) + 1;
	free(tg->environ);
	tg->environ = xcalloc(1, len + 1);
	tg->environ_len = len;
	for (int i = 0, o = 0; i < ea->envc; i++) {
		size_t n = strlen(ea->envp[i]) + 1;
		memcpy(tg->environ + o, ea->envp[i], n);
		o += (int)n;
	}
}

/* Set-id bits: honoured from our view of the file, unless the mount says nosuid. */
static void apply_setid(struct task *t, struct exec_plan *plan)
{
	struct kstat st;
	if (vfs_getattr(plan->file->inode, &st) < 0)
		return;
	if (plan->where.mnt && (plan->where.mnt->flags & MS_NOSUID))
		return;
	if (t->cred.no_new_privs)
		return;   /* PR_SET_NO_NEW_PRIVS: set-id bits are ignored */
	if (st.mode & S_ISUID) {
		plan->secure = t->cred.euid != st.uid;
		t->cred.euid = t->cred.fsuid = st.uid;
	}
	if ((st.mode & S_ISGID) && (st.mode & S_IXGRP)) {
		plan->secure |= t->cred.egid != st.gid;
		t->cred.egid = t->cred.fsgid = st.gid;
	}
	t->cred.suid = t->cred.euid;
	t->cred.sgid = t->cred.egid;
}

/* After the point of no return: a failure kills the process (Linux: SIGSEGV). */
static int exec_load(struct task *t, struct exec_args *ea, struct exec_plan *plan)
{
	if (t->state != TASK_NEW) {
		int err = platform_reexec_stub(t);
		if (err < 0)
			return err;
	}
	unsigned long bias = plan->main.eh.e_type == ET_DYN ? ET_DYN_BASE : 0;
	long end = map_image(t, &plan->main, plan->host_fd, bias);
	if (end < 0)
		return (int)end;
	unsigned long interp_base = 0, entry = bias + plan->main.eh.e_entry;
	if (plan->interp_file) {
		unsigned long lo, hi;
		image_span(&plan->interp, &lo, &hi);
		long base = inject_mmap_anon(t, 0, hi - lo, PROT_NONE, 0);
		if (base < 0)
			return (int)base;
		interp_base = (unsigned long)base - lo;
		long r = map_image(t, &plan->interp, plan->interp_host_fd, interp_base);
		if (r < 0)
			return (int)r;
		entry = interp_base + plan->interp.eh.e_entry;
	}
	struct thread_group *tg = t->tg;
	tg->brk_start = tg->brk = PAGE_ALIGN((unsigned long)end);
	apply_setid(t, plan);
	unsigned long sp;
	int err = build_stack(t, ea, plan, bias, interp_base, ea->filename, &sp);
	if (err < 0)
		return err;
	tg->stack_top = t->regs.rsp;
	struct user_regs_struct r = t->regs;
	unsigned long cs = r.cs, ss = r.ss, eflags = r.eflags;
	memset(&r, 0, sizeof(r));
	r.cs = cs;
	r.ss = ss;
	r.eflags = eflags;
	r.rip = entry;
	r.rsp = sp;
	r.orig_rax = (unsigned long)-1;
	t->regs = r;
	t->regs_dirty = true;
	return 0;
}

static void exec_commit_state(struct task *t, struct exec_args *ea, struct exec_plan *plan)
{
	/* the descriptor table and signal handlers are the process's own from here on */
	if (t->files->refcount > 1) {
		struct files_struct *copy = files_copy(t->files);
		files_put(t->files);
		t->files = copy;
	}
	files_close_on_exec(t->files);
	signal_exec_reset(t->tg);
	timers_exec(t->tg);
	ipc_exec(t->tg);
	cred_exec_commit(t);
	set_process_identity(t, ea, plan);
	t->exec_done = true;
	t->tg->exec_seen_by_parent = true;  /* setpgid() on it is EACCES from now on */
	if (t->vfork_parent)
		t->vfork_parent = NULL;
}

int do_execve(struct task *t, int dirfd, const char *path, int atflags, struct exec_args *ea)
{
	struct exec_plan plan;
	memset(&plan, 0, sizeof(plan));
	plan.host_fd = plan.interp_host_fd = -1;
	snprintf(ea->filename, sizeof(ea->filename), "%s", path);
	int err = exec_prepare(t, dirfd, path, atflags, ea, &plan);
	if (err < 0) {
		exec_plan_free(&plan);
		return err;
	}
	kill_other_threads_for_exec(t);
	err = exec_load(t, ea, &plan);
	if (err < 0) {
		exec_plan_free(&plan);
		printk("<3>umlinux: exec of %s failed after the point of no return (%d); killing %d\n",
		       path, err, t->tid);
		signal_send_task(t, SIGKILL, NULL);
		return (int)SYSRET_NORETURN;
	}
	exec_commit_state(t, ea, &plan);
	exec_plan_free(&plan);
	return 0;
}

static long execve_common(struct task *t, int dirfd, unsigned long upath, unsigned long uargv,
			  unsigned long uenvp, int flags)
{
	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	char path[PATH_MAX];
	long err = guest_read_str(t, path, upath, PATH_MAX);
	if (err < 0)
		return err;
	struct exec_args ea;
	memset(&ea, 0, sizeof(ea));
	size_t total = 0;
	err = copy_strings(t, uargv, &ea.argv, &ea.argc, &total);
	if (!err)
		err = copy_strings(t, uenvp, &ea.envp, &ea.envc, &total);
	if (!err && ea.argc == 0)
		err = push_str(&ea.argv, &ea.argc, "", &total);  /* Linux adds "" for an empty argv */
	if (err < 0) {
		exec_args_free(&ea);
		return err;
	}
	err = do_execve(t, dirfd, path, flags, &ea);
	exec_args_free(&ea);
	if (err == 0) {
		task_resume(t, 0);
		return SYSRET_NORETURN;
	}
	return err;
}

long sys_execve(struct task *t, struct syscall_args *a)
{
	return execve_common(t, AT_FDCWD, a->a[0], a->a[1], a->a[2], 0);
}

long sys_execveat(struct task *t, struct syscall_args *a)
{
	return execve_common(t, (int)a->a[0], a->a[1], a->a[2], a->a[3], (int)a->a[4]);
}

int exec_init(struct task *t, const char *path, const char *const *argv, const char *const *envp)
{
	struct exec_args ea;
	memset(&ea, 0, sizeof(ea));
	size_t total = 0;
	ea.argv = xcalloc(1, sizeof(char *));
	ea.envp = xcalloc(1, sizeof(char *));
	for (int i = 0; argv[i]; i++)
		push_str(&ea.argv, &ea.argc, argv[i], &total);
	for (int i = 0; envp[i]; i++)
		push_str(&ea.envp, &ea.envc, envp[i], &total);
	int err = do_execve(t, AT_FDCWD, path, 0, &ea);
	exec_args_free(&ea);
	return err;
}

/* The host's execve ends the other threads of the task host; their exits then arrive as
 * ordinary thread deaths, which never end the process while the exec'ing thread lives. */
void kill_other_threads_for_exec(struct task *t)
{
	(void)t;
}
