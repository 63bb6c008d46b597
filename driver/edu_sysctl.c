// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/sys/dev/edu/: driver-wide tunables, with their ranges enforced by
 * the sysctl core. Writes need root (mode 0644) and CAP_SYS_ADMIN, as every
 * change of the driver's behaviour does (docs/privileges.md); each takes
 * effect at the next operation that reads it.
 */
#include <linux/string.h>
#include <linux/sysctl.h>

#include "edu.h"
#include "edu_route.h"

unsigned int edu_log_level = EDU_LOG_WARN;

/* The upcall helper: an absolute path, read by the upcall route. */
static DEFINE_MUTEX(edu_helper_lock);
static char edu_upcall_helper[256] = "/usr/libexec/edu/edu-upcall";

/* Copies the helper path out (the upcall route's reader). */
void edu_upcall_helper_get(char *buf, size_t len)
{
	mutex_lock(&edu_helper_lock);
	strscpy(buf, edu_upcall_helper, len);
	mutex_unlock(&edu_helper_lock);
}

static bool edu_valid_helper(const char *path)
{
	const char *p;

	if (path[0] != '/')
		return false;
	for (p = path; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

/* proc_dostring on a copy, so a refused value changes nothing. */
static int edu_helper_handler(struct ctl_table *table, int write, void *buffer,
			      size_t *lenp, loff_t *ppos)
{
	char path[sizeof(edu_upcall_helper)];
	struct ctl_table tmp = *table;
	int ret;

	tmp.data = path;
	tmp.maxlen = sizeof(path);
	if (!write) {
		edu_upcall_helper_get(path, sizeof(path));
		return proc_dostring(&tmp, 0, buffer, lenp, ppos);
	}
	if (!edu_capable())
		return -EPERM;
	/* proc_dostring silently truncates: refuse what does not fit. */
	if (*ppos || *lenp >= sizeof(path))
		return -EINVAL;
	path[0] = '\0';
	ret = proc_dostring(&tmp, 1, buffer, lenp, ppos);
	if (ret)
		return ret;
	if (!edu_valid_helper(path))
		return -EINVAL;
	mutex_lock(&edu_helper_lock);
	strscpy(edu_upcall_helper, path, sizeof(edu_upcall_helper));
	mutex_unlock(&edu_helper_lock);
	return 0;
}

/* proc_douintvec_minmax, with the driver's privilege for writes. */
static int edu_uint_handler(struct ctl_table *table, int write, void *buffer,
			    size_t *lenp, loff_t *ppos)
{
	if (write && !edu_capable())
		return -EPERM;
	return proc_douintvec_minmax(table, write, buffer, lenp, ppos);
}

static unsigned int dma_timeout_min = 10, dma_timeout_max = 60000;
static unsigned int irq_timeout_min = 10, irq_timeout_max = 60000;
static unsigned int queue_len_min = 1, queue_len_max = EDU_EVENT_LOG_LEN;
static unsigned int log_level_max = EDU_LOG_DEBUG;
static unsigned int upload_timeout_min = 1, upload_timeout_max = 3600;
static unsigned int upcall_timeout_min = 100, upcall_timeout_max = 600000;
static unsigned int uevent_burst_max = 10000;
static unsigned int uevent_interval_min = 10, uevent_interval_max = 3600000;

#define EDU_UINT_SYSCTL(_name, _var, _min, _max)			\
	{								\
		.procname = _name,					\
		.data = &(_var),					\
		.maxlen = sizeof(unsigned int),				\
		.mode = 0644,						\
		.proc_handler = edu_uint_handler,			\
		.extra1 = (_min),					\
		.extra2 = (_max),					\
	}

static struct ctl_table edu_sysctl_table[] = {
	EDU_UINT_SYSCTL("dma_timeout_ms", edu_dma_timeout_ms,
			&dma_timeout_min, &dma_timeout_max),
	EDU_UINT_SYSCTL("irq_timeout_ms", edu_irq_timeout_ms,
			&irq_timeout_min, &irq_timeout_max),
	EDU_UINT_SYSCTL("event_queue_len", edu_event_queue_len,
			&queue_len_min, &queue_len_max),
	EDU_UINT_SYSCTL("log_level", edu_log_level,
			SYSCTL_ZERO, &log_level_max),
	EDU_UINT_SYSCTL("firmware_upload_timeout_s", edu_fw_upload_timeout_s,
			&upload_timeout_min, &upload_timeout_max),
	EDU_UINT_SYSCTL("routes_allow_remote", edu_routes_allow_remote,
			SYSCTL_ZERO, SYSCTL_ONE),
	EDU_UINT_SYSCTL("upcall_timeout_ms", edu_upcall_timeout_ms,
			&upcall_timeout_min, &upcall_timeout_max),
	EDU_UINT_SYSCTL("uevent_burst", edu_uevent_burst,
			SYSCTL_ZERO, &uevent_burst_max),
	EDU_UINT_SYSCTL("uevent_interval_ms", edu_uevent_interval_ms,
			&uevent_interval_min, &uevent_interval_max),
	{
		.procname = "upcall_helper",
		.maxlen = sizeof(edu_upcall_helper),
		.mode = 0644,
		.proc_handler = edu_helper_handler,
	},
	{ }
};

static struct ctl_table_header *edu_sysctl_header;

int edu_sysctl_init(void)
{
	edu_sysctl_header = register_sysctl("dev/edu", edu_sysctl_table);
	return edu_sysctl_header ? 0 : -ENOMEM;
}

void edu_sysctl_exit(void)
{
	unregister_sysctl_table(edu_sysctl_header);
}
