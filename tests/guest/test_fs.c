// SPDX-License-Identifier: GPL-2.0
/*
 * The filesystem channels: sysfs registers and stats (with a pollable
 * counter), /proc/driver/edu, debugfs (registers, injection, fault knobs,
 * signal_pid, events) and the sysctl tunables. Run in each interrupt mode.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/edu.h>

#include "tests.h"
#include "util.h"

#define SYSCTL "/proc/sys/dev/edu/"
#define DEBUGFS "/sys/kernel/debug/edu/"

static int put(const char *path, const char *val)
{
	return write_text(path, val, strlen(val));
}

static int get(const char *path, char *buf, size_t len)
{
	int ret = read_text(path, buf, len);

	if (!ret)
		buf[strcspn(buf, "\n")] = '\0';
	return ret;
}

static int test_sysfs_registers(void)
{
	char val[32];

	CHECK(get("/sys/class/edu/edu0/status", val, sizeof(val)) == 0, "status");
	CHECK(!strncmp(val, "0x", 2) && strlen(val) == 10, "status '%s'", val);
	CHECK(get("/sys/class/edu/edu0/interrupt_status", val, sizeof(val)) == 0,
	      "interrupt_status");
	CHECK(!strcmp(val, "0x00000000"), "interrupt_status '%s' at rest", val);
	CHECK(get("/sys/class/edu/edu0/dma_mask_bits", val, sizeof(val)) == 0, "mask");
	CHECK(!strcmp(val, "28"), "dma_mask_bits '%s'", val);
	CHECK(put("/sys/class/edu/edu0/identification", "1") < 0, "identification writable");
	CHECK(put("/sys/class/edu/edu0/stats/irqs", "0") < 0, "stats writable");
	return 0;
}

/* Every kind of interrupt is counted as its kind, with the totals. */
static int test_stats_by_kind(void)
{
	static const char *const names[] = {
		"irqs", "irqs_factorial", "irqs_dma", "irqs_other", "injected",
		"dma_transfers", "dma_bytes", "factorials",
	};
	long long before[8], after[8];
	struct edu_factorial f = { .n = 3 };
	struct edu_event ev;
	unsigned char buf[10] = { 0 };
	struct edu_data d = { .addr = (uintptr_t)buf, .len = sizeof(buf) };
	int fd = edu_open_dev("edu1", O_RDWR), i;

	CHECK(fd >= 0, "open");
	for (i = 0; i < 8; i++)
		before[i] = stat_of("edu1", names[i]);
	CHECK(ioctl(fd, EDU_IOC_FACTORIAL, &f) == 0, "factorial");
	CHECK(next_event(fd, 2000, &ev) == 0, "event");
	CHECK(ioctl(fd, EDU_IOC_WRITE_DATA, &d) == 0, "dma");
	CHECK(next_event(fd, 2000, &ev) == 0, "event");
	CHECK(raise_irq(fd, 0x100000) == 0, "raise");
	CHECK(next_event(fd, 2000, &ev) == 0, "event");
	for (i = 0; i < 8; i++)
		after[i] = stat_of("edu1", names[i]);
	close(fd);
	CHECK(after[0] - before[0] == 3, "irqs +%lld", after[0] - before[0]);
	for (i = 1; i < 8; i++) {
		long long want = !strcmp(names[i], "dma_bytes") ? (long long)sizeof(buf) : 1;

		CHECK(after[i] - before[i] == want, "%s +%lld, want +%lld", names[i],
		      after[i] - before[i], want);
	}
	return 0;
}

/* Reads fd's events until want interrupts with these status bits came (ms each). */
static int await_irq_events(int fd, unsigned int status, int want, int ms)
{
	struct edu_event ev;

	while (want > 0) {
		if (next_event(fd, ms, &ev))
			return -1;
		if (ev.type == EDU_EVENT_INTERRUPT && ev.irq_status == status)
			want--;
	}
	return 0;
}

/*
 * poll(POLLPRI) on stats/irqs wakes on an interrupt (sysfs_notify). The
 * driver notifies once until the file is read again: each round reads it,
 * then raises twice; the first interrupt must wake the poller, and the next
 * round's read must count both.
 */
static int test_stats_irqs_pollable(void)
{
	int fd = open("/sys/class/edu/edu0/stats/irqs", O_RDONLY), dev, ret, round;
	long long last = -1, now;
	struct pollfd p;
	char val[32];
	ssize_t n;

	CHECK(fd >= 0, "open");
	dev = edu_open_dev("edu0", O_RDWR);
	CHECK(dev >= 0, "open edu0");
	for (round = 0; round < 4; round++) {
		n = pread(fd, val, sizeof(val) - 1, 0);
		CHECK(n > 0, "read arms the notification");
		val[n] = '\0';
		now = atoll(val);
		CHECK(last < 0 || now >= last + 2, "round %d: %lld interrupts, %lld before", round,
		      now, last);
		last = now;
		if (round == 3)
			break;
		p = (struct pollfd){ .fd = fd, .events = POLLPRI };
		CHECK(poll(&p, 1, 0) == 0, "round %d: ready without an interrupt: %#x", round,
		      p.revents);
		CHECK(raise_irq(dev, 0x200000) == 0, "raise");
		p.revents = 0;
		ret = poll(&p, 1, 2000);
		CHECK(ret == 1 && (p.revents & POLLPRI), "round %d: poll %d revents %#x", round, ret,
		      p.revents);
		/* Notified last: the woken poller finds the event posted. */
		CHECK(await_irq_events(dev, 0x200000, 1, 0) == 0, "round %d: no event yet", round);
		CHECK(raise_irq(dev, 0x200000) == 0, "raise");
		/* The second finds the notification spent: nobody read since. */
		CHECK(await_irq_events(dev, 0x200000, 1, 2000) == 0, "round %d: events", round);
	}
	close(dev);
	close(fd);
	return 0;
}

/* /proc/driver/edu agrees with sysfs, one line per bound device. */
static int test_procfs_matches_sysfs(void)
{
	char names[MAX_EDU][16], buf[4096], *line, *save;
	int n = edu_names(names, MAX_EDU), lines = 0;

	CHECK(n > 0, "no devices");
	CHECK(read_text("/proc/driver/edu", buf, sizeof(buf)) == 0, "read");
	line = strtok_r(buf, "\n", &save);
	CHECK(line && !strncmp(line, "name\tpci\tmode\tirqs", 18), "header '%s'", line);
	while ((line = strtok_r(NULL, "\n", &save))) {
		char name[16], pci[32], mode[8], fw[16];
		long long irqs, xfers, bytes, facts, errs;
		int open_files, i, found = 0;

		CHECK(sscanf(line, "%15s %31s %7s %lld %lld %lld %lld %lld %15s %d",
			     name, pci, mode, &irqs, &xfers, &bytes, &facts, &errs,
			     fw, &open_files) == 10, "line '%s'", line);
		for (i = 0; i < n; i++)
			found |= !strcmp(names[i], name);
		CHECK(found, "%s is not bound", name);
		CHECK(!strcmp(mode, expected_mode()), "%s: mode %s", name, mode);
		CHECK(irqs == stat_of(name, "irqs"), "%s irqs", name);
		CHECK(xfers == stat_of(name, "dma_transfers"), "%s transfers", name);
		CHECK(bytes == stat_of(name, "dma_bytes"), "%s bytes", name);
		CHECK(facts == stat_of(name, "factorials"), "%s factorials", name);
		CHECK(errs == stat_of(name, "errors"), "%s errors", name);
		CHECK(open_files == 0, "%s: %d open files", name, open_files);
		lines++;
	}
	CHECK(lines == n, "%d lines, %d devices", lines, n);
	return 0;
}

static int test_debugfs_regs(void)
{
	static const char *const regs[] = {
		"identification", "liveness", "factorial", "status", "irq_status",
		"dma_src", "dma_dst", "dma_count", "dma_cmd",
	};
	char buf[2048];
	unsigned int i;

	CHECK(put("/sys/class/edu/edu0/liveness", "0x0f0f0f0f") == 0, "liveness");
	CHECK(read_text(DEBUGFS "edu0/regs", buf, sizeof(buf)) == 0, "read regs");
	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		CHECK(strstr(buf, regs[i]), "no %s in %s", regs[i], buf);
	CHECK(strstr(buf, "identification   0x010000ed"), "%s", buf);
	CHECK(strstr(buf, "liveness         0xf0f0f0f0"), "%s", buf);
	return 0;
}

static int test_debugfs_inject(void)
{
	int fd = edu_open_dev("edu0", O_RDWR);
	struct edu_event ev;

	CHECK(fd >= 0, "open");
	CHECK(put(DEBUGFS "edu0/inject_irq", "0x400000") == 0, "inject");
	CHECK(next_event(fd, 2000, &ev) == 0 && ev.irq_status == 0x400000,
	      "event status %#x", ev.irq_status);
	CHECK(put(DEBUGFS "edu0/inject_irq", "0") == -EINVAL, "0");
	CHECK(put(DEBUGFS "edu0/inject_irq", "zap") == -EINVAL, "garbage");
	CHECK(put(DEBUGFS "edu0/inject_irq", "0x100000000") == -ERANGE, "33 bits");
	CHECK(next_event(fd, 200, &ev) == -ETIMEDOUT, "a refused write raised");
	close(fd);
	return 0;
}

/* Each fault knob refuses garbage and out-of-range values, unchanged. */
static int test_debugfs_knobs_strict(void)
{
	static const struct { const char *knob, *val; int err; } bad[] = {
		{ "drop_irqs", "abc", -EINVAL }, { "drop_irqs", "-1", -EINVAL },
		{ "drop_irqs", "1000001", -ERANGE }, { "fail_dma", "2x", -EINVAL },
		{ "fail_dma", "99999999999999999999", -ERANGE },
		{ "dma_delay_ms", "60001", -ERANGE }, { "spurious_irq", "1001", -ERANGE },
		{ "spurious_irq", "x", -EINVAL },
	};
	char path[128], val[32];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), DEBUGFS "edu0/%s", bad[i].knob);
		CHECK(put(path, bad[i].val) == bad[i].err, "%s '%s'", bad[i].knob,
		      bad[i].val);
		if (strcmp(bad[i].knob, "spurious_irq")) {
			CHECK(get(path, val, sizeof(val)) == 0 && !strcmp(val, "0"),
			      "%s now '%s'", bad[i].knob, val);
		}
	}
	return 0;
}

/* drop_irqs: the interrupt is acknowledged and forgotten; the driver recovers. */
static int test_fault_drop_irqs(void)
{
	long long dropped = stat_of("edu0", "irqs_dropped");
	int fd = edu_open_dev("edu0", O_RDWR);
	char val[32];
	struct edu_event ev;

	CHECK(fd >= 0, "open");
	CHECK(put(SYSCTL "irq_timeout_ms", "200") == 0, "irq timeout");
	CHECK(put(DEBUGFS "edu0/drop_irqs", "1") == 0, "knob");
	CHECK(put("/sys/class/edu/edu0/factorial", "5") == 0, "factorial with a lost irq");
	CHECK(get("/sys/class/edu/edu0/factorial", val, sizeof(val)) == 0 &&
	      !strcmp(val, "120"), "5! = %s", val);
	CHECK(stat_of("edu0", "irqs_dropped") == dropped + 1, "irqs_dropped");
	CHECK(next_event(fd, 200, &ev) == -ETIMEDOUT, "a dropped interrupt made an event");
	CHECK(get(DEBUGFS "edu0/drop_irqs", val, sizeof(val)) == 0 && !strcmp(val, "0"),
	      "knob left at %s", val);
	/* Recovered: the next interrupt is an event again. */
	CHECK(put("/sys/class/edu/edu0/factorial", "6") == 0, "factorial");
	CHECK(next_event(fd, 2000, &ev) == 0, "no event after recovery");
	CHECK(put(SYSCTL "irq_timeout_ms", "1000") == 0, "restore");
	close(fd);
	return 0;
}

static int test_fault_fail_dma(void)
{
	long long errors = stat_of("edu0", "errors");
	int fd = edu_open_dev("edu0", O_RDWR);
	char out[8] = "faulty", in[8] = "";

	CHECK(fd >= 0, "open");
	CHECK(put(DEBUGFS "edu0/fail_dma", "2") == 0, "knob");
	CHECK(write_window(fd, 40, out, 7) == -EIO, "first transfer");
	CHECK(write_window(fd, 40, out, 7) == -EIO, "second transfer");
	CHECK(write_window(fd, 40, out, 7) == 0, "third transfer");
	CHECK(read_window(fd, 40, in, 7) == 0 && !strcmp(in, "faulty"), "data '%s'", in);
	CHECK(stat_of("edu0", "errors") == errors + 2, "errors");
	close(fd);
	return 0;
}

/* A completion handled later than the timeout is a timeout; then recovery. */
static int test_fault_dma_delay(void)
{
	long long errors = stat_of("edu0", "errors");
	int fd = edu_open_dev("edu0", O_RDWR);
	char out[8] = "delay", in[8] = "";

	CHECK(fd >= 0, "open");
	CHECK(put(SYSCTL "dma_timeout_ms", "400") == 0, "timeout");
	CHECK(put(DEBUGFS "edu0/dma_delay_ms", "50") == 0, "short delay");
	CHECK(write_window(fd, 60, out, 6) == 0, "a short delay is harmless");
	CHECK(put(DEBUGFS "edu0/dma_delay_ms", "400") == 0, "long delay");
	CHECK(write_window(fd, 60, "zzzzz", 6) == -ETIMEDOUT, "delay past the timeout");
	CHECK(stat_of("edu0", "errors") == errors + 1, "errors");
	CHECK(put(DEBUGFS "edu0/dma_delay_ms", "0") == 0, "off");
	CHECK(put(SYSCTL "dma_timeout_ms", "1000") == 0, "restore");
	CHECK(write_window(fd, 60, out, 6) == 0, "after recovery");
	CHECK(read_window(fd, 60, in, 6) == 0 && !strcmp(in, "delay"), "data '%s'", in);
	close(fd);
	return 0;
}

/* An interrupt with no status is not ours: counted, nothing else happens. */
static int test_fault_spurious_irq(void)
{
	long long spurious, irqs;
	struct edu_event ev;
	char state[32];
	int fd;

	/* The probe-time firmware load's transfers interrupt too. */
	CHECK(WAIT_FOR(get("/sys/class/edu/edu0/firmware_state", state, sizeof(state)) == 0 &&
		       strcmp(state, "loading"), 10000), "edu0 firmware still loading");
	spurious = stat_of("edu0", "irqs_spurious");
	irqs = stat_of("edu0", "irqs");
	fd = edu_open_dev("edu0", O_RDWR);
	CHECK(fd >= 0, "open");
	CHECK(put(DEBUGFS "edu0/spurious_irq", "3") == 0, "knob");
	CHECK(stat_of("edu0", "irqs_spurious") >= spurious + 3, "irqs_spurious %lld -> %lld",
	      spurious, stat_of("edu0", "irqs_spurious"));
	CHECK(stat_of("edu0", "irqs") == irqs, "counted as ours");
	CHECK(next_event(fd, 200, &ev) == -ETIMEDOUT, "a spurious interrupt made an event");
	CHECK(put("/sys/class/edu/edu0/factorial", "4") == 0, "device still works");
	close(fd);
	return 0;
}

/* signal_pid: the classic pattern, a PID written to a file gets signals. */
static int test_debugfs_signal_pid(void)
{
	int sig = SIGRTMIN + 3, p[2], result = -1, st;
	char cmd[48], val[32];
	sigset_t set;
	pid_t pid;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
	CHECK(pipe(p) == 0, "pipe");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct timespec ts = { .tv_sec = 5 };
		siginfo_t si;

		close(p[0]);
		result = sigtimedwait(&set, &si, &ts) == sig && si.si_code == SI_KERNEL ?
			 1 : -1;
		if (write(p[1], &result, sizeof(result)) != sizeof(result))
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	snprintf(cmd, sizeof(cmd), "%d %d", pid, sig);
	CHECK(put(DEBUGFS "edu1/signal_pid", cmd) == 0, "register %s", cmd);
	CHECK(get(DEBUGFS "edu1/signal_pid", val, sizeof(val)) == 0 && !strcmp(val, cmd),
	      "reads '%s'", val);
	CHECK(put(DEBUGFS "edu1/inject_irq", "0x800") == 0, "inject");
	CHECK(read(p[0], &result, sizeof(result)) == sizeof(result), "child");
	waitpid(pid, &st, 0);
	CHECK(result > 0, "child got no signal");
	CHECK(put(DEBUGFS "edu1/signal_pid", "0") == 0, "clear");
	CHECK(get(DEBUGFS "edu1/signal_pid", val, sizeof(val)) == 0 && !strcmp(val, "0 0"),
	      "after clear '%s'", val);
	CHECK(put(DEBUGFS "edu1/signal_pid", "abc") == -EINVAL, "garbage");
	CHECK(put(DEBUGFS "edu1/signal_pid", "12abc") == -EINVAL, "junk after the pid");
	CHECK(put(DEBUGFS "edu1/signal_pid", "-5") == -EINVAL, "negative");
	CHECK(put(DEBUGFS "edu1/signal_pid", "1 99") == -EINVAL, "signal 99");
	CHECK(put(DEBUGFS "edu1/signal_pid", "1 9") == -EINVAL, "SIGKILL");
	CHECK(put(DEBUGFS "edu1/signal_pid", "4000000") == -ESRCH, "no such process");
	return 0;
}

static int test_debugfs_events(void)
{
	char buf[4096], want[64];

	CHECK(put(DEBUGFS "edu0/inject_irq", "0x1000000") == 0, "inject");
	snprintf(want, sizeof(want), "status 0x%08x", 0x1000000);
	CHECK(WAIT_FOR(!read_text(DEBUGFS "edu0/events", buf, sizeof(buf)) &&
		       strstr(buf, want), 5000), "no '%s' in: %s", want, buf);
	CHECK(strstr(buf, "seq "), "%s", buf);
	return 0;
}

static int test_sysctl_values(void)
{
	static const struct { const char *key, *def; } keys[] = {
		{ "dma_timeout_ms", "1000" }, { "irq_timeout_ms", "1000" },
		{ "event_queue_len", "4096" }, { "log_level", "1" },
		{ "firmware_upload_timeout_s", "60" },
		{ "upcall_helper", "/usr/libexec/edu/edu-upcall" },
		{ "uevent_burst", "10" }, { "uevent_interval_ms", "5000" },
	};
	char path[128], val[300];
	unsigned int i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(path, sizeof(path), SYSCTL "%s", keys[i].key);
		CHECK(get(path, val, sizeof(val)) == 0, "%s", keys[i].key);
		CHECK(!strcmp(val, keys[i].def), "%s = '%s', want '%s'", keys[i].key,
		      val, keys[i].def);
	}
	return 0;
}

static int test_sysctl_strict(void)
{
	static const struct { const char *key, *val; } bad[] = {
		{ "dma_timeout_ms", "abc" }, { "dma_timeout_ms", "9" },
		{ "dma_timeout_ms", "60001" }, { "dma_timeout_ms", "-5" },
		{ "irq_timeout_ms", "9" }, { "event_queue_len", "0" },
		{ "event_queue_len", "4097" }, { "log_level", "4" },
		{ "firmware_upload_timeout_s", "0" }, { "firmware_upload_timeout_s", "3601" },
		{ "upcall_helper", "relative/path" }, { "upcall_helper", "/with space" },
		{ "upcall_helper", "\n" }, { "upcall_timeout_ms", "99" },
		{ "upcall_timeout_ms", "600001" }, { "uevent_burst", "10001" },
		{ "uevent_interval_ms", "9" }, { "uevent_interval_ms", "3600001" },
	};
	char path[128], before[300], after[300], longv[400];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), SYSCTL "%s", bad[i].key);
		CHECK(get(path, before, sizeof(before)) == 0, "read");
		CHECK(put(path, bad[i].val) == -EINVAL, "%s accepted '%s'", bad[i].key,
		      bad[i].val);
		CHECK(get(path, after, sizeof(after)) == 0 && !strcmp(before, after),
		      "%s changed to '%s'", bad[i].key, after);
	}
	memset(longv, 'a', sizeof(longv) - 1);
	longv[0] = '/';
	longv[sizeof(longv) - 1] = '\0';
	CHECK(put(SYSCTL "upcall_helper", longv) == -EINVAL, "too long");
	CHECK(put(SYSCTL "upcall_helper", "/bin/true") == 0, "valid path");
	CHECK(get(SYSCTL "upcall_helper", after, sizeof(after)) == 0 &&
	      !strcmp(after, "/bin/true"), "'%s'", after);
	CHECK(put(SYSCTL "upcall_helper", "/usr/libexec/edu/edu-upcall") == 0, "restore");
	return 0;
}

static int test_sysctl_root_only(void)
{
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (setuid(65534))
			_exit(2);
		_exit(put(SYSCTL "log_level", "3") == -EACCES &&
		      put(SYSCTL "upcall_helper", "/tmp/evil") == -EACCES ? 0 : 1);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "unprivileged write: status %#x", st);
	return 0;
}

/* event_queue_len applies to files opened after it is set. */
static int test_sysctl_queue_len(void)
{
	struct edu_info info;
	int fd;

	CHECK(put(SYSCTL "event_queue_len", "8") == 0, "set");
	fd = edu_open_dev("edu0", O_RDWR);
	put(SYSCTL "event_queue_len", "4096");
	CHECK(fd >= 0, "open");
	CHECK(ioctl(fd, EDU_IOC_INFO, &info) == 0 && info.queue_len == 8,
	      "queue_len %u", info.queue_len);
	close(fd);
	return 0;
}

/* log_level 3 logs every interrupt; the default does not. */
static int test_sysctl_log_level(void)
{
	char want[64], line[512];
	int kmsg, found = 0;

	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	CHECK(kmsg >= 0, "kmsg");
	lseek(kmsg, 0, SEEK_END);
	CHECK(put(SYSCTL "log_level", "3") == 0, "set");
	CHECK(put(DEBUGFS "edu0/inject_irq", "0x2000000") == 0, "inject");
	snprintf(want, sizeof(want), "interrupt, status 0x%08x", 0x2000000);
	/* The line is logged by the interrupt handler: wait for it. */
	found = WAIT_FOR(({
		ssize_t n = read(kmsg, line, sizeof(line) - 1);

		n > 0 && (line[n] = '\0', strstr(line, want) != NULL);
	}), 5000);
	CHECK(put(SYSCTL "log_level", "1") == 0, "restore");
	close(kmsg);
	CHECK(found, "no '%s' in the kernel log", want);
	return 0;
}

const struct test_case fs_tests[] = {
	TEST(sysfs_registers),
	TEST(stats_by_kind),
	TEST(stats_irqs_pollable),
	TEST(procfs_matches_sysfs),
	TEST(debugfs_regs),
	TEST(debugfs_inject),
	TEST(debugfs_knobs_strict),
	TEST(fault_drop_irqs),
	TEST(fault_fail_dma),
	TEST(fault_dma_delay),
	TEST(fault_spurious_irq),
	TEST(debugfs_signal_pid),
	TEST(debugfs_events),
	TEST(sysctl_values),
	TEST(sysctl_strict),
	TEST(sysctl_root_only),
	TEST(sysctl_queue_len),
	TEST(sysctl_log_level),
	TEST_END
};
