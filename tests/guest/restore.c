// SPDX-License-Identifier: GPL-2.0
/* Saving and restoring the driver's tunables and fault knobs around a test. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "hotplug.h"
#include "ktap.h"
#include "restore.h"
#include "util.h"

/* A prefix for every path, so the code can be tried on a fake tree. */
#ifndef KNOB_ROOT
#define KNOB_ROOT ""
#endif
#define SYSCTL_DIR KNOB_ROOT "/proc/sys/dev/edu"
#define DEBUGFS_DIR KNOB_ROOT "/sys/kernel/debug/edu"
#define FAULT_KNOBS DEBUGFS_DIR "/edu*/{drop_irqs,fail_dma,dma_delay_ms}"
#define ROUTES_GLOB KNOB_ROOT "/sys/kernel/config/edu/routes/*"
#define SIGNAL_PIDS DEBUGFS_DIR "/edu*/signal_pid"
#define TRACE_ENABLE KNOB_ROOT "/sys/kernel/tracing/events/edu/enable"

/* 16 devices with 3 knobs each, and the sysctls. */
#define MAX_KNOBS 128

struct knob {
	char path[128];
	char val[320];	/* upcall_helper: up to 255 characters and "\n" */
};

static struct knob knobs[MAX_KNOBS];
static int nknobs;

static void save_one(const char *path)
{
	struct knob *k = &knobs[nknobs];
	struct stat st;
	int ret;

	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return;
	if (nknobs == MAX_KNOBS ||
	    snprintf(k->path, sizeof(k->path), "%s", path) >= (int)sizeof(k->path)) {
		diag("restore: cannot save %s (too many or too long)", path);
		return;
	}
	ret = read_text(path, k->val, sizeof(k->val));
	if (ret) {
		diag("restore: cannot read %s: %s", path, strerror(-ret));
		return;
	}
	nknobs++;
}

void knobs_save(void)
{
	DIR *dir;
	glob_t g;

	nknobs = 0;
	dir = opendir(SYSCTL_DIR);
	if (dir) {
		struct dirent *de;

		while ((de = readdir(dir))) {
			char path[512];	/* save_one() refuses what does not fit a knob */

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", SYSCTL_DIR, de->d_name);
			save_one(path);
		}
		closedir(dir);
	}
	if (glob(FAULT_KNOBS, GLOB_BRACE, NULL, &g) == 0) {
		size_t i;

		for (i = 0; i < g.gl_pathc; i++)
			save_one(g.gl_pathv[i]);
		globfree(&g);
	}
}

/* The path without its mount point, for messages: dev/edu/log_level, edu/edu0/fail_dma. */
static const char *key(const char *path)
{
	const char *p = strstr(path, "/proc/sys/");

	if (p)
		return p + strlen("/proc/sys/");
	p = strstr(path, "/sys/kernel/debug/");
	return p ? p + strlen("/sys/kernel/debug/") : path;
}

/* Writes val and checks the file then reads expect; 0 or -1 (with a diag). */
static int put_back(const char *test, const char *path, const char *val,
		    const char *expect)
{
	size_t len = strlen(val);
	char now[sizeof(knobs[0].val)];
	int ret;

	/* Without the newline: the sysctl string handler counts it against the limit. */
	if (len && val[len - 1] == '\n')
		len--;
	ret = write_text(path, val, len);
	if (!ret)
		ret = read_text(path, now, sizeof(now));
	if (ret) {
		diag("%s: cannot restore %s to %.*s: %s", test, key(path), (int)len, val,
		     strerror(-ret));
		return -1;
	}
	if (strcmp(now, expect)) {
		diag("%s: cannot restore %s to %.*s: reads %s", test, key(path), (int)len,
		     val, strtok(now, "\n") ?: "nothing");
		return -1;
	}
	diag("%s: restored %s", test, key(path));
	return 0;
}

/*
 * With the driver loaded, every edu function is bound: a test that leaves
 * one unbound (or removed from the bus) fails, and the device comes back,
 * so that the next tests find edu0 and edu1 where they expect them.
 */
static int rebind_devices(const char *test)
{
	char path[300], id[16], names[MAX_EDU][16];
	int ret = 0, found = 0;
	size_t i;
	glob_t g;

	if (access(KNOB_ROOT "/sys/bus/pci/drivers/edu", F_OK))
		return 0;
	if (glob(KNOB_ROOT "/sys/bus/pci/devices/*", 0, NULL, &g))
		return 0;
	for (i = 0; i < g.gl_pathc; i++) {
		const char *bdf = strrchr(g.gl_pathv[i], '/') + 1;

		snprintf(path, sizeof(path), "%s/device", g.gl_pathv[i]);
		if (read_text(path, id, sizeof(id)) || strcmp(id, "0x11e8\n"))
			continue;
		found++;
		snprintf(path, sizeof(path), "%s/driver", g.gl_pathv[i]);
		if (!access(path, F_OK))
			continue;
		diag("%s: left %s unbound", test, bdf);
		ret = -1;
		if (write_text(KNOB_ROOT "/sys/bus/pci/drivers/edu/bind", bdf, strlen(bdf)))
			diag("%s: cannot bind %s again", test, bdf);
	}
	globfree(&g);
	if (getenv("EDU_COUNT") && found < atoi(getenv("EDU_COUNT"))) {
		diag("%s: left %d edu functions off the bus", test, atoi(getenv("EDU_COUNT")) - found);
		/* Unplugged from the machine (the host puts it back), or only removed. */
		if (hotplug_restore() <= 0)
			write_text(KNOB_ROOT "/sys/bus/pci/rescan", "1", 1);
		if (!WAIT_FOR(edu_names(names, MAX_EDU) >= atoi(getenv("EDU_COUNT")), 10000))
			diag("%s: the edu functions did not come back", test);
		ret = -1;
	}
	return ret;
}

int knobs_restore(const char *test)
{
	char now[sizeof(knobs[0].val)];
	int i, ret = 0;
	glob_t g;

	for (i = 0; i < nknobs; i++) {
		/* Gone: the module was unloaded; loading it brings the defaults back. */
		if (read_text(knobs[i].path, now, sizeof(now)))
			continue;
		if (strcmp(now, knobs[i].val) &&
		    put_back(test, knobs[i].path, knobs[i].val, knobs[i].val))
			ret = -1;
	}
	/*
	 * A route left behind holds the module and keeps delivering: a test
	 * that leaves one fails, and the route goes.
	 */
	if (glob(ROUTES_GLOB, GLOB_ONLYDIR, NULL, &g) == 0) {
		for (i = 0; i < (int)g.gl_pathc; i++) {
			diag("%s: left route %s behind", test, g.gl_pathv[i]);
			if (rmdir(g.gl_pathv[i]))
				diag("%s: cannot remove it: %s", test, strerror(errno));
			ret = -1;
		}
		globfree(&g);
	}
	if (rebind_devices(test))
		ret = -1;
	/* A registration left behind would signal whatever process reuses the PID. */
	if (glob(SIGNAL_PIDS, 0, NULL, &g) == 0) {
		for (i = 0; i < (int)g.gl_pathc; i++) {
			if (read_text(g.gl_pathv[i], now, sizeof(now)) || !strcmp(now, "0 0\n"))
				continue;
			if (put_back(test, g.gl_pathv[i], "0", "0 0\n"))
				ret = -1;
		}
		globfree(&g);
	}
	/* The driver's tracepoints left on would slow every later test. */
	if (!read_text(TRACE_ENABLE, now, sizeof(now)) && strcmp(now, "0\n") &&
	    put_back(test, TRACE_ENABLE, "0", "0\n"))
		ret = -1;
	return ret;
}
