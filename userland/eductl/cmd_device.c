// SPDX-License-Identifier: GPL-2.0
/* eductl list | info | factorial: the device as the PCI core and sysfs see it. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libedu.h"
#include "eductl.h"

#define MAX_DEVS 64

static int cmd_list(int argc, char **argv)
{
	struct edu_pci devs[MAX_DEVS];
	int n, i;

	(void)argv;
	if (argc != 1)
		return usage_error("list takes no arguments");
	n = edu_discover(devs, MAX_DEVS);
	if (n < 0)
		return fail(n, "PCI scan");
	for (i = 0; i < n && i < MAX_DEVS; i++)
		printf("%-6s %s %04x:%04x rev %02x irq %d driver %s\n",
		       devs[i].name[0] ? devs[i].name : "-", devs[i].bdf,
		       devs[i].vendor, devs[i].device, devs[i].revision,
		       devs[i].irq, devs[i].driver[0] ? devs[i].driver : "-");
	if (n == 0) {
		fprintf(stderr, "eductl: no edu device on the PCI bus\n");
		return EXIT_NODEV;
	}
	return EXIT_OK;
}

static void print_attr(const char *name, const char *attr, const char *label)
{
	char val[64];

	if (edu_attr_read(name, attr, val, sizeof(val)))
		snprintf(val, sizeof(val), "?");
	printf("  %-16s %s\n", label, val);
}

static void print_info(const struct edu_pci *d)
{
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
	print_attr(d->name, "identification", "identification");
	print_attr(d->name, "interrupt_mode", "interrupt_mode");
}

static int cmd_info(int argc, char **argv)
{
	struct edu_pci devs[MAX_DEVS];
	int n, i;

	if (argc > 2)
		return usage_error("info takes at most one device");
	if (argc == 2) {
		char name[EDU_NAME_MAX];
		struct edu_pci d;
		int ret;

		if (edu_parse_devname(argv[1], name))
			return usage_error("'%s' is not a device name (eduN)",
					   argv[1]);
		ret = edu_find(name, &d);
		if (ret)
			return fail(ret, "%s", name);
		print_info(&d);
		return EXIT_OK;
	}
	n = edu_discover(devs, MAX_DEVS);
	if (n < 0)
		return fail(n, "PCI scan");
	if (n == 0)
		return fail(-ENODEV, "no edu device on the PCI bus");
	for (i = 0; i < n && i < MAX_DEVS; i++)
		print_info(&devs[i]);
	return EXIT_OK;
}

/* The factorial through an io_uring command (docs/uring.md). */
static int factorial_uring(const char *name, unsigned int n)
{
	uint32_t result;
	int fd, ret;

	fd = edu_open_dev(name, O_RDWR);
	if (fd < 0)
		return fail(fd, "%s", name);
	ret = edu_uring_factorial(fd, n, &result);
	close(fd);
	if (ret == -ERANGE)
		return fail(ret, "%s: factorial %u (the device computes 0..12)",
			    name, n);
	if (ret)
		return fail(ret, "%s: factorial %u through io_uring", name, n);
	printf("%u\n", result);
	return EXIT_OK;
}

/* eductl factorial eduN N [--via sysfs|uring] */
static int cmd_factorial(int argc, char **argv)
{
	char name[EDU_NAME_MAX], val[32];
	const char *pos[2], *via = "sysfs";
	unsigned int n;
	int i, npos = 0, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--via") && i + 1 < argc)
			via = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			return usage_error("unknown option '%s'", argv[i]);
		else if (npos < 2)
			pos[npos++] = argv[i];
		else
			npos = 3;
	}
	if (npos != 2)
		return usage_error("usage: factorial eduN N [--via sysfs|uring]");
	if (strcmp(via, "sysfs") && strcmp(via, "uring"))
		return usage_error("--via '%s': sysfs or uring", via);
	ret = device_arg(pos[0], name);
	if (ret)
		return ret;
	ret = edu_parse_uint(pos[1], ~0U, &n);
	if (ret)
		return usage_error("'%s' is not a non-negative number", pos[1]);
	if (!strcmp(via, "uring"))
		return factorial_uring(name, n);

	ret = edu_attr_write(name, "factorial", pos[1]);
	if (ret == -ERANGE)
		return fail(ret, "%s: factorial %u (the device computes 0..12)",
			    name, n);
	if (ret)
		return fail(ret, "%s: factorial %u", name, n);
	ret = edu_attr_read(name, "factorial", val, sizeof(val));
	if (ret)
		return fail(ret, "%s: reading the result", name);
	printf("%s\n", val);
	return EXIT_OK;
}

const struct eductl_cmd device_cmds[] = {
	{ "list", "", "edu functions on the PCI bus", cmd_list },
	{ "info", "[eduN]", "PCI and driver details", cmd_info },
	{ "factorial", "eduN N [--via uring]", "compute N! on the device (0..12)",
	  cmd_factorial },
	{ NULL, NULL, NULL, NULL }
};
