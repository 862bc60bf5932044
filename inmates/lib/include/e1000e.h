/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's e1000e (PCI 8086:10d3, Intel 82574L): the interrupt registers
 * in BAR 0 (82574L datasheet; QEMU's hw/net/e1000_regs.h) that the MSI-X
 * tests touch, no more.  One place for them: the conformance inmate
 * (tests/msix.c) and the root's test module (tests/modules/cvtest_msix.c,
 * which adds this folder to its include path), so plain constants only.
 */
#ifndef INMATE_E1000E_H
#define INMATE_E1000E_H

#define E1000E_VENDOR		0x8086
#define E1000E_DEVICE		0x10d3

#define E1000_ICR		0x00c0	/* cause: write 1 to clear */
#define E1000_ICS		0x00c8	/* cause set */
#define E1000_IMS		0x00d0	/* mask set: enabled causes */
#define E1000_IMC		0x00d8	/* mask clear */
#define E1000_IVAR		0x00e4	/* cause -> MSI-X vector */
#define E1000_ICR_OTHER		(1U << 24)
#define E1000_IVAR_OTHER(vec)	((0x8U | (vec)) << 16)	/* valid | vector */

#endif
