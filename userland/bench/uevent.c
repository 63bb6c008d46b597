// SPDX-License-Identifier: GPL-2.0
/*
 * The uevent row of the events group: from a change of a fault knob
 * (debugfs drop_irqs, set and cleared in turn) to the KOBJ_CHANGE uevent
 * held by a listener on NETLINK_KOBJECT_UEVENT, as udev listens. The
 * driver limits uevents to uevent_burst per uevent_interval_ms: the run
 * lifts the limit and puts it back (docs/uevents.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "bench.h"
#include "libedu.h"

#define SYSCTL "/proc/sys/dev/edu/"

/* The kernel's uevent multicast group (not udev's rebroadcast). */
static int uevent_socket(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int ends_with(const char *s, const char *tail)
{
	size_t ls = strlen(s), lt = strlen(tail);

	return ls >= lt && !strcmp(s + ls - lt, tail);
}

/* Waits up to 2 s for our device's fault uevent: 0, or -errno. */
static int wait_fault_uevent(int fd, const char *devpath_tail)
{
	char buf[4096];
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (;;) {
		ssize_t n;
		int has_dev = 0, has_fault = 0;
		char *s;

		if (poll(&p, 1, 2000) != 1)
			return -ETIMEDOUT;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			return -errno;
		buf[n] = '\0';
		/* NUL-separated: "change@DEVPATH", then KEY=VALUE pairs. */
		for (s = buf; s < buf + n; s += strlen(s) + 1) {
			has_dev |= !strncmp(s, "change@", 7) && ends_with(s, devpath_tail);
			has_fault |= !strcmp(s, "EDU_EVENT=fault");
		}
		if (has_dev && has_fault)
			return 0;
	}
}

void bench_uevent(const struct bench_cfg *cfg)
{
	char knob[128], tail[32], burst[16], interval[16], before[16];
	struct bench_samples s;
	unsigned int i;
	int fd;

	snprintf(knob, sizeof(knob), "/sys/kernel/debug/edu/%s/drop_irqs", cfg->dev);
	snprintf(tail, sizeof(tail), "/%s", cfg->dev);
	if (edu_file_read(knob, before, sizeof(before)) ||
	    edu_file_read(SYSCTL "uevent_burst", burst, sizeof(burst)) ||
	    edu_file_read(SYSCTL "uevent_interval_ms", interval, sizeof(interval))) {
		report_skip("events", "uevent", "no uevent sysctls");
		return;
	}
	fd = uevent_socket();
	if (fd < 0) {
		report_skip("events", "uevent", strerror(-fd));
		return;
	}
	edu_file_write(SYSCTL "uevent_burst", "10000");
	edu_file_write(SYSCTL "uevent_interval_ms", "10");
	samples_init(&s);
	for (i = 0; i < cfg->samples; i++) {
		uint64_t t0;
		int ret;

		usleep(2000);
		t0 = now_ns();
		ret = edu_file_write(knob, i % 2 ? "0" : "1");	/* a change each time */
		if (!ret)
			ret = wait_fault_uevent(fd, tail);
		if (ret)
			s.failed++;
		else
			samples_add(&s, now_ns() - t0);
	}
	edu_file_write(knob, before);
	edu_file_write(SYSCTL "uevent_burst", burst);
	edu_file_write(SYSCTL "uevent_interval_ms", interval);
	close(fd);
	report_samples("events", "uevent", "us", &s, "fault knob to KOBJ_CHANGE");
	samples_free(&s);
}
