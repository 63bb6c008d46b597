// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: /sys/class/edu/eduN/, one value per attribute, registered through
 * the class's dev_groups so they exist before the uevent announces the
 * device. Each register attribute reads or writes the device itself.
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
	&dev_attr_interrupt_mode.attr,
	NULL
};

static const struct attribute_group edu_group = {
	.attrs = edu_attrs,
};

const struct attribute_group *edu_groups[] = {
	&edu_group,
	NULL
};
