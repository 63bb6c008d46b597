/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Register map of QEMU's edu PCI device (BAR0), as QEMU 7.2 implements it.
 * The traps these names do not show (a transfer touching the buffer's last
 * byte aborts QEMU, the lost interrupt) are in docs/chardev.md and
 * docs/architecture.md, and guarded in edu_dma.c.
 */
#ifndef EDU_REGS_H
#define EDU_REGS_H

#include <linux/bits.h>

#define EDU_VENDOR_ID		0x1234
#define EDU_DEVICE_ID		0x11e8

#define EDU_REG_IDENT		0x00	/* RO: 0xRRrr00ed, major/minor */
#define EDU_REG_LIVENESS	0x04	/* RW: reads back ~(last write) */
#define EDU_REG_FACTORIAL	0x08	/* RW: write n, read n! */
#define EDU_REG_STATUS		0x20	/* RW: see EDU_STATUS_* */
#define EDU_REG_IRQ_STATUS	0x24	/* RO: pending interrupt bits */
#define EDU_REG_IRQ_RAISE	0x60	/* WO: irq_status |= value */
#define EDU_REG_IRQ_ACK		0x64	/* WO: irq_status &= ~value */
#define EDU_REG_DMA_SRC		0x80	/* RW, 64-bit: program with writeq */
#define EDU_REG_DMA_DST		0x88	/* RW, 64-bit */
#define EDU_REG_DMA_COUNT	0x90	/* RW, 64-bit */
#define EDU_REG_DMA_CMD		0x98	/* RW: see EDU_DMA_CMD_* */

#define EDU_IDENT_VALUE		0x010000ed

#define EDU_STATUS_COMPUTING	BIT(0)	/* factorial in progress (RO) */
#define EDU_STATUS_IRQ_FACT	BIT(7)	/* raise EDU_IRQ_FACTORIAL when done */

#define EDU_IRQ_FACTORIAL	BIT(0)	/* factorial finished */
#define EDU_IRQ_DMA		BIT(8)	/* DMA transfer finished */
#define EDU_IRQ_SPURIOUS	BIT(31)	/* raised and cleared by debugfs spurious_irq */

#define EDU_DMA_CMD_START	BIT(0)
#define EDU_DMA_CMD_TO_RAM	BIT(1)	/* 0: RAM -> device, 1: device -> RAM */
#define EDU_DMA_CMD_IRQ		BIT(2)	/* raise EDU_IRQ_DMA when done */

/* The device's DMA engine masks RAM addresses to 28 bits by default. */
#define EDU_DMA_MASK_BITS	28

/* Largest n whose n! fits the device's 32-bit result register. */
#define EDU_FACTORIAL_MAX	12

#endif /* EDU_REGS_H */
