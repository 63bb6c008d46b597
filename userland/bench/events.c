// SPDX-License-Identifier: GPL-2.0
/*
 * Event notification: from the raise to user space holding the event.
 *
 * A waiter thread sleeps in the mechanism; the main thread takes t0 and
 * raises an interrupt; the waiter takes t1 as soon as the mechanism hands
 * it the event. Our device is raised through EDU_IOC_RAISE_IRQ (a syscall,
 * then the register write), the peers by writing the register through
 * their BAR mapping; the control group's ioctl figure is that syscall's
 * cost. What a user does after holding the event (acknowledge, unmask,
 * drain) happens after t1 and before the next raise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "bench.h"
#include "events.h"
#include "libedu.h"

#define SIG_REGISTERED	(SIGRTMIN + 1)

/* ---- our driver's mechanisms ------------------------------------------ */

static int raise_ours(struct ev_run *r)
{
	uint32_t bits = BENCH_IRQ_BIT;

	return ioctl(r->raise_fd, EDU_IOC_RAISE_IRQ, &bits) ? -errno : 0;
}

static int read_one(int fd)
{
	struct edu_event ev;

	return read(fd, &ev, sizeof(ev)) == sizeof(ev) ? 0 : -errno;
}

/* Whatever the file queued besides the mechanism's own notification. */
static void drain(int fd)
{
	struct edu_event ev[16];

	while (read(fd, ev, sizeof(ev)) > 0)
		;
}

static int open_ours(struct ev_run *r, int flags)
{
	r->fd = edu_open_dev(r->cfg->dev, O_RDWR | flags);
	if (r->fd < 0)
		return r->fd;
	r->raise_fd = r->fd;
	return 0;
}

static int setup_blocking(struct ev_run *r)
{
	return open_ours(r, 0);
}

static int setup_nonblock(struct ev_run *r)
{
	return open_ours(r, O_NONBLOCK);
}

static int wait_read(struct ev_run *r)
{
	return read_one(r->fd);
}

static int wait_poll(struct ev_run *r)
{
	struct pollfd p = { .fd = r->fd, .events = POLLIN };

	if (poll(&p, 1, -1) != 1)
		return -errno;
	return read_one(r->fd);
}

static int setup_epoll(struct ev_run *r)
{
	struct epoll_event e = { .events = EPOLLIN };
	int ret = open_ours(r, O_NONBLOCK);

	if (ret)
		return ret;
	r->aux = epoll_create1(EPOLL_CLOEXEC);
	if (r->aux < 0 || epoll_ctl(r->aux, EPOLL_CTL_ADD, r->fd, &e))
		return -errno;
	return 0;
}

static int wait_epoll(struct ev_run *r)
{
	struct epoll_event e;

	if (epoll_wait(r->aux, &e, 1, -1) != 1)
		return -errno;
	return read_one(r->fd);
}

static int wait_select(struct ev_run *r)
{
	fd_set rd;

	FD_ZERO(&rd);
	FD_SET(r->fd, &rd);
	if (select(r->fd + 1, &rd, NULL, NULL, NULL) != 1)
		return -errno;
	return read_one(r->fd);
}

/* A signal still pending from an earlier run is not this run's. */
static void flush_signal(int signo)
{
	struct timespec zero = { 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, signo);
	while (sigtimedwait(&set, NULL, &zero) == signo)
		;
}

static int setup_sigio(struct ev_run *r)
{
	int ret = open_ours(r, O_NONBLOCK);

	flush_signal(SIGIO);

	if (ret)
		return ret;
	if (fcntl(r->fd, F_SETOWN, getpid()) ||
	    fcntl(r->fd, F_SETFL, O_NONBLOCK | O_ASYNC))
		return -errno;
	return 0;
}

static int wait_signal(int signo)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, signo);
	return sigwaitinfo(&set, NULL) == signo ? 0 : -errno;
}

static int wait_sigio(struct ev_run *r)
{
	int ret = wait_signal(SIGIO);

	if (!ret)
		ret = read_one(r->fd);
	return ret;
}

static int setup_registered(struct ev_run *r)
{
	struct edu_signal sig = { .signo = SIG_REGISTERED };
	int ret = open_ours(r, O_NONBLOCK);

	flush_signal(SIG_REGISTERED);

	if (ret)
		return ret;
	return ioctl(r->fd, EDU_IOC_SET_SIGNAL, &sig) ? -errno : 0;
}

static int wait_registered(struct ev_run *r)
{
	int ret = wait_signal(SIG_REGISTERED);

	if (!ret)
		ret = read_one(r->fd);
	return ret;
}

static int setup_eventfd(struct ev_run *r)
{
	struct edu_eventfd e = { .classes = EDU_EVFD_OTHER };
	int ret = open_ours(r, O_NONBLOCK);

	if (ret)
		return ret;
	r->aux = eventfd(0, EFD_CLOEXEC);
	if (r->aux < 0)
		return -errno;
	e.fd = r->aux;
	return ioctl(r->fd, EDU_IOC_SET_EVENTFD, &e) ? -errno : 0;
}

/* The eventfd is a doorbell: the event itself is read from the file. */
static int wait_eventfd(struct ev_run *r)
{
	uint64_t count;

	if (read(r->aux, &count, sizeof(count)) != sizeof(count))
		return -errno;
	return read_one(r->fd);
}

static void after_drain(struct ev_run *r)
{
	drain(r->fd);
}

static int setup_ring(struct ev_run *r)
{
	int ret = open_ours(r, O_NONBLOCK);

	if (ret)
		return ret;
	ret = edu_ring_open(r->fd, 256, &r->ring);
	if (!ret)
		r->ring_open = 1;
	return ret;
}

static int wait_ring(struct ev_run *r)
{
	struct edu_event ev;
	struct pollfd p = { .fd = r->fd, .events = POLLIN };
	int n;

	/* Polls only when the ring is empty, as a ring's consumer does. */
	while (!(n = edu_ring_consume(&r->ring, &ev, 1)))
		if (poll(&p, 1, -1) < 0)
			return -errno;
	return n < 0 ? n : 0;
}

static int setup_uring(struct ev_run *r)
{
	int ret = open_ours(r, 0);

	if (ret)
		return ret;
	ret = io_uring_queue_init(4, &r->uring, 0);
	if (!ret)
		r->uring_open = 1;
	return ret;
}

static int wait_uring(struct ev_run *r)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&r->uring);
	struct io_uring_cqe *cqe;
	struct edu_event ev;
	int ret;

	if (!sqe)
		return -EBUSY;
	io_uring_prep_read(sqe, r->fd, &ev, sizeof(ev), -1);	/* a stream */
	ret = io_uring_submit_and_wait(&r->uring, 1);
	if (ret < 0)
		return ret;
	ret = io_uring_peek_cqe(&r->uring, &cqe);
	if (ret)
		return ret;
	ret = cqe->res == sizeof(ev) ? 0 : cqe->res < 0 ? cqe->res : -EIO;
	io_uring_cqe_seen(&r->uring, cqe);
	return ret;
}

static int setup_sysfs(struct ev_run *r)
{
	char path[128], buf[32];
	int ret = open_ours(r, O_NONBLOCK);

	if (ret)
		return ret;
	snprintf(path, sizeof(path), EDU_SYSFS_CLASS "/%s/stats/irqs", r->cfg->dev);
	r->aux = open(path, O_RDONLY | O_CLOEXEC);
	/* A sysfs file notifies only once it has been read. */
	if (r->aux < 0 || pread(r->aux, buf, sizeof(buf), 0) < 0)
		return -errno;
	return 0;
}

static int wait_sysfs(struct ev_run *r)
{
	struct pollfd p = { .fd = r->aux, .events = POLLPRI };
	char buf[32];

	if (poll(&p, 1, -1) != 1)
		return -errno;
	/* Re-arms the notification; the event itself is in the file. */
	if (pread(r->aux, buf, sizeof(buf), 0) <= 0)
		return -errno;
	return read_one(r->fd);
}

static int netlink_valid(struct nl_msg *msg, void *arg)
{
	struct ev_run *r = arg;

	(void)msg;
	r->got = 1;
	return NL_OK;
}

static int setup_netlink(struct ev_run *r)
{
	int ret = open_ours(r, O_NONBLOCK), grp;

	if (ret)
		return ret;
	r->nl = nl_socket_alloc();
	if (!r->nl || genl_connect(r->nl))
		return -ENOTCONN;
	grp = genl_ctrl_resolve_grp(r->nl, EDU_GENL_NAME, EDU_GENL_MCGRP_EVENTS);
	if (grp < 0)
		return -ENOENT;
	nl_socket_disable_seq_check(r->nl);
	nl_socket_modify_cb(r->nl, NL_CB_VALID, NL_CB_CUSTOM, netlink_valid, r);
	return nl_socket_add_membership(r->nl, grp) ? -EIO : 0;
}

static int wait_netlink(struct ev_run *r)
{
	r->got = 0;
	while (!r->got)
		if (nl_recvmsgs_default(r->nl) < 0)
			return -EIO;
	return 0;
}

/* ---- the peers ---------------------------------------------------------- */

static int setup_uio(struct ev_run *r)
{
	int ret;

	if (!r->cfg->uio_bdf)
		return -ENODEV;
	ret = uio_open(r->cfg->uio_bdf, &r->uio);
	if (ret)
		return ret;
	r->uio_open = 1;
	/* Leftovers from an earlier user, then the line unmasked. */
	bar_write(&r->uio.bar, 0x64, 0xffffffff);
	return uio_unmask(&r->uio);
}

static int raise_uio(struct ev_run *r)
{
	bar_write(&r->uio.bar, 0x60, BENCH_IRQ_BIT);
	return 0;
}

static int wait_uio(struct ev_run *r)
{
	uint32_t count;

	return read(r->uio.fd, &count, sizeof(count)) == sizeof(count) ? 0 : -errno;
}

/* What a UIO user does next: acknowledge the device, unmask the line. */
static void after_uio(struct ev_run *r)
{
	bar_write(&r->uio.bar, 0x64, BENCH_IRQ_BIT);
	if (uio_unmask(&r->uio))
		r->errors++;
}

static int setup_vfio(struct ev_run *r)
{
	int ret;

	if (!r->cfg->vfio_bdf)
		return -ENODEV;
	ret = vfio_open(r->cfg->vfio_bdf, &r->vfio);
	if (!ret) {
		r->vfio_open = 1;
		r->vfio.regs[0x64 / 4] = 0xffffffff;
	}
	return ret;
}

static int raise_vfio(struct ev_run *r)
{
	r->vfio.regs[0x60 / 4] = BENCH_IRQ_BIT;
	return 0;
}

static int wait_vfio(struct ev_run *r)
{
	uint64_t count;

	return read(r->vfio.efd, &count, sizeof(count)) == sizeof(count) ? 0 : -errno;
}

static void after_vfio(struct ev_run *r)
{
	r->vfio.regs[0x64 / 4] = BENCH_IRQ_BIT;
}

const struct ev_mech ev_mechs[] = {
	{ .name = "read", .note = "blocking read(2)",
	  .setup = setup_blocking, .wait = wait_read },
	{ .name = "poll", .note = "poll(2), then read",
	  .setup = setup_nonblock, .wait = wait_poll },
	{ .name = "epoll", .note = "epoll_wait(2), then read",
	  .setup = setup_epoll, .wait = wait_epoll },
	{ .name = "select", .note = "select(2), then read",
	  .setup = setup_nonblock, .wait = wait_select },
	{ .name = "sigio", .note = "SIGIO (fasync), then read",
	  .setup = setup_sigio, .wait = wait_sigio },
	{ .name = "signal", .note = "registered RT signal, then read",
	  .setup = setup_registered, .wait = wait_registered },
	{ .name = "eventfd", .note = "EDU_IOC_SET_EVENTFD",
	  .setup = setup_eventfd, .wait = wait_eventfd, .after = after_drain },
	{ .name = "ring", .note = "mmap'd ring, poll when empty",
	  .setup = setup_ring, .wait = wait_ring },
	{ .name = "io_uring", .note = "IORING_OP_READ of the file",
	  .setup = setup_uring, .wait = wait_uring },
	{ .name = "sysfs_pollpri", .note = "POLLPRI on stats/irqs",
	  .setup = setup_sysfs, .wait = wait_sysfs, .after = after_drain },
	{ .name = "netlink", .note = "multicast group events",
	  .setup = setup_netlink, .wait = wait_netlink, .after = after_drain },
	{ .name = "uio_read", .note = "peer: uio_pci_generic read()",
	  .setup = setup_uio, .wait = wait_uio, .after = after_uio, .raise = raise_uio },
	{ .name = "vfio_eventfd", .note = "peer: vfio-pci MSI eventfd",
	  .setup = setup_vfio, .wait = wait_vfio, .after = after_vfio, .raise = raise_vfio },
	{ }
};

/* ---- the measurement ---------------------------------------------------- */

static void *waiter(void *arg)
{
	struct ev_run *r = arg;

	/* Each raise ends one wait; the last one (after stop) ends the loop. */
	for (;;) {
		if (r->mech->wait(r)) {
			r->errors++;
			r->t1 = 0;
		} else {
			r->t1 = now_ns();
		}
		if (r->mech->after)
			r->mech->after(r);
		sem_post(&r->done);
		if (r->stop)
			return NULL;
	}
}

static void teardown(struct ev_run *r)
{
	if (r->mech->teardown)
		r->mech->teardown(r);
	if (r->conn >= 0)
		close(r->conn);
	if (r->ring_open)
		edu_ring_close(&r->ring);
	if (r->uring_open)
		io_uring_queue_exit(&r->uring);
	if (r->nl)
		nl_socket_free(r->nl);
	if (r->uio_open)
		uio_close(&r->uio);
	if (r->vfio_open)
		vfio_close(&r->vfio);
	if (r->aux >= 0)
		close(r->aux);
	if (r->fd >= 0)
		close(r->fd);
}

static int sem_wait_ms(sem_t *sem, unsigned int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	while (sem_timedwait(sem, &ts))
		if (errno != EINTR)
			return -errno;
	return 0;
}

int ev_measure(const struct bench_cfg *cfg, const struct ev_mech *mech,
	       unsigned int samples, struct bench_samples *out)
{
	int (*raise)(struct ev_run *) = mech->raise ? mech->raise : raise_ours;
	/* On the heap: a waiter that never comes back keeps it (leaked). */
	struct ev_run *r = calloc(1, sizeof(*r));
	pthread_t thread;
	unsigned int i;
	int ret;

	if (!r)
		return -ENOMEM;
	r->cfg = cfg;
	r->mech = mech;
	r->fd = r->aux = r->raise_fd = r->conn = -1;
	sem_init(&r->done, 0, 0);
	ret = mech->setup(r);
	if (ret)
		goto out;
	ret = -pthread_create(&thread, NULL, waiter, r);
	if (ret)
		goto out;
	for (i = 0; i < samples; i++) {
		uint64_t t0;

		/* Long enough for the waiter to be asleep again. */
		usleep(2000);
		/* A hand-over from an event nobody raised is not a sample. */
		while (!sem_trywait(&r->done))
			out->failed++;
		t0 = now_ns();
		if (raise(r)) {
			out->failed++;
			continue;
		}
		if (sem_wait_ms(&r->done, 2000)) {
			out->failed++;
			break;		/* the waiter is stuck: stop here */
		}
		if (r->t1 >= t0)
			samples_add(out, r->t1 - t0);
		else
			out->failed++;
	}
	out->failed += r->errors;
	r->stop = 1;
	raise(r);
	if (sem_wait_ms(&r->done, 2000)) {
		struct timespec ts;

		/* Not every wait is a cancellation point (io_uring_enter). */
		pthread_cancel(thread);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 2;
		if (pthread_timedjoin_np(thread, NULL, &ts))
			return -ETIMEDOUT;	/* r and its files stay the waiter's */
	} else {
		pthread_join(thread, NULL);
	}
out:
	teardown(r);
	sem_destroy(&r->done);
	free(r);
	return ret;
}

/* Signals go to the waiter's sigwaitinfo(): blocked in every thread. */
void ev_block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	sigaddset(&set, SIG_REGISTERED);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/*
 * In rounds, each mechanism in turn: a slow spell of the shared host then
 * falls on every mechanism alike, not on whichever ran at that moment, so
 * the ratios of one run (ours against UIO's and VFIO's) hold.
 */
#define EV_ROUNDS 10

static void measure_all(const struct bench_cfg *cfg, const struct ev_mech *mechs)
{
	unsigned int n, i, round, rounds = cfg->samples < EV_ROUNDS ? 1 : EV_ROUNDS;
	struct bench_samples *s;
	int *err;

	for (n = 0; mechs[n].name; n++)
		;
	s = calloc(n, sizeof(*s));
	err = calloc(n, sizeof(*err));
	if (!s || !err) {
		free(s);
		free(err);
		report_skip("events", "all", "out of memory");
		return;
	}
	for (i = 0; i < n; i++)
		samples_init(&s[i]);
	for (round = 0; round < rounds; round++) {
		unsigned int share = cfg->samples / rounds + (round < cfg->samples % rounds);

		for (i = 0; i < n; i++)
			if (!err[i])
				err[i] = ev_measure(cfg, &mechs[i], share, &s[i]);
	}
	for (i = 0; i < n; i++) {
		if (err[i])
			report_skip("events", mechs[i].name, strerror(-err[i]));
		else
			report_samples("events", mechs[i].name, "us", &s[i], mechs[i].note);
		samples_free(&s[i]);
	}
	free(s);
	free(err);
}

void bench_events(const struct bench_cfg *cfg)
{
	ev_block_signals();
	measure_all(cfg, ev_mechs);
	measure_all(cfg, route_mechs);
	bench_upcall(cfg);
	bench_uevent(cfg);
}
