// SPDX-License-Identifier: GPL-2.0
/*
 * eductl nl ... | monitor: the generic netlink family "edu", in the manner
 * of iw: requests with the kernel's error message (extack) on failure, and
 * a monitor that prints every event multicast to the group "events", or
 * (--uevent) every uevent of the class edu (docs/uevents.md).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "libedu.h"
#include "eductl.h"

/* Devices are named by number on the wire; the kernel says if one is missing. */
static int nl_device(const char *arg, unsigned int *id)
{
	char name[EDU_NAME_MAX];

	if (edu_parse_devname(arg, name))
		return usage_error("'%s' is not a device name (eduN)", arg);
	*id = (unsigned int)strtoul(name + 3, NULL, 10);
	return EXIT_OK;
}

static int nl_fail(struct edu_genl *g, int err, const char *what)
{
	if (g->extack[0])
		fprintf(stderr, "eductl: %s: %s (kernel: %s)\n", what,
			strerror(-err), g->extack);
	else
		fprintf(stderr, "eductl: %s: %s\n", what, strerror(-err));
	return err == -ENODEV ? EXIT_NODEV : EXIT_FAIL;
}

static int nl_open(struct edu_genl *g)
{
	int ret = edu_genl_open(g);

	if (ret == -ENOENT) {
		fprintf(stderr, "eductl: no generic netlink family '%s' (is edu loaded?)\n",
			EDU_GENL_NAME);
		return EXIT_NODEV;
	}
	if (ret)
		return fail(ret, "netlink");
	return EXIT_OK;
}

static void print_device(struct nlattr **tb, void *arg)
{
	(void)arg;
	if (!tb[EDU_A_NAME] || !tb[EDU_A_PCI])
		return;
	printf("%s pci %s %s firmware %s\n", nla_get_string(tb[EDU_A_NAME]),
	       nla_get_string(tb[EDU_A_PCI]),
	       tb[EDU_A_MSI] && nla_get_u8(tb[EDU_A_MSI]) ? "msi" : "intx",
	       tb[EDU_A_FW_VERSION] ? nla_get_string(tb[EDU_A_FW_VERSION]) : "?");
}

static const char *const stat_names[] = {
	[EDU_A_STAT_IRQS] = "irqs",
	[EDU_A_STAT_IRQS_FACTORIAL] = "irqs_factorial",
	[EDU_A_STAT_IRQS_DMA] = "irqs_dma",
	[EDU_A_STAT_IRQS_OTHER] = "irqs_other",
	[EDU_A_STAT_INJECTED] = "injected",
	[EDU_A_STAT_DMA_TRANSFERS] = "dma_transfers",
	[EDU_A_STAT_DMA_BYTES] = "dma_bytes",
	[EDU_A_STAT_FACTORIALS] = "factorials",
	[EDU_A_STAT_ERRORS] = "errors",
	[EDU_A_STAT_EVENTS_DROPPED] = "events_dropped",
	[EDU_A_STAT_IRQS_SPURIOUS] = "irqs_spurious",
	[EDU_A_STAT_IRQS_DROPPED] = "irqs_dropped",
};

static void print_stats(struct nlattr **tb, void *arg)
{
	struct nlattr *st[EDU_A_STAT_MAX + 1];
	int i;

	(void)arg;
	if (!tb[EDU_A_STATS] ||
	    nla_parse_nested(st, EDU_A_STAT_MAX, tb[EDU_A_STATS], NULL))
		return;
	for (i = EDU_A_STAT_IRQS; i <= EDU_A_STAT_IRQS_DROPPED; i++)
		if (st[i])
			printf("%-16s %" PRIu64 "\n", stat_names[i], nla_get_u64(st[i]));
}

static void print_result(struct nlattr **tb, void *arg)
{
	(void)arg;
	if (tb[EDU_A_FACT_RESULT])
		printf("%u\n", nla_get_u32(tb[EDU_A_FACT_RESULT]));
}

/* eductl nl device [eduN] | stats eduN | factorial eduN N | raise eduN BITS | reset eduN */
static int cmd_nl(int argc, char **argv)
{
	edu_genl_reply_fn fn = NULL;
	char name[EDU_NAME_MAX + 8];
	struct edu_genl g;
	struct nl_msg *msg;
	unsigned int id = 0, n = 0;
	uint32_t bits = 0;
	int cmd, ret, flags = 0;
	const char *op = argc > 1 ? argv[1] : "";

	if (!strcmp(op, "device") && argc <= 3) {
		cmd = EDU_CMD_GET_DEVICE;
		fn = print_device;
		flags = argc == 2 ? NLM_F_DUMP : 0;
	} else if (!strcmp(op, "stats") && argc == 3) {
		cmd = EDU_CMD_GET_STATS;
		fn = print_stats;
	} else if (!strcmp(op, "factorial") && argc == 4) {
		cmd = EDU_CMD_FACTORIAL;
		fn = print_result;
		if (edu_parse_uint(argv[3], ~0u, &n))
			return usage_error("'%s' is not a non-negative number", argv[3]);
	} else if (!strcmp(op, "raise") && argc == 4) {
		cmd = EDU_CMD_RAISE_IRQ;
		if (edu_parse_u32(argv[3], &bits))
			return usage_error("'%s' is not a 32-bit mask", argv[3]);
	} else if (!strcmp(op, "reset") && argc == 3) {
		cmd = EDU_CMD_RESET_STATS;
	} else {
		return usage_error("usage: nl device [eduN] | stats eduN | factorial eduN N"
				   " | raise eduN BITS | reset eduN");
	}
	if (argc >= 3) {
		ret = nl_device(argv[2], &id);
		if (ret)
			return ret;
	}
	ret = nl_open(&g);
	if (ret)
		return ret;
	msg = edu_genl_msg(&g, cmd, flags);
	if (!msg) {
		edu_genl_close(&g);
		return fail(-ENOMEM, "netlink");
	}
	/* Values go to the kernel as given: its policy is the range check. */
	/* Get asks by name (it can); the others by number. */
	snprintf(name, sizeof(name), "edu%u", id);
	if ((argc >= 3 && cmd == EDU_CMD_GET_DEVICE &&
	     nla_put_string(msg, EDU_A_NAME, name)) ||
	    (argc >= 3 && cmd != EDU_CMD_GET_DEVICE && nla_put_u32(msg, EDU_A_DEVICE, id)) ||
	    (cmd == EDU_CMD_FACTORIAL && nla_put_u32(msg, EDU_A_FACT_N, n)) ||
	    (cmd == EDU_CMD_RAISE_IRQ && nla_put_u32(msg, EDU_A_IRQ_BITS, bits))) {
		nlmsg_free(msg);
		edu_genl_close(&g);
		return fail(-EMSGSIZE, "netlink");
	}
	ret = edu_genl_request(&g, msg, fn, NULL);
	nlmsg_free(msg);
	if (ret)
		ret = nl_fail(&g, ret, op);
	edu_genl_close(&g);
	return ret;
}

struct monitor {
	unsigned int seen;
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[EDU_A_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct monitor *m = arg;

	if (gh->cmd != EDU_CMD_EVENT ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, EDU_A_MAX, NULL) ||
	    !tb[EDU_A_DEVICE] || !tb[EDU_A_EVENT_SEQ])
		return NL_SKIP;
	printf("edu%u seq %" PRIu64 " type %u status 0x%08x value %u\n",
	       nla_get_u32(tb[EDU_A_DEVICE]), nla_get_u64(tb[EDU_A_EVENT_SEQ]),
	       tb[EDU_A_EVENT_TYPE] ? nla_get_u32(tb[EDU_A_EVENT_TYPE]) : 0,
	       tb[EDU_A_EVENT_STATUS] ? nla_get_u32(tb[EDU_A_EVENT_STATUS]) : 0,
	       tb[EDU_A_EVENT_VALUE] ? nla_get_u32(tb[EDU_A_EVENT_VALUE]) : 0);
	fflush(stdout);
	m->seen++;
	return NL_OK;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * One uevent datagram: "ACTION@DEVPATH" then NUL-separated KEY=VALUE. An
 * edu one prints as "eduN seq SEQNUM ACTION" and its EDU_* pairs, the way
 * the other watchers print a device's events. 1 if printed, else 0.
 */
static int print_uevent(char *buf, size_t len)
{
	const char *action = NULL, *devpath = NULL, *subsystem = NULL;
	const char *seqnum = "0", *name;
	char *p, *end = buf + len;

	for (p = buf + strlen(buf) + 1; p < end; p += strlen(p) + 1) {
		if (!strncmp(p, "ACTION=", 7))
			action = p + 7;
		else if (!strncmp(p, "DEVPATH=", 8))
			devpath = p + 8;
		else if (!strncmp(p, "SUBSYSTEM=", 10))
			subsystem = p + 10;
		else if (!strncmp(p, "SEQNUM=", 7))
			seqnum = p + 7;
	}
	if (!action || !devpath || !subsystem || strcmp(subsystem, "edu"))
		return 0;
	name = strrchr(devpath, '/');
	printf("%s seq %s %s", name ? name + 1 : devpath, seqnum, action);
	for (p = buf + strlen(buf) + 1; p < end; p += strlen(p) + 1)
		if (!strncmp(p, "EDU_", 4))
			printf(" %s", p);
	printf("\n");
	fflush(stdout);
	return 1;
}

/* eductl monitor --uevent: the kernel's uevents of class edu, as udev sees them. */
static int monitor_uevents(unsigned int count, unsigned int timeout)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	unsigned int seen = 0;
	long long end = 0;
	char buf[8192];
	int fd;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return fail(-errno, "uevent socket");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return fail(-errno, "uevent socket");
	}
	fprintf(stderr, "eductl: monitoring uevents of subsystem edu\n");
	if (timeout)
		end = mono_ms() + timeout * 1000LL;
	while (!count || seen < count) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct sockaddr_nl from;
		socklen_t fromlen = sizeof(from);
		long long left = end ? end - mono_ms() : -1;
		ssize_t n;

		if (end && left <= 0)
			break;
		if (poll(&p, 1, (int)left) <= 0)
			break;
		n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from,
			     &fromlen);
		/* Only the kernel's own messages (not another sender's). */
		if (n <= 0 || from.nl_pid != 0)
			continue;
		buf[n] = '\0';
		seen += print_uevent(buf, n);
	}
	close(fd);
	if (count && seen < count) {
		fprintf(stderr, "eductl: %u of %u uevents before the timeout\n", seen,
			count);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/*
 * eductl monitor [--uevent] [-n COUNT] [--timeout SEC]: like "ip monitor"
 * or "iw event"; --uevent like "udevadm monitor --kernel".
 */
static int cmd_monitor(int argc, char **argv)
{
	unsigned int count = 0, timeout = 0;
	struct monitor m = { 0 };
	bool uevent = false;
	struct edu_genl g;
	int i, grp, ret;

	for (i = 1; i < argc; i++) {
		unsigned int *v = !strcmp(argv[i], "-n") ? &count :
				  !strcmp(argv[i], "--timeout") ? &timeout : NULL;

		if (!strcmp(argv[i], "--uevent")) {
			uevent = true;
			continue;
		}
		if (!v || i + 1 >= argc || edu_parse_uint(argv[i + 1], 1000000, v))
			return usage_error("usage: monitor [--uevent] [-n COUNT] [--timeout SEC]");
		i++;
	}
	if (uevent)
		return monitor_uevents(count, timeout);
	ret = nl_open(&g);
	if (ret)
		return ret;
	grp = genl_ctrl_resolve_grp(g.sk, EDU_GENL_NAME, EDU_GENL_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(g.sk, grp)) {
		edu_genl_close(&g);
		return fail(-ENOENT, "group %s", EDU_GENL_MCGRP_EVENTS);
	}
	nl_socket_disable_seq_check(g.sk);
	nl_socket_modify_cb(g.sk, NL_CB_VALID, NL_CB_CUSTOM, on_event, &m);
	fprintf(stderr, "eductl: monitoring %s/%s\n", EDU_GENL_NAME,
		EDU_GENL_MCGRP_EVENTS);
	while (!count || m.seen < count) {
		struct pollfd p = { .fd = nl_socket_get_fd(g.sk), .events = POLLIN };

		ret = poll(&p, 1, timeout ? (int)timeout * 1000 : -1);
		if (ret <= 0)
			break;
		nl_recvmsgs_default(g.sk);
	}
	edu_genl_close(&g);
	if (count && m.seen < count) {
		fprintf(stderr, "eductl: %u of %u events before the timeout\n", m.seen,
			count);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

const struct eductl_cmd netlink_cmds[] = {
	{ "nl", "device [eduN]", "devices through generic netlink (dump or one)", cmd_nl },
	{ "nl", "stats|reset eduN", "statistics; reset them (admin)", cmd_nl },
	{ "nl", "factorial eduN N", "compute N! through netlink", cmd_nl },
	{ "nl", "raise eduN BITS", "inject interrupt BITS (admin)", cmd_nl },
	{ "monitor", "[--uevent] [-n N] [--timeout S]",
	  "print netlink events (or the device's uevents) as they arrive", cmd_monitor },
	{ NULL, NULL, NULL, NULL }
};
