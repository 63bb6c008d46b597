// SPDX-License-Identifier: GPL-2.0
/*
 * PCI hot-unplug with work in flight. The host pulls the device out of the
 * machine (QMP device_del, tests/harness/hotplug-agent) while processes use
 * it through every channel, then puts it back (device_add on the same root
 * port). Each test is one such cycle with one kind of work; the last ones
 * run all of it at once. What must hold, for every cycle:
 *  - every sleeper wakes with ENODEV, or POLLERR|POLLHUP, within a second
 *    of the removal, and every later call gets ENODEV;
 *  - a live mapping stays ordinary memory (the page is the file's);
 *  - the other device is untouched;
 *  - the device that comes back binds as the same eduN, with its firmware
 *    loaded, and works.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/genl/genl.h>
#include <linux/edu.h>

#include "hotplug.h"
#include "tests.h"
#include "util.h"

/* What runs while the device goes: one bit per kind of work. */
enum {
	W_READ = 1 << 0,	/* a blocking read */
	W_POLL = 1 << 1,
	W_EPOLL = 1 << 2,
	W_SELECT = 1 << 3,
	W_MMAP = 1 << 4,	/* a process touching its mapping */
	W_DMA_MMAP = 1 << 5,	/* zero-copy transfers, EDU_IOC_DMA */
	W_DMA_COPY = 1 << 6,	/* the copy path, EDU_IOC_WRITE/READ_DATA */
	W_FACT_IOCTL = 1 << 7,
	W_FACT_SYSFS = 1 << 8,
	W_FACT_NL = 1 << 9,
	W_RAISE = 1 << 10,	/* interrupts raised in a loop */
	W_COUNT = 11,		/* the kinds above run as child processes */
	W_MONITOR = 1 << 11,	/* eductl monitor, the netlink multicast group */
	W_UPLOAD = 1 << 12,	/* a user-driven firmware upload, half written */
	W_ROUTES = 1 << 13,	/* UDP, TCP and upcall routes of the device */
	W_FILES = 1 << 14,	/* sysfs, debugfs, procfs, configfs files open */
};

#define W_SLEEPERS (W_READ | W_POLL | W_EPOLL | W_SELECT)
#define W_ALL ((1 << 15) - 1)

static const char *const kind_names[W_COUNT] = {
	"read", "poll", "epoll", "select", "mmap", "dma-mmap", "dma-copy",
	"factorial-ioctl", "factorial-sysfs", "factorial-netlink", "raise",
};

/* Shared with each child: how far it got, and how it ended. */
struct report {
	long long progress;	/* operations done; 1 when about to block */
	long long ended_ms;	/* now_ms() when its last call returned */
	int done;
	int ok;			/* it ended as it must */
	char why[120];
};

struct cycle {
	char victim[16], other[16], bdf[32];
	int number;			/* N of the victim's eduN */
	unsigned int work;
	struct report *reports;		/* W_COUNT, shared */
	volatile int *stop;		/* for the loops that outlive the removal */
	pid_t pids[W_COUNT];
	pid_t monitor;
	int files[4];
	int upload_loading, upload_data;
	int udp, tcp;			/* the routes' collectors */
	long long unplugged_ms;
};

#define ROUTES "/sys/kernel/config/edu/routes/"
#define MONITOR_OUT "/tmp/hotplug-monitor.out"
#define UDP_PORT 5601
#define TCP_PORT 5602

static void finish(struct report *r, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void finish(struct report *r, int ok, const char *fmt, ...)
{
	va_list ap;

	r->ended_ms = now_ms();
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	r->ok = ok;
	r->done = 1;
}

/* A call that failed: with ENODEV, the end it must have. */
static void ended(struct report *r, const char *what, int err)
{
	finish(r, err == ENODEV, "%s: %s after %lld operations", what, strerror(err),
	       r->progress);
}

static void run_reader(struct report *r, int fd)
{
	struct edu_event ev;

	for (;;) {
		r->progress++;
		if (read(fd, &ev, sizeof(ev)) < 0)
			return ended(r, "read", errno);
	}
}

/* Waits with poll, epoll or select; an event is read, the end is POLLERR|POLLHUP. */
static void run_waiter(struct report *r, int fd, unsigned int kind)
{
	int ep = epoll_create1(0);
	struct epoll_event ee = { .events = EPOLLIN, .data.fd = fd };
	struct edu_event ev;

	if (kind == W_EPOLL && epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ee))
		return finish(r, 0, "epoll_ctl: %s", strerror(errno));
	for (;;) {
		unsigned int got = 0;

		r->progress++;
		if (kind == W_POLL) {
			struct pollfd pf = { .fd = fd, .events = POLLIN };

			if (poll(&pf, 1, -1) == 1)
				got = pf.revents;
		} else if (kind == W_EPOLL) {
			if (epoll_wait(ep, &ee, 1, -1) == 1)
				got = ee.events;
		} else {
			fd_set rd, ex;

			FD_ZERO(&rd);
			FD_ZERO(&ex);
			FD_SET(fd, &rd);
			FD_SET(fd, &ex);
			/* select has no POLLHUP: the end shows as readable, and read says ENODEV. */
			if (select(fd + 1, &rd, NULL, &ex, NULL) > 0)
				got = FD_ISSET(fd, &rd) ? POLLIN : POLLPRI;
		}
		if (kind != W_SELECT && (got & (POLLERR | POLLHUP)))
			return finish(r, (got & (POLLERR | POLLHUP)) == (POLLERR | POLLHUP),
				      "revents %#x", got);
		if (!(got & POLLIN))
			return finish(r, 0, "woke with %#x", got);
		if (read(fd, &ev, sizeof(ev)) < 0 && (errno != ENODEV || kind == W_SELECT))
			return ended(r, "read after wake-up", errno);
	}
}

/* Writes a pattern and reads it back, until told to stop: never a fault. */
static void run_mmap(struct report *r, int fd, const volatile int *stop)
{
	unsigned char *m = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	unsigned int i;

	if (m == MAP_FAILED)
		return finish(r, 0, "mmap: %s", strerror(errno));
	while (!*stop) {
		unsigned char b = r->progress & 0xff;

		memset(m, b, EDU_MMAP_SIZE);
		for (i = 0; i < EDU_MMAP_SIZE; i++)
			if (m[i] != b)
				return finish(r, 0, "byte %u is %#x, wrote %#x", i, m[i], b);
		r->progress++;
	}
	munmap(m, EDU_MMAP_SIZE);
	finish(r, 1, "touched its mapping %lld times", r->progress);
}

/* Each child moves its own bytes through its own part of the window. */
static void run_dma(struct report *r, int fd, unsigned int kind)
{
	unsigned int off = kind == W_DMA_MMAP ? 0 : 1024, len = 256, i;
	unsigned char buf[256], back[256], *m = NULL;

	if (kind == W_DMA_MMAP) {
		m = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			return finish(r, 0, "mmap: %s", strerror(errno));
	}
	for (;;) {
		struct edu_dma to = { EDU_DMA_TO_DEVICE, off, 0, len };
		struct edu_dma from = { EDU_DMA_FROM_DEVICE, off, 2048, len };
		int ret;

		for (i = 0; i < len; i++)
			buf[i] = (unsigned char)(r->progress * 7 + i);
		if (m) {
			memcpy(m, buf, len);
			ret = ioctl(fd, EDU_IOC_DMA, &to) ?: ioctl(fd, EDU_IOC_DMA, &from);
			memcpy(back, m + 2048, len);
		} else {
			ret = write_window(fd, off, buf, len) ?: read_window(fd, off, back, len);
			if (ret)
				errno = -ret;
		}
		if (ret)
			return ended(r, "transfer", errno);
		if (memcmp(buf, back, len))
			return finish(r, 0, "transfer %lld came back different", r->progress);
		r->progress++;
	}
}

static void fact_reply(struct nlattr **tb, void *arg)
{
	if (tb[EDU_A_FACT_RESULT])
		*(unsigned int *)arg = nla_get_u32(tb[EDU_A_FACT_RESULT]);
}

static void run_factorial(struct report *r, int fd, unsigned int kind, const char *victim,
			  int number)
{
	static const unsigned int fact[] = { 1, 1, 2, 6, 24, 120, 720, 5040, 40320,
					     362880, 3628800, 39916800, 479001600 };
	char path[96], val[32];
	struct edu_genl g;
	int sysfs = -1, i;

	snprintf(path, sizeof(path), "/sys/class/edu/%s/factorial", victim);
	if (kind == W_FACT_SYSFS && (sysfs = open(path, O_RDWR)) < 0)
		return finish(r, 0, "open %s: %s", path, strerror(errno));
	if (kind == W_FACT_NL && edu_genl_open(&g))
		return finish(r, 0, "no netlink family");
	for (;;) {
		unsigned int n = r->progress % 13, result = 0;
		int ret = 0;

		if (kind == W_FACT_IOCTL) {
			struct edu_factorial f = { .n = n };

			ret = ioctl(fd, EDU_IOC_FACTORIAL, &f) ? -errno : 0;
			result = f.result;
		} else if (kind == W_FACT_SYSFS) {
			int len = snprintf(val, sizeof(val), "%u", n);

			/* The held-open file: after the removal it says ENODEV. */
			if (pwrite(sysfs, val, len, 0) != len ||
			    pread(sysfs, val, sizeof(val) - 1, 0) <= 0)
				ret = -errno;
			else
				result = strtoul(val, NULL, 10);
			/* The register holds the last computation, maybe another's. */
			for (i = 0; i < 13 && result != fact[i]; i++)
				;
			if (i < 13)
				result = fact[n];
		} else {
			struct nl_msg *msg = edu_genl_msg(&g, EDU_CMD_FACTORIAL, 0);

			nla_put_u32(msg, EDU_A_DEVICE, number);
			nla_put_u32(msg, EDU_A_FACT_N, n);
			ret = edu_genl_request(&g, msg, fact_reply, &result);
		}
		if (ret)
			return ended(r, kind_names[__builtin_ctz(kind)], -ret);
		if (result != fact[n])
			return finish(r, 0, "%u! = %u", n, result);
		r->progress++;
	}
}

static void run_raiser(struct report *r, int fd)
{
	for (;;) {
		int ret = raise_irq(fd, 0x1000);

		if (ret)
			return ended(r, "raise", -ret);
		r->progress++;
		usleep(20000);
	}
}

static void run_kind(struct cycle *c, unsigned int kind, struct report *r)
{
	int fd = edu_open_dev(c->victim, O_RDWR);

	if (fd < 0)
		return finish(r, 0, "open: %s", strerror(-fd));
	switch (kind) {
	case W_READ:
		return run_reader(r, fd);
	case W_POLL: case W_EPOLL: case W_SELECT:
		return run_waiter(r, fd, kind);
	case W_MMAP:
		return run_mmap(r, fd, c->stop);
	case W_DMA_MMAP: case W_DMA_COPY:
		return run_dma(r, fd, kind);
	case W_FACT_IOCTL: case W_FACT_SYSFS: case W_FACT_NL:
		return run_factorial(r, fd, kind, c->victim, c->number);
	case W_RAISE:
		return run_raiser(r, fd);
	}
}

static int start_children(struct cycle *c)
{
	unsigned int i;

	for (i = 0; i < W_COUNT; i++) {
		if (!(c->work & (1u << i)))
			continue;
		fflush(stdout);
		c->pids[i] = fork();
		if (c->pids[i] < 0)
			return -1;
		if (c->pids[i] == 0) {
			run_kind(c, 1u << i, &c->reports[i]);
			_exit(0);
		}
	}
	return 0;
}

/* Every child under way (the sleepers asleep, the loops moving). */
static int children_busy(struct cycle *c)
{
	unsigned int i;

	for (i = 0; i < W_COUNT; i++) {
		struct report *r = &c->reports[i];

		if (!(c->work & (1u << i)))
			continue;
		if (r->done || r->progress < 1)
			return 0;
		if ((1u << i) & W_SLEEPERS && !(c->work & W_RAISE) && !task_asleep(c->pids[i]))
			return 0;
		if (!((1u << i) & W_SLEEPERS) && r->progress < 2)
			return 0;
	}
	return 1;
}

/* ---- the work that is not a child of its own ---------------------------- */

static int make_route(const char *route, const char *type, const char *dest, int number)
{
	char path[128], dev[16];

	snprintf(path, sizeof(path), ROUTES "%s", route);
	snprintf(dev, sizeof(dev), "%d", number);
	if (mkdir(path, 0755))
		return -errno;
	if (route_set(route, "type", type) || (dest && route_set(route, "dest", dest)) ||
	    route_set(route, "device", dev) || route_set(route, "enable", "1"))
		return -EINVAL;
	return 0;
}

static void remove_routes(void)
{
	rmdir(ROUTES "hp-udp");
	rmdir(ROUTES "hp-tcp");
	rmdir(ROUTES "hp-upcall");
}

static int collector(int type, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, type | SOCK_NONBLOCK, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    (type == SOCK_STREAM && listen(fd, 4))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Everything the routes have sent so far, all three together. */
static long long routes_sent(void)
{
	return route_num("hp-udp", "sent") + route_num("hp-tcp", "sent") +
	       route_num("hp-upcall", "sent");
}

static int start_routes(struct cycle *c)
{
	char dest[32];

	c->udp = collector(SOCK_DGRAM, UDP_PORT);
	c->tcp = collector(SOCK_STREAM, TCP_PORT);
	CHECK(c->udp >= 0 && c->tcp >= 0, "collectors: %s", strerror(errno));
	snprintf(dest, sizeof(dest), "127.0.0.1:%d", UDP_PORT);
	CHECK(make_route("hp-udp", "udp", dest, c->number) == 0, "udp route");
	snprintf(dest, sizeof(dest), "127.0.0.1:%d", TCP_PORT);
	CHECK(make_route("hp-tcp", "tcp", dest, c->number) == 0, "tcp route");
	CHECK(make_route("hp-upcall", "upcall", NULL, c->number) == 0, "upcall route");
	return 0;
}

/* The three routes each sent something since count. */
static int routes_flowing(long long udp, long long tcp, long long upcall)
{
	return route_num("hp-udp", "sent") > udp && route_num("hp-tcp", "sent") > tcp &&
	       route_num("hp-upcall", "sent") > upcall;
}

static int wait_fallback(const char *victim)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/class/firmware/edu-upload-%s/loading", victim);
	return WAIT_FOR(access(path, W_OK) == 0, 5000) ? 0 : -1;
}

/* An upload under way: triggered, loading, half of an image written. */
static int start_upload(struct cycle *c)
{
	char path[96];
	unsigned char image[EDU_FW_REGION_SIZE], payload[200] = { 0x42 };
	int size = edu_fw_build(image, sizeof(image), 0x010203, payload, sizeof(payload));

	CHECK(size > 0, "image");
	CHECK(edu_attr_write(c->victim, "firmware_upload", "1") == 0, "trigger");
	CHECK(wait_fallback(c->victim) == 0, "no upload directory");
	snprintf(path, sizeof(path), "/sys/class/firmware/edu-upload-%s/loading", c->victim);
	c->upload_loading = open(path, O_WRONLY);
	snprintf(path, sizeof(path), "/sys/class/firmware/edu-upload-%s/data", c->victim);
	c->upload_data = open(path, O_WRONLY);
	CHECK(c->upload_loading >= 0 && c->upload_data >= 0, "open: %s", strerror(errno));
	CHECK(write(c->upload_loading, "1", 1) == 1, "loading: %s", strerror(errno));
	CHECK(write(c->upload_data, image, size / 2) == size / 2, "data: %s", strerror(errno));
	return 0;
}

static int open_files(struct cycle *c)
{
	char path[4][96];
	int i;

	snprintf(path[0], 96, "/sys/class/edu/%s/identification", c->victim);
	snprintf(path[1], 96, "/sys/kernel/debug/edu/%s/regs", c->victim);
	snprintf(path[2], 96, "/proc/driver/edu");
	snprintf(path[3], 96, ROUTES "hp-files/device");
	CHECK(mkdir(ROUTES "hp-files", 0755) == 0, "route for a configfs file");
	for (i = 0; i < 4; i++) {
		c->files[i] = open(path[i], O_RDONLY);
		CHECK(c->files[i] >= 0, "open %s: %s", path[i], strerror(errno));
	}
	return 0;
}

/* The held files: the device's own fail, the others still read. */
static int check_files(struct cycle *c)
{
	char buf[4096];
	ssize_t n;

	n = pread(c->files[0], buf, sizeof(buf), 0);
	CHECK(n < 0 && errno == ENODEV, "sysfs file after removal: %zd %s", n, strerror(errno));
	n = pread(c->files[1], buf, sizeof(buf), 0);
	CHECK(n < 0, "debugfs file after removal read %zd bytes", n);
	n = pread(c->files[2], buf, sizeof(buf) - 1, 0);
	CHECK(n > 0, "procfs: %s", strerror(errno));
	buf[n] = '\0';
	CHECK(!strstr(buf, c->bdf), "procfs still lists %s: %s", c->bdf, buf);
	CHECK(strstr(buf, c->other), "procfs lost %s: %s", c->other, buf);
	n = pread(c->files[3], buf, sizeof(buf), 0);
	CHECK(n > 0, "configfs file: %s", strerror(errno));
	return 0;
}

/* ---- the cycle ------------------------------------------------------------ */

/* The other device still raises, delivers and moves data. */
static int other_works(const char *other)
{
	unsigned char out[64], back[64];
	struct edu_event ev;
	int fd = edu_open_dev(other, O_RDWR), ret;

	CHECK(fd >= 0, "open %s: %s", other, strerror(-fd));
	memset(out, 0x6b, sizeof(out));
	ret = raise_irq(fd, 0x2000) ?: next_irq_event(fd, 2000, &ev) ?:
	      write_window(fd, 512, out, sizeof(out)) ?: read_window(fd, 512, back, sizeof(back));
	close(fd);
	CHECK(ret == 0, "%s: %s", other, strerror(-ret));
	CHECK(ev.irq_status & 0x2000, "%s: event %#x", other, ev.irq_status);
	CHECK(!memcmp(out, back, sizeof(out)), "%s: data changed", other);
	return 0;
}

/* Back as the same eduN, firmware loaded, working on every path. */
static int victim_works(struct cycle *c)
{
	struct edu_factorial f = { .n = 6 };
	unsigned char out[64], back[64];
	char state[64], path[96];
	struct edu_event ev;
	int fd, ret;

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/edu/%s/edu/%s", c->bdf, c->victim);
	if (access(path, F_OK)) {
		char name[16];

		edu_name_at(c->bdf, name, sizeof(name));
		CHECK(0, "%s came back as '%s', not %s", c->bdf, name, c->victim);
	}
	state[0] = '\0';
	CHECK(WAIT_FOR(!edu_attr_read(c->victim, "firmware_state", state, sizeof(state)) &&
		       !strncmp(state, "ready", 5), 5000), "firmware '%s'", state);
	fd = edu_open_dev(c->victim, O_RDWR);
	CHECK(fd >= 0, "open: %s", strerror(-fd));
	memset(out, 0x1d, sizeof(out));
	ret = raise_irq(fd, 0x4000) ?: next_irq_event(fd, 2000, &ev) ?:
	      write_window(fd, 0, out, sizeof(out)) ?: read_window(fd, 0, back, sizeof(back));
	if (!ret && ioctl(fd, EDU_IOC_FACTORIAL, &f))
		ret = -errno;
	close(fd);
	CHECK(ret == 0, "%s after plug: %s", c->victim, strerror(-ret));
	CHECK(ev.irq_status & 0x4000 && !memcmp(out, back, sizeof(out)) && f.result == 720,
	      "%s after plug: event %#x, 6! = %u", c->victim, ev.irq_status, f.result);
	return 0;
}

static int check_children(struct cycle *c)
{
	unsigned int i;
	int failed = 0;

	*c->stop = 1;
	for (i = 0; i < W_COUNT; i++) {
		struct report *r = &c->reports[i];
		int st;

		if (!(c->work & (1u << i)))
			continue;
		if (!WAIT_FOR(waitpid(c->pids[i], &st, WNOHANG) == c->pids[i], 5000)) {
			diag("%s: still running 5 s after the removal", kind_names[i]);
			kill(c->pids[i], SIGKILL);
			waitpid(c->pids[i], &st, 0);
			failed = 1;
			continue;
		}
		if (!r->done || !r->ok) {
			diag("%s: %s (status %#x)", kind_names[i], r->done ? r->why : "died", st);
			failed = 1;
		} else if ((1u << i) != W_MMAP && r->ended_ms > c->unplugged_ms + 1000) {
			/* The removal is over once QEMU reports it: a sleeper woke then at the latest. */
			diag("%s: woke %lld ms after the removal", kind_names[i],
			     r->ended_ms - c->unplugged_ms);
			failed = 1;
		}
	}
	return failed ? -1 : 0;
}

/* Later calls on a file opened before the removal. */
static int later_calls_fail(int fd)
{
	struct edu_info info;
	struct edu_event ev;

	CHECK(ioctl(fd, EDU_IOC_INFO, &info) == -1 && errno == ENODEV, "ioctl: %s",
	      strerror(errno));
	CHECK(read(fd, &ev, sizeof(ev)) == -1 && errno == ENODEV, "read: %s", strerror(errno));
	CHECK(mmap(NULL, EDU_MMAP_SIZE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
	      errno == ENODEV, "mmap: %s", strerror(errno));
	return 0;
}

static int monitor_saw(const char *name, int at_least)
{
	char buf[65536], pattern[24], *p = buf;
	int n = 0;

	if (read_text(MONITOR_OUT, buf, sizeof(buf)))
		return 0;
	snprintf(pattern, sizeof(pattern), "%s seq", name);
	while ((p = strstr(p, pattern))) {
		n++;
		p++;
	}
	return n >= at_least;
}

/* Raises through netlink, as the monitor's peers would: always 0 (for WAIT_FOR). */
static int nl_raise(const char *name)
{
	char cmd[64], out[256];

	snprintf(cmd, sizeof(cmd), "eductl nl raise %s 0x800", name);
	run_cmd(cmd, out, sizeof(out));
	return 0;
}

static int start_monitor(struct cycle *c)
{
	unlink(MONITOR_OUT);
	fflush(stdout);
	c->monitor = fork();
	if (c->monitor == 0) {
		execl("/bin/sh", "sh", "-c", "exec eductl monitor >" MONITOR_OUT " 2>&1",
		      (char *)NULL);
		_exit(127);
	}
	/* Subscribed once it has seen an event of the other device. */
	CHECK(WAIT_FOR(nl_raise(c->other) || monitor_saw(c->other, 1), 5000),
	      "the monitor never saw an event");
	return 0;
}

/* What a cycle leaves behind, whether it passed or not. */
static void clean_up(struct cycle *c)
{
	unsigned int i;

	*c->stop = 1;
	for (i = 0; i < W_COUNT; i++)
		if (c->pids[i] > 0 && waitpid(c->pids[i], NULL, WNOHANG) == 0) {
			kill(c->pids[i], SIGKILL);
			waitpid(c->pids[i], NULL, 0);
		}
	if (c->monitor > 0) {
		kill(c->monitor, SIGTERM);
		waitpid(c->monitor, NULL, 0);
	}
	for (i = 0; i < 4; i++)
		if (c->files[i] >= 0)
			close(c->files[i]);
	if (c->upload_data >= 0)
		close(c->upload_data);
	if (c->upload_loading >= 0)
		close(c->upload_loading);
	if (c->udp >= 0)
		close(c->udp);
	if (c->tcp >= 0)
		close(c->tcp);
	rmdir(ROUTES "hp-files");
	remove_routes();
}

/* One cycle: work under way, unplug, check, plug, check again. */
static int cycle_body(struct cycle *c)
{
	long long sent = 0, t0;
	unsigned int work = c->work;
	const char *victim = c->victim;
	int fd, ret, i;

	fd = edu_open_dev(victim, O_RDWR);
	CHECK(fd >= 0, "open: %s", strerror(-fd));
	if (work & W_MONITOR)
		CHECK(start_monitor(c) == 0, "monitor");
	if (work & W_ROUTES) {
		CHECK(start_routes(c) == 0, "routes");
		work |= W_RAISE;	/* the routes stream what is raised */
		c->work = work;
	}
	if (work & W_UPLOAD)
		CHECK(start_upload(c) == 0, "upload");
	if (work & W_FILES)
		CHECK(open_files(c) == 0, "files");
	CHECK(start_children(c) == 0, "fork");
	CHECK(WAIT_FOR(children_busy(c), 10000), "the work never got under way");
	if (work & W_ROUTES) {
		long long udp = route_num("hp-udp", "sent"), tcp = route_num("hp-tcp", "sent");
		long long upcall = route_num("hp-upcall", "sent");

		CHECK(WAIT_FOR(routes_flowing(udp, tcp, upcall), 10000),
		      "routes not streaming: sent %lld/%lld/%lld", route_num("hp-udp", "sent"),
		      route_num("hp-tcp", "sent"), route_num("hp-upcall", "sent"));
	}

	t0 = now_ms();
	ret = hotplug_unplug(c->bdf);
	c->unplugged_ms = now_ms();
	CHECK(ret == 0, "unplug %s failed", c->bdf);
	diag("%s unplugged in %lld ms", victim, c->unplugged_ms - t0);

	ret = check_children(c);
	CHECK(later_calls_fail(fd) == 0, "a file opened before");
	if (work & W_FILES)
		CHECK(check_files(c) == 0, "held files");
	if (work & W_UPLOAD) {
		char chunk[16] = { 0 };

		CHECK(write(c->upload_data, chunk, sizeof(chunk)) < 0, "upload data accepted");
		CHECK(write(c->upload_loading, "0", 1) < 0, "upload completed");
	}
	CHECK(other_works(c->other) == 0, "the other device");
	if (work & W_ROUTES) {
		sent = routes_sent();
		CHECK(route_num("hp-udp", "enable") == 1, "the route went off");
	}
	if (work & W_MONITOR)
		CHECK(waitpid(c->monitor, NULL, WNOHANG) == 0, "the monitor died");

	/* Nothing may hold the old device: it comes back as the same eduN. */
	close(fd);
	for (i = 0; i < 4; i++) {
		if (c->files[i] >= 0)
			close(c->files[i]);
		c->files[i] = -1;
	}
	if (c->upload_data >= 0)
		close(c->upload_data);
	if (c->upload_loading >= 0)
		close(c->upload_loading);
	c->upload_data = c->upload_loading = -1;
	CHECK(ret == 0, "see above");

	CHECK(hotplug_plug(c->bdf) == 0, "plug %s failed", c->bdf);
	CHECK(victim_works(c) == 0, "after plug");
	if (work & W_ROUTES) {
		/* The routes name the device by number: they pick it up again. */
		fd = edu_open_dev(victim, O_RDWR);
		CHECK(fd >= 0, "open");
		CHECK(WAIT_FOR((raise_irq(fd, 0x1000), routes_sent() >= sent + 3), 10000),
		      "routes silent after plug: %lld, were %lld", routes_sent(), sent);
		close(fd);
	}
	if (work & W_MONITOR)
		CHECK(WAIT_FOR(nl_raise(victim) || monitor_saw(victim, 1), 5000),
		      "the monitor saw nothing of %s after plug", victim);
	return 0;
}

static int run_cycle(const char *victim, unsigned int work)
{
	struct cycle c = { .work = work, .monitor = -1, .upload_loading = -1,
			   .upload_data = -1, .udp = -1, .tcp = -1,
			   .files = { -1, -1, -1, -1 } };
	char answer[64];
	int ret;

	CHECK(hotplug_request("ping", answer, sizeof(answer)) == 0, "no hotplug agent on the host");
	snprintf(c.victim, sizeof(c.victim), "%s", victim);
	snprintf(c.other, sizeof(c.other), "%s", strcmp(victim, "edu0") ? "edu0" : "edu1");
	c.number = atoi(victim + 3);
	CHECK(bdf_of(victim, c.bdf, sizeof(c.bdf)) == 0, "%s", victim);
	c.reports = mmap(NULL, W_COUNT * sizeof(*c.reports) + sizeof(int),
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(c.reports != MAP_FAILED, "shared memory");
	c.stop = (volatile int *)&c.reports[W_COUNT];
	ret = cycle_body(&c);
	clean_up(&c);
	munmap(c.reports, W_COUNT * sizeof(*c.reports) + sizeof(int));
	return ret;
}


static int test_unplug_sleepers(void)
{
	return run_cycle("edu1", W_SLEEPERS);
}

static int test_unplug_mmap_and_dma(void)
{
	return run_cycle("edu1", W_MMAP | W_DMA_MMAP | W_DMA_COPY);
}

static int test_unplug_factorial(void)
{
	return run_cycle("edu0", W_FACT_IOCTL | W_FACT_SYSFS | W_FACT_NL);
}

static int test_unplug_netlink(void)
{
	return run_cycle("edu1", W_MONITOR | W_FACT_NL | W_RAISE);
}

static int test_unplug_firmware_upload(void)
{
	return run_cycle("edu0", W_UPLOAD);
}

static int test_unplug_routes_streaming(void)
{
	return run_cycle("edu1", W_ROUTES);
}

static int test_unplug_files_open(void)
{
	return run_cycle("edu0", W_FILES);
}

/* Everything at once, on each device in turn (HOTPLUG_CYCLES, default 3). */
static int test_unplug_everything(void)
{
	const char *env = getenv("HOTPLUG_CYCLES");
	unsigned int i, cycles = env ? (unsigned int)atoi(env) : 3;

	for (i = 0; i < cycles; i++) {
		const char *victim = i % 2 ? "edu0" : "edu1";

		CHECK(run_cycle(victim, W_ALL) == 0, "cycle %u on %s", i + 1, victim);
	}
	return 0;
}

const struct test_case hotplug_tests[] = {
	TEST(unplug_sleepers),
	TEST(unplug_mmap_and_dma),
	TEST(unplug_factorial),
	TEST(unplug_netlink),
	TEST(unplug_firmware_upload),
	TEST(unplug_routes_streaming),
	TEST(unplug_files_open),
	TEST_LONG(unplug_everything, 300),
	TEST_END
};
