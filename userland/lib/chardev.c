// SPDX-License-Identifier: MIT
/* /dev/eduN: opening it, and printing what it delivers. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include "libedu.h"

int edu_open_dev(const char *name, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", name);
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

const char *edu_event_type_name(uint32_t type)
{
	switch (type) {
	case EDU_EVENT_INTERRUPT:
		return "interrupt";
	case EDU_EVENT_FIRMWARE_LOADED:
		return "firmware_loaded";
	case EDU_EVENT_FIRMWARE_FAILED:
		return "firmware_failed";
	}
	return "unknown";
}

/* Every field of the record, the type by name (docs/eductl.md). */
void edu_format_event(const struct edu_event *ev, char *buf, size_t len)
{
	snprintf(buf, len, "edu%u seq %llu type %s status 0x%08x value %u "
		 "time %llu.%09llu lost %u",
		 ev->device, (unsigned long long)ev->seq,
		 edu_event_type_name(ev->type), ev->irq_status, ev->value,
		 (unsigned long long)(ev->timestamp_ns / 1000000000ULL),
		 (unsigned long long)(ev->timestamp_ns % 1000000000ULL), ev->lost);
}
