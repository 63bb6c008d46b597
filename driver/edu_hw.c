// SPDX-License-Identifier: GPL-2.0
/*
 * Operations on the device's engines. Callers hold edu_enter().
 */
#include <linux/jiffies.h>

#include "edu.h"

/* How long to wait for a completion interrupt before asking the device. */
unsigned int edu_irq_timeout_ms = 1000;

/**
 * edu_factorial() - compute n! on the device
 * @edu: the device, entered
 * @n: operand, 0..EDU_FACTORIAL_MAX (larger results wrap in 32 bits)
 * @result: n! on success
 *
 * Completion is signalled by interrupt. QEMU 7.2 can lose that interrupt
 * (a missing barrier, fixed in 8.0), so on timeout the status register
 * decides: still computing is an error, finished is a lost interrupt.
 *
 * Return: 0, -ERANGE for a bad operand, -EBUSY if the engine is still
 * running an abandoned computation, -ETIMEDOUT, or -EINTR.
 */
int edu_factorial(struct edu_dev *edu, u32 n, u32 *result)
{
	unsigned long timeout = msecs_to_jiffies(edu_irq_timeout_ms);
	int ret = 0;

	if (n > EDU_FACTORIAL_MAX)
		return -ERANGE;

	if (mutex_lock_interruptible(&edu->fact_lock))
		return -EINTR;

	/* The device ignores a new operand while it computes. */
	if (edu_read(edu, EDU_REG_STATUS) & EDU_STATUS_COMPUTING) {
		ret = -EBUSY;
		goto out;
	}

	reinit_completion(&edu->fact_done);
	/* Enable the completion interrupt before the operand starts it. */
	edu_write(edu, EDU_REG_STATUS, EDU_STATUS_IRQ_FACT);
	edu_write(edu, EDU_REG_FACTORIAL, n);

	if (!wait_for_completion_timeout(&edu->fact_done, timeout)) {
		if (edu_read(edu, EDU_REG_STATUS) & EDU_STATUS_COMPUTING) {
			dev_warn_ratelimited(&edu->dev, "factorial timed out\n");
			ret = -ETIMEDOUT;
			goto out;
		}
		dev_dbg(&edu->dev, "factorial done, interrupt lost\n");
	}
	*result = edu_read(edu, EDU_REG_FACTORIAL);
out:
	mutex_unlock(&edu->fact_lock);
	return ret;
}
