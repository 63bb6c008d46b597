/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers the in-guest tests share. File helpers return 0 or -errno. */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>

#include "libedu.h"

#define MAX_EDU 16

int read_text(const char *path, char *buf, size_t len);
int write_text(const char *path, const char *val, size_t len);
int write_file(const char *path, const void *buf, size_t len);	/* creates */

/* eduN names under /sys/class/edu, sorted; returns the count. */
int edu_names(char names[][16], int max);
/* Expected number of devices (EDU_COUNT from the kernel command line), or -1. */
int expected_devices(void);
/* "msi" or "intx": what the loaded module was told (force_intx). */
const char *expected_mode(void);

/* Sum of the counts on /proc/interrupts' line for name; its chip in chip. */
long long irq_count(const char *name, char *chip, size_t len);

/* Runs a shell command; output (stdout+stderr) into out; returns exit code. */
int run_cmd(const char *cmd, char *out, size_t len);

/* The module: unload, and load with parameters. */
int module_unload(void);
int module_load(const char *params);

/* The PCI address behind eduN ("" if none). */
int bdf_of(const char *name, char *bdf, size_t len);



/* The char device (util.c). */
struct edu_event;
/* Waits up to ms for one event on fd and reads it: 0, -ETIMEDOUT or -errno. */
int next_event(int fd, int ms, struct edu_event *ev);
/* The copy path: len bytes to/from the data window at off; 0 or -errno. */
int write_window(int fd, unsigned int off, const void *buf, unsigned int len);
int read_window(int fd, unsigned int off, void *buf, unsigned int len);
/* Raises bits on the device behind fd: 0 or -errno. */
int raise_irq(int fd, unsigned int bits);
#endif /* UTIL_H */
