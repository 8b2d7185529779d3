#ifndef UMLINUX_EXEC_H
#define UMLINUX_EXEC_H
#include <elf.h>
#include "fs/vfs.h"

struct exec_args {
	char **argv, **envp;
	int argc, envc;
	char filename[PATH_MAX];
};

struct elf_image {
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
};

struct exec_plan {
	struct file *file, *interp_file;
	struct path where;
	struct elf_image main, interp;
	int host_fd, interp_host_fd;
	unsigned long secure;
};

void exec_args_free(struct exec_args *ea);
void exec_plan_free(struct exec_plan *plan);
int do_execve(struct task *t, int dirfd, const char *path, int atflags, struct exec_args *ea);
/* Other threads of the group die when one execs (signal/ or task/ provides it). */
void kill_other_threads_for_exec(struct task *t);
#endif
