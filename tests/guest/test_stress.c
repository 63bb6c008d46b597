// SPDX-License-Identifier: GPL-2.0
/*
 * Stress with invariants (issue #11): M processes per channel on both
 * devices for STRESS_SECONDS, all at once: raises (ioctl, netlink),
 * readers (blocking read, poll, epoll), DMA (copy path, zero copy),
 * factorials (ioctl, netlink, sysfs), a netlink monitor and a UDP route to
 * a local collector. Each process counts what it did and saw in shared
 * memory; at the end the driver's statistics must equal what the clients
 * observed, and no event may be missing without being counted as lost.
 *
 * The window is bracketed by two marker interrupts per device, raised once
 * every file is open and again once every generator has stopped and the
 * device is idle: every file then saw exactly the events from the start
 * marker (seq S0) to the end marker (seq S1), each as a record or in a
 * record's lost count.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/edu.h>
#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "tests.h"
#include "util.h"

#define NDEV		2
#define MARK_START	0x40000000u
#define MARK_END	0x20000000u
#define RAISE_SHIFT	16		/* raisers use bits 0x10000 .. 0x800000 */
#define RAISE_MASK	0x00ff0000u
#define ALLOWED_BITS	(EDU_IRQ_BIT_FACTORIAL | EDU_IRQ_BIT_DMA | RAISE_MASK | \
			 MARK_START | MARK_END)
#define MAX_WORKERS	4		/* per channel and device */
#define MAX_SECONDS	600		/* STRESS_SECONDS accepted */
#define MARGIN		120		/* setup, drain and checks */
#define UDP_PORT	5611
#define ROUTE_NAME	"stress"
#define ROUTE		"/sys/kernel/config/edu/routes/" ROUTE_NAME

enum kind {
	K_READ, K_POLL, K_EPOLL,		/* readers */
	K_RAISE_IOCTL, K_RAISE_NL,		/* generators from here */
	K_DMA_COPY, K_DMA_MMAP,
	K_FACT_IOCTL, K_FACT_NL, K_FACT_SYSFS,
	NKINDS,
	K_MONITOR = NKINDS, K_COLLECTOR,	/* one each, both devices */
};

static const char *const kind_name[] = {
	"read", "poll", "epoll", "raise-ioctl", "raise-nl", "dma-copy", "dma-mmap",
	"fact-ioctl", "fact-nl", "fact-sysfs", "monitor", "collector",
};

enum phase { P_SETUP, P_GO, P_STOP, P_DRAIN };

/* What one open file of /dev/eduN saw, record by record. */
struct seen {
	unsigned long long received, lost, first_seq, first_lost, last_seq;
	unsigned long long n_fact, n_dma, n_other, bad;
	int saw_start, saw_end;
};

/* A listener's view of one device (netlink monitor, UDP collector). */
struct heard {
	unsigned long long received, first, last, bad, disorder;
	int saw_end;
};

struct slot {
	int kind, dev, index;
	pid_t pid;
	int ready, done, exited;
	unsigned long long ok, bytes, timeouts, fails;
	int has_fd;
	struct seen ev;
	struct heard per[NDEV];
	unsigned long long overruns;	/* ENOBUFS (netlink), or socket drops (UDP) */
	char err[200];
};

#define MAX_SLOTS (NDEV * NKINDS * MAX_WORKERS + 2)

struct shared {
	int phase;
	int nslots;
	struct slot slots[MAX_SLOTS];
};

static struct shared *sh;

#define PHASE() __atomic_load_n(&sh->phase, __ATOMIC_SEQ_CST)

static void set_phase(int p)
{
	__atomic_store_n(&sh->phase, p, __ATOMIC_SEQ_CST);
}

/* The first problem a worker saw, for the report. */
static void fail(struct slot *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct slot *s, const char *fmt, ...)
{
	va_list ap;

	if (s->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
}

static const char *dev_name(int dev)
{
	return dev ? "edu1" : "edu0";
}

/* ---- records ------------------------------------------------------------ */

static void take_record(struct slot *s, const struct edu_event *ev)
{
	struct seen *e = &s->ev;

	if (ev->version != EDU_EVENT_VERSION || ev->size != sizeof(*ev) ||
	    ev->type != EDU_EVENT_INTERRUPT || ev->device != (unsigned int)s->dev ||
	    !ev->irq_status || (ev->irq_status & ~ALLOWED_BITS)) {
		e->bad++;
		fail(s, "bad record: version %u size %u type %u device %u status %#x",
		     ev->version, ev->size, ev->type, ev->device, ev->irq_status);
	}
	if (e->saw_end) {
		e->bad++;
		fail(s, "record seq %llu after the end marker", (unsigned long long)ev->seq);
	}
	if (!e->received) {
		e->first_seq = ev->seq;
		e->first_lost = ev->lost;
	} else if (ev->seq != e->last_seq + ev->lost + 1) {
		e->bad++;
		fail(s, "seq %llu lost %u after seq %llu", (unsigned long long)ev->seq,
		     ev->lost, e->last_seq);
	}
	e->last_seq = ev->seq;
	e->received++;
	e->lost += ev->lost;
	if (ev->irq_status & EDU_IRQ_BIT_FACTORIAL)
		e->n_fact++;
	if (ev->irq_status & EDU_IRQ_BIT_DMA)
		e->n_dma++;
	if (ev->irq_status & ~(EDU_IRQ_BIT_FACTORIAL | EDU_IRQ_BIT_DMA))
		e->n_other++;
	if (ev->irq_status & MARK_START)
		e->saw_start = 1;
	if (ev->irq_status & MARK_END)
		e->saw_end = 1;
}

/* Reads what is queued (fd non-blocking or known readable): records taken, or -errno. */
static int read_records(struct slot *s, int fd)
{
	struct edu_event evs[8];
	ssize_t n;
	int i;

	n = read(fd, evs, sizeof(evs));
	if (n < 0)
		return -errno;
	if (n % sizeof(evs[0])) {
		fail(s, "read returned %zd bytes", n);
		return -EIO;
	}
	for (i = 0; i < n / (ssize_t)sizeof(evs[0]); i++)
		take_record(s, &evs[i]);
	return i;
}

/* A generator's file after it stopped: every record up to the end marker. */
static void drain(struct slot *s, int fd)
{
	long long end = now_ms() + 20000;

	while (!s->ev.saw_end && now_ms() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int ret;

		if (poll(&p, 1, 200) < 0 && errno != EINTR)
			break;
		ret = read_records(s, fd);
		if (ret < 0 && ret != -EAGAIN) {
			fail(s, "drain: read: %s", strerror(-ret));
			return;
		}
	}
	if (!s->ev.saw_end)
		fail(s, "drain: no end marker");
}

/* ---- netlink ------------------------------------------------------------ */

struct nl_result {
	int have;
	unsigned int result;
	struct edu_stats st;
};

static void on_fact(struct nlattr **tb, void *arg)
{
	struct nl_result *r = arg;

	if (tb[EDU_A_FACT_RESULT]) {
		r->result = nla_get_u32(tb[EDU_A_FACT_RESULT]);
		r->have = 1;
	}
}

static void on_stats(struct nlattr **tb, void *arg)
{
	struct nlattr *st[EDU_A_STAT_MAX + 1];
	struct nl_result *r = arg;
	__u64 *v = (__u64 *)&r->st;
	int i;

	if (!tb[EDU_A_STATS] || nla_parse_nested(st, EDU_A_STAT_MAX, tb[EDU_A_STATS], NULL))
		return;
	for (i = EDU_A_STAT_IRQS; i <= EDU_A_STAT_IRQS_DROPPED; i++)
		if (!st[i])
			return;
	for (i = EDU_A_STAT_IRQS; i <= EDU_A_STAT_IRQS_DROPPED; i++)
		v[i - EDU_A_STAT_IRQS] = nla_get_u64(st[i]);
	r->have = 1;
}

/* One request on device dev with a u32 attribute (0: none); 0 or -errno. */
static int nl_call(struct edu_genl *g, int cmd, int dev, int attr, unsigned int val,
		   struct nl_result *r)
{
	struct nl_msg *msg = edu_genl_msg(g, cmd, 0);
	int ret;

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, EDU_A_DEVICE, dev) || (attr && nla_put_u32(msg, attr, val))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	ret = edu_genl_request(g, msg, cmd == EDU_CMD_FACTORIAL ? on_fact :
				       cmd == EDU_CMD_GET_STATS ? on_stats : NULL, r);
	nlmsg_free(msg);
	return ret;
}

/* ---- workers ------------------------------------------------------------ */

static unsigned int fact_of(unsigned int n)
{
	unsigned int r = 1;

	while (n > 1)
		r *= n--;
	return r;
}

static int is_factorial(unsigned int v)
{
	unsigned int n;

	for (n = 0; n <= 12; n++)
		if (fact_of(n) == v)
			return 1;
	return 0;
}

/* An operation's outcome: timeouts are the driver's to count as errors. */
static void count_op(struct slot *s, int ret, unsigned int bytes, const char *what)
{
	if (!ret) {
		s->ok++;
		s->bytes += bytes;
	} else if (ret == -ETIMEDOUT) {
		s->timeouts++;
	} else {
		s->fails++;
		fail(s, "%s: %s", what, strerror(-ret));
	}
}

/* The DMA workers' share of the data window: disjoint, so data round-trips. */
static void region_of(const struct slot *s, int m, unsigned int *off, unsigned int *len)
{
	unsigned int per = EDU_DATA_WINDOW_SIZE / (2 * m);
	unsigned int i = (s->kind == K_DMA_MMAP ? m : 0) + s->index;

	*off = i * per;
	*len = per;
}

static void fill(unsigned char *p, unsigned int len, unsigned int seed)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)((seed * 2654435761u + i * 40503u) >> 13);
}

static int dma_mmap_round(struct slot *s, int fd, unsigned char *map, unsigned int off,
			  unsigned int len, unsigned int seed)
{
	unsigned int buf_off = seed % (EDU_MMAP_SIZE - len + 1);
	struct edu_dma d = { .dir = EDU_DMA_TO_DEVICE, .window_off = off,
			     .buf_off = buf_off, .len = len };
	int ret;

	fill(map + buf_off, len, seed);
	ret = ioctl(fd, EDU_IOC_DMA, &d) ? -errno : 0;
	count_op(s, ret, len, "DMA to device");
	if (ret)
		return 0;
	memset(map + buf_off, 0, len);
	d.dir = EDU_DMA_FROM_DEVICE;
	ret = ioctl(fd, EDU_IOC_DMA, &d) ? -errno : 0;
	count_op(s, ret, len, "DMA from device");
	if (ret)
		return 0;
	{
		unsigned char want[EDU_DATA_WINDOW_SIZE];

		fill(want, len, seed);
		if (memcmp(map + buf_off, want, len)) {
			fail(s, "zero-copy round trip of %u bytes at %u differs", len, off);
			return -1;
		}
	}
	return 0;
}

static int dma_copy_round(struct slot *s, int fd, unsigned int off, unsigned int len,
			  unsigned int seed)
{
	unsigned char out[EDU_DATA_WINDOW_SIZE], in[EDU_DATA_WINDOW_SIZE];
	int ret;

	fill(out, len, seed);
	ret = write_window(fd, off, out, len);
	count_op(s, ret, len, "WRITE_DATA");
	if (ret)
		return 0;
	memset(in, 0, len);
	ret = read_window(fd, off, in, len);
	count_op(s, ret, len, "READ_DATA");
	if (!ret && memcmp(in, out, len)) {
		fail(s, "copy round trip of %u bytes at %u differs", len, off);
		return -1;
	}
	return 0;
}

static int fact_round(struct slot *s, int fd, struct edu_genl *g, unsigned int n)
{
	unsigned int want = fact_of(n), got = 0;
	struct nl_result r = { 0 };
	char path[64], val[32];
	int ret;

	switch (s->kind) {
	case K_FACT_IOCTL: {
		struct edu_factorial f = { .n = n };

		ret = ioctl(fd, EDU_IOC_FACTORIAL, &f) ? -errno : 0;
		got = f.result;
		break;
	}
	case K_FACT_NL:
		ret = nl_call(g, EDU_CMD_FACTORIAL, s->dev, EDU_A_FACT_N, n, &r);
		if (!ret && !r.have)
			ret = -EBADMSG;
		got = r.result;
		break;
	default:
		/* sysfs: the write is this caller's; the read is anyone's last. */
		snprintf(path, sizeof(path), "/sys/class/edu/%s/factorial", dev_name(s->dev));
		snprintf(val, sizeof(val), "%u", n);
		ret = write_text(path, val, strlen(val));
		if (!ret)
			ret = read_text(path, val, sizeof(val));
		if (!ret && !is_factorial(strtoul(val, NULL, 10))) {
			fail(s, "sysfs factorial reads %s", val);
			return -1;
		}
		got = want;
		break;
	}
	count_op(s, ret, 0, "factorial");
	if (!ret && got != want) {
		fail(s, "%u! = %u, want %u", n, got, want);
		return -1;
	}
	return 0;
}

/* Readers: until the end marker, each with its own way of waiting. */
static void reader(struct slot *s, int fd)
{
	int ep = -1, ret = 0;

	if (s->kind == K_EPOLL) {
		struct epoll_event e = { .events = EPOLLIN };

		ep = epoll_create1(EPOLL_CLOEXEC);
		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e)) {
			fail(s, "epoll: %s", strerror(errno));
			return;
		}
	}
	if (s->kind != K_READ)
		fcntl(fd, F_SETFL, O_NONBLOCK);
	s->ready = 1;
	while (!s->ev.saw_end) {
		if (s->kind == K_POLL) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			ret = poll(&p, 1, -1);
			if (ret == 1 && !(p.revents & POLLIN))
				ret = -1, errno = EIO;
		} else if (s->kind == K_EPOLL) {
			struct epoll_event e;

			ret = epoll_wait(ep, &e, 1, -1);
		}
		if (ret < 0) {
			fail(s, "wait: %s", strerror(errno));
			break;
		}
		/* poll and epoll said readable: this file has one reader. */
		ret = read_records(s, fd);
		if (ret < 0 || (ret == 0 && s->kind != K_READ)) {
			fail(s, "read: %s", ret ? strerror(-ret) : "nothing after POLLIN");
			break;
		}
	}
	if (ep >= 0)
		close(ep);
}

static void generator(struct slot *s, int fd, int m)
{
	unsigned int off = 0, len = 0, seed = (s->dev * 131 + s->kind * 17 + s->index) * 1000;
	unsigned char *map = NULL;
	struct edu_genl g;
	int nl = 0, ret, bad = 0;

	if (s->kind == K_RAISE_NL || s->kind == K_FACT_NL) {
		ret = edu_genl_open(&g);
		if (ret) {
			fail(s, "netlink: %s", strerror(-ret));
			goto out;
		}
		nl = 1;
	}
	if (s->kind == K_DMA_MMAP) {
		map = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED) {
			fail(s, "mmap: %s", strerror(errno));
			goto out;
		}
	}
	if (s->kind == K_DMA_COPY || s->kind == K_DMA_MMAP)
		region_of(s, m, &off, &len);
	s->ready = 1;
	while (PHASE() == P_SETUP)
		usleep(1000);

	while (PHASE() == P_GO && !bad) {
		unsigned int bits = 1u << (RAISE_SHIFT + (s->index + s->kind * 3) % 8);
		unsigned int l, o;

		seed++;
		switch (s->kind) {
		case K_RAISE_IOCTL:
			count_op(s, raise_irq(fd, bits), 0, "raise");
			break;
		case K_RAISE_NL:
			count_op(s, nl_call(&g, EDU_CMD_RAISE_IRQ, s->dev, EDU_A_IRQ_BITS,
					    bits, NULL), 0, "netlink raise");
			break;
		case K_DMA_COPY:
		case K_DMA_MMAP:
			/* A length and offset of this round inside the region. */
			l = 1 + seed * 7919 % len;
			o = off + seed * 104729 % (len - l + 1);
			bad = s->kind == K_DMA_COPY ? dma_copy_round(s, fd, o, l, seed) :
						      dma_mmap_round(s, fd, map, o, l, seed);
			break;
		default:
			bad = fact_round(s, fd, &g, seed % 13);
			break;
		}
	}
out:
	s->ready = 1;
	s->done = 1;
	while (PHASE() != P_DRAIN)
		usleep(1000);
	if (fd >= 0)
		drain(s, fd);
	if (map && map != MAP_FAILED)
		munmap(map, EDU_MMAP_SIZE);
	if (nl)
		edu_genl_close(&g);
}

/* ---- the netlink monitor and the UDP collector -------------------------- */

static void heard(struct slot *s, unsigned int dev, unsigned long long seq,
		  unsigned int status, int ordered)
{
	struct heard *h;

	if (dev >= NDEV) {
		fail(s, "event of device %u", dev);
		return;
	}
	h = &s->per[dev];
	/* UDP may deliver an earlier event after the marker, never a later one. */
	if (h->saw_end && (ordered || seq > h->last)) {
		h->bad++;
		fail(s, "edu%u: seq %llu after the end marker", dev, seq);
	}
	if (h->received && seq <= h->last) {
		/* Netlink keeps order; UDP may not, but never repeats. */
		h->disorder++;
		if (ordered || seq == h->last)
			fail(s, "edu%u: seq %llu after %llu", dev, seq, h->last);
	}
	if (!h->received || seq < h->first)
		h->first = seq;
	if (seq > h->last)
		h->last = seq;
	h->received++;
	if (!status || (status & ~ALLOWED_BITS)) {
		h->bad++;
		fail(s, "edu%u: status %#x", dev, status);
	}
	if (status & MARK_END)
		h->saw_end = 1;
}

static int all_ends(struct slot *s)
{
	int d;

	for (d = 0; d < NDEV; d++)
		if (!s->per[d].saw_end)
			return 0;
	return 1;
}

/* Listeners run until both end markers arrived, 20 s at most after the drain. */
static int listen_more(struct slot *s, long long *deadline)
{
	if (PHASE() != P_DRAIN)
		return 1;
	if (!*deadline)
		*deadline = now_ms() + 20000;
	return !all_ends(s) && now_ms() < *deadline;
}

static void monitor(struct slot *s)
{
	static char buf[65536];
	long long deadline = 0;
	struct edu_genl g;
	int fd, grp, size = 4 << 20;

	if (edu_genl_open(&g)) {
		fail(s, "netlink");
		return;
	}
	grp = genl_ctrl_resolve_grp(g.sk, EDU_GENL_NAME, EDU_GENL_MCGRP_EVENTS);
	fd = nl_socket_get_fd(g.sk);
	if (grp < 0 || nl_socket_add_membership(g.sk, grp) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size))) {
		fail(s, "subscribe: %d %s", grp, strerror(errno));
		edu_genl_close(&g);
		return;
	}
	s->ready = 1;
	while (listen_more(s, &deadline)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct nlmsghdr *nlh;
		ssize_t n;
		int len;

		if (poll(&p, 1, 100) != 1)
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS)
				s->overruns++;
			else if (errno != EAGAIN && errno != EINTR)
				fail(s, "recv: %s", strerror(errno));
			continue;
		}
		len = n;
		for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, len);
		     nlh = nlmsg_next(nlh, &len)) {
			struct nlattr *tb[EDU_A_MAX + 1];
			struct genlmsghdr *gh = nlmsg_data(nlh);

			if (nlh->nlmsg_type != g.family || gh->cmd != EDU_CMD_EVENT)
				continue;
			if (genlmsg_parse(nlh, 0, tb, EDU_A_MAX, NULL) || !tb[EDU_A_DEVICE] ||
			    !tb[EDU_A_EVENT_SEQ] || !tb[EDU_A_EVENT_STATUS] ||
			    !tb[EDU_A_EVENT_TYPE] ||
			    nla_get_u32(tb[EDU_A_EVENT_TYPE]) != EDU_EVENT_INTERRUPT) {
				fail(s, "malformed event message");
				continue;
			}
			heard(s, nla_get_u32(tb[EDU_A_DEVICE]), nla_get_u64(tb[EDU_A_EVENT_SEQ]),
			      nla_get_u32(tb[EDU_A_EVENT_STATUS]), 1);
		}
	}
	if (!all_ends(s))
		fail(s, "end markers not all heard");
	edu_genl_close(&g);
}

/* Waits up to ms for one datagram and counts it: 1 if one came. */
static int collect_one(struct slot *s, int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char cbuf[CMSG_SPACE(sizeof(__u32))], spare[sizeof(struct edu_event) + 1];
	struct iovec iov = { .iov_base = spare, .iov_len = sizeof(spare) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct edu_event ev;
	struct cmsghdr *c;
	ssize_t n;

	if (poll(&p, 1, ms) != 1)
		return 0;
	n = recvmsg(fd, &msg, MSG_DONTWAIT);
	if (n < 0)
		return 0;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL)
			memcpy(&s->overruns, CMSG_DATA(c), sizeof(__u32));
	memcpy(&ev, spare, sizeof(ev));
	if (n != sizeof(ev) || ev.version != EDU_EVENT_VERSION ||
	    ev.size != sizeof(ev) || ev.type != EDU_EVENT_INTERRUPT) {
		s->per[0].bad++;
		fail(s, "datagram of %zd bytes, version %u size %u", n, ev.version, ev.size);
		return 1;
	}
	heard(s, ev.device, ev.seq, ev.irq_status, 0);
	return 1;
}

static void collector(struct slot *s)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(UDP_PORT),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), one = 1, size = 4 << 20;
	long long deadline = 0;

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		fail(s, "socket: %s", strerror(errno));
		return;
	}
	s->ready = 1;
	while (listen_more(s, &deadline))
		collect_one(s, fd, 100);
	if (!all_ends(s))
		fail(s, "end markers not all received");
	/*
	 * Loopback delivers from the sending CPU's backlog: a datagram sent on
	 * another CPU before the markers may still come. Until 300 ms of quiet.
	 */
	while (collect_one(s, fd, 300))
		;
	close(fd);
}

static void worker(struct slot *s, int m)
{
	int fd = -1;

	if (s->has_fd) {
		fd = edu_open_dev(dev_name(s->dev), O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			fail(s, "open: %s", strerror(-fd));
			s->ready = s->done = 1;
			return;
		}
	}
	if (s->kind == K_MONITOR)
		monitor(s);
	else if (s->kind == K_COLLECTOR)
		collector(s);
	else if (s->kind <= K_EPOLL)
		reader(s, fd);
	else
		generator(s, fd, m);
	s->ready = s->done = 1;
	if (fd >= 0)
		close(fd);
}

static struct slot *spawn(int kind, int dev, int index, int m)
{
	struct slot *s = &sh->slots[sh->nslots++];
	pid_t pid;

	s->kind = kind;
	s->dev = dev;
	s->index = index;
	/* Every file of the window is accounted: sysfs and netlink need none. */
	s->has_fd = kind < NKINDS && kind != K_RAISE_NL && kind != K_FACT_NL &&
		    kind != K_FACT_SYSFS;
	fflush(stdout);
	/* The slot is shared: only the parent may write the pid into it. */
	pid = fork();
	if (pid == 0) {
		worker(s, m);
		_exit(0);
	}
	s->pid = pid;
	return s;
}

/* ---- the test ----------------------------------------------------------- */

static const char *const counters[] = {
	"irqs", "irqs_factorial", "irqs_dma", "irqs_other", "injected", "dma_transfers",
	"dma_bytes", "factorials", "errors", "events_dropped", "irqs_spurious",
	"irqs_dropped",
};

static int read_stats(int dev, long long *v)
{
	unsigned int i;

	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		v[i] = stat_of(dev_name(dev), counters[i]);
		if (v[i] < 0)
			return -1;
	}
	return 0;
}

enum { S_IRQS, S_FACT_IRQS, S_DMA_IRQS, S_OTHER_IRQS, S_INJECTED, S_DMA, S_DMA_BYTES,
       S_FACTS, S_ERRORS, S_DROPPED, S_SPURIOUS, S_IRQ_DROPPED, S_N };

static int env_int(const char *name, int def)
{
	const char *v = getenv(name);

	return v && *v ? atoi(v) : def;
}

static int make_route(void)
{
	char dest[32];

	snprintf(dest, sizeof(dest), "127.0.0.1:%d", UDP_PORT);
	if (mkdir(ROUTE, 0755))
		return -errno;
	if (route_set(ROUTE_NAME, "type", "udp") || route_set(ROUTE_NAME, "dest", dest) ||
	    route_set(ROUTE_NAME, "device", "-1") || route_set(ROUTE_NAME, "enable", "1"))
		return -EINVAL;
	return 0;
}

/* Waits for every worker to exit by the deadline; kills and names the rest. */
static int reap_all(long long deadline)
{
	int i, hung = 0, st;

	for (;;) {
		int left = 0;

		for (i = 0; i < sh->nslots; i++) {
			struct slot *s = &sh->slots[i];

			if (s->exited)
				continue;
			if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
				s->exited = 1;
				if (!WIFEXITED(st) || WEXITSTATUS(st))
					fail(s, "exit status %#x", st);
			} else {
				left++;
			}
		}
		if (!left)
			return hung;
		if (now_ms() >= deadline)
			break;
		usleep(10000);
	}
	for (i = 0; i < sh->nslots; i++) {
		struct slot *s = &sh->slots[i];

		if (s->exited)
			continue;
		diag("%s %s #%d (pid %d) hung: done %d, saw_end %d", kind_name[s->kind],
		     dev_name(s->dev), s->index, s->pid, s->done, s->ev.saw_end);
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
		s->exited = 1;
		hung++;
	}
	return hung;
}

static int all_flag(int generators_only, int want_start)
{
	int i;

	for (i = 0; i < sh->nslots; i++) {
		struct slot *s = &sh->slots[i];

		if (generators_only && (s->kind <= K_EPOLL || s->kind >= NKINDS))
			continue;
		if (want_start ? (s->kind <= K_EPOLL && !s->ev.saw_start) :
				 !(generators_only ? s->done : s->ready))
			return 0;
	}
	return 1;
}

static int idle(void)
{
	char v[32];
	int d;

	for (d = 0; d < NDEV; d++) {
		char path[64];

		snprintf(path, sizeof(path), "/sys/class/edu/%s/interrupt_status", dev_name(d));
		if (read_text(path, v, sizeof(v)) || strcmp(v, "0x00000000\n"))
			return 0;
		snprintf(path, sizeof(path), "/sys/class/edu/%s/status", dev_name(d));
		if (read_text(path, v, sizeof(v)) || (strtoul(v, NULL, 16) & 1))
			return 0;
	}
	return 1;
}

static int firmware_idle(int dev)
{
	char path[64], v[64];

	snprintf(path, sizeof(path), "/sys/class/edu/%s/firmware_state", dev_name(dev));
	return !read_text(path, v, sizeof(v)) && strcmp(v, "loading\n");
}

static int raise_markers(struct edu_genl *g, unsigned int bits)
{
	int d, ret;

	for (d = 0; d < NDEV; d++) {
		ret = nl_call(g, EDU_CMD_RAISE_IRQ, d, EDU_A_IRQ_BITS, bits, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

/* Per device: what the clients did and saw in the window. */
struct tally {
	unsigned long long s0, s1, raises, facts, dma, dma_bytes, timeouts, file_lost;
	int files;
};

static int check_files(struct tally *t)
{
	int i, d, bad = 0;

	for (d = 0; d < NDEV; d++) {
		t[d].s0 = 0;
		for (i = 0; i < sh->nslots; i++) {
			struct slot *s = &sh->slots[i];

			if (s->kind <= K_EPOLL && s->dev == d && s->ev.received) {
				t[d].s0 = s->ev.first_seq;
				break;
			}
		}
		for (i = 0; i < sh->nslots; i++)
			if (sh->slots[i].dev == d && sh->slots[i].has_fd &&
			    sh->slots[i].ev.saw_end) {
				t[d].s1 = sh->slots[i].ev.last_seq;
				break;
			}
	}
	for (i = 0; i < sh->nslots; i++) {
		struct slot *s = &sh->slots[i];
		struct tally *td = &t[s->dev];
		struct seen *e = &s->ev;
		unsigned long long window = td->s1 - td->s0 + 1;

		if (s->err[0]) {
			diag("%s %s #%d: %s", kind_name[s->kind], dev_name(s->dev), s->index,
			     s->err);
			bad++;
		}
		if (s->kind >= NKINDS)
			continue;
		switch (s->kind) {
		case K_RAISE_IOCTL:
		case K_RAISE_NL:
			td->raises += s->ok;
			break;
		case K_DMA_COPY:
		case K_DMA_MMAP:
			td->dma += s->ok;
			td->dma_bytes += s->bytes;
			break;
		case K_FACT_IOCTL:
		case K_FACT_NL:
		case K_FACT_SYSFS:
			td->facts += s->ok;
			break;
		}
		td->timeouts += s->timeouts;
		if (!s->has_fd)
			continue;
		td->files++;
		td->file_lost += e->lost;
		/* Every event of the window: a record, or counted in a lost field. */
		if (!e->saw_end || e->bad || e->last_seq != td->s1 ||
		    e->first_seq - e->first_lost != td->s0 || e->received + e->lost != window) {
			diag("%s %s #%d: %llu records + %llu lost, seq %llu (lost %llu) .. %llu;"
			     " window %llu .. %llu = %llu events, %llu bad", kind_name[s->kind],
			     dev_name(s->dev), s->index, e->received, e->lost, e->first_seq,
			     e->first_lost, e->last_seq, td->s0, td->s1, window, e->bad);
			bad++;
		}
	}
	return bad;
}

static int test_stress(void)
{
	int secs = env_int("STRESS_SECONDS", 20), m = env_int("STRESS_WORKERS", 2);
	long long before[NDEV][S_N], after[NDEV][S_N];
	struct slot *mon, *col;
	unsigned long long handed[NDEV];
	struct tally t[NDEV];
	struct edu_genl g;
	long long end, sent, dropped;
	int d, k, i, ret, hung, bad;

	CHECK(secs >= 1 && secs <= MAX_SECONDS, "STRESS_SECONDS=%d: 1..%d", secs, MAX_SECONDS);
	CHECK(m >= 1 && m <= MAX_WORKERS, "STRESS_WORKERS=%d: 1..%d", m, MAX_WORKERS);
	/* The table's bound fits the largest run; this one gets its own. */
	alarm(secs + MARGIN);
	/* A firmware load (at probe) moves data and posts an event: let it end. */
	for (d = 0; d < NDEV; d++) {
		CHECK(WAIT_FOR(firmware_idle(d), 10000), "%s: firmware still loading",
		      dev_name(d));
		CHECK(read_stats(d, before[d]) == 0, "%s: stats", dev_name(d));
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(sh != MAP_FAILED, "mmap");
	CHECK(edu_genl_open(&g) == 0, "netlink");
	ret = make_route();
	CHECK(ret == 0, "route: %s", strerror(-ret));

	mon = spawn(K_MONITOR, 0, 0, m);
	col = spawn(K_COLLECTOR, 0, 0, m);
	for (d = 0; d < NDEV; d++)
		for (k = 0; k < NKINDS; k++)
			for (i = 0; i < m; i++)
				spawn(k, d, i, m);
	diag("stress: %d processes, %d s", sh->nslots, secs);

	bad = !WAIT_FOR(all_flag(0, 0), 30000);
	if (bad)
		diag("workers not ready");
	/* Every file is open and nothing runs: the start markers open the window. */
	if (!bad && (ret = raise_markers(&g, MARK_START))) {
		diag("start markers: %s", strerror(-ret));
		bad = 1;
	}
	if (!bad && !WAIT_FOR(all_flag(0, 1), 10000)) {
		diag("start markers not read");
		bad = 1;
	}
	set_phase(bad ? P_STOP : P_GO);
	end = now_ms() + secs * 1000LL;
	while (!bad && now_ms() < end)
		usleep(100000);
	set_phase(P_STOP);
	if (!WAIT_FOR(all_flag(1, 0), 30000)) {
		diag("generators did not stop");
		bad = 1;
	}
	/* Nothing in flight (a late completion interrupt), then close the window. */
	if (!WAIT_FOR(idle(), 5000)) {
		diag("devices not idle after the generators stopped");
		bad = 1;
	}
	ret = raise_markers(&g, MARK_END);
	if (ret) {
		diag("end markers: %s", strerror(-ret));
		bad = 1;
	}
	set_phase(P_DRAIN);
	hung = reap_all(now_ms() + 40000);
	sent = route_num(ROUTE_NAME, "sent");
	dropped = route_num(ROUTE_NAME, "dropped");
	route_set(ROUTE_NAME, "enable", "0");
	rmdir(ROUTE);
	for (d = 0; d < NDEV; d++) {
		struct nl_result r = { 0 };

		CHECK(read_stats(d, after[d]) == 0, "%s: stats", dev_name(d));
		ret = nl_call(&g, EDU_CMD_GET_STATS, d, 0, 0, &r);
		CHECK(!ret && r.have, "%s: netlink stats: %d", dev_name(d), ret);
		CHECK(!memcmp(&r.st, after[d], sizeof(r.st)) ||
		      (read_stats(d, after[d]) == 0 && !memcmp(&r.st, after[d], sizeof(r.st))),
		      "%s: netlink and sysfs statistics differ at rest", dev_name(d));
	}
	edu_genl_close(&g);
	CHECK(!hung, "%d workers hung", hung);
	CHECK(!bad, "the run did not complete");

	memset(t, 0, sizeof(t));
	bad = check_files(t);
	CHECK(!bad, "%d workers saw errors or missing events", bad);

	for (d = 0; d < NDEV; d++) {
		long long dl[S_N];
		unsigned long long window = t[d].s1 - t[d].s0 + 1, deferred;
		struct heard *h = &mon->per[d];
		const char *n = dev_name(d);

		for (k = 0; k < S_N; k++)
			dl[k] = after[d][k] - before[d][k];
		diag("%s: events %llu (seq %llu..%llu), files %d lost %llu, raises %llu, "
		     "factorials %llu, transfers %llu (%llu bytes), timeouts %llu", n, window,
		     t[d].s0, t[d].s1, t[d].files, t[d].file_lost, t[d].raises, t[d].facts,
		     t[d].dma, t[d].dma_bytes, t[d].timeouts);
		diag("%s: stats delta: irqs %lld (factorial %lld dma %lld other %lld spurious "
		     "%lld) injected %lld events_dropped %lld errors %lld", n, dl[S_IRQS],
		     dl[S_FACT_IRQS], dl[S_DMA_IRQS], dl[S_OTHER_IRQS], dl[S_SPURIOUS],
		     dl[S_INJECTED], dl[S_DROPPED], dl[S_ERRORS]);
		CHECK(t[d].s0 && t[d].s1 >= t[d].s0, "%s: no window", n);
		CHECK(t[d].raises > 0 && t[d].facts > 0 && t[d].dma > 0,
		      "%s: a channel did nothing", n);
		/* One event per handled interrupt, none dropped on purpose. */
		CHECK(dl[S_IRQ_DROPPED] == 0, "%s: irqs_dropped %lld", n, dl[S_IRQ_DROPPED]);
		CHECK(dl[S_IRQS] == (long long)window, "%s: irqs %lld, events %llu", n,
		      dl[S_IRQS], window);
		CHECK(dl[S_INJECTED] == (long long)t[d].raises + 2, "%s: injected %lld, "
		      "raises %llu + 2 markers", n, dl[S_INJECTED], t[d].raises);
		CHECK(dl[S_FACTS] == (long long)t[d].facts, "%s: factorials %lld, clients %llu",
		      n, dl[S_FACTS], t[d].facts);
		CHECK(dl[S_DMA] == (long long)t[d].dma, "%s: dma_transfers %lld, clients %llu",
		      n, dl[S_DMA], t[d].dma);
		CHECK(dl[S_DMA_BYTES] == (long long)t[d].dma_bytes, "%s: dma_bytes %lld, "
		      "clients %llu", n, dl[S_DMA_BYTES], t[d].dma_bytes);
		CHECK(dl[S_ERRORS] == (long long)t[d].timeouts, "%s: errors %lld, timeouts "
		      "seen %llu", n, dl[S_ERRORS], t[d].timeouts);
		/* Completion interrupts may merge (one for two), never appear from nowhere. */
		CHECK(dl[S_FACT_IRQS] <= dl[S_FACTS], "%s: factorial irqs %lld > %lld", n,
		      dl[S_FACT_IRQS], dl[S_FACTS]);
		CHECK(dl[S_DMA_IRQS] <= dl[S_DMA], "%s: DMA irqs %lld > %lld", n,
		      dl[S_DMA_IRQS], dl[S_DMA]);
		CHECK(dl[S_OTHER_IRQS] >= 2 && dl[S_OTHER_IRQS] <= (long long)t[d].raises + 2,
		      "%s: other irqs %lld, raises %llu", n, dl[S_OTHER_IRQS], t[d].raises);
		/* A file that lost nothing saw every interrupt, by kind. */
		for (i = 0; i < sh->nslots; i++) {
			struct seen *e = &sh->slots[i].ev;

			if (sh->slots[i].dev != d || !sh->slots[i].has_fd || e->lost)
				continue;
			CHECK(e->n_fact == (unsigned long long)dl[S_FACT_IRQS] &&
			      e->n_dma == (unsigned long long)dl[S_DMA_IRQS] &&
			      e->n_other == (unsigned long long)dl[S_OTHER_IRQS],
			      "%s %s: saw %llu/%llu/%llu factorial/DMA/other events, stats %lld/"
			      "%lld/%lld", kind_name[sh->slots[i].kind], n, e->n_fact, e->n_dma,
			      e->n_other, dl[S_FACT_IRQS], dl[S_DMA_IRQS], dl[S_OTHER_IRQS]);
		}
		/* events_dropped: the files' losses, and the deferred ring's. */
		CHECK(dl[S_DROPPED] >= (long long)t[d].file_lost, "%s: events_dropped %lld < "
		      "%llu lost by files", n, dl[S_DROPPED], t[d].file_lost);
		deferred = dl[S_DROPPED] - t[d].file_lost;
		handed[d] = window - deferred;
		diag("%s: deferred ring dropped %llu; netlink heard %llu (%llu overruns), "
		     "collector %llu", n, deferred, h->received, mon->overruns,
		     col->per[d].received);
		CHECK(deferred < window, "%s: %llu dropped of %llu", n, deferred, window);
		CHECK(h->first >= t[d].s0 && h->last == t[d].s1, "%s: netlink seq %llu..%llu",
		      n, h->first, h->last);
		/* Without an overrun of the socket, netlink got all the ring passed on. */
		CHECK(mon->overruns ? h->received <= handed[d] : h->received == handed[d],
		      "%s: netlink heard %llu, handed over %llu", n, h->received, handed[d]);
		CHECK(col->per[d].first >= t[d].s0 && col->per[d].last == t[d].s1,
		      "%s: collector seq %llu..%llu", n, col->per[d].first, col->per[d].last);
	}
	diag("route: sent %lld dropped %lld; collector %llu + %llu dropped by its socket "
	     "(%llu out of order)", sent, dropped, col->per[0].received + col->per[1].received,
	     col->overruns, col->per[0].disorder + col->per[1].disorder);
	CHECK(sent >= 0 && dropped >= 0, "route counters");
	CHECK((unsigned long long)(sent + dropped) == handed[0] + handed[1],
	      "route sent %lld + dropped %lld, handed over %llu", sent, dropped,
	      handed[0] + handed[1]);
	CHECK(col->per[0].received + col->per[1].received + col->overruns ==
	      (unsigned long long)sent, "collector %llu + %llu dropped, route sent %lld",
	      col->per[0].received + col->per[1].received, col->overruns, sent);
	munmap(sh, sizeof(*sh));
	return 0;
}

/* The longest run STRESS_SECONDS may ask for; the test arms its own alarm. */
const struct test_case stress_tests[] = {
	TEST_LONG(stress, MAX_SECONDS + MARGIN),
	TEST_END
};
