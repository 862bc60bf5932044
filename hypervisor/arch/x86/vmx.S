/* SPDX-License-Identifier: GPL-2.0 */
/* Intel VT-x world switch: first VMLAUNCH, VM-exit entry, VMRESUME. */

/* struct svm_run_ctx (asm/percpu.h), shared by both vendors */
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
#define RAX	0x78

/* Load every guest GPR from the context in %rdi, %rdi last. */
.macro LOAD_GUEST
	mov	R15(%rdi), %r15
	mov	R14(%rdi), %r14
	mov	R13(%rdi), %r13
	mov	R12(%rdi), %r12
	mov	R11(%rdi), %r11
	mov	R10(%rdi), %r10
	mov	R9(%rdi), %r9
	mov	R8(%rdi), %r8
	mov	RSI(%rdi), %rsi
	mov	RBP(%rdi), %rbp
	mov	RBX(%rdi), %rbx
	mov	RDX(%rdi), %rdx
	mov	RCX(%rdi), %rcx
	mov	RAX(%rdi), %rax
	mov	RDI(%rdi), %rdi
.endm

	.text
/*
 * void vmx_launch(struct svm_run_ctx *ctx, u64 host_rsp), never returns.
 * HOST_RSP in the VMCS equals @host_rsp, where the context pointer is
 * stored, so every exit finds it at (%rsp).
 */
	.globl	vmx_launch
	.type	vmx_launch, @function
vmx_launch:
	mov	%rsi, %rsp
	mov	%rdi, (%rsp)
	LOAD_GUEST
	vmlaunch
	mov	(%rsp), %rdi
	call	vmx_entry_failed
1:	hlt
	jmp	1b
	.size	vmx_launch, . - vmx_launch

	.globl	vmx_vmexit
	.type	vmx_vmexit, @function
vmx_vmexit:
	push	%rdi
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
	mov	%rax, RAX(%rdi)
	pop	RDI(%rdi)
	call	vmx_handle_exit
	mov	(%rsp), %rdi
	LOAD_GUEST
	vmresume
	mov	(%rsp), %rdi
	call	vmx_entry_failed
1:	hlt
	jmp	1b
	.size	vmx_vmexit, . - vmx_vmexit

/*
 * void vmx_leave_to_linux(struct leave_frame *f, u64 cs, u64 ss,
 *			   u64 ds_es, u64 efer, u64 leave_entry)
 * Like svm_leave_to_linux, without the GIF: reload CS from Linux's GDT,
 * then SS, DS, ES, write EFER and jump to the driver's leave stub.
 */
	.globl	vmx_leave_to_linux
	.type	vmx_leave_to_linux, @function
vmx_leave_to_linux:
	push	%rsi
	lea	1f(%rip), %rax
	push	%rax
	lretq
1:	mov	%dx, %ss
	mov	%cx, %ds
	shr	$16, %ecx
	mov	%cx, %es
	mov	$0xc0000080, %ecx
	mov	%r8, %rax
	mov	%r8, %rdx
	shr	$32, %rdx
	wrmsr
	jmp	*%r9
	.size	vmx_leave_to_linux, . - vmx_leave_to_linux
