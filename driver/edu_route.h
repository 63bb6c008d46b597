/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event routes (docs/routes.md): a configfs object (edu_configfs.c) that
 * hands device events to one transport, each in a file of its own: kernel
 * UDP and TCP sockets (edu_socket.c) and upcalls (edu_upcall.c).
 *
 * Events arrive from the devices' deferred work through ->event(), which
 * must return at once: nothing there waits on the network or on user
 * space. What is slow (a TCP connection, a helper) runs in the route's own
 * work on edu_wq with no lock held across the wait.
 */
#ifndef EDU_ROUTE_H
#define EDU_ROUTE_H

#include <linux/configfs.h>
#include <linux/in.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#include "edu.h"

#define EDU_ROUTE_QUEUE		64	/* records a route keeps for its work */

enum edu_route_type { EDU_ROUTE_NONE, EDU_ROUTE_UDP, EDU_ROUTE_TCP, EDU_ROUTE_UPCALL };

struct edu_route;

/**
 * struct edu_route_ops - a transport
 * @enable: get ready to deliver, with the route's lock held
 * @event: take one event, with the route's lock held; returns at once
 * @work: the route's work: slow delivery, called with no lock held
 * @stop: make a running @work return promptly; no lock held
 * @disable: after @work has stopped, with the route's lock held
 * @state: the delivery state for configfs, with the route's lock held
 */
struct edu_route_ops {
	int (*enable)(struct edu_route *r);
	void (*event)(struct edu_route *r, const struct edu_event *ev);
	void (*work)(struct edu_route *r);
	void (*stop)(struct edu_route *r);
	void (*disable)(struct edu_route *r);
	const char *(*state)(struct edu_route *r);
};

/**
 * struct edu_route - one configfs route
 * @item: the configfs object; its refcount owns this struct
 * @node: in the list of enabled routes (edu_configfs.c)
 * @switch_lock: one enable or disable at a time, whole; taken before
 *	edu_routes_lock, never by the work
 * @lock: everything below but the helper fields; never held across a wait
 *	on the network or on user space
 * @type, @ops, @dest, @mask, @device: configuration, fixed while enabled
 * @enabled: delivering
 * @queue: records waiting for @work, @qlen of them from @qhead
 * @work: the transport's slow part, on edu_wq; queued, it holds a
 *	reference to @item
 * @sent, @dropped: records delivered and lost
 * @last_error: errno of the last failure (0: none)
 * @last_status: wait status of the last helper that ran
 * @sock: UDP socket, or TCP connection (NULL while disconnected)
 * @backoff_ms: TCP: wait before the next connection attempt
 * @connect_deadline: TCP: when a connection in progress is given up
 * @upcall_rs: upcalls: at most EDU_UPCALLS_PER_SEC helpers
 * @helper_lock: the helper fields, also taken from @helper_timer
 * @helper: the running helper process, or NULL
 * @helper_stop: the route is being disabled: start no helper, kill it
 * @helper_expired: the running helper overran dev.edu.upcall_timeout_ms
 * @helper_timer: kills a helper that overruns
 */
struct edu_route {
	struct config_item item;
	struct list_head node;
	struct mutex switch_lock;	/* see above */
	struct mutex lock;		/* see above */
	enum edu_route_type type;
	const struct edu_route_ops *ops;
	struct sockaddr_in dest;
	u32 mask;
	s32 device;
	bool enabled;
	struct edu_event queue[EDU_ROUTE_QUEUE];
	unsigned int qhead, qlen;
	struct delayed_work work;
	s64 sent, dropped;
	s64 last_error;
	s64 last_status;

	struct socket *sock;
	unsigned int backoff_ms;
	unsigned long connect_deadline;

	struct ratelimit_state upcall_rs;
	spinlock_t helper_lock;		/* the helper fields */
	struct pid *helper;
	bool helper_stop;
	bool helper_expired;
	struct timer_list helper_timer;
};

/* edu_configfs.c: what every transport shares */
void edu_route_queue(struct edu_route *r, const struct edu_event *ev);
bool edu_route_dequeue(struct edu_route *r, struct edu_event *ev);
void edu_route_kick(struct edu_route *r, unsigned long delay);

/* edu_socket.c */
extern const struct edu_route_ops edu_udp_ops;
extern const struct edu_route_ops edu_tcp_ops;

/* edu_upcall.c */
extern const struct edu_route_ops edu_upcall_ops;
extern unsigned int edu_upcall_timeout_ms;
void edu_upcall_route_init(struct edu_route *r);

#endif /* EDU_ROUTE_H */
