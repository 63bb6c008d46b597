/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the edu driver: the per-device state and the
 * functions each part of the driver offers the others.
 */
#ifndef EDU_H
#define EDU_H

#include <linux/cdev.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/types.h>

#include "edu_regs.h"

#define EDU_MAX_DEVICES		64

/**
 * struct edu_dev - one bound edu PCI function
 * @dev: the class device /sys/class/edu/eduN; its refcount owns this struct,
 *	so open files and sysfs users keep it alive past remove()
 * @cdev: /dev/eduN
 * @pdev: the PCI function; valid only while @dead is false
 * @regs: BAR0; valid only while @dead is false
 * @id: N in eduN, from edu_ida
 * @irq: Linux interrupt number of our single vector
 * @msi: @irq is an MSI (else shared INTx)
 * @gone: taken for read by anything that touches the hardware from a file
 *	or sysfs path, for write by remove() to set @dead
 * @dead: the device was removed; every later hardware access gets -ENODEV
 * @fact_lock: one factorial at a time (the engine has one operand register)
 * @fact_done: completed by the interrupt handler on EDU_IRQ_FACTORIAL
 * @irq_count: interrupts that were ours
 */
struct edu_dev {
	struct device dev;
	struct cdev cdev;
	struct pci_dev *pdev;
	void __iomem *regs;
	int id;
	int irq;
	bool msi;

	struct rw_semaphore gone;
	bool dead;

	struct mutex fact_lock;		/* one factorial at a time */
	struct completion fact_done;

	atomic64_t irq_count;
};

static inline struct edu_dev *to_edu_dev(struct device *dev)
{
	return container_of(dev, struct edu_dev, dev);
}

static inline u32 edu_read(struct edu_dev *edu, unsigned int reg)
{
	return readl(edu->regs + reg);
}

static inline void edu_write(struct edu_dev *edu, unsigned int reg, u32 val)
{
	writel(val, edu->regs + reg);
}

/* edu_core.c */
extern struct class edu_class;
int edu_enter(struct edu_dev *edu);
void edu_leave(struct edu_dev *edu);

/* edu_irq.c */
int edu_irq_setup(struct edu_dev *edu, bool force_intx);
void edu_irq_quiesce(struct edu_dev *edu);

/* edu_hw.c */
extern unsigned int edu_irq_timeout_ms;
int edu_factorial(struct edu_dev *edu, u32 n, u32 *result);

/* edu_cdev.c */
int edu_chrdev_init(void);
void edu_chrdev_exit(void);
void edu_cdev_init(struct edu_dev *edu);
dev_t edu_devt(int id);

/* edu_sysfs.c */
extern const struct attribute_group *edu_groups[];

#endif /* EDU_H */
