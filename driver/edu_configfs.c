// SPDX-License-Identifier: GPL-2.0
/*
 * configfs: /sys/kernel/config/edu/routes/NAME, one event route per
 * directory (docs/routes.md). User space creates the object with mkdir,
 * configures it through attribute files, and enables it; rmdir ends it.
 * The transports live in edu_socket.c and edu_upcall.c; this file owns the
 * objects, their attributes and the hand-over of events to them.
 */
#include <linux/configfs.h>
#include <linux/inet.h>
#include <linux/slab.h>

#include "edu_route.h"
#include "edu_trace.h"

static const char *const edu_route_types[] = {
	[EDU_ROUTE_NONE] = "none",
	[EDU_ROUTE_UDP] = "udp",
	[EDU_ROUTE_TCP] = "tcp",
	[EDU_ROUTE_UPCALL] = "upcall",
};

static const struct edu_route_ops *const edu_route_ops[] = {
	[EDU_ROUTE_UDP] = &edu_udp_ops,
	[EDU_ROUTE_TCP] = &edu_tcp_ops,
	[EDU_ROUTE_UPCALL] = &edu_upcall_ops,
};

/* Remote (non-loopback) destinations need this sysctl, root only. */
unsigned int edu_routes_allow_remote;

static LIST_HEAD(edu_routes);
static DEFINE_MUTEX(edu_routes_lock);	/* edu_routes; taken before route->lock */
/* Routes in edu_routes: changed under edu_routes_lock, read without it. */
static atomic_t edu_routes_enabled = ATOMIC_INIT(0);

/* Any context: an event now would reach a route, or might. */
bool edu_routes_wanted(void)
{
	return atomic_read(&edu_routes_enabled) > 0;
}

static struct edu_route *to_route(struct config_item *item)
{
	return container_of(item, struct edu_route, item);
}

/* With route->lock held: keeps a record; a full queue drops its oldest. */
void edu_route_queue(struct edu_route *r, const struct edu_event *ev)
{
	if (r->qlen == EDU_ROUTE_QUEUE) {
		r->qhead = (r->qhead + 1) % EDU_ROUTE_QUEUE;
		r->qlen--;
		r->dropped++;
	}
	r->queue[(r->qhead + r->qlen) % EDU_ROUTE_QUEUE] = *ev;
	r->qlen++;
}

/* With route->lock held: takes the oldest record, if any. */
bool edu_route_dequeue(struct edu_route *r, struct edu_event *ev)
{
	if (!r->qlen)
		return false;
	*ev = r->queue[r->qhead];
	r->qhead = (r->qhead + 1) % EDU_ROUTE_QUEUE;
	r->qlen--;
	return true;
}

/*
 * Runs the route's work after @delay, unless it is already due earlier.
 * Queued work holds a reference to the route: disabling never waits for it.
 */
void edu_route_kick(struct edu_route *r, unsigned long delay)
{
	config_item_get(&r->item);
	if (!queue_delayed_work(edu_wq, &r->work, delay))
		config_item_put(&r->item);	/* already queued: it has one */
}

/* Called from each device's deferred work: hand over to every match. */
void edu_routes_event(const struct edu_event *ev)
{
	struct edu_route *r;

	mutex_lock(&edu_routes_lock);
	list_for_each_entry(r, &edu_routes, node) {
		if (!(r->mask & BIT(ev->type)) ||
		    (r->device >= 0 && r->device != ev->device))
			continue;
		mutex_lock(&r->lock);
		r->ops->event(r, ev);
		trace_edu_event_route(config_item_name(&r->item), ev->device,
				      ev->seq, r->qlen, r->sent, r->dropped);
		mutex_unlock(&r->lock);
	}
	mutex_unlock(&edu_routes_lock);
}

/* May drop the last reference: nothing touches the route after it. */
static void edu_route_work(struct work_struct *work)
{
	struct edu_route *r = container_of(to_delayed_work(work), struct edu_route,
					   work);

	READ_ONCE(r->ops)->work(r);
	config_item_put(&r->item);
}

/*
 * Out of the list (no new events), the transport's wait cut short (a
 * running helper is killed), pending work cancelled; records not delivered
 * are counted as dropped. A work that is running finds the route disabled
 * under its lock and stops; disabling does not wait for it, so neither a
 * helper nor anything else can make it hang, not even a helper that
 * disables its own route.
 */
static void edu_route_disable(struct edu_route *r)
{
	bool was;

	mutex_lock(&r->switch_lock);
	mutex_lock(&edu_routes_lock);
	mutex_lock(&r->lock);
	was = r->enabled;
	if (was) {
		list_del_init(&r->node);
		atomic_dec(&edu_routes_enabled);
	}
	r->enabled = false;
	mutex_unlock(&r->lock);
	mutex_unlock(&edu_routes_lock);
	if (was) {
		if (r->ops->stop)
			r->ops->stop(r);
		if (cancel_delayed_work(&r->work))
			config_item_put(&r->item);
		mutex_lock(&r->lock);
		if (r->ops->disable)
			r->ops->disable(r);
		r->dropped += r->qlen;
		r->qlen = 0;
		mutex_unlock(&r->lock);
	}
	mutex_unlock(&r->switch_lock);
}

static int edu_route_enable(struct edu_route *r)
{
	int ret = 0;

	mutex_lock(&r->switch_lock);
	mutex_lock(&edu_routes_lock);
	mutex_lock(&r->lock);
	if (r->enabled)
		goto out;
	if (r->type == EDU_ROUTE_NONE ||
	    (r->type != EDU_ROUTE_UPCALL && !r->dest.sin_port)) {
		ret = -EDESTADDRREQ;
		goto out;
	}
	WRITE_ONCE(r->ops, edu_route_ops[r->type]);
	r->last_error = 0;
	ret = r->ops->enable(r);
	if (ret)
		goto out;
	r->enabled = true;
	list_add_tail(&r->node, &edu_routes);
	atomic_inc(&edu_routes_enabled);
out:
	mutex_unlock(&r->lock);
	mutex_unlock(&edu_routes_lock);
	mutex_unlock(&r->switch_lock);
	return ret;
}

/*
 * A configuration change: privileged, refused while enabled. Returns with
 * the route's lock held on success.
 */
static int edu_route_change(struct edu_route *r)
{
	if (!edu_capable())
		return -EPERM;
	mutex_lock(&r->lock);
	if (r->enabled) {
		mutex_unlock(&r->lock);
		return -EBUSY;
	}
	return 0;
}

/* ---- attributes ---------------------------------------------------------- */

static ssize_t edu_route_type_show(struct config_item *item, char *page)
{
	return sprintf(page, "%s\n", edu_route_types[to_route(item)->type]);
}

static ssize_t edu_route_type_store(struct config_item *item, const char *page,
				    size_t count)
{
	struct edu_route *r = to_route(item);
	int type = sysfs_match_string(edu_route_types, page);
	int ret;

	if (type <= EDU_ROUTE_NONE)
		return -EINVAL;
	ret = edu_route_change(r);
	if (ret)
		return ret;
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
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char buf[32], *port;
	u16 p;
	int ret;

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
	ret = edu_route_change(r);
	if (ret)
		return ret;
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
	ret = edu_route_change(r);
	if (ret)
		return ret;
	r->mask = mask;
	mutex_unlock(&r->lock);
	return count;
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
	ret = edu_route_change(r);
	if (ret)
		return ret;
	r->device = dev;
	mutex_unlock(&r->lock);
	return count;
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
	if (!edu_capable())
		return -EPERM;
	if (on)
		ret = edu_route_enable(r);
	else
		edu_route_disable(r);
	return ret ? ret : count;
}

/* The read-only counters, read under the route's lock (never held long). */
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

static ssize_t edu_route_queued_show(struct config_item *item, char *page)
{
	struct edu_route *r = to_route(item);
	ssize_t len;

	mutex_lock(&r->lock);
	len = sprintf(page, "%u\n", r->qlen);
	mutex_unlock(&r->lock);
	return len;
}

/* "disabled", or the transport's own word: "ready", "connected", ... */
static ssize_t edu_route_state_show(struct config_item *item, char *page)
{
	struct edu_route *r = to_route(item);
	ssize_t len;

	mutex_lock(&r->lock);
	len = sprintf(page, "%s\n", r->enabled ? r->ops->state(r) : "disabled");
	mutex_unlock(&r->lock);
	return len;
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
CONFIGFS_ATTR_RO(edu_route_, queued);
CONFIGFS_ATTR_RO(edu_route_, state);

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
	&edu_route_attr_queued,
	&edu_route_attr_state,
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
	struct edu_route *r;

	if (!edu_capable())
		return ERR_PTR(-EPERM);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	mutex_init(&r->switch_lock);
	mutex_init(&r->lock);
	INIT_LIST_HEAD(&r->node);
	INIT_DELAYED_WORK(&r->work, edu_route_work);
	edu_upcall_route_init(r);
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
