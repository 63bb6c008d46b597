// SPDX-License-Identifier: GPL-2.0
/*
 * Operations on the device's engines. Callers hold edu_enter().
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>

#include "edu.h"
#include "edu_trace.h"

/* How long to wait for a completion interrupt before asking the device. */
unsigned int edu_irq_timeout_ms = 1000;

/**
 * edu_factorial() - compute n! on the device
 * @edu: the device, entered
 * @n: operand, 0..EDU_FACTORIAL_MAX (larger results wrap in 32 bits)
 * @result: n! on success
 *
 * Completion is signalled by interrupt, but the status register decides:
 * an injected factorial bit also completes fact_done, and QEMU 7.2 can lose
 * the real interrupt (a missing barrier, fixed in 8.0).
 *
 * Return: 0, -ERANGE for a bad operand, -EBUSY if the engine is still
 * running an abandoned computation, -ETIMEDOUT, -EINTR, or -ENODEV if the
 * device vanished (its registers read all ones).
 */
int edu_factorial(struct edu_dev *edu, u32 n, u32 *result)
{
	unsigned long deadline;
	u64 start;
	u32 status;
	int ret = 0;

	if (n > EDU_FACTORIAL_MAX)
		return -ERANGE;

	if (mutex_lock_interruptible(&edu->fact_lock))
		return -EINTR;

	/* The device ignores a new operand while it computes. */
	status = edu_read(edu, EDU_REG_STATUS);
	if (status == ~0U) {
		/* All ones: the device is gone (a live one never reads so). */
		edu_count(edu, errors);
		trace_edu_factorial(edu->id, n, 0, 0, -ENODEV);
		ret = -ENODEV;
		goto out;
	}
	if (status & EDU_STATUS_COMPUTING) {
		ret = -EBUSY;
		goto out;
	}

	start = ktime_get_ns();
	reinit_completion(&edu->fact_done);
	/* Enable the completion interrupt before the operand starts it. */
	edu_write(edu, EDU_REG_STATUS, EDU_STATUS_IRQ_FACT);
	edu_write(edu, EDU_REG_FACTORIAL, n);

	deadline = jiffies + msecs_to_jiffies(edu_irq_timeout_ms);
	for (;;) {
		long left = deadline - jiffies;

		if (left > 0)
			wait_for_completion_timeout(&edu->fact_done, left);
		/* Before the check: a completion after it is kept. */
		reinit_completion(&edu->fact_done);
		status = edu_read(edu, EDU_REG_STATUS);
		if (status == ~0U) {
			edu_count(edu, errors);
			trace_edu_factorial(edu->id, n, 0, ktime_get_ns() - start,
					    -ENODEV);
			ret = -ENODEV;
			goto out;
		}
		if (!(status & EDU_STATUS_COMPUTING))
			break;
		if (time_after_eq(jiffies, deadline)) {
			edu_count(edu, errors);
			edu_log(edu, EDU_LOG_WARN, "factorial timed out\n");
			trace_edu_factorial(edu->id, n, 0, ktime_get_ns() - start,
					    -ETIMEDOUT);
			edu_uevent_factorial_timeout(edu, n);
			ret = -ETIMEDOUT;
			goto out;
		}
	}
	*result = edu_read(edu, EDU_REG_FACTORIAL);
	trace_edu_factorial(edu->id, n, *result, ktime_get_ns() - start, 0);
	edu_count(edu, factorials);
	edu_log(edu, EDU_LOG_INFO, "%u! = %u\n", n, *result);
out:
	mutex_unlock(&edu->fact_lock);
	return ret;
}
