// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel sockets: routes that send each event record (struct edu_event)
 * as one UDP datagram, or over a TCP connection that the kernel opens to a
 * collector. Nothing here waits on the network: sends never block, and a
 * TCP connection is made without blocking, from the route's own work,
 * retried with an exponential backoff (docs/routes.md).
 */
#include <linux/net.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "edu_route.h"

#define EDU_BACKOFF_MIN_MS	100
#define EDU_BACKOFF_MAX_MS	5000
#define EDU_CONNECT_TIMEOUT_MS	3000
#define EDU_TCP_POLL_MS		20	/* connection in progress, or send buffer full */

/* One record, never blocking: 0, -EAGAIN (nothing sent), or an error. */
static int edu_sock_send(struct socket *sock, struct sockaddr_in *dest,
			 const struct edu_event *ev)
{
	struct kvec vec = { .iov_base = (void *)ev, .iov_len = sizeof(*ev) };
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	int ret;

	if (dest) {
		msg.msg_name = dest;
		msg.msg_namelen = sizeof(*dest);
	}
	ret = kernel_sendmsg(sock, &msg, &vec, 1, sizeof(*ev));
	if (ret == sizeof(*ev))
		return 0;
	/* Part of a record on a stream: the connection must start over. */
	return ret < 0 ? ret : -EIO;
}

/* With route->lock held. Closing never waits: no lingering. */
static void edu_sock_close(struct edu_route *r)
{
	if (r->sock) {
		kernel_sock_shutdown(r->sock, SHUT_RDWR);
		sock_release(r->sock);
		r->sock = NULL;
	}
}

/* ---- UDP: one datagram per event, no delivery feedback ------------------ */

static int edu_udp_enable(struct edu_route *r)
{
	return sock_create_kern(&init_net, AF_INET, SOCK_DGRAM, IPPROTO_UDP,
				&r->sock);
}

static void edu_udp_event(struct edu_route *r, const struct edu_event *ev)
{
	int ret = edu_sock_send(r->sock, &r->dest, ev);

	if (ret) {
		r->dropped++;
		r->last_error = -ret;
	} else {
		r->sent++;
	}
}

static void edu_udp_work(struct edu_route *r)
{
}

static const char *edu_udp_state(struct edu_route *r)
{
	return "ready";
}

const struct edu_route_ops edu_udp_ops = {
	.enable = edu_udp_enable,
	.event = edu_udp_event,
	.work = edu_udp_work,
	.disable = edu_sock_close,
	.state = edu_udp_state,
};

/* ---- TCP: a stream of records to a collector ----------------------------- */

static int edu_tcp_enable(struct edu_route *r)
{
	r->backoff_ms = EDU_BACKOFF_MIN_MS;
	return 0;
}

/* Events wait in the route's queue; the work sends them. */
static void edu_tcp_event(struct edu_route *r, const struct edu_event *ev)
{
	edu_route_queue(r, ev);
	/* During a backoff the work is already due later: that stands. */
	edu_route_kick(r, 0);
}

/* Starts a connection without waiting for it: 0 once under way. */
static int edu_tcp_connect(struct edu_route *r)
{
	int ret;

	ret = sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &r->sock);
	if (ret) {
		r->sock = NULL;
		return ret;
	}
	ret = kernel_connect(r->sock, (struct sockaddr *)&r->dest,
			     sizeof(r->dest), O_NONBLOCK);
	if (ret && ret != -EINPROGRESS) {
		edu_sock_close(r);
		return ret;
	}
	r->connect_deadline = jiffies + msecs_to_jiffies(EDU_CONNECT_TIMEOUT_MS);
	return 0;
}

/*
 * With route->lock held: 0 when connected, -EINPROGRESS while the
 * connection is being made, or why there is none (the peer closed, reset
 * or refused it, or it took too long).
 */
static int edu_tcp_check(struct edu_route *r)
{
	struct sock *sk = r->sock->sk;

	switch (READ_ONCE(sk->sk_state)) {
	case TCP_ESTABLISHED:
		return 0;
	case TCP_SYN_SENT:
	case TCP_SYN_RECV:
		return time_after(jiffies, r->connect_deadline) ? -ETIMEDOUT :
								  -EINPROGRESS;
	default:
		return sock_error(sk) ?: -EPIPE;
	}
}

/* With route->lock held: connect if needed, then send what is queued. */
static void edu_tcp_flush(struct edu_route *r)
{
	struct edu_event ev;
	int ret = 0;

	if (!r->sock)
		ret = edu_tcp_connect(r);
	if (!ret)
		ret = edu_tcp_check(r);
	if (ret == -EINPROGRESS) {
		edu_route_kick(r, msecs_to_jiffies(EDU_TCP_POLL_MS));
		return;
	}
	if (ret)
		goto fail;

	r->backoff_ms = EDU_BACKOFF_MIN_MS;
	while (r->qlen) {
		ret = edu_sock_send(r->sock, NULL, &r->queue[r->qhead]);
		if (ret == -EAGAIN) {
			/* The collector is slow: its socket buffer is full. */
			edu_route_kick(r, msecs_to_jiffies(EDU_TCP_POLL_MS));
			return;
		}
		if (ret)
			goto fail;
		edu_route_dequeue(r, &ev);
		r->sent++;
	}
	return;

fail:
	r->last_error = -ret;
	edu_sock_close(r);
	edu_route_kick(r, msecs_to_jiffies(r->backoff_ms));
	r->backoff_ms = min(r->backoff_ms * 2, EDU_BACKOFF_MAX_MS);
}

static void edu_tcp_work(struct edu_route *r)
{
	mutex_lock(&r->lock);
	if (r->enabled && r->type == EDU_ROUTE_TCP && r->qlen)
		edu_tcp_flush(r);
	mutex_unlock(&r->lock);
}

static const char *edu_tcp_state(struct edu_route *r)
{
	if (!r->sock)
		return "disconnected";
	switch (READ_ONCE(r->sock->sk->sk_state)) {
	case TCP_ESTABLISHED:
		return "connected";
	case TCP_SYN_SENT:
	case TCP_SYN_RECV:
		return "connecting";
	default:
		return "disconnected";
	}
}

const struct edu_route_ops edu_tcp_ops = {
	.enable = edu_tcp_enable,
	.event = edu_tcp_event,
	.work = edu_tcp_work,
	.disable = edu_sock_close,
	.state = edu_tcp_state,
};
