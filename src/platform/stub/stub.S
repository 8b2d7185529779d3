/*
 * The task-host stub: the whole program every guest thread's host process is exec'd
 * into before the kernel loads the guest's ELF beside it. It is two instructions.
 * The kernel injects host system calls into a task by pointing rip at `stub_syscall`
 * with the call in rax/rdi..r9; the int3 after it hands control back (SIGTRAP stop).
 * The kernel finds stub_syscall one byte after the ELF entry point.
 * The seccomp filter is inherited across exec, so nothing here needs to set it up.
 */
	.text
	.globl _start
_start:
	int3            /* settles the new image at a clean stop: resuming from the exec
			   stop would let execve's return value overwrite rax */
stub_syscall:
	syscall
	int3
	ud2
	.section .note.GNU-stack,"",@progbits
