/*
 * pause for linux/arm64: the infra (sandbox) container's PID 1.
 *
 * A whole static ELF executable, headers included, written by hand so that
 * `as` + `objcopy -O binary` give the file byte for byte (no libc, no
 * sections, no symbols). It blocks SIGINT, SIGTERM and SIGCHLD and waits for
 * them with rt_sigtimedwait: SIGINT or SIGTERM ends it with status 0 at once;
 * SIGCHLD reaps every exited child (processes of the pod's other containers
 * are re-parented to it when their parent dies) and it waits again.
 *
 * Blocking the signals, rather than leaving their default action, matters
 * for PID 1: the kernel drops a signal sent to a namespace's init whose
 * action is the default, but queues a blocked one.
 *
 * Build: scripts/build_pause.sh.
 */

	.set	BASE, 0x400000		/* load address of the file's first byte */

	.set	SYS_exit_group, 94
	.set	SYS_rt_sigprocmask, 135
	.set	SYS_rt_sigtimedwait, 137
	.set	SYS_wait4, 260

	.set	SIGINT, 2
	.set	SIGTERM, 15
	.set	SIGCHLD, 17
	.set	WAITED, (1 << (SIGINT - 1)) | (1 << (SIGTERM - 1)) | (1 << (SIGCHLD - 1))

	.text
ehdr:					/* Elf64_Ehdr */
	.byte	0x7f, 'E', 'L', 'F', 2, 1, 1, 0	/* 64-bit, little-endian, SysV */
	.quad	0
	.short	2			/* e_type: ET_EXEC */
	.short	183			/* e_machine: EM_AARCH64 */
	.long	1			/* e_version */
	.quad	BASE + _start - ehdr	/* e_entry */
	.quad	phdr - ehdr		/* e_phoff */
	.quad	0			/* e_shoff: no section headers */
	.long	0			/* e_flags */
	.short	64			/* e_ehsize */
	.short	56			/* e_phentsize */
	.short	1			/* e_phnum */
	.short	0, 0, 0			/* e_shentsize, e_shnum, e_shstrndx */

phdr:					/* Elf64_Phdr: map the whole file R+X */
	.long	1			/* p_type: PT_LOAD */
	.long	5			/* p_flags: PF_R | PF_X */
	.quad	0			/* p_offset */
	.quad	BASE			/* p_vaddr */
	.quad	BASE			/* p_paddr */
	.quad	end - ehdr		/* p_filesz */
	.quad	end - ehdr		/* p_memsz */
	.quad	0x10000			/* p_align: fits 4K, 16K and 64K page kernels */

	.balign	4
_start:
	/* the sigset_t lives at [sp]; sp stays 16-byte aligned */
	mov	x0, #(WAITED & 0xffff)
	movk	x0, #(WAITED >> 16), lsl #16
	str	x0, [sp, #-16]!

	/* rt_sigprocmask(SIG_BLOCK, &set, NULL, sizeof set) */
	mov	x0, #0
	mov	x1, sp
	mov	x2, #0
	mov	x3, #8
	mov	x8, #SYS_rt_sigprocmask
	svc	#0

wait_signal:
	/* rt_sigtimedwait(&set, NULL, NULL, sizeof set); errors (EINTR) loop */
	mov	x0, sp
	mov	x1, #0
	mov	x2, #0
	mov	x3, #8
	mov	x8, #SYS_rt_sigtimedwait
	svc	#0
	cmp	x0, #SIGCHLD
	b.eq	reap
	cmp	x0, #SIGINT
	b.eq	exit
	cmp	x0, #SIGTERM
	b.ne	wait_signal

exit:
	/* exit_group(0) */
	mov	x0, #0
	mov	x8, #SYS_exit_group
	svc	#0

reap:
	/* wait4(-1, NULL, WNOHANG, NULL) until it returns 0 (none left) or -ECHILD */
	mov	x0, #-1
	mov	x1, #0
	mov	x2, #1
	mov	x3, #0
	mov	x8, #SYS_wait4
	svc	#0
	cmp	x0, #0
	b.gt	reap
	b	wait_signal
end:
