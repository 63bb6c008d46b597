/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver's tunables (/proc/sys/dev/edu/) and fault knobs (debugfs
 * edu/eduN/), saved before each test and put back after it, pass or fail:
 * a test that leaves the driver changed would skew the tests after it.
 */
#ifndef RESTORE_H
#define RESTORE_H

/* Saves every tunable and fault knob that exists now. */
void knobs_save(void);
/*
 * Writes back each saved value that changed, and clears a debugfs
 * signal_pid left set; prints "# TEST: restored KEY" for each. Files gone
 * since (module unloaded) are skipped. Returns -1 if one could not be restored.
 */
int knobs_restore(const char *test);

#endif /* RESTORE_H */
