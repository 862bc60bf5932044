// SPDX-License-Identifier: GPL-2.0
/* Detect Cellvisor by CPUID; hypercalls with the vendor's instruction. */
#include <inmate.h>
#include <cellvisor/header.h>
#include <cellvisor/hypercall.h>

#define CPUID1_ECX_HYPERVISOR	(1U << 31)

static bool cpu_is_amd(void)
{
	uint32_t eax, ebx, ecx, edx;

	cpuid(0, 0, &eax, &ebx, &ecx, &edx);
	/* "AuthenticAMD"; Hygon uses SVM too ("HygonGenuine"). */
	return (ebx == 0x68747541 && edx == 0x69746e65 && ecx == 0x444d4163) ||
	       (ebx == 0x6f677948 && edx == 0x6e65476e && ecx == 0x656e6975);
}

bool cellvisor_present(void)
{
	uint32_t eax, ebx, ecx, edx;

	cpuid(1, 0, &eax, &ebx, &ecx, &edx);
	/* Without the hypervisor bit, leaf 0x40000000 is not ours to read. */
	if (!(ecx & CPUID1_ECX_HYPERVISOR))
		return false;
	cpuid(CELLVISOR_CPUID_SIGNATURE, 0, &eax, &ebx, &ecx, &edx);
	return ebx == CELLVISOR_CPUID_EBX && ecx == CELLVISOR_CPUID_ECX &&
	       edx == CELLVISOR_CPUID_EDX;
}

/*
 * CELLVISOR_HC_INFO questions of ABI 2.2 and later: -ENOSYS without
 * Cellvisor or with an older one, which would stop the cell for an
 * unknown question; so the version is asked first, once.
 */
long long cellvisor_info(uint64_t what)
{
	static long long version = -1;

	if (version == -1)
		version = cellvisor_present() ?
			  cellvisor_hypercall(CELLVISOR_HC_INFO,
					      CELLVISOR_INFO_ABI_VERSION, 0) :
			  -ENOSYS;
	if (version < 0 ||
	    CELLVISOR_ABI_MAJOR_OF(version) != CELLVISOR_ABI_MAJOR ||
	    CELLVISOR_ABI_MINOR_OF(version) < 2)
		return -ENOSYS;
	return cellvisor_hypercall(CELLVISOR_HC_INFO, what, 0);
}

long long cellvisor_hypercall(uint64_t nr, uint64_t arg0, uint64_t arg1)
{
	static int amd = -1;

	if (amd < 0)
		amd = cpu_is_amd();
	if (amd)
		return cellvisor_hc_vmmcall(nr, arg0, arg1);
	return cellvisor_hc_vmcall(nr, arg0, arg1);
}

/*
 * The cell ends here; cellctl list shows "exited" and the status.  Without
 * Cellvisor the port is nobody's: halt as a test on bare hardware would.
 */
void inmate_exit(uint32_t status)
{
	if (cellvisor_present())
		outl(CELLVISOR_EXIT_PORT, status);
	inmate_halt();
}
