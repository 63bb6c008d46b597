// SPDX-License-Identifier: GPL-2.0
/*
 * The driver core on every bound device: binding, the register attributes,
 * strict input checking, and interrupts in the current mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <linux/edu.h>
#include <sys/ioctl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/genl/genl.h>

#include "tests.h"
#include "util.h"

static char names[MAX_EDU][16];
static int count;

/* Each test runs in its own process: look the devices up every time. */
static int load_names(void)
{
	count = edu_names(names, MAX_EDU);
	return count;
}

static void attr_path(char *path, size_t len, const char *name, const char *attr)
{
	snprintf(path, len, "/sys/class/edu/%s/%s", name, attr);
}

static int attr_read(const char *name, const char *attr, char *buf, size_t len)
{
	char path[512];
	int ret;

	attr_path(path, sizeof(path), name, attr);
	ret = read_text(path, buf, len);
	if (!ret)
		buf[strcspn(buf, "\n")] = '\0';
	return ret;
}

static int attr_write(const char *name, const char *attr, const char *val)
{
	char path[512];

	attr_path(path, sizeof(path), name, attr);
	return write_text(path, val, strlen(val));
}

/* Every 1234:11e8 function is bound to edu and has a class device. */
static int test_all_bound(void)
{
	int expected = expected_devices(), functions = 0;
	FILE *p;
	char line[256];

	CHECK(load_names() > 0, "no /sys/class/edu/edu*");
	if (expected >= 0)
		CHECK(count == expected, "%d bound, %d expected", count, expected);

	p = popen("grep -l 0x11e8 /sys/bus/pci/devices/*/device", "r");
	CHECK(p, "popen");
	while (fgets(line, sizeof(line), p)) {
		char drv[512], target[256];
		ssize_t n;

		*strrchr(line, '/') = '\0';
		snprintf(drv, sizeof(drv), "%s/driver", line);
		n = readlink(drv, target, sizeof(target) - 1);
		CHECK(n > 0, "%s has no driver", line);
		target[n] = '\0';
		CHECK(!strcmp(strrchr(target, '/'), "/edu"), "%s bound to %s",
		      line, target);
		functions++;
	}
	pclose(p);
	CHECK(functions == count, "%d functions, %d class devices", functions,
	      count);
	return 0;
}

/* /dev/eduN is a char device whose numbers match sysfs's dev attribute. */
static int test_dev_nodes(void)
{
	int i;

	CHECK(load_names() > 0, "no devices");
	for (i = 0; i < count; i++) {
		char path[512], dev[32], expect[32];
		struct stat st;

		snprintf(path, sizeof(path), "/dev/%s", names[i]);
		CHECK(stat(path, &st) == 0, "%s: %s", path, strerror(errno));
		CHECK(S_ISCHR(st.st_mode), "%s is not a char device", path);
		CHECK(attr_read(names[i], "dev", dev, sizeof(dev)) == 0, "dev");
		snprintf(expect, sizeof(expect), "%u:%u", major(st.st_rdev),
			 minor(st.st_rdev));
		CHECK(!strcmp(dev, expect), "%s: sysfs %s, node %s", names[i],
		      dev, expect);
	}
	return 0;
}

/* The class device's "device" link leads to the PCI function. */
static int test_device_link(void)
{
	int i;

	CHECK(load_names() > 0, "no devices");
	for (i = 0; i < count; i++) {
		char bdf[64], path[512], vendor[16];

		CHECK(bdf_of(names[i], bdf, sizeof(bdf)) == 0, "%s", names[i]);
		snprintf(path, sizeof(path), "/sys/class/edu/%s/device/vendor",
			 names[i]);
		CHECK(read_text(path, vendor, sizeof(vendor)) == 0, "%s", path);
		CHECK(!strcmp(vendor, "0x1234\n"), "vendor %s", vendor);
	}
	return 0;
}

static int test_identification(void)
{
	char val[32];
	int i;

	CHECK(load_names() > 0, "no devices");
	for (i = 0; i < count; i++) {
		CHECK(attr_read(names[i], "identification", val, sizeof(val)) == 0,
		      "%s", names[i]);
		CHECK(!strcmp(val, "0x010000ed"), "%s: %s", names[i], val);
	}
	return 0;
}

static int test_liveness(void)
{
	static const unsigned int values[] = {
		0, 1, 0x12345678, 0xdeadbeef, 0x80000000, 0xffffffff,
	};
	char in[32], out[32], expect[32];
	unsigned int i, j;

	CHECK(load_names() > 0, "no devices");
	for (i = 0; i < (unsigned int)count; i++) {
		for (j = 0; j < sizeof(values) / sizeof(values[0]); j++) {
			/* Alternate decimal and hex input. */
			snprintf(in, sizeof(in), j % 2 ? "%u" : "0x%x", values[j]);
			CHECK(attr_write(names[i], "liveness", in) == 0, "%s", in);
			CHECK(attr_read(names[i], "liveness", out, sizeof(out)) == 0,
			      "read");
			snprintf(expect, sizeof(expect), "0x%08x", ~values[j]);
			CHECK(!strcmp(out, expect), "%s: wrote %s, read %s",
			      names[i], in, out);
		}
	}
	return 0;
}

struct bad_input {
	const char *val;
	int err;
};

/* Each rejected write leaves the register as it was. */
static int test_liveness_bad_input(void)
{
	static const struct bad_input bad[] = {
		{ "abc", -EINVAL }, { "12abc", -EINVAL }, { "-1", -EINVAL },
		{ "\n", -EINVAL }, { "0x100000000", -ERANGE },
		{ "99999999999999999999", -ERANGE }, { " 5", -EINVAL },
	};
	char before[32], after[32];
	unsigned int i;

	CHECK(load_names() > 0, "no devices");
	CHECK(attr_write(names[0], "liveness", "0x55") == 0, "set");
	CHECK(attr_read(names[0], "liveness", before, sizeof(before)) == 0, "read");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = attr_write(names[0], "liveness", bad[i].val);

		CHECK(ret == bad[i].err, "'%s': got %d, want %d", bad[i].val,
		      ret, bad[i].err);
		CHECK(attr_read(names[0], "liveness", after, sizeof(after)) == 0,
		      "read");
		CHECK(!strcmp(before, after), "'%s' changed %s to %s",
		      bad[i].val, before, after);
	}
	return 0;
}

static unsigned int factorial(unsigned int n)
{
	return n ? n * factorial(n - 1) : 1;
}

static int test_factorial(void)
{
	char in[16], out[32];
	unsigned int n;
	int i;

	CHECK(load_names() > 0, "no devices");
	for (i = 0; i < count; i++) {
		for (n = 0; n <= 12; n++) {
			snprintf(in, sizeof(in), "%u", n);
			CHECK(attr_write(names[i], "factorial", in) == 0,
			      "%s: write %u", names[i], n);
			CHECK(attr_read(names[i], "factorial", out, sizeof(out)) == 0,
			      "read");
			CHECK(strtoul(out, NULL, 10) == factorial(n),
			      "%s: %u! read %s, want %u", names[i], n, out,
			      factorial(n));
		}
	}
	return 0;
}

static int test_factorial_bad_input(void)
{
	static const struct bad_input bad[] = {
		{ "abc", -EINVAL }, { "13", -ERANGE }, { "-1", -ERANGE },
		{ "\n", -EINVAL }, { "1.5", -EINVAL }, { "0x5", -EINVAL },
		{ "99999999999", -ERANGE }, { "4294967296", -ERANGE },
	};
	char before[32], after[32];
	unsigned int i;

	CHECK(load_names() > 0, "no devices");
	CHECK(attr_write(names[0], "factorial", "7") == 0, "7!");
	CHECK(attr_read(names[0], "factorial", before, sizeof(before)) == 0, "read");
	CHECK(!strcmp(before, "5040"), "7! = %s", before);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = attr_write(names[0], "factorial", bad[i].val);

		CHECK(ret == bad[i].err, "'%s': got %d, want %d", bad[i].val,
		      ret, bad[i].err);
		CHECK(attr_read(names[0], "factorial", after, sizeof(after)) == 0,
		      "read");
		CHECK(!strcmp(before, after), "'%s' changed %s to %s",
		      bad[i].val, before, after);
	}
	/* An empty write is no write at all: nothing computed, no error. */
	CHECK(attr_write(names[0], "factorial", "") == 0, "empty write");
	CHECK(attr_read(names[0], "factorial", after, sizeof(after)) == 0, "read");
	CHECK(!strcmp(before, after), "empty write changed %s to %s", before, after);
	return 0;
}

static int is_factorial(unsigned long v)
{
	unsigned int n;

	for (n = 0; n <= 12; n++)
		if (v == factorial(n))
			return 1;
	return 0;
}

/* Several processes computing on every device at once all get right answers. */
static int test_factorial_concurrent(void)
{
	enum { WORKERS = 4, ROUNDS = 25 };
	int w, failed = 0;

	CHECK(load_names() > 0, "no devices");
	fflush(stdout);
	for (w = 0; w < WORKERS; w++) {
		pid_t pid = fork();

		CHECK(pid >= 0, "fork");
		if (pid == 0) {
			int r, i, bad = 0;

			for (r = 0; r < ROUNDS; r++) {
				for (i = 0; i < count; i++) {
					char in[16], path[512];
					unsigned int n = (r + w + i) % 13;

					char out[32];

					snprintf(in, sizeof(in), "%u", n);
					attr_path(path, sizeof(path), names[i], "factorial");
					if (write_text(path, in, strlen(in)) ||
					    read_text(path, out, sizeof(out))) {
						bad++;
						continue;
					}
					/* Another worker may have computed since: any n! is fine, garbage is not. */
					if (!is_factorial(strtoul(out, NULL, 10)))
						bad++;
				}
			}
			_exit(bad ? 1 : 0);
		}
	}
	for (w = 0; w < WORKERS; w++) {
		int st;

		wait(&st);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			failed++;
	}
	CHECK(!failed, "%d workers saw errors", failed);
	return 0;
}

/* One worker's channel: the exact result of n! through it, or -1. */
static void nl_fact_reply(struct nlattr **tb, void *arg)
{
	if (tb[EDU_A_FACT_RESULT])
		*(long long *)arg = nla_get_u32(tb[EDU_A_FACT_RESULT]);
}

static long long factorial_via(int channel, unsigned int n)
{
	char cmd[64];

	if (channel == 0) {
		struct edu_factorial f = { .n = n };
		int fd = edu_open_dev("edu0", O_RDWR), ret;

		if (fd < 0)
			return -1;
		ret = ioctl(fd, EDU_IOC_FACTORIAL, &f);
		close(fd);
		return ret ? -1 : (long long)f.result;
	}
	if (channel == 1) {
		/* In process, not through eductl: a process per call is slow on KASAN. */
		long long result = -1;
		struct edu_genl g;
		struct nl_msg *msg;

		if (edu_genl_open(&g))
			return -1;
		msg = edu_genl_msg(&g, EDU_CMD_FACTORIAL, 0);
		if (msg && !nla_put_u32(msg, EDU_A_DEVICE, 0) && !nla_put_u32(msg, EDU_A_FACT_N, n) &&
		    edu_genl_request(&g, msg, nl_fact_reply, &result))
			result = -1;
		if (msg)
			nlmsg_free(msg);
		edu_genl_close(&g);
		return result;
	}
	/* sysfs: only the write is this caller's; the read may be another's. */
	snprintf(cmd, sizeof(cmd), "%u", n);
	return attr_write("edu0", "factorial", cmd) ? -1 : 0;
}

/*
 * Factorials through ioctl, netlink and sysfs at once, on one device: each
 * ioctl and netlink caller gets exactly its own n!, never another's.
 */
static int test_factorial_every_channel(void)
{
	enum { ROUNDS = 20 };
	int c, failed = 0;

	fflush(stdout);
	for (c = 0; c < 3; c++) {
		pid_t pid = fork();

		CHECK(pid >= 0, "fork");
		if (pid == 0) {
			int r, bad = 0;

			for (r = 0; r < ROUNDS; r++) {
				unsigned int n = (r * 3 + c) % 13;
				long long want = 1, got = factorial_via(c, n);
				unsigned int k;

				for (k = 2; k <= n; k++)
					want *= k;
				if (got < 0 || (c < 2 && got != want)) {
					diag("channel %d: %u! = %lld", c, n, got);
					bad++;
				}
			}
			_exit(bad ? 1 : 0);
		}
	}
	for (c = 0; c < 3; c++) {
		int st;

		wait(&st);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			failed++;
	}
	CHECK(!failed, "%d channels saw wrong results", failed);
	return 0;
}

static int test_interrupt_mode(void)
{
	char val[16];
	int i;

	CHECK(load_names() > 0, "no devices");
	for (i = 0; i < count; i++) {
		CHECK(attr_read(names[i], "interrupt_mode", val, sizeof(val)) == 0,
		      "%s", names[i]);
		CHECK(!strcmp(val, expected_mode()), "%s: %s, want %s", names[i],
		      val, expected_mode());
	}
	return 0;
}

/* A factorial completes by a real interrupt of the expected kind. */
static int test_interrupt_delivered(void)
{
	const char *want_chip = strcmp(expected_mode(), "msi") ? "IO-APIC" : "PCI-MSI";
	char chip[32];
	int i;

	CHECK(load_names() > 0, "no devices");
	for (i = 0; i < count; i++) {
		long long before, after;

		before = irq_count(names[i], chip, sizeof(chip));
		CHECK(before >= 0, "%s not in /proc/interrupts", names[i]);
		/* Behind an IOMMU's interrupt remapping the chip is "IR-...". */
		CHECK(!strcmp(chip, want_chip) ||
		      (!strncmp(chip, "IR-", 3) && !strcmp(chip + 3, want_chip)),
		      "%s on %s, want %s", names[i], chip, want_chip);
		CHECK(attr_write(names[i], "factorial", "5") == 0, "5!");
		CHECK(attr_write(names[i], "factorial", "6") == 0, "6!");
		after = irq_count(names[i], NULL, 0);
		CHECK(after >= before + 2, "%s: %lld -> %lld interrupts",
		      names[i], before, after);
	}
	return 0;
}

const struct test_case core_tests[] = {
	TEST(all_bound),
	TEST(dev_nodes),
	TEST(device_link),
	TEST(identification),
	TEST(liveness),
	TEST(liveness_bad_input),
	TEST(factorial),
	TEST(factorial_bad_input),
	TEST(factorial_concurrent),
	TEST(factorial_every_channel),
	TEST(interrupt_mode),
	TEST(interrupt_delivered),
	TEST_END
};
