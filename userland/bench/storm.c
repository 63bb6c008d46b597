// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt storm: one thread raises as fast as EDU_IOC_RAISE_IRQ goes,
 * another takes the events through one mechanism. Per mechanism: events
 * delivered per second, and the books. Every interrupt the driver handled
 * must have reached the client or been reported to it as lost (the
 * records' lost fields, the ring's overflow): "uncounted" must be 0. A last
 * marker event after the storm carries the count of any drop at its end.
 * With MSI, QEMU's edu sends a message per raise: a raise that lands while
 * the previous one is still pending finds its bit already handled, and
 * the handler counts it spurious (irqs_spurious), not an event lost.
 *
 * Then read, poll and epoll again with the raises paced at half the
 * interrupt rate the full storm reached (the device's maximum on this
 * machine): there nothing may be lost.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bench.h"
#include "libedu.h"

enum storm_how { STORM_READ, STORM_POLL, STORM_EPOLL, STORM_RING };

struct storm {
	enum storm_how how;
	int fd, epfd;
	struct edu_ring ring;
	volatile int stop;
	volatile uint64_t received;
	uint64_t lost;
};

static void count(struct storm *st, const struct edu_event *ev, int n)
{
	int i;

	for (i = 0; i < n; i++)
		st->lost += ev[i].lost;
	st->received += n;
}

/* Non-blocking reads after poll(): sees stop within 100 ms. */
static void *reader(void *arg)
{
	struct storm *st = arg;
	struct edu_event ev[64];
	struct pollfd p = { .fd = st->fd, .events = POLLIN };
	ssize_t n;

	while (!st->stop) {
		if (st->how == STORM_RING) {
			n = edu_ring_consume(&st->ring, ev, 64);
			if (n > 0)
				count(st, ev, n);
			else if (!n && poll(&p, 1, 100) < 0)
				break;
			continue;
		}
		if (st->how == STORM_POLL && poll(&p, 1, 100) <= 0)
			continue;
		if (st->how == STORM_EPOLL) {
			struct epoll_event e;

			if (epoll_wait(st->epfd, &e, 1, 100) <= 0)
				continue;
		}
		n = read(st->fd, ev, sizeof(ev));
		if (n > 0)
			count(st, ev, n / sizeof(ev[0]));
		else if (errno == EAGAIN && st->how == STORM_READ)
			poll(&p, 1, 100);	/* read(2) empties the queue first */
		else if (errno != EINTR)
			break;
	}
	return NULL;
}

/* The interrupts per second the full storm reached, for the paced runs. */
static double max_rate;

/* Spins until the next raise is due: rate per second from t0. */
static void pace(uint64_t t0, uint64_t raised, double rate)
{
	uint64_t due = t0 + (uint64_t)(raised * 1e9 / rate);

	while (now_ns() < due)
		;
}

/* rate 0: as fast as the raises go. */
static void storm_one(const struct bench_cfg *cfg, const char *name, enum storm_how how,
		      double rate)
{
	struct storm st = { .how = how, .epfd = -1 };
	struct edu_stats before, after;
	uint32_t bits = BENCH_IRQ_BIT;
	uint64_t raised = 0, t0, ns, irqs, seen;
	char note[200];
	pthread_t thread;

	st.fd = edu_open_dev(cfg->dev, O_RDWR | O_NONBLOCK);
	if (st.fd < 0) {
		report_skip("storm", name, strerror(-st.fd));
		return;
	}
	if (how == STORM_RING && edu_ring_open(st.fd, 4096, &st.ring)) {
		report_skip("storm", name, "no ring");
		close(st.fd);
		return;
	}
	if (how == STORM_EPOLL) {
		struct epoll_event e = { .events = EPOLLIN };

		st.epfd = epoll_create1(EPOLL_CLOEXEC);
		if (st.epfd < 0 || epoll_ctl(st.epfd, EPOLL_CTL_ADD, st.fd, &e)) {
			report_skip("storm", name, "epoll");
			goto out;
		}
	}
	if (ioctl(st.fd, EDU_IOC_GET_STATS, &before) ||
	    pthread_create(&thread, NULL, reader, &st)) {
		report_skip("storm", name, "stats or thread");
		goto out;
	}
	t0 = now_ns();
	while ((ns = now_ns() - t0) < (uint64_t)cfg->storm_ms * 1000000ull) {
		if (rate)
			pace(t0, raised, rate);
		if (!ioctl(st.fd, EDU_IOC_RAISE_IRQ, &bits))
			raised++;
	}
	/* The queue drained, then the marker, then the books closed. */
	usleep(300000);
	seen = st.received;
	if (!ioctl(st.fd, EDU_IOC_RAISE_IRQ, &bits))
		raised++;
	for (t0 = now_ns(); st.received == seen && now_ns() - t0 < 2000000000ull; )
		usleep(1000);
	st.stop = 1;
	pthread_join(thread, NULL);
	if (ioctl(st.fd, EDU_IOC_GET_STATS, &after)) {
		report_skip("storm", name, "stats");
		goto out;
	}
	if (how == STORM_RING)
		st.lost = edu_ring_overflow(&st.ring);

	irqs = after.irqs_other - before.irqs_other;
	if (!rate && irqs * 1e9 / ns > max_rate)
		max_rate = irqs * 1e9 / ns;
	snprintf(note, sizeof(note),
		 "%sraised %llu, events %llu, spurious %llu, received %llu, lost %llu, uncounted %lld",
		 rate ? "paced: must lose 0; " : "",
		 (unsigned long long)raised, (unsigned long long)irqs,
		 (unsigned long long)(after.irqs_spurious - before.irqs_spurious),
		 (unsigned long long)st.received, (unsigned long long)st.lost,
		 (long long)irqs - (long long)(st.received + st.lost));
	report_value("storm", name, "ev/s", st.received * 1e9 / ns, st.received, note);
out:
	if (how == STORM_RING)
		edu_ring_close(&st.ring);
	if (st.epfd >= 0)
		close(st.epfd);
	close(st.fd);
}

void bench_storm(const struct bench_cfg *cfg)
{
	double half;

	storm_one(cfg, "read", STORM_READ, 0);
	storm_one(cfg, "poll", STORM_POLL, 0);
	storm_one(cfg, "epoll", STORM_EPOLL, 0);
	storm_one(cfg, "ring", STORM_RING, 0);
	half = max_rate / 2;
	if (!half) {
		report_skip("storm", "paced", "no interrupt rate");
		return;
	}
	storm_one(cfg, "read_paced_half", STORM_READ, half);
	storm_one(cfg, "poll_paced_half", STORM_POLL, half);
	storm_one(cfg, "epoll_paced_half", STORM_EPOLL, half);
}
