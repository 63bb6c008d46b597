// SPDX-License-Identifier: GPL-2.0
/*
 * The list of bound devices (for lookups by number), and /proc/driver/edu:
 * the running state of the driver, a header line and one
 * line per bound device. The whole table is printed under the lock that
 * probe and remove take to add and delete devices, so a reader sees each
 * device entirely or not at all, whatever binds or unbinds meanwhile.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "edu.h"

static LIST_HEAD(edu_devices);
static DEFINE_MUTEX(edu_devices_lock);

void edu_procfs_add(struct edu_dev *edu)
{
	mutex_lock(&edu_devices_lock);
	list_add_tail(&edu->node, &edu_devices);
	mutex_unlock(&edu_devices_lock);
}

void edu_procfs_del(struct edu_dev *edu)
{
	mutex_lock(&edu_devices_lock);
	list_del(&edu->node);
	mutex_unlock(&edu_devices_lock);
}

/* The bound device eduN, referenced (put_device() when done), or NULL. */
struct edu_dev *edu_get_by_id(u32 id)
{
	struct edu_dev *edu, *found = NULL;

	mutex_lock(&edu_devices_lock);
	list_for_each_entry(edu, &edu_devices, node) {
		if (edu->id == id) {
			found = edu;
			get_device(&edu->dev);
			break;
		}
	}
	mutex_unlock(&edu_devices_lock);
	return found;
}

/* The n-th bound device in bind order, referenced, or NULL (dumps). */
struct edu_dev *edu_get_nth(unsigned long n)
{
	struct edu_dev *edu, *found = NULL;

	mutex_lock(&edu_devices_lock);
	list_for_each_entry(edu, &edu_devices, node) {
		if (!n--) {
			found = edu;
			get_device(&edu->dev);
			break;
		}
	}
	mutex_unlock(&edu_devices_lock);
	return found;
}

static void *edu_proc_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&edu_devices_lock);
	return seq_list_start_head(&edu_devices, *pos);
}

static void *edu_proc_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, &edu_devices, pos);
}

static void edu_proc_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&edu_devices_lock);
}

static int edu_proc_show(struct seq_file *m, void *v)
{
	char fw[16];
	struct edu_dev *edu;
	struct edu_stats st;

	if (v == &edu_devices) {
		seq_puts(m, "name\tpci\tmode\tirqs\tdma_transfers\tdma_bytes\t"
			 "factorials\terrors\tfirmware\topen_files\n");
		return 0;
	}
	edu = list_entry(v, struct edu_dev, node);
	edu_stats_read(edu, &st);
	edu_fw_version_str(edu, fw, sizeof(fw));
	seq_printf(m, "%s\t%s\t%s\t%llu\t%llu\t%llu\t%llu\t%llu\t%s\t%d\n",
		   dev_name(&edu->dev), pci_name(edu->pdev),
		   edu->msi ? "msi" : "intx", st.irqs, st.dma_transfers,
		   st.dma_bytes, st.factorials, st.errors, fw,
		   atomic_read(&edu->open_files));
	return 0;
}

static const struct seq_operations edu_proc_ops = {
	.start = edu_proc_start,
	.next = edu_proc_next,
	.stop = edu_proc_stop,
	.show = edu_proc_show,
};

int edu_procfs_init(void)
{
	return proc_create_seq("driver/edu", 0444, NULL, &edu_proc_ops) ?
		0 : -ENOMEM;
}

void edu_procfs_exit(void)
{
	remove_proc_entry("driver/edu", NULL);
}
