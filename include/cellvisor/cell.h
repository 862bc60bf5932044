/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* Cell ABI: states, cell hypercalls, /dev/cellvisor cell ioctls, comm page. */
#ifndef _CELLVISOR_CELL_H
#define _CELLVISOR_CELL_H

#include <cellvisor/config.h>	/* CFG_MAX_CELL_CPUS */
#include <cellvisor/types.h>

/*
 * Life of a cell.  CREATED and LOADABLE differ only in history (a cell is
 * loadable right after create); RUNNING cells own their CPUs; SHUT_DOWN
 * is loadable again; FAILED keeps the reason until shutdown or destroy.
 * EXITED is a cell that stopped itself through CELLVISOR_EXIT_PORT: like
 * FAILED, its CPUs are parked and its memory stays its own until
 * shutdown, and the reason says the status.
 */
#define CELLVISOR_CELL_CREATED		0
#define CELLVISOR_CELL_LOADABLE		1
#define CELLVISOR_CELL_RUNNING		2
#define CELLVISOR_CELL_SHUT_DOWN	3
#define CELLVISOR_CELL_FAILED		4
#define CELLVISOR_CELL_EXITED		5

/*
 * A cell ends itself by writing its exit status (1, 2 or 4 bytes) to this
 * port, unless the port is its own (then the write goes to the device):
 * how a test image reports its result, as under QEMU's isa-debug-exit.
 */
#define CELLVISOR_EXIT_PORT		0xf4

#define CELLVISOR_CELL_NAME_LEN		32	/* = CFG_MAX_NAME, with NUL */
#define CELLVISOR_CELL_MAX_CPUS		256
#define CELLVISOR_CELL_REASON_LEN	96

/*
 * Cell hypercalls (root cell only; numbers extend hypercall.h, 16..31 are
 * reserved for cells).  A cell is named by its id (>= 1; 0 is the root).
 */
#define CELLVISOR_HC_CELL_CREATE	16	/* DTB phys, size -> id */
#define CELLVISOR_HC_CELL_START		17	/* id, CELLVISOR_START_* */
/*
 * Start is two calls: MAP takes the loadable memory from the root; the
 * driver then makes every root CPU exit once (each flushes its stale
 * translations of that memory at its next exit); RUN lets the cell's
 * first CPU go.  So no root CPU can still reach the memory of a cell
 * that runs.
 */
#define CELLVISOR_START_MAP		1
#define CELLVISOR_START_RUN		2
#define CELLVISOR_HC_CELL_SHUTDOWN	18	/* id: back to loadable */
#define CELLVISOR_HC_CELL_DESTROY	19	/* id */
#define CELLVISOR_HC_CELL_INFO		20	/* id, phys of a page */
#define CELLVISOR_HC_POOL_FREE		21	/* -> free pool pages */
#define CELLVISOR_HC_CELL_CPU_PREPARE	22	/* on the CPU to offline */
#define CELLVISOR_HC_CELL_CPU_CANCEL	23	/* undo PREPARE on this CPU */
#define CELLVISOR_HC_CELL_CHECK		24	/* as CREATE, creates nothing */
/*
 * id, phys of a struct cellvisor_start_state in root memory (within one
 * page), or 0: how the cell's first CPU starts from now on (0: real mode
 * at the config's entry, like reset).  Refused while the cell runs.
 */
#define CELLVISOR_HC_CELL_SET_START	25

/*
 * How a cell's first CPU starts (the others always start like after
 * INIT/SIPI).  CELLVISOR_START_FLAT32 is the state loaders such as
 * Multiboot promise: 32-bit protected mode, CS a flat 4 GiB code
 * segment, DS/ES/FS/GS/SS flat 4 GiB data segments, paging off,
 * interrupts off, GDTR/IDTR invalid (the image loads its own), EIP =
 * entry and the general registers as given.  The entry must lie in
 * executable memory of the cell; the hypervisor checks it.
 */
#define CELLVISOR_START_REAL		0	/* like reset, at entry */
#define CELLVISOR_START_FLAT32		1
#define CELLVISOR_START_CHECK		(1u << 0)	/* validate only */

struct cellvisor_start_state {
	cv_u32 mode;			/* CELLVISOR_START_REAL/_FLAT32 */
	cv_u32 flags;			/* CELLVISOR_START_CHECK or 0 */
	cv_u64 entry;			/* guest-physical */
	cv_u32 eax, ebx, ecx, edx, esi, edi, ebp, esp;
};

/* Why a cell CPU left guest mode; counted per CPU (cellctl stats). */
#define CELLVISOR_EXIT_HYPERCALL	0
#define CELLVISOR_EXIT_PIO		1
#define CELLVISOR_EXIT_MMIO		2
#define CELLVISOR_EXIT_MSR		3
#define CELLVISOR_EXIT_CPUID		4
#define CELLVISOR_EXIT_APIC		5	/* xAPIC page, ICR */
#define CELLVISOR_EXIT_MANAGEMENT	6	/* NMI from the hypervisor */
#define CELLVISOR_EXIT_HLT		7
#define CELLVISOR_EXIT_OTHER		8
#define CELLVISOR_EXIT_REASONS		9

#define CELLVISOR_EXIT_NAMES {						\
	"hypercall", "pio", "mmio", "msr", "cpuid", "apic",		\
	"management", "hlt", "other" }

#define CELLVISOR_CELL_INFO_MEM		16

/* One memory region of a cell as CELL_INFO reports it. */
struct cellvisor_cell_mem {
	cv_u64 phys;
	cv_u64 guest;
	cv_u64 size;
	cv_u32 flags;			/* CFG_MEM_* */
	cv_u32 reserved;
};

/* What CELL_INFO writes: one page at most, read by the driver. */
struct cellvisor_cell_info {
	cv_u32 id;
	cv_u32 state;			/* CELLVISOR_CELL_* */
	char name[CELLVISOR_CELL_NAME_LEN];
	cv_u64 cpus[CELLVISOR_CELL_MAX_CPUS / 64];	/* bitmap */
	cv_u64 mem_bytes;		/* RAM regions, comm page excluded */
	cv_u32 fail_cpu;		/* valid in FAILED */
	cv_u32 n_cpus;			/* entries in exits[] */
	char reason[CELLVISOR_CELL_REASON_LEN];	/* "" unless FAILED */
	cv_u32 n_mem;			/* entries in mem[] */
	cv_u32 reserved;
	struct cellvisor_cell_mem mem[CELLVISOR_CELL_INFO_MEM];
	/* one row per CPU of the cell, in ascending order */
	cv_u64 exits[CFG_MAX_CELL_CPUS][CELLVISOR_EXIT_REASONS];
	/* ABI 2.1: the names of mem[] ("" unnamed); zeros from 2.0. */
	char mem_names[CELLVISOR_CELL_INFO_MEM][CELLVISOR_CELL_NAME_LEN];
	/*
	 * ABI 2.5: DMA and interrupt-request faults the IOMMU recorded for
	 * the cell's devices since its create (the VT-d units the
	 * hypervisor runs; 0 without); zero from 2.4.
	 */
	cv_u64 dma_faults;
};

/* ---- /dev/cellvisor ioctls (the struct versions are ioctl.h's) ---- */
#if defined(__KERNEL__) || (defined(__STDC_HOSTED__) && __STDC_HOSTED__)
#include <linux/ioctl.h>
#include <linux/types.h>

#define CELLVISOR_CELL_MAX_SEGMENTS	64

/* A cell config (DTB) to create.  Returns the new cell's id. */
struct cellvisor_cell_create {
	__u32 version;		/* CELLVISOR_IOCTL_VERSION */
	__u32 flags;		/* 0 */
	__u64 config;		/* user pointer to the cell DTB */
	__u64 config_size;
};

/* Names a cell for start, shutdown, destroy, info. */
struct cellvisor_cell_ref {
	__u32 version;
	__u32 flags;		/* 0 */
	char name[CELLVISOR_CELL_NAME_LEN];
};

struct cellvisor_load_segment {
	__u64 guest_addr;	/* in the cell's guest-physical space */
	__u64 size;
	__u64 data;		/* user pointer */
};

/*
 * Copies segments into the cell's loadable memory.  With
 * CELLVISOR_LOAD_START, @start points to how the cell's first CPU starts
 * (checked by the hypervisor before anything is copied); without it the
 * cell starts in real mode at its config's entry.
 */
#define CELLVISOR_LOAD_START	(1u << 0)

struct cellvisor_cell_load {
	__u32 version;
	__u32 flags;		/* CELLVISOR_LOAD_START or 0 */
	char name[CELLVISOR_CELL_NAME_LEN];
	__u32 n_segments;	/* at most CELLVISOR_CELL_MAX_SEGMENTS */
	__u32 reserved;		/* 0 */
	__u64 segments;		/* user pointer to the array */
	__u64 start;		/* user pointer to a cellvisor_start_state */
};

/* Fills up to max infos, returns the number of cells. */
struct cellvisor_cell_list {
	__u32 version;
	__u32 max;
	__u64 infos;		/* user pointer to struct cellvisor_cell_info[] */
};

/*
 * Opens a shared region of a cell for mmap() in the root: the ioctl
 * returns a new file descriptor (close-on-exec) to map at offsets within
 * size.  While such a file is open or mapped the cell is not destroyed.
 */
struct cellvisor_cell_shm {
	__u32 version;
	__u32 flags;		/* 0 */
	char name[CELLVISOR_CELL_NAME_LEN];	/* the cell */
	char region[CELLVISOR_CELL_NAME_LEN];	/* its region's name */
	__u64 size;		/* out: bytes */
	__u64 guest;		/* out: where the cell sees it */
};

#define CELLVISOR_CELL_CREATE	_IOW(0xCE, 0x10, struct cellvisor_cell_create)
#define CELLVISOR_CELL_LOAD	_IOW(0xCE, 0x11, struct cellvisor_cell_load)
/* The same before @start existed: still accepted, starts in real mode. */
#define CELLVISOR_CELL_LOAD_V1_SIZE \
	__builtin_offsetof(struct cellvisor_cell_load, start)
#define CELLVISOR_CELL_LOAD_V1	_IOC(_IOC_WRITE, 0xCE, 0x11, \
				     CELLVISOR_CELL_LOAD_V1_SIZE)
#define CELLVISOR_CELL_START	_IOW(0xCE, 0x12, struct cellvisor_cell_ref)
#define CELLVISOR_CELL_SHUTDOWN	_IOW(0xCE, 0x13, struct cellvisor_cell_ref)
#define CELLVISOR_CELL_DESTROY	_IOW(0xCE, 0x14, struct cellvisor_cell_ref)
#define CELLVISOR_CELL_LIST	_IOW(0xCE, 0x15, struct cellvisor_cell_list)
#define CELLVISOR_CELL_SHM	_IOWR(0xCE, 0x16, struct cellvisor_cell_shm)
#endif

/*
 * Communication page: one page the hypervisor maps into the cell at the
 * guest address of its comm-page region (the inmate library learns it from
 * "comm_page=ADDR" on its command line).  Filled at every start.  The
 * inmate reads the platform values and answers shutdown requests:
 *
 *   hypervisor: reply_from_cell = NONE, then msg_to_cell = SHUTDOWN_REQ
 *   inmate:     sees the request (msg_to_cell == SHUTDOWN_REQ and
 *               reply_from_cell == NONE), writes SHUTDOWN_OK or _DENIED
 *   hypervisor: OK or no answer in time: stops the cell; DENIED:
 *               msg_to_cell = NONE, the cell keeps running, and
 *               CELLVISOR_HC_CELL_SHUTDOWN returns -EAGAIN
 *
 * Documentation/cells.md ("Comm page") has the timeout.
 */
#define CELLVISOR_COMM_SIGNATURE	"CVCOMM1"
#define CELLVISOR_COMM_NONE		0
#define CELLVISOR_COMM_SHUTDOWN_REQ	1	/* to the cell */
#define CELLVISOR_COMM_SHUTDOWN_OK	1	/* from the cell */
#define CELLVISOR_COMM_SHUTDOWN_DENIED	2	/* from the cell */

struct cellvisor_comm_page {
	char signature[8];		/* CELLVISOR_COMM_SIGNATURE, NUL */
	cv_u32 cell_id;			/* as cellctl list shows it */
	volatile cv_u32 cell_state;	/* CELLVISOR_CELL_* */
	volatile cv_u32 msg_to_cell;	/* CELLVISOR_COMM_SHUTDOWN_REQ */
	volatile cv_u32 reply_from_cell;	/* CELLVISOR_COMM_SHUTDOWN_* */
	cv_u32 tsc_khz;			/* system config's; 0: unknown */
	cv_u32 apic_khz;		/* APIC timer, divide by 1; 0: unknown */
	cv_u32 num_cpus;		/* CPUs of the cell */
	cv_u32 reserved;
};

static inline const char *cellvisor_cell_state_name(cv_u32 state)
{
	switch (state) {
	case CELLVISOR_CELL_CREATED:
		return "created";
	case CELLVISOR_CELL_LOADABLE:
		return "loadable";
	case CELLVISOR_CELL_RUNNING:
		return "running";
	case CELLVISOR_CELL_SHUT_DOWN:
		return "shut down";
	case CELLVISOR_CELL_FAILED:
		return "failed";
	case CELLVISOR_CELL_EXITED:
		return "exited";
	}
	return "unknown";
}

/* Stopped on its own (failed or exited): memory the cell's until shutdown. */
static inline int cellvisor_cell_stopped(cv_u32 state)
{
	return state == CELLVISOR_CELL_FAILED || state == CELLVISOR_CELL_EXITED;
}

#endif /* _CELLVISOR_CELL_H */
