/* SPDX-License-Identifier: GPL-2.0 */
/* The event mechanisms, shared by the events and fan-out groups. */
#ifndef EDU_BENCH_EVENTS_H
#define EDU_BENCH_EVENTS_H

#include <semaphore.h>

#include <liburing.h>

#include "bench.h"
#include "libedu.h"

struct nl_sock;

/* One mechanism's run: its files, and the waiter's hand-over. */
struct ev_run {
	const struct bench_cfg *cfg;
	const struct ev_mech *mech;
	int fd, aux, raise_fd;
	int conn;		/* a connection accepted on aux (TCP route) */
	struct edu_ring ring;
	struct io_uring uring;
	struct nl_sock *nl;
	struct uio_peer uio;
	struct vfio_peer vfio;
	int ring_open, uring_open, uio_open, vfio_open;
	volatile int got, stop;
	volatile uint64_t t1;	/* when the waiter held the event; 0: failed */
	volatile unsigned int errors;
	sem_t done;
};

struct ev_mech {
	const char *name, *note;
	int (*setup)(struct ev_run *r);		/* 0 or -errno */
	int (*wait)(struct ev_run *r);		/* blocks until one event */
	void (*after)(struct ev_run *r);	/* optional: after t1 */
	int (*raise)(struct ev_run *r);		/* default: EDU_IOC_RAISE_IRQ */
	void (*teardown)(struct ev_run *r);	/* optional: before the files close */
};

extern const struct ev_mech ev_mechs[];
extern const struct ev_mech route_mechs[];	/* routes.c */

/* Latency samples (ns) of one mechanism: 0 or -errno if it cannot run. */
int ev_measure(const struct bench_cfg *cfg, const struct ev_mech *mech,
	       unsigned int samples, struct bench_samples *out);
void ev_block_signals(void);

#endif /* EDU_BENCH_EVENTS_H */
