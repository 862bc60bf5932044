/* SPDX-License-Identifier: GPL-2.0 */
/* Intel VT-x: VMCS field encodings, control bits, exit reasons, MSRs. */
#ifndef _HV_ASM_VMX_H
#define _HV_ASM_VMX_H

#include <hv/types.h>

#define MSR_IA32_FEATURE_CONTROL	0x0000003a
#define FEATURE_CONTROL_LOCKED		BIT(0)
#define FEATURE_CONTROL_VMX_INSIDE_SMX	BIT(1)
#define FEATURE_CONTROL_VMX		BIT(2)
#define MSR_IA32_SYSENTER_CS		0x00000174
#define MSR_IA32_SYSENTER_ESP		0x00000175
#define MSR_IA32_SYSENTER_EIP		0x00000176
#define MSR_IA32_DEBUGCTL		0x000001d9
#define MSR_IA32_VMX_BASIC		0x00000480
#define MSR_IA32_VMX_PINBASED_CTLS	0x00000481
#define MSR_IA32_VMX_PROCBASED_CTLS	0x00000482
#define MSR_IA32_VMX_EXIT_CTLS		0x00000483
#define MSR_IA32_VMX_ENTRY_CTLS		0x00000484
#define MSR_IA32_VMX_CR0_FIXED0		0x00000486
#define MSR_IA32_VMX_CR0_FIXED1		0x00000487
#define MSR_IA32_VMX_CR4_FIXED0		0x00000488
#define MSR_IA32_VMX_CR4_FIXED1		0x00000489
#define MSR_IA32_VMX_PROCBASED_CTLS2	0x0000048b
#define MSR_IA32_VMX_EPT_VPID_CAP	0x0000048c
#define MSR_IA32_VMX_TRUE_PINBASED	0x0000048d
#define MSR_IA32_VMX_TRUE_PROCBASED	0x0000048e
#define MSR_IA32_VMX_TRUE_EXIT		0x0000048f
#define MSR_IA32_VMX_TRUE_ENTRY		0x00000490
#define MSR_IA32_VMX_VMFUNC		0x00000491
#define VMX_BASIC_TRUE_CTLS		BIT_ULL(55)

#define EPT_CAP_WALK_4			BIT_ULL(6)
#define EPT_CAP_WB			BIT_ULL(14)
#define EPT_CAP_1G			BIT_ULL(17)
#define EPT_CAP_INVEPT			BIT_ULL(20)
#define EPT_CAP_INVEPT_ALL		BIT_ULL(26)
#define VPID_CAP_INVVPID		BIT_ULL(32)
#define VPID_CAP_INVVPID_ALL		BIT_ULL(42)

#define EPT_R				BIT_ULL(0)
#define EPT_W				BIT_ULL(1)
#define EPT_X				BIT_ULL(2)
#define EPT_MT_UC			(0ULL << 3)
#define EPT_MT_WB			(6ULL << 3)
#define EPTP_WB_4LEVEL			(6ULL | (3ULL << 3))
#define EPT_TABLE			(EPT_R | EPT_W | EPT_X)
#define EPT_LEAF			(EPT_R | EPT_W | EPT_X | EPT_MT_WB)

/* 16-bit fields */
#define VMCS_VPID			0x0000
#define GUEST_ES_SELECTOR		0x0800	/* +2 per segment */
#define GUEST_LDTR_SELECTOR		0x080c
#define GUEST_TR_SELECTOR		0x080e
#define HOST_ES_SELECTOR		0x0c00
#define HOST_CS_SELECTOR		0x0c02
#define HOST_SS_SELECTOR		0x0c04
#define HOST_DS_SELECTOR		0x0c06
#define HOST_FS_SELECTOR		0x0c08
#define HOST_GS_SELECTOR		0x0c0a
#define HOST_TR_SELECTOR		0x0c0c
/* 64-bit fields */
#define IO_BITMAP_A			0x2000
#define IO_BITMAP_B			0x2002
#define MSR_BITMAP			0x2004
#define EPT_POINTER			0x201a
#define GUEST_PHYSICAL_ADDRESS		0x2400
#define VMCS_LINK_POINTER		0x2800
#define GUEST_IA32_DEBUGCTL		0x2802
#define GUEST_IA32_PAT			0x2804
#define GUEST_IA32_EFER			0x2806
#define HOST_IA32_PAT			0x2c00
#define HOST_IA32_EFER			0x2c02
/* 32-bit fields */
#define PIN_BASED_CONTROLS		0x4000
#define PROC_BASED_CONTROLS		0x4002
#define EXCEPTION_BITMAP		0x4004
#define CR3_TARGET_COUNT		0x400a
#define EXIT_CONTROLS			0x400c
#define EXIT_MSR_STORE_COUNT		0x400e
#define EXIT_MSR_LOAD_COUNT		0x4010
#define ENTRY_CONTROLS			0x4012
#define ENTRY_MSR_LOAD_COUNT		0x4014
#define ENTRY_INTR_INFO			0x4016
#define ENTRY_EXCEPTION_ERROR		0x4018
#define ENTRY_INSTRUCTION_LEN		0x401a
#define SECONDARY_CONTROLS		0x401e
#define VM_INSTRUCTION_ERROR		0x4400
#define EXIT_REASON			0x4402
#define EXIT_INTR_INFO			0x4404
#define IDT_VECTORING_INFO		0x4408
#define IDT_VECTORING_ERROR		0x440a
#define EXIT_INSTRUCTION_LEN		0x440c
#define GUEST_ES_LIMIT			0x4800	/* +2 per segment */
#define GUEST_GDTR_LIMIT		0x4810
#define GUEST_IDTR_LIMIT		0x4812
#define GUEST_ES_AR			0x4814	/* +2 per segment */
#define GUEST_INTERRUPTIBILITY		0x4824
#define GUEST_ACTIVITY_STATE		0x4826
#define GUEST_SYSENTER_CS		0x482a
#define HOST_SYSENTER_CS		0x4c00
/* natural-width fields */
#define CR0_GUEST_HOST_MASK		0x6000
#define CR4_GUEST_HOST_MASK		0x6002
#define CR0_READ_SHADOW			0x6004
#define CR4_READ_SHADOW			0x6006
#define EXIT_QUALIFICATION		0x6400
#define GUEST_LINEAR_ADDRESS		0x640a
#define GUEST_CR0			0x6800
#define GUEST_CR3			0x6802
#define GUEST_CR4			0x6804
#define GUEST_ES_BASE			0x6806	/* +2 per segment */
#define GUEST_GDTR_BASE			0x6816
#define GUEST_IDTR_BASE			0x6818
#define GUEST_DR7			0x681a
#define GUEST_RSP			0x681c
#define GUEST_RIP			0x681e
#define GUEST_RFLAGS			0x6820
#define GUEST_PENDING_DBG		0x6822
#define GUEST_SYSENTER_ESP		0x6824
#define GUEST_SYSENTER_EIP		0x6826
#define HOST_CR0			0x6c00
#define HOST_CR3			0x6c02
#define HOST_CR4			0x6c04
#define HOST_FS_BASE			0x6c06
#define HOST_GS_BASE			0x6c08
#define HOST_TR_BASE			0x6c0a
#define HOST_GDTR_BASE			0x6c0c
#define HOST_IDTR_BASE			0x6c0e
#define HOST_SYSENTER_ESP		0x6c10
#define HOST_SYSENTER_EIP		0x6c12
#define HOST_RSP			0x6c14
#define HOST_RIP			0x6c16

/* Segment order of the guest-segment field groups */
enum vmx_seg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR,
	       SEG_TR };

/* Controls */
#define PIN_NMI_EXITING			BIT(3)
#define PROC_HLT_EXITING		BIT(7)
#define PROC_MWAIT_EXITING		BIT(10)
#define PROC_RDPMC_EXITING		BIT(11)
#define PROC_USE_IO_BITMAPS		BIT(25)
#define PROC_USE_MSR_BITMAPS		BIT(28)
#define PROC_SECONDARY			BIT(31)
#define PROC2_EPT			BIT(1)
#define PROC2_RDTSCP			BIT(3)
#define PROC2_VPID			BIT(5)
#define PROC2_WBINVD_EXITING		BIT(6)
#define PROC2_UNRESTRICTED		BIT(7)
#define PROC2_INVPCID			BIT(12)
#define PROC2_XSAVES			BIT(20)
#define EXIT_SAVE_DEBUG			BIT(2)
#define EXIT_HOST_64			BIT(9)
#define EXIT_SAVE_PAT			BIT(18)
#define EXIT_LOAD_PAT			BIT(19)
#define EXIT_SAVE_EFER			BIT(20)
#define EXIT_LOAD_EFER			BIT(21)
#define ENTRY_LOAD_DEBUG		BIT(2)
#define ENTRY_IA32E			BIT(9)
#define ENTRY_LOAD_PAT			BIT(14)
#define ENTRY_LOAD_EFER			BIT(15)

#define VMX_AR_UNUSABLE			BIT(16)

/* Guest interruptibility state */
#define VMX_BLOCK_STI			BIT(0)
#define VMX_BLOCK_MOV_SS		BIT(1)
#define VMX_BLOCK_NMI			BIT(3)

/* VM-exit interruption information */
#define VMX_INTR_INFO_VALID		BIT(31)
#define VMX_INTR_TYPE(info)		(((info) >> 8) & 7)
#define VMX_INTR_TYPE_NMI		2

/* Exit reasons */
#define EXIT_REASON_EXCEPTION_NMI	0
#define EXIT_REASON_EXTERNAL_INT	1
#define EXIT_REASON_TRIPLE_FAULT	2
#define EXIT_REASON_INIT		3
#define EXIT_REASON_SIPI		4
#define EXIT_REASON_CPUID		10
#define EXIT_REASON_GETSEC		11
#define EXIT_REASON_HLT			12
#define EXIT_REASON_INVD		13
#define EXIT_REASON_RDPMC		15
#define EXIT_REASON_VMCALL		18
#define EXIT_REASON_VMCLEAR		19
#define EXIT_REASON_VMXON		27
#define EXIT_REASON_CR_ACCESS		28
#define EXIT_REASON_IO			30
#define EXIT_REASON_MSR_READ		31
#define EXIT_REASON_MSR_WRITE		32
#define EXIT_REASON_INVALID_STATE	33
#define EXIT_REASON_MWAIT		36
#define EXIT_REASON_EPT_VIOLATION	48
#define EXIT_REASON_EPT_MISCONFIG	49
#define EXIT_REASON_INVEPT		50
#define EXIT_REASON_INVVPID		53
#define EXIT_REASON_WBINVD		54
#define EXIT_REASON_XSETBV		55
#define EXIT_REASON_ENTRY_FAILED	BIT(31)

static inline u64 vmread(u64 field)
{
	u64 v;

	asm volatile("vmread %1, %0" : "=rm" (v) : "r" (field) : "cc");
	return v;
}

static inline void vmwrite(u64 field, u64 v)
{
	asm volatile("vmwrite %1, %0" : : "r" (field), "rm" (v) : "cc");
}

/* Intercept reads and/or writes of @msr in an MSR bitmap. */
/* One MSR's read and write bits in a 4 KiB MSR bitmap (set: exits). */
static inline void vmx_msr_set(void *map, u32 msr, bool read, bool write)
{
	u32 base = msr < 0x2000 ? 0 : 0x400;
	u8 *bitmap = map, bit;

	if (msr >= 0x2000 && msr - 0xc0000000 >= 0x2000)
		return;		/* outside the bitmap: always exits */
	msr &= 0x1fff;
	bit = 1 << (msr % 8);
	bitmap[base + msr / 8] = read ? bitmap[base + msr / 8] | bit :
				 bitmap[base + msr / 8] & ~bit;
	bitmap[0x800 + base + msr / 8] =
		write ? bitmap[0x800 + base + msr / 8] | bit :
			bitmap[0x800 + base + msr / 8] & ~bit;
}

#endif
