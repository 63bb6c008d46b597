/* SPDX-License-Identifier: GPL-2.0 */
/* The suite's groups of tests, one per file. */
#ifndef TESTS_H
#define TESTS_H

#include "ktap.h"

extern const struct test_case core_tests[];	/* test_core.c: per interrupt mode */
extern const struct test_case chardev_tests[];	/* test_chardev.c: per mode */
extern const struct test_case signal_tests[];	/* test_signals.c: per mode */
extern const struct test_case fs_tests[];	/* test_fs.c: per mode */
extern const struct test_case tool_tests[];	/* test_tools.c */
extern const struct test_case eductl_tests[];	/* test_eductl.c */
extern const struct test_case firmware_tests[];	/* test_firmware.c */
extern const struct test_case netlink_tests[];	/* test_netlink.c: per mode */
extern const struct test_case route_tests[];	/* test_routes.c */
extern const struct test_case privilege_tests[];	/* test_privilege.c */
extern const struct test_case fuzz_tests[];	/* test_fuzz.c */
extern const struct test_case reload_intx_tests[];	/* test_module.c */
extern const struct test_case reload_msi_tests[];
extern const struct test_case lifetime_tests[];
extern const struct test_case eventfd_tests[];	/* test_eventfd.c: per mode */
extern const struct test_case ring_tests[];	/* test_ring.c: per mode */
extern const struct test_case hotplug_tests[];	/* test_hotplug.c: per mode */
extern const struct test_case uring_tests[];	/* test_uring.c: per mode */
extern const struct test_case uring_once_tests[];
extern const struct test_case stress_tests[];	/* test_stress.c */
extern const struct test_case soak_tests[];	/* test_soak.c */
extern const struct test_case trace_tests[];	/* test_trace.c */
extern const struct test_case uevent_tests[];	/* test_uevent.c */

#endif /* TESTS_H */
