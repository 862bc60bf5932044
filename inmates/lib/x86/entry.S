/* SPDX-License-Identifier: GPL-2.0 */
/* Inmate entry: real mode at the cell's entry point -> long mode -> C. */
#include <inmate.h>
#include "boot.h"

/*
 * Real mode at any CS:IP -> 32-bit protected mode at @target. Any CPU of the
 * cell: the boot CPU at the entry point, the others at the SIPI page.
 */
.macro protected_mode_enable target
	cli
	cld
	/* The image is linked at 0: run with CS = 0 whatever CS:IP we got. */
	ljmp	$0, $1f
1:	xorw	%ax, %ax
	movw	%ax, %ds
	lgdtl	boot_gdt_ptr

	/* Reset leaves CD/NW set; caches stay off until we clear them. */
	movl	%cr0, %eax
	andl	$~(X86_CR0_CD | X86_CR0_NW), %eax
	orl	$(X86_CR0_PE | X86_CR0_ET | X86_CR0_NE), %eax
	movl	%eax, %cr0
	ljmpl	$BOOT_CS32, $\target
.endm

/* Flat data selectors in 32- and 64-bit mode. */
.macro data_segments_load
	movw	$BOOT_DS, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
.endm

/* PAE, boot page tables, EFER.LME, paging; far jump to 64-bit @target. */
.macro long_mode_enable target
	movl	%cr4, %eax
	orl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3

	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr

	movl	%cr0, %eax
	orl	$(X86_CR0_PG | X86_CR0_WP), %eax
	movl	%eax, %cr0
	ljmpl	$BOOT_CS64, $\target
.endm

	.section .boot, "ax"
	.code16
	.globl inmate_entry
inmate_entry:
	protected_mode_enable	start32

	.code32
start32:
	data_segments_load

	/* Page tables and stacks live in .bss: zero it before filling them. */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	xorl	%eax, %eax
	rep stosl

	movl	$(boot_pdpt + PTE_P + PTE_W), boot_pml4
	xorl	%ecx, %ecx
2:	movl	%ecx, %eax
	shll	$12, %eax
	addl	$(boot_pd + PTE_P + PTE_W), %eax
	movl	%eax, boot_pdpt(, %ecx, 8)
	incl	%ecx
	cmpl	$BOOT_MAP_PDS, %ecx
	jb	2b

	xorl	%ecx, %ecx
3:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$(PTE_P + PTE_W + PTE_PS), %eax
	cmpl	$BOOT_UC_FIRST_PDE, %ecx
	jb	4f
	orl	$(PTE_PCD + PTE_PWT), %eax
4:	movl	%eax, boot_pd(, %ecx, 8)
	incl	%ecx
	cmpl	$(BOOT_MAP_PDS * 512), %ecx
	jb	3b

	long_mode_enable	start64

	.code64
start64:
	data_segments_load

	/* The boot CPU takes stack slot 0; APs will get the following ones. */
	movq	$(inmate_stacks + INMATE_STACK_SIZE), %rsp
	xorl	%ebp, %ebp
	call	inmate_setup
	jmp	inmate_halt

/*
 * Second way in, for loaders that start a kernel in 32-bit protected mode
 * (Multiboot: EAX = magic, EBX = information structure, flat segments,
 * paging off; stack, GDT and IDT undefined). EAX and EBX go to .data,
 * which start32 does not clear, with CR0 and EFLAGS as found; then the
 * usual path with our own GDT. An image that wants this entry says so in
 * its Multiboot header (tests/multiboot.c).
 */
	.section .boot, "ax"
	.code32
	.globl	multiboot_entry
multiboot_entry:
	cli
	cld
	movl	%eax, boot_loader_magic
	movl	%ebx, boot_loader_info
	movl	$boot_loader_stack_top, %esp	/* ESP is undefined */
	pushfl
	popl	boot_loader_eflags
	movl	%cr0, %eax
	movl	%eax, boot_loader_cr0
	andl	$~(X86_CR0_CD | X86_CR0_NW), %eax
	orl	$(X86_CR0_PE | X86_CR0_ET | X86_CR0_NE), %eax
	movl	%eax, %cr0
	lgdtl	boot_gdt_ptr
	ljmpl	$BOOT_CS32, $start32

	.section .data
	.balign	4
	.globl	boot_loader_magic, boot_loader_info
	.globl	boot_loader_eflags, boot_loader_cr0
boot_loader_magic:
	.long	0
boot_loader_info:
	.long	0
boot_loader_eflags:
	.long	0
boot_loader_cr0:
	.long	0
	.skip	12			/* a stack for pushfl/popl */
boot_loader_stack_top:

/*
 * Application processors: SIPI vector 2 starts them in real mode with
 * CS = 0x0200, IP = 0. The boot CPU has built the page tables already and
 * stays in smp_start_cpus() until they are all up, so they only switch mode,
 * claim a CPU slot and its stack, and call smp_ap_entry(slot).
 */
	.section .ap_boot, "ax"
	.code16
	.globl	ap_entry
ap_entry:
	protected_mode_enable	ap_start32

	.code32
ap_start32:
	data_segments_load
	long_mode_enable	ap_start64

	.code64
ap_start64:
	data_segments_load

	movl	$1, %edi
	lock xaddl %edi, smp_next_slot(%rip)
	cmpl	$INMATE_MAX_CPUS, %edi
	jae	2f
	/* Slot N's stack top: inmate_stacks + (N + 1) * INMATE_STACK_SIZE */
	movl	%edi, %eax
	incl	%eax
	imull	$INMATE_STACK_SIZE, %eax
	leaq	inmate_stacks(%rax), %rsp
	xorl	%ebp, %ebp
	call	smp_ap_entry
	/* No stack slot left (or smp_ap_entry returned): park this CPU. */
2:	cli
	hlt
	jmp	2b

	.section .boot, "ax"
	.balign	8
boot_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* BOOT_CS32: 32-bit code, flat */
	.quad	0x00cf92000000ffff	/* BOOT_DS: data, flat */
	.quad	0x00af9a000000ffff	/* BOOT_CS64: 64-bit code */
boot_gdt_end:

	.balign	8
	.word	0			/* keeps the base 4-aligned */
boot_gdt_ptr:
	.word	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt

	.section .bss
	.balign	4096
boot_pml4:
	.skip	4096
boot_pdpt:
	.skip	4096
boot_pd:
	.skip	BOOT_MAP_PDS * 4096

	.globl	inmate_stacks
	.balign	4096
inmate_stacks:
	.skip	INMATE_MAX_CPUS * INMATE_STACK_SIZE

	.section .note.GNU-stack, "", @progbits
