// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hypervisor/arch/x86/dev/ioapic.c on a fake IOAPIC (24
 * pins, version 0x20): the cell's redirection-entry whitelist, the
 * select/window emulation for the root and a cell through the registry,
 * EOI rules, and the pins' way to a cell and back.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <hv/cell.h>
#include <hv/devmodel.h>
#include <hv/ioapic.h>
#include "fakes/irt.h"

#define BASE		0xfec00000ULL
#define PINS		24
#define ROOT_LO		0x0000a041u	/* level, low active, vector 0x41 */
#define ROOT_HI		0x00000000u	/* APIC ID 0 */
#define CELL_VEC	0x33u

struct cell_cpu cell_cpus[CELLVISOR_MAX_CPUS];

/* ---- the fake hardware and what ioapic.c calls around it ---- */

static u32 hw[0x10 + 2 * PINS];
static u32 eois[8];
static unsigned int n_eois;
static u32 fake_regs;

u32 ioapic_hw_read(struct ioapic_chip *chip, u32 reg)
{
	(void)chip;
	return reg < ARRAY_SIZE(hw) ? hw[reg] : 0;
}

void ioapic_hw_write(struct ioapic_chip *chip, u32 reg, u32 val)
{
	(void)chip;
	if (reg == IOAPIC_REG_VER || reg == IOAPIC_REG_ARB ||
	    reg >= ARRAY_SIZE(hw))
		return;
	if (reg >= IOAPIC_REG_RTE && !(reg & 1))
		val = (val & ~0x5000u) | (hw[reg] & 0x5000u);
	/* As QEMU's: an edge entry has no Remote IRR. */
	if (reg >= IOAPIC_REG_RTE && !(reg & 1) && !(val & IOAPIC_RTE_LEVEL))
		val &= ~IOAPIC_RTE_REMOTE_IRR;
	hw[reg] = val;
}

void ioapic_hw_eoi(struct ioapic_chip *chip, u32 vector)
{
	(void)chip;
	if (n_eois < ARRAY_SIZE(eois))
		eois[n_eois++] = vector;
}

int ioapic_hw_map(struct ioapic_chip *chip)
{
	chip->regs = (volatile u32 *)&fake_regs;
	return 0;
}

static char reason[256];
static struct cell cell_a, cell_b;
struct cell root_cell;
static int root_claims;

void cell_fail(struct per_cpu *pc, const char *fmt, ...)
{
	va_list ap;

	(void)pc;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
}

/* The console: the last line and how many lines said "left masked". */
static char said[256];
static int n_held_said;

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(said, sizeof(said), fmt, ap);
	va_end(ap);
	if (strstr(said, "root entry left masked"))
		n_held_said++;
}

/* The root's table is a cell's table here, without its lock. */
int cell_root_claim(enum dev_space space, u64 base, u64 len,
		    const struct dev_model *m, void *priv)
{
	root_claims++;
	return dev_claim(&root_cell, space, base, len, m, priv);
}

void cell_root_release(const struct dev_model *m, void *priv)
{
	root_claims--;
	dev_release(&root_cell, m, priv);
}

/* ---- the remapping table: fakes/irt.c, and the IOAPIC's side of it ---- */

/* The real layout (vtd.c's builder is tested in vtd.c). */
u64 iommu_irq_rte(int index, u8 vector, bool level, bool active_low,
		  bool masked)
{
	return vector | (active_low ? BIT(13) : 0) | (level ? BIT(15) : 0) |
	       (masked ? BIT(16) : 0) | BIT_ULL(48) | (u64)index << 49;
}

u16 iommu_ioapic_sid(u32 id)
{
	return 0xff00 | id;
}


/* Linux's own unit remaps (the unit left to it): set by a test. */
static bool linux_remaps;

bool iommu_linux_remaps_irqs(void)
{
	return linux_remaps;
}

int ioapic_hw_root_trap(struct ioapic_chip *chip)
{
	(void)chip;
	return 0;
}

/* The registry's section needs a model in it. */
static const struct dev_model none_model = { .name = "none" };
DEV_MODEL(none_model);

/* ---- helpers ---- */

static struct per_cpu pcs[3];
static struct cfg_system sys;

static void cell_setup(struct cell *c, unsigned int cpu, unsigned int pin)
{
	memset(c, 0, sizeof(*c));
	c->cfg.cpus[0] = 1ULL << cpu;
	c->cfg.n_pin_sets = 1;
	c->cfg.pin_sets[0].ioapic = 0;
	c->cfg.pin_sets[0].pins[pin / 32] = 1u << (pin % 32);
}

static void setup(void)
{
	unsigned int i;
	const char *why = NULL;

	memset(hw, 0, sizeof(hw));
	hw[IOAPIC_REG_VER] = (PINS - 1) << 16 | 0x20;
	for (i = 0; i < PINS; i++)
		hw[IOAPIC_REG_RTE + 2 * i] = IOAPIC_RTE_MASKED;
	hw[IOAPIC_REG_RTE + 2 * 3] = ROOT_LO;
	hw[IOAPIC_REG_RTE + 2 * 3 + 1] = ROOT_HI;
	hw[IOAPIC_REG_RTE + 2 * 4] = 0x41;	/* the root's pin 4 */
	n_eois = 0;
	reason[0] = 0;
	said[0] = 0;
	n_held_said = 0;
	root_claims = 0;
	memset(&root_cell, 0, sizeof(root_cell));
	for (i = 0; i < 3; i++) {
		pcs[i].cpu_index = i;
		cell_cpus[i].apic_id = i;
		cell_cpus[i].apic_id_valid = true;
		cell_cpus[i].cell = &root_cell;
	}
	memset(&sys, 0, sizeof(sys));
	sys.n_ioapics = 1;
	sys.ioapics[0].id = 0;
	sys.ioapics[0].base = BASE;
	sys.ioapics[0].pins = PINS;
	cell_setup(&cell_a, 1, 3);
	cell_setup(&cell_b, 2, 3);
	ck_assert_int_eq(ioapic_cell_check(&sys, &cell_a.cfg, &why), 0);
}

/* Without CK_FORK the chips' owners would outlive a test. */
static void teardown(void)
{
	ioapic_cell_destroy(&cell_a);
	ioapic_cell_destroy(&cell_b);
}

static int access(struct cell *c, unsigned int cpu, u64 off, bool write,
		  u64 *val, unsigned int size)
{
	struct dev_access a = { DEV_SPACE_MMIO, BASE + off, size, write,
				write ? *val : 0 };
	int res = dev_dispatch(&pcs[cpu], c, 0x1234, &a);

	if (!write)
		*val = a.val;
	return res;
}

static int wr(struct cell *c, unsigned int cpu, u32 reg, u32 val)
{
	u64 v = reg;
	int res = access(c, cpu, IOAPIC_REGSEL, true, &v, 4);

	ck_assert_int_eq(res, DEV_DONE);
	v = val;
	return access(c, cpu, IOAPIC_IOWIN, true, &v, 4);
}

static u32 rd(struct cell *c, unsigned int cpu, u32 reg)
{
	u64 v = reg;

	ck_assert_int_eq(access(c, cpu, IOAPIC_REGSEL, true, &v, 4),
			 DEV_DONE);
	ck_assert_int_eq(access(c, cpu, IOAPIC_IOWIN, false, &v, 4), DEV_DONE);
	return v;
}

static void create_a(void)
{
	const char *why = NULL;

	ck_assert_int_eq(ioapic_cell_create(&cell_a, &why), 0);
}

/* ---- the whitelist ---- */

START_TEST(rte_whitelist)
{
	static const struct { u32 lo, hi; const char *why; } cases[] = {
		{ CELL_VEC, 1u << 24, NULL },
		/* level, low active: the cell's choice */
		{ CELL_VEC | 0xa000, 1u << 24, NULL },
		/* masked: anything */
		{ IOAPIC_RTE_MASKED | 0x700, 0xffffffff, NULL },
		{ CELL_VEC, 0, "destination is not a CPU of the cell" },
		{ CELL_VEC, 2u << 24, "destination is not a CPU of the cell" },
		{ CELL_VEC, 0xffu << 24, "destination is not a CPU" },
		{ CELL_VEC | 0x100, 1u << 24, "delivery mode" },	/* lowest */
		{ CELL_VEC | 0x400, 1u << 24, "delivery mode" },	/* NMI */
		{ CELL_VEC | 0x700, 1u << 24, "delivery mode" },	/* ExtINT */
		{ CELL_VEC | 0x800, 1u << 24, "logical" },
		{ 0x1f, 1u << 24, "vector below 0x20" },
		{ 0x02, 1u << 24, "vector below 0x20" },
		{ CELL_VEC, 1u << 24 | 1u << 16, "extended destination" },
		{ CELL_VEC | 1u << 17, 1u << 24, "reserved bits" },
	};
	const char *why;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		why = ioapic_rte_refusal(&cell_a, cases[i].lo, cases[i].hi);
		if (!cases[i].why)
			ck_assert_msg(!why, "case %u: %s", i, why);
		else
			ck_assert_msg(why && strstr(why, cases[i].why),
				      "case %u: %s", i, why ? why : "accepted");
	}
}
END_TEST

/* ---- create, the cell's view ---- */

START_TEST(create_masks_and_traps)
{
	create_a();
	/* As after reset: masked, edge, vector 0; nothing of the root's. */
	ck_assert_uint_eq(hw[0x16], IOAPIC_RTE_MASKED);
	ck_assert_uint_eq(hw[0x17], 0);
	ck_assert_int_eq(root_claims, 1);
	ck_assert(dev_claims(&root_cell, DEV_SPACE_MMIO, BASE + 0x10));
	ck_assert(dev_claims(&cell_a, DEV_SPACE_MMIO, BASE + 0x40));
	/* The pin is taken: a second cell with it is refused. */
	{
		const char *why = NULL;

		ck_assert_int_eq(ioapic_cell_create(&cell_b, &why), -EBUSY);
		ck_assert_ptr_nonnull(why);
	}
	ck_assert_uint_eq(hw[0x16], IOAPIC_RTE_MASKED);
	ck_assert_int_eq(root_claims, 1);
}
END_TEST

START_TEST(cell_programs_its_pin)
{
	create_a();
	ck_assert_int_eq(wr(&cell_a, 1, 0x17, 1u << 24), DEV_DONE);
	ck_assert_int_eq(wr(&cell_a, 1, 0x16, CELL_VEC), DEV_DONE);
	ck_assert_uint_eq(hw[0x16], CELL_VEC);
	ck_assert_uint_eq(hw[0x17], 1u << 24);
	ck_assert_uint_eq(rd(&cell_a, 1, 0x16), CELL_VEC);
	ck_assert_uint_eq(rd(&cell_a, 1, IOAPIC_REG_VER), (PINS - 1) << 16 |
			  0x20);
	/* Other pins: masked and empty, whatever the root has. */
	ck_assert_uint_eq(rd(&cell_a, 1, 0x18), IOAPIC_RTE_MASKED);
	ck_assert_uint_eq(rd(&cell_a, 1, 0x19), 0);
	ck_assert_str_eq(reason, "");
}
END_TEST

START_TEST(cell_refused_writes_stop_it)
{
	static const struct { u32 reg, val; const char *why; } cases[] = {
		{ 0x18, IOAPIC_RTE_MASKED, "pin not owned by the cell" },
		{ 0x19, 1u << 24, "pin not owned by the cell" },
		{ 0x10 + 2 * PINS, 0, "not a redirection entry" },
		{ IOAPIC_REG_ID, 0x0f000000, "not a redirection entry" },
		/* its pin at the root's CPU (high word while unmasked) */
		{ 0x17, 0, "destination is not a CPU of the cell" },
	};
	unsigned int i;

	create_a();
	ck_assert_int_eq(wr(&cell_a, 1, 0x17, 1u << 24), DEV_DONE);
	ck_assert_int_eq(wr(&cell_a, 1, 0x16, CELL_VEC), DEV_DONE);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		reason[0] = 0;
		ck_assert_int_eq(wr(&cell_a, 1, cases[i].reg, cases[i].val),
				 DEV_STOPPED);
		ck_assert_msg(strstr(reason, cases[i].why), "case %u: %s", i,
			      reason);
	}
	/* Nothing reached the hardware. */
	ck_assert_uint_eq(hw[0x17], 1u << 24);
	ck_assert_uint_eq(hw[0x18], 0x41);
	ck_assert_uint_eq(hw[IOAPIC_REG_ID], 0);
}
END_TEST

/* A cell's level pin never shares its vector with a level pin elsewhere. */
START_TEST(cell_level_vector_its_own)
{
	create_a();
	ck_assert_int_eq(wr(&cell_a, 1, 0x17, 1u << 24), DEV_DONE);
	hw[0x18] = 0x41 | IOAPIC_RTE_LEVEL;	/* the root's pin 4: level */
	reason[0] = 0;
	ck_assert_int_eq(wr(&cell_a, 1, 0x16, 0x41 | IOAPIC_RTE_LEVEL),
			 DEV_STOPPED);
	ck_assert_ptr_nonnull(strstr(reason, "level vector shared"));
	ck_assert_uint_eq(hw[0x16] & IOAPIC_RTE_MASKED, IOAPIC_RTE_MASKED);
	/* edge on that vector, or level on another: its own business */
	ck_assert_int_eq(wr(&cell_a, 1, 0x16, 0x41), DEV_DONE);
	ck_assert_int_eq(wr(&cell_a, 1, 0x16, 0x42 | IOAPIC_RTE_LEVEL),
			 DEV_DONE);
	ck_assert_uint_eq(hw[0x16], 0x42 | IOAPIC_RTE_LEVEL);
	/* masked: anything */
	ck_assert_int_eq(wr(&cell_a, 1, 0x16, 0x41 | IOAPIC_RTE_LEVEL |
			    IOAPIC_RTE_MASKED), DEV_DONE);
}
END_TEST

START_TEST(cell_odd_accesses_stop_it)
{
	u64 v = 0;

	create_a();
	ck_assert_int_eq(access(&cell_a, 1, IOAPIC_REGSEL, true, &v, 1),
			 DEV_STOPPED);
	ck_assert_ptr_nonnull(strstr(reason, "1-byte access at offset 0x0"));
	ck_assert_int_eq(access(&cell_a, 1, 0x20, false, &v, 4), DEV_STOPPED);
	ck_assert_ptr_nonnull(strstr(reason, "offset 0x20"));
}
END_TEST

/* A select of one CPU does not move another's window. */
START_TEST(select_is_per_cpu)
{
	u64 v;

	create_a();
	v = 0x18;
	access(&root_cell, 0, IOAPIC_REGSEL, true, &v, 4);
	v = 0x16;
	access(&cell_a, 1, IOAPIC_REGSEL, true, &v, 4);
	access(&root_cell, 0, IOAPIC_IOWIN, false, &v, 4);
	ck_assert_uint_eq(v, 0x41);
	access(&root_cell, 0, IOAPIC_REGSEL, false, &v, 4);
	ck_assert_uint_eq(v, 0x18);
}
END_TEST

/* ---- the root's view ---- */

START_TEST(root_sees_cell_pin_masked_and_keeps_its_writes)
{
	create_a();
	wr(&cell_a, 1, 0x17, 1u << 24);
	wr(&cell_a, 1, 0x16, CELL_VEC);
	ck_assert_uint_eq(rd(&root_cell, 0, 0x16), ROOT_LO | IOAPIC_RTE_MASKED);
	ck_assert_uint_eq(rd(&root_cell, 0, 0x17), ROOT_HI);
	/* A remote IRR the root's entry had at create does not show. */
	ck_assert_int_eq(wr(&root_cell, 0, 0x16, ROOT_LO | IOAPIC_RTE_REMOTE_IRR),
			 DEV_DONE);
	ck_assert_uint_eq(rd(&root_cell, 0, 0x16), ROOT_LO | IOAPIC_RTE_MASKED);
	/* Kept for destroy, not in the hardware. */
	ck_assert_int_eq(wr(&root_cell, 0, 0x16, 0x0000a051), DEV_DONE);
	ck_assert_uint_eq(hw[0x16], CELL_VEC);
	ck_assert_uint_eq(rd(&root_cell, 0, 0x16), 0x0000a051 | IOAPIC_RTE_MASKED);
	/* Its own pins and the ID: hardware, the ID write dropped. */
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, 0x42), DEV_DONE);
	ck_assert_uint_eq(hw[0x18], 0x42);
	ck_assert_int_eq(wr(&root_cell, 0, IOAPIC_REG_ID, 0x0f000000), DEV_DONE);
	ck_assert_uint_eq(hw[IOAPIC_REG_ID], 0);
	ck_assert_str_eq(reason, "");
	/* Destroy: the root's latest entry, the page given back. */
	ioapic_cell_destroy(&cell_a);
	ck_assert_uint_eq(hw[0x16], 0x0000a051);
	ck_assert_uint_eq(hw[0x17], ROOT_HI);
	ck_assert_int_eq(root_claims, 0);
	ck_assert(!dev_claims(&root_cell, DEV_SPACE_MMIO, BASE));
	ck_assert(!dev_claims(&cell_a, DEV_SPACE_MMIO, BASE));
}
END_TEST

/* The root's own pins: not at a CPU a cell has (physical, compatibility). */
START_TEST(root_pin_not_at_a_cell_cpu)
{
	create_a();
	cell_cpus[1].cell = &cell_a;
	/* Masked first, then aimed at APIC ID 1 (the cell's): dropped. */
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, 0x42 | IOAPIC_RTE_MASKED),
			 DEV_DONE);
	ck_assert_int_eq(wr(&root_cell, 0, 0x19, 1u << 24), DEV_DONE);
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, 0x42), DEV_DONE);
	ck_assert_uint_eq(hw[0x18], 0x42 | IOAPIC_RTE_MASKED);
	/* Broadcast (0xff): dropped too. */
	ck_assert_int_eq(wr(&root_cell, 0, 0x19, 0xffu << 24), DEV_DONE);
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, 0x42), DEV_DONE);
	ck_assert_uint_eq(hw[0x18], 0x42 | IOAPIC_RTE_MASKED);
	/* Its own CPU, a logical or a remappable entry: to the hardware. */
	ck_assert_int_eq(wr(&root_cell, 0, 0x19, 0), DEV_DONE);
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, 0x42), DEV_DONE);
	ck_assert_uint_eq(hw[0x18], 0x42);
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, 0x42 | IOAPIC_RTE_MASKED),
			 DEV_DONE);
	ck_assert_int_eq(wr(&root_cell, 0, 0x19, 1u << 24 | 1u << 16), DEV_DONE);
	/* Remappable through Linux's own unit: its table decides. */
	linux_remaps = true;
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, 0x42), DEV_DONE);
	ck_assert_uint_eq(hw[0x18], 0x42);
	linux_remaps = false;
	ck_assert_int_eq(wr(&root_cell, 0, 0x19, 0x02000000), DEV_DONE);
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, 0x42 | IOAPIC_RTE_LOGICAL),
			 DEV_DONE);
	ck_assert_uint_eq(hw[0x18], 0x42 | IOAPIC_RTE_LOGICAL);
	cell_cpus[1].cell = &root_cell;
}
END_TEST

/*
 * A remappable-format entry with no unit remapping: the message would be
 * taken in compatibility format, the index's low bits as destination
 * (any CPU, a cell's too): never unmasked, whatever the destination.
 */
START_TEST(root_remappable_without_remapping)
{
	create_a();
	cell_cpus[1].cell = &cell_a;
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, 0x42 | IOAPIC_RTE_MASKED),
			 DEV_DONE);
	/* Index bits only (destination field 0, the root's CPU): refused. */
	ck_assert_int_eq(wr(&root_cell, 0, 0x19, 1u << 16 | 1u << 17), DEV_DONE);
	ck_assert_uint_eq(hw[0x19], 1u << 16 | 1u << 17);
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, 0x42), DEV_DONE);
	ck_assert_uint_eq(hw[0x18], 0x42 | IOAPIC_RTE_MASKED);
	/* Masked writes still pass; compatibility format again works. */
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, 0x43 | IOAPIC_RTE_MASKED),
			 DEV_DONE);
	ck_assert_uint_eq(hw[0x18], 0x43 | IOAPIC_RTE_MASKED);
	ck_assert_int_eq(wr(&root_cell, 0, 0x19, 0), DEV_DONE);
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, 0x43), DEV_DONE);
	ck_assert_uint_eq(hw[0x18], 0x43);
	/* Kept while the cell has the pin: checked when it comes back. */
	ck_assert_int_eq(wr(&root_cell, 0, 0x17, 1u << 16), DEV_DONE);
	ck_assert_int_eq(wr(&root_cell, 0, 0x16, 0x0000a051), DEV_DONE);
	ioapic_cell_destroy(&cell_a);
	ck_assert_uint_eq(hw[0x17], 1u << 16);
	ck_assert(hw[0x16] & IOAPIC_RTE_MASKED);
	cell_cpus[1].cell = &root_cell;
}
END_TEST

START_TEST(eoi_only_of_own_vectors)
{
	u64 v;

	create_a();
	wr(&cell_a, 1, 0x17, 1u << 24);
	wr(&cell_a, 1, 0x16, CELL_VEC | IOAPIC_RTE_LEVEL);
	/* The root: not the cell's vector; its own passes. */
	v = CELL_VEC;
	ck_assert_int_eq(access(&root_cell, 0, IOAPIC_EOI, true, &v, 4), DEV_DONE);
	v = 0x41;
	ck_assert_int_eq(access(&root_cell, 0, IOAPIC_EOI, true, &v, 4), DEV_DONE);
	ck_assert_uint_eq(n_eois, 1);
	ck_assert_uint_eq(eois[0], 0x41);
	/* The cell: its vector passes, the root's is dropped. */
	v = CELL_VEC;
	ck_assert_int_eq(access(&cell_a, 1, IOAPIC_EOI, true, &v, 4),
			 DEV_DONE);
	v = 0x41;
	ck_assert_int_eq(access(&cell_a, 1, IOAPIC_EOI, true, &v, 4),
			 DEV_DONE);
	ck_assert_uint_eq(n_eois, 2);
	ck_assert_uint_eq(eois[1], CELL_VEC);
}
END_TEST

START_TEST(quiesce_masks)
{
	create_a();
	wr(&cell_a, 1, 0x17, 1u << 24);
	wr(&cell_a, 1, 0x16, CELL_VEC);
	ioapic_cell_quiesce(&cell_a);
	ck_assert_uint_eq(hw[0x16], CELL_VEC | IOAPIC_RTE_MASKED);
	ioapic_cell_destroy(&cell_a);
}
END_TEST

static int count_page(void *arg, u64 base, u64 size)
{
	(void)base;
	(void)size;
	(*(int *)arg)++;
	return 0;
}

/* The page goes back to the root only with the last cell on it. */
START_TEST(page_back_with_the_last_cell)
{
	const char *why = NULL;
	int n = 0;

	cell_setup(&cell_b, 2, 5);
	create_a();
	ck_assert_int_eq(ioapic_cell_create(&cell_b, &why), 0);
	ck_assert_int_eq(root_claims, 1);
	ioapic_cell_pages(&cell_a, false, count_page, &n);
	ck_assert_int_eq(n, 1);
	n = 0;
	ioapic_cell_pages(&cell_a, true, count_page, &n);
	ck_assert_int_eq(n, 0);
	ioapic_cell_destroy(&cell_a);
	ck_assert_int_eq(root_claims, 1);
	ck_assert(dev_claims(&root_cell, DEV_SPACE_MMIO, BASE));
	ioapic_cell_pages(&cell_b, true, count_page, &n);
	ck_assert_int_eq(n, 1);
	ioapic_cell_destroy(&cell_b);
	ck_assert_int_eq(root_claims, 0);
}
END_TEST

/* Checks before create: the page unmapped, IDs the entry can name. */
START_TEST(check_refusals)
{
	const char *why = NULL;

	cell_a.cfg.n_mem = 1;
	cell_a.cfg.mem[0].guest = BASE;
	cell_a.cfg.mem[0].size = 0x1000;
	ck_assert_int_eq(ioapic_cell_check(&sys, &cell_a.cfg, &why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "covers the register page"));
	cell_a.cfg.n_mem = 0;
	cell_cpus[1].apic_id = 256;
	ck_assert_int_eq(ioapic_cell_check(&sys, &cell_a.cfg, &why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "APIC ID above 255"));
	cell_a.cfg.pin_sets[0].ioapic = 7;
	ck_assert_int_eq(ioapic_cell_check(&sys, &cell_a.cfg, &why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "does not list"));
}
END_TEST

/* ---- interrupt remapping: every pin through an entry ---- */

#define RTE_HI_IF	BIT(16)		/* bit 48: remappable format */

static int pin_index(unsigned int pin)
{
	return hw[IOAPIC_REG_RTE + 2 * pin + 1] >> 17;
}

static void ir_on(void)
{
	const char *why = NULL;

	fake_irt_reset();
	ck_assert_int_eq(ioapic_root_ir_on(&sys, &why), 0);
}

START_TEST(ir_rewrites_every_pin)
{
	unsigned int pin;
	int idx;

	ir_on();
	ck_assert_int_eq(root_claims, 1);
	for (pin = 0; pin < PINS; pin++)
		ck_assert_msg(hw[IOAPIC_REG_RTE + 2 * pin + 1] & RTE_HI_IF,
			      "pin %u not remappable", pin);
	/* pin 3: level, active low, vector 0x41 at APIC ID 0 */
	idx = pin_index(3);
	ck_assert_uint_eq(hw[0x16] & 0xff, 0x41);
	ck_assert_uint_eq(hw[0x16] & (IOAPIC_RTE_LEVEL | IOAPIC_RTE_POLARITY |
				      IOAPIC_RTE_MASKED),
			  IOAPIC_RTE_LEVEL | IOAPIC_RTE_POLARITY);
	ck_assert_uint_eq(irt[idx].vector, 0x41);
	ck_assert(irt[idx].level && !irt[idx].logical);
	ck_assert_uint_eq(irt[idx].dest, 0);
	ck_assert_uint_eq(irt[idx].sid, 0xff00);
	/* masked pins stay masked, each with its own entry */
	ck_assert(hw[0x10] & IOAPIC_RTE_MASKED);
	ck_assert_int_ne(pin_index(0), pin_index(1));
	/* the root reads what it wrote */
	ck_assert_uint_eq(rd(&root_cell, 0, 0x16), ROOT_LO);
	ck_assert_uint_eq(rd(&root_cell, 0, 0x17), ROOT_HI);
	ck_assert_uint_eq(rd(&root_cell, 0, 0x18), 0x41);
	ioapic_root_ir_off();
}
END_TEST

START_TEST(ir_root_writes_translated)
{
	int idx;

	ir_on();
	idx = pin_index(4);
	/* a new target: logical, lowest priority, the root's to choose */
	ck_assert_int_eq(wr(&root_cell, 0, 0x19, 0x03000000), DEV_DONE);
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, 0x951), DEV_DONE);
	ck_assert_uint_eq(irt[idx].vector, 0x51);
	ck_assert_uint_eq(irt[idx].dest, 3);
	ck_assert(irt[idx].logical && irt[idx].dlm == 1);
	ck_assert_uint_eq(hw[0x18] & 0xff, 0x51);
	ck_assert(hw[0x19] & RTE_HI_IF);
	ck_assert_uint_eq(pin_index(4), idx);
	ck_assert_uint_eq(rd(&root_cell, 0, 0x18), 0x951);
	ck_assert_uint_eq(rd(&root_cell, 0, 0x19), 0x03000000);
	/*
	 * Dressed as remappable: an index of Linux's table (128 here),
	 * which has no such entry: the pin stays masked, its entry as it
	 * was; Linux reads back what it wrote.
	 */
	cell_cpus[1].cell = &cell_a;
	ck_assert_int_eq(wr(&root_cell, 0, 0x19, 1u << 24 | RTE_HI_IF), DEV_DONE);
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, 0x52), DEV_DONE);
	ck_assert_uint_eq(irt[idx].vector, 0x51);
	ck_assert(hw[0x18] & IOAPIC_RTE_MASKED);
	ck_assert_uint_eq(rd(&root_cell, 0, 0x18), 0x52);
	cell_cpus[1].cell = &root_cell;
	/* off: Linux's latest values in the hardware */
	ioapic_root_ir_off();
	ck_assert_uint_eq(hw[0x18], 0x52);
	ck_assert_uint_eq(hw[0x19], 1u << 24 | RTE_HI_IF);
	ck_assert_uint_eq(hw[0x16], ROOT_LO);
	ck_assert_uint_eq(hw[0x17], ROOT_HI);
	ck_assert_int_eq(root_claims, 0);
}
END_TEST

/*
 * Linux's own remapping emulated: the root's remappable entry (index 5
 * of Linux's table) becomes the pin's entry with that entry's target;
 * the pin keeps its own index, the vector of the entry (EOI matching),
 * Linux's trigger, polarity and mask; Linux reads what it wrote.  An
 * invalidation re-translates; a refused target keeps the pin masked.
 */
START_TEST(ir_root_remappable_translated)
{
	u32 lo = 0x61 | IOAPIC_RTE_LEVEL, hi = RTE_HI_IF | 5u << 17;
	int idx;

	ir_on();
	idx = pin_index(4);
	linux_irt[5] = (struct iommu_irq){ .dest = 0x00000001, .vector = 0x61,
					   .logical = true, .level = true };
	linux_present[5] = true;
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, lo | IOAPIC_RTE_MASKED), DEV_DONE);
	ck_assert_int_eq(wr(&root_cell, 0, 0x19, hi), DEV_DONE);
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, lo), DEV_DONE);
	ck_assert_uint_eq(irt[idx].vector, 0x61);
	ck_assert(irt[idx].logical && irt[idx].level);
	ck_assert_uint_eq(irt[idx].sid, 0xff00);
	ck_assert_uint_eq(pin_index(4), idx);
	ck_assert_uint_eq(hw[0x18], 0x61 | IOAPIC_RTE_LEVEL);
	ck_assert_uint_eq(rd(&root_cell, 0, 0x18), lo);
	ck_assert_uint_eq(rd(&root_cell, 0, 0x19), hi);
	/* Linux retargets entry 5 and invalidates: followed, unmasked. */
	linux_irt[5].dest = 0x2;
	ioapic_root_retranslate();
	ck_assert_uint_eq(irt[idx].dest, 2);
	ck_assert_uint_eq(hw[0x18], 0x61 | IOAPIC_RTE_LEVEL);
	/* At a cell's CPU (physical 1, refused by the check): masked. */
	linux_irt[5] = (struct iommu_irq){ .dest = 1, .vector = 0x61 };
	ioapic_root_retranslate();
	ck_assert(hw[0x18] & IOAPIC_RTE_MASKED);
	ck_assert_uint_eq(irt[idx].dest, 2);
	/* Not present: masked too; a masked pin needs no entry. */
	linux_present[5] = false;
	ioapic_root_retranslate();
	ck_assert(hw[0x18] & IOAPIC_RTE_MASKED);
	linux_present[5] = true;
	linux_irt[5].dest = 0;
	ioapic_root_retranslate();
	ck_assert_uint_eq(hw[0x18], 0x61 | IOAPIC_RTE_LEVEL);
	/* Off: Linux's remappable entry back as it wrote it. */
	ioapic_root_ir_off();
	ck_assert_uint_eq(hw[0x18], lo);
	ck_assert_uint_eq(hw[0x19], hi);
	linux_present[5] = false;
}
END_TEST

START_TEST(ir_cell_pin_through_its_entry)
{
	int idx;

	ir_on();
	idx = pin_index(3);
	create_a();
	ck_assert_int_eq(root_claims, 1);	/* trapped since enable */
	ck_assert_int_eq(wr(&cell_a, 1, 0x17, 1u << 24), DEV_DONE);
	ck_assert_int_eq(wr(&cell_a, 1, 0x16, CELL_VEC), DEV_DONE);
	ck_assert_uint_eq(irt[idx].dest, 1);
	ck_assert_uint_eq(irt[idx].vector, CELL_VEC);
	ck_assert_uint_eq(irt[idx].sid, 0xff00);
	ck_assert(!irt[idx].logical && irt[idx].dlm == 0);
	ck_assert_uint_eq(hw[0x16] & 0x1ffff, CELL_VEC);
	ck_assert(hw[0x17] & RTE_HI_IF);
	ck_assert_uint_eq(rd(&cell_a, 1, 0x16), CELL_VEC);
	ck_assert_uint_eq(rd(&cell_a, 1, 0x17), 1u << 24);
	/* the root sees its own entry, masked */
	ck_assert_uint_eq(rd(&root_cell, 0, 0x16), ROOT_LO | IOAPIC_RTE_MASKED);
	/* refused entries never reach the table */
	ck_assert_int_eq(wr(&cell_a, 1, 0x17, 0), DEV_STOPPED);
	ck_assert_uint_eq(irt[idx].dest, 1);
	/* destroy: the root's entry again, the page still trapped */
	ioapic_cell_destroy(&cell_a);
	ck_assert_uint_eq(irt[idx].dest, 0);
	ck_assert_uint_eq(irt[idx].vector, 0x41);
	ck_assert(irt[idx].level);
	ck_assert_int_eq(root_claims, 1);
	ck_assert_uint_eq(rd(&root_cell, 0, 0x16), ROOT_LO);
	ioapic_root_ir_off();
}
END_TEST


/* ---- one pin, one move: between any two owners, and back ---- */

/* What a move may change, to compare before and after. */
struct pin_state {
	u32 hw[ARRAY_SIZE(hw)];
	const struct cell *owner[PINS];
	bool held[PINS], trapped;
	int root_claims;
	bool root_page, a_page, b_page;
};

static void pin_state_get(struct ioapic_chip *chip, struct pin_state *st)
{
	memset(st, 0, sizeof(*st));
	memcpy(st->hw, hw, sizeof(hw));
	memcpy(st->owner, chip->owner, sizeof(st->owner));
	memcpy(st->held, chip->root_held, sizeof(st->held));
	st->trapped = chip->root_trapped;
	st->root_claims = root_claims;
	st->root_page = dev_claims(&root_cell, DEV_SPACE_MMIO, BASE);
	st->a_page = dev_claims(&cell_a, DEV_SPACE_MMIO, BASE);
	st->b_page = dev_claims(&cell_b, DEV_SPACE_MMIO, BASE);
}

static void pin_state_same(const struct pin_state *x,
			   const struct pin_state *y)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hw); i++)
		ck_assert_msg(x->hw[i] == y->hw[i], "reg 0x%x: 0x%x, was 0x%x",
			      i, y->hw[i], x->hw[i]);
	ck_assert(!memcmp(x->owner, y->owner, sizeof(x->owner)));
	ck_assert(!memcmp(x->held, y->held, sizeof(x->held)));
	ck_assert_int_eq(x->trapped, y->trapped);
	ck_assert_int_eq(x->root_claims, y->root_claims);
	ck_assert_int_eq(x->root_page, y->root_page);
	ck_assert_int_eq(x->a_page, y->a_page);
	ck_assert_int_eq(x->b_page, y->b_page);
}

/*
 * Root to cell to cell to root: each move masks the pin, takes or gives
 * the page, and the move back is the undo (the root's unmasked level
 * entry, pin 3, back as it was).
 */
START_TEST(pin_move_and_back)
{
	struct ioapic_chip *chip = ioapic_chip_by_id(0);
	struct pin_state start, before, after;
	const char *why = NULL;

	ck_assert_ptr_nonnull(chip);
	pin_state_get(chip, &start);
	ck_assert_int_eq(ioapic_pin_move(chip, 3, &root_cell, &cell_a, &why), 0);
	ck_assert_ptr_eq(chip->owner[3], &cell_a);
	ck_assert_uint_eq(hw[0x16], IOAPIC_RTE_MASKED);
	ck_assert(dev_claims(&root_cell, DEV_SPACE_MMIO, BASE));
	ck_assert(dev_claims(&cell_a, DEV_SPACE_MMIO, BASE));
	/* Not the mover's pin: refused, nothing changed. */
	pin_state_get(chip, &after);
	ck_assert_int_eq(ioapic_pin_move(chip, 3, &root_cell, &cell_b, &why),
			 -EBUSY);
	ck_assert_ptr_nonnull(strstr(why, "belongs to another cell"));
	ck_assert_int_eq(ioapic_pin_move(chip, PINS, &root_cell, &cell_b, &why),
			 -EINVAL);
	pin_state_get(chip, &before);
	pin_state_same(&after, &before);
	/* A cell's programmed pin to another cell: reset for it. */
	wr(&cell_a, 1, 0x17, 1u << 24);
	wr(&cell_a, 1, 0x16, CELL_VEC);
	ck_assert_int_eq(ioapic_pin_move(chip, 3, &cell_a, &cell_b, &why), 0);
	ck_assert_uint_eq(hw[0x16], IOAPIC_RTE_MASKED);
	ck_assert(!dev_claims(&cell_a, DEV_SPACE_MMIO, BASE));
	ck_assert(dev_claims(&cell_b, DEV_SPACE_MMIO, BASE));
	ck_assert_int_eq(ioapic_pin_move(chip, 3, &cell_b, &root_cell, &why), 0);
	pin_state_get(chip, &after);
	pin_state_same(&start, &after);
	ck_assert_uint_eq(hw[0x16], ROOT_LO);
	ck_assert_int_eq(root_claims, 0);
}
END_TEST

/* The same, with every pin remapped: the pin's entry index kept. */
START_TEST(ir_pin_move_and_back)
{
	struct ioapic_chip *chip;
	struct pin_state before, after;
	const char *why = NULL;
	int idx;

	ir_on();
	chip = ioapic_chip_by_id(0);
	idx = pin_index(3);
	pin_state_get(chip, &before);
	ck_assert_int_eq(ioapic_pin_move(chip, 3, &root_cell, &cell_a, &why), 0);
	ck_assert(hw[0x16] & IOAPIC_RTE_MASKED);
	ck_assert_uint_eq(hw[0x16] & (IOAPIC_RTE_VECTOR | IOAPIC_RTE_LEVEL), 0);
	ck_assert_int_eq(pin_index(3), idx);
	ck_assert_int_eq(ioapic_pin_move(chip, 3, &cell_a, &root_cell, &why), 0);
	pin_state_get(chip, &after);
	pin_state_same(&before, &after);
	ck_assert_uint_eq(irt[idx].vector, 0x41);
	ioapic_root_ir_off();
}
END_TEST

/*
 * A Remote IRR the old owner left (its level interrupt in service when
 * the pin moved) does not follow the pin: the new owner's level
 * interrupt would never be delivered.
 */
START_TEST(pin_move_ends_remote_irr)
{
	struct ioapic_chip *chip = ioapic_chip_by_id(0);
	const char *why = NULL;
	u32 lvl = CELL_VEC | IOAPIC_RTE_LEVEL;

	hw[0x16] |= IOAPIC_RTE_REMOTE_IRR;	/* the root's, in service */
	ck_assert_int_eq(ioapic_pin_move(chip, 3, &root_cell, &cell_a, &why), 0);
	ck_assert(!(hw[0x16] & IOAPIC_RTE_REMOTE_IRR));
	wr(&cell_a, 1, 0x17, 1u << 24);
	ck_assert_int_eq(wr(&cell_a, 1, 0x16, lvl), DEV_DONE);
	hw[0x16] |= IOAPIC_RTE_REMOTE_IRR;	/* the cell's, in service */
	ck_assert_int_eq(ioapic_pin_move(chip, 3, &cell_a, &root_cell, &why), 0);
	ck_assert_uint_eq(hw[0x16], ROOT_LO);
}
END_TEST

/* The second pin is another cell's: the first goes back, nothing left. */
START_TEST(create_fails_midway_root_keeps_all)
{
	struct ioapic_chip *chip = ioapic_chip_by_id(0);
	struct pin_state before, after;
	const char *why = NULL;

	cell_setup(&cell_b, 2, 5);
	ck_assert_int_eq(ioapic_cell_create(&cell_b, &why), 0);
	cell_a.cfg.pin_sets[0].pins[0] |= 1u << 5;	/* pins 3 and 5 */
	pin_state_get(chip, &before);
	ck_assert_int_eq(ioapic_cell_create(&cell_a, &why), -EBUSY);
	ck_assert_ptr_nonnull(strstr(why, "belongs to another cell"));
	pin_state_get(chip, &after);
	pin_state_same(&before, &after);
	ck_assert_ptr_null(chip->owner[3]);
	ck_assert_uint_eq(rd(&root_cell, 0, 0x16), ROOT_LO);
}
END_TEST

/* ---- the level rule, the root's side ---- */

/*
 * A cell's level pin has the vector first: the root's level entry on it
 * stays masked (said once), its other entries and an edge entry on that
 * vector pass, and the entry is applied once the cell is gone.
 */
START_TEST(root_level_vector_held)
{
	u32 lvl = CELL_VEC | IOAPIC_RTE_LEVEL;

	create_a();
	wr(&cell_a, 1, 0x17, 1u << 24);
	ck_assert_int_eq(wr(&cell_a, 1, 0x16, lvl), DEV_DONE);
	ck_assert_uint_eq(hw[0x16], lvl);
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, lvl), DEV_DONE);
	ck_assert_uint_eq(hw[0x18], lvl | IOAPIC_RTE_MASKED);
	ck_assert_uint_eq(rd(&root_cell, 0, 0x18), lvl | IOAPIC_RTE_MASKED);
	ck_assert_int_eq(n_held_said, 1);
	ck_assert_ptr_nonnull(strstr(said, "IOAPIC 0 pin 4"));
	ck_assert_ptr_nonnull(strstr(said, "level vector shared"));
	ck_assert_ptr_nonnull(strstr(said, "destroy that cell"));
	/* Written again (high word, then low): still held, not said again. */
	ck_assert_int_eq(wr(&root_cell, 0, 0x19, 0), DEV_DONE);
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, lvl), DEV_DONE);
	ck_assert_uint_eq(hw[0x18], lvl | IOAPIC_RTE_MASKED);
	ck_assert_int_eq(n_held_said, 1);
	/* The cell's pin untouched; the root's other pins its own. */
	ck_assert_uint_eq(hw[0x16], lvl);
	ck_assert_int_eq(wr(&root_cell, 0, 0x1a, 0x45 | IOAPIC_RTE_LEVEL),
			 DEV_DONE);
	ck_assert_uint_eq(hw[0x1a], 0x45 | IOAPIC_RTE_LEVEL);
	/* Edge on that vector: the cell's EOIs do not touch it. */
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, CELL_VEC), DEV_DONE);
	ck_assert_uint_eq(hw[0x18], CELL_VEC);
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, lvl), DEV_DONE);
	ck_assert_uint_eq(hw[0x18], lvl | IOAPIC_RTE_MASKED);
	ck_assert_int_eq(n_held_said, 2);
	/* The cell leaves: the held entry goes in as written. */
	ioapic_cell_destroy(&cell_a);
	ck_assert_uint_eq(hw[0x18], lvl);
	ck_assert_str_eq(reason, "");
}
END_TEST

/* With remapping: held masked through the pin's entry, the same way. */
START_TEST(ir_root_level_vector_held)
{
	u32 lvl = CELL_VEC | IOAPIC_RTE_LEVEL;

	ir_on();
	create_a();
	wr(&cell_a, 1, 0x17, 1u << 24);
	ck_assert_int_eq(wr(&cell_a, 1, 0x16, lvl), DEV_DONE);
	ck_assert_int_eq(wr(&root_cell, 0, 0x18, lvl), DEV_DONE);
	ck_assert_uint_eq(hw[0x18] & 0x1ffff, lvl | IOAPIC_RTE_MASKED);
	ck_assert_uint_eq(rd(&root_cell, 0, 0x18), lvl | IOAPIC_RTE_MASKED);
	ck_assert_int_eq(n_held_said, 1);
	/* Linux's every invalidation: still held, not said again. */
	ioapic_root_retranslate();
	ck_assert(hw[0x18] & IOAPIC_RTE_MASKED);
	ck_assert_int_eq(n_held_said, 1);
	ioapic_cell_destroy(&cell_a);
	ck_assert_uint_eq(hw[0x18] & 0x1ffff, lvl);
	ioapic_root_ir_off();
}
END_TEST

/*
 * The root's entry written while a cell had the pin is judged when it
 * comes back: on another cell's level vector, it stays masked until that
 * cell is gone too.
 */
START_TEST(root_level_vector_at_give_back)
{
	const char *why = NULL;
	u32 lvl = CELL_VEC | IOAPIC_RTE_LEVEL;

	cell_setup(&cell_b, 2, 5);
	create_a();
	ck_assert_int_eq(ioapic_cell_create(&cell_b, &why), 0);
	wr(&cell_b, 2, 0x1b, 2u << 24);
	ck_assert_int_eq(wr(&cell_b, 2, 0x1a, lvl), DEV_DONE);
	ck_assert_int_eq(wr(&root_cell, 0, 0x16, lvl), DEV_DONE);
	ioapic_cell_destroy(&cell_a);
	ck_assert_uint_eq(hw[0x16], lvl | IOAPIC_RTE_MASKED);
	ck_assert_int_eq(n_held_said, 1);
	ioapic_cell_destroy(&cell_b);
	ck_assert_uint_eq(hw[0x16], lvl);
}
END_TEST

static Suite *ioapic_suite(void)
{
	Suite *s = suite_create("ioapic");
	TCase *tc = tcase_create("ioapic");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rte_whitelist);
	tcase_add_test(tc, create_masks_and_traps);
	tcase_add_test(tc, cell_programs_its_pin);
	tcase_add_test(tc, cell_refused_writes_stop_it);
	tcase_add_test(tc, cell_level_vector_its_own);
	tcase_add_test(tc, cell_odd_accesses_stop_it);
	tcase_add_test(tc, select_is_per_cpu);
	tcase_add_test(tc, root_sees_cell_pin_masked_and_keeps_its_writes);
	tcase_add_test(tc, root_pin_not_at_a_cell_cpu);
	tcase_add_test(tc, root_remappable_without_remapping);
	tcase_add_test(tc, eoi_only_of_own_vectors);
	tcase_add_test(tc, quiesce_masks);
	tcase_add_test(tc, page_back_with_the_last_cell);
	tcase_add_test(tc, check_refusals);
	tcase_add_test(tc, ir_rewrites_every_pin);
	tcase_add_test(tc, ir_root_writes_translated);
	tcase_add_test(tc, ir_root_remappable_translated);
	tcase_add_test(tc, ir_cell_pin_through_its_entry);
	tcase_add_test(tc, pin_move_and_back);
	tcase_add_test(tc, ir_pin_move_and_back);
	tcase_add_test(tc, pin_move_ends_remote_irr);
	tcase_add_test(tc, create_fails_midway_root_keeps_all);
	tcase_add_test(tc, root_level_vector_held);
	tcase_add_test(tc, ir_root_level_vector_held);
	tcase_add_test(tc, root_level_vector_at_give_back);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ioapic_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
