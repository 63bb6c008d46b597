// SPDX-License-Identifier: GPL-2.0
/*
 * edu-tests: the in-guest suite, as KTAP on stdout. It runs the core tests
 * in the interrupt mode the guest booted with, reloads the module in the
 * other mode and runs them again, then the lifetime tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests.h"
#include "util.h"

/*
 * HOTPLUG_MODES=msi (the debug lane, where a cycle takes seconds): the
 * hot-unplug tests in that interrupt mode only. Default: both.
 */
static int hotplug_in(const char *mode)
{
	const char *modes = getenv("HOTPLUG_MODES");

	return !modes || !*modes || strstr(modes, mode);
}

/* What runs once per interrupt mode. */
static const struct {
	const char *name;
	const struct test_case *tests;
} mode_groups[] = {
	{ "core", core_tests }, { "chardev", chardev_tests }, { "signals", signal_tests },
	{ "fs", fs_tests }, { "netlink", netlink_tests }, { "eventfd", eventfd_tests },
	{ "ring", ring_tests }, { "uring", uring_tests },
};

#define MODE_GROUPS (sizeof(mode_groups) / sizeof(mode_groups[0]))

/*
 * INTX_GROUPS=core,signals (the debug lane, for its time budget): after
 * the reload in INTx mode, only those groups, whose interrupts (factorial,
 * raised bits, each signal) cover the paths that differ with the interrupt
 * mode. Default: all.
 */
static int in_intx(const char *group)
{
	const char *list = getenv("INTX_GROUPS");

	return !list || !*list || list_has(list, group);
}

/*
 * SKIP_GROUPS=tools (the debug lane, for its time budget): groups of the
 * once-run part that this lane leaves to the others. Default: none.
 */
static int lane_runs(const char *group)
{
	const char *list = getenv("SKIP_GROUPS");

	return !list || !list_has(list, group);
}

static int mode_count(const char *mode)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < MODE_GROUPS; i++)
		if (strcmp(mode, "intx") || in_intx(mode_groups[i].name))
			n += ktap_count(mode_groups[i].tests);
	return n + hotplug_in(mode) * ktap_count(hotplug_tests);
}

static void run_mode_tests(void)
{
	const char *mode = expected_mode();
	static char hotplug[32];
	unsigned int i;

	for (i = 0; i < MODE_GROUPS; i++)
		if (strcmp(mode, "intx") || in_intx(mode_groups[i].name))
			ktap_run(mode, mode_groups[i].tests);
	snprintf(hotplug, sizeof(hotplug), "hotplug.%s", mode);
	if (hotplug_in(mode))
		ktap_run(hotplug, hotplug_tests);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	ktap_plan(mode_count("msi") + mode_count("intx") +
		  lane_runs("tools") * (ktap_count(tool_tests) + ktap_count(eductl_tests)) +
		  ktap_count(firmware_tests) +
		  ktap_count(route_tests) + ktap_count(privilege_tests) +
		  ktap_count(uring_once_tests) + ktap_count(fuzz_tests) +
		  ktap_count(reload_intx_tests) + ktap_count(reload_msi_tests) +
		  ktap_count(lifetime_tests) + ktap_count(stress_tests) +
		  ktap_count(soak_tests) + ktap_count(trace_tests) +
		  ktap_count(uevent_tests));

	run_mode_tests();
	if (lane_runs("tools")) {
		ktap_run("tools", tool_tests);
		ktap_run("tools", eductl_tests);
	} else {
		printf("# group tools: left to the other lanes (SKIP_GROUPS)\n");
	}
	ktap_run("firmware", firmware_tests);
	ktap_run("trace", trace_tests);
	ktap_run("uevent", uevent_tests);
	ktap_run("routes", route_tests);
	ktap_run("privilege", privilege_tests);
	ktap_run("uring", uring_once_tests);
	ktap_run("stress", stress_tests);
	ktap_run("fuzz", fuzz_tests);
	ktap_run("module", reload_intx_tests);
	run_mode_tests();
	ktap_run("module", reload_msi_tests);
	ktap_run("lifetime", lifetime_tests);
	ktap_run("soak", soak_tests);

	printf("# edu-tests: %d failed\n", ktap_failures());
	return ktap_failures() ? 1 : 0;
}
