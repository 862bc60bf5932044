// SPDX-License-Identifier: GPL-2.0
/*
 * IOAPIC pins of cells.  A cell's ioapic-pins are its own; the root keeps
 * every other pin.  From the first cell with a pin on an IOAPIC until the
 * last one is gone, that IOAPIC's register page is trapped for the root
 * (its device table) and mapped for no cell (their device tables): the
 * select/window pair is emulated per CPU and replayed on the hardware
 * under the IOAPIC's lock, so another CPU's select cannot come between.
 * See Documentation/device-models.md ("IOAPIC").
 */
#include <string.h>
#include <hv/cell.h>
#include <hv/devmodel.h>
#include <hv/ioapic.h>
#include <hv/printk.h>
#include <asm/vtd_root.h>

#define RTE_RO_BITS	(IOAPIC_RTE_STATUS | IOAPIC_RTE_REMOTE_IRR)
#define RTE_LO_KNOWN	0x0001ffffu	/* bits 31:17 are reserved */

static struct ioapic_chip ioapic_chips[CFG_MAX_IOAPICS];
static unsigned int ioapic_n;

static const struct dev_model ioapic_root_model, ioapic_cell_model;

/* ---- the whitelist ---- */

static bool cell_has_apic_id(const struct cell *c, u32 apic_id)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CELLVISOR_MAX_CPUS; cpu++)
		if (cfg_cpu_test(&c->cfg, cpu) && cell_cpus[cpu].apic_id_valid &&
		    cell_cpus[cpu].apic_id == apic_id)
			return true;
	return false;
}

const char *ioapic_rte_refusal(const struct cell *c, u32 lo, u32 hi)
{
	if (lo & IOAPIC_RTE_MASKED)
		return NULL;
	if (lo & ~RTE_LO_KNOWN)
		return "reserved bits set";
	if (lo & IOAPIC_RTE_DELMODE)
		return "delivery mode other than fixed";
	if (lo & IOAPIC_RTE_LOGICAL)
		return "logical destination mode";
	if ((lo & IOAPIC_RTE_VECTOR) < IOAPIC_VECTOR_MIN)
		return "vector below 0x20";
	if (hi & IOAPIC_RTE_HI_RESERVED)
		return "extended destination bits set";
	if (!cell_has_apic_id(c, hi >> IOAPIC_RTE_DEST_SHIFT))
		return "destination is not a CPU of the cell";
	return NULL;
}

/* ---- pins and chips ---- */

static unsigned int rte_pin(u32 reg)
{
	return (reg - IOAPIC_REG_RTE) / 2;
}

static bool reg_is_rte(const struct ioapic_chip *chip, u32 reg)
{
	return reg >= IOAPIC_REG_RTE && rte_pin(reg) < chip->pins;
}

struct ioapic_chip *ioapic_chip_by_id(u32 id)
{
	unsigned int i;

	for (i = 0; i < ioapic_n; i++)
		if (ioapic_chips[i].id == id)
			return &ioapic_chips[i];
	return NULL;
}

/* The chips of the system config, once: they do not change after enable. */
static int chips_setup(const struct cfg_system *sys, const char **why)
{
	unsigned int i;

	if (ioapic_n)
		return 0;
	for (i = 0; i < sys->n_ioapics && i < CFG_MAX_IOAPICS; i++) {
		if ((sys->ioapics[i].base & (PAGE_SIZE - 1)) ||
		    sys->ioapics[i].pins > CFG_MAX_IOAPIC_PINS) {
			*why = "an IOAPIC of the system config is not at a "
			       "page boundary or has too many pins";
			return -EINVAL;
		}
		ioapic_chips[i].base = sys->ioapics[i].base;
		ioapic_chips[i].id = sys->ioapics[i].id;
		ioapic_chips[i].pins = sys->ioapics[i].pins;
	}
	ioapic_n = i;
	return 0;
}

static bool chip_has_owner(const struct ioapic_chip *chip,
			   const struct cell *except)
{
	unsigned int pin;

	for (pin = 0; pin < chip->pins; pin++)
		if (chip->owner[pin] && chip->owner[pin] != except)
			return true;
	return false;
}

static bool chip_owned_by(const struct ioapic_chip *chip, const struct cell *c)
{
	unsigned int pin;

	for (pin = 0; pin < chip->pins; pin++)
		if (chip->owner[pin] == c)
			return true;
	return false;
}

/* How owner[] names @c: NULL for the root (every pin's owner at enable). */
static const struct cell *owner_key(const struct cell *c)
{
	return cell_is_root(c) ? NULL : c;
}

/*
 * A local APIC's EOI of a level-triggered vector goes to every IOAPIC and
 * clears Remote IRR of each level entry with that vector, whoever's pin it
 * is (only the directed EOI register is the hypervisor's to filter).  So
 * a level entry may not share its vector with a level entry of another
 * owner: one's EOIs would end the other's interrupt early (re-delivered
 * while its handler runs, or lost).  Any entry in the hardware counts,
 * masked too: it may still be in service.
 */
static bool level_vector_elsewhere(const struct cell *owner, u32 vector)
{
	const struct ioapic_chip *chip;
	unsigned int i, pin;
	u32 lo;

	for (i = 0; i < ioapic_n; i++) {
		chip = &ioapic_chips[i];
		for (pin = 0; pin < chip->pins; pin++) {
			if (chip->owner[pin] == owner_key(owner))
				continue;
			lo = ioapic_hw_read(&ioapic_chips[i],
					    IOAPIC_REG_RTE + 2 * pin);
			if ((lo & IOAPIC_RTE_LEVEL) &&
			    (lo & IOAPIC_RTE_VECTOR) == vector)
				return true;
		}
	}
	return false;
}

/*
 * The level rule, one for the root and every cell: why @owner may not
 * have the entry @lo unmasked, or NULL.  Whoever unmasks second is
 * refused (the cell stopped, the root's entry held masked).
 */
static const char *level_rte_refusal(const struct cell *owner, u32 lo)
{
	if ((lo & IOAPIC_RTE_MASKED) || !(lo & IOAPIC_RTE_LEVEL))
		return NULL;
	if (level_vector_elsewhere(owner, lo & IOAPIC_RTE_VECTOR))
		return "level vector shared outside the cell";
	return NULL;
}

/* Is @vector in a hardware entry of a pin that @owner does not have? */
static bool vector_elsewhere(struct ioapic_chip *chip, const struct cell *owner,
			     u32 vector)
{
	unsigned int pin;
	u32 lo;

	for (pin = 0; pin < chip->pins; pin++) {
		if (chip->owner[pin] == owner)
			continue;
		lo = ioapic_hw_read(chip, IOAPIC_REG_RTE + 2 * pin);
		if ((lo & IOAPIC_RTE_VECTOR) == vector)
			return true;
	}
	return false;
}

static void pin_mask(struct ioapic_chip *chip, unsigned int pin)
{
	u32 reg = IOAPIC_REG_RTE + 2 * pin;

	ioapic_hw_write(chip, reg, ioapic_hw_read(chip, reg) |
			IOAPIC_RTE_MASKED);
}

/* ---- the root's accesses ---- */

static void root_say_once(bool *said, const char *what, u32 reg, u64 rip)
{
	if (*said)
		return;
	*said = true;
	pr_err("root cell %s IOAPIC register 0x%x (RIP 0x%lx): dropped\n",
	       what, reg, rip);
}

static u32 root_window_read(struct ioapic_chip *chip, u32 reg)
{
	unsigned int pin = rte_pin(reg);

	/* An entry held by the root's rules reads masked, as it is. */
	if (reg_is_rte(chip, reg) && chip->ir && !chip->owner[pin])
		return reg & 1 ? chip->root_hi[pin] :
		       (chip->root_lo[pin] & ~RTE_RO_BITS) |
		       (ioapic_hw_read(chip, reg) & RTE_RO_BITS) |
		       (chip->root_held[pin] ? IOAPIC_RTE_MASKED : 0);
	if (!reg_is_rte(chip, reg) || !chip->owner[pin])
		return ioapic_hw_read(chip, reg);
	/*
	 * The root's own entry, as it left it, but masked and idle: no
	 * remote IRR for Linux to wait on while the pin is not its.
	 */
	if (reg & 1)
		return chip->root_hi[pin];
	return (chip->root_lo[pin] & ~RTE_RO_BITS) | IOAPIC_RTE_MASKED;
}

#define RTE_HI_REMAP	0x00010000u	/* bit 48: remappable format */
#define APIC_BROADCAST	0xffu

/*
 * The entry the root's pin would have with @val written to @reg: the
 * other half is the root's copy where it keeps one (remapping, or an
 * entry held masked), else the hardware's.
 */
static void root_rte_after(struct ioapic_chip *chip, u32 reg, u32 val,
			   u32 *lo, u32 *hi)
{
	u32 base = reg & ~1u, pin = rte_pin(reg);
	bool copy = chip->ir || chip->root_held[pin];

	*lo = reg & 1 ? (copy ? chip->root_lo[pin] :
			 ioapic_hw_read(chip, base)) : val;
	*hi = reg & 1 ? val : (copy ? chip->root_hi[pin] :
			       ioapic_hw_read(chip, base + 1));
}

/*
 * An unmasked remappable-format entry while the hypervisor does not
 * remap: where no unit remaps either, the unit (or the bus) takes the
 * message as a compatibility one whose destination is the index's low
 * bits, any CPU; where Linux's own unit remaps (iommu.md, "A unit Linux
 * uses") its table decides, which the hypervisor does not see and does
 * not claim to isolate.
 */
static bool root_rte_unremapped(struct ioapic_chip *chip, u32 lo, u32 hi)
{
	return !chip->ir && (hi & RTE_HI_REMAP) &&
	       !(lo & IOAPIC_RTE_MASKED) && !iommu_linux_remaps_irqs();
}

/*
 * Would the root's entry (@lo, @hi) reach a cell's CPU?
 * Only physical compatibility-format entries name an APIC ID here: a
 * remappable entry's destination is in a remapping table (Linux's, read
 * and checked by iommu_root_irq() with remapping on; refused above when
 * no table is in use), and logical xAPIC destinations never match a cell
 * CPU (its real LDR stays 0).
 */
static bool root_rte_hits_cell(u32 lo, u32 hi)
{
	u32 dest, cpu;

	/*
	 * With remapping on, the hypervisor builds the entry from these
	 * fields whatever format bit the root sets: checked all the same.
	 */
	if ((lo & (IOAPIC_RTE_MASKED | IOAPIC_RTE_LOGICAL)) ||
	    (hi & RTE_HI_REMAP))
		return false;
	dest = hi >> IOAPIC_RTE_DEST_SHIFT;
	for (cpu = 0; cpu < CELLVISOR_MAX_CPUS; cpu++)
		if (cell_cpu_given(&cell_cpus[cpu]) &&
		    cell_cpus[cpu].apic_id_valid &&
		    (dest == APIC_BROADCAST || cell_cpus[cpu].apic_id == dest))
			return true;
	return false;
}

/* ---- remappable entries (interrupt remapping on) ---- */

/*
 * Where the entry (@lo, @hi) sends: a compatibility-format entry names
 * it (its owner's check came first); the root's remappable-format entry
 * (Linux's own remapping, emulated) names an entry of Linux's table,
 * read and checked there.  A cell never gets that far (its whitelist
 * refuses bit 48).
 */
static int pin_target(const struct ioapic_chip *chip, u32 lo, u32 hi,
		      bool root, struct iommu_irq *irq, const char **why)
{
	u16 index;
	int err;

	*irq = (struct iommu_irq){
		.dest = hi >> IOAPIC_RTE_DEST_SHIFT,
		.vector = lo & IOAPIC_RTE_VECTOR,
		.dlm = (lo & IOAPIC_RTE_DELMODE) >> 8,
		.logical = lo & IOAPIC_RTE_LOGICAL,
		.level = lo & IOAPIC_RTE_LEVEL,
	};
	if (vtd_rte_index((u64)hi << 32 | lo, &index) == 0) {
		if (!root) {
			*why = "remappable format";
			return -EPERM;
		}
		err = iommu_root_irq(index, irq, why);
		if (err)
			return err;
	}
	irq->sid = iommu_ioapic_sid(chip->id);
	return 0;
}

/*
 * The hardware entry of @pin for the entry (@lo, @hi) its owner wrote:
 * the pin's remapping entry says where (delivery and destination mode
 * as the target says), the IOAPIC keeps vector (the entry's, for EOI),
 * trigger, polarity and mask.  Masked while it changes: never the old
 * entry with the new target; an unchanged entry is not touched (Linux's
 * every invalidation translates every pin again).  A target refused:
 * the pin stays masked, an error only if the owner had it unmasked.
 */
static int pin_remap(struct ioapic_chip *chip, unsigned int pin, u32 lo,
		     u32 hi, bool root, const char **why)
{
	u32 reg = IOAPIC_REG_RTE + 2 * pin;
	struct iommu_irq irq;
	bool same;
	u64 rte;
	int err;

	err = pin_target(chip, lo, hi, root, &irq, why);
	if (err) {
		pin_mask(chip, pin);
		return (lo & IOAPIC_RTE_MASKED) ? 0 : err;
	}
	rte = iommu_irq_rte(chip->irq[pin], irq.vector,
			    lo & IOAPIC_RTE_LEVEL, lo & IOAPIC_RTE_POLARITY,
			    lo & IOAPIC_RTE_MASKED);
	same = ioapic_hw_read(chip, reg + 1) == (u32)(rte >> 32) &&
	       (ioapic_hw_read(chip, reg) & ~RTE_RO_BITS) == (u32)rte;
	if (!same)
		pin_mask(chip, pin);
	err = iommu_irq_set(chip->irq[pin], &irq);
	if (err) {
		pin_mask(chip, pin);
		*why = "its remapping entry could not be written";
		return err;
	}
	if (same)
		return 0;
	ioapic_hw_write(chip, reg + 1, rte >> 32);
	ioapic_hw_write(chip, reg, (u32)rte);
	return 0;
}

/*
 * Why the root's entry (@lo, @hi) may not be unmasked in hardware, or
 * NULL: the rules of its writes (checked again where it wrote the entry
 * while a cell had the pin) and the level rule, the cells' own.
 */
static const char *root_rte_refusal(struct ioapic_chip *chip, u32 lo, u32 hi)
{
	if (root_rte_unremapped(chip, lo, hi))
		return "remappable format while interrupts are not remapped: "
		       "boot Linux with intremap=off";
	if (root_rte_hits_cell(lo, hi))
		return "aimed at a cell's CPU: set the IRQ's affinity to the "
		       "root's CPUs";
	if (level_rte_refusal(&root_cell, lo))
		return "level vector shared outside the cell (a cell's level "
		       "pin has it): destroy that cell, or have it use another "
		       "vector";
	return NULL;
}

/*
 * The root's entry of @pin (root_lo/hi) to the hardware, masked while
 * refused (said once) and tried again at its next write and when a cell
 * leaves; with remapping, through the pin's remapping entry.
 */
static void root_pin_apply(struct ioapic_chip *chip, unsigned int pin)
{
	u32 reg = IOAPIC_REG_RTE + 2 * pin, lo = chip->root_lo[pin];
	const char *why = root_rte_refusal(chip, lo, chip->root_hi[pin]);

	if (why && !chip->root_held[pin])
		pr_err("IOAPIC %u pin %u: root entry left masked: %s\n",
		       chip->id, pin, why);
	chip->root_held[pin] = why != NULL;
	if (why)
		lo |= IOAPIC_RTE_MASKED;
	if (!chip->ir) {
		ioapic_hw_write(chip, reg + 1, chip->root_hi[pin]);
		ioapic_hw_write(chip, reg, lo);
		return;
	}
	if (pin_remap(chip, pin, lo, chip->root_hi[pin], true, &why))
		pr_err("IOAPIC %u pin %u: root entry left masked: %s\n",
		       chip->id, pin, why);
}

static void root_window_write(struct ioapic_chip *chip, u32 reg, u32 val,
			      u64 rip)
{
	static bool said_id, said_pin, said_dest, said_remap;
	unsigned int pin = rte_pin(reg);
	u32 lo, hi;

	if (!reg_is_rte(chip, reg)) {
		if (reg == IOAPIC_REG_ID)
			root_say_once(&said_id, "wrote the ID in", reg, rip);
		else
			ioapic_hw_write(chip, reg, val);
		return;
	}
	root_rte_after(chip, reg, val, &lo, &hi);
	if (!chip->owner[pin] && root_rte_unremapped(chip, lo, hi)) {
		root_say_once(&said_remap, "wrote a remappable-format entry "
			      "while interrupts are not remapped in", reg, rip);
		return;
	}
	if (!chip->owner[pin] && root_rte_hits_cell(lo, hi)) {
		root_say_once(&said_dest, "aimed a pin at a cell's CPU in",
			      reg, rip);
		return;
	}
	/* Through the root's copy where it keeps one or the level rule holds. */
	if (!chip->owner[pin] && (chip->ir || chip->root_held[pin] ||
				  level_rte_refusal(&root_cell, lo))) {
		chip->root_lo[pin] = lo;
		chip->root_hi[pin] = hi;
		root_pin_apply(chip, pin);
		return;
	}
	if (!chip->owner[pin]) {
		ioapic_hw_write(chip, reg, val);
		return;
	}
	/* Kept for destroy, where the pin comes back with it. */
	if (reg & 1)
		chip->root_hi[pin] = val;
	else
		chip->root_lo[pin] = val;
	root_say_once(&said_pin, "wrote a cell's pin in", reg, rip);
}

static enum dev_result root_access(const struct dev_call *call,
				   struct dev_access *a)
{
	struct ioapic_chip *chip = call->priv;
	u64 off = a->addr - call->base;
	static bool said_eoi;
	u8 *sel;

	if (a->size != 4 || !call->pc ||
	    call->pc->cpu_index >= CELLVISOR_MAX_CPUS)
		return DEV_REFUSED;
	sel = &chip->sel[call->pc->cpu_index];
	spin_lock(&chip->lock);
	if (off == IOAPIC_REGSEL && a->write)
		*sel = (u8)a->val;
	else if (off == IOAPIC_REGSEL)
		a->val = *sel;
	else if (off == IOAPIC_IOWIN && a->write)
		root_window_write(chip, *sel, (u32)a->val, call->rip);
	else if (off == IOAPIC_IOWIN)
		a->val = root_window_read(chip, *sel);
	else if (off == IOAPIC_EOI && a->write &&
		 !vector_elsewhere(chip, NULL, (u32)a->val & 0xff))
		ioapic_hw_eoi(chip, (u32)a->val & 0xff);
	else if (off == IOAPIC_EOI && a->write)
		root_say_once(&said_eoi, "EOIed a cell's vector at", 0x40,
			      call->rip);
	else if (off == IOAPIC_EOI)
		a->val = 0;
	else
		off = ~0ULL;
	spin_unlock(&chip->lock);
	return off == ~0ULL ? DEV_REFUSED : DEV_DONE;
}

static const struct dev_model ioapic_root_model = {
	.name = "ioapic-root",
	.access = root_access,
};

/* ---- the cell's accesses ---- */

static u32 cell_window_read(struct ioapic_chip *chip, const struct cell *c,
			    u32 reg)
{
	if (!reg_is_rte(chip, reg))
		return reg <= IOAPIC_REG_ARB ? ioapic_hw_read(chip, reg) : 0;
	if (chip->owner[rte_pin(reg)] == c && chip->ir)
		return reg & 1 ? chip->cell_hi[rte_pin(reg)] :
		       (chip->cell_lo[rte_pin(reg)] & ~RTE_RO_BITS) |
		       (ioapic_hw_read(chip, reg) & RTE_RO_BITS);
	if (chip->owner[rte_pin(reg)] == c)
		return ioapic_hw_read(chip, reg);
	return reg & 1 ? 0 : IOAPIC_RTE_MASKED;
}

/* The cell's entry: the whitelist, then its level vector its own. */
static const char *cell_rte_check(const struct cell *c, u32 lo, u32 hi)
{
	const char *why = ioapic_rte_refusal(c, lo, hi);

	return why ? why : level_rte_refusal(c, lo);
}

/* With remapping: the cell's copy checked, then the pin's entry. */
static const char *cell_window_write_ir(struct ioapic_chip *chip,
					const struct cell *c, u32 reg,
					u32 val)
{
	unsigned int pin = rte_pin(reg);
	u32 lo = reg & 1 ? chip->cell_lo[pin] : val;
	u32 hi = reg & 1 ? val : chip->cell_hi[pin];
	const char *why = cell_rte_check(c, lo & ~RTE_RO_BITS, hi);

	if (why)
		return why;
	chip->cell_lo[pin] = lo;
	chip->cell_hi[pin] = hi;
	if (pin_remap(chip, pin, lo, hi, false, &why))
		return why;
	return NULL;
}

/* The entry @c would have after writing @val to @reg: checked first. */
static const char *cell_window_write(struct ioapic_chip *chip,
				     const struct cell *c, u32 reg, u32 val)
{
	u32 lo, hi, base;
	const char *why;

	if (!reg_is_rte(chip, reg))
		return "not a redirection entry";
	if (chip->owner[rte_pin(reg)] != c)
		return "pin not owned by the cell";
	if (chip->ir)
		return cell_window_write_ir(chip, c, reg, val);
	base = reg & ~1u;
	lo = reg & 1 ? ioapic_hw_read(chip, base) : val;
	hi = reg & 1 ? val : ioapic_hw_read(chip, base + 1);
	why = cell_rte_check(c, lo & ~RTE_RO_BITS, hi);
	if (!why)
		ioapic_hw_write(chip, reg, val);
	return why;
}

static enum dev_result cell_fail_rte(const struct dev_call *call,
				     struct ioapic_chip *chip, u32 reg,
				     u32 val, const char *why)
{
	/* Short: the reason field holds 96 characters. */
	cell_fail(call->pc, "IOAPIC %u reg 0x%x: write 0x%x refused: %s (RIP "
		  "0x%lx)", chip->id, reg, val, why, call->rip);
	return DEV_STOPPED;
}

static enum dev_result cell_access(const struct dev_call *call,
				   struct dev_access *a)
{
	struct ioapic_chip *chip = call->priv;
	u64 off = a->addr - call->base;
	const char *why = NULL;
	u32 reg = 0;
	u8 *sel;

	if (a->size != 4 || off > IOAPIC_EOI ||
	    (off != IOAPIC_REGSEL && off != IOAPIC_IOWIN &&
	     off != IOAPIC_EOI) || call->pc->cpu_index >= CELLVISOR_MAX_CPUS) {
		cell_fail(call->pc, "IOAPIC %u-byte access at offset 0x%lx "
			  "refused (RIP 0x%lx)", a->size, (unsigned long)off,
			  call->rip);
		return DEV_STOPPED;
	}
	sel = &chip->sel[call->pc->cpu_index];
	spin_lock(&chip->lock);
	if (off == IOAPIC_REGSEL && a->write)
		*sel = (u8)a->val;
	else if (off == IOAPIC_REGSEL)
		a->val = *sel;
	else if (off == IOAPIC_IOWIN && a->write)
		why = cell_window_write(chip, call->cell, reg = *sel,
					(u32)a->val);
	else if (off == IOAPIC_IOWIN)
		a->val = cell_window_read(chip, call->cell, *sel);
	/*
	 * Its EOI reaches only vectors that no pin outside it has; others
	 * are dropped, not fatal: the cell cannot know the root's vectors,
	 * and its local APIC's broadcast EOI does the same for its pins.
	 */
	else if (a->write && !vector_elsewhere(chip, call->cell,
					       (u32)a->val & 0xff))
		ioapic_hw_eoi(chip, (u32)a->val & 0xff);
	else if (!a->write)
		a->val = 0;
	spin_unlock(&chip->lock);
	/* Outside the lock: cell_fail() masks the cell's pins under it. */
	return why ? cell_fail_rte(call, chip, reg, (u32)a->val, why) :
		     DEV_DONE;
}

static const struct dev_model ioapic_cell_model = {
	.name = "ioapic",
	.access = cell_access,
};

/* ---- create, quiesce, destroy ---- */

static bool cfg_covers(const struct cfg_cell *cfg, u64 base)
{
	unsigned int i;

	for (i = 0; i < cfg->n_mem; i++)
		if (base < cfg->mem[i].guest + cfg->mem[i].size &&
		    cfg->mem[i].guest < base + PAGE_SIZE)
			return true;
	return false;
}

static int cpus_addressable(const struct cfg_cell *cfg, const char **why)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CELLVISOR_MAX_CPUS; cpu++) {
		if (!cfg_cpu_test(cfg, cpu) || !cell_cpus[cpu].apic_id_valid ||
		    cell_cpus[cpu].apic_id <= 0xff)
			continue;
		*why = "a CPU of the cell has an APIC ID above 255, which an "
		       "IOAPIC entry cannot name without interrupt remapping: "
		       "give the cell other CPUs or no ioapic-pins";
		return -EINVAL;
	}
	return 0;
}

int ioapic_cell_check(const struct cfg_system *sys, const struct cfg_cell *cfg,
		      const char **why)
{
	const struct ioapic_chip *chip;
	unsigned int i;
	int err;

	if (!cfg->n_pin_sets)
		return 0;
	err = chips_setup(sys, why);
	for (i = 0; !err && i < cfg->n_pin_sets; i++) {
		chip = ioapic_chip_by_id(cfg->pin_sets[i].ioapic);
		if (!chip) {
			*why = "ioapic-pins name an IOAPIC the system config "
			       "does not list";
			return -EINVAL;
		}
		if (cfg_covers(cfg, chip->base)) {
			*why = "a memory region of the cell covers the "
			       "register page of an IOAPIC it has pins on: "
			       "remove it (the page is emulated)";
			return -EINVAL;
		}
	}
	return err ? err : cpus_addressable(cfg, why);
}

/* ---- a pin changes owner ---- */

/*
 * A cell's pin starts as after reset: masked, edge, vector 0, so no
 * vector (or Remote IRR) of the last owner's stays in the hardware for
 * the level rule to see.  With remapping the pin keeps its entry index.
 */
static void pin_reset(struct ioapic_chip *chip, unsigned int pin)
{
	u32 reg = IOAPIC_REG_RTE + 2 * pin;
	u64 rte = IOAPIC_RTE_MASKED;

	if (chip->ir)
		rte = iommu_irq_rte(chip->irq[pin], 0, false, false, true);
	pin_mask(chip, pin);
	ioapic_hw_write(chip, reg + 1, rte >> 32);
	ioapic_hw_write(chip, reg, (u32)rte);
	chip->cell_lo[pin] = IOAPIC_RTE_MASKED;
	chip->cell_hi[pin] = 0;
}

/*
 * Under the chip's lock: the root's entry kept when it leaves (with
 * remapping root_lo/hi already are), the pin reset (masked first: never
 * the old owner's entry with the new owner; and written edge, which ends
 * a Remote IRR the old owner left, so the new one's level interrupt is
 * not stuck behind it), then the new owner's entry.
 */
static void pin_owner_set(struct ioapic_chip *chip, unsigned int pin,
			  const struct cell *from, const struct cell *to)
{
	u32 reg = IOAPIC_REG_RTE + 2 * pin;

	if (cell_is_root(from) && !chip->ir && !chip->root_held[pin]) {
		chip->root_lo[pin] = ioapic_hw_read(chip, reg);
		chip->root_hi[pin] = ioapic_hw_read(chip, reg + 1);
	}
	pin_reset(chip, pin);
	chip->owner[pin] = owner_key(to);
	/* Judged again, and said again, when the pin comes back. */
	chip->root_held[pin] = false;
	if (cell_is_root(to))
		root_pin_apply(chip, pin);
}

/*
 * The register page for @to: mapped for the hypervisor, trapped for @to
 * (a cell) and for the root from the first cell's pin on.
 */
static int page_claims(struct ioapic_chip *chip, struct cell *to)
{
	if (!chip->regs && ioapic_hw_map(chip))
		return -ENOMEM;
	if (cell_is_root(to))
		return 0;
	if (!chip->root_trapped) {
		if (cell_root_claim(DEV_SPACE_MMIO, chip->base, PAGE_SIZE,
				    &ioapic_root_model, chip))
			return -ENOSPC;
		chip->root_trapped = true;
	}
	if (dev_claims(to, DEV_SPACE_MMIO, chip->base))
		return 0;
	return dev_claim(to, DEV_SPACE_MMIO, chip->base, PAGE_SIZE,
			 &ioapic_cell_model, chip) ? -ENOSPC : 0;
}

static int page_take(struct ioapic_chip *chip, struct cell *to,
		     const char **why)
{
	int err = page_claims(chip, to);

	if (err)
		*why = "IOAPIC pins could not be handed over (no room to map "
		       "the IOAPIC or in a device table)";
	return err;
}

/*
 * The page released by @c (a cell) once it has no pin of @chip, and by
 * the root once no cell has one (kept with remapping: every pin is the
 * root's through the hypervisor then).
 */
static void page_put(struct ioapic_chip *chip, struct cell *c)
{
	bool owned, last;

	spin_lock(&chip->lock);
	owned = chip_owned_by(chip, owner_key(c));
	last = !chip_has_owner(chip, NULL);
	spin_unlock(&chip->lock);
	if (!cell_is_root(c) && !owned)
		dev_release(c, &ioapic_cell_model, chip);
	if (last && chip->root_trapped && !chip->ir) {
		cell_root_release(&ioapic_root_model, chip);
		chip->root_trapped = false;
	}
}

int ioapic_pin_move(struct ioapic_chip *chip, unsigned int pin,
		    struct cell *from, struct cell *to, const char **why)
{
	int err;

	if (pin >= chip->pins || from == to) {
		*why = "the pin is not on that IOAPIC";
		return -EINVAL;
	}
	err = page_take(chip, to, why);
	spin_lock(&chip->lock);
	if (!err && chip->owner[pin] != owner_key(from)) {
		*why = "an IOAPIC pin belongs to another cell";
		err = -EBUSY;
	}
	if (!err)
		pin_owner_set(chip, pin, from, to);
	spin_unlock(&chip->lock);
	page_put(chip, err ? to : from);
	return err;
}

/* The root's entries held masked, tried again: a cell's pins just left. */
static void root_held_retry(void)
{
	struct ioapic_chip *chip;
	unsigned int i, pin;

	for (i = 0; i < ioapic_n; i++) {
		chip = &ioapic_chips[i];
		spin_lock(&chip->lock);
		for (pin = 0; pin < chip->pins; pin++)
			if (!chip->owner[pin] && chip->root_held[pin])
				root_pin_apply(chip, pin);
		spin_unlock(&chip->lock);
	}
}

int ioapic_cell_create(struct cell *c, const char **why)
{
	const struct cfg_pin_set *set;
	struct ioapic_chip *chip;
	unsigned int i, pin;
	int err = 0;

	for (i = 0; !err && i < c->cfg.n_pin_sets; i++) {
		set = &c->cfg.pin_sets[i];
		chip = ioapic_chip_by_id(set->ioapic);
		if (!chip) {
			*why = "ioapic-pins name an IOAPIC the system config "
			       "does not list";
			err = -EINVAL;
		}
		for (pin = 0; !err && pin < CFG_MAX_IOAPIC_PINS; pin++)
			if (cfg_pin_test(set, pin))
				err = ioapic_pin_move(chip, pin, &root_cell,
						      c, why);
	}
	/* The pins moved so far go back: the root has them all again. */
	if (err)
		ioapic_cell_destroy(c);
	return err;
}

void ioapic_cell_quiesce(struct cell *c)
{
	struct ioapic_chip *chip;
	unsigned int i, pin;

	for (i = 0; i < ioapic_n; i++) {
		chip = &ioapic_chips[i];
		spin_lock(&chip->lock);
		for (pin = 0; pin < chip->pins; pin++)
			if (chip->owner[pin] == c)
				pin_mask(chip, pin);
		spin_unlock(&chip->lock);
	}
}

void ioapic_cell_destroy(struct cell *c)
{
	const char *why;
	unsigned int i, pin;

	for (i = 0; i < ioapic_n; i++)
		for (pin = 0; pin < ioapic_chips[i].pins; pin++)
			if (ioapic_chips[i].owner[pin] == c)
				ioapic_pin_move(&ioapic_chips[i], pin, c,
						&root_cell, &why);
	root_held_retry();
}

int ioapic_cell_pages(const struct cell *c, bool alone,
		      int (*fn)(void *arg, u64 base, u64 size), void *arg)
{
	const struct ioapic_chip *chip;
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < ioapic_n; i++) {
		chip = &ioapic_chips[i];
		/* With remapping the root keeps the page trapped. */
		if (chip_owned_by(chip, c) &&
		    !(alone && (chip_has_owner(chip, c) || chip->ir)))
			err = fn(arg, chip->base, PAGE_SIZE);
	}
	return err;
}

/* ---- interrupt remapping on and off ---- */

/* Every pin of @chip in remappable form, the root's values kept. */
static int chip_ir_on(struct ioapic_chip *chip, const char **why)
{
	unsigned int pin;
	u32 reg;
	int err = 0;

	for (pin = 0; pin < chip->pins; pin++)
		chip->irq[pin] = -1;
	for (pin = 0; !err && pin < chip->pins; pin++) {
		reg = IOAPIC_REG_RTE + 2 * pin;
		chip->root_lo[pin] = ioapic_hw_read(chip, reg);
		chip->root_hi[pin] = ioapic_hw_read(chip, reg + 1);
		chip->irq[pin] = iommu_irq_alloc();
		if (chip->irq[pin] < 0) {
			*why = "no free interrupt remapping entry for an "
			       "IOAPIC pin";
			return -ENOSPC;
		}
		root_pin_apply(chip, pin);
	}
	return err;
}

int ioapic_root_ir_on(const struct cfg_system *sys, const char **why)
{
	struct ioapic_chip *chip;
	unsigned int i;
	int err;

	err = chips_setup(sys, why);
	for (i = 0; !err && i < ioapic_n; i++) {
		chip = &ioapic_chips[i];
		if (!chip->regs && ioapic_hw_map(chip)) {
			*why = "no room to map an IOAPIC";
			return -ENOMEM;
		}
		err = cell_root_claim(DEV_SPACE_MMIO, chip->base, PAGE_SIZE,
				      &ioapic_root_model, chip) ?:
		      ioapic_hw_root_trap(chip);
		if (err) {
			*why = "an IOAPIC page could not be trapped for the "
			       "root";
			return err;
		}
		chip->root_trapped = true;
		spin_lock(&chip->lock);
		chip->ir = true;
		err = chip_ir_on(chip, why);
		spin_unlock(&chip->lock);
		if (!err)
			pr_info("IOAPIC %u: %u pins remapped\n", chip->id,
				chip->pins);
	}
	return err;
}

void ioapic_root_retranslate(void)
{
	struct ioapic_chip *chip;
	unsigned int i, pin;

	for (i = 0; i < ioapic_n; i++) {
		chip = &ioapic_chips[i];
		spin_lock(&chip->lock);
		for (pin = 0; chip->ir && pin < chip->pins; pin++)
			if (!chip->owner[pin])
				root_pin_apply(chip, pin);
		spin_unlock(&chip->lock);
	}
}

/* Masked, high word, low word: Linux's entry back as it wrote it. */
void ioapic_root_ir_off(void)
{
	struct ioapic_chip *chip;
	unsigned int i, pin;
	bool last;
	u32 reg;

	for (i = 0; i < ioapic_n; i++) {
		chip = &ioapic_chips[i];
		if (!chip->ir)
			continue;
		spin_lock(&chip->lock);
		for (pin = 0; pin < chip->pins; pin++) {
			reg = IOAPIC_REG_RTE + 2 * pin;
			pin_mask(chip, pin);
			ioapic_hw_write(chip, reg + 1, chip->root_hi[pin]);
			ioapic_hw_write(chip, reg, chip->root_lo[pin]);
		}
		chip->ir = false;
		last = !chip_has_owner(chip, NULL);
		spin_unlock(&chip->lock);
		if (last && chip->root_trapped) {
			cell_root_release(&ioapic_root_model, chip);
			chip->root_trapped = false;
		}
	}
}
