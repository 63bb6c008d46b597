// SPDX-License-Identifier: GPL-2.0
/*
 * The character device /dev/eduN (docs/chardev.md):
 *   read/poll/fasync   interrupt events, one struct edu_event per record
 *   mmap               the file's DMA page (zero-copy path)
 *   ioctl              device operations, the copy path, signal registration
 *   uring_cmd          factorials and the copy path, asynchronously (edu_uring.c)
 * An open file pins struct edu_dev (struct edu_file holds a reference);
 * the hardware behind it may go away, which edu_enter() reports as -ENODEV.
 */
#include <linux/capability.h>
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "edu.h"

static dev_t edu_first_devt;

dev_t edu_devt(int id)
{
	return MKDEV(MAJOR(edu_first_devt), MINOR(edu_first_devt) + id);
}

static int edu_open(struct inode *inode, struct file *file)
{
	struct edu_dev *edu = container_of(inode->i_cdev, struct edu_dev, cdev);
	struct edu_file *ef;
	int ret;

	ret = edu_enter(edu);
	if (ret)
		return ret;
	ef = edu_file_alloc(edu);
	if (ef) {
		edu_events_attach(ef);
		atomic_inc(&edu->open_files);
	}
	edu_leave(edu);
	if (!ef)
		return -ENOMEM;

	file->private_data = ef;
	/*
	 * A read can be asked not to wait (IOCB_NOWAIT): io_uring then tries
	 * it inline and waits by poll, instead of parking a worker thread in a
	 * blocking read for every request.
	 */
	file->f_mode |= FMODE_NOWAIT;
	/* Records, not bytes: no file position, no pread/pwrite. */
	return stream_open(inode, file);
}

static int edu_release(struct inode *inode, struct file *file)
{
	struct edu_file *ef = file->private_data;

	edu_events_detach(ef);
	edu_eventfd_release(ef);
	atomic_dec(&ef->edu->open_files);
	edu_file_put(ef);
	return 0;
}

/* Every close(): that file table's queued io_uring commands are cancelled. */
static int edu_flush(struct file *file, fl_owner_t id)
{
	edu_ucmd_flush(file->private_data, id);
	return 0;
}

static ssize_t edu_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct file *file = iocb->ki_filp;

	return edu_events_read(file->private_data, to,
			       (file->f_flags & O_NONBLOCK) ||
			       (iocb->ki_flags & IOCB_NOWAIT));
}

static __poll_t edu_poll(struct file *file, struct poll_table_struct *wait)
{
	return edu_events_poll(file->private_data, file, wait);
}

static int edu_fasync(int fd, struct file *file, int on)
{
	struct edu_file *ef = file->private_data;
	int ret;

	ret = fasync_helper(fd, file, on, &ef->fasync);
	spin_lock_irq(&ef->edu->events_lock);
	edu_events_watch(ef);
	spin_unlock_irq(&ef->edu->events_lock);
	return ret;
}

/* The DMA page at offset 0, the event ring from EDU_RING_MMAP_OFFSET. */
static int edu_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff >= EDU_RING_MMAP_OFFSET >> PAGE_SHIFT)
		return edu_ring_mmap(file->private_data, vma);
	return edu_file_mmap(file->private_data, vma);
}

static void edu_get_info(struct edu_file *ef, struct edu_info *info)
{
	struct edu_dev *edu = ef->edu;

	memset(info, 0, sizeof(*info));
	info->ident = edu_read(edu, EDU_REG_IDENT);
	info->device = edu->id;
	info->msi = edu->msi;
	info->window_size = EDU_DATA_WINDOW_SIZE;
	info->mmap_size = EDU_MMAP_SIZE;
	info->event_size = sizeof(struct edu_event);
	info->queue_len = ef->len;
}

/* EDU_IOC_DMA: between the file's mmap page and the data window. */
static int edu_ioctl_dma(struct edu_file *ef, const struct edu_dma *req,
			 bool nonblock)
{
	struct page *page;

	if (req->dir != EDU_DMA_TO_DEVICE && req->dir != EDU_DMA_FROM_DEVICE)
		return -EINVAL;
	if (!req->len || req->window_off >= EDU_DATA_WINDOW_SIZE ||
	    req->len > EDU_DATA_WINDOW_SIZE - req->window_off ||
	    req->buf_off >= EDU_MMAP_SIZE ||
	    req->len > EDU_MMAP_SIZE - req->buf_off)
		return -EINVAL;
	page = edu_file_page(ef);
	if (!page)
		return -ENOMEM;
	return edu_dma_page(ef->edu, page, req->buf_off,
			    EDU_FW_REGION_SIZE + req->window_off, req->len,
			    req->dir == EDU_DMA_FROM_DEVICE, nonblock);
}

union edu_ioctl_arg {
	struct edu_info info;
	struct edu_factorial fact;
	struct edu_dma dma;
	struct edu_data data;
	struct edu_signal sig;
	struct edu_stats stats;
	struct edu_eventfd evfd;
	u32 bits;
};

/* Runs one command, entered; every user buffer was copied in already. */
static long edu_do_ioctl(struct edu_file *ef, unsigned int cmd,
			 union edu_ioctl_arg *u, void *data, bool nonblock)
{
	struct edu_dev *edu = ef->edu;

	switch (cmd) {
	case EDU_IOC_INFO:
		edu_get_info(ef, &u->info);
		return 0;
	case EDU_IOC_FACTORIAL:
		return edu_factorial(edu, u->fact.n, &u->fact.result);
	case EDU_IOC_RAISE_IRQ:
		return edu_raise_irq(edu, u->bits);
	case EDU_IOC_DMA:
		return edu_ioctl_dma(ef, &u->dma, nonblock);
	case EDU_IOC_WRITE_DATA:
	case EDU_IOC_READ_DATA:
		return edu_dma_bounce(edu, data, EDU_FW_REGION_SIZE + u->data.window_off,
				      u->data.len, cmd == EDU_IOC_READ_DATA, nonblock);
	case EDU_IOC_SET_SIGNAL:
		if (u->sig.reserved)
			return -EINVAL;
		return edu_events_set_signal(ef, u->sig.signo);
	case EDU_IOC_GET_STATS:
		edu_stats_read(edu, &u->stats);
		return 0;
	case EDU_IOC_SET_EVENTFD:
		return edu_eventfd_set(ef, &u->evfd);
	case EDU_IOC_RING_CONSUME:
		return edu_ring_consume(ef, u->bits);
	}
	return -ENOTTY;
}

/* Commands that use the device's engines or change its state. */
static bool edu_ioctl_privileged(unsigned int cmd)
{
	switch (cmd) {
	case EDU_IOC_FACTORIAL:
	case EDU_IOC_RAISE_IRQ:
	case EDU_IOC_DMA:
	case EDU_IOC_WRITE_DATA:
	case EDU_IOC_READ_DATA:
		return true;
	}
	return false;
}

/*
 * User memory is copied before edu_enter() and after edu_leave(): a fault
 * that takes its time (userfaultfd, FUSE) must never hold up remove() or
 * another opener. The copy path's data goes through a kernel buffer.
 */
static long edu_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct edu_file *ef = file->private_data;
	void __user *argp = (void __user *)arg;
	bool nonblock = file->f_flags & O_NONBLOCK;
	union edu_ioctl_arg u;
	void __user *udata = NULL;
	void *data = NULL;
	long ret;

	/* Unknown numbers never reach the union copy below. */
	switch (cmd) {
	case EDU_IOC_INFO:
	case EDU_IOC_FACTORIAL:
	case EDU_IOC_RAISE_IRQ:
	case EDU_IOC_DMA:
	case EDU_IOC_WRITE_DATA:
	case EDU_IOC_READ_DATA:
	case EDU_IOC_SET_SIGNAL:
	case EDU_IOC_GET_STATS:
	case EDU_IOC_SET_EVENTFD:
	case EDU_IOC_RING_SETUP:
	case EDU_IOC_RING_CONSUME:
		break;
	default:
		return -ENOTTY;
	}
	if (edu_ioctl_privileged(cmd) && !edu_capable())
		return -EPERM;
	/* Its answer goes out before the ring is installed: its own copies. */
	if (cmd == EDU_IOC_RING_SETUP)
		return edu_ring_setup(ef, argp);

	/* Every command's argument is exactly the size its number says. */
	if (_IOC_DIR(cmd) & _IOC_WRITE &&
	    copy_from_user(&u, argp, _IOC_SIZE(cmd)))
		return -EFAULT;

	if (cmd == EDU_IOC_WRITE_DATA || cmd == EDU_IOC_READ_DATA) {
		if (!u.data.len || u.data.window_off >= EDU_DATA_WINDOW_SIZE ||
		    u.data.len > EDU_DATA_WINDOW_SIZE - u.data.window_off)
			return -EINVAL;
		udata = u64_to_user_ptr(u.data.addr);
		if (cmd == EDU_IOC_WRITE_DATA)
			data = memdup_user(udata, u.data.len);
		else
			data = kmalloc(u.data.len, GFP_KERNEL);
		if (IS_ERR_OR_NULL(data))
			return data ? PTR_ERR(data) : -ENOMEM;
	}

	ret = edu_enter(ef->edu);
	if (!ret) {
		ret = edu_do_ioctl(ef, cmd, &u, data, nonblock);
		edu_leave(ef->edu);
	}

	if (!ret && cmd == EDU_IOC_READ_DATA &&
	    copy_to_user(udata, data, u.data.len))
		ret = -EFAULT;
	kfree(data);
	if (!ret && _IOC_DIR(cmd) & _IOC_READ &&
	    copy_to_user(argp, &u, _IOC_SIZE(cmd)))
		ret = -EFAULT;
	return ret;
}

static const struct file_operations edu_fops = {
	.owner = THIS_MODULE,
	.open = edu_open,
	.release = edu_release,
	.flush = edu_flush,
	.read_iter = edu_read_iter,
	.poll = edu_poll,
	.fasync = edu_fasync,
	.mmap = edu_mmap,
	.unlocked_ioctl = edu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.uring_cmd = edu_ucmd_issue,
	.llseek = no_llseek,
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
