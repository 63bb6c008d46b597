// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts: one vector, MSI when the platform allows it, else shared
 * level-triggered INTx. The device needs an acknowledge write in both modes.
 */
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/pci.h>

#include "edu.h"
#include "edu_trace.h"

/*
 * Pollers of stats/irqs wake, once until the file is read again: a
 * notification also queues kernfs' fsnotify work, which would wake a kernel
 * thread on every interrupt even with nobody polling. Called last, so a
 * woken poller finds the interrupt's counters and event in place. The
 * exchange orders the count before it (edu_stat_show() pairs).
 */
static void edu_irqs_notify(struct edu_dev *edu)
{
	struct kernfs_node *irqs_kn = READ_ONCE(edu->irqs_kn);

	if (irqs_kn && atomic_xchg(&edu->irqs_armed, 0))
		sysfs_notify_dirent(irqs_kn);
}

static int edu_irq_handle(struct edu_dev *edu, u32 status)
{
	/*
	 * Zero: a sharer's interrupt. All ones: the device is gone, unless it
	 * still identifies itself, since every bit can be raised (left
	 * unacknowledged, such a status would swallow every later interrupt).
	 */
	if (!status || (status == ~0U && edu_read(edu, EDU_REG_IDENT) == ~0U)) {
		edu_count(edu, irqs_spurious);
		return EDU_TR_IRQ_NONE;
	}

	/* Acknowledge first, so a new raise after this is not lost. */
	edu_write(edu, EDU_REG_IRQ_ACK, status);
	edu_count(edu, irqs);

	/* Fault injection: acknowledged, then forgotten as if lost. */
	if (atomic_dec_if_positive(&edu->faults.drop_irqs) >= 0) {
		edu_count(edu, irqs_dropped);
		edu_irqs_notify(edu);
		return EDU_TR_IRQ_DROPPED;
	}
	edu_log(edu, EDU_LOG_DEBUG, "interrupt, status 0x%08x\n", status);

	if (status & EDU_IRQ_FACTORIAL) {
		edu_count(edu, irqs_factorial);
		complete(&edu->fact_done);
	}
	if (status & EDU_IRQ_DMA) {
		edu_count(edu, irqs_dma);
		complete(&edu->dma_done);
	}
	if (status & ~(EDU_IRQ_FACTORIAL | EDU_IRQ_DMA))
		edu_count(edu, irqs_other);

	edu_events_post(edu, EDU_EVENT_INTERRUPT, status, 0);
	edu_irqs_notify(edu);
	return EDU_TR_IRQ_HANDLED;
}

/*
 * The tracepoints bracket the whole handler: the exit carries its cost
 * in ns (the benchmark's IRQ handler time), measured only when traced.
 */
static irqreturn_t edu_irq_handler(int irq, void *data)
{
	struct edu_dev *edu = data;
	bool timed = trace_edu_irq_handler_exit_enabled();
	u32 status;
	u64 start;
	int result;

	trace_edu_irq_handler_entry(edu->id, irq);
	/* After the entry event: its own record is not the handler's cost. */
	start = timed ? ktime_get_ns() : 0;
	status = edu_read(edu, EDU_REG_IRQ_STATUS);
	result = edu_irq_handle(edu, status);
	trace_edu_irq_handler_exit(edu->id, irq, status, result,
				   timed ? ktime_get_ns() - start : 0);
	return result == EDU_TR_IRQ_NONE ? IRQ_NONE : IRQ_HANDLED;
}

/**
 * edu_raise_irq() - interrupt injection through the device's raise register
 * @edu: the device, entered
 * @bits: interrupt status bits to set; not 0
 *
 * The device asserts a real interrupt, handled like any other.
 */
int edu_raise_irq(struct edu_dev *edu, u32 bits)
{
	if (!bits)
		return -EINVAL;
	edu_count(edu, injected);
	edu_write(edu, EDU_REG_IRQ_RAISE, bits);
	return 0;
}

int edu_irq_setup(struct edu_dev *edu, bool force_intx)
{
	struct pci_dev *pdev = edu->pdev;
	unsigned int types = PCI_IRQ_LEGACY;
	int nvec;

	if (!force_intx)
		types |= PCI_IRQ_MSI;

	/* pcim_enable_device() made the vectors managed: no free needed. */
	nvec = pci_alloc_irq_vectors(pdev, 1, 1, types);
	if (nvec < 0)
		return dev_err_probe(&pdev->dev, nvec, "no interrupt vector\n");

	edu->irq = pci_irq_vector(pdev, 0);
	edu->msi = pdev->msi_enabled;

	/* Start from a clean slate: nothing enabled, nothing pending. */
	edu_write(edu, EDU_REG_STATUS, 0);
	edu_write(edu, EDU_REG_IRQ_ACK, ~0U);

	return devm_request_irq(&pdev->dev, edu->irq, edu_irq_handler,
				edu->msi ? 0 : IRQF_SHARED,
				dev_name(&edu->dev), edu);
}

/* Called by remove(): stop every interrupt source and drain the handler. */
void edu_irq_quiesce(struct edu_dev *edu)
{
	edu_write(edu, EDU_REG_STATUS, 0);
	edu_write(edu, EDU_REG_IRQ_ACK, ~0U);
	synchronize_irq(edu->irq);
}
