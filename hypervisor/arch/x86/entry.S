/* SPDX-License-Identifier: GPL-2.0 */
/* Image entry from the driver, and the host's exception entry points. */

	.section .text.entry, "ax"
	.globl	cellvisor_entry
	.type	cellvisor_entry, @function
/*
 * int cellvisor_entry(unsigned int cpu_index, u64 linux_cr3), called on
 * Linux's stack with CR3 on the driver's entry page tables.
 * Linux's callee-saved registers and the return address form the frame
 * entry_c() captures: on success the hypervisor resumes Linux at that
 * return address with these registers and RAX = 0, as if we had returned.
 */
cellvisor_entry:
	endbr64
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%edi, %ebx
	mov	%rsp, %r12
	mov	%rsi, %r13
	/* Linux only keeps 8-byte stack alignment; our C code wants 16. */
	and	$-16, %rsp
	call	entry_stack_top
	mov	%r12, %rsp
	test	%rax, %rax
	jz	1f
	mov	%rax, %rsp
	mov	%ebx, %edi
	mov	%r12, %rsi
	mov	%r13, %rdx
	call	entry_c
	mov	%r12, %rsp
	jmp	2f
1:	mov	$-22, %eax		/* -EINVAL: bad CPU index */
2:	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size	cellvisor_entry, . - cellvisor_entry

/*
 * Exception stubs, 16 bytes each so the IDT can be filled by arithmetic.
 * Vectors without a CPU error code push a zero to keep one frame shape.
 */
	.text
	.align	16
	.globl	exception_stubs
exception_stubs:
	vector = 0
	.rept	32
	.align	16
	.if (vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 || vector == 29 || vector == 30)
	.else
	push	$0
	.endif
	push	$vector
	jmp	exception_common
	vector = vector + 1
	.endr

exception_common:
	push	%rax
	push	%rcx
	push	%rdx
	push	%rbx
	push	%rbp
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	x86_exception		/* reports and halts */
1:	cli
	hlt
	jmp	1b

/*
 * NMIs are held by GIF=0 (or blocked in VMX root) while the hypervisor
 * runs; one that slips through a transition is dropped here.
 */
	.align	16
	.globl	nmi_entry
nmi_entry:
	iretq
