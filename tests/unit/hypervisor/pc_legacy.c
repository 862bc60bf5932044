// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hypervisor/arch/x86/dev/: the PIT against a fake TSC,
 * the PICs, the CMOS, the pc-legacy models attached to a cell through
 * the registry (which ports, what they answer), the console UART and the
 * exit port.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hv/cell.h>
#include <hv/devmodel.h>
#include <hv/setup.h>
#include <asm/pc_legacy.h>

/* 2000 TSC cycles per PIT tick. */
#define TSC_KHZ		2386364u
#define TICK		2000ull
#define T0		1000000ull

struct hv_info hv = { .tsc_khz = TSC_KHZ };
static char reason[256];
static struct cell cell;
static struct pit pit;
static char putc_buf[64];
static unsigned int putc_n;
static long long exit_status = -1;

void console_cell_putc(const struct cell *c, char ch)
{
	(void)c;
	if (putc_n < sizeof(putc_buf) - 1)
		putc_buf[putc_n++] = ch;
}

void cell_exit_status(struct per_cpu *pc, u32 status)
{
	(void)pc;
	exit_status = status;
}

void cell_fail(struct per_cpu *pc, const char *fmt, ...)
{
	va_list ap;

	(void)pc;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
}

bool cell_has_port(const struct cell *c, u32 port)
{
	unsigned int i;

	for (i = 0; i < c->cfg.n_pio; i++)
		if (port >= c->cfg.pio[i].base &&
		    port - c->cfg.pio[i].base < c->cfg.pio[i].length)
			return true;
	return false;
}

/*
 * pci_cell.c's part, faked: the cell owns 00:03.0, whose register 0
 * reads its IDs and whose register 0x50 refuses writes.
 */
#define OWNED_BDF	0x0018

int pci_cell_cfg(struct cell *c, u16 bdf, u16 reg, unsigned int size,
		 bool write, u32 *val, const char **why)
{
	(void)c;
	(void)size;
	if (bdf != OWNED_BDF)
		return -ENODEV;
	if (write && reg == 0x50) {
		*why = "fake refusal";
		return -EPERM;
	}
	if (!write)
		*val = reg == 0 ? 0x11e81234 : reg;
	return 0;
}

static void setup(void)
{
	memset(&cell, 0, sizeof(cell));
	reason[0] = 0;
	memset(putc_buf, 0, sizeof(putc_buf));
	putc_n = 0;
	exit_status = -1;
	hv.console_port = 0;
	ck_assert_int_eq(pit_reset(&pit, TSC_KHZ, T0), 0);
}

/* ---- PIT ---- */

static u16 pit_read16(unsigned int ch, u64 now)
{
	u16 lo = pit_read(&pit, 0x40 + ch, now);

	return lo | pit_read(&pit, 0x40 + ch, now) << 8;
}

static void pit_load16(unsigned int ch, u8 ctrl, u16 count, u64 now)
{
	ck_assert_int_eq(pit_write(&pit, 0x43, ctrl, now), 0);
	pit_write(&pit, 0x40 + ch, count & 0xff, now);
	pit_write(&pit, 0x40 + ch, count >> 8, now);
}

static bool out2(u64 now)
{
	return pit_read(&pit, 0x61, now) & 0x20;
}

START_TEST(pit_unknown_tsc_rate_refused)
{
	ck_assert_int_eq(pit_reset(&pit, 0, T0), -EINVAL);
}
END_TEST

START_TEST(pit_counts_at_1193182_hz_of_the_tsc)
{
	/* Channel 0, mode 2, count 1000. */
	pit_load16(0, 0x34, 1000, T0);
	ck_assert_uint_eq(pit_read16(0, T0), 1000);
	ck_assert_uint_eq(pit_read16(0, T0 + 250 * TICK), 750);
	ck_assert_uint_eq(pit_read16(0, T0 + 999 * TICK), 1);
	/* Reloaded at the end of each period. */
	ck_assert_uint_eq(pit_read16(0, T0 + 1000 * TICK), 1000);
	ck_assert_uint_eq(pit_read16(0, T0 + 3100 * TICK), 900);
}
END_TEST

START_TEST(pit_channel2_mode0_out2_and_gate)
{
	/* Port B gate off: channel 2 waits. */
	pit_write(&pit, 0x61, 0, T0);
	pit_load16(2, 0xb0, 0xffff, T0);
	ck_assert(!out2(T0));
	ck_assert_uint_eq(pit_read16(2, T0 + 100 * TICK), 0xffff);
	/* Gate on at T0 + 100 ticks: it counts from there. */
	pit_write(&pit, 0x61, 1, T0 + 100 * TICK);
	ck_assert_uint_eq(pit_read16(2, T0 + 200 * TICK), 0xffff - 100);
	ck_assert(!out2(T0 + (100 + 0xfffe) * TICK));
	ck_assert(out2(T0 + (100 + 0xffff) * TICK));
	/* OUT2 stays high; the count goes on down past zero. */
	ck_assert(out2(T0 + (100 + 0x1ffff) * TICK));
	/* Port B keeps the gate and speaker bits, toggles refresh. */
	ck_assert_uint_eq(pit_read(&pit, 0x61, T0) & 0x13,
			  (pit_read(&pit, 0x61, T0) & 0x13) ^ 0x10);
	ck_assert_uint_eq(pit_read(&pit, 0x61, T0) & 0x03, 0x01);
}
END_TEST

START_TEST(pit_gate_low_pauses_mode0)
{
	pit_write(&pit, 0x61, 1, T0);
	pit_load16(2, 0xb0, 1000, T0);
	pit_write(&pit, 0x61, 0, T0 + 300 * TICK);
	ck_assert_uint_eq(pit_read16(2, T0 + 900 * TICK), 700);
	pit_write(&pit, 0x61, 1, T0 + 900 * TICK);
	ck_assert_uint_eq(pit_read16(2, T0 + 1000 * TICK), 600);
}
END_TEST

START_TEST(pit_latch_holds_until_read)
{
	pit_load16(0, 0x34, 1000, T0);
	/* Latch channel 0. */
	pit_write(&pit, 0x43, 0x00, T0 + 100 * TICK);
	/* A second latch before the read changes nothing. */
	pit_write(&pit, 0x43, 0x00, T0 + 200 * TICK);
	ck_assert_uint_eq(pit_read16(0, T0 + 500 * TICK), 900);
	/* Read whole: the next read is live again. */
	ck_assert_uint_eq(pit_read16(0, T0 + 500 * TICK), 500);
}
END_TEST

START_TEST(pit_byte_access_modes)
{
	/* Channel 2, gate on, low byte only, mode 0. */
	pit_write(&pit, 0x61, 1, T0);
	ck_assert_int_eq(pit_write(&pit, 0x43, 0x90, T0), 0);
	pit_write(&pit, 0x42, 0x80, T0);
	ck_assert_uint_eq(pit_read(&pit, 0x42, T0 + 0x10 * TICK), 0x70);
	ck_assert_uint_eq(pit_read(&pit, 0x42, T0 + 0x10 * TICK), 0x70);
	/* High byte only: count 0x1200. */
	ck_assert_int_eq(pit_write(&pit, 0x43, 0xa0, T0), 0);
	pit_write(&pit, 0x42, 0x12, T0);
	ck_assert_uint_eq(pit_read(&pit, 0x42, T0 + 0x100 * TICK), 0x11);
}
END_TEST

START_TEST(pit_mode3_square_wave)
{
	pit_load16(0, 0x36, 100, T0);
	ck_assert_uint_eq(pit_read16(0, T0 + 10 * TICK), 80);
	ck_assert_uint_eq(pit_read16(0, T0 + 60 * TICK), 80);
	ck_assert_uint_eq(pit_read16(0, T0 + 61 * TICK) & 1, 0);
	/* Channel 2 in mode 3: OUT2 high for the first half. */
	pit_write(&pit, 0x61, 1, T0);
	pit_load16(2, 0xb6, 100, T0);
	ck_assert(out2(T0 + 49 * TICK));
	ck_assert(!out2(T0 + 50 * TICK));
	ck_assert(out2(T0 + 100 * TICK));
}
END_TEST

START_TEST(pit_read_back_status_and_count)
{
	pit_load16(2, 0xb0, 1000, T0);
	pit_write(&pit, 0x61, 1, T0);
	/* Read-back of channel 2: status, then count. */
	ck_assert_int_eq(pit_write(&pit, 0x43, 0xc8, T0 + 10 * TICK), 0);
	ck_assert_uint_eq(pit_read(&pit, 0x42, T0 + 20 * TICK), 0x30);
	ck_assert_uint_eq(pit_read16(2, T0 + 20 * TICK), 990);
}
END_TEST

START_TEST(pit_modes_not_emulated_refused)
{
	ck_assert_int_eq(pit_write(&pit, 0x43, 0x31, T0), -EINVAL); /* BCD */
	ck_assert_int_eq(pit_write(&pit, 0x43, 0x32, T0), -EINVAL); /* 1 */
	ck_assert_int_eq(pit_write(&pit, 0x43, 0xba, T0), -EINVAL); /* 5 */
	ck_assert_int_eq(pit_write(&pit, 0x43, 0x38, T0), 0);	    /* 4 */
}
END_TEST

START_TEST(pit_channel0_runs_from_reset)
{
	/* As a BIOS leaves it: mode 3, 65536. */
	ck_assert_uint_eq(pit_read16(0, T0 + 100 * TICK), 0x10000 - 200);
}
END_TEST

/* ---- PIC, CMOS ---- */

START_TEST(pic_init_sequence_and_mask)
{
	struct pic p;

	pic_reset(&p);
	ck_assert_uint_eq(pic_read(&p, 0x21), 0xff);
	/* ICW1 (ICW4 wanted, cascade), ICW2, ICW3, ICW4 on both. */
	pic_write(&p, 0x20, 0x11);
	pic_write(&p, 0x21, 0x20);
	pic_write(&p, 0x21, 0x04);
	pic_write(&p, 0x21, 0x01);
	pic_write(&p, 0xa0, 0x11);
	pic_write(&p, 0xa1, 0x28);
	pic_write(&p, 0xa1, 0x02);
	pic_write(&p, 0xa1, 0x01);
	ck_assert_uint_eq(pic_read(&p, 0x21), 0x00);
	pic_write(&p, 0x21, 0xfb);
	pic_write(&p, 0xa1, 0xff);
	ck_assert_uint_eq(pic_read(&p, 0x21), 0xfb);
	ck_assert_uint_eq(pic_read(&p, 0xa1), 0xff);
	/* OCW3 read IRR, then ISR, an EOI: all 0, the mask stays. */
	pic_write(&p, 0x20, 0x0a);
	ck_assert_uint_eq(pic_read(&p, 0x20), 0);
	pic_write(&p, 0x20, 0x0b);
	ck_assert_uint_eq(pic_read(&p, 0x20), 0);
	pic_write(&p, 0x20, 0x20);
	ck_assert_uint_eq(pic_read(&p, 0x21), 0xfb);
	/* Single, no ICW4: ICW2 ends it. */
	pic_write(&p, 0x20, 0x12);
	pic_write(&p, 0x21, 0x08);
	pic_write(&p, 0x21, 0x5a);
	ck_assert_uint_eq(pic_read(&p, 0x21), 0x5a);
}
END_TEST

START_TEST(cmos_registers)
{
	struct cmos s = { 0 };

	cmos_write(&s, 0x70, 0x0a);
	ck_assert_uint_eq(cmos_read(&s, 0x71), 0x26);
	cmos_write(&s, 0x70, 0x8b);	/* NMI mask bit: ignored */
	ck_assert_uint_eq(cmos_read(&s, 0x70), 0x0b);
	ck_assert_uint_eq(cmos_read(&s, 0x71), 0x02);
	cmos_write(&s, 0x71, 0xff);	/* writes change nothing */
	ck_assert_uint_eq(cmos_read(&s, 0x71), 0x02);
	cmos_write(&s, 0x70, 0x0c);
	ck_assert_uint_eq(cmos_read(&s, 0x71), 0x00);
	cmos_write(&s, 0x70, 0x0d);
	ck_assert_uint_eq(cmos_read(&s, 0x71), 0x80);
	cmos_write(&s, 0x70, 0x09);
	ck_assert_uint_eq(cmos_read(&s, 0x71), 0x26);
	cmos_write(&s, 0x70, 0x08);
	ck_assert_uint_eq(cmos_read(&s, 0x71), 0x01);
	cmos_write(&s, 0x70, 0x04);
	ck_assert_uint_eq(cmos_read(&s, 0x71), 0x12);
	cmos_write(&s, 0x70, 0x50);
	ck_assert_uint_eq(cmos_read(&s, 0x71), 0x00);
}
END_TEST

/* ---- the models in a cell ---- */

static void pc_legacy_cell(void)
{
	cell.cfg.n_vdevs = 1;
	cell.cfg.vdevs[0].type = CFG_VDEV_TYPE_PC_LEGACY;
}

static int io(u32 port, unsigned int size, bool write, u64 *val)
{
	struct dev_access a = { DEV_SPACE_PIO, port, size, write, *val };
	int res = dev_dispatch(NULL, &cell, 0x7c00, &a);

	*val = a.val;
	return res;
}

START_TEST(no_pc_legacy_no_claims)
{
	static const u32 ports[] = { 0x20, 0x40, 0x61, 0x70, 0x80, 0x92,
				     0xcf8, 0xcfc, 0x3f0, 0x64 };
	unsigned int i;

	ck_assert_int_eq(dev_cell_init(&cell), 0);
	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		ck_assert(!dev_claims(&cell, DEV_SPACE_PIO, ports[i]));
}
END_TEST

START_TEST(pc_legacy_whitelist_claimed)
{
	static const u32 claimed[] = { 0x20, 0x21, 0xa0, 0xa1, 0x40, 0x43,
		0x61, 0x70, 0x71, 0x80, 0x60, 0x64, 0x92, 0x3f0, 0x3f5, 0x3f7,
		0xcf8, 0xcfb, 0xcfc, 0xcff, 0x3b0, 0x3c0, 0x3d4, 0x3d5, 0x3df };
	static const u32 free[] = { 0x22, 0x44, 0x62, 0x63, 0x72, 0x81,
		0x91, 0x3f6, 0x3f8, 0xcf7, 0xd00, 0x4d0, 0xf3, 0xf8, 0x3af,
		0x3e0 };
	unsigned int i;

	pc_legacy_cell();
	ck_assert_int_eq(dev_cell_init(&cell), 0);
	for (i = 0; i < sizeof(claimed) / sizeof(claimed[0]); i++)
		ck_assert_msg(dev_claims(&cell, DEV_SPACE_PIO, claimed[i]),
			      "port 0x%x", claimed[i]);
	for (i = 0; i < sizeof(free) / sizeof(free[0]); i++)
		ck_assert_msg(!dev_claims(&cell, DEV_SPACE_PIO, free[i]),
			      "port 0x%x", free[i]);
}
END_TEST

START_TEST(owned_ports_pass_through)
{
	pc_legacy_cell();
	cell.cfg.n_pio = 2;
	cell.cfg.pio[0] = (struct cfg_pio_range){ 0x61, 1 };
	cell.cfg.pio[1] = (struct cfg_pio_range){ 0x3f2, 2 };
	ck_assert_int_eq(dev_cell_init(&cell), 0);
	ck_assert(!dev_claims(&cell, DEV_SPACE_PIO, 0x61));
	ck_assert(!dev_claims(&cell, DEV_SPACE_PIO, 0x3f2));
	ck_assert(!dev_claims(&cell, DEV_SPACE_PIO, 0x3f3));
	ck_assert(dev_claims(&cell, DEV_SPACE_PIO, 0x3f1));
	ck_assert(dev_claims(&cell, DEV_SPACE_PIO, 0x3f4));
	ck_assert(dev_claims(&cell, DEV_SPACE_PIO, 0x40));
}
END_TEST

/* Mechanism 1 of a cell with a PCI device and no pc-legacy. */
START_TEST(pci_cf8_owned_device)
{
	u64 v;

	cell.cfg.n_pci = 1;
	cell.cfg.pci[0].bdf = OWNED_BDF;
	ck_assert_int_eq(dev_cell_init(&cell), 0);
	ck_assert(dev_claims(&cell, DEV_SPACE_PIO, 0xcf8));
	ck_assert(dev_claims(&cell, DEV_SPACE_PIO, 0xcff));
	ck_assert(!dev_claims(&cell, DEV_SPACE_PIO, 0x20));
	dev_cell_reset(&cell);
	v = 0x80000000 | OWNED_BDF << 8;
	ck_assert_int_eq(io(0xcf8, 4, true, &v), DEV_DONE);
	ck_assert_int_eq(io(0xcfc, 4, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0x11e81234);
	/* the byte offset of the data port adds to the register */
	v = 0x80000000 | OWNED_BDF << 8 | 0x40;
	ck_assert_int_eq(io(0xcf8, 4, true, &v), DEV_DONE);
	ck_assert_int_eq(io(0xcfe, 2, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0x42);
	/* another function: absent; no enable bit: absent */
	v = 0x80000000 | 0x20 << 8;
	ck_assert_int_eq(io(0xcf8, 4, true, &v), DEV_DONE);
	ck_assert_int_eq(io(0xcfc, 4, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0xffffffff);
	v = OWNED_BDF << 8;
	ck_assert_int_eq(io(0xcf8, 4, true, &v), DEV_DONE);
	ck_assert_int_eq(io(0xcfc, 2, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0xffff);
	ck_assert_str_eq(reason, "");
	/* a refused write stops the cell with the rules' reason */
	v = 0x80000000 | OWNED_BDF << 8 | 0x50;
	ck_assert_int_eq(io(0xcf8, 4, true, &v), DEV_DONE);
	v = 0xfee00000;
	ck_assert_int_eq(io(0xcfc, 4, true, &v), DEV_STOPPED);
	ck_assert_ptr_nonnull(strstr(reason, "PCI 00:03.0 0x50 write"));
	ck_assert_ptr_nonnull(strstr(reason, "fake refusal"));
}
END_TEST

START_TEST(pc_legacy_answers)
{
	u64 v;

	pc_legacy_cell();
	ck_assert_int_eq(dev_cell_init(&cell), 0);
	dev_cell_reset(&cell);
	v = 0x80000000;
	ck_assert_int_eq(io(0xcf8, 4, true, &v), DEV_DONE);
	v = 0;
	ck_assert_int_eq(io(0xcf8, 4, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0x80000000);
	ck_assert_int_eq(io(0xcfc, 4, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0xffffffff);
	ck_assert_int_eq(io(0xcfe, 2, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0xffff);
	v = 1;
	ck_assert_int_eq(io(0xcfb, 1, true, &v), DEV_DONE);
	ck_assert_int_eq(io(0x92, 1, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0x02);
	ck_assert_int_eq(io(0x80, 1, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0xff);
	ck_assert_int_eq(io(0x64, 1, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(io(0x3f4, 1, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0xff);
	/* No VGA: the cursor index and data take writes, read all ones. */
	v = 0x200a;
	ck_assert_int_eq(io(0x3d4, 2, true, &v), DEV_DONE);
	ck_assert_int_eq(io(0x3d4, 2, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0xffff);
	/* A word to 0x70: the index, then a read of status A... */
	v = 0x000a;
	ck_assert_int_eq(io(0x70, 1, true, &v), DEV_DONE);
	ck_assert_int_eq(io(0x71, 1, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0x26);
	/* ...and the mask through a word write to 0x20-0x21. */
	v = 0xff00;
	ck_assert_int_eq(io(0x20, 2, true, &v), DEV_DONE);
	ck_assert_int_eq(io(0x21, 1, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0xff);
	/* Beyond a claimed range: not the model's. */
	ck_assert_int_eq(io(0x21, 2, false, &v), -ENODEV);
	ck_assert_int_eq(io(0x92, 4, false, &v), -ENODEV);
}
END_TEST

START_TEST(pc_legacy_resets_stop_the_cell)
{
	u64 v;

	pc_legacy_cell();
	ck_assert_int_eq(dev_cell_init(&cell), 0);
	v = 0xfe;
	ck_assert_int_eq(io(0x64, 1, true, &v), DEV_STOPPED);
	ck_assert_ptr_nonnull(strstr(reason, "port 0x64 write 0xfe"));
	v = 0x01;
	ck_assert_int_eq(io(0x92, 1, true, &v), DEV_STOPPED);
	ck_assert_ptr_nonnull(strstr(reason, "port 0x92 write 0x1"));
	v = 0x06;
	ck_assert_int_eq(io(0xcf9, 1, true, &v), DEV_STOPPED);
	ck_assert_ptr_nonnull(strstr(reason, "port 0xcf9 write 0x6"));
	v = 0x31;
	ck_assert_int_eq(io(0x43, 1, true, &v), DEV_STOPPED);
	ck_assert_ptr_nonnull(strstr(reason, "PIT control word 0x31"));
	reason[0] = 0;
	v = 0x02;
	ck_assert_int_eq(io(0x92, 1, true, &v), DEV_DONE);
	v = 0xd1;
	ck_assert_int_eq(io(0x64, 1, true, &v), DEV_DONE);
	ck_assert_str_eq(reason, "");
}
END_TEST

/* ---- the console UART and the exit port ---- */

static void owns(u32 base, u32 len)
{
	cell.cfg.pio[cell.cfg.n_pio++] = (struct cfg_pio_range){ base, len };
}

START_TEST(console_uart_only_where_owned)
{
	hv.console_port = 0x3f8;
	ck_assert_int_eq(dev_cell_init(&cell), 0);
	ck_assert(!dev_claims(&cell, DEV_SPACE_PIO, 0x3f8));
	dev_cell_exit(&cell);
	owns(0x3f8, 4);
	ck_assert_int_eq(dev_cell_init(&cell), 0);
	ck_assert(dev_claims(&cell, DEV_SPACE_PIO, 0x3fb));
	ck_assert(!dev_claims(&cell, DEV_SPACE_PIO, 0x3fc));
}
END_TEST

START_TEST(console_uart_as_before)
{
	u64 v;

	hv.console_port = 0x3f8;
	owns(0x3f8, 8);
	ck_assert_int_eq(dev_cell_init(&cell), 0);
	dev_cell_reset(&cell);
	v = 'h';
	ck_assert_int_eq(io(0x3f8, 1, true, &v), DEV_DONE);
	/* DLAB set: divisor bytes, no text; LCR reads back. */
	v = 0x83;
	ck_assert_int_eq(io(0x3fb, 1, true, &v), DEV_DONE);
	v = 0x01;
	ck_assert_int_eq(io(0x3f8, 1, true, &v), DEV_DONE);
	ck_assert_int_eq(io(0x3fb, 1, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0x83);
	v = 0x03;
	ck_assert_int_eq(io(0x3fb, 1, true, &v), DEV_DONE);
	v = 'i';
	ck_assert_int_eq(io(0x3f8, 1, true, &v), DEV_DONE);
	ck_assert_str_eq(putc_buf, "hi");
	ck_assert_int_eq(io(0x3fd, 1, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0x60);
	ck_assert_int_eq(io(0x3f9, 1, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0);
	/* Byte accesses only: the rest is the cell's rule. */
	ck_assert_int_eq(io(0x3f8, 2, true, &v), DEV_REFUSED);
	/* Each start begins with LCR 0. */
	v = 0x80;
	ck_assert_int_eq(io(0x3fb, 1, true, &v), DEV_DONE);
	dev_cell_reset(&cell);
	ck_assert_int_eq(io(0x3fb, 1, false, &v), DEV_DONE);
	ck_assert_uint_eq(v, 0);
}
END_TEST

START_TEST(exit_port_as_before)
{
	u64 v;

	ck_assert_int_eq(dev_cell_init(&cell), 0);
	ck_assert(dev_claims(&cell, DEV_SPACE_PIO, 0xf4));
	v = 0x12345678;
	ck_assert_int_eq(io(0xf4, 4, true, &v), DEV_STOPPED);
	ck_assert_int_eq(exit_status, 0x12345678);
	v = 0x1ff;
	ck_assert_int_eq(io(0xf4, 1, true, &v), DEV_STOPPED);
	ck_assert_int_eq(exit_status, 0xff);
	v = 0x12345;
	ck_assert_int_eq(io(0xf4, 2, true, &v), DEV_STOPPED);
	ck_assert_int_eq(exit_status, 0x2345);
	exit_status = -1;
	ck_assert_int_eq(io(0xf4, 1, false, &v), DEV_REFUSED);
	ck_assert_int_eq(io(0xf5, 1, true, &v), DEV_REFUSED);
	ck_assert_int_eq(exit_status, -1);
}
END_TEST

START_TEST(exit_port_not_where_owned)
{
	owns(0xf0, 8);
	ck_assert_int_eq(dev_cell_init(&cell), 0);
	ck_assert(!dev_claims(&cell, DEV_SPACE_PIO, 0xf4));
}
END_TEST

static Suite *pc_legacy_suite(void)
{
	Suite *s = suite_create("pc_legacy");
	TCase *tc = tcase_create("pit");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, pit_unknown_tsc_rate_refused);
	tcase_add_test(tc, pit_counts_at_1193182_hz_of_the_tsc);
	tcase_add_test(tc, pit_channel2_mode0_out2_and_gate);
	tcase_add_test(tc, pit_gate_low_pauses_mode0);
	tcase_add_test(tc, pit_latch_holds_until_read);
	tcase_add_test(tc, pit_byte_access_modes);
	tcase_add_test(tc, pit_mode3_square_wave);
	tcase_add_test(tc, pit_read_back_status_and_count);
	tcase_add_test(tc, pit_modes_not_emulated_refused);
	tcase_add_test(tc, pit_channel0_runs_from_reset);
	suite_add_tcase(s, tc);
	tc = tcase_create("pic-cmos");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, pic_init_sequence_and_mask);
	tcase_add_test(tc, cmos_registers);
	suite_add_tcase(s, tc);
	tc = tcase_create("models");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, no_pc_legacy_no_claims);
	tcase_add_test(tc, pc_legacy_whitelist_claimed);
	tcase_add_test(tc, owned_ports_pass_through);
	tcase_add_test(tc, pc_legacy_answers);
	tcase_add_test(tc, pci_cf8_owned_device);
	tcase_add_test(tc, pc_legacy_resets_stop_the_cell);
	tcase_add_test(tc, console_uart_only_where_owned);
	tcase_add_test(tc, console_uart_as_before);
	tcase_add_test(tc, exit_port_as_before);
	tcase_add_test(tc, exit_port_not_where_owned);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pc_legacy_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
