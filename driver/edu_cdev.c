// SPDX-License-Identifier: GPL-2.0
/*
 * The character device /dev/eduN. An open file pins struct edu_dev through
 * the cdev (whose kobject parent is our class device); the hardware behind
 * it may still go away, which edu_enter() reports as -ENODEV.
 */
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/module.h>

#include "edu.h"

static dev_t edu_first_devt;

dev_t edu_devt(int id)
{
	return MKDEV(MAJOR(edu_first_devt), MINOR(edu_first_devt) + id);
}

static int edu_open(struct inode *inode, struct file *file)
{
	struct edu_dev *edu = container_of(inode->i_cdev, struct edu_dev, cdev);
	int ret;

	ret = edu_enter(edu);
	if (ret)
		return ret;
	edu_leave(edu);

	file->private_data = edu;
	return 0;
}

static int edu_release_file(struct inode *inode, struct file *file)
{
	return 0;
}

static const struct file_operations edu_fops = {
	.owner = THIS_MODULE,
	.open = edu_open,
	.release = edu_release_file,
	.llseek = noop_llseek,
};

void edu_cdev_init(struct edu_dev *edu)
{
	cdev_init(&edu->cdev, &edu_fops);
	edu->cdev.owner = THIS_MODULE;
}

int edu_chrdev_init(void)
{
	return alloc_chrdev_region(&edu_first_devt, 0, EDU_MAX_DEVICES, "edu");
}

void edu_chrdev_exit(void)
{
	unregister_chrdev_region(edu_first_devt, EDU_MAX_DEVICES);
}
