/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI hot-unplug and hot-plug, done by the host: requests go to the
 * harness's hotplug-agent on the third serial port, which drives QEMU's QMP.
 */
#ifndef HOTPLUG_H
#define HOTPLUG_H

#include <stddef.h>

/* Sends one request line, and the agent's answer ("ok ..."/"error ...") into answer: 0 or -errno. */
int hotplug_request(const char *request, char *answer, size_t len);
/* The device at bdf leaves the machine; returns once QEMU has deleted it. 0 or -errno. */
int hotplug_unplug(const char *bdf);
/* The device comes back on the same root port; returns once it is bound. 0 or -errno. */
int hotplug_plug(const char *bdf);
/* Puts back whatever the agent unplugged: how many, or -errno. */
int hotplug_restore(void);

#endif /* HOTPLUG_H */
