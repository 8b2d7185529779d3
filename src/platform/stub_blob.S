/* Embeds the task-host stub executable in the kernel binary (written to a sealed memfd at boot). */
	.section .rodata
	.globl stub_blob_start, stub_blob_end
	.balign 16
stub_blob_start:
	.incbin STUB_PATH
stub_blob_end:
	.section .note.GNU-stack,"",@progbits
