// SPDX-License-Identifier: GPL-2.0
/*
 * Control: one device register read, through each channel that offers
 * one, against two floors: a bare syscall, and the register read through
 * an mmap of BAR0 (an edu not bound to our driver: a bound one's BAR is
 * the driver's, and Debian's IO_STRICT_DEVMEM refuses to map it).
 *
 * A sample is the mean of a batch of calls: a clock read per call would
 * cost as much as the cheapest of them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "bench.h"
#include "libedu.h"

#define BATCH 50

struct control_op {
	int fd;
	struct bar *bar;
	struct edu_genl *genl;
	uint32_t devno;
};

typedef int (*control_fn)(struct control_op *op);

static int op_syscall(struct control_op *op)
{
	(void)op;
	return syscall(SYS_getppid) > 0 ? 0 : -errno;
}

static int op_bar(struct control_op *op)
{
	return bar_read(op->bar, 0x00) == 0xffffffff ? -ENODEV : 0;
}

static int op_ioctl(struct control_op *op)
{
	struct edu_info info;

	return ioctl(op->fd, EDU_IOC_INFO, &info) ? -errno : 0;
}

/* sysfs, procfs, debugfs: a read at offset 0 runs the show() again. */
static int op_pread(struct control_op *op)
{
	char buf[4096];

	return pread(op->fd, buf, sizeof(buf), 0) > 0 ? 0 : -errno;
}

static void no_reply(struct nlattr **tb, void *arg)
{
	(void)tb;
	(void)arg;
}

static int op_netlink(struct control_op *op)
{
	struct nl_msg *msg = edu_genl_msg(op->genl, EDU_CMD_GET_DEVICE, 0);
	int ret;

	if (!msg)
		return -ENOMEM;
	nla_put_u32(msg, EDU_A_DEVICE, op->devno);
	ret = edu_genl_request(op->genl, msg, no_reply, NULL);
	nlmsg_free(msg);
	return ret;
}

static void measure(const struct bench_cfg *cfg, const char *name, control_fn fn,
		    struct control_op *op, const char *note)
{
	struct bench_samples s;
	unsigned int i, k;
	int ret = fn(op);

	if (ret) {
		report_skip("control", name, strerror(-ret));
		return;
	}
	samples_init(&s);
	for (i = 0; i < cfg->samples; i++) {
		uint64_t t0 = now_ns();
		int bad = 0;

		for (k = 0; k < BATCH; k++)
			bad |= fn(op);
		if (bad)
			s.failed++;
		else
			samples_add(&s, (now_ns() - t0) / BATCH);
	}
	report_samples("control", name, "us", &s, note);
	samples_free(&s);
}

/* Opens path and measures a pread of it. */
static void measure_file(const struct bench_cfg *cfg, const char *name,
			 const char *path, const char *note)
{
	struct control_op op = { .fd = open(path, O_RDONLY | O_CLOEXEC) };

	if (op.fd < 0) {
		report_skip("control", name, strerror(errno));
		return;
	}
	measure(cfg, name, op_pread, &op, note);
	close(op.fd);
}

void bench_control(const struct bench_cfg *cfg)
{
	struct control_op op = { .fd = -1 };
	struct edu_genl genl;
	struct bar bar;
	char path[128];

	measure(cfg, "floor_syscall", op_syscall, &op, "getppid()");
	if (cfg->uio_bdf && !bar_map_resource(cfg->uio_bdf, &bar)) {
		op.bar = &bar;
		measure(cfg, "floor_bar_mmap", op_bar, &op, "ident through resource0");
		bar_unmap(&bar);
	} else {
		report_skip("control", "floor_bar_mmap", "no edu outside our driver");
	}

	op.fd = edu_open_dev(cfg->dev, O_RDONLY);
	if (op.fd < 0) {
		report_skip("control", "ioctl", strerror(-op.fd));
	} else {
		measure(cfg, "ioctl", op_ioctl, &op, "EDU_IOC_INFO: ident");
		close(op.fd);
	}
	snprintf(path, sizeof(path), EDU_SYSFS_CLASS "/%s/identification", cfg->dev);
	measure_file(cfg, "sysfs", path, "identification");
	snprintf(path, sizeof(path), "/sys/kernel/debug/edu/%s/regs", cfg->dev);
	measure_file(cfg, "debugfs", path, "regs: every register");
	measure_file(cfg, "procfs", "/proc/driver/edu", "no register: counters");
	measure_file(cfg, "sysctl", "/proc/sys/dev/edu/irq_timeout_ms",
		     "no register: a setting");

	if (edu_genl_open(&genl)) {
		report_skip("control", "netlink", "no edu family");
		return;
	}
	op.genl = &genl;
	op.devno = strtoul(cfg->dev + 3, NULL, 10);
	measure(cfg, "netlink", op_netlink, &op, "GET_DEVICE: no register");
	edu_genl_close(&genl);
}
