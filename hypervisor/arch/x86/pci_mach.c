// SPDX-License-Identifier: GPL-2.0
/*
 * The machine's PCI config space, as the hypervisor reaches it, and the
 * root's configuration mechanism 1 once a cell owns a device.
 *
 * Standard space goes through 0xcf8/0xcfc: the address and the data
 * access are one step under one lock, since every CPU shares the one
 * address register.  The register is put back as it was after each
 * access: a root CPU may be between its CF8 write and its data access
 * when trapping begins (see pci_root_pio).  Extended space goes through
 * ECAM, mapped uncached a bus at a time when first used.
 */
#include <hv/cell.h>
#include <hv/pci.h>
#include <hv/pci_bridge.h>
#include <hv/printk.h>
#include <asm/processor.h>

#define PCI_BUSES		256
#define ECAM_BUS_SIZE		(1ULL << 20)

static spinlock_t cf8_lock;
static bool ecam_has;
static u64 ecam_base;
static u32 ecam_bus_start, ecam_bus_end;
static u8 *ecam_bus[PCI_BUSES];
static spinlock_t ecam_lock;

/* The root's CF8 per CPU; not latched: the CPU wrote it before the trap. */
static u32 root_cf8[CELLVISOR_MAX_CPUS];
static bool root_cf8_latched[CELLVISOR_MAX_CPUS];

void pci_mach_setup(bool has, u64 base, u32 bus_start, u32 bus_end)
{
	ecam_has = has;
	ecam_base = base;
	ecam_bus_start = bus_start;
	ecam_bus_end = bus_end;
}

u64 pci_mach_ecam_page(u16 bdf)
{
	u32 bus = PCI_BDF_BUS(bdf);

	if (!ecam_has || bus < ecam_bus_start || bus > ecam_bus_end)
		return 0;
	return ecam_base + ((u64)bdf << 12);
}

static u32 port_in(u16 port, unsigned int size)
{
	return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

static void port_out(u16 port, unsigned int size, u32 val)
{
	if (size == 1)
		outb(port, val);
	else if (size == 2)
		outw(port, val);
	else
		outl(port, val);
}

/* One access at @addr (a CF8 value), the address register kept. */
static u32 cf8_access(u32 addr, u16 reg, unsigned int size, bool write,
		      u32 val)
{
	u32 old;

	spin_lock(&cf8_lock);
	old = inl(PCI_CF8_PORT);
	outl(PCI_CF8_PORT, addr);
	if (write)
		port_out(PCI_CFC_PORT + (reg & 3), size, val);
	else
		val = port_in(PCI_CFC_PORT + (reg & 3), size);
	outl(PCI_CF8_PORT, old);
	spin_unlock(&cf8_lock);
	return val;
}

static u32 cf8_addr(u16 bdf, u16 reg)
{
	return PCI_CF8_ENABLE | (u32)bdf << 8 | (reg & 0xfc);
}

/* The bus's ECAM, mapped at its first use: NULL without ECAM or room. */
static u8 *ecam_ptr(u16 bdf, u16 reg)
{
	u32 bus = PCI_BDF_BUS(bdf);
	u8 *p;

	if (!pci_mach_ecam_page(bdf))
		return NULL;
	p = READ_ONCE(ecam_bus[bus]);
	if (!p) {
		spin_lock(&ecam_lock);
		if (!ecam_bus[bus])
			ecam_bus[bus] = mmio_map(ecam_base +
						 bus * ECAM_BUS_SIZE,
						 ECAM_BUS_SIZE);
		p = ecam_bus[bus];
		spin_unlock(&ecam_lock);
	}
	return p ? p + ((u32)(bdf & 0xff) << 12) + reg : NULL;
}

static u32 mach_read(u16 bdf, u16 reg, unsigned int size)
{
	u8 *p;

	if (reg < 0x100)
		return cf8_access(cf8_addr(bdf, reg), reg, size, false, 0);
	p = ecam_ptr(bdf, reg);
	if (!p)
		return size == 4 ? 0xffffffff : (1u << (8 * size)) - 1;
	if (size == 1)
		return *(volatile u8 *)p;
	return size == 2 ? *(volatile u16 *)p : *(volatile u32 *)p;
}

static void mach_write(u16 bdf, u16 reg, unsigned int size, u32 val)
{
	u8 *p;

	if (reg < 0x100) {
		cf8_access(cf8_addr(bdf, reg), reg, size, true, val);
		return;
	}
	p = ecam_ptr(bdf, reg);
	if (!p)
		return;
	if (size == 1)
		*(volatile u8 *)p = val;
	else if (size == 2)
		*(volatile u16 *)p = val;
	else
		*(volatile u32 *)p = val;
}

const struct pci_cfg_hw pci_mach = { mach_read, mach_write };

/* ---- the root's mechanism 1 ---- */

/*
 * A data access of the root at @port with @addr latched: a function a
 * cell owns reads all ones and takes no writes; the rest reaches the
 * device, whatever the register (the root's own devices are its own).
 */
static void root_data(u32 addr, u32 port, unsigned int size, bool in,
		      u32 *val)
{
	u16 reg = PCI_CF8_REG(addr) + (port - PCI_CFC_PORT);

	if (!(addr & PCI_CF8_ENABLE) || pci_owned(PCI_CF8_BDF(addr))) {
		if (in)
			*val = pci_all_ones(size);
		return;
	}
	if (pci_root_msi_access(PCI_CF8_BDF(addr), reg, size, !in, val))
		return;
	/* A bridge above a cell's device keeps what routes to it. */
	if (!in && pci_bridge_root_write(&pci_mach, PCI_CF8_BDF(addr), reg,
					 size, *val))
		return;
	if (in)
		*val = cf8_access(addr, reg, size, false, 0);
	else
		cf8_access(addr, reg, size, true, *val);
}

static u32 root_addr(unsigned int cpu)
{
	return root_cf8_latched[cpu] ? root_cf8[cpu] : inl(PCI_CF8_PORT);
}

/*
 * An access that is not naturally aligned (a word at 0xcfb, a dword at
 * 0xcfa or 0xcfe) is what the CPU makes of it on the bus: one byte at a
 * time.  Bytes below 0xcfc are ISA space as before; bytes of the data
 * port go through the latch and the ownership rule, never with whatever
 * address the chipset's register still holds; bytes past 0xcff are not
 * the PCI ports' to serve (another owner may have them): all ones, no
 * write.
 */
static void root_split(unsigned int cpu, u32 port, unsigned int size,
		       bool in, u32 *val)
{
	u32 in_val = 0, b, p;
	unsigned int i;

	for (i = 0; i < size; i++) {
		p = port + i;
		b = in ? 0 : (*val >> (8 * i)) & 0xff;
		if (p < PCI_CFC_PORT) {
			if (in)
				b = inb(p);
			else
				outb(p, b);
		} else if (p < PCI_CF8_PORT + PCI_CF8_PORTS) {
			root_data(root_addr(cpu), p, 1, in, &b);
		} else {
			b = 0xff;
		}
		in_val |= (b & 0xff) << (8 * i);
	}
	if (in)
		*val = in_val;
}

void pci_root_pio(unsigned int cpu, u32 port, unsigned int size, bool in,
		  u32 *val)
{
	if (port & (size - 1)) {
		root_split(cpu, port, size, in, val);
		return;
	}
	if (port == PCI_CF8_PORT && size == 4) {
		if (in) {
			*val = root_addr(cpu);
		} else {
			root_cf8[cpu] = *val & PCI_CF8_MASK;
			root_cf8_latched[cpu] = true;
		}
		return;
	}
	if (port < PCI_CFC_PORT) {
		/* ISA space on a PC (0xcf9: reset control): as before. */
		if (in)
			*val = port_in(port, size);
		else
			port_out(port, size, *val);
		return;
	}
	root_data(root_addr(cpu), port, size, in, val);
}
