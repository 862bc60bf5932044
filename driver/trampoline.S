/* SPDX-License-Identifier: GPL-2.0 */
/* CR3 switches into and out of the hypervisor, in the driver's own text. */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>

/*
 * int cv_tramp_enter(cellvisor_entry_fn entry, unsigned int cpu,
 *		      u64 entry_cr3)
 *
 * Linux maps the reserved region only as data (a stock kernel offers no
 * exported way to map it executable), so this stub, which Linux does
 * execute, loads page tables that hold Linux's kernel half plus the
 * region, calls the entry there and restores CR3.  On success the CPU
 * comes back here as a guest of the hypervisor: same code path.
 */
SYM_FUNC_START(cv_tramp_enter)
	push	%rbp
	mov	%rsp, %rbp
	push	%r12
	mov	%cr3, %r12
	mov	%rdi, %rax
	mov	%esi, %edi
	mov	%r12, %rsi
	mov	%rdx, %cr3
	CALL_NOSPEC rax
	mov	%r12, %cr3
	pop	%r12
	pop	%rbp
	RET
SYM_FUNC_END(cv_tramp_enter)

/*
 * Jumped to by the hypervisor on DISABLE, RDI pointing to the frame it
 * wrote on this CPU's Linux stack (layout in cellvisor/header.h).
 */
SYM_CODE_START(cv_tramp_leave)
	UNWIND_HINT_EMPTY
	mov	%rdi, %rsp
	pop	%rax
	mov	%rax, %cr3
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rbp
	add	$8, %rsp
	pop	%rbx
	pop	%rdx
	pop	%rcx
	pop	%rax
	iretq
SYM_CODE_END(cv_tramp_leave)
