// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "edu" (docs/netlink.md): requests about devices,
 * and every device event multicast to the group "events". Attributes are
 * validated by strict policies; errors say what was wrong in extack.
 * Commands that use the device's engines or change its state need the
 * driver's one privilege, CAP_SYS_ADMIN, as on every other channel
 * (docs/privileges.md); looking, and listening to events, need none.
 * Operations run in parallel (no genl_mutex): a factorial waits for the
 * device, and must not hold up every other family meanwhile.
 */
#include <net/genetlink.h>

#include "edu.h"
#include "edu_trace.h"

enum { EDU_MCGRP_EVENTS };

static const struct genl_multicast_group edu_mcgrps[] = {
	[EDU_MCGRP_EVENTS] = { .name = EDU_GENL_MCGRP_EVENTS },
};

static const struct nla_policy edu_policy[EDU_A_MAX + 1] = {
	[EDU_A_DEVICE] = { .type = NLA_U32 },
	[EDU_A_NAME] = { .type = NLA_NUL_STRING, .len = 15 },
	[EDU_A_FACT_N] = NLA_POLICY_MAX(NLA_U32, EDU_FACTORIAL_MAX),
	[EDU_A_IRQ_BITS] = NLA_POLICY_MIN(NLA_U32, 1),
};

static struct genl_family edu_family;

/* The driver's privilege, of the socket's opener and of the sender. */
static int edu_nl_privileged(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack, "needs CAP_SYS_ADMIN");
	return -EPERM;
}

/* A required attribute: missing is -EINVAL, named in extack. */
static int edu_nl_require(struct genl_info *info, int attr)
{
	if (info->attrs[attr])
		return 0;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, attr);
	/* NL_SET_ERR_MSG() wants a literal for each message. */
	switch (attr) {
	case EDU_A_DEVICE:
		NL_SET_ERR_MSG(info->extack, "missing attribute: device");
		break;
	case EDU_A_FACT_N:
		NL_SET_ERR_MSG(info->extack, "missing attribute: fact_n");
		break;
	case EDU_A_IRQ_BITS:
		NL_SET_ERR_MSG(info->extack, "missing attribute: irq_bits");
		break;
	}
	return -EINVAL;
}

/*
 * The device a request names, by number (EDU_A_DEVICE) or by name
 * (EDU_A_NAME, "eduN"), referenced; extack says what is wrong.
 */
static struct edu_dev *edu_nl_device(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[EDU_A_DEVICE];
	struct edu_dev *edu = NULL;
	const char *name;
	u32 id;

	if (!attr && info->attrs[EDU_A_NAME]) {
		attr = info->attrs[EDU_A_NAME];
		name = nla_data(attr);
		if (!strncmp(name, "edu", 3) && !kstrtou32(name + 3, 10, &id))
			edu = edu_get_by_id(id);
	} else if (!edu_nl_require(info, EDU_A_DEVICE)) {
		edu = edu_get_by_id(nla_get_u32(attr));
	} else {
		return ERR_PTR(-EINVAL);
	}
	if (!edu) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such edu device");
		return ERR_PTR(-ENODEV);
	}
	return edu;
}

static int edu_nl_fill_device(struct sk_buff *skb, struct edu_dev *edu,
			      u32 portid, u32 seq, int flags)
{
	char fw[16];
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &edu_family, flags, EDU_CMD_GET_DEVICE);
	if (!hdr)
		return -EMSGSIZE;
	edu_fw_version_str(edu, fw, sizeof(fw));
	if (nla_put_u32(skb, EDU_A_DEVICE, edu->id) ||
	    nla_put_string(skb, EDU_A_NAME, dev_name(&edu->dev)) ||
	    nla_put_string(skb, EDU_A_PCI, pci_name(edu->pdev)) ||
	    nla_put_u8(skb, EDU_A_MSI, edu->msi) ||
	    nla_put_string(skb, EDU_A_FW_VERSION, fw)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Replies with one message built by fill(); the common doit shape. */
static int edu_nl_reply(struct genl_info *info, struct edu_dev *edu,
			int (*fill)(struct sk_buff *skb, struct edu_dev *edu,
				    u32 portid, u32 seq, int flags))
{
	struct sk_buff *msg;
	int ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = fill(msg, edu, info->snd_portid, info->snd_seq, 0);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int edu_nl_get_device(struct sk_buff *skb, struct genl_info *info)
{
	struct edu_dev *edu = edu_nl_device(info);
	int ret;

	if (IS_ERR(edu))
		return PTR_ERR(edu);
	ret = edu_nl_reply(info, edu, edu_nl_fill_device);
	put_device(&edu->dev);
	return ret;
}

/* cb->args[0]: how many devices were dumped already. */
static int edu_nl_dump_devices(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct edu_dev *edu;

	while ((edu = edu_get_nth(cb->args[0]))) {
		int ret = edu_nl_fill_device(skb, edu, NETLINK_CB(cb->skb).portid,
					     cb->nlh->nlmsg_seq, NLM_F_MULTI);

		put_device(&edu->dev);
		if (ret)
			break;
		cb->args[0]++;
	}
	return skb->len;
}

static int edu_nl_fill_stats(struct sk_buff *skb, struct edu_dev *edu,
			     u32 portid, u32 seq, int flags)
{
	struct edu_stats st;
	struct nlattr *nest;
	const u64 *v = (const u64 *)&st;
	void *hdr;
	int i;

	hdr = genlmsg_put(skb, portid, seq, &edu_family, flags, EDU_CMD_GET_STATS);
	if (!hdr)
		return -EMSGSIZE;
	edu_stats_read(edu, &st);
	if (nla_put_u32(skb, EDU_A_DEVICE, edu->id))
		goto err;
	/* The nest holds EDU_A_STAT_* only: its own attribute space. */
	nest = nla_nest_start(skb, EDU_A_STATS);
	if (!nest)
		goto err;
	/* The attribute numbers follow struct edu_stats' field order. */
	for (i = 0; i < EDU_A_STAT_PAD - 1; i++)
		if (nla_put_u64_64bit(skb, EDU_A_STAT_IRQS + i, v[i], EDU_A_STAT_PAD))
			goto err;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
err:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int edu_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct edu_dev *edu = edu_nl_device(info);
	int ret;

	if (IS_ERR(edu))
		return PTR_ERR(edu);
	ret = edu_nl_reply(info, edu, edu_nl_fill_stats);
	put_device(&edu->dev);
	return ret;
}

static int edu_nl_factorial(struct sk_buff *skb, struct genl_info *info)
{
	struct edu_dev *edu;
	struct sk_buff *msg;
	u32 result;
	void *hdr;
	int ret;

	ret = edu_nl_privileged(skb, info);
	if (ret)
		return ret;
	edu = edu_nl_device(info);
	if (IS_ERR(edu))
		return PTR_ERR(edu);
	ret = edu_nl_require(info, EDU_A_FACT_N);
	if (!ret)
		ret = edu_enter(edu);
	if (ret)
		goto out;
	ret = edu_factorial(edu, nla_get_u32(info->attrs[EDU_A_FACT_N]), &result);
	edu_leave(edu);
	if (ret)
		goto out;

	ret = -ENOMEM;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &edu_family, 0, EDU_CMD_FACTORIAL);
	if (!hdr || nla_put_u32(msg, EDU_A_DEVICE, edu->id) ||
	    nla_put_u32(msg, EDU_A_FACT_RESULT, result)) {
		nlmsg_free(msg);
		ret = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out:
	put_device(&edu->dev);
	return ret;
}

static int edu_nl_raise_irq(struct sk_buff *skb, struct genl_info *info)
{
	struct edu_dev *edu;
	int ret;

	ret = edu_nl_privileged(skb, info);
	if (ret)
		return ret;
	edu = edu_nl_device(info);
	if (IS_ERR(edu))
		return PTR_ERR(edu);
	ret = edu_nl_require(info, EDU_A_IRQ_BITS);
	if (!ret)
		ret = edu_enter(edu);
	if (!ret) {
		ret = edu_raise_irq(edu, nla_get_u32(info->attrs[EDU_A_IRQ_BITS]));
		edu_leave(edu);
	}
	put_device(&edu->dev);
	return ret;
}

static int edu_nl_reset_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct edu_dev *edu;
	atomic64_t *c;
	int ret;

	ret = edu_nl_privileged(skb, info);
	if (ret)
		return ret;
	edu = edu_nl_device(info);
	if (IS_ERR(edu))
		return PTR_ERR(edu);
	/* Under the lock the drops are counted under: their parts stay a sum. */
	spin_lock_irq(&edu->events_lock);
	for (c = (atomic64_t *)&edu->stats;
	     c < (atomic64_t *)(&edu->stats + 1); c++)
		atomic64_set(c, 0);
	atomic_set(&edu->deferred_dropped, 0);
	spin_unlock_irq(&edu->events_lock);
	put_device(&edu->dev);
	return 0;
}

static const struct genl_small_ops edu_ops[] = {
	{
		.cmd = EDU_CMD_GET_DEVICE,
		.doit = edu_nl_get_device,
		.dumpit = edu_nl_dump_devices,
	},
	{
		.cmd = EDU_CMD_GET_STATS,
		.doit = edu_nl_get_stats,
	},
	{
		.cmd = EDU_CMD_FACTORIAL,
		.doit = edu_nl_factorial,
	},
	{
		.cmd = EDU_CMD_RAISE_IRQ,
		.doit = edu_nl_raise_irq,
	},
	{
		.cmd = EDU_CMD_RESET_STATS,
		.doit = edu_nl_reset_stats,
	},
};

static struct genl_family edu_family __ro_after_init = {
	.name = EDU_GENL_NAME,
	.version = EDU_GENL_VERSION,
	.maxattr = EDU_A_MAX,
	.policy = edu_policy,
	.netnsok = false,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = edu_ops,
	.n_small_ops = ARRAY_SIZE(edu_ops),
	/* Every command is new: strict header and attribute validation. */
	.resv_start_op = EDU_CMD_GET_DEVICE,
	.mcgrps = edu_mcgrps,
	.n_mcgrps = ARRAY_SIZE(edu_mcgrps),
};

/* Builds and multicasts one event: 0, or -ESRCH with no listener. */
static int edu_netlink_send(const struct edu_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&edu_family, &init_net, EDU_MCGRP_EVENTS))
		return -ESRCH;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, 0, 0, &edu_family, 0, EDU_CMD_EVENT);
	if (!hdr || nla_put_u32(msg, EDU_A_DEVICE, ev->device) ||
	    nla_put_u32(msg, EDU_A_EVENT_TYPE, ev->type) ||
	    nla_put_u32(msg, EDU_A_EVENT_STATUS, ev->irq_status) ||
	    nla_put_u64_64bit(msg, EDU_A_EVENT_SEQ, ev->seq, EDU_A_PAD) ||
	    nla_put_u64_64bit(msg, EDU_A_EVENT_TIME, ev->timestamp_ns, EDU_A_PAD) ||
	    nla_put_u32(msg, EDU_A_EVENT_VALUE, ev->value)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_multicast(&edu_family, msg, 0, EDU_MCGRP_EVENTS, GFP_KERNEL);
}

/* Any context: someone listens to "events" now. */
bool edu_netlink_wanted(void)
{
	return genl_has_listeners(&edu_family, &init_net, EDU_MCGRP_EVENTS);
}

/* Multicasts one event to "events"; from the deferred work, never an IRQ. */
void edu_netlink_event(struct edu_dev *edu, const struct edu_event *ev)
{
	int ret = edu_netlink_send(ev);

	trace_edu_event_deliver(edu->id, ev->seq, EDU_TR_CH_NETLINK, 0, ret, 0, 0);
}

int edu_netlink_init(void)
{
	return genl_register_family(&edu_family);
}

void edu_netlink_exit(void)
{
	genl_unregister_family(&edu_family);
}
