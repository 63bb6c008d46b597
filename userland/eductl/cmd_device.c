// SPDX-License-Identifier: GPL-2.0
/*
 * eductl list | info | factorial: the device as the PCI core and sysfs see
 * it, and the factorial through each channel that computes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <json-c/json.h>

#include "libedu.h"
#include "eductl.h"

#define MAX_DEVS 64

/* A plain command: only -h; 0 when the caller goes on, else an exit code + 1. */
static int no_options(int argc, char **argv)
{
	static const struct option opts[] = { OPT_HELP, OPT_END };
	int c = getopt_long(argc, argv, "h", opts, NULL);

	return c == -1 ? 0 : opt_done(c) + 1;
}

static int scan(struct edu_pci *devs)
{
	int n = edu_discover(devs, MAX_DEVS);

	if (n == -EIO)
		fprintf(stderr, "eductl: libpci: %s\n", edu_pci_error());
	else if (n < 0)
		fail(n, "PCI scan");
	return n < MAX_DEVS ? n : MAX_DEVS;
}

static struct json_object *pci_json(const struct edu_pci *d)
{
	struct json_object *o = json_object_new_object();
	char id[16];

	json_object_object_add(o, "name", d->name[0] ? json_object_new_string(d->name) : NULL);
	json_object_object_add(o, "pci", json_object_new_string(d->bdf));
	snprintf(id, sizeof(id), "%04x:%04x", d->vendor, d->device);
	json_object_object_add(o, "id", json_object_new_string(id));
	snprintf(id, sizeof(id), "%04x:%04x", d->subvendor, d->subdevice);
	json_object_object_add(o, "subsystem", json_object_new_string(id));
	snprintf(id, sizeof(id), "%06x", d->class_code);
	json_object_object_add(o, "class", json_object_new_string(id));
	json_object_object_add(o, "revision", json_object_new_int(d->revision));
	json_object_object_add(o, "irq", json_object_new_int(d->irq));
	json_object_object_add(o, "driver",
			       d->driver[0] ? json_object_new_string(d->driver) : NULL);
	return o;
}

static int cmd_list(int argc, char **argv)
{
	struct edu_pci devs[MAX_DEVS];
	struct json_object *arr;
	int n, i, ret;

	ret = no_options(argc, argv);
	if (ret)
		return ret - 1;
	if (optind != argc)
		return usage_error("list takes no arguments");
	n = scan(devs);
	if (n < 0)
		return EXIT_FAIL;
	if (n == 0)
		return nodev("no edu device on the PCI bus");
	if (opt_json) {
		arr = json_object_new_array();
		for (i = 0; i < n; i++)
			json_object_array_add(arr, pci_json(&devs[i]));
		json_print(arr);
		return EXIT_OK;
	}
	for (i = 0; i < n; i++)
		printf("%-6s %s %04x:%04x rev %02x irq %d driver %s\n",
		       devs[i].name[0] ? devs[i].name : "-", devs[i].bdf,
		       devs[i].vendor, devs[i].device, devs[i].revision,
		       devs[i].irq, devs[i].driver[0] ? devs[i].driver : "-");
	return EXIT_OK;
}

static void attr_or_unknown(const char *name, const char *attr, char *val, size_t len)
{
	if (edu_attr_read(name, attr, val, len))
		snprintf(val, len, "?");
}

static struct json_object *info_json(const struct edu_pci *d)
{
	struct json_object *o = pci_json(d);
	char val[64], node[32];

	if (!d->name[0])
		return o;
	snprintf(node, sizeof(node), "/dev/%s", d->name);
	json_object_object_add(o, "node", json_object_new_string(node));
	attr_or_unknown(d->name, "identification", val, sizeof(val));
	json_object_object_add(o, "identification", json_object_new_string(val));
	attr_or_unknown(d->name, "interrupt_mode", val, sizeof(val));
	json_object_object_add(o, "interrupt_mode", json_object_new_string(val));
	return o;
}

static void print_info(const struct edu_pci *d)
{
	char val[64];

	printf("%s\n", d->name[0] ? d->name : "(not bound to edu)");
	printf("  %-16s %s\n", "pci", d->bdf);
	printf("  %-16s %04x:%04x rev %02x\n", "id", d->vendor, d->device,
	       d->revision);
	printf("  %-16s %04x:%04x\n", "subsystem", d->subvendor, d->subdevice);
	printf("  %-16s %06x\n", "class", d->class_code);
	printf("  %-16s %d\n", "irq", d->irq);
	printf("  %-16s %s\n", "driver", d->driver[0] ? d->driver : "-");
	if (!d->name[0])
		return;
	printf("  %-16s /dev/%s\n", "node", d->name);
	attr_or_unknown(d->name, "identification", val, sizeof(val));
	printf("  %-16s %s\n", "identification", val);
	attr_or_unknown(d->name, "interrupt_mode", val, sizeof(val));
	printf("  %-16s %s\n", "interrupt_mode", val);
}

static int cmd_info(int argc, char **argv)
{
	struct edu_pci devs[MAX_DEVS];
	struct json_object *arr;
	int n, i, ret;

	ret = no_options(argc, argv);
	if (ret)
		return ret - 1;
	if (argc - optind > 1)
		return usage_error("info takes at most one device");
	n = scan(devs);
	if (n < 0)
		return EXIT_FAIL;
	if (optind < argc) {
		char name[EDU_NAME_MAX];

		if (edu_parse_devname(argv[optind], name))
			return usage_error("'%s' is not a device name (eduN)",
					   argv[optind]);
		for (i = 0; i < n && strcmp(devs[i].name, name); i++)
			;
		if (i == n)
			return nodev("%s", name);
		devs[0] = devs[i];
		n = 1;
	}
	if (n == 0)
		return nodev("no edu device on the PCI bus");
	if (!opt_json) {
		for (i = 0; i < n; i++)
			print_info(&devs[i]);
		return EXIT_OK;
	}
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, info_json(&devs[i]));
	json_print(arr);
	return EXIT_OK;
}

/* The factorial through one channel: 0 or -errno. */
static int factorial_sysfs(const char *name, unsigned int n, uint32_t *result)
{
	char val[32], arg[16];
	int ret;

	snprintf(arg, sizeof(arg), "%u", n);
	ret = edu_attr_write(name, "factorial", arg);
	if (!ret)
		ret = edu_attr_read(name, "factorial", val, sizeof(val));
	if (!ret && edu_parse_u32(val, result))
		ret = -EIO;
	return ret;
}

static int factorial_dev(const char *name, unsigned int n, uint32_t *result,
			 int uring)
{
	struct edu_factorial f = { .n = n };
	int fd, ret;

	fd = edu_open_dev(name, O_RDWR);
	if (fd < 0)
		return fd;
	if (uring) {
		ret = edu_uring_factorial(fd, n, result);
	} else {
		ret = ioctl(fd, EDU_IOC_FACTORIAL, &f) ? -errno : 0;
		*result = f.result;
	}
	close(fd);
	return ret;
}

static const char *const vias[] = { "sysfs", "ioctl", "netlink", "uring" };

/* eductl factorial eduN N [--via sysfs|ioctl|netlink|uring] */
static int cmd_factorial(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "via", required_argument, NULL, 'v' }, OPT_HELP, OPT_END
	};
	char name[EDU_NAME_MAX];
	unsigned int n, via = 0;
	uint32_t result = 0;
	int c, ret;

	while ((c = getopt_long(argc, argv, "hv:", opts, NULL)) != -1) {
		if (c != 'v')
			return opt_done(c);
		for (via = 0; via < 4 && strcmp(optarg, vias[via]); via++)
			;
		if (via == 4)
			return usage_error("--via '%s': sysfs, ioctl, netlink or uring",
					   optarg);
	}
	if (argc - optind != 2)
		return usage_error("factorial needs a device and N");
	ret = device_arg(argv[optind], name);
	if (ret)
		return ret;
	if (edu_parse_uint(argv[optind + 1], ~0U, &n))
		return usage_error("'%s' is not a non-negative number", argv[optind + 1]);
	/* Values go to the driver as given: its range check decides. */
	if (via == 2) {
		ret = nl_factorial(name, n, &result);
		if (ret)
			return ret;
	} else {
		ret = via == 0 ? factorial_sysfs(name, n, &result) :
		      factorial_dev(name, n, &result, via == 3);
		if (ret == -ERANGE)
			return fail(ret, "%s: factorial %u (the device computes 0..12)",
				    name, n);
		if (ret)
			return fail(ret, "%s: factorial %u through %s", name, n, vias[via]);
	}
	print_factorial(name, vias[via], n, result);
	return EXIT_OK;
}

const struct eductl_cmd device_cmds[] = {
	{ "list", "", "edu functions on the PCI bus (libpci)", cmd_list },
	{ "info", "[eduN]", "PCI and driver details", cmd_info },
	{ "factorial", "eduN N [--via sysfs|ioctl|netlink|uring]",
	  "compute N! on the device (0..12)", cmd_factorial },
	{ NULL, NULL, NULL, NULL }
};
