/*
 * pause for linux/amd64: the infra (sandbox) container's PID 1.
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

	.set	SYS_rt_sigprocmask, 14
	.set	SYS_wait4, 61
	.set	SYS_rt_sigtimedwait, 128
	.set	SYS_exit_group, 231

	.set	SIGINT, 2
	.set	SIGTERM, 15
	.set	SIGCHLD, 17
	.set	WAITED, (1 << (SIGINT - 1)) | (1 << (SIGTERM - 1)) | (1 << (SIGCHLD - 1))

	.text
ehdr:					/* Elf64_Ehdr */
	.byte	0x7f, 'E', 'L', 'F', 2, 1, 1, 0	/* 64-bit, little-endian, SysV */
	.quad	0
	.short	2			/* e_type: ET_EXEC */
	.short	62			/* e_machine: EM_X86_64 */
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
	.quad	0x1000			/* p_align */

_start:
	push	$WAITED			/* the sigset_t lives at (%rsp) */

	/* rt_sigprocmask(SIG_BLOCK, &set, NULL, sizeof set) */
	xor	%edi, %edi
	mov	%rsp, %rsi
	xor	%edx, %edx
	mov	$8, %r10d
	mov	$SYS_rt_sigprocmask, %eax
	syscall

wait_signal:
	/* rt_sigtimedwait(&set, NULL, NULL, sizeof set); errors (EINTR) loop */
	mov	%rsp, %rdi
	xor	%esi, %esi
	xor	%edx, %edx
	mov	$8, %r10d
	mov	$SYS_rt_sigtimedwait, %eax
	syscall
	cmp	$SIGCHLD, %eax
	je	reap
	cmp	$SIGINT, %eax
	je	exit
	cmp	$SIGTERM, %eax
	jne	wait_signal

exit:
	/* exit_group(0) */
	xor	%edi, %edi
	mov	$SYS_exit_group, %eax
	syscall

reap:
	/* wait4(-1, NULL, WNOHANG, NULL) until it returns 0 (none left) or -ECHILD */
	or	$-1, %edi
	xor	%esi, %esi
	mov	$1, %edx
	xor	%r10d, %r10d
	mov	$SYS_wait4, %eax
	syscall
	test	%eax, %eax
	jg	reap
	jmp	wait_signal
end:
