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

#include <json-c/json.h>

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

/* ENODEV from the kernel is its device lookup failing: exit 3. */
static int nl_fail(struct edu_genl *g, int err, const char *what)
{
	if (g->extack[0])
		fprintf(stderr, "eductl: %s: %s (kernel: %s)\n", what,
			strerror(-err), g->extack);
	else
		fprintf(stderr, "eductl: %s: %s\n", what, strerror(-err));
	return err == -ENODEV ? EXIT_NODEV : EXIT_FAIL;
}

/* No family: the module is not loaded. A failed operation, not a lookup. */
static int nl_open(struct edu_genl *g)
{
	int ret = edu_genl_open(g);

	if (ret == -ENOENT) {
		fprintf(stderr, "eductl: no generic netlink family '%s' (is edu loaded?)\n",
			EDU_GENL_NAME);
		return EXIT_FAIL;
	}
	if (ret)
		return fail(ret, "netlink");
	return EXIT_OK;
}

static void on_device(struct nlattr **tb, void *arg)
{
	const char *fw = tb[EDU_A_FW_VERSION] ? nla_get_string(tb[EDU_A_FW_VERSION]) : "?";
	const char *mode = tb[EDU_A_MSI] && nla_get_u8(tb[EDU_A_MSI]) ? "msi" : "intx";
	struct json_object *o;

	if (!tb[EDU_A_NAME] || !tb[EDU_A_PCI])
		return;
	if (!arg) {
		printf("%s pci %s %s firmware %s\n", nla_get_string(tb[EDU_A_NAME]),
		       nla_get_string(tb[EDU_A_PCI]), mode, fw);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(nla_get_string(tb[EDU_A_NAME])));
	json_object_object_add(o, "pci", json_object_new_string(nla_get_string(tb[EDU_A_PCI])));
	json_object_object_add(o, "mode", json_object_new_string(mode));
	json_object_object_add(o, "firmware", json_object_new_string(fw));
	json_object_array_add(arg, o);
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

static void on_stats(struct nlattr **tb, void *arg)
{
	struct nlattr *st[EDU_A_STAT_MAX + 1];
	int i;

	if (!tb[EDU_A_STATS] ||
	    nla_parse_nested(st, EDU_A_STAT_MAX, tb[EDU_A_STATS], NULL))
		return;
	for (i = EDU_A_STAT_IRQS; i <= EDU_A_STAT_IRQS_DROPPED; i++) {
		if (!st[i])
			continue;
		if (arg)
			json_object_object_add(arg, stat_names[i],
					       json_object_new_uint64(nla_get_u64(st[i])));
		else
			printf("%-16s %" PRIu64 "\n", stat_names[i], nla_get_u64(st[i]));
	}
}

static void on_result(struct nlattr **tb, void *arg)
{
	if (tb[EDU_A_FACT_RESULT])
		*(int64_t *)arg = nla_get_u32(tb[EDU_A_FACT_RESULT]);
}

/* One request about device id (-1: none, a dump); an exit code. */
static int nl_request(int cmd, int id, const char *what, uint32_t arg,
		      edu_genl_reply_fn fn, void *fn_arg)
{
	char name[EDU_NAME_MAX + 8];
	struct edu_genl g;
	struct nl_msg *msg;
	int ret, bad;

	ret = nl_open(&g);
	if (ret)
		return ret;
	msg = edu_genl_msg(&g, cmd, id < 0 ? NLM_F_DUMP : 0);
	if (!msg) {
		edu_genl_close(&g);
		return fail(-ENOMEM, "netlink");
	}
	/* Values go to the kernel as given: its policy is the range check. */
	/* Get asks by name (it can); the others by number. */
	snprintf(name, sizeof(name), "edu%d", id);
	bad = id >= 0 && (cmd == EDU_CMD_GET_DEVICE ? nla_put_string(msg, EDU_A_NAME, name) :
			  nla_put_u32(msg, EDU_A_DEVICE, id));
	if (cmd == EDU_CMD_FACTORIAL)
		bad |= nla_put_u32(msg, EDU_A_FACT_N, arg);
	if (cmd == EDU_CMD_RAISE_IRQ)
		bad |= nla_put_u32(msg, EDU_A_IRQ_BITS, arg);
	ret = bad ? -EMSGSIZE : edu_genl_request(&g, msg, fn, fn_arg);
	nlmsg_free(msg);
	if (ret)
		ret = nl_fail(&g, ret, what);
	edu_genl_close(&g);
	return ret;
}

int nl_factorial(const char *name, unsigned int n, uint32_t *result)
{
	int64_t res = -1;
	unsigned int id = 0;
	int ret;

	ret = nl_device(name, &id);
	if (!ret)
		ret = nl_request(EDU_CMD_FACTORIAL, id, "factorial", n, on_result, &res);
	if (!ret && res < 0)
		ret = fail(-EPROTO, "factorial: no result in the reply");
	*result = (uint32_t)res;
	return ret;
}

/* The words of "nl OP": -h only; want positionals. 0 or exit + 1. */
static int nl_args(int argc, char **argv, int min, int max)
{
	static const struct option opts[] = { OPT_HELP, OPT_END };
	int c = getopt_long(argc, argv, "h", opts, NULL);

	if (c != -1)
		return opt_done(c) + 1;
	if (argc - optind < min || argc - optind > max)
		return usage_error("wrong arguments for nl %s", argv[0]) + 1;
	return 0;
}

static int nl_device_cmd(int argc, char **argv)
{
	struct json_object *arr;
	unsigned int id = 0;
	int ret = nl_args(argc, argv, 0, 1);

	if (ret)
		return ret - 1;
	if (optind < argc && (ret = nl_device(argv[optind], &id)))
		return ret;
	arr = opt_json ? json_object_new_array() : NULL;
	ret = nl_request(EDU_CMD_GET_DEVICE, optind < argc ? (int)id : -1, "device", 0,
			 on_device, arr);
	if (arr && !ret)
		json_print(arr);
	else
		json_object_put(arr);
	return ret;
}

static int nl_stats_cmd(int argc, char **argv)
{
	struct json_object *o;
	unsigned int id = 0;
	int ret = nl_args(argc, argv, 1, 1);

	if (ret)
		return ret - 1;
	ret = nl_device(argv[optind], &id);
	if (ret)
		return ret;
	o = opt_json ? json_object_new_object() : NULL;
	ret = nl_request(EDU_CMD_GET_STATS, id, "stats", 0, on_stats, o);
	if (o && !ret)
		json_print(o);
	else
		json_object_put(o);
	return ret;
}

static int nl_factorial_cmd(int argc, char **argv)
{
	unsigned int n;
	uint32_t result;
	int ret = nl_args(argc, argv, 2, 2);

	if (ret)
		return ret - 1;
	if (edu_parse_uint(argv[optind + 1], ~0u, &n))
		return usage_error("'%s' is not a non-negative number", argv[optind + 1]);
	ret = nl_factorial(argv[optind], n, &result);
	if (ret)
		return ret;
	print_factorial(NULL, "netlink", n, result);
	return EXIT_OK;
}

static int nl_raise_cmd(int argc, char **argv)
{
	unsigned int id = 0;
	uint32_t bits;
	int ret = nl_args(argc, argv, 2, 2);

	if (ret)
		return ret - 1;
	ret = nl_device(argv[optind], &id);
	if (ret)
		return ret;
	if (edu_parse_u32(argv[optind + 1], &bits))
		return usage_error("'%s' is not a 32-bit mask", argv[optind + 1]);
	return nl_request(EDU_CMD_RAISE_IRQ, id, "raise", bits, NULL, NULL);
}

static int nl_reset_cmd(int argc, char **argv)
{
	unsigned int id = 0;
	int ret = nl_args(argc, argv, 1, 1);

	if (ret)
		return ret - 1;
	ret = nl_device(argv[optind], &id);
	if (ret)
		return ret;
	return nl_request(EDU_CMD_RESET_STATS, id, "reset", 0, NULL, NULL);
}

static const struct eductl_cmd nl_subcmds[] = {
	{ "device", "", "", nl_device_cmd },
	{ "stats", "", "", nl_stats_cmd },
	{ "factorial", "", "", nl_factorial_cmd },
	{ "raise", "", "", nl_raise_cmd },
	{ "reset", "", "", nl_reset_cmd },
	{ NULL, NULL, NULL, NULL }
};

/* eductl nl device [eduN] | stats eduN | factorial eduN N | raise eduN BITS | reset eduN */
static int cmd_nl(int argc, char **argv)
{
	return run_subcommand(nl_subcmds, "nl", argc, argv);
}

struct monitor {
	unsigned int seen;
};

/* A multicast event as the record the other channels deliver (lost: 0). */
static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[EDU_A_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct monitor *m = arg;
	struct edu_event ev = { .version = EDU_EVENT_VERSION, .size = sizeof(ev) };

	if (gh->cmd != EDU_CMD_EVENT ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, EDU_A_MAX, NULL) ||
	    !tb[EDU_A_DEVICE] || !tb[EDU_A_EVENT_SEQ])
		return NL_SKIP;
	ev.device = nla_get_u32(tb[EDU_A_DEVICE]);
	ev.seq = nla_get_u64(tb[EDU_A_EVENT_SEQ]);
	if (tb[EDU_A_EVENT_TYPE])
		ev.type = nla_get_u32(tb[EDU_A_EVENT_TYPE]);
	if (tb[EDU_A_EVENT_STATUS])
		ev.irq_status = nla_get_u32(tb[EDU_A_EVENT_STATUS]);
	if (tb[EDU_A_EVENT_VALUE])
		ev.value = nla_get_u32(tb[EDU_A_EVENT_VALUE]);
	if (tb[EDU_A_EVENT_TIME])
		ev.timestamp_ns = nla_get_u64(tb[EDU_A_EVENT_TIME]);
	print_event(&ev);
	m->seen++;
	return NL_OK;
}

/* The uevent's fields: text, or a JSON object (one per line). */
static void put_uevent(const char *dev, const char *seqnum, const char *action,
		       char *pairs, const char *end)
{
	struct json_object *o = NULL;
	char *p;

	if (opt_json) {
		o = json_object_new_object();
		json_object_object_add(o, "device", json_object_new_string(dev));
		json_object_object_add(o, "seq", json_object_new_int64(atoll(seqnum)));
		json_object_object_add(o, "action", json_object_new_string(action));
	} else {
		printf("%s seq %s %s", dev, seqnum, action);
	}
	for (p = pairs; p < end; p += strlen(p) + 1) {
		char *eq = strchr(p, '=');

		if (strncmp(p, "EDU_", 4) || !eq)
			continue;
		if (!o) {
			printf(" %s", p);
			continue;
		}
		*eq = '\0';
		json_object_object_add(o, p, json_object_new_string(eq + 1));
		*eq = '=';
	}
	if (o) {
		json_print(o);
	} else {
		printf("\n");
		fflush(stdout);
	}
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
	put_uevent(name ? name + 1 : devpath, seqnum, action, buf + strlen(buf) + 1, end);
	return 1;
}

static int count_result(unsigned int seen, unsigned int count, const char *what)
{
	if (count && seen < count) {
		fprintf(stderr, "eductl: %u of %u %s before the timeout\n", seen, count,
			what);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* eductl monitor --uevent: the kernel's uevents of class edu, as udev sees them. */
static int monitor_uevents(unsigned int count, unsigned int timeout)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	long long end = timeout ? mono_ms() + timeout * 1000LL : 0;
	unsigned int seen = 0;
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
	while (!count || seen < count) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct sockaddr_nl from;
		socklen_t fromlen = sizeof(from);
		ssize_t n;

		if (poll(&p, 1, ms_left(end)) <= 0)
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
	return count_result(seen, count, "uevents");
}

static int monitor_netlink(unsigned int count, unsigned int timeout)
{
	long long end = timeout ? mono_ms() + timeout * 1000LL : 0;
	struct monitor m = { 0 };
	struct edu_genl g;
	int grp, ret;

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

		if (poll(&p, 1, ms_left(end)) <= 0)
			break;
		nl_recvmsgs_default(g.sk);
	}
	edu_genl_close(&g);
	return count_result(m.seen, count, "events");
}

/*
 * eductl monitor [--uevent] [-n COUNT] [--timeout SEC]: like "ip monitor"
 * or "iw event"; --uevent like "udevadm monitor --kernel".
 */
static int cmd_monitor(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "uevent", no_argument, NULL, 'u' },
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		OPT_HELP, OPT_END
	};
	unsigned int count = 0, timeout = 0;
	bool uevent = false;
	int c;

	while ((c = getopt_long(argc, argv, "hn:t:", opts, NULL)) != -1) {
		if (c == 'u')
			uevent = true;
		else if (c == 'n' || c == 't') {
			if (opt_uint(c == 'n' ? "-n" : "--timeout", optarg, 1000000,
				     c == 'n' ? &count : &timeout))
				return EXIT_USAGE;
		} else {
			return opt_done(c);
		}
	}
	if (optind != argc)
		return usage_error("monitor takes no arguments");
	return uevent ? monitor_uevents(count, timeout) : monitor_netlink(count, timeout);
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
