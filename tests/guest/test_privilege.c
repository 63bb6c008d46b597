// SPDX-License-Identifier: GPL-2.0
/*
 * One privilege model (docs/privileges.md): looking at a device and
 * listening to its events needs nothing; every operation that uses its
 * engines or changes its state needs CAP_SYS_ADMIN, on every channel that
 * offers it. Each privileged cell of the table is tried as uid 65534 twice
 * where the channel allows it: through the path (the file mode answers)
 * and through a file root opened before dropping its credentials (the
 * driver's own check answers).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/edu.h>

#include "tests.h"
#include "util.h"

#define SYSFS "/sys/class/edu/edu0/"
#define DEBUGFS "/sys/kernel/debug/edu/edu0/"
#define SYSCTL "/proc/sys/dev/edu/"
#define ROUTES "/sys/kernel/config/edu/routes/"

/* What uid 65534 may do: look, and listen. */
static int nobody_looks(void *arg)
{
	struct edu_stats stats;
	struct edu_info info;
	struct edu_signal sig = { .signo = 0 };
	char buf[256];
	int fd;

	(void)arg;
	CHECK(read_text(SYSFS "identification", buf, sizeof(buf)) == 0 &&
	      !strcmp(buf, "0x010000ed\n"), "sysfs identification: %s", buf);
	CHECK(read_text(SYSFS "stats/irqs", buf, sizeof(buf)) == 0, "sysfs stats");
	CHECK(read_text(SYSFS "factorial", buf, sizeof(buf)) == 0, "sysfs factorial read");
	CHECK(read_text("/proc/driver/edu", buf, sizeof(buf)) == 0, "procfs");
	CHECK(read_text(SYSCTL "dma_timeout_ms", buf, sizeof(buf)) == 0, "sysctl read");
	fd = open("/dev/edu0", O_RDONLY);
	CHECK(fd >= 0, "open read-only: %s", strerror(errno));
	CHECK(ioctl(fd, EDU_IOC_INFO, &info) == 0 && info.ident == 0x010000ed, "INFO");
	CHECK(ioctl(fd, EDU_IOC_GET_STATS, &stats) == 0, "GET_STATS");
	CHECK(ioctl(fd, EDU_IOC_SET_SIGNAL, &sig) == 0, "SET_SIGNAL");
	close(fd);
	CHECK(run_cmd("eductl nl device edu0", buf, sizeof(buf)) == 0, "nl device: %s", buf);
	CHECK(run_cmd("eductl nl stats edu0", buf, sizeof(buf)) == 0, "nl stats: %s", buf);
	return 0;
}

static int test_nobody_may_look(void)
{
	CHECK(as_nobody(nobody_looks, NULL) == 0, "uid 65534 could not look");
	return 0;
}

/* Listening needs nothing either: a read-only file and the netlink group. */
static int test_nobody_may_listen(void)
{
	int p[2], st, root_fd = edu_open_dev("edu0", O_RDWR);
	struct edu_event ev;
	char out[512];
	pid_t pid;

	CHECK(root_fd >= 0, "open");
	CHECK(pipe(p) == 0, "pipe");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int fd, ok;

		close(p[0]);
		if (setgid(65534) || setuid(65534))
			_exit(2);
		fd = open("/dev/edu0", O_RDONLY);
		if (fd < 0 || write(p[1], "r", 1) != 1)
			_exit(3);
		ok = next_event(fd, 10000, &ev) == 0 && ev.irq_status == 0x800000;
		_exit(ok ? 0 : 4);
	}
	close(p[1]);
	CHECK(read(p[0], out, 1) == 1, "reader did not start");
	close(p[0]);
	CHECK(raise_irq(root_fd, 0x800000) == 0, "raise");
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st),
	      "read-only reader: %#x", st);

	/* The netlink group: eductl monitor as uid 65534 sees an event. */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		execl("/bin/sh", "sh", "-c",
		      "eductl monitor -n 1 --timeout 10 >/tmp/nobody-monitor.out 2>&1",
		      (char *)NULL);
		_exit(127);
	}
	/* Raise until the monitor has one (it may subscribe after a raise). */
	st = WAIT_FOR(raise_irq(root_fd, 0x800000) == 0 &&
		      waitpid(pid, &st, WNOHANG) == pid, 10000);
	close(root_fd);
	if (!st) {
		kill(pid, 9);
		waitpid(pid, NULL, 0);
	}
	read_text("/tmp/nobody-monitor.out", out, sizeof(out));
	CHECK(st && strstr(out, "status 0x00800000"), "monitor as uid 65534: %s", out);
	return 0;
}

/* Operations through an O_RDONLY file of uid 65534's own: EPERM. */
static int nobody_operates_chardev(void *arg)
{
	unsigned char buf[16] = { 0 };
	struct edu_factorial fact = { .n = 5 };
	struct edu_dma dma = { .dir = EDU_DMA_TO_DEVICE, .len = 1 };
	struct edu_data data = { .addr = (uintptr_t)buf, .len = sizeof(buf) };
	__u32 bits = 0x1000;
	int fd;

	(void)arg;
	CHECK(open("/dev/edu0", O_RDWR) == -1 && errno == EACCES, "open O_RDWR: %s",
	      strerror(errno));
	fd = open("/dev/edu0", O_RDONLY);
	CHECK(fd >= 0, "open O_RDONLY");
	CHECK(ioctl(fd, EDU_IOC_FACTORIAL, &fact) == -1 && errno == EPERM, "FACTORIAL");
	CHECK(ioctl(fd, EDU_IOC_RAISE_IRQ, &bits) == -1 && errno == EPERM, "RAISE_IRQ");
	CHECK(ioctl(fd, EDU_IOC_DMA, &dma) == -1 && errno == EPERM, "DMA");
	CHECK(ioctl(fd, EDU_IOC_WRITE_DATA, &data) == -1 && errno == EPERM, "WRITE_DATA");
	CHECK(ioctl(fd, EDU_IOC_READ_DATA, &data) == -1 && errno == EPERM, "READ_DATA");
	CHECK(mmap(NULL, EDU_MMAP_SIZE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
	      errno == EPERM, "mmap: %s", strerror(errno));
	close(fd);
	return 0;
}

static int test_chardev_operations(void)
{
	CHECK(as_nobody(nobody_operates_chardev, NULL) == 0, "see above");
	return 0;
}

/* Files root opened; the child drops to uid 65534 and writes them. */
struct held_write {
	const char *path;
	const char *value;
};

static const struct held_write held[] = {
	{ SYSFS "factorial", "5" },
	{ SYSFS "liveness", "1" },
	{ SYSFS "firmware_upload", "1" },
	{ DEBUGFS "inject_irq", "0x1000" },
	{ DEBUGFS "fail_dma", "1" },
	{ DEBUGFS "drop_irqs", "1" },
	{ DEBUGFS "dma_delay_ms", "1" },
	{ DEBUGFS "spurious_irq", "1" },
	{ DEBUGFS "signal_pid", "1" },
	{ SYSCTL "log_level", "3" },
	{ SYSCTL "upcall_helper", "/tmp/evil" },
	{ SYSCTL "routes_allow_remote", "1" },
	{ SYSCTL "uevent_burst", "0" },
	{ ROUTES "p1/type", "tcp" },
	{ ROUTES "p1/dest", "127.0.0.1:9" },
	{ ROUTES "p1/enable", "1" },
};

#define NHELD (sizeof(held) / sizeof(held[0]))

static int test_held_files_checked(void)
{
	int fds[NHELD], st, ioctl_fd;
	struct edu_factorial fact = { .n = 5 };
	unsigned int i;
	pid_t pid;

	CHECK(mkdir(ROUTES "p1", 0755) == 0, "mkdir route: %s", strerror(errno));
	CHECK(write_text(ROUTES "p1/type", "udp", 3) == 0, "type");
	for (i = 0; i < NHELD; i++) {
		fds[i] = open(held[i].path, O_WRONLY);
		CHECK(fds[i] >= 0, "open %s: %s", held[i].path, strerror(errno));
	}
	ioctl_fd = edu_open_dev("edu0", O_RDWR);
	CHECK(ioctl_fd >= 0, "open");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int failed = 0;

		if (setgid(65534) || setuid(65534))
			_exit(100);
		for (i = 0; i < NHELD; i++) {
			ssize_t n = write(fds[i], held[i].value, strlen(held[i].value));

			if (n != -1 || errno != EPERM) {
				diag("%s as uid 65534: %zd %s", held[i].path, n,
				     n < 0 ? strerror(errno) : "written");
				failed++;
			}
		}
		if (ioctl(ioctl_fd, EDU_IOC_FACTORIAL, &fact) != -1 || errno != EPERM) {
			diag("FACTORIAL on root's file as uid 65534 was allowed");
			failed++;
		}
		_exit(failed);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st), "child");
	for (i = 0; i < NHELD; i++)
		close(fds[i]);
	close(ioctl_fd);
	rmdir(ROUTES "p1");
	CHECK(WEXITSTATUS(st) == 0, "%d writes were allowed", WEXITSTATUS(st));
	return 0;
}

/* The paths themselves: the file modes refuse uid 65534 first. */
static int nobody_paths(void *arg)
{
	static const char *const paths[] = {
		SYSFS "factorial", SYSFS "liveness", SYSFS "firmware_upload",
		SYSCTL "log_level", SYSCTL "upcall_helper",
	};
	unsigned int i;

	(void)arg;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		CHECK(write_text(paths[i], "1", 1) == -EACCES, "%s", paths[i]);
	CHECK(mkdir(ROUTES "nobody", 0755) == -1 && errno == EACCES, "configfs mkdir: %s",
	      strerror(errno));
	CHECK(access(DEBUGFS "inject_irq", F_OK) == -1, "debugfs reachable");
	return 0;
}

static int test_nobody_paths(void)
{
	CHECK(as_nobody(nobody_paths, NULL) == 0, "see above");
	return 0;
}

/* Netlink: the same operations, the same privilege, said in extack. */
static int nobody_netlink(void *arg)
{
	static const char *const cmds[] = {
		"eductl nl factorial edu0 5",
		"eductl nl raise edu0 0x10",
		"eductl nl reset edu0",
	};
	char out[512];
	unsigned int i;

	(void)arg;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		int ret = run_cmd(cmds[i], out, sizeof(out));

		CHECK(ret == 1 && strstr(out, "needs CAP_SYS_ADMIN"), "%s: exit %d: %s",
		      cmds[i], ret, out);
	}
	return 0;
}

static int test_netlink_operations(void)
{
	CHECK(as_nobody(nobody_netlink, NULL) == 0, "see above");
	return 0;
}

const struct test_case privilege_tests[] = {
	TEST(nobody_may_look),
	TEST(nobody_may_listen),
	TEST(chardev_operations),
	TEST(held_files_checked),
	TEST(nobody_paths),
	TEST(netlink_operations),
	TEST_END
};
