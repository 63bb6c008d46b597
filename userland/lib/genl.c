// SPDX-License-Identifier: MIT
/*
 * The edu generic netlink family from user space, on libnl-3/libnl-genl-3:
 * resolve the family, send one request, collect replies, and turn an
 * error into its errno and extack message.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "libedu.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static int genl_debug;

void edu_genl_set_debug(int on)
{
	genl_debug = on;
}

/* --debug, as iw's: every message in and out, on stderr (stdout may be JSON). */
static int dump_msg(struct nl_msg *msg, void *arg)
{
	(void)arg;
	nl_msg_dump(msg, stderr);
	return NL_OK;
}

static void set_debug(struct nl_cb *cb)
{
	if (!genl_debug)
		return;
	nl_cb_set(cb, NL_CB_MSG_IN, NL_CB_CUSTOM, dump_msg, NULL);
	nl_cb_set(cb, NL_CB_MSG_OUT, NL_CB_CUSTOM, dump_msg, NULL);
}

int edu_genl_open(struct edu_genl *g)
{
	int one = 1;

	memset(g, 0, sizeof(*g));
	g->sk = nl_socket_alloc();
	if (!g->sk)
		return -ENOMEM;
	if (genl_debug) {
		nl_socket_modify_cb(g->sk, NL_CB_MSG_IN, NL_CB_CUSTOM, dump_msg, NULL);
		nl_socket_modify_cb(g->sk, NL_CB_MSG_OUT, NL_CB_CUSTOM, dump_msg, NULL);
	}
	if (genl_connect(g->sk))
		goto err;
	/* Error messages (extack) in acks, without the request echoed. */
	setsockopt(nl_socket_get_fd(g->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	setsockopt(nl_socket_get_fd(g->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one,
		   sizeof(one));
	g->family = genl_ctrl_resolve(g->sk, EDU_GENL_NAME);
	if (g->family < 0) {
		nl_socket_free(g->sk);
		return -ENOENT;
	}
	return 0;
err:
	nl_socket_free(g->sk);
	return -ECONNREFUSED;
}

void edu_genl_close(struct edu_genl *g)
{
	nl_socket_free(g->sk);
}

struct request {
	struct edu_genl *g;
	edu_genl_reply_fn fn;
	void *arg;
	int done, error;
};

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct request *r = arg;
	struct nlattr *tb[EDU_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, EDU_A_MAX, NULL))
		return NL_SKIP;
	if (r->fn)
		r->fn(tb, r->arg);
	return NL_OK;
}

/* An error carries the kernel's message after the nlmsgerr (capped ack). */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);
	struct request *r = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int len = nlh->nlmsg_len - NLMSG_HDRLEN - sizeof(*err);

	(void)nla;
	r->error = err->error;
	r->done = 1;
	r->g->extack[0] = '\0';
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && (nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    len > 0 &&
	    !nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)(err + 1), len, NULL) &&
	    tb[NLMSGERR_ATTR_MSG])
		snprintf(r->g->extack, sizeof(r->g->extack), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct request *r = arg;

	(void)msg;
	r->done = 1;
	return NL_STOP;
}

int edu_genl_request(struct edu_genl *g, struct nl_msg *msg,
		     edu_genl_reply_fn fn, void *arg)
{
	struct request r = { .g = g, .fn = fn, .arg = arg };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb)
		return -ENOMEM;
	g->extack[0] = '\0';
	set_debug(cb);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &r);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &r);
	ret = nl_send_auto(g->sk, msg);
	while (ret >= 0 && !r.done)
		ret = nl_recvmsgs(g->sk, cb);
	nl_cb_put(cb);
	if (ret < 0 && !r.error)
		return -EIO;
	return r.error;
}

struct nl_msg *edu_genl_msg(struct edu_genl *g, int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g->family, 0, flags,
				cmd, EDU_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}
