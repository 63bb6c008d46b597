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

void edu_format_event(const struct edu_event *ev, char *buf, size_t len)
{
	snprintf(buf, len, "edu%u seq %llu status 0x%08x time %llu.%09llu lost %u",
		 ev->device, (unsigned long long)ev->seq, ev->irq_status,
		 (unsigned long long)(ev->timestamp_ns / 1000000000ULL),
		 (unsigned long long)(ev->timestamp_ns % 1000000000ULL), ev->lost);
}
