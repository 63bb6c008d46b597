// SPDX-License-Identifier: GPL-2.0
/*
 * Module and device lifetime: unload and reload with devices bound (which
 * also switches the interrupt mode), refusal to unload while in use, and
 * unbind/bind with a file open.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/edu.h>

#include "tests.h"
#include "util.h"

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static int test_unload_with_devices_bound(void)
{
	int ret = module_unload();

	CHECK(ret == 0, "delete_module: %s", strerror(-ret));
	CHECK(!exists("/sys/class/edu"), "class still registered");
	CHECK(!exists("/sys/bus/pci/drivers/edu"), "driver still registered");
	CHECK(!exists("/dev/edu0"), "/dev/edu0 still there");
	return 0;
}

static int test_load_rejects_bad_parameter(void)
{
	int ret = module_load("force_intx=banana");

	CHECK(ret == -EINVAL, "got %d", ret);
	CHECK(!exists("/sys/class/edu"), "loaded anyway");
	return 0;
}

static int load_and_check(const char *params, const char *mode)
{
	char names[MAX_EDU][16];
	int ret = module_load(params), n, expected = expected_devices();

	CHECK(ret == 0, "finit_module(%s): %s", params, strerror(-ret));
	CHECK(!strcmp(expected_mode(), mode), "loaded in %s mode", expected_mode());
	n = edu_names(names, MAX_EDU);
	CHECK(n > 0, "nothing bound");
	if (expected >= 0)
		CHECK(n == expected, "%d bound, want %d", n, expected);
	return 0;
}

static int test_load_force_intx(void)
{
	return load_and_check("force_intx=1", "intx");
}

/* An open /dev/eduN holds a module reference. */
static int test_unload_refused_while_open(void)
{
	int fd = open("/dev/edu0", O_RDWR), ret;

	CHECK(fd >= 0, "open: %s", strerror(errno));
	ret = module_unload();
	close(fd);
	CHECK(ret == -EWOULDBLOCK, "delete_module while open: %d", ret);
	return 0;
}

/*
 * Unload while events stream: a netlink monitor listens and a loop raises
 * interrupts through netlink until the family is gone. Nothing of this
 * holds the module; unloading must succeed and the loop end.
 */
static int test_unload_while_events_stream(void)
{
	long long irqs = stat_of("edu0", "irqs");
	int st, ret = -1, i;
	pid_t streamer, monitor;

	fflush(stdout);
	monitor = fork();
	if (monitor == 0) {
		execl("/bin/sh", "sh", "-c", "eductl monitor >/dev/null 2>&1", (char *)NULL);
		_exit(127);
	}
	streamer = fork();
	if (streamer == 0) {
		execl("/bin/sh", "sh", "-c",
		      "while eductl nl raise edu0 0x1000 2>/dev/null; do :; done",
		      (char *)NULL);
		_exit(127);
	}
	/* Once events stream (the monitor may still be subscribing), unload. */
	WAIT_FOR(stat_of("edu0", "irqs") > irqs + 5, 5000);
	for (i = 0; i < 20 && ret; i++) {
		ret = module_unload();
		if (ret)
			usleep(100000);
	}
	CHECK(waitpid(streamer, &st, 0) == streamer, "streamer did not stop");
	kill(monitor, SIGTERM);
	waitpid(monitor, NULL, 0);
	CHECK(ret == 0, "delete_module: %s", strerror(-ret));
	return load_and_check("", "msi");
}

static int test_reload_msi(void)
{
	int ret = module_unload();

	CHECK(ret == 0, "delete_module: %s", strerror(-ret));
	return load_and_check("", "msi");
}

/*
 * Unbind edu0 while a file holds it: the name stays taken until the file
 * is closed (the struct is still referenced), then is free again.
 */
static int test_unbind_with_open_file(void)
{
	char bdf[32], name[16], path[64], val[32];
	int fd, ret;

	CHECK(bdf_of("edu0", bdf, sizeof(bdf)) == 0, "edu0");
	fd = open("/dev/edu0", O_RDWR);
	CHECK(fd >= 0, "open: %s", strerror(errno));

	ret = driver_ctl("unbind", bdf);
	CHECK(ret == 0, "unbind: %s", strerror(-ret));
	CHECK(!exists("/sys/class/edu/edu0"), "edu0 still in sysfs");
	CHECK(open("/dev/edu0", O_RDWR) < 0 && errno == ENOENT,
	      "reopen after unbind");

	ret = driver_ctl("bind", bdf);
	CHECK(ret == 0, "bind: %s", strerror(-ret));
	edu_name_at(bdf, name, sizeof(name));
	CHECK(name[0] && strcmp(name, "edu0"), "rebound as '%s' while edu0 open",
	      name);
	snprintf(path, sizeof(path), "/sys/class/edu/%s/identification", name);
	CHECK(read_text(path, val, sizeof(val)) == 0 &&
	      !strcmp(val, "0x010000ed\n"), "%s: %s", name, val);

	CHECK(close(fd) == 0, "close");
	CHECK(driver_ctl("unbind", bdf) == 0, "unbind again");
	CHECK(driver_ctl("bind", bdf) == 0, "bind again");
	edu_name_at(bdf, name, sizeof(name));
	CHECK(!strcmp(name, "edu0"), "rebound as '%s' after close", name);
	return 0;
}

/* Binding an already bound device is refused and changes nothing. */
static int test_bind_twice_refused(void)
{
	char bdf[32];
	int ret;

	CHECK(bdf_of("edu0", bdf, sizeof(bdf)) == 0, "edu0");
	ret = driver_ctl("bind", bdf);
	CHECK(ret == -EBUSY, "second bind: %d", ret);
	CHECK(exists("/sys/class/edu/edu0/identification"), "edu0 gone");
	return 0;
}

/*
 * A mapping is not inherited across fork (touching it in the child faults)
 * and does not stop exec; the parent's mapping and buffer are unaffected.
 */
static int test_fork_exec_with_mmap(void)
{
	int fd = edu_open_dev("edu0", O_RDWR), st;
	struct edu_dma req = { .dir = EDU_DMA_TO_DEVICE, .len = 64 };
	unsigned char *map;
	pid_t pid;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	map = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(map != MAP_FAILED, "mmap: %s", strerror(errno));
	memset(map, 0x5a, EDU_MMAP_SIZE);
	fflush(stdout);

	pid = fork();
	if (pid == 0) {
		map[0] = 1;	/* not mapped here: SIGSEGV */
		_exit(0);
	}
	CHECK(waitpid(pid, &st, 0) == pid, "wait");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "child status %#x", st);

	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "exit 7", (char *)NULL);
		_exit(99);
	}
	CHECK(waitpid(pid, &st, 0) == pid, "wait");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7, "exec child status %#x", st);

	CHECK(map[0] == 0x5a && map[EDU_MMAP_SIZE - 1] == 0x5a, "buffer changed");
	CHECK(ioctl(fd, EDU_IOC_DMA, &req) == 0, "DMA: %s", strerror(errno));
	munmap(map, EDU_MMAP_SIZE);
	close(fd);
	return 0;
}

/* A child's result through a pipe: what its blocking call returned. */
struct waiter {
	pid_t pid;
	int pipe;
};

static int start_waiter(struct waiter *w, int use_poll)
{
	int p[2];

	if (pipe(p))
		return -1;
	fflush(stdout);
	w->pid = fork();
	if (w->pid == 0) {
		int fd = edu_open_dev("edu0", O_RDWR), result;

		struct edu_event ev;

		/* Events keep coming until the device goes: consume them. */
		result = fd;
		while (fd >= 0 && use_poll) {
			struct pollfd pf = { .fd = fd, .events = POLLIN };

			if (poll(&pf, 1, 10000) != 1) {
				result = -ETIMEDOUT;
				break;
			}
			result = pf.revents;
			if (pf.revents & (POLLERR | POLLHUP))
				break;
			/*
			 * An event; if the device went since, the read fails
			 * and the next poll must say so.
			 */
			if (read(fd, &ev, sizeof(ev)) != sizeof(ev) && errno != ENODEV)
				break;
		}
		while (fd >= 0 && !use_poll) {
			if (read(fd, &ev, sizeof(ev)) < 0) {
				result = -errno;
				break;
			}
		}
		if (write(p[1], &result, sizeof(result)) != sizeof(result))
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	w->pipe = p[0];
	return w->pid < 0 ? -1 : 0;
}

static int waiter_result(struct waiter *w, int *result)
{
	struct pollfd pf = { .fd = w->pipe, .events = POLLIN };
	int ok = poll(&pf, 1, 5000) == 1 &&
		 read(w->pipe, result, sizeof(*result)) == sizeof(*result);

	close(w->pipe);
	if (!ok)
		kill(w->pid, SIGKILL);
	waitpid(w->pid, NULL, 0);
	return ok ? 0 : -1;
}

/* A child moving data until the device goes: the last error it saw. */
static pid_t start_dma_loop(int *pipe_rd)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int fd = edu_open_dev("edu0", O_RDWR), err = 0, i;
		unsigned char buf[256] = { 0 };
		struct edu_data d = { .addr = (uintptr_t)buf, .len = sizeof(buf) };

		for (i = 0; fd >= 0 && i < 200 && !err; i++)
			err = ioctl(fd, EDU_IOC_WRITE_DATA, &d) ? errno : 0;
		if (write(p[1], &err, sizeof(err)) != sizeof(err))
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	*pipe_rd = p[0];
	return pid;
}

/*
 * Unbind while a reader and a poller sleep, a transfer loop runs and a
 * mapping is live: the sleepers wake with ENODEV / POLLERR|POLLHUP, the
 * loop stops with ENODEV, later calls get ENODEV, the mapping stays usable
 * memory, and once everything is closed the device comes back as edu0.
 */
static int test_unbind_with_waiters_and_mmap(void)
{
	long long transfers = stat_of("edu0", "dma_transfers");
	struct waiter reader, poller;
	int fd = edu_open_dev("edu0", O_RDWR), result, dma_pipe, dma_err = -1;
	char bdf[32], name[16];
	struct edu_info info;
	struct edu_event ev;
	unsigned char *map;
	pid_t dma_pid;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(bdf_of("edu0", bdf, sizeof(bdf)) == 0, "bdf");
	map = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(map != MAP_FAILED, "mmap: %s", strerror(errno));
	memset(map, 0xa5, EDU_MMAP_SIZE);

	CHECK(start_waiter(&reader, 0) == 0, "reader");
	CHECK(start_waiter(&poller, 1) == 0, "poller");
	dma_pid = start_dma_loop(&dma_pipe);
	CHECK(dma_pid > 0, "dma loop");
	/* Let them block: both asleep, and the transfer loop running. */
	CHECK(WAIT_FOR(task_asleep(reader.pid) && task_asleep(poller.pid), 5000), "waiters");
	CHECK(WAIT_FOR(stat_of("edu0", "dma_transfers") > transfers, 5000), "transfers");

	CHECK(driver_ctl("unbind", bdf) == 0, "unbind: %s", strerror(errno));

	CHECK(waiter_result(&reader, &result) == 0, "reader did not wake");
	CHECK(result == -ENODEV, "reader: %d", result);
	CHECK(waiter_result(&poller, &result) == 0, "poller did not wake");
	CHECK((result & (POLLERR | POLLHUP)) == (POLLERR | POLLHUP), "poller: %#x",
	      result);
	CHECK(read(dma_pipe, &dma_err, sizeof(dma_err)) == sizeof(dma_err), "dma loop");
	close(dma_pipe);
	waitpid(dma_pid, NULL, 0);
	CHECK(dma_err == ENODEV, "dma loop ended with %s", strerror(dma_err));

	CHECK(ioctl(fd, EDU_IOC_INFO, &info) == -1 && errno == ENODEV, "ioctl");
	CHECK(read(fd, &ev, sizeof(ev)) == -1 && errno == ENODEV, "read");
	CHECK(mmap(NULL, EDU_MMAP_SIZE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
	      errno == ENODEV, "new mmap");
	CHECK(map[7] == 0xa5, "mapping lost its contents");
	map[7] = 1;

	close(fd);	/* the mapping still holds the file */
	CHECK(driver_ctl("bind", bdf) == 0, "bind");
	edu_name_at(bdf, name, sizeof(name));
	CHECK(name[0] && strcmp(name, "edu0"), "rebound as '%s' while mapped", name);
	munmap(map, EDU_MMAP_SIZE);

	CHECK(driver_ctl("unbind", bdf) == 0, "unbind again");
	CHECK(driver_ctl("bind", bdf) == 0, "bind again");
	edu_name_at(bdf, name, sizeof(name));
	CHECK(!strcmp(name, "edu0"), "rebound as '%s' after munmap", name);
	return 0;
}

struct slow_ioctl {
	int fd;
	struct slow_page *sp;
	int ret;
};

static void *write_from_slow_page(void *arg)
{
	struct slow_ioctl *s = arg;
	struct edu_data d = { .addr = (uintptr_t)s->sp->addr, .len = 64 };

	s->ret = ioctl(s->fd, EDU_IOC_WRITE_DATA, &d) ? -errno : 0;
	return NULL;
}

/* Unbinds in a child, so that the caller can bound the wait: its pid. */
static pid_t unbind_async(const char *bdf)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(driver_ctl("unbind", bdf) ? 1 : 0);
	return pid;
}

/*
 * An ioctl whose user buffer faults slowly (userfaultfd here; FUSE alike)
 * must not hold up unbind: user memory is copied before the driver enters
 * the device, never while remove() would wait for it.
 */
static int test_unbind_during_slow_fault(void)
{
	int fd = edu_open_dev("edu0", O_RDWR), ret, st = -1, unbound;
	struct slow_ioctl s = { .fd = fd };
	struct slow_page sp;
	char bdf[32];
	pthread_t t;
	pid_t pid;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(bdf_of("edu0", bdf, sizeof(bdf)) == 0, "bdf");
	ret = slow_page_create(&sp);
	CHECK(ret == 0, "userfaultfd: %s", strerror(-ret));
	s.sp = &sp;
	CHECK(pthread_create(&t, NULL, write_from_slow_page, &s) == 0, "thread");
	ret = slow_page_wait_fault(&sp, 5000);
	pid = ret ? -1 : unbind_async(bdf);
	unbound = pid > 0 && WAIT_FOR(waitpid(pid, &st, WNOHANG) == pid, 5000);
	slow_page_release(&sp, 0x5a);
	pthread_join(t, NULL);
	if (pid > 0 && !unbound)
		waitpid(pid, &st, 0);
	slow_page_destroy(&sp);
	close(fd);
	driver_ctl("bind", bdf);
	CHECK(ret == 0, "the ioctl never faulted: %s", strerror(-ret));
	CHECK(unbound, "unbind waited for a user page fault");
	CHECK(WIFEXITED(st) && !WEXITSTATUS(st), "unbind failed");
	CHECK(s.ret == -ENODEV, "the ioctl after unbind: %s", strerror(-s.ret));
	CHECK(WAIT_FOR(access("/dev/edu0", F_OK) == 0, 5000), "edu0 back");
	return 0;
}

static int pci_write(const char *path, const char *val)
{
	return write_text(path, val, strlen(val));
}

/*
 * The device is removed from the bus (as a hot-unplug does) while a process
 * has its DMA page mapped and a transfer just used it; the process goes on
 * using the mapping, then exits. The page is the file's: freeing it needs
 * no device (behind an IOMMU the device's translation is gone by then). A
 * rescan brings the device back, and it works.
 */
static int test_remove_with_live_mapping(void)
{
	int fd = edu_open_dev("edu1", O_RDWR), up[2], down[2], st;
	struct edu_dma dma = { .dir = EDU_DMA_TO_DEVICE, .len = 256 };
	char bdf[32], path[96], c, name[16];
	unsigned char *map;
	pid_t pid;

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	CHECK(bdf_of("edu1", bdf, sizeof(bdf)) == 0, "bdf");
	CHECK(pipe(up) == 0 && pipe(down) == 0, "pipe");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		unsigned char *m = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE,
					MAP_SHARED, fd, 0);
		int i;

		if (m == MAP_FAILED)
			_exit(2);
		memset(m, 0x3c, EDU_MMAP_SIZE);
		if (ioctl(fd, EDU_IOC_DMA, &dma) || write(up[1], "m", 1) != 1)
			_exit(3);
		/* Wait for the removal, then keep touching the page. */
		if (read(down[0], &c, 1) != 1)
			_exit(4);
		for (i = 0; i < EDU_MMAP_SIZE; i++)
			if (m[i] != 0x3c)
				_exit(5);
		memset(m, 0x77, EDU_MMAP_SIZE);
		_exit(m[100] == 0x77 ? 0 : 6);
	}
	close(fd);
	close(up[1]);
	close(down[0]);
	CHECK(read(up[0], &c, 1) == 1, "child never mapped");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", bdf);
	CHECK(pci_write(path, "1") == 0, "remove %s", bdf);
	CHECK(write(down[1], "r", 1) == 1, "tell child");
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st),
	      "child: %#x", st);
	close(up[0]);
	close(down[1]);

	CHECK(pci_write("/sys/bus/pci/rescan", "1") == 0, "rescan");
	CHECK(WAIT_FOR(access("/dev/edu1", F_OK) == 0, 10000), "edu1 not back");
	edu_name_at(bdf, name, sizeof(name));
	CHECK(!strcmp(name, "edu1"), "came back as '%s'", name);
	fd = edu_open_dev("edu1", O_RDWR);
	CHECK(fd >= 0, "reopen");
	map = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(map != MAP_FAILED, "mmap");
	memset(map, 0x42, 64);
	dma.len = 64;
	CHECK(ioctl(fd, EDU_IOC_DMA, &dma) == 0, "DMA after rescan: %s", strerror(errno));
	memset(map, 0, 64);
	dma.dir = EDU_DMA_FROM_DEVICE;
	CHECK(ioctl(fd, EDU_IOC_DMA, &dma) == 0, "DMA back: %s", strerror(errno));
	CHECK(map[0] == 0x42 && map[63] == 0x42, "read back %#x", map[0]);
	munmap(map, EDU_MMAP_SIZE);
	close(fd);
	return 0;
}

/* Every channel's files go with the device and come back with it. */
static int test_files_follow_binding(void)
{
	static const char *const paths[] = {
		"/sys/class/edu/edu0", "/sys/kernel/debug/edu/edu0/regs", "/dev/edu0",
	};
	char bdf[32], proc[4096];
	unsigned int i;

	CHECK(bdf_of("edu0", bdf, sizeof(bdf)) == 0, "edu0");
	CHECK(driver_ctl("unbind", bdf) == 0, "unbind");
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		CHECK(!exists(paths[i]), "%s after unbind", paths[i]);
	CHECK(read_text("/proc/driver/edu", proc, sizeof(proc)) == 0, "procfs");
	CHECK(!strstr(proc, bdf), "procfs still lists %s: %s", bdf, proc);
	CHECK(strstr(proc, "edu1\t"), "edu1 missing from procfs: %s", proc);

	CHECK(driver_ctl("bind", bdf) == 0, "bind");
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		CHECK(exists(paths[i]), "%s after bind", paths[i]);
	CHECK(read_text("/proc/driver/edu", proc, sizeof(proc)) == 0, "procfs");
	CHECK(strstr(proc, bdf), "procfs lacks %s: %s", bdf, proc);
	return 0;
}

/* A zero-copy transfer of len bytes between fd's page and the window. */
static int page_dma(int fd, unsigned int dir, unsigned int len)
{
	struct edu_dma d = { .dir = dir, .len = len };

	return ioctl(fd, EDU_IOC_DMA, &d) ? -errno : 0;
}

static int engine_running(const char *name)
{
	unsigned long long cmd, count;

	return !dma_regs(name, &cmd, &count) && (cmd & 1);
}

#define LATE_LEN 3000

/*
 * A zero-copy transfer to RAM that times out (dma_timeout_ms 10; the device
 * needs 100 ms) while the engine still writes the file's page; the page is
 * unmapped and its file closed before the engine is done. Another file's
 * page, allocated and filled meanwhile (from the same CPU's free pages, so
 * it is the old page if the driver let that go), keeps its data: the late
 * write lands in the old page, which the driver holds until the engine is
 * idle. The next transfer waits for that (EBUSY), then moves the new
 * file's data; unbind and bind after, and the device works.
 */
static int test_dma_timeout_pinned_close(void)
{
	unsigned char pattern[LATE_LEN], *a, *b;
	int fa = edu_open_dev("edu0", O_RDWR), fb, ret, i, busy = 0;
	char bdf[32];
	cpu_set_t cpu;

	CHECK(fa >= 0, "open: %s", strerror(-fa));
	CHECK(bdf_of("edu0", bdf, sizeof(bdf)) == 0, "bdf");
	CPU_ZERO(&cpu);
	CPU_SET(0, &cpu);
	CHECK(sched_setaffinity(0, sizeof(cpu), &cpu) == 0, "affinity");
	memset(pattern, 0xd1, sizeof(pattern));
	CHECK(write_window(fa, 0, pattern, sizeof(pattern)) == 0, "fill the window");
	a = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fa, 0);
	CHECK(a != MAP_FAILED, "mmap: %s", strerror(errno));
	memset(a, 0x11, EDU_MMAP_SIZE);

	/* The timeout is logged as a warning: this test asks for it. */
	CHECK(write_text("/proc/sys/dev/edu/log_level", "0", 1) == 0, "log_level");
	CHECK(write_text("/proc/sys/dev/edu/dma_timeout_ms", "10", 2) == 0, "timeout");
	ret = page_dma(fa, EDU_DMA_FROM_DEVICE, LATE_LEN);
	CHECK(ret == -ETIMEDOUT, "transfer with a 10 ms timeout: %s", strerror(-ret));
	CHECK(munmap(a, EDU_MMAP_SIZE) == 0 && close(fa) == 0, "munmap, close");

	fb = edu_open_dev("edu0", O_RDWR);
	CHECK(fb >= 0, "open again: %s", strerror(-fb));
	b = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fb, 0);
	CHECK(b != MAP_FAILED, "mmap: %s", strerror(errno));
	memset(b, 0x5b, EDU_MMAP_SIZE);
	/* Else this proves nothing: the old transfer outlived its file. */
	CHECK(engine_running("edu0"), "the timed-out transfer already ended");
	CHECK(write_text("/proc/sys/dev/edu/dma_timeout_ms", "1000", 4) == 0, "timeout");

	/* Refused while the old transfer runs, then it goes. */
	while ((ret = page_dma(fb, EDU_DMA_TO_DEVICE, LATE_LEN)) == -EBUSY && busy < 500) {
		busy++;
		usleep(10000);
	}
	CHECK(ret == 0, "transfer from the new file: %s (EBUSY %d times)", strerror(-ret),
	      busy);
	for (i = 0; i < EDU_MMAP_SIZE; i++)
		CHECK(b[i] == 0x5b, "new page byte %d is %#x: the late DMA landed there", i,
		      b[i]);
	memset(b, 0, LATE_LEN);
	CHECK(page_dma(fb, EDU_DMA_FROM_DEVICE, LATE_LEN) == 0, "read back");
	for (i = 0; i < LATE_LEN; i++)
		CHECK(b[i] == 0x5b, "window byte %d is %#x, not the new file's", i, b[i]);
	munmap(b, EDU_MMAP_SIZE);
	close(fb);

	CHECK(driver_ctl("unbind", bdf) == 0, "unbind");
	CHECK(driver_ctl("bind", bdf) == 0, "bind");
	fb = edu_open_dev("edu0", O_RDWR);
	CHECK(fb >= 0, "open after bind: %s", strerror(-fb));
	b = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fb, 0);
	CHECK(b != MAP_FAILED, "mmap after bind");
	memset(b, 0x6c, 64);
	CHECK(page_dma(fb, EDU_DMA_TO_DEVICE, 64) == 0, "DMA after bind");
	memset(b, 0, 64);
	CHECK(page_dma(fb, EDU_DMA_FROM_DEVICE, 64) == 0, "DMA back after bind");
	CHECK(b[0] == 0x6c && b[63] == 0x6c, "read back %#x", b[0]);
	munmap(b, EDU_MMAP_SIZE);
	close(fb);
	return 0;
}

const struct test_case reload_intx_tests[] = {
	TEST(unload_with_devices_bound),
	TEST(load_rejects_bad_parameter),
	TEST(load_force_intx),
	TEST_END
};

const struct test_case reload_msi_tests[] = {
	TEST(unload_refused_while_open),
	TEST(unload_while_events_stream),
	TEST(reload_msi),
	TEST_END
};

const struct test_case lifetime_tests[] = {
	TEST(unbind_with_open_file),
	TEST(bind_twice_refused),
	TEST(fork_exec_with_mmap),
	TEST(unbind_with_waiters_and_mmap),
	TEST(files_follow_binding),
	TEST(unbind_during_slow_fault),
	TEST(remove_with_live_mapping),
	TEST(dma_timeout_pinned_close),
	TEST_END
};
