/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test boot sector: loads an inmate image from the disk that follows it to
 * 0x10000, fills the rest of 0x10000-0x7ffff with 0xa5 (so .bss zeroing is
 * visible), masks the legacy PICs, copies everything down to 0 and enters
 * the inmate at 0:0 in real mode, the way a cell CPU starts under Cellvisor.
 */
#define RELOC_SEG	0x8000	/* this sector moves itself to 0x80000 */
#define LOAD_SEG	0x1000	/* image is read to 0x10000 */
#define END_SEG		0x8000	/* load/fill area ends at 0x80000 */
#define CHUNK_SECTORS	64	/* 32 KiB per BIOS read: safe for every BIOS */
#define COM1		0x3f8

	.code16
	.text
	.globl	_start
_start:
	cli
	ljmp	$0x07c0, $1f		/* offsets are relative to _start */
1:	movw	%cs, %ax
	movw	%ax, %ds
	movw	$RELOC_SEG, %ax
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0xfff0, %sp
	xorw	%si, %si
	xorw	%di, %di
	movw	$256, %cx
	cld
	rep movsw
	ljmp	$RELOC_SEG, $2f		/* the copy to 0 overwrites 0x7c00 */

2:	movw	%cs, %ax
	movw	%ax, %ds
	movb	%dl, drive
	sti

	/* Poison the whole area first; the image load overwrites its part. */
	movw	$LOAD_SEG, %bx
3:	movw	%bx, %es
	xorw	%di, %di
	movw	$0x8000, %cx
	movw	$0xa5a5, %ax
	rep stosw
	addw	$0x1000, %bx
	cmpw	$END_SEG, %bx
	jb	3b

	movw	sectors, %cx
	cmpw	$((END_SEG - LOAD_SEG) * 16 / 512), %cx
	ja	err
4:	jcxz	5f
	movw	%cx, %ax
	cmpw	$CHUNK_SECTORS, %ax
	jbe	6f
	movw	$CHUNK_SECTORS, %ax
6:	movw	%ax, dap_count
	pushw	%cx
	pushw	%ax
	movw	$dap, %si
	movb	drive, %dl
	movb	$0x42, %ah		/* extended read (LBA) */
	int	$0x13
	popw	%ax
	popw	%cx
	jc	err
	subw	%ax, %cx
	addw	%ax, dap_lba
	shlw	$5, %ax			/* sectors -> paragraphs */
	addw	%ax, dap_seg
	jmp	4b

5:	cli
	/*
	 * Mask both 8259s: the BIOS routes the PIT to vector 8, and a cell
	 * gets no legacy PIC anyway.
	 */
	movb	$0xff, %al
	outb	%al, $0x21
	outb	%al, $0xa1
	inb	$0x92, %al		/* fast A20, if the BIOS left it off */
	orb	$0x02, %al
	andb	$0xfe, %al
	outb	%al, $0x92

	/* Copy 0x10000-0x7ffff down to 0-0x6ffff, 64 KiB at a time. */
	xorw	%bx, %bx
7:	movw	%bx, %es
	leaw	LOAD_SEG(%bx), %ax
	movw	%ax, %ds
	xorw	%si, %si
	xorw	%di, %di
	movw	$0x8000, %cx
	rep movsw
	addw	$0x1000, %bx
	cmpw	$(END_SEG - LOAD_SEG), %bx
	jb	7b
	ljmp	$0, $0

err:	movw	$msg, %si
8:	lodsb
	testb	%al, %al
	jz	9f
	movw	$COM1, %dx
	outb	%al, %dx
	jmp	8b
9:	cli
	hlt
	jmp	9b

msg:	.asciz	"BOOT: disk read failed\r\n"
drive:	.byte	0x80

	.balign	4
dap:	.byte	16, 0
dap_count:
	.word	0
	.word	0			/* offset */
dap_seg:
	.word	LOAD_SEG
dap_lba:
	.quad	1

	.org	0x1fc
sectors:
	.word	0			/* patched by mkdisk.sh */
	.word	0xaa55

	.section .note.GNU-stack, "", @progbits
