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
/* The eduN name now bound at bdf into name, or "". */
void edu_name_at(const char *bdf, char *name, size_t len);
/* Writes bdf to /sys/bus/pci/drivers/edu/OP (bind, unbind): 0 or -errno. */
int driver_ctl(const char *op, const char *bdf);

/* A configfs route's attribute: write val (0 or -errno); read a number (or -1). */
int route_set(const char *route, const char *attr, const char *val);
long long route_num(const char *route, const char *attr);

/* The process is asleep in the kernel (state S): a sleeper has blocked. */
int task_asleep(int pid);

/* A counter of /sys/class/edu/NAME/stats/, or -1. */
long long stat_of(const char *name, const char *counter);

/* Diagnostics for a device that stopped answering: counters, registers, faults. */
void dump_device(const char *name);

/*
 * The DMA engine's registers of NAME, from debugfs regs: the command
 * (bit 0x1 running, 0x2 device to RAM) and the count. 0 or -errno.
 */
int dma_regs(const char *name, unsigned long long *cmd, unsigned long long *count);

/* Milliseconds of CLOCK_MONOTONIC. */
long long now_ms(void);

/*
 * Polls cond every 10 ms until it holds, for at most ms milliseconds: a
 * wait on the event itself, never a guess of how long it takes. True if it
 * held.
 */
#define WAIT_FOR(cond, ms)						\
	({								\
		long long __end = now_ms() + (ms);			\
		int __ok;						\
		while (!(__ok = !!(cond)) && now_ms() < __end)		\
			usleep(10000);					\
		__ok;							\
	})

/* A socket of this machine listens (TCP) or is bound (UDP) on 127.0.0.1:port. */
int port_bound(int port, int tcp);

/*
 * A page of memory whose first touch blocks until the test releases it
 * (userfaultfd): a user buffer that faults as slowly as the test wants.
 */
struct slow_page {
	int uffd;
	void *addr;
};
int slow_page_create(struct slow_page *sp);
/* Waits up to ms for a thread to block on the page: 0 or -ETIMEDOUT. */
int slow_page_wait_fault(struct slow_page *sp, int ms);
/* Lets the blocked touch go on, the page filled with byte. */
int slow_page_release(struct slow_page *sp, int byte);
void slow_page_destroy(struct slow_page *sp);

/* Runs fn in a child process as uid/gid 65534: its return value, or -1. */
int as_nobody(int (*fn)(void *), void *arg);

/* The char device (util.c). */
struct edu_event;
/* Waits up to ms for one event on fd and reads it: 0, -ETIMEDOUT or -errno. */
int next_event(int fd, int ms, struct edu_event *ev);
/*
 * The next interrupt event, past any firmware event (a file opened just as
 * a load ends may get its FIRMWARE_LOADED): ms for each read.
 */
int next_irq_event(int fd, int ms, struct edu_event *ev);
/* The copy path: len bytes to/from the data window at off; 0 or -errno. */
int write_window(int fd, unsigned int off, const void *buf, unsigned int len);
int read_window(int fd, unsigned int off, void *buf, unsigned int len);
/* Raises bits on the device behind fd: 0 or -errno. */
int raise_irq(int fd, unsigned int bits);
#endif /* UTIL_H */
