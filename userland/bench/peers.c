// SPDX-License-Identifier: GPL-2.0
/*
 * The peers a user would pick instead of a driver of their own, set up as
 * their users do: UIO (uio_pci_generic: INTx by read() of /dev/uioN, BAR0
 * by mmap of resource0) and VFIO (vfio-pci behind the IOMMU: BAR0 by mmap
 * of the device's region, MSI on an eventfd). The benchmark touches only
 * the interrupt, factorial and identification registers of these devices:
 * never DMA, whose bad values abort QEMU (../shared/edu-device.md).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "bench.h"

int uio_open(const char *bdf, struct uio_peer *u)
{
	char path[300];		/* "/dev/" and a name of up to 255 */
	struct dirent *de;
	int ret = -ENOENT;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/uio", bdf);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "uio", 3))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		u->fd = open(path, O_RDWR | O_CLOEXEC);
		ret = u->fd < 0 ? -errno : 0;
		break;
	}
	closedir(d);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	u->config = open(path, O_RDWR | O_CLOEXEC);
	if (u->config < 0) {
		ret = -errno;
		close(u->fd);
		return ret;
	}
	ret = bar_map_resource(bdf, &u->bar);
	if (ret) {
		close(u->config);
		close(u->fd);
	}
	return ret;
}

/*
 * uio_pci_generic has no irqcontrol (a write to /dev/uioN is ENOSYS): its
 * handler sets the command register's INTx disable bit, and the user
 * clears it through config space (Documentation/driver-api/uio-howto.rst).
 */
int uio_unmask(struct uio_peer *u)
{
	uint16_t cmd;

	if (pread(u->config, &cmd, 2, PCI_COMMAND) != 2)
		return -EIO;
	cmd &= ~PCI_COMMAND_INTX_DISABLE;
	return pwrite(u->config, &cmd, 2, PCI_COMMAND) == 2 ? 0 : -EIO;
}

void uio_close(struct uio_peer *u)
{
	bar_unmap(&u->bar);
	close(u->config);
	close(u->fd);
}

/* The IOMMU group of bdf, as /dev/vfio/N. */
static int vfio_group_path(const char *bdf, char *out, size_t len)
{
	char link[128], target[256];
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	snprintf(out, len, "/dev/vfio/%s", basename(target));
	return 0;
}

/* Bus mastering: MSI is a write by the device, dropped without it. */
static int vfio_enable_master(struct vfio_peer *v)
{
	struct vfio_region_info cfg = { .argsz = sizeof(cfg),
					.index = VFIO_PCI_CONFIG_REGION_INDEX };
	uint16_t cmd;

	if (ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO, &cfg))
		return -errno;
	if (pread(v->device, &cmd, 2, cfg.offset + PCI_COMMAND) != 2)
		return -EIO;
	cmd |= PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY;
	if (pwrite(v->device, &cmd, 2, cfg.offset + PCI_COMMAND) != 2)
		return -EIO;
	return 0;
}

static int vfio_msi_eventfd(struct vfio_peer *v)
{
	size_t size = sizeof(struct vfio_irq_set) + sizeof(int32_t);
	struct vfio_irq_set *set;
	int32_t fd;
	int ret;

	v->efd = eventfd(0, EFD_CLOEXEC);
	if (v->efd < 0)
		return -errno;
	set = calloc(1, size);	/* the eventfd follows the header, in data[] */
	if (!set)
		return -ENOMEM;
	fd = v->efd;
	set->argsz = size;
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_PCI_MSI_IRQ_INDEX;
	set->start = 0;
	set->count = 1;
	memcpy(set->data, &fd, sizeof(fd));
	ret = ioctl(v->device, VFIO_DEVICE_SET_IRQS, set) ? -errno : 0;
	free(set);
	return ret;
}

int vfio_open(const char *bdf, struct vfio_peer *v)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_region_info bar0 = { .argsz = sizeof(bar0),
					 .index = VFIO_PCI_BAR0_REGION_INDEX };
	char group[64];
	void *p;
	int ret;

	memset(v, 0, sizeof(*v));
	v->container = v->group = v->device = v->efd = -1;
	ret = vfio_group_path(bdf, group, sizeof(group));
	if (ret)
		return ret;
	v->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (v->container < 0)
		goto err;
	if (ioctl(v->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) != 1) {
		errno = ENOTSUP;
		goto err;
	}
	v->group = open(group, O_RDWR | O_CLOEXEC);
	if (v->group < 0 || ioctl(v->group, VFIO_GROUP_GET_STATUS, &status))
		goto err;
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EBUSY;	/* another device of the group is not vfio's */
		goto err;
	}
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container) ||
	    ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		goto err;
	v->device = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (v->device < 0 || ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO, &bar0))
		goto err;
	if (!(bar0.flags & VFIO_REGION_INFO_FLAG_MMAP) || bar0.size < 4096) {
		errno = ENOTSUP;
		goto err;
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, v->device, bar0.offset);
	if (p == MAP_FAILED)
		goto err;
	v->regs = p;
	v->bar_size = 4096;
	ret = vfio_enable_master(v);
	if (!ret)
		ret = vfio_msi_eventfd(v);
	if (ret) {
		vfio_close(v);
		return ret;
	}
	return 0;
err:
	ret = -errno;
	vfio_close(v);
	return ret;
}

void vfio_close(struct vfio_peer *v)
{
	if (v->regs)
		munmap((void *)v->regs, v->bar_size);
	if (v->efd >= 0)
		close(v->efd);
	if (v->device >= 0)
		close(v->device);
	if (v->group >= 0)
		close(v->group);
	if (v->container >= 0)
		close(v->container);
	memset(v, 0, sizeof(*v));
	v->container = v->group = v->device = v->efd = -1;
}
