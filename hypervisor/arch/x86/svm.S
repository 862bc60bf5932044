/* SPDX-License-Identifier: GPL-2.0 */
/* AMD-V world switch: the VMRUN loop and the final return to native Linux. */

#define MSR_EFER	0xc0000080

/* struct svm_run_ctx (asm/percpu.h) */
#define R15	0x00
#define R14	0x08
#define R13	0x10
#define R12	0x18
#define R11	0x20
#define R10	0x28
#define R9	0x30
#define R8	0x38
#define RDI	0x40
#define RSI	0x48
#define RBP	0x50
#define RBX	0x60
#define RDX	0x68
#define RCX	0x70
#define VMCB_PA	0x80
#define HOST_PA	0x88

	.text
/*
 * void svm_vmrun_loop(struct svm_run_ctx *ctx), never returns.  VMRUN saves
 * and restores only part of the host state, so VMLOAD/VMSAVE swap FS, GS,
 * TR, LDTR and the syscall MSRs between the guest's VMCB and our host area.
 */
	.globl	svm_vmrun_loop
	.type	svm_vmrun_loop, @function
svm_vmrun_loop:
	push	%rdi			/* [rsp] = ctx for the whole loop */
.Lrun:
	mov	(%rsp), %rax
	mov	R15(%rax), %r15
	mov	R14(%rax), %r14
	mov	R13(%rax), %r13
	mov	R12(%rax), %r12
	mov	R11(%rax), %r11
	mov	R10(%rax), %r10
	mov	R9(%rax), %r9
	mov	R8(%rax), %r8
	mov	RSI(%rax), %rsi
	mov	RBP(%rax), %rbp
	mov	RBX(%rax), %rbx
	mov	RDX(%rax), %rdx
	mov	RCX(%rax), %rcx
	mov	RDI(%rax), %rdi
	mov	VMCB_PA(%rax), %rax
	vmload	%rax
	vmrun	%rax
	vmsave	%rax
	push	%rdi			/* guest RDI */
	mov	8(%rsp), %rdi
	mov	%r15, R15(%rdi)
	mov	%r14, R14(%rdi)
	mov	%r13, R13(%rdi)
	mov	%r12, R12(%rdi)
	mov	%r11, R11(%rdi)
	mov	%r10, R10(%rdi)
	mov	%r9, R9(%rdi)
	mov	%r8, R8(%rdi)
	mov	%rsi, RSI(%rdi)
	mov	%rbp, RBP(%rdi)
	mov	%rbx, RBX(%rdi)
	mov	%rdx, RDX(%rdi)
	mov	%rcx, RCX(%rdi)
	pop	RDI(%rdi)
	mov	HOST_PA(%rdi), %rax
	vmload	%rax
	call	svm_handle_exit
	jmp	.Lrun
	.size	svm_vmrun_loop, . - svm_vmrun_loop

/*
 * void svm_leave_to_linux(struct leave_frame *f, u64 cs, u64 ss,
 *			   u64 ds_es, u64 efer, u64 leave_entry)
 * Called on the leave page tables with Linux's GDT, IDT, TR and FS/GS in
 * place.  Reload the segment registers from Linux's GDT, set GIF again,
 * leave SVM and jump to the driver's stub, which takes @f.  Never returns.
 */
	.globl	svm_leave_to_linux
	.type	svm_leave_to_linux, @function
svm_leave_to_linux:
	push	%rsi
	lea	1f(%rip), %rax
	push	%rax
	lretq
1:	mov	%dx, %ss
	mov	%cx, %ds
	shr	$16, %ecx
	mov	%cx, %es
	stgi
	mov	$MSR_EFER, %ecx
	mov	%r8, %rax
	mov	%r8, %rdx
	shr	$32, %rdx
	wrmsr
	jmp	*%r9
	.size	svm_leave_to_linux, . - svm_leave_to_linux
