// SPDX-License-Identifier: GPL-2.0
/*
 * uevents: KOBJ_CHANGE on the class device /sys/class/edu/eduN when a
 * firmware load ends, when a debugfs fault knob is written, and when the
 * device times out (docs/uevents.md has every KEY=VALUE).
 *
 * kobject_uevent_env() allocates and may sleep, and it must not race with
 * device_del(): callers only queue a record here (any context, no lock of
 * theirs matters), and a work item sends them. remove() closes the queue
 * and flushes the work before the class device goes.
 *
 * Rate limit, per device: at most dev.edu.uevent_burst uevents in a window
 * of dev.edu.uevent_interval_ms that starts with the first uevent after the
 * previous window ended (as the kernel's printk ratelimit). The others are
 * counted, and the next uevent sent says how many in EDU_SUPPRESSED.
 */
#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "edu.h"

unsigned int edu_uevent_burst = 10;
unsigned int edu_uevent_interval_ms = 5000;

/*
 * Takes one record if the rate limit allows it, the queue has room and the
 * device is not being removed; else counts it as suppressed.
 */
static void edu_uevent_queue(struct edu_dev *edu, struct edu_uevent_rec *rec)
{
	unsigned long interval = msecs_to_jiffies(READ_ONCE(edu_uevent_interval_ms));
	unsigned int burst = READ_ONCE(edu_uevent_burst);
	unsigned long flags;

	spin_lock_irqsave(&edu->uevent_lock, flags);
	if (edu->uevent_closed)
		goto out;
	if (!edu->uevent_begin_set ||
	    time_after_eq(jiffies, edu->uevent_begin + interval)) {
		edu->uevent_begin = jiffies;
		edu->uevent_begin_set = true;
		edu->uevent_sent = 0;
	}
	if (edu->uevent_sent >= burst || edu->uevent_count == EDU_UEVENT_QUEUE) {
		edu->uevent_suppressed++;
		goto out;
	}
	edu->uevent_sent++;
	if (!WARN_ON_ONCE(rec->n >= EDU_UEVENT_KEYS))
		snprintf(rec->env[rec->n++], EDU_UEVENT_KEYLEN, "EDU_SUPPRESSED=%u",
			 edu->uevent_suppressed);
	edu->uevent_suppressed = 0;
	edu->uevents[(edu->uevent_head + edu->uevent_count) % EDU_UEVENT_QUEUE] =
		*rec;
	edu->uevent_count++;
	/*
	 * Queued under the lock: edu_uevent_close() takes it before its
	 * flush, so no accepted record can have its work queued after that.
	 */
	queue_work(edu_wq, &edu->uevent_work);
out:
	spin_unlock_irqrestore(&edu->uevent_lock, flags);
}

/* Process context, no lock held: each record becomes one uevent. */
static void edu_uevent_work(struct work_struct *work)
{
	struct edu_dev *edu = container_of(work, struct edu_dev, uevent_work);
	char *envp[EDU_UEVENT_KEYS + 1];
	struct edu_uevent_rec rec;
	unsigned int i;
	int ret;

	for (;;) {
		spin_lock_irq(&edu->uevent_lock);
		if (!edu->uevent_count) {
			spin_unlock_irq(&edu->uevent_lock);
			return;
		}
		rec = edu->uevents[edu->uevent_head];
		edu->uevent_head = (edu->uevent_head + 1) % EDU_UEVENT_QUEUE;
		edu->uevent_count--;
		spin_unlock_irq(&edu->uevent_lock);

		for (i = 0; i < rec.n; i++)
			envp[i] = rec.env[i];
		envp[i] = NULL;
		ret = kobject_uevent_env(&edu->dev.kobj, KOBJ_CHANGE, envp);
		if (ret)
			edu_log(edu, EDU_LOG_DEBUG, "uevent not sent: %d\n", ret);
	}
}

/* Adds "KEY=VALUE" to a record (the caller sizes it: never truncated). */
static __printf(2, 3) void edu_uevent_add(struct edu_uevent_rec *rec,
					  const char *fmt, ...)
{
	va_list args;

	/* One slot stays free for EDU_SUPPRESSED. */
	if (WARN_ON_ONCE(rec->n >= EDU_UEVENT_KEYS - 1))
		return;
	va_start(args, fmt);
	vsnprintf(rec->env[rec->n++], EDU_UEVENT_KEYLEN, fmt, args);
	va_end(args);
}

/**
 * edu_uevent_firmware() - a firmware load ended
 * @edu: the device
 * @err: 0, or the load's negative errno
 * @version: the active version on success
 * @reason: why it failed; spaces become '_' in EDU_FW_REASON
 */
void edu_uevent_firmware(struct edu_dev *edu, int err, u32 version,
			 const char *reason)
{
	struct edu_uevent_rec rec = { .n = 0 };
	char *p;

	if (!err) {
		edu_uevent_add(&rec, "EDU_EVENT=firmware_loaded");
		edu_uevent_add(&rec, "EDU_FW_VERSION=%u.%u.%u", version >> 16,
			       (version >> 8) & 0xff, version & 0xff);
	} else {
		edu_uevent_add(&rec, "EDU_EVENT=firmware_failed");
		edu_uevent_add(&rec, "EDU_FW_ERROR=%d", -err);
		edu_uevent_add(&rec, "EDU_FW_REASON=%s", reason);
		for (p = rec.env[rec.n - 1]; *p; p++)
			if (*p == ' ')
				*p = '_';
	}
	edu_uevent_queue(edu, &rec);
}

/* A debugfs fault knob (drop_irqs, fail_dma, dma_delay_ms) was written. */
void edu_uevent_fault(struct edu_dev *edu, const char *knob, u64 value)
{
	struct edu_uevent_rec rec = { .n = 0 };

	edu_uevent_add(&rec, "EDU_EVENT=fault");
	edu_uevent_add(&rec, "EDU_FAULT=%s", knob);
	edu_uevent_add(&rec, "EDU_FAULT_VALUE=%llu", value);
	edu_uevent_queue(edu, &rec);
}

/* A transfer ended by its timeout (a late completion counts as one). */
void edu_uevent_dma_timeout(struct edu_dev *edu, u32 dev_off, u32 len,
			    bool to_ram)
{
	struct edu_uevent_rec rec = { .n = 0 };

	edu_uevent_add(&rec, "EDU_EVENT=dma_timeout");
	edu_uevent_add(&rec, "EDU_DMA_DIR=%s", to_ram ? "to_ram" : "to_device");
	edu_uevent_add(&rec, "EDU_DMA_OFFSET=%u", dev_off);
	edu_uevent_add(&rec, "EDU_DMA_LEN=%u", len);
	edu_uevent_queue(edu, &rec);
}

/* The factorial engine still computed when the wait for it ended. */
void edu_uevent_factorial_timeout(struct edu_dev *edu, u32 n)
{
	struct edu_uevent_rec rec = { .n = 0 };

	edu_uevent_add(&rec, "EDU_EVENT=factorial_timeout");
	edu_uevent_add(&rec, "EDU_FACTORIAL_N=%u", n);
	edu_uevent_queue(edu, &rec);
}

void edu_uevent_init(struct edu_dev *edu)
{
	spin_lock_init(&edu->uevent_lock);
	INIT_WORK(&edu->uevent_work, edu_uevent_work);
}

/*
 * remove(), before the class device goes: what is queued is sent, nothing
 * is queued after (a timeout of an access that remove() drains later is
 * not reported: the device's "remove" uevent says more).
 */
void edu_uevent_close(struct edu_dev *edu)
{
	spin_lock_irq(&edu->uevent_lock);
	edu->uevent_closed = true;
	spin_unlock_irq(&edu->uevent_lock);
	flush_work(&edu->uevent_work);
}
