// SPDX-License-Identifier: MIT
/*
 * Finding edu functions through libpci, whether or not a driver is bound,
 * and the eduN name our driver gave each bound one.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pci/pci.h>

#include "libedu.h"

/* The class device is a child of the PCI device: .../BDF/edu/eduN. */
static void edu_name_of(const char *bdf, char name[EDU_NAME_MAX])
{
	char path[128];
	struct dirent *de;
	DIR *dir;

	name[0] = '\0';
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/edu", bdf);
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (!strncmp(de->d_name, "edu", 3) &&
		    strlen(de->d_name) < EDU_NAME_MAX) {
			strcpy(name, de->d_name);
			break;
		}
	}
	closedir(dir);
}

static void fill(struct pci_dev *d, struct edu_pci *e)
{
	const char *driver;

	memset(e, 0, sizeof(*e));
	snprintf(e->bdf, sizeof(e->bdf), "%04x:%02x:%02x.%d",
		 d->domain, d->bus, d->dev, d->func);
	e->vendor = d->vendor_id;
	e->device = d->device_id;
	e->subvendor = d->subsys_vendor_id;
	e->subdevice = d->subsys_id;
	e->class_code = (unsigned int)d->device_class << 8 | d->prog_if;
	e->revision = d->rev_id;
	e->irq = d->irq;
	driver = pci_get_string_property(d, PCI_FILL_DRIVER);
	snprintf(e->driver, sizeof(e->driver), "%s", driver ? driver : "");
	edu_name_of(e->bdf, e->name);
}

static int by_bdf(const void *a, const void *b)
{
	return strcmp(((const struct edu_pci *)a)->bdf,
		      ((const struct edu_pci *)b)->bdf);
}

/*
 * libpci's default error handler prints and exit()s: ours keeps the
 * message and jumps back to edu_discover(), which fails with -EIO.
 */
static jmp_buf pci_jmp;
static char pci_msg[256];

static void PCI_PRINTF(1, 2) PCI_NONRET pci_error(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(pci_msg, sizeof(pci_msg), msg, ap);
	va_end(ap);
	longjmp(pci_jmp, 1);
}

/* Warnings are not failures: keep the last one for whoever asks. */
static void PCI_PRINTF(1, 2) pci_warning(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(pci_msg, sizeof(pci_msg), msg, ap);
	va_end(ap);
}

const char *edu_pci_error(void)
{
	return pci_msg;
}

/* Fills up to max entries in bus order; returns how many edu functions exist. */
int edu_discover(struct edu_pci *devs, int max)
{
	struct pci_access *pacc;
	struct pci_dev *d;
	volatile int n = 0;

	pacc = pci_alloc();
	if (!pacc)
		return -ENOMEM;
	pacc->error = pci_error;
	pacc->warning = pci_warning;
	pci_msg[0] = '\0';
	if (setjmp(pci_jmp))
		return -EIO;	/* pacc is leaked: libpci's state is unknown */
	pci_init(pacc);
	pci_scan_bus(pacc);
	for (d = pacc->devices; d; d = d->next) {
		pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_IRQ | PCI_FILL_CLASS |
			      PCI_FILL_CLASS_EXT | PCI_FILL_SUBSYS |
			      PCI_FILL_DRIVER);
		if (d->vendor_id != EDU_PCI_VENDOR ||
		    d->device_id != EDU_PCI_DEVICE)
			continue;
		if (n < max)
			fill(d, &devs[n]);
		n++;
	}
	pci_cleanup(pacc);
	qsort(devs, n < max ? n : max, sizeof(*devs), by_bdf);
	return n;
}

/* The PCI function behind eduN, or -ENODEV. */
int edu_find(const char *name, struct edu_pci *dev)
{
	struct edu_pci devs[64];
	int n, i;

	n = edu_discover(devs, 64);
	if (n < 0)
		return n;
	for (i = 0; i < n && i < 64; i++) {
		if (!strcmp(devs[i].name, name)) {
			*dev = devs[i];
			return 0;
		}
	}
	return -ENODEV;
}
