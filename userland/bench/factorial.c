// SPDX-License-Identifier: GPL-2.0
/*
 * Factorial: operations per second through each channel that computes
 * one (the driver waits for the device's completion interrupt), against a
 * UIO user that polls the device's status register through its BAR.
 * io_uring: one command at a time, and a queue of 8 in flight.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <liburing.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "bench.h"
#include "libedu.h"

#define FACT_N		10
#define FACT_RESULT	3628800u
#define FACT_MS		1000
#define URING_QUEUE	8

struct fact_ctx {
	int fd;
	int sysfs_fd;
	struct edu_genl genl;
	uint32_t devno;
	struct bar *bar;
};

typedef int (*fact_fn)(struct fact_ctx *c);

static int fact_ioctl(struct fact_ctx *c)
{
	struct edu_factorial f = { .n = FACT_N };

	if (ioctl(c->fd, EDU_IOC_FACTORIAL, &f))
		return -errno;
	return f.result == FACT_RESULT ? 0 : -EIO;
}

static int fact_sysfs(struct fact_ctx *c)
{
	char buf[16];

	if (pwrite(c->sysfs_fd, "10", 2, 0) != 2)
		return -errno;
	if (pread(c->sysfs_fd, buf, sizeof(buf), 0) <= 0)
		return -errno;
	return strtoul(buf, NULL, 10) == FACT_RESULT ? 0 : -EIO;
}

static void fact_reply(struct nlattr **tb, void *arg)
{
	if (tb[EDU_A_FACT_RESULT])
		*(uint32_t *)arg = nla_get_u32(tb[EDU_A_FACT_RESULT]);
}

static int fact_netlink(struct fact_ctx *c)
{
	struct nl_msg *msg = edu_genl_msg(&c->genl, EDU_CMD_FACTORIAL, 0);
	uint32_t result = 0;
	int ret;

	if (!msg)
		return -ENOMEM;
	nla_put_u32(msg, EDU_A_DEVICE, c->devno);
	nla_put_u32(msg, EDU_A_FACT_N, FACT_N);
	ret = edu_genl_request(&c->genl, msg, fact_reply, &result);
	nlmsg_free(msg);
	return ret ? ret : result == FACT_RESULT ? 0 : -EIO;
}

/* The device polled by its user: no interrupt, no driver. */
static int fact_uio_poll(struct fact_ctx *c)
{
	uint64_t t0 = now_ns();

	bar_write(c->bar, 0x20, 0);		/* no completion interrupt */
	bar_write(c->bar, 0x08, FACT_N);
	while (bar_read(c->bar, 0x20) & 1)
		if (now_ns() - t0 > 1000000000ull)	/* as irq_timeout_ms */
			return -ETIMEDOUT;
	return bar_read(c->bar, 0x08) == FACT_RESULT ? 0 : -EIO;
}

static void rate(const char *name, fact_fn fn, struct fact_ctx *c, const char *note)
{
	uint64_t t0 = now_ns(), ops = 0, elapsed;
	int ret = 0;

	while ((elapsed = now_ns() - t0) < FACT_MS * 1000000ull) {
		ret = fn(c);
		if (ret)
			break;
		ops++;
	}
	if (ret)
		report_skip("factorial", name, strerror(-ret));
	else
		report_value("factorial", name, "ops/s", ops * 1e9 / elapsed, ops, note);
}

/* io_uring on one ring, depth commands in flight, refilled as they complete. */
static void uring_run(struct fact_ctx *c, unsigned int depth, const char *name)
{
	struct io_uring ring;
	uint64_t t0, ops = 0, tag = 0, elapsed = 0;
	unsigned int inflight = 0;
	int ret = edu_uring_init(&ring, 2 * depth);
	char note[48];

	if (ret) {
		report_skip("factorial", name, strerror(-ret));
		return;
	}
	t0 = now_ns();
	for (;;) {
		int32_t res;
		uint64_t got;

		elapsed = now_ns() - t0;
		while (elapsed < FACT_MS * 1000000ull && inflight < depth &&
		       edu_uring_prep_factorial(&ring, c->fd, ++tag, FACT_N))
			inflight++;
		if (!inflight)
			break;
		ret = io_uring_submit(&ring);
		if (ret < 0)
			break;
		ret = edu_uring_wait(&ring, 5000, &got, &res);
		if (ret)
			break;
		inflight--;
		if (res != (int32_t)FACT_RESULT) {
			ret = res < 0 ? res : -EIO;
			break;
		}
		ops++;
	}
	/* Whatever is still in flight completes before the ring goes. */
	while (inflight && !edu_uring_wait(&ring, 5000, &tag, &(int32_t){ 0 }))
		inflight--;
	io_uring_queue_exit(&ring);
	snprintf(note, sizeof(note), "%u in flight on one ring", depth);
	if (ret < 0)
		report_skip("factorial", name, strerror(-ret));
	else
		report_value("factorial", name, "ops/s", ops * 1e9 / elapsed, ops, note);
}

void bench_factorial(const struct bench_cfg *cfg)
{
	struct fact_ctx c = { .devno = strtoul(cfg->dev + 3, NULL, 10) };
	char path[128];
	struct bar bar;

	c.fd = edu_open_dev(cfg->dev, O_RDWR);
	if (c.fd < 0) {
		report_skip("factorial", "all", strerror(-c.fd));
		return;
	}
	rate("ioctl", fact_ioctl, &c, "completion interrupt");
	snprintf(path, sizeof(path), EDU_SYSFS_CLASS "/%s/factorial", cfg->dev);
	c.sysfs_fd = open(path, O_RDWR | O_CLOEXEC);
	if (c.sysfs_fd >= 0) {
		rate("sysfs", fact_sysfs, &c, "write n, read n!");
		close(c.sysfs_fd);
	} else {
		report_skip("factorial", "sysfs", strerror(errno));
	}
	if (!edu_genl_open(&c.genl)) {
		rate("netlink", fact_netlink, &c, "EDU_CMD_FACTORIAL");
		edu_genl_close(&c.genl);
	} else {
		report_skip("factorial", "netlink", "no edu family");
	}
	uring_run(&c, 1, "io_uring_1");
	uring_run(&c, URING_QUEUE, "io_uring_8");
	close(c.fd);
	if (cfg->uio_bdf && !bar_map_resource(cfg->uio_bdf, &bar)) {
		c.bar = &bar;
		rate("uio_polling", fact_uio_poll, &c, "peer: status register polled");
		bar_unmap(&bar);
	} else {
		report_skip("factorial", "uio_polling", "no edu outside our driver");
	}
}
