// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA engine: one transfer at a time between RAM and the device buffer,
 * completion by interrupt. QEMU 7.2 aborts the whole machine on a zero count
 * or a range that touches the buffer's last byte, so every range is checked
 * here, whoever asks, before a register is written.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/uaccess.h>

#include "edu.h"

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

/* A transfer that outlived its timeout has finished: unpin its buffer. */
static void edu_dma_unpin(struct edu_dev *edu)
{
	if (edu->dma_pinned) {
		edu_file_put(edu->dma_pinned);
		edu->dma_pinned = NULL;
	}
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

		if (left > 0)
			wait_for_completion_timeout(&edu->dma_done, left);
		if (!edu_dma_running(edu))
			break;
		if (time_after_eq(jiffies, deadline))
			return -ETIMEDOUT;
		reinit_completion(&edu->dma_done);
	}
	return edu_dma_delay_fault(edu);
}

static int edu_dma_lock(struct edu_dev *edu, bool nonblock)
{
	if (nonblock)
		return mutex_trylock(&edu->dma_lock) ? 0 : -EBUSY;
	return mutex_lock_interruptible(&edu->dma_lock) ? -EINTR : 0;
}

/*
 * Runs one transfer with dma_lock held. The wait for the device is
 * uninterruptible but bounded: the target must not be released while the
 * engine may still write to it.
 */
static int edu_dma_locked(struct edu_dev *edu, struct edu_file *owner,
			  dma_addr_t ram, u32 dev_off, u32 len, bool to_ram)
{
	u64 dev_addr = EDU_DEV_BUF_ADDR + dev_off;
	u64 cmd = EDU_DMA_CMD_START | EDU_DMA_CMD_IRQ;
	int ret;

	/* The QEMU 7.2 abort conditions: never reach the device with them. */
	if (!len || dev_off >= EDU_DEV_BUF_SIZE - 1 ||
	    len > EDU_DEV_BUF_SIZE - 1 - dev_off)
		return -EINVAL;

	/* The engine ignores its registers while a transfer runs. */
	if (edu_dma_running(edu))
		return -EBUSY;
	edu_dma_unpin(edu);

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
		/* Keep the target alive until the engine is seen idle. */
		if (owner) {
			edu_file_get(owner);
			edu->dma_pinned = owner;
		}
		return ret;
	}
	edu_count(edu, dma_transfers);
	edu_count_add(edu, dma_bytes, len);
	edu_log(edu, EDU_LOG_INFO, "DMA of %u bytes %s offset %u\n", len,
		to_ram ? "from" : "to", dev_off);
	return 0;
}

/**
 * edu_dma() - run one transfer between a coherent buffer and the device
 * @edu: the device, entered
 * @owner: the file whose buffer @ram is in, or NULL for a driver buffer
 * @ram: bus address in a coherent buffer that stays allocated while @owner
 *	(or the device) is referenced
 * @dev_off: offset in the device buffer
 * @len: bytes; 1 <= len and dev_off + len <= EDU_DEV_BUF_SIZE - 1
 * @to_ram: direction
 * @nonblock: -EBUSY instead of waiting for another transfer
 *
 * Return: 0, -EINVAL for a range the device cannot take, -EBUSY, -EINTR,
 * or -ETIMEDOUT.
 */
int edu_dma(struct edu_dev *edu, struct edu_file *owner, dma_addr_t ram,
	    u32 dev_off, u32 len, bool to_ram, bool nonblock)
{
	int ret = edu_dma_lock(edu, nonblock);

	if (ret)
		return ret;
	ret = edu_dma_locked(edu, owner, ram, dev_off, len, to_ram);
	mutex_unlock(&edu->dma_lock);
	return ret;
}

/**
 * edu_dma_copy() - the copy path: user memory <-> data window, by DMA
 * through the device's bounce buffer
 * @edu: the device, entered
 * @ubuf: user memory of @len bytes
 * @window_off: offset in the data window
 * @len: bytes
 * @to_ram: true to read the window into @ubuf, false to write it
 * @nonblock: -EBUSY instead of waiting for another transfer
 */
int edu_dma_copy(struct edu_dev *edu, void __user *ubuf, u32 window_off,
		 u32 len, bool to_ram, bool nonblock)
{
	int ret;

	if (!len || window_off >= EDU_DATA_WINDOW_SIZE ||
	    len > EDU_DATA_WINDOW_SIZE - window_off)
		return -EINVAL;

	/* The bounce buffer belongs to the transfer: use it under dma_lock. */
	ret = edu_dma_lock(edu, nonblock);
	if (ret)
		return ret;
	if (!to_ram && copy_from_user(edu->bounce, ubuf, len)) {
		ret = -EFAULT;
		goto out;
	}
	ret = edu_dma_locked(edu, NULL, edu->bounce_dma,
			     EDU_FW_REGION_SIZE + window_off, len, to_ram);
	if (!ret && to_ram && copy_to_user(ubuf, edu->bounce, len))
		ret = -EFAULT;
out:
	mutex_unlock(&edu->dma_lock);
	return ret;
}

/**
 * edu_dma_kernel() - a transfer between kernel memory and any part of the
 * device buffer (the firmware region included), through the bounce buffer
 * @edu: the device, entered
 * @buf: kernel memory of @len bytes
 * @dev_off: offset in the device buffer
 * @len: bytes
 * @to_ram: direction
 */
int edu_dma_kernel(struct edu_dev *edu, void *buf, u32 dev_off, u32 len,
		   bool to_ram)
{
	int ret;

	if (len > EDU_DEV_BUF_SIZE)
		return -EINVAL;
	ret = edu_dma_lock(edu, false);
	if (ret)
		return ret;
	if (!to_ram)
		memcpy(edu->bounce, buf, len);
	ret = edu_dma_locked(edu, NULL, edu->bounce_dma, dev_off, len, to_ram);
	if (!ret && to_ram)
		memcpy(buf, edu->bounce, len);
	mutex_unlock(&edu->dma_lock);
	return ret;
}

/* Called by remove(): let a running transfer finish before the memory goes. */
void edu_dma_quiesce(struct edu_dev *edu)
{
	int i;

	mutex_lock(&edu->dma_lock);
	for (i = 0; i < 100 && edu_dma_running(edu); i++)
		msleep(20);
	edu_dma_unpin(edu);
	mutex_unlock(&edu->dma_lock);
}
