// SPDX-License-Identifier: GPL-2.0
/* The guest half of hot-plug: one request and one answer per line on ttyS2. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <termios.h>
#include <unistd.h>

#include "hotplug.h"
#include "ktap.h"
#include "util.h"

#define AGENT_PORT "/dev/ttyS2"
/* The agent itself gives a removal 30 s; a little more for the answer. */
#define ANSWER_MS 40000

int hotplug_request(const char *request, char *answer, size_t len)
{
	long long end = now_ms() + ANSWER_MS;
	struct termios tio;
	size_t got = 0;
	int fd, ret = -ETIMEDOUT;

	fd = open(AGENT_PORT, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* One request at a time, whoever asks (a test and its children). */
	flock(fd, LOCK_EX);
	/* Raw: no echo of the agent's answer back to it, no line editing. */
	if (tcgetattr(fd, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(fd, TCSANOW, &tio);
	}
	tcflush(fd, TCIFLUSH);
	if (dprintf(fd, "%s\n", request) < 0) {
		ret = -errno;
		goto out;
	}
	while (got + 1 < len) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		long long left = end - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&pf, 1, left) != 1)
			break;
		n = read(fd, answer + got, 1);
		if (n != 1)
			continue;
		if (answer[got] == '\n') {
			answer[got] = '\0';
			ret = strncmp(answer, "ok", 2) ? -EIO : 0;
			goto out;
		}
		got++;
	}
	answer[got] = '\0';
out:
	if (ret)
		diag("hotplug: '%s' -> %s (%s)", request, got ? answer : "no answer",
		     strerror(-ret));
	close(fd);
	return ret;
}

/* ACPI's event counters: the hotplug GPE (QEMU's is 1) and the SCI. */
static void dump_acpi_events(void)
{
	static const char *const names[] = { "gpe01", "sci", "sci_not", "gpe_all" };
	char path[64], text[128];
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "/sys/firmware/acpi/interrupts/%s", names[i]);
		if (!read_text(path, text, sizeof(text)))
			diag("hotplug: acpi %s: %s", names[i], text);
	}
}

int hotplug_unplug(const char *bdf)
{
	char req[64], answer[256];
	int ret;

	snprintf(req, sizeof(req), "unplug %s", bdf);
	ret = hotplug_request(req, answer, sizeof(answer));
	if (ret) {
		/*
		 * What holds the removal up: every task's stack and the busy
		 * workqueues (sysrq t), the locks held (d, with lockdep), and
		 * whether ACPI saw the hotplug event (its GPE and SCI counts).
		 */
		write_text("/proc/sysrq-trigger", "t", 1);
		write_text("/proc/sysrq-trigger", "d", 1);
		dump_acpi_events();
		diag("hotplug: tasks, workqueues and locks dumped to the console (sysrq t, d)");
	}
	return ret;
}

/*
 * Probed again, and its firmware load is over: the driver's links appear
 * before probe() runs, the class device within it, the load after it.
 */
static int bound(const char *bdf)
{
	char pattern[128], state[64];
	glob_t g;
	int ret;

	snprintf(pattern, sizeof(pattern), "/sys/bus/pci/devices/%s/edu/edu*/firmware_state", bdf);
	if (glob(pattern, 0, NULL, &g))
		return 0;
	ret = g.gl_pathc == 1 && !read_text(g.gl_pathv[0], state, sizeof(state)) &&
	      (!strncmp(state, "ready", 5) || !strncmp(state, "failed", 6));
	globfree(&g);
	return ret;
}

int hotplug_plug(const char *bdf)
{
	char req[64], answer[256];
	int ret;

	snprintf(req, sizeof(req), "plug %s", bdf);
	ret = hotplug_request(req, answer, sizeof(answer));
	if (ret)
		return ret;
	/* The guest learns of it by ACPI, rescans the slot and probes. */
	return WAIT_FOR(bound(bdf), 10000) ? 0 : -ETIMEDOUT;
}

int hotplug_restore(void)
{
	char answer[256];
	int ret = hotplug_request("restore", answer, sizeof(answer));

	return ret ?: atoi(answer + 2);
}
