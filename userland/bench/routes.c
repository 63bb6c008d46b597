// SPDX-License-Identifier: GPL-2.0
/*
 * The route rows of the events group (docs/routes.md): from the raise to
 * the event in a collector's hands through a kernel UDP socket, a kernel
 * TCP connection, or an upcall (call_usermodehelper of edu-upcall, which
 * appends the event to /run/edu-upcall.log: the benchmark watches that
 * file with inotify). Each route is made in configfs for the run and
 * removed after it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "events.h"
#include "libedu.h"

#define ROUTES		"/sys/kernel/config/edu/routes/"
#define ROUTE_PORT	5690
#define UPCALL_LOG	"/run/edu-upcall.log"
/* The driver runs at most 20 helpers a second per route. */
#define UPCALL_GAP_US	80000
#define UPCALL_SAMPLES	60

/* A route attribute: 0 or -errno. */
static int route_set(const char *name, const char *attr, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), ROUTES "%s/%s", name, attr);
	return edu_file_write(path, val);
}

static void route_remove(const char *name)
{
	char path[128];

	route_set(name, "enable", "0");
	snprintf(path, sizeof(path), ROUTES "%s", name);
	rmdir(path);
}

/* An enabled route of type for our device's interrupts: 0 or -errno. */
static int route_make(const char *name, const char *type, const char *dest, const char *dev)
{
	char path[128], num[16];
	int ret;

	snprintf(path, sizeof(path), ROUTES "%s", name);
	route_remove(name);		/* one an earlier run left */
	if (mkdir(path, 0755))
		return -errno;
	snprintf(num, sizeof(num), "%s", dev + strcspn(dev, "0123456789"));
	ret = route_set(name, "type", type);
	if (!ret && dest)
		ret = route_set(name, "dest", dest);
	if (!ret)
		ret = route_set(name, "device", num);
	if (!ret)
		ret = route_set(name, "event_mask", "0x2");
	if (!ret)
		ret = route_set(name, "enable", "1");
	if (ret)
		route_remove(name);
	return ret;
}

/* The raising file: non-blocking, drained after each event. */
static int open_raiser(struct ev_run *r)
{
	r->fd = edu_open_dev(r->cfg->dev, O_RDONLY | O_NONBLOCK);
	if (r->fd < 0)
		return r->fd;
	r->raise_fd = r->fd;
	return 0;
}

static void drain_raiser(struct ev_run *r)
{
	struct edu_event ev[16];

	while (read(r->fd, ev, sizeof(ev)) > 0)
		;
}

static int loopback_socket(int type)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(ROUTE_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int one = 1, fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    (type == SOCK_STREAM && listen(fd, 1))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

#define DEST_STR(port)	"127.0.0.1:" #port
#define DEST(port)	DEST_STR(port)

static int setup_udp(struct ev_run *r)
{
	int ret = open_raiser(r);

	if (ret)
		return ret;
	r->aux = loopback_socket(SOCK_DGRAM);
	if (r->aux < 0)
		return r->aux;
	return route_make("bench_udp", "udp", DEST(ROUTE_PORT), r->cfg->dev);
}

static int wait_udp(struct ev_run *r)
{
	struct edu_event ev;

	return recv(r->aux, &ev, sizeof(ev), 0) == sizeof(ev) ? 0 : -EIO;
}

static void teardown_udp(struct ev_run *r)
{
	(void)r;
	route_remove("bench_udp");
}

/*
 * TCP: the route connects on its first event, which the setup raises and
 * takes, so that the samples see an established connection.
 */
static int setup_tcp(struct ev_run *r)
{
	uint32_t bits = BENCH_IRQ_BIT;
	struct pollfd p;
	struct edu_event ev;
	int ret = open_raiser(r);

	if (ret)
		return ret;
	r->aux = loopback_socket(SOCK_STREAM);
	if (r->aux < 0)
		return r->aux;
	ret = route_make("bench_tcp", "tcp", DEST(ROUTE_PORT), r->cfg->dev);
	if (ret)
		return ret;
	if (ioctl(r->fd, EDU_IOC_RAISE_IRQ, &bits))
		return -errno;
	p = (struct pollfd){ .fd = r->aux, .events = POLLIN };
	if (poll(&p, 1, 5000) != 1)
		return -ETIMEDOUT;
	r->conn = accept4(r->aux, NULL, NULL, SOCK_CLOEXEC);
	if (r->conn < 0)
		return -errno;
	if (recv(r->conn, &ev, sizeof(ev), MSG_WAITALL) != sizeof(ev))
		return -EIO;
	drain_raiser(r);
	return 0;
}

static int wait_tcp(struct ev_run *r)
{
	struct edu_event ev;

	return recv(r->conn, &ev, sizeof(ev), MSG_WAITALL) == sizeof(ev) ? 0 : -EIO;
}

static void teardown_tcp(struct ev_run *r)
{
	(void)r;
	route_remove("bench_tcp");
}

const struct ev_mech route_mechs[] = {
	{ .name = "route_udp", .note = "kernel UDP socket to 127.0.0.1",
	  .setup = setup_udp, .wait = wait_udp, .after = drain_raiser,
	  .teardown = teardown_udp },
	{ .name = "route_tcp", .note = "kernel TCP connection to 127.0.0.1",
	  .setup = setup_tcp, .wait = wait_tcp, .after = drain_raiser,
	  .teardown = teardown_tcp },
	{ }
};

/* Waits up to ms for the helper's log to grow: 0 or -errno. */
static int wait_log(int ino, unsigned int ms)
{
	char buf[4096];
	struct pollfd p = { .fd = ino, .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return -ETIMEDOUT;
	return read(ino, buf, sizeof(buf)) > 0 ? 0 : -errno;
}

/*
 * The upcall: its own loop, paced under the driver's rate limit. The time
 * is the raise to the helper's write of the event to its log: the helper's
 * start (a process made by the kernel) and its one line.
 */
void bench_upcall(const struct bench_cfg *cfg)
{
	struct ev_run r = { .cfg = cfg, .fd = -1, .aux = -1, .conn = -1 };
	uint32_t bits = BENCH_IRQ_BIT;
	struct bench_samples s;
	unsigned int i, n = cfg->samples < UPCALL_SAMPLES ? cfg->samples : UPCALL_SAMPLES;
	int ino = -1, ret, log;

	samples_init(&s);
	/* The helper appends to an existing root-owned file only. */
	log = open(UPCALL_LOG, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (log >= 0)
		close(log);
	ret = open_raiser(&r);
	if (!ret) {
		ino = inotify_init1(IN_CLOEXEC);
		ret = ino < 0 || inotify_add_watch(ino, UPCALL_LOG, IN_MODIFY) < 0 ? -errno : 0;
	}
	if (!ret)
		ret = route_make("bench_upcall", "upcall", NULL, cfg->dev);
	for (i = 0; !ret && i < n; i++) {
		uint64_t t0;

		usleep(UPCALL_GAP_US);
		drain_raiser(&r);
		while (wait_log(ino, 0) == 0)
			;
		t0 = now_ns();
		if (ioctl(r.fd, EDU_IOC_RAISE_IRQ, &bits) || wait_log(ino, 2000))
			s.failed++;
		else
			samples_add(&s, now_ns() - t0);
	}
	route_remove("bench_upcall");
	if (ret)
		report_skip("events", "route_upcall", strerror(-ret));
	else
		report_samples("events", "route_upcall", "us", &s,
			       "call_usermodehelper of edu-upcall, to its log");
	if (ino >= 0)
		close(ino);
	if (r.fd >= 0)
		close(r.fd);
	samples_free(&s);
}
