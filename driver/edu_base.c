// SPDX-License-Identifier: GPL-2.0
/*
 * What every channel of the driver relies on, below all of them: the
 * removal bracket around hardware access, the one privilege check, the
 * driver's log, and the workqueue for slow work (routes, deferred events,
 * the firmware upload's timeout) that must not hold up the system's shared
 * workqueues.
 */
#include <linux/capability.h>
#include <linux/workqueue.h>

#include "edu.h"

struct workqueue_struct *edu_wq;
struct workqueue_struct *edu_evfd_wq;

/**
 * edu_enter() - start an access to the hardware from a user-space path
 * @edu: the device
 *
 * Never call it with user memory still to be copied: a slow fault would
 * hold up remove(). Copy in before, copy out after edu_leave().
 *
 * Return: 0 with the device pinned until edu_leave(), or -ENODEV if it has
 * been removed.
 */
int edu_enter(struct edu_dev *edu)
{
	down_read(&edu->gone);
	if (edu->dead) {
		up_read(&edu->gone);
		return -ENODEV;
	}
	return 0;
}

void edu_leave(struct edu_dev *edu)
{
	up_read(&edu->gone);
}

/*
 * The privilege of every operation that uses the device's engines or
 * changes its state, whatever the channel (docs/privileges.md). Looking
 * at the device needs none.
 */
bool edu_capable(void)
{
	return capable(CAP_SYS_ADMIN);
}

void edu_log(struct edu_dev *edu, unsigned int level, const char *fmt, ...)
{
	static const char *const prefix[] = {
		KERN_ERR, KERN_WARNING, KERN_INFO, KERN_INFO,
	};
	struct va_format vaf;
	va_list args;

	if (level > READ_ONCE(edu_log_level))
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	dev_printk(prefix[min_t(unsigned int, level, EDU_LOG_DEBUG)], &edu->dev,
		   "%pV", &vaf);
	va_end(args);
}

int edu_base_init(void)
{
	/*
	 * Unbound: a route may wait seconds for its helper, and the event work
	 * must not hold a CPU's shared worker pool through an interrupt storm.
	 */
	edu_wq = alloc_workqueue("edu", WQ_UNBOUND, 0);
	if (!edu_wq)
		return -ENOMEM;
	/*
	 * The eventfd clean-ups, apart: a file's close and remove() flush
	 * it, and must not wait behind a route's helper.
	 */
	edu_evfd_wq = alloc_workqueue("edu_evfd", 0, 0);
	if (!edu_evfd_wq) {
		destroy_workqueue(edu_wq);
		return -ENOMEM;
	}
	return 0;
}

/* Module exit: everything queued has run; nothing of ours runs after. */
void edu_base_exit(void)
{
	destroy_workqueue(edu_evfd_wq);
	destroy_workqueue(edu_wq);
}
