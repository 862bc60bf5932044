/* SPDX-License-Identifier: GPL-2.0 */
/* One 16-byte stub per IDT vector, all into int_common -> int_dispatch(). */
#include "boot.h"

#define INT_STUB_SIZE	16

	.text
	.code64
	.balign	INT_STUB_SIZE
	.globl	int_stubs
int_stubs:
	vector = 0
	.rept	256
	.balign	INT_STUB_SIZE
	/* Same frame for all: push 0 where the CPU pushes no error code. */
	.if !(vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || \
	      vector == 21 || vector == 29 || vector == 30)
	pushq	$0
	.endif
	pushq	$vector
	jmp	int_common
	vector = vector + 1
	.endr

/* Saves registers in struct int_frame order (see inmate.h). */
int_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	/* CPU-aligned frame + 2 + 15 pushes keeps %rsp 16-byte aligned here. */
	movq	%rsp, %rdi
	cld
	call	int_dispatch
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp
	iretq

	.section .note.GNU-stack, "", @progbits
