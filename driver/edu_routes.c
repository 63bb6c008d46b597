// SPDX-License-Identifier: GPL-2.0
/*
 * Event routes (docs/routes.md): configfs objects under
 * /sys/kernel/config/edu/routes/NAME that send device events out through
 * a kernel UDP socket, a kernel TCP connection to a collector, or an upcall
 * to a user-space helper. Everything here runs in process context: events
 * arrive from the device's deferred work, never from the interrupt handler.
 */
#include <linux/configfs.h>
#include <linux/inet.h>
#include <linux/kmod.h>
#include <linux/net.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "edu.h"

#define EDU_ROUTE_QUEUE		64	/* records a TCP or upcall route keeps */
#define EDU_BACKOFF_MIN_MS	100
#define EDU_BACKOFF_MAX_MS	5000
#define EDU_UPCALLS_PER_SEC	20

enum edu_route_type { EDU_ROUTE_NONE, EDU_ROUTE_UDP, EDU_ROUTE_TCP, EDU_ROUTE_UPCALL };

static const char *const edu_route_types[] = {
	[EDU_ROUTE_NONE] = "none",
	[EDU_ROUTE_UDP] = "udp",
	[EDU_ROUTE_TCP] = "tcp",
	[EDU_ROUTE_UPCALL] = "upcall",
};

/* Remote (non-loopback) destinations need this sysctl, root only. */
unsigned int edu_routes_allow_remote;

/**
 * struct edu_route - one configfs route
 * @item: the configfs object; its refcount owns this struct
 * @node: in edu_routes while enabled
 * @lock: configuration, socket and queue (a mutex: sending sleeps)
 * @type, @dest, @mask, @device: configuration, fixed while enabled
 * @enabled: delivering
 * @sock: UDP socket, or TCP connection (NULL while disconnected)
 * @queue: records waiting for a TCP connection or for their upcall, @qlen
 *	of them from @qhead
 * @work: TCP (re)connect and flush, or running the upcalls: slow work kept
 *	off the devices' deferred work; @backoff_ms before the next TCP try
 * @sent, @dropped: records delivered and lost
 * @last_error: errno of the last failure (0: none); for upcalls, the
 *	helper's last exit status is in @last_status
 */
struct edu_route {
	struct config_item item;
	struct list_head node;
	struct mutex lock;		/* everything below */
	enum edu_route_type type;
	struct sockaddr_in dest;
	u32 mask;
	s32 device;
	bool enabled;
	struct socket *sock;
	struct edu_event queue[EDU_ROUTE_QUEUE];
	unsigned int qhead, qlen;
	struct delayed_work work;
	unsigned int backoff_ms;
	struct ratelimit_state upcall_rs;
	s64 sent, dropped;
	s64 last_error;
	s64 last_status;
};

static LIST_HEAD(edu_routes);
static DEFINE_MUTEX(edu_routes_lock);	/* edu_routes; taken before route->lock */

static struct edu_route *to_route(struct config_item *item)
{
	return container_of(item, struct edu_route, item);
}

/* Called with route->lock held. */
static void edu_route_close(struct edu_route *r)
{
	if (r->sock) {
		kernel_sock_shutdown(r->sock, SHUT_RDWR);
		sock_release(r->sock);
		r->sock = NULL;
	}
}

static int edu_route_send(struct edu_route *r, const struct edu_event *ev)
{
	struct kvec vec = { .iov_base = (void *)ev, .iov_len = sizeof(*ev) };
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	int ret;

	if (r->type == EDU_ROUTE_UDP) {
		msg.msg_name = &r->dest;
		msg.msg_namelen = sizeof(r->dest);
	}
	ret = kernel_sendmsg(r->sock, &msg, &vec, 1, sizeof(*ev));
	if (ret == sizeof(*ev))
		return 0;
	return ret < 0 ? ret : -EIO;
}

/* TCP, with route->lock held: connected and the peer still there? */
static bool edu_tcp_alive(struct edu_route *r)
{
	return r->sock && READ_ONCE(r->sock->sk->sk_state) == TCP_ESTABLISHED;
}

/* With route->lock held: keeps a record; a full queue drops its oldest. */
static void edu_route_queue(struct edu_route *r, const struct edu_event *ev)
{
	if (r->qlen == EDU_ROUTE_QUEUE) {
		r->qhead = (r->qhead + 1) % EDU_ROUTE_QUEUE;
		r->qlen--;
		r->dropped++;
	}
	r->queue[(r->qhead + r->qlen) % EDU_ROUTE_QUEUE] = *ev;
	r->qlen++;
}

/* TCP, with route->lock held: connect if needed, then send the queue. */
static void edu_tcp_flush(struct edu_route *r)
{
	int ret;

	if (!edu_tcp_alive(r)) {
		edu_route_close(r);
		ret = sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP,
				       &r->sock);
		if (!ret) {
			ret = kernel_connect(r->sock, (struct sockaddr *)&r->dest,
					     sizeof(r->dest), 0);
			if (ret)
				edu_route_close(r);
		}
		if (ret) {
			r->last_error = -ret;
			schedule_delayed_work(&r->work, msecs_to_jiffies(r->backoff_ms));
			r->backoff_ms = min(r->backoff_ms * 2, EDU_BACKOFF_MAX_MS);
			return;
		}
		r->backoff_ms = EDU_BACKOFF_MIN_MS;
	}
	while (r->qlen) {
		ret = edu_route_send(r, &r->queue[r->qhead]);
		if (ret) {
			r->last_error = -ret;
			edu_route_close(r);
			schedule_delayed_work(&r->work, msecs_to_jiffies(r->backoff_ms));
			return;
		}
		r->qhead = (r->qhead + 1) % EDU_ROUTE_QUEUE;
		r->qlen--;
		r->sent++;
	}
}

/* Runs the helper: "EVENT" then key=value words; a clean environment. */
static void edu_upcall(struct edu_route *r, const struct edu_event *ev)
{
	char path[256], dev[24], type[24], status[24], seq[32], time[40], value[24];
	char *argv[9], *envp[3];
	int ret;

	if (!__ratelimit(&r->upcall_rs)) {
		r->dropped++;
		return;
	}
	edu_upcall_helper_get(path, sizeof(path));
	snprintf(dev, sizeof(dev), "device=%u", ev->device);
	snprintf(type, sizeof(type), "type=%u", ev->type);
	snprintf(status, sizeof(status), "status=0x%08x", ev->irq_status);
	snprintf(seq, sizeof(seq), "seq=%llu", ev->seq);
	snprintf(time, sizeof(time), "time=%llu", ev->timestamp_ns);
	snprintf(value, sizeof(value), "value=%u", ev->value);
	argv[0] = path;
	argv[1] = "event";
	argv[2] = dev;
	argv[3] = type;
	argv[4] = status;
	argv[5] = seq;
	argv[6] = time;
	argv[7] = value;
	argv[8] = NULL;
	envp[0] = "HOME=/";
	envp[1] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	envp[2] = NULL;
	ret = call_usermodehelper(path, argv, envp, UMH_WAIT_PROC);
	if (ret < 0) {
		r->last_error = -ret;
		r->dropped++;
		return;
	}
	/* A wait status: the helper's exit code is its high byte. */
	r->last_status = ret;
	r->sent++;
}

/* Called from each device's deferred work: deliver to every enabled route. */
void edu_routes_event(const struct edu_event *ev)
{
	struct edu_route *r;
	int ret;

	mutex_lock(&edu_routes_lock);
	list_for_each_entry(r, &edu_routes, node) {
		if (!(r->mask & BIT(ev->type)) ||
		    (r->device >= 0 && r->device != ev->device))
			continue;
		mutex_lock(&r->lock);
		switch (r->type) {
		case EDU_ROUTE_UDP:
			ret = edu_route_send(r, ev);
			if (ret) {
				r->dropped++;
				r->last_error = -ret;
			} else {
				r->sent++;
			}
			break;
		case EDU_ROUTE_TCP:
			edu_route_queue(r, ev);
			edu_tcp_flush(r);
			break;
		case EDU_ROUTE_UPCALL:
			/* The helper runs in the route's work, not here. */
			edu_route_queue(r, ev);
			mod_delayed_work(system_wq, &r->work, 0);
			break;
		default:
			break;
		}
		mutex_unlock(&r->lock);
	}
	mutex_unlock(&edu_routes_lock);
}

static void edu_route_work(struct work_struct *work)
{
	struct edu_route *r = container_of(to_delayed_work(work), struct edu_route,
					   work);

	mutex_lock(&r->lock);
	if (r->enabled && r->type == EDU_ROUTE_TCP && r->qlen)
		edu_tcp_flush(r);
	while (r->enabled && r->type == EDU_ROUTE_UPCALL && r->qlen) {
		struct edu_event ev = r->queue[r->qhead];

		r->qhead = (r->qhead + 1) % EDU_ROUTE_QUEUE;
		r->qlen--;
		edu_upcall(r, &ev);
	}
	mutex_unlock(&r->lock);
}

/* Disables a route: out of the list, no work pending, socket closed. */
static void edu_route_disable(struct edu_route *r)
{
	mutex_lock(&edu_routes_lock);
	mutex_lock(&r->lock);
	if (r->enabled)
		list_del_init(&r->node);
	r->enabled = false;
	mutex_unlock(&r->lock);
	mutex_unlock(&edu_routes_lock);

	cancel_delayed_work_sync(&r->work);
	mutex_lock(&r->lock);
	edu_route_close(r);
	mutex_unlock(&r->lock);
}

static int edu_route_enable(struct edu_route *r)
{
	int ret = 0;

	mutex_lock(&edu_routes_lock);
	mutex_lock(&r->lock);
	if (r->enabled)
		goto out;
	if (r->type == EDU_ROUTE_NONE ||
	    (r->type != EDU_ROUTE_UPCALL && !r->dest.sin_port)) {
		ret = -EDESTADDRREQ;
		goto out;
	}
	if (r->type == EDU_ROUTE_UDP) {
		ret = sock_create_kern(&init_net, AF_INET, SOCK_DGRAM, IPPROTO_UDP,
				       &r->sock);
		if (ret)
			goto out;
	}
	r->backoff_ms = EDU_BACKOFF_MIN_MS;
	r->last_error = 0;
	r->enabled = true;
	list_add_tail(&r->node, &edu_routes);
out:
	mutex_unlock(&r->lock);
	mutex_unlock(&edu_routes_lock);
	return ret;
}

/* ---- configfs attributes ------------------------------------------------ */

static ssize_t edu_route_type_show(struct config_item *item, char *page)
{
	return sprintf(page, "%s\n", edu_route_types[to_route(item)->type]);
}

static ssize_t edu_route_type_store(struct config_item *item, const char *page,
				    size_t count)
{
	struct edu_route *r = to_route(item);
	int type = sysfs_match_string(edu_route_types, page);

	if (type <= EDU_ROUTE_NONE)
		return -EINVAL;
	mutex_lock(&r->lock);
	if (r->enabled) {
		mutex_unlock(&r->lock);
		return -EBUSY;
	}
	r->type = type;
	mutex_unlock(&r->lock);
	return count;
}

static ssize_t edu_route_dest_show(struct config_item *item, char *page)
{
	struct edu_route *r = to_route(item);

	if (!r->dest.sin_port)
		return sprintf(page, "\n");
	return sprintf(page, "%pI4:%u\n", &r->dest.sin_addr, ntohs(r->dest.sin_port));
}

/* "A.B.C.D:PORT", loopback unless dev.edu.routes_allow_remote is set. */
static ssize_t edu_route_dest_store(struct config_item *item, const char *page,
				    size_t count)
{
	struct edu_route *r = to_route(item);
	char buf[32], *port;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	u16 p;

	if (count >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, page, count);
	buf[count] = '\0';
	strim(buf);
	port = strrchr(buf, ':');
	if (!port)
		return -EINVAL;
	*port++ = '\0';
	if (!in4_pton(buf, -1, (u8 *)&sin.sin_addr.s_addr, -1, NULL) ||
	    kstrtou16(port, 10, &p) || !p)
		return -EINVAL;
	if (!ipv4_is_loopback(sin.sin_addr.s_addr) && !READ_ONCE(edu_routes_allow_remote))
		return -EPERM;
	sin.sin_port = htons(p);
	mutex_lock(&r->lock);
	if (r->enabled) {
		mutex_unlock(&r->lock);
		return -EBUSY;
	}
	r->dest = sin;
	mutex_unlock(&r->lock);
	return count;
}

static ssize_t edu_route_event_mask_show(struct config_item *item, char *page)
{
	return sprintf(page, "0x%x\n", to_route(item)->mask);
}

static ssize_t edu_route_event_mask_store(struct config_item *item,
					  const char *page, size_t count)
{
	struct edu_route *r = to_route(item);
	u32 mask;
	int ret = kstrtou32(page, 0, &mask);

	if (ret)
		return ret;
	if (!mask)
		return -EINVAL;
	mutex_lock(&r->lock);
	ret = r->enabled ? -EBUSY : 0;
	if (!ret)
		r->mask = mask;
	mutex_unlock(&r->lock);
	return ret ? ret : count;
}

static ssize_t edu_route_device_show(struct config_item *item, char *page)
{
	return sprintf(page, "%d\n", to_route(item)->device);
}

/* N of eduN, or -1 for every device. */
static ssize_t edu_route_device_store(struct config_item *item, const char *page,
				      size_t count)
{
	struct edu_route *r = to_route(item);
	s32 dev;
	int ret = kstrtos32(page, 10, &dev);

	if (ret)
		return ret;
	if (dev < -1 || dev >= EDU_MAX_DEVICES)
		return -ERANGE;
	mutex_lock(&r->lock);
	ret = r->enabled ? -EBUSY : 0;
	if (!ret)
		r->device = dev;
	mutex_unlock(&r->lock);
	return ret ? ret : count;
}

static ssize_t edu_route_enable_show(struct config_item *item, char *page)
{
	return sprintf(page, "%d\n", READ_ONCE(to_route(item)->enabled));
}

static ssize_t edu_route_enable_store(struct config_item *item, const char *page,
				      size_t count)
{
	struct edu_route *r = to_route(item);
	bool on;
	int ret = kstrtobool(page, &on);

	if (ret)
		return ret;
	if (on)
		ret = edu_route_enable(r);
	else
		edu_route_disable(r);
	return ret ? ret : count;
}

/* The read-only counters, read under the route's lock. */
static ssize_t edu_route_show_num(struct config_item *item, char *page,
				  const s64 *value)
{
	struct edu_route *r = to_route(item);
	ssize_t len;

	mutex_lock(&r->lock);
	len = sprintf(page, "%lld\n", *value);
	mutex_unlock(&r->lock);
	return len;
}

static ssize_t edu_route_sent_show(struct config_item *item, char *page)
{
	return edu_route_show_num(item, page, &to_route(item)->sent);
}

static ssize_t edu_route_dropped_show(struct config_item *item, char *page)
{
	return edu_route_show_num(item, page, &to_route(item)->dropped);
}

static ssize_t edu_route_last_error_show(struct config_item *item, char *page)
{
	return edu_route_show_num(item, page, &to_route(item)->last_error);
}

static ssize_t edu_route_last_status_show(struct config_item *item, char *page)
{
	return edu_route_show_num(item, page, &to_route(item)->last_status);
}

CONFIGFS_ATTR(edu_route_, type);
CONFIGFS_ATTR(edu_route_, dest);
CONFIGFS_ATTR(edu_route_, event_mask);
CONFIGFS_ATTR(edu_route_, device);
CONFIGFS_ATTR(edu_route_, enable);
CONFIGFS_ATTR_RO(edu_route_, sent);
CONFIGFS_ATTR_RO(edu_route_, dropped);
CONFIGFS_ATTR_RO(edu_route_, last_error);
CONFIGFS_ATTR_RO(edu_route_, last_status);

static struct configfs_attribute *edu_route_attrs[] = {
	&edu_route_attr_type,
	&edu_route_attr_dest,
	&edu_route_attr_event_mask,
	&edu_route_attr_device,
	&edu_route_attr_enable,
	&edu_route_attr_sent,
	&edu_route_attr_dropped,
	&edu_route_attr_last_error,
	&edu_route_attr_last_status,
	NULL
};

static void edu_route_release(struct config_item *item)
{
	kfree(to_route(item));
}

static struct configfs_item_operations edu_route_item_ops = {
	.release = edu_route_release,
};

static const struct config_item_type edu_route_type = {
	.ct_item_ops = &edu_route_item_ops,
	.ct_attrs = edu_route_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_item *edu_route_make(struct config_group *group,
					  const char *name)
{
	struct edu_route *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return ERR_PTR(-ENOMEM);
	mutex_init(&r->lock);
	INIT_LIST_HEAD(&r->node);
	INIT_DELAYED_WORK(&r->work, edu_route_work);
	ratelimit_state_init(&r->upcall_rs, HZ, EDU_UPCALLS_PER_SEC);
	ratelimit_set_flags(&r->upcall_rs, RATELIMIT_MSG_ON_RELEASE);
	r->mask = ~0U;
	r->device = -1;
	config_item_init_type_name(&r->item, name, &edu_route_type);
	return &r->item;
}

/* rmdir: stops delivery even while events flow, then drops the item. */
static void edu_route_drop(struct config_group *group, struct config_item *item)
{
	edu_route_disable(to_route(item));
	config_item_put(item);
}

static struct configfs_group_operations edu_routes_group_ops = {
	.make_item = edu_route_make,
	.drop_item = edu_route_drop,
};

static const struct config_item_type edu_routes_type = {
	.ct_group_ops = &edu_routes_group_ops,
	.ct_owner = THIS_MODULE,
};

static const struct config_item_type edu_root_type = {
	.ct_owner = THIS_MODULE,
};

static struct config_group edu_routes_group;

static struct configfs_subsystem edu_cfs = {
	.su_group = {
		.cg_item = {
			.ci_namebuf = "edu",
			.ci_type = &edu_root_type,
		},
	},
};

int edu_routes_init(void)
{
	config_group_init(&edu_cfs.su_group);
	mutex_init(&edu_cfs.su_mutex);
	config_group_init_type_name(&edu_routes_group, "routes", &edu_routes_type);
	configfs_add_default_group(&edu_routes_group, &edu_cfs.su_group);
	return configfs_register_subsystem(&edu_cfs);
}

void edu_routes_exit(void)
{
	configfs_unregister_subsystem(&edu_cfs);
}
