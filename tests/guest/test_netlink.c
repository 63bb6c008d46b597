// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "edu": requests through eductl, malformed and
 * unprivileged requests refused with the kernel's extack text, and events
 * multicast to the group "events".
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/genl/genl.h>

#include "tests.h"
#include "util.h"

static int test_nl_devices(void)
{
	char names[MAX_EDU][16], out[4096], bdf[32], want[96];
	int n = edu_names(names, MAX_EDU), i;

	CHECK(n > 0, "no devices");
	CHECK(run_cmd("eductl nl device", out, sizeof(out)) == 0, "%s", out);
	for (i = 0; i < n; i++) {
		CHECK(bdf_of(names[i], bdf, sizeof(bdf)) == 0, "bdf");
		snprintf(want, sizeof(want), "%.15s pci %s %s firmware ", names[i], bdf,
			 expected_mode());
		CHECK(strstr(out, want), "no '%s' in %s", want, out);
	}
	CHECK(run_cmd("eductl nl device edu1", out, sizeof(out)) == 0, "%s", out);
	CHECK(!strncmp(out, "edu1 pci ", 9) && !strchr(out, '\n')[1], "%s", out);
	CHECK(run_cmd("eductl nl device edu9", out, sizeof(out)) == 3, "%s", out);
	CHECK(strstr(out, "kernel: no such edu device"), "%s", out);
	return 0;
}

static int test_nl_factorial(void)
{
	char out[1024];

	CHECK(run_cmd("eductl nl factorial edu0 7", out, sizeof(out)) == 0, "%s", out);
	CHECK(!strcmp(out, "5040\n"), "%s", out);
	CHECK(run_cmd("eductl nl factorial edu0 13", out, sizeof(out)) == 1, "%s", out);
	CHECK(strstr(out, "kernel: integer out of range"), "%s", out);
	return 0;
}

static int test_nl_stats_reset(void)
{
	char out[4096], val[32];

	CHECK(run_cmd("eductl nl factorial edu1 3", out, sizeof(out)) == 0, "%s", out);
	CHECK(run_cmd("eductl nl stats edu1", out, sizeof(out)) == 0, "%s", out);
	CHECK(strstr(out, "factorials") && strstr(out, "irqs_dropped"), "%s", out);
	CHECK(!strstr(out, "factorials       0\n"), "%s", out);
	CHECK(run_cmd("eductl nl reset edu1", out, sizeof(out)) == 0, "%s", out);
	CHECK(read_text("/sys/class/edu/edu1/stats/factorials", val, sizeof(val)) == 0 &&
	      !strcmp(val, "0\n"), "after reset: %s", val);
	CHECK(run_cmd("eductl nl stats edu1", out, sizeof(out)) == 0, "%s", out);
	CHECK(strstr(out, "factorials       0\n"), "%s", out);
	return 0;
}

/* State-changing commands need CAP_SYS_ADMIN; reading does not. */
static int test_nl_admin_perm(void)
{
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char out[1024];

		if (setuid(65534))
			_exit(2);
		int ret = run_cmd("eductl nl raise edu0 0x10", out, sizeof(out));

		if (ret != 1 || !strstr(out, "Operation not permitted")) {
			diag("unprivileged raise: exit %d: %s", ret, out);
			_exit(3);
		}
		if (run_cmd("eductl nl reset edu0", out, sizeof(out)) != 1)
			_exit(4);
		if (run_cmd("eductl nl factorial edu0 5", out, sizeof(out)) != 1 ||
		    !strstr(out, "needs CAP_SYS_ADMIN")) {
			diag("unprivileged factorial: %s", out);
			_exit(6);
		}
		_exit(run_cmd("eductl nl device edu0", out, sizeof(out)) == 0 ? 0 : 5);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st), "child");
	CHECK(WEXITSTATUS(st) == 0, "unprivileged child failed at step %d",
	      WEXITSTATUS(st));
	return 0;
}

/*
 * Requests built by hand, what eductl never sends: cmd with a u32 attr (0:
 * none), a device name (NULL: none), and the header's reserved field.
 */
static int raw_request(int cmd, int attr, unsigned int value, const char *name,
		       int reserved, char *extack, size_t len)
{
	struct edu_genl g;
	struct nl_msg *msg;
	int ret = edu_genl_open(&g);

	if (ret)
		return ret;
	msg = edu_genl_msg(&g, cmd, 0);
	if (!msg)
		return -ENOMEM;
	if (reserved)
		((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(msg)))->reserved = 1;
	if (attr)
		nla_put_u32(msg, attr, value);
	if (name)
		nla_put_string(msg, EDU_A_NAME, name);
	ret = edu_genl_request(&g, msg, NULL, NULL);
	snprintf(extack, len, "%s", g.extack);
	nlmsg_free(msg);
	edu_genl_close(&g);
	return ret;
}

static int test_nl_malformed(void)
{
	char ext[256];
	int ret;

	ret = raw_request(EDU_CMD_FACTORIAL, EDU_A_DEVICE, 0, NULL, 0, ext, sizeof(ext));
	CHECK(ret == -EINVAL && !strcmp(ext, "missing attribute: fact_n"), "%d '%s'",
	      ret, ext);
	ret = raw_request(EDU_CMD_GET_STATS, 0, 0, NULL, 0, ext, sizeof(ext));
	CHECK(ret == -EINVAL && !strcmp(ext, "missing attribute: device"), "%d '%s'",
	      ret, ext);
	ret = raw_request(EDU_CMD_RAISE_IRQ, EDU_A_IRQ_BITS, 0, NULL, 0, ext, sizeof(ext));
	CHECK(ret == -ERANGE && strstr(ext, "out of range"), "bits 0: %d '%s'", ret, ext);
	ret = raw_request(EDU_CMD_GET_DEVICE, 99, 1, NULL, 0, ext, sizeof(ext));
	CHECK(ret == -EINVAL && strstr(ext, "Unknown attribute type"), "%d '%s'", ret,
	      ext);
	ret = raw_request(EDU_CMD_GET_DEVICE, EDU_A_DEVICE, 0, NULL, 1, ext, sizeof(ext));
	CHECK(ret == -EINVAL && strstr(ext, "reserved"), "reserved: %d '%s'", ret, ext);
	ret = raw_request(EDU_CMD_GET_DEVICE, 0, 0, "edu1", 0, ext, sizeof(ext));
	CHECK(ret == 0, "get by name edu1: %d '%s'", ret, ext);
	ret = raw_request(EDU_CMD_GET_DEVICE, 0, 0, "nosuch", 0, ext, sizeof(ext));
	CHECK(ret == -ENODEV && !strcmp(ext, "no such edu device"), "by name: %d '%s'",
	      ret, ext);
	ret = raw_request(EDU_CMD_GET_DEVICE, 0, 0, "edu1234567890123456", 0, ext, sizeof(ext));
	CHECK(ret == -ERANGE || ret == -EINVAL, "long name: %d '%s'", ret, ext);
	ret = raw_request(EDU_CMD_EVENT, EDU_A_DEVICE, 0, NULL, 0, ext, sizeof(ext));
	CHECK(ret == -EOPNOTSUPP, "EVENT as a request: %d '%s'", ret, ext);
	return 0;
}

struct stats_reply {
	int device;		/* top-level EDU_A_DEVICE, or -1 */
	int nested_ok;		/* every EDU_A_STAT_* in the nest is a u64 */
	unsigned long long irqs;
};

static void on_stats(struct nlattr **tb, void *arg)
{
	struct nlattr *st[EDU_A_STAT_MAX + 1];
	struct stats_reply *r = arg;
	int i;

	r->device = tb[EDU_A_DEVICE] ? (int)nla_get_u32(tb[EDU_A_DEVICE]) : -1;
	if (!tb[EDU_A_STATS] ||
	    nla_parse_nested(st, EDU_A_STAT_MAX, tb[EDU_A_STATS], NULL))
		return;
	r->nested_ok = 1;
	for (i = EDU_A_STAT_IRQS; i <= EDU_A_STAT_IRQS_DROPPED; i++)
		if (!st[i] || nla_len(st[i]) != sizeof(__u64))
			r->nested_ok = 0;
	if (r->nested_ok)
		r->irqs = nla_get_u64(st[EDU_A_STAT_IRQS]);
}

/*
 * The stats nest holds its own attribute space only: the device number is
 * beside it, not in it, where it would collide with EDU_A_STAT_IRQS.
 */
static int test_nl_stats_layout(void)
{
	struct stats_reply r = { .device = -1 };
	struct edu_genl g;
	struct nl_msg *msg;
	char val[32];
	int ret;

	CHECK(edu_genl_open(&g) == 0, "family");
	msg = edu_genl_msg(&g, EDU_CMD_GET_STATS, 0);
	CHECK(msg && nla_put_u32(msg, EDU_A_DEVICE, 1) == 0, "message");
	ret = edu_genl_request(&g, msg, on_stats, &r);
	nlmsg_free(msg);
	edu_genl_close(&g);
	CHECK(ret == 0, "request: %d", ret);
	CHECK(r.device == 1, "device attribute %d", r.device);
	CHECK(r.nested_ok, "a stat in the nest is missing or not a u64");
	CHECK(read_text("/sys/class/edu/edu1/stats/irqs", val, sizeof(val)) == 0 &&
	      r.irqs <= strtoull(val, NULL, 10), "irqs %llu, sysfs %s", r.irqs, val);
	return 0;
}

static void *resolve_family(void *arg)
{
	long long *ms = arg, t0 = now_ms();
	struct edu_genl g;

	/* A request of the netlink controller, another family. */
	if (edu_genl_open(&g) == 0)
		edu_genl_close(&g);
	*ms = now_ms() - t0;
	return NULL;
}

/*
 * A factorial that waits for the device (its interrupt dropped, so the
 * driver waits out irq_timeout_ms) must not hold up other generic netlink
 * families: the family runs its operations in parallel, without genl_mutex.
 */
static int test_nl_parallel(void)
{
	long long ms = -1;
	char val[16];
	pthread_t t;
	pid_t pid;
	int st;

	CHECK(write_text("/proc/sys/dev/edu/irq_timeout_ms", "3000", 4) == 0, "sysctl");
	CHECK(write_text("/sys/kernel/debug/edu/edu0/drop_irqs", "1", 1) == 0, "fault");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char out[256];

		_exit(run_cmd("eductl nl factorial edu0 5", out, sizeof(out)) == 0 &&
		      !strcmp(out, "120\n") ? 0 : 1);
	}
	/* The interrupt was dropped: the factorial is waiting now. */
	CHECK(WAIT_FOR(!read_text("/sys/kernel/debug/edu/edu0/drop_irqs", val,
				  sizeof(val)) && !strcmp(val, "0\n"), 5000),
	      "factorial never started");
	CHECK(pthread_create(&t, NULL, resolve_family, &ms) == 0, "thread");
	pthread_join(t, NULL);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st),
	      "factorial: %#x", st);
	CHECK(ms >= 0 && ms < 1000, "another family's request took %lld ms", ms);
	return 0;
}

/* Every event reaches the multicast group, in sequence. */
static int test_nl_monitor(void)
{
	char out[4096], *line, *save;
	unsigned long long seq, prev = 0;
	int st = 0, i, lines = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c",
		      "eductl monitor -n 3 --timeout 10 >/tmp/monitor.out 2>/dev/null",
		      (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100 && waitpid(pid, &st, WNOHANG) == 0; i++) {
		run_cmd("eductl nl raise edu0 0x8000000", out, sizeof(out));
		usleep(100000);
	}
	waitpid(pid, &st, 0);
	CHECK(read_text("/tmp/monitor.out", out, sizeof(out)) == 0, "no output");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "monitor: %#x: %s", st, out);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		CHECK(sscanf(line, "edu0 seq %llu type interrupt status 0x08000000", &seq) == 1,
		      "line '%s'", line);
		CHECK(!prev || seq == prev + 1, "seq %llu after %llu", seq, prev);
		prev = seq;
		lines++;
	}
	CHECK(lines == 3, "%d events", lines);
	return 0;
}

const struct test_case netlink_tests[] = {
	TEST(nl_devices),
	TEST(nl_factorial),
	TEST(nl_stats_reset),
	TEST(nl_stats_layout),
	TEST(nl_parallel),
	TEST(nl_admin_perm),
	TEST(nl_malformed),
	TEST(nl_monitor),
	TEST_END
};
