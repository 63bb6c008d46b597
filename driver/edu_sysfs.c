// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: /sys/class/edu/eduN/, one value per attribute, registered through
 * the class's dev_groups so they exist before the uevent announces the
 * device. Each register attribute reads or writes the device itself.
 * Reading needs no privilege; writing needs root (mode 0644) and the
 * driver's privilege, CAP_SYS_ADMIN (docs/privileges.md).
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "edu.h"

/* Reads a register from the device and prints it in hex. */
static ssize_t edu_show_reg(struct device *dev, char *buf, unsigned int reg)
{
	struct edu_dev *edu = to_edu_dev(dev);
	u32 val;
	int ret;

	ret = edu_enter(edu);
	if (ret)
		return ret;
	val = edu_read(edu, reg);
	edu_leave(edu);
	return sysfs_emit(buf, "0x%08x\n", val);
}

static ssize_t identification_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return edu_show_reg(dev, buf, EDU_REG_IDENT);
}
static DEVICE_ATTR_RO(identification);

static ssize_t liveness_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	return edu_show_reg(dev, buf, EDU_REG_LIVENESS);
}

static ssize_t liveness_store(struct device *dev,
			      struct device_attribute *attr,
			      const char *buf, size_t count)
{
	struct edu_dev *edu = to_edu_dev(dev);
	u32 val;
	int ret;

	if (!edu_capable())
		return -EPERM;
	ret = kstrtou32(buf, 0, &val);
	if (ret)
		return ret;

	ret = edu_enter(edu);
	if (ret)
		return ret;
	edu_write(edu, EDU_REG_LIVENESS, val);
	edu_leave(edu);
	return count;
}
static DEVICE_ATTR_RW(liveness);

/* Reads the result register: n! of the last computation. */
static ssize_t factorial_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct edu_dev *edu = to_edu_dev(dev);
	u32 val;
	int ret;

	ret = edu_enter(edu);
	if (ret)
		return ret;
	mutex_lock(&edu->fact_lock);
	val = edu_read(edu, EDU_REG_FACTORIAL);
	mutex_unlock(&edu->fact_lock);
	edu_leave(edu);
	return sysfs_emit(buf, "%u\n", val);
}

static ssize_t factorial_store(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t count)
{
	struct edu_dev *edu = to_edu_dev(dev);
	u32 result;
	int n, ret;

	if (!edu_capable())
		return -EPERM;
	ret = kstrtoint(buf, 10, &n);
	if (ret)
		return ret;
	if (n < 0 || n > EDU_FACTORIAL_MAX)
		return -ERANGE;

	ret = edu_enter(edu);
	if (ret)
		return ret;
	ret = edu_factorial(edu, n, &result);
	edu_leave(edu);
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(factorial);

static ssize_t status_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return edu_show_reg(dev, buf, EDU_REG_STATUS);
}
static DEVICE_ATTR_RO(status);

static ssize_t interrupt_status_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	return edu_show_reg(dev, buf, EDU_REG_IRQ_STATUS);
}
static DEVICE_ATTR_RO(interrupt_status);

static ssize_t dma_mask_bits_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", EDU_DMA_MASK_BITS);
}
static DEVICE_ATTR_RO(dma_mask_bits);

static ssize_t firmware_version_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	char version[16];

	edu_fw_version_str(to_edu_dev(dev), version, sizeof(version));
	return sysfs_emit(buf, "%s\n", version);
}
static DEVICE_ATTR_RO(firmware_version);

static ssize_t firmware_state_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return edu_fw_state_show(to_edu_dev(dev), buf);
}
static DEVICE_ATTR_RO(firmware_state);

/* Write 1: load an image that user space uploads through the sysfs fallback. */
static ssize_t firmware_upload_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t count)
{
	bool go;
	int ret;

	if (!edu_capable())
		return -EPERM;
	ret = kstrtobool(buf, &go);
	if (ret)
		return ret;
	if (!go)
		return -EINVAL;
	ret = edu_fw_request(to_edu_dev(dev), true);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(firmware_upload);

static ssize_t interrupt_mode_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_edu_dev(dev)->msi ? "msi" : "intx");
}
static DEVICE_ATTR_RO(interrupt_mode);

static struct attribute *edu_attrs[] = {
	&dev_attr_identification.attr,
	&dev_attr_liveness.attr,
	&dev_attr_factorial.attr,
	&dev_attr_status.attr,
	&dev_attr_interrupt_status.attr,
	&dev_attr_interrupt_mode.attr,
	&dev_attr_dma_mask_bits.attr,
	&dev_attr_firmware_version.attr,
	&dev_attr_firmware_state.attr,
	&dev_attr_firmware_upload.attr,
	NULL
};

static const struct attribute_group edu_group = {
	.attrs = edu_attrs,
};

/* stats/: one counter per attribute, read without touching the device. */
struct edu_stat_attribute {
	struct device_attribute dattr;
	size_t offset;			/* of the atomic64_t in edu_counters */
};

static ssize_t edu_stat_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct edu_stat_attribute *sa =
		container_of(attr, struct edu_stat_attribute, dattr);
	struct edu_dev *edu = to_edu_dev(dev);
	atomic64_t *counter = (void *)&edu->stats + sa->offset;

	/*
	 * Reading irqs asks for the next interrupt's notification; the full
	 * barrier of the exchange orders it before the count is read, so an
	 * interrupt either is in the value shown or notifies.
	 */
	if (sa->offset == offsetof(struct edu_counters, irqs))
		atomic_xchg(&edu->irqs_armed, 1);
	return sysfs_emit(buf, "%lld\n", atomic64_read(counter));
}

#define EDU_STAT_ATTR(_name)						\
static struct edu_stat_attribute edu_stat_##_name = {			\
	.dattr = {							\
		.attr = { .name = #_name, .mode = 0444 },		\
		.show = edu_stat_show,					\
	},								\
	.offset = offsetof(struct edu_counters, _name),			\
}

EDU_STAT_ATTR(irqs);
EDU_STAT_ATTR(irqs_factorial);
EDU_STAT_ATTR(irqs_dma);
EDU_STAT_ATTR(irqs_other);
EDU_STAT_ATTR(irqs_spurious);
EDU_STAT_ATTR(irqs_dropped);
EDU_STAT_ATTR(injected);
EDU_STAT_ATTR(dma_transfers);
EDU_STAT_ATTR(dma_bytes);
EDU_STAT_ATTR(factorials);
EDU_STAT_ATTR(errors);
EDU_STAT_ATTR(events_dropped);

static struct attribute *edu_stats_attrs[] = {
	&edu_stat_irqs.dattr.attr,
	&edu_stat_irqs_factorial.dattr.attr,
	&edu_stat_irqs_dma.dattr.attr,
	&edu_stat_irqs_other.dattr.attr,
	&edu_stat_irqs_spurious.dattr.attr,
	&edu_stat_irqs_dropped.dattr.attr,
	&edu_stat_injected.dattr.attr,
	&edu_stat_dma_transfers.dattr.attr,
	&edu_stat_dma_bytes.dattr.attr,
	&edu_stat_factorials.dattr.attr,
	&edu_stat_errors.dattr.attr,
	&edu_stat_events_dropped.dattr.attr,
	NULL
};

static const struct attribute_group edu_stats_group = {
	.name = "stats",
	.attrs = edu_stats_attrs,
};

const struct attribute_group *edu_groups[] = {
	&edu_group,
	&edu_stats_group,
	NULL
};

/*
 * After the device is added: look up stats/irqs once, so the interrupt
 * handler can notify its pollers without a lookup (which may sleep).
 */
void edu_sysfs_setup(struct edu_dev *edu)
{
	struct kernfs_node *stats;

	stats = sysfs_get_dirent(edu->dev.kobj.sd, "stats");
	if (!stats)
		return;
	/* An inotify watcher that has not read yet hears the first interrupt. */
	atomic_set(&edu->irqs_armed, 1);
	/* The release publishes the node to the handler after that. */
	smp_store_release(&edu->irqs_kn, sysfs_get_dirent(stats, "irqs"));
	sysfs_put(stats);
}

/* When the device is freed: the handler can no longer run. */
void edu_sysfs_release(struct edu_dev *edu)
{
	sysfs_put(edu->irqs_kn);
}
