// SPDX-License-Identifier: GPL-2.0
/*
 * uevents: KOBJ_CHANGE on /sys/class/edu/eduN, heard the way udev hears
 * them (NETLINK_KOBJECT_UEVENT, group 1; the guest runs no udev). Each kind
 * with its exact KEY=VALUE set (docs/uevents.md), the per-device rate limit
 * with its count of suppressed uevents, eductl monitor --uevent, and a
 * device removal while a timeout is in flight.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/edu.h>
#include <linux/netlink.h>

#include "tests.h"
#include "util.h"

#define DEBUGFS "/sys/kernel/debug/edu/"
#define SYSCTL "/proc/sys/dev/edu/"

struct uevent {
	char action[16];
	char name[16];		/* eduN: the last part of DEVPATH */
	char devname[16];	/* DEVNAME */
	char keys[512];		/* the EDU_* pairs, space-separated, in order */
	long long suppressed;	/* EDU_SUPPRESSED, or -1 */
};

static int put(const char *path, const char *val)
{
	return write_text(path, val, strlen(val));
}

static int knob(const char *dev, const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), DEBUGFS "%s/%s", dev, name);
	return put(path, val);
}

static int uevent_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int fd, size = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -errno;
	/* A burst of uevents must not overflow the socket. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* Parses one datagram; 1 if it is of subsystem edu, else 0. */
static int uevent_parse(char *buf, size_t len, struct uevent *ue)
{
	const char *subsystem = "", *devpath = "";
	char *p, *end = buf + len;

	memset(ue, 0, sizeof(*ue));
	ue->suppressed = -1;
	for (p = buf + strlen(buf) + 1; p < end; p += strlen(p) + 1) {
		if (!strncmp(p, "ACTION=", 7))
			snprintf(ue->action, sizeof(ue->action), "%s", p + 7);
		else if (!strncmp(p, "SUBSYSTEM=", 10))
			subsystem = p + 10;
		else if (!strncmp(p, "DEVPATH=", 8))
			devpath = p + 8;
		else if (!strncmp(p, "DEVNAME=", 8))
			snprintf(ue->devname, sizeof(ue->devname), "%s", p + 8);
		if (!strncmp(p, "EDU_", 4)) {
			size_t used = strlen(ue->keys);

			snprintf(ue->keys + used, sizeof(ue->keys) - used, "%s%s",
				 used ? " " : "", p);
			if (!strncmp(p, "EDU_SUPPRESSED=", 15))
				ue->suppressed = atoll(p + 15);
		}
	}
	if (strcmp(subsystem, "edu"))
		return 0;
	p = strrchr(devpath, '/');
	snprintf(ue->name, sizeof(ue->name), "%s", p ? p + 1 : devpath);
	return 1;
}

/* Waits up to ms for the next uevent of device name (any action): 0 or -ETIMEDOUT. */
static int uevent_next(int fd, const char *name, int ms, struct uevent *ue)
{
	long long end = now_ms() + ms;
	char buf[8192];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct sockaddr_nl from;
		socklen_t fromlen = sizeof(from);
		long long left = end - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return -ETIMEDOUT;
		n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &fromlen);
		if (n <= 0 || from.nl_pid)
			continue;
		buf[n] = '\0';
		if (uevent_parse(buf, n, ue) && !strcmp(ue->name, name))
			return 0;
	}
}

/* The next uevent of name is a change with exactly these EDU_* pairs. */
static int expect_change(int fd, const char *name, const char *keys)
{
	struct uevent ue;

	CHECK(uevent_next(fd, name, 5000, &ue) == 0, "%s: no uevent for '%s'", name, keys);
	CHECK(!strcmp(ue.action, "change"), "%s: action %s (%s)", name, ue.action, ue.keys);
	CHECK(!strcmp(ue.devname, name), "%s: DEVNAME %s", name, ue.devname);
	CHECK(!strcmp(ue.keys, keys), "%s: '%s', expected '%s'", name, ue.keys, keys);
	return 0;
}

/*
 * From here on the device's uevents are the test's own: fail_dma is written
 * until one of its uevents gets through (what earlier tests left in the rate
 * limit's window and count is used up by it).
 */
static int uevent_sync(int fd, const char *name)
{
	int i;

	for (i = 0; i < 60; i++) {
		struct uevent ue;

		if (knob(name, "fail_dma", "0"))
			return -1;
		while (!uevent_next(fd, name, 1000, &ue))
			if (strstr(ue.keys, "EDU_FAULT=fail_dma EDU_FAULT_VALUE=0 "))
				return 0;
	}
	diag("%s: no uevent gets through", name);
	return -1;
}

/* A listener, no rate limit in the way, in sync with the device. */
static int uevent_setup(const char *name)
{
	int fd;

	if (put(SYSCTL "uevent_burst", "1000")) {
		diag("uevent_burst: %s", strerror(errno));
		return -1;
	}
	fd = uevent_open();
	if (fd < 0) {
		diag("uevent socket: %s", strerror(-fd));
		return -1;
	}
	if (uevent_sync(fd, name)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int test_uevent_fault_knobs(void)
{
	int fd = uevent_setup("edu0");

	CHECK(fd >= 0, "setup");
	CHECK(knob("edu0", "drop_irqs", "3") == 0, "drop_irqs");
	CHECK(expect_change(fd, "edu0", "EDU_EVENT=fault EDU_FAULT=drop_irqs "
			    "EDU_FAULT_VALUE=3 EDU_SUPPRESSED=0") == 0, "drop_irqs");
	CHECK(knob("edu0", "fail_dma", "2") == 0, "fail_dma");
	CHECK(expect_change(fd, "edu0", "EDU_EVENT=fault EDU_FAULT=fail_dma "
			    "EDU_FAULT_VALUE=2 EDU_SUPPRESSED=0") == 0, "fail_dma");
	CHECK(knob("edu0", "dma_delay_ms", "50") == 0, "dma_delay_ms");
	CHECK(expect_change(fd, "edu0", "EDU_EVENT=fault EDU_FAULT=dma_delay_ms "
			    "EDU_FAULT_VALUE=50 EDU_SUPPRESSED=0") == 0, "dma_delay_ms");
	/* A refused write says nothing: the next uevent is the next good write's. */
	CHECK(knob("edu0", "fail_dma", "1000001") == -ERANGE, "out of range accepted");
	CHECK(knob("edu0", "dma_delay_ms", "60001") == -ERANGE, "out of range accepted");
	CHECK(knob("edu0", "drop_irqs", "0") == 0, "drop_irqs");
	CHECK(expect_change(fd, "edu0", "EDU_EVENT=fault EDU_FAULT=drop_irqs "
			    "EDU_FAULT_VALUE=0 EDU_SUPPRESSED=0") == 0, "drop_irqs off");
	CHECK(knob("edu0", "fail_dma", "0") == 0 && knob("edu0", "dma_delay_ms", "0") == 0, "off");
	CHECK(expect_change(fd, "edu0", "EDU_EVENT=fault EDU_FAULT=fail_dma "
			    "EDU_FAULT_VALUE=0 EDU_SUPPRESSED=0") == 0, "fail_dma off");
	CHECK(expect_change(fd, "edu0", "EDU_EVENT=fault EDU_FAULT=dma_delay_ms "
			    "EDU_FAULT_VALUE=0 EDU_SUPPRESSED=0") == 0, "dma_delay_ms off");
	close(fd);
	return 0;
}

/*
 * A factorial whose completion interrupt is dropped does not time out: the
 * driver asks the status register when irq_timeout_ms runs out and finds
 * the engine done, so no factorial_timeout uevent comes (docs/uevents.md,
 * known gap). The next uevent after it is the knob write that follows.
 */
static int test_uevent_factorial_lost_irq(void)
{
	long long dropped, t0, took;
	char val[32];
	int fd = uevent_setup("edu0");

	CHECK(fd >= 0, "setup");
	CHECK(put(SYSCTL "irq_timeout_ms", "100") == 0, "irq timeout");
	CHECK(knob("edu0", "drop_irqs", "1") == 0, "drop_irqs");
	CHECK(expect_change(fd, "edu0", "EDU_EVENT=fault EDU_FAULT=drop_irqs "
			    "EDU_FAULT_VALUE=1 EDU_SUPPRESSED=0") == 0, "drop_irqs");
	dropped = stat_of("edu0", "irqs_dropped");
	t0 = now_ms();
	CHECK(put("/sys/class/edu/edu0/factorial", "7") == 0, "factorial");
	took = now_ms() - t0;
	CHECK(read_text("/sys/class/edu/edu0/factorial", val, sizeof(val)) == 0 &&
	      atoi(val) == 5040, "7! = %s", val);
	/* Its interrupt was the one dropped: the wait ran out, then the status said done. */
	CHECK(stat_of("edu0", "irqs_dropped") == dropped + 1, "irqs_dropped %lld, was %lld",
	      stat_of("edu0", "irqs_dropped"), dropped);
	CHECK(took >= 90, "done in %lld ms: the interrupt was not missed", took);
	CHECK(knob("edu0", "drop_irqs", "0") == 0, "drop_irqs off");
	CHECK(expect_change(fd, "edu0", "EDU_EVENT=fault EDU_FAULT=drop_irqs "
			    "EDU_FAULT_VALUE=0 EDU_SUPPRESSED=0") == 0,
	      "a uevent between the factorial and the knob write");
	close(fd);
	return 0;
}

static int make_image(const char *path, unsigned int version, int spoil)
{
	unsigned char image[EDU_FW_REGION_SIZE], payload[80];
	size_t i;
	int size;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (unsigned char)(i * 3 + version);
	size = edu_fw_build(image, sizeof(image), version, payload, sizeof(payload));
	if (size < 0)
		return size;
	if (spoil)
		image[0] ^= 0xff;	/* the magic */
	return write_file(path, image, size);
}

/* Loaded, refused (the old firmware stays), and the default image back. */
static int test_uevent_firmware(void)
{
	char out[1024];
	int fd = uevent_setup("edu0");

	CHECK(fd >= 0, "setup");
	CHECK(make_image("/tmp/ue-fw.bin", 0x020007, 0) == 0, "image");
	CHECK(make_image("/tmp/ue-bad.bin", 0x020008, 1) == 0, "image");
	CHECK(run_cmd("eductl firmware load /tmp/ue-fw.bin edu0", out, sizeof(out)) == 0,
	      "%s", out);
	CHECK(expect_change(fd, "edu0", "EDU_EVENT=firmware_loaded EDU_FW_VERSION=2.0.7 "
			    "EDU_SUPPRESSED=0") == 0, "loaded");
	CHECK(run_cmd("eductl firmware load /tmp/ue-bad.bin edu0", out, sizeof(out)) != 0,
	      "a bad image loaded: %s", out);
	CHECK(expect_change(fd, "edu0", "EDU_EVENT=firmware_failed EDU_FW_ERROR=22 "
			    "EDU_FW_REASON=bad_magic EDU_SUPPRESSED=0") == 0, "refused");
	CHECK(run_cmd("eductl firmware load /lib/firmware/edu/edu-fw.bin edu0", out,
		      sizeof(out)) == 0, "default: %s", out);
	CHECK(expect_change(fd, "edu0", "EDU_EVENT=firmware_loaded EDU_FW_VERSION=1.0.0 "
			    "EDU_SUPPRESSED=0") == 0, "default back");
	close(fd);
	return 0;
}

/* Both directions; offsets are the device buffer's (the window starts at 1024). */
static int test_uevent_dma_timeout(void)
{
	char in[4];
	int dev, fd = uevent_setup("edu0");

	CHECK(fd >= 0, "setup");
	dev = edu_open_dev("edu0", O_RDWR);
	CHECK(dev >= 0, "open");
	CHECK(put(SYSCTL "dma_timeout_ms", "200") == 0, "timeout");
	CHECK(knob("edu0", "dma_delay_ms", "200") == 0, "delay");
	CHECK(expect_change(fd, "edu0", "EDU_EVENT=fault EDU_FAULT=dma_delay_ms "
			    "EDU_FAULT_VALUE=200 EDU_SUPPRESSED=0") == 0, "delay");
	CHECK(write_window(dev, 60, "abcde", 6) == -ETIMEDOUT, "write did not time out");
	CHECK(expect_change(fd, "edu0", "EDU_EVENT=dma_timeout EDU_DMA_DIR=to_device "
			    "EDU_DMA_OFFSET=1084 EDU_DMA_LEN=6 EDU_SUPPRESSED=0") == 0, "write");
	CHECK(read_window(dev, 8, in, 3) == -ETIMEDOUT, "read did not time out");
	CHECK(expect_change(fd, "edu0", "EDU_EVENT=dma_timeout EDU_DMA_DIR=to_ram "
			    "EDU_DMA_OFFSET=1032 EDU_DMA_LEN=3 EDU_SUPPRESSED=0") == 0, "read");
	CHECK(knob("edu0", "dma_delay_ms", "0") == 0, "delay off");
	CHECK(expect_change(fd, "edu0", "EDU_EVENT=fault EDU_FAULT=dma_delay_ms "
			    "EDU_FAULT_VALUE=0 EDU_SUPPRESSED=0") == 0, "delay off");
	CHECK(write_window(dev, 60, "abcde", 6) == 0, "after recovery");
	close(dev);
	close(fd);
	return 0;
}

/*
 * A flood of 20 knob writes with at most 3 uevents per 1.5 s: only a few
 * get through, and once the window has passed the next uevent accounts for
 * every one suppressed, so delivered + suppressed == written, exactly.
 */
static int test_uevent_rate_limit(void)
{
	long long delivered = 0, suppressed = 0, written = 0, t0;
	struct uevent ue;
	char val[16];
	int i, fd = uevent_setup("edu0");

	CHECK(fd >= 0, "setup");
	CHECK(put(SYSCTL "uevent_interval_ms", "1500") == 0, "interval");
	CHECK(put(SYSCTL "uevent_burst", "3") == 0, "burst");
	t0 = now_ms();
	for (i = 1; i <= 20; i++, written++) {
		snprintf(val, sizeof(val), "%d", i);
		CHECK(knob("edu0", "fail_dma", val) == 0, "write %d", i);
	}
	/* The flood's own: what the window let through, each EDU_SUPPRESSED 0... */
	while (!uevent_next(fd, "edu0", 500, &ue)) {
		CHECK(strstr(ue.keys, "EDU_EVENT=fault EDU_FAULT=fail_dma "), "%s", ue.keys);
		delivered++;
		suppressed += ue.suppressed;
	}
	CHECK(delivered <= 6, "%lld of 20 got through a burst of 3", delivered);
	/* ... then writes of 0 until the window is over and one reports the rest. */
	for (;;) {
		CHECK(now_ms() - t0 < 20000, "no uevent after the window");
		CHECK(knob("edu0", "fail_dma", "0") == 0, "write");
		written++;
		if (uevent_next(fd, "edu0", 200, &ue))
			continue;
		CHECK(strstr(ue.keys, "EDU_FAULT=fail_dma EDU_FAULT_VALUE=0 "), "%s", ue.keys);
		delivered++;
		suppressed += ue.suppressed;
		break;
	}
	CHECK(suppressed >= 14, "only %lld suppressed", suppressed);
	CHECK(delivered + suppressed == written,
	      "delivered %lld + suppressed %lld != written %lld", delivered, suppressed, written);
	close(fd);
	return 0;
}

/* eductl monitor --uevent prints the device's uevent in one line; -n, --timeout. */
static int test_uevent_eductl_monitor(void)
{
	char line[512], out[512];
	FILE *mon;
	int fd = uevent_setup("edu0"), status;

	CHECK(fd >= 0, "setup");
	close(fd);
	mon = popen("eductl monitor --uevent -n 1 --timeout 10 2>&1", "r");
	CHECK(mon, "popen");
	/* Its first line says it listens. */
	CHECK(fgets(line, sizeof(line), mon) && strstr(line, "monitoring uevents"), "%s", line);
	CHECK(knob("edu0", "fail_dma", "4") == 0, "fail_dma");
	CHECK(fgets(line, sizeof(line), mon), "no line");
	CHECK(!strncmp(line, "edu0 seq ", 9) &&
	      strstr(line, " change EDU_EVENT=fault EDU_FAULT=fail_dma EDU_FAULT_VALUE=4 "
		     "EDU_SUPPRESSED=0\n"), "'%s'", line);
	status = pclose(mon);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
	CHECK(knob("edu0", "fail_dma", "0") == 0, "off");
	/* Nothing within the timeout: a failure that says so. */
	CHECK(run_cmd("eductl monitor --uevent -n 1 --timeout 1", out, sizeof(out)) == 1,
	      "%s", out);
	CHECK(strstr(out, "0 of 1 uevents"), "%s", out);
	CHECK(run_cmd("eductl monitor --uevent -n", out, sizeof(out)) == 2, "usage: %s", out);
	return 0;
}

static char task_state(pid_t pid)
{
	char path[32], stat[256], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_text(path, stat, sizeof(stat)))
		return 0;
	p = strrchr(stat, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * edu1 unbound while a transfer waits for its timeout: its "remove" comes,
 * nothing of edu1 after it until it is bound again ("add", then the
 * default firmware's "change").
 */
static int test_uevent_removal(void)
{
	struct uevent ue;
	char bdf[32];
	int dev, fd, status;
	pid_t child;

	CHECK(bdf_of("edu1", bdf, sizeof(bdf)) == 0, "no edu1");
	fd = uevent_setup("edu1");
	CHECK(fd >= 0, "setup");
	CHECK(put(SYSCTL "dma_timeout_ms", "500") == 0, "timeout");
	CHECK(knob("edu1", "dma_delay_ms", "500") == 0, "delay");
	CHECK(expect_change(fd, "edu1", "EDU_EVENT=fault EDU_FAULT=dma_delay_ms "
			    "EDU_FAULT_VALUE=500 EDU_SUPPRESSED=0") == 0, "delay");
	dev = edu_open_dev("edu1", O_RDWR);
	CHECK(dev >= 0, "open");
	child = fork();
	CHECK(child >= 0, "fork");
	if (!child) {
		int ret = write_window(dev, 0, "x", 1);

		_exit(ret == -ETIMEDOUT || ret == -ENODEV || !ret ? 0 : 1);
	}
	/* The wait for the engine is uninterruptible: state D. */
	CHECK(WAIT_FOR(task_state(child) == 'D', 3000), "the transfer did not start");
	CHECK(driver_ctl("unbind", bdf) == 0, "unbind");
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "transfer status %d", status);
	close(dev);
	do {
		CHECK(uevent_next(fd, "edu1", 10000, &ue) == 0, "no remove uevent");
		/* Only what the transfer's timeout says may come before it. */
		CHECK(!strcmp(ue.action, "remove") || strstr(ue.keys, "EDU_EVENT=dma_timeout "),
		      "%s %s", ue.action, ue.keys);
	} while (strcmp(ue.action, "remove"));
	CHECK(driver_ctl("bind", bdf) == 0, "bind");
	CHECK(uevent_next(fd, "edu1", 10000, &ue) == 0, "no add uevent");
	CHECK(!strcmp(ue.action, "add"), "after the removal: %s %s", ue.action, ue.keys);
	CHECK(expect_change(fd, "edu1", "EDU_EVENT=firmware_loaded EDU_FW_VERSION=1.0.0 "
			    "EDU_SUPPRESSED=0") == 0, "firmware at probe");
	close(fd);
	return 0;
}

const struct test_case uevent_tests[] = {
	TEST(uevent_fault_knobs),
	TEST(uevent_firmware),
	TEST(uevent_dma_timeout),
	TEST(uevent_factorial_lost_irq),
	TEST(uevent_rate_limit),
	TEST(uevent_eductl_monitor),
	TEST(uevent_removal),
	TEST_END
};
