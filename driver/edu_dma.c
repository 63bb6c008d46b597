// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA engine: one transfer at a time between RAM and the device buffer,
 * completion by interrupt. QEMU 7.2 aborts the whole machine on a zero count
 * or a range that touches the buffer's last byte, so every range is checked
 * here, whoever asks, before a register is written.
 *
 * Two kinds of RAM buffer:
 *  - the device's bounce buffer (coherent, freed by devres after remove()),
 *    for the copy path and firmware: kernel memory copied in and out;
 *  - a page owned by an open file (the zero-copy path), streaming-mapped
 *    for one transfer only, so that a page that outlives the device (its
 *    file and user mappings can) never needs the device to be freed.
 * A transfer that outlives its timeout keeps its page mapped until the
 * engine is seen idle, at the next transfer or in remove().
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mm.h>

#include "edu.h"
#include "edu_trace.h"

/* How long a transfer may take; the device needs ~100 ms of virtual time. */
unsigned int edu_dma_timeout_ms = 1000;

int edu_dma_init(struct edu_dev *edu)
{
	mutex_init(&edu->dma_lock);
	init_completion(&edu->dma_done);
	edu->bounce = dmam_alloc_coherent(&edu->pdev->dev, EDU_DEV_BUF_SIZE,
					  &edu->bounce_dma, GFP_KERNEL);
	return edu->bounce ? 0 : -ENOMEM;
}

static bool edu_dma_running(struct edu_dev *edu)
{
	u64 cmd = readq(edu->regs + EDU_REG_DMA_CMD);

	/* All ones: the device is gone and will not run anything. */
	return cmd != ~0ULL && (cmd & EDU_DMA_CMD_START);
}

/* With dma_lock held, the engine idle: undo a timed-out transfer's mapping. */
static void edu_dma_unpin(struct edu_dev *edu)
{
	struct edu_dma_pin *pin = &edu->dma_pinned;

	if (!pin->page)
		return;
	dma_unmap_page(&edu->pdev->dev, pin->addr, pin->len, pin->dir);
	put_page(pin->page);
	pin->page = NULL;
}

/*
 * With dma_lock held, before any buffer is touched: a transfer that outlived
 * its timeout may still be writing to the bounce buffer or a pinned page.
 */
static int edu_dma_claim(struct edu_dev *edu)
{
	if (edu_dma_running(edu))
		return -EBUSY;
	edu_dma_unpin(edu);
	return 0;
}

/*
 * Fault injection: the completion is handled dma_delay_ms late; past the
 * timeout that is a timeout, as it would be for a slow driver.
 */
static int edu_dma_delay_fault(struct edu_dev *edu)
{
	unsigned int delay = READ_ONCE(edu->faults.dma_delay_ms);
	unsigned int timeout = READ_ONCE(edu_dma_timeout_ms);

	if (!delay)
		return 0;
	msleep(min(delay, timeout));
	if (delay < timeout)
		return 0;
	edu_log(edu, EDU_LOG_WARN,
		"DMA completion handled %u ms late (fault injected)\n", delay);
	return -ETIMEDOUT;
}

/*
 * Waits for the engine, not merely for an interrupt: an injected DMA bit
 * also completes dma_done, and QEMU 7.2 can lose the real one.
 */
static int edu_dma_wait(struct edu_dev *edu)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(edu_dma_timeout_ms);

	for (;;) {
		long left = deadline - jiffies;
		u64 cmd;

		if (left > 0)
			wait_for_completion_timeout(&edu->dma_done, left);
		/* Before the check: a completion after it is kept. */
		reinit_completion(&edu->dma_done);
		cmd = readq(edu->regs + EDU_REG_DMA_CMD);
		/* All ones: the device is gone, and what it moved is unknown. */
		if (cmd == ~0ULL)
			return -ENODEV;
		if (!(cmd & EDU_DMA_CMD_START))
			break;
		if (time_after_eq(jiffies, deadline))
			return -ETIMEDOUT;
	}
	return edu_dma_delay_fault(edu);
}

static int edu_dma_lock(struct edu_dev *edu, bool nonblock)
{
	if (nonblock)
		return mutex_trylock(&edu->dma_lock) ? 0 : -EBUSY;
	return mutex_lock_interruptible(&edu->dma_lock) ? -EINTR : 0;
}

static bool edu_dma_range_ok(u32 dev_off, u32 len)
{
	/* The QEMU 7.2 abort conditions: never reach the device with them. */
	return len && dev_off < EDU_DEV_BUF_SIZE - 1 &&
	       len <= EDU_DEV_BUF_SIZE - 1 - dev_off;
}

/* Runs one transfer: the body of edu_dma_run(). */
static int edu_dma_run_traced(struct edu_dev *edu, dma_addr_t ram, u32 dev_off,
			      u32 len, bool to_ram)
{
	u64 dev_addr = EDU_DEV_BUF_ADDR + dev_off;
	u64 cmd = EDU_DMA_CMD_START | EDU_DMA_CMD_IRQ;
	int ret;

	if (atomic_dec_if_positive(&edu->faults.fail_dma) >= 0) {
		edu_count(edu, errors);
		edu_log(edu, EDU_LOG_INFO, "DMA failed (fault injected)\n");
		return -EIO;
	}

	if (to_ram)
		cmd |= EDU_DMA_CMD_TO_RAM;
	reinit_completion(&edu->dma_done);
	writeq(to_ram ? dev_addr : ram, edu->regs + EDU_REG_DMA_SRC);
	writeq(to_ram ? ram : dev_addr, edu->regs + EDU_REG_DMA_DST);
	writeq(len, edu->regs + EDU_REG_DMA_COUNT);
	writeq(cmd, edu->regs + EDU_REG_DMA_CMD);

	ret = edu_dma_wait(edu);
	if (ret) {
		edu_count(edu, errors);
		if (edu_dma_running(edu))
			edu_log(edu, EDU_LOG_WARN, "DMA of %u bytes timed out\n",
				len);
		if (ret == -ETIMEDOUT)
			edu_uevent_dma_timeout(edu, dev_off, len, to_ram);
		return ret;
	}
	edu_count(edu, dma_transfers);
	edu_count_add(edu, dma_bytes, len);
	edu_log(edu, EDU_LOG_INFO, "DMA of %u bytes %s offset %u\n", len,
		to_ram ? "from" : "to", dev_off);
	return 0;
}

/*
 * Runs one transfer with dma_lock held and the buffer claimed. The wait for
 * the device is uninterruptible but bounded. Traced from the driver's start
 * (an injected failure included) to the end of the wait.
 */
static int edu_dma_run(struct edu_dev *edu, dma_addr_t ram, u32 dev_off,
		       u32 len, bool to_ram)
{
	u64 start = ktime_get_ns();
	int ret;

	trace_edu_dma_start(edu->id, to_ram, dev_off, len, ram);
	ret = edu_dma_run_traced(edu, ram, dev_off, len, to_ram);
	trace_edu_dma_done(edu->id, to_ram, dev_off, len,
			   ktime_get_ns() - start, ret);
	return ret;
}

/**
 * edu_dma_page() - the zero-copy path: one transfer between a page and the
 * device buffer, the page mapped for the transfer only
 * @edu: the device, entered
 * @page: the RAM side; referenced while a timed-out transfer may use it
 * @page_off: offset in @page
 * @dev_off: offset in the device buffer
 * @len: bytes; both ranges must fit
 * @to_ram: direction
 * @nonblock: -EBUSY instead of waiting for another transfer
 *
 * Return: 0, -EINVAL for a range the device cannot take, -EBUSY, -EINTR,
 * -ENOMEM, -EIO, -ETIMEDOUT, or -ENODEV if the device vanished.
 */
int edu_dma_page(struct edu_dev *edu, struct page *page, u32 page_off,
		 u32 dev_off, u32 len, bool to_ram, bool nonblock)
{
	enum dma_data_direction dir = to_ram ? DMA_FROM_DEVICE : DMA_TO_DEVICE;
	struct device *dev = &edu->pdev->dev;
	dma_addr_t addr;
	int ret;

	if (!edu_dma_range_ok(dev_off, len) || page_off >= PAGE_SIZE ||
	    len > PAGE_SIZE - page_off)
		return -EINVAL;
	ret = edu_dma_lock(edu, nonblock);
	if (ret)
		return ret;
	ret = edu_dma_claim(edu);
	if (ret)
		goto out;

	addr = dma_map_page(dev, page, page_off, len, dir);
	if (dma_mapping_error(dev, addr)) {
		ret = -ENOMEM;
		goto out;
	}
	ret = edu_dma_run(edu, addr, dev_off, len, to_ram);
	if (ret == -ETIMEDOUT && edu_dma_running(edu)) {
		/* The engine may still use the page: keep it mapped and alive. */
		get_page(page);
		edu->dma_pinned = (struct edu_dma_pin) {
			.page = page, .addr = addr, .len = len, .dir = dir,
		};
	} else {
		dma_unmap_page(dev, addr, len, dir);
	}
out:
	mutex_unlock(&edu->dma_lock);
	return ret;
}

/**
 * edu_dma_bounce() - a transfer between kernel memory and any part of the
 * device buffer (the firmware region included), through the bounce buffer
 * @edu: the device, entered
 * @buf: kernel memory of @len bytes
 * @dev_off: offset in the device buffer
 * @len: bytes
 * @to_ram: true to read the device buffer into @buf
 * @nonblock: -EBUSY instead of waiting for another transfer
 */
int edu_dma_bounce(struct edu_dev *edu, void *buf, u32 dev_off, u32 len,
		   bool to_ram, bool nonblock)
{
	int ret;

	if (!edu_dma_range_ok(dev_off, len))
		return -EINVAL;
	ret = edu_dma_lock(edu, nonblock);
	if (ret)
		return ret;
	/* The bounce buffer is free only once the engine is idle. */
	ret = edu_dma_claim(edu);
	if (ret)
		goto out;
	if (!to_ram)
		memcpy(edu->bounce, buf, len);
	ret = edu_dma_run(edu, edu->bounce_dma, dev_off, len, to_ram);
	if (!ret && to_ram)
		memcpy(buf, edu->bounce, len);
out:
	mutex_unlock(&edu->dma_lock);
	return ret;
}

/*
 * Called by remove(), no access running: let a transfer end before its
 * memory goes; one that never ends is cut off by turning bus mastering off.
 * Every mapping is undone here, while the device is still there.
 */
void edu_dma_quiesce(struct edu_dev *edu)
{
	int i;

	mutex_lock(&edu->dma_lock);
	for (i = 0; i < 100 && edu_dma_running(edu); i++)
		msleep(20);
	if (edu_dma_running(edu))
		pci_clear_master(edu->pdev);
	edu_dma_unpin(edu);
	mutex_unlock(&edu->dma_lock);
}
