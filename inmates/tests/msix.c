// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance inmate: MSI-X of QEMU's e1000e (8086:10d3, Intel 82574L),
 * programmed as on hardware.  Entry 2 of the function's table is routed
 * to this CPU, the NIC's "other" interrupt cause is mapped to entry 2
 * (IVAR), enabled (IMS) and raised (ICS) a few times; each raise must
 * arrive as one interrupt.  In a cell that owns the NIC
 * (configs/x86/pci-msix-qemu.yaml) the table is the hypervisor's model
 * and the message goes through an interrupt remapping entry of the cell.
 *
 * Command line:
 *   hostile=msix   afterwards, entry 3 gets a message aimed at APIC ID
 *                  msi_dest=N (default 0, the root's boot CPU), or the raw
 *                  msix_addr=A / msix_data=D when given (e.g. a crafted
 *                  remappable-format address), and "other" is raised on
 *                  it: the hypervisor must leave the entry masked; the
 *                  inmate says "SURVIVED" with the interrupts it saw on
 *                  the hostile entry's vector (0x42 unless msix_data
 *                  names another).  That vector is not entry 2's: QEMU's
 *                  e1000e raises "other" by itself on a link change
 *                  (LSC is one of its "other" causes in MSI-X mode), and
 *                  such an interrupt through entry 2 is legitimate.
 */
#include <inmate.h>
#include <e1000e.h>

#define MSIX_ENTRY		2
#define MSIX_HOSTILE_ENTRY	3
#define MSIX_VECTOR		0x41
#define MSIX_HOSTILE_VECTOR	0x42
#define MSIX_RAISES		3
#define MSIX_WAIT_NS		1000000000ULL

static volatile uint8_t *nic;
static volatile unsigned int nic_irqs, hostile_irqs;

static void nic_write(unsigned int reg, uint32_t val)
{
	*(volatile uint32_t *)(nic + reg) = val;
}

static void nic_irq(struct int_frame *frame)
{
	(void)frame;
	nic_write(E1000_ICR, 0xffffffff);
	nic_irqs++;
	apic_eoi();
}

/* The hostile entry's message, had it been let through to this CPU. */
static void hostile_irq(struct int_frame *frame)
{
	(void)frame;
	nic_write(E1000_ICR, 0xffffffff);
	hostile_irqs++;
	apic_eoi();
}

/* One raise of "other": true when its interrupt came in time. */
static bool nic_raise(void)
{
	unsigned int want = nic_irqs + 1;
	uint64_t start = rdtsc();

	nic_write(E1000_ICS, E1000_ICR_OTHER);
	while (nic_irqs < want && rdtsc() - start < ns_to_tsc(MSIX_WAIT_NS))
		cpu_relax();
	return nic_irqs >= want;
}

static bool msix_test(uint16_t bdf)
{
	unsigned int entries = 0, i, base;

	nic = (volatile uint8_t *)(uintptr_t)pci_bar_address(bdf, 0);
	pci_enable(bdf, PCI_CMD_MEM | PCI_CMD_MASTER);
	if (!pci_msix_table(bdf, &entries) || apic_init()) {
		printk("msix: no MSI-X table or no APIC\n");
		return false;
	}
	printk("msix: e1000e at %02x:%02x.%x, BAR0 %p, %u MSI-X entries\n",
	       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf), nic, entries);
	int_set_handler(MSIX_VECTOR, nic_irq);
	if (pci_msix_route(bdf, MSIX_ENTRY, apic_id(), MSIX_VECTOR) ||
	    pci_msix_enable(bdf))
		return false;
	nic_write(E1000_IMC, 0xffffffff);
	nic_write(E1000_ICR, 0xffffffff);
	nic_write(E1000_IVAR, E1000_IVAR_OTHER(MSIX_ENTRY));
	nic_write(E1000_IMS, E1000_ICR_OTHER);
	irq_enable();
	/* A message the device held pending (masked) arrives on unmask. */
	udelay(10000);
	base = nic_irqs;
	for (i = 0; i < MSIX_RAISES && nic_raise(); i++)
		;
	printk("msix: entry %u to APIC ID %u vector 0x%x: %u of %u raises "
	       "arrived (%u interrupts)\n", MSIX_ENTRY, apic_id(),
	       MSIX_VECTOR, i, MSIX_RAISES, nic_irqs - base);
	return i == MSIX_RAISES;
}

/* An entry aimed at a CPU that is not ours, and "other" raised on it. */
static void hostile_msix(uint16_t bdf)
{
	uint32_t dest = cmdline_parse_int(inmate_cmdline, "msi_dest", 0);
	uint64_t addr = cmdline_parse_int(inmate_cmdline, "msix_addr",
					  0xfee00000U | dest << 12);
	uint32_t data = cmdline_parse_int(inmate_cmdline, "msix_data",
					  MSIX_HOSTILE_VECTOR);

	/* A crafted data may name an exception vector: no handler there. */
	if ((data & 0xff) >= 0x20 && (data & 0xff) != MSIX_VECTOR)
		int_set_handler(data & 0xff, hostile_irq);
	printk("msix: hostile: entry %u address 0x%llx data 0x%x\n",
	       MSIX_HOSTILE_ENTRY, (unsigned long long)addr, data);
	pci_msix_set(bdf, MSIX_HOSTILE_ENTRY, addr, data);
	nic_write(E1000_IVAR, E1000_IVAR_OTHER(MSIX_HOSTILE_ENTRY));
	nic_write(E1000_ICS, E1000_ICR_OTHER);
	udelay(100000);
	printk("msix: hostile: SURVIVED, %u interrupts here\n", hostile_irqs);
}

void inmate_main(void)
{
	const char *what;
	size_t len;
	bool ok;
	int bdf;

	bdf = pci_find_device(E1000E_VENDOR, E1000E_DEVICE, -1);
	if (bdf < 0) {
		printk("msix: no e1000e\n");
		inmate_exit(1);
	}
	ok = msix_test(bdf);
	printk("msix: e1000e MSI-X %s\n", ok ? "PASS" : "FAILED");
	if (ok && cmdline_find(inmate_cmdline, "hostile", &what, &len) &&
	    len == 4 && !strncmp(what, "msix", 4))
		hostile_msix(bdf);
	irq_disable();
	nic_write(E1000_IMC, 0xffffffff);
	pci_msix_disable(bdf);
	inmate_exit(ok ? 0 : 1);
}
