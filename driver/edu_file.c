// SPDX-License-Identifier: GPL-2.0
/*
 * An open /dev/eduN: its place in the event log, and its DMA page, which
 * mmap() maps (the zero-copy path). The page is the file's, not the device's: it is
 * allocated on first use, DMA-mapped only while a transfer runs, and freed
 * without the device when the last reference goes (a user mapping holds one
 * of its own), so it may safely outlive remove(). Mappings are shared, one
 * page, and not inherited across fork.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/slab.h>

#include "edu.h"

/*
 * Events an open file can hold before the oldest are dropped: the whole
 * log by default (a file's queue costs no memory of its own).
 */
unsigned int edu_event_queue_len = EDU_EVENT_LOG_LEN;

struct edu_file *edu_file_alloc(struct edu_dev *edu)
{
	struct edu_file *ef;

	ef = kzalloc(sizeof(*ef), GFP_KERNEL_ACCOUNT);
	if (!ef)
		return NULL;

	ef->len = clamp_t(unsigned int, READ_ONCE(edu_event_queue_len), 1,
			  EDU_EVENT_LOG_LEN);
	kref_init(&ef->ref);
	INIT_LIST_HEAD(&ef->node);
	INIT_LIST_HEAD(&ef->notify_node);
	get_device(&edu->dev);
	ef->edu = edu;
	return ef;
}

static void edu_file_release(struct kref *ref)
{
	struct edu_file *ef = container_of(ref, struct edu_file, ref);
	struct edu_dev *edu = ef->edu;

	if (ef->page)
		__free_page(ef->page);
	edu_ring_release(ef);
	put_pid(ef->sig_pid);
	kfree(ef);
	put_device(&edu->dev);
}

void edu_file_get(struct edu_file *ef)
{
	kref_get(&ef->ref);
}

void edu_file_put(struct edu_file *ef)
{
	kref_put(&ef->ref, edu_file_release);
}

/**
 * edu_file_page() - the file's DMA page, allocated on first use
 * @ef: the file
 *
 * The device addresses 28 bits without an IOMMU: the page comes from the
 * DMA zone, so that mapping it never needs a bounce buffer.
 *
 * Return: the page, or NULL without memory.
 */
struct page *edu_file_page(struct edu_file *ef)
{
	struct page *page = READ_ONCE(ef->page), *old;

	if (page)
		return page;
	page = alloc_page(GFP_KERNEL_ACCOUNT | GFP_DMA | __GFP_ZERO);
	if (!page)
		return NULL;
	/* Two first users at once: one page wins, the other is freed. */
	old = cmpxchg(&ef->page, NULL, page);
	if (old) {
		__free_page(page);
		return old;
	}
	return page;
}

int edu_file_mmap(struct edu_file *ef, struct vm_area_struct *vma)
{
	unsigned long size = vma->vm_end - vma->vm_start;
	struct page *page;

	/* The page is DMA memory from a small zone, for an admin operation. */
	if (!edu_capable())
		return -EPERM;
	if (vma->vm_pgoff || size > EDU_MMAP_SIZE)
		return -EINVAL;
	/*
	 * A private (copy-on-write) view of a DMA buffer makes no sense.
	 * VM_MAYSHARE: a shared mapping of a read-only file has no VM_SHARED.
	 */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;

	/*
	 * No edu_enter() here: mmap() holds mmap_lock, and an ioctl can
	 * fault while entered. Nothing here touches the device: the page is
	 * the file's and outlives remove(), so racing it is harmless.
	 */
	if (READ_ONCE(ef->edu->dead))
		return -ENODEV;
	page = edu_file_page(ef);
	if (!page)
		return -ENOMEM;

	vma->vm_flags &= ~VM_MAYEXEC;
	vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP;
	return vm_map_pages_zero(vma, &page, 1);
}
