// SPDX-License-Identifier: GPL-2.0
/*
 * MSI benchmark: QEMU's edu device raises its MSI count times (a write of
 * its IRQ raise register, 0x60), one at a time: the next only after the
 * handler took the last one.  The TSC is read just before the write and
 * first thing in the handler; their difference is the MSI-to-handler
 * latency, printed as min/median/max TSC ticks.  The cell's VM exits over
 * the run are counted from outside (scripts/bench-msi: "cellctl stats").
 * The MSI is programmed through the inmate library only (pci_msi_enable),
 * so the run is the same with or without interrupt remapping.
 *
 * Command line:
 *   count=N    MSIs to raise (default 1000, at most 4096; 0: only set up)
 *   gap_us=U   wait U microseconds after each MSI (default 0): a long run
 *              the root can do things during (tests/system/pci-root-hidden)
 *   until_shutdown
 *              raise MSIs until the root asks the cell to shut down
 *              (count is then only the ceiling): the run covers whatever
 *              the root does meanwhile, however long that takes
 *
 * Prints "msibench: ready" when the MSI is set up and before the first
 * one, then "msibench: N raised, M received" and the latencies (numbers
 * right-aligned in fixed widths, zeros without MSIs); exits with
 * status 0 when every MSI came in once, 1 otherwise.  With
 * until_shutdown it prints the same and then agrees to the shutdown
 * instead of exiting ("msibench: ceiling reached" first if the root
 * waited longer than count MSIs).
 */
#include <inmate.h>
#include <edu.h>

#define MSIBENCH_VECTOR		0x40
#define MSIBENCH_MAX		4096
#define MSIBENCH_RAISE_BIT	0x1
#define MSIBENCH_WAIT_NS	100000000ULL	/* one MSI: 100 ms at most */

static volatile uint8_t *edu;
static volatile unsigned int msis;
static volatile uint64_t msi_tsc;	/* the handler's first TSC read */
static uint32_t lat[MSIBENCH_MAX];

static void edu_write(unsigned int reg, uint32_t val)
{
	*(volatile uint32_t *)(edu + reg) = val;
}

static void msibench_irq(struct int_frame *frame)
{
	msi_tsc = rdtsc();
	(void)frame;
	edu_write(EDU_IRQ_ACK, *(volatile uint32_t *)(edu + EDU_IRQ_STATUS));
	msis++;
	apic_eoi();
}

/* One MSI: its latency in TSC ticks, or -1 when it never came. */
static int64_t msibench_one(void)
{
	unsigned int want = msis + 1;
	uint64_t start = rdtsc();

	edu_write(EDU_IRQ_RAISE, MSIBENCH_RAISE_BIT);
	while (msis < want) {
		if (rdtsc() - start > ns_to_tsc(MSIBENCH_WAIT_NS))
			return -1;
		cpu_relax();
	}
	return msi_tsc - start;
}

static void sort_u32(uint32_t *a, unsigned int n)
{
	unsigned int i, j;
	uint32_t v;

	for (i = 1; i < n; i++) {
		v = a[i];
		for (j = i; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

static int msibench_setup(void)
{
	int bdf = pci_find_device(EDU_VENDOR, EDU_DEVICE, -1);

	if (bdf < 0) {
		printk("msibench: no edu device\n");
		return -ENODEV;
	}
	edu = (volatile uint8_t *)pci_bar_address(bdf, 0);
	/* The MSI is a memory write of the device: it needs bus mastering. */
	pci_enable(bdf, PCI_CMD_MEM | PCI_CMD_MASTER);
	if (*(volatile uint32_t *)(edu + EDU_ID) != EDU_ID_VALUE) {
		printk("msibench: edu's ID register reads 0x%x\n",
		       *(volatile uint32_t *)(edu + EDU_ID));
		return -EIO;
	}
	if (apic_init() || pci_msi_enable(bdf, apic_id(), MSIBENCH_VECTOR)) {
		printk("msibench: cannot enable edu's MSI\n");
		return -EIO;
	}
	int_set_handler(MSIBENCH_VECTOR, msibench_irq);
	irq_enable();
	printk("msibench: edu %02x:%02x.%x, MSI vector 0x%x to APIC ID %u\n",
	       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf), MSIBENCH_VECTOR,
	       apic_id());
	return bdf;
}

/* Stop here: until_shutdown's run has ended (the request, or the ceiling). */
static bool msibench_stop(bool until_shutdown, unsigned int i,
			  unsigned int count)
{
	if (!until_shutdown)
		return i >= count;
	if (comm_shutdown_requested())
		return true;
	if (i < count)
		return false;
	printk("msibench: ceiling reached\n");
	while (!comm_shutdown_requested())
		cpu_relax();
	return true;
}

void inmate_main(void)
{
	unsigned int count = cmdline_parse_int(inmate_cmdline, "count", 1000);
	uint64_t gap = cmdline_parse_int(inmate_cmdline, "gap_us", 0);
	bool until_shutdown = cmdline_parse_bool(inmate_cmdline,
						 "until_shutdown");
	unsigned int i, n = 0;
	int64_t t;
	int bdf;

	if (count > MSIBENCH_MAX) {
		printk("msibench: count=%u: at most %u\n", count,
		       MSIBENCH_MAX);
		inmate_exit(2);
	}
	bdf = msibench_setup();
	if (bdf < 0)
		inmate_exit(1);
	printk("msibench: ready\n");
	for (i = 0; !msibench_stop(until_shutdown, i, count); i++) {
		t = msibench_one();
		if (t >= 0)
			lat[n++] = t;
		if (gap)
			udelay(gap);
	}
	/* A late MSI of the last round still counts as received. */
	udelay(1000);
	irq_disable();
	pci_msi_disable(bdf);
	/*
	 * Fixed widths: a run's console output costs the same exits
	 * whatever the numbers (scripts/bench-msi subtracts a count=0 run).
	 */
	count = i;
	printk("msibench: %4u raised, %4u received\n", count, msis);
	sort_u32(lat, n);
	printk("msibench: latency min %10u median %10u max %10u TSC ticks\n",
	       n ? lat[0] : 0, n ? lat[n / 2] : 0, n ? lat[n - 1] : 0);
	if (until_shutdown)
		comm_wait_for_shutdown();
	inmate_exit(msis == count && n == count ? 0 : 1);
}
