// SPDX-License-Identifier: GPL-2.0
/* The hypervisor's comm page: platform values and the shutdown handshake. */
#include <inmate.h>
#include <cellvisor/hypercall.h>

#define COMM_PAGE_SIZE		0x1000
#define COMM_ADDR_LIMIT		0x100000000ULL	/* the boot page tables' end */

static struct cellvisor_comm_page *comm;
static bool comm_looked;

/* "comm_page=ADDR" if given, else what the hypervisor says. */
static struct cellvisor_comm_page *comm_find(void)
{
	int64_t addr = cmdline_parse_int(inmate_cmdline, "comm_page", -1);
	struct cellvisor_comm_page *p;

	if (addr < 0)
		addr = cellvisor_info(CELLVISOR_INFO_COMM_PAGE);
	if (addr < 0)
		return NULL;
	if (addr % COMM_PAGE_SIZE || addr >= (int64_t)COMM_ADDR_LIMIT) {
		printk("comm_page=%#lx: not a page below 4 GiB; no comm page\n",
		       addr);
		return NULL;
	}
	p = (struct cellvisor_comm_page *)(uintptr_t)addr;
	if (memcmp(p->signature, CELLVISOR_COMM_SIGNATURE,
		   sizeof(CELLVISOR_COMM_SIGNATURE))) {
		printk("comm_page=%#lx: no Cellvisor signature there; no comm "
		       "page\n", addr);
		return NULL;
	}
	return p;
}

/*
 * The cell learns the page's guest address from its loader or the
 * hypervisor: any guess could touch memory the cell does not own, which
 * stops the cell.
 */
struct cellvisor_comm_page *comm_page(void)
{
	if (!comm_looked) {
		comm = comm_find();
		comm_looked = true;
	}
	return comm;
}

/* msg_to_cell is read first: the hypervisor clears the reply, then asks. */
bool comm_shutdown_requested(void)
{
	struct cellvisor_comm_page *p = comm_page();

	return p && p->msg_to_cell == CELLVISOR_COMM_SHUTDOWN_REQ &&
	       p->reply_from_cell == CELLVISOR_COMM_NONE;
}

/* The first answer counts: several CPUs may answer the same request. */
bool comm_shutdown_reply(bool agree)
{
	struct cellvisor_comm_page *p = comm_page();
	uint32_t none = CELLVISOR_COMM_NONE;

	if (!comm_shutdown_requested())
		return false;
	return __atomic_compare_exchange_n(&p->reply_from_cell, &none,
					   agree ? CELLVISOR_COMM_SHUTDOWN_OK :
					   CELLVISOR_COMM_SHUTDOWN_DENIED,
					   false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

/* Spins, so the answer comes at once; the cell's CPU has nothing to do. */
void comm_wait_for_shutdown(void)
{
	while (comm_page() && !comm_shutdown_reply(true))
		cpu_relax();
	inmate_halt();
}

uint32_t comm_tsc_khz(void)
{
	return comm_page() ? comm_page()->tsc_khz : 0;
}

uint32_t comm_apic_khz(void)
{
	return comm_page() ? comm_page()->apic_khz : 0;
}

uint32_t comm_num_cpus(void)
{
	return comm_page() ? comm_page()->num_cpus : 0;
}
