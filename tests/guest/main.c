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
static void run_mode_tests(void)
{
	const char *mode = expected_mode();
	static char hotplug[32];

	ktap_run(mode, core_tests);
	ktap_run(mode, chardev_tests);
	ktap_run(mode, signal_tests);
	ktap_run(mode, fs_tests);
	ktap_run(mode, netlink_tests);
	ktap_run(mode, eventfd_tests);
	ktap_run(mode, ring_tests);
	snprintf(hotplug, sizeof(hotplug), "hotplug.%s", mode);
	if (hotplug_in(mode))
		ktap_run(hotplug, hotplug_tests);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	ktap_plan(2 * (ktap_count(core_tests) + ktap_count(chardev_tests) +
		       ktap_count(signal_tests) + ktap_count(fs_tests) +
		       ktap_count(netlink_tests) + ktap_count(eventfd_tests) +
		       ktap_count(ring_tests)) +
		  (hotplug_in("msi") + hotplug_in("intx")) * ktap_count(hotplug_tests) +
		  ktap_count(tool_tests) + ktap_count(firmware_tests) +
		  ktap_count(route_tests) + ktap_count(privilege_tests) +
		  ktap_count(fuzz_tests) +
		  ktap_count(reload_intx_tests) + ktap_count(reload_msi_tests) +
		  ktap_count(lifetime_tests) + ktap_count(stress_tests) +
		  ktap_count(soak_tests) + ktap_count(trace_tests) +
		  ktap_count(uevent_tests));

	run_mode_tests();
	ktap_run("tools", tool_tests);
	ktap_run("firmware", firmware_tests);
	ktap_run("trace", trace_tests);
	ktap_run("uevent", uevent_tests);
	ktap_run("routes", route_tests);
	ktap_run("privilege", privilege_tests);
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
