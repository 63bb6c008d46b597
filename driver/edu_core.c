// SPDX-License-Identifier: GPL-2.0
/*
 * edu: a driver for QEMU's edu PCI device that reaches user space through
 * every channel Linux offers. This file binds the PCI function, starts and
 * stops every channel, and owns the lifetime rules they rely on:
 *
 *  - struct edu_dev lives as long as its class device is referenced: open
 *    files (through the cdev) and sysfs users keep it alive after remove().
 *  - The hardware (BAR0, interrupt, DMA) lives only until remove() returns.
 *    Every path that touches it from a file brackets the access with
 *    edu_enter()/edu_leave() (edu_base.c); remove() marks the device dead under the
 *    write side, so once it has the lock no such access is running or can
 *    start again.
 *  - Everything the PCI core hands out is managed (pcim/devm) and released
 *    after remove() in reverse order; the last release drops our reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "edu.h"

static bool force_intx;
module_param(force_intx, bool, 0444);
MODULE_PARM_DESC(force_intx, "Use legacy INTx even where MSI is available");

static DEFINE_IDA(edu_ida);

/*
 * Anyone may open /dev/eduN read-only to watch it; operations check their
 * privilege themselves (docs/privileges.md).
 */
static char *edu_devnode(struct device *dev, umode_t *mode)
{
	if (mode)
		*mode = 0644;
	return NULL;
}

struct class edu_class = {
	.name = "edu",
	.owner = THIS_MODULE,
	.dev_groups = edu_groups,
	.devnode = edu_devnode,
};

static void edu_release(struct device *dev)
{
	struct edu_dev *edu = to_edu_dev(dev);

	edu_sysfs_release(edu);
	put_pid(edu->dbg_sig_pid);
	edu_events_free(edu);
	ida_free(&edu_ida, edu->id);
	pci_dev_put(edu->pdev);
	kfree(edu);
}

static void edu_put(void *data)
{
	struct edu_dev *edu = data;

	put_device(&edu->dev);
}

static struct edu_dev *edu_alloc(struct pci_dev *pdev)
{
	struct edu_dev *edu;
	int id, ret;

	edu = kzalloc(sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return ERR_PTR(-ENOMEM);
	ret = edu_events_init(edu);
	if (ret) {
		kfree(edu);
		return ERR_PTR(ret);
	}

	id = ida_alloc_max(&edu_ida, EDU_MAX_DEVICES - 1, GFP_KERNEL);
	if (id < 0) {
		edu_events_free(edu);
		kfree(edu);
		return ERR_PTR(id);
	}

	edu->id = id;
	edu->pdev = pci_dev_get(pdev);
	init_rwsem(&edu->gone);
	mutex_init(&edu->fact_lock);
	init_completion(&edu->fact_done);
	edu_fw_init(edu);
	edu_uevent_init(edu);
	edu_ucmd_init(edu);

	/* From here on, put_device() frees everything above. */
	device_initialize(&edu->dev);
	edu->dev.class = &edu_class;
	edu->dev.parent = &pdev->dev;
	edu->dev.devt = edu_devt(id);
	edu->dev.release = edu_release;
	ret = dev_set_name(&edu->dev, "edu%d", id);
	if (ret) {
		put_device(&edu->dev);
		return ERR_PTR(ret);
	}
	edu_cdev_init(edu);
	return edu;
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct edu_dev *edu;
	u32 ident;
	int ret;

	edu = edu_alloc(pdev);
	if (IS_ERR(edu))
		return PTR_ERR(edu);

	/* Registered first, so it runs last: after the IRQ is freed. */
	ret = devm_add_action_or_reset(&pdev->dev, edu_put, edu);
	if (ret)
		return ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "cannot enable device\n");

	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "cannot map BAR0\n");
	edu->regs = pcim_iomap_table(pdev)[0];

	ident = edu_read(edu, EDU_REG_IDENT);
	if ((ident & 0xff) != (EDU_IDENT_VALUE & 0xff))
		return dev_err_probe(&pdev->dev, -ENODEV,
				     "unexpected identification 0x%08x\n", ident);

	/* Without bus mastering a transfer "completes" and moves nothing. */
	pci_set_master(pdev);

	/* The device truncates RAM addresses above its DMA mask. */
	ret = dma_set_mask_and_coherent(&pdev->dev,
					DMA_BIT_MASK(EDU_DMA_MASK_BITS));
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "no usable DMA mask\n");

	ret = edu_dma_init(edu);
	if (ret)
		return ret;

	ret = edu_irq_setup(edu, force_intx);
	if (ret)
		return ret;

	pci_set_drvdata(pdev, edu);

	ret = cdev_device_add(&edu->cdev, &edu->dev);
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "cannot add %s\n",
				     dev_name(&edu->dev));
	edu_sysfs_setup(edu);
	edu_debugfs_add(edu);
	edu_procfs_add(edu);

	/* Asynchronous: without firmware the device stays usable. */
	edu_fw_request(edu, false);

	dev_info(&pdev->dev, "%s: edu %u.%u, %s interrupt %d\n",
		 dev_name(&edu->dev), ident >> 24, (ident >> 16) & 0xff,
		 edu->msi ? "MSI" : "INTx", edu->irq);
	return 0;
}

static void edu_remove(struct pci_dev *pdev)
{
	struct edu_dev *edu = pci_get_drvdata(pdev);

	/* Out of /proc/driver/edu; debugfs files gone and drained. */
	edu_procfs_del(edu);
	edu_debugfs_del(edu);
	/*
	 * No new firmware loads; one in progress ends (an upload is cut
	 * short through its fallback files, which live below our class
	 * device: so before that goes).
	 */
	edu_fw_wait_idle(edu);
	/* The last uevents out while the class device is there; no more. */
	edu_uevent_close(edu);
	/* No new opens; sysfs attributes are gone and drained. */
	cdev_device_del(&edu->cdev, &edu->dev);

	/* Wait for hardware accesses from open files; refuse new ones. */
	down_write(&edu->gone);
	WRITE_ONCE(edu->dead, true);
	up_write(&edu->gone);

	/* Sleeping readers and pollers wake to -ENODEV / POLLERR|POLLHUP. */
	edu_events_shutdown(edu);
	/* Queued io_uring commands complete with -ENODEV; none runs after. */
	edu_ucmd_shutdown(edu);
	/* A transfer that outlived its timeout must end before memory goes. */
	edu_dma_quiesce(edu);
	edu_irq_quiesce(edu);
	/* Nothing posts events now: send the last ones out. */
	edu_events_flush(edu);
	/* devres now frees the IRQ, buffers, vectors, mapping, our reference. */
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR_ID, EDU_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = KBUILD_MODNAME,
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
};

static int __init edu_init(void)
{
	int ret;

	ret = edu_base_init();
	if (ret)
		return ret;

	ret = edu_sysctl_init();
	if (ret)
		goto err_base;

	ret = edu_procfs_init();
	if (ret)
		goto err_sysctl;

	edu_debugfs_init();

	ret = edu_netlink_init();
	if (ret)
		goto err_debugfs;

	ret = edu_routes_init();
	if (ret)
		goto err_netlink;

	ret = class_register(&edu_class);
	if (ret)
		goto err_routes;

	ret = edu_chrdev_init();
	if (ret)
		goto err_class;

	ret = pci_register_driver(&edu_driver);
	if (ret)
		goto err_chrdev;

	return 0;

err_chrdev:
	edu_chrdev_exit();
err_class:
	class_unregister(&edu_class);
err_routes:
	edu_routes_exit();
err_netlink:
	edu_netlink_exit();
err_debugfs:
	edu_debugfs_exit();
	edu_procfs_exit();
err_sysctl:
	edu_sysctl_exit();
err_base:
	edu_base_exit();
	return ret;
}
module_init(edu_init);

static void __exit edu_exit(void)
{
	pci_unregister_driver(&edu_driver);
	edu_chrdev_exit();
	class_unregister(&edu_class);
	edu_routes_exit();
	edu_netlink_exit();
	edu_debugfs_exit();
	edu_procfs_exit();
	edu_sysctl_exit();
	edu_base_exit();
	ida_destroy(&edu_ida);
}
module_exit(edu_exit);

MODULE_DESCRIPTION("QEMU edu PCI device: every channel between kernel and user space");
MODULE_AUTHOR("The edu stack developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(EDU_VERSION);
/* Loaded at probe: modinfo and initramfs tools see what to pack. */
MODULE_FIRMWARE(EDU_FW_NAME);
