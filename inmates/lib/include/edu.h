/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's "edu" teaching device (PCI 1234:11e8, QEMU's docs/specs/edu.rst):
 * its registers in BAR 0, for the inmates that drive it and the root's
 * test module.  One place for them: the demo (demos/pci-dma.c), the MSI
 * benchmark (tests/msibench.c), the PCI conformance inmate (tests/pci.c)
 * and tests/modules/cvtest_edu.c (which adds this folder to its include
 * path), so plain constants only.
 */
#ifndef INMATE_EDU_H
#define INMATE_EDU_H

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8

#define EDU_ID			0x00	/* 0xRRrr00ed: major, minor, 0xed */
#define EDU_ID_VALUE		0x010000ed	/* what QEMU's edu 1.0 reads */
#define EDU_LIVENESS		0x04	/* reads back the inverse of a write */
#define EDU_FACTORIAL		0x08
#define EDU_STATUS		0x20
#define EDU_STATUS_COMPUTING	0x01	/* the factorial is not done yet */
#define EDU_IRQ_STATUS		0x24	/* bits raised and not acknowledged */
#define EDU_IRQ_RAISE		0x60	/* write: raise these bits (an MSI) */
#define EDU_IRQ_ACK		0x64	/* write: clear these bits */
/* The DMA registers are 64 bits wide: write them with 8-byte accesses. */
#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_COUNT		0x90
#define EDU_DMA_CMD		0x98
#define EDU_DMA_START		0x1	/* set to start, reads 1 while busy */
#define EDU_DMA_TO_RAM		0x2	/* direction: edu buffer -> RAM */
#define EDU_DMA_IRQ		0x4	/* raise EDU_IRQ_DMA when done */
#define EDU_IRQ_DMA		0x100	/* the status bit a finished DMA sets */

#define EDU_BUF			0x40000	/* the device's buffer, in edu space */
#define EDU_BUF_SIZE		4096

#endif
