// SPDX-License-Identifier: GPL-2.0
/*
 * An open /dev/eduN: its event queue and its DMA buffer, which mmap() maps
 * (the zero-copy path). A mapping pins the struct file (vm_file), so the
 * buffer, freed with the last reference to the file context, outlives every
 * mapping and may outlive remove(), but never a user. Mappings are shared,
 * fixed in size, and not inherited across fork.
 */
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/slab.h>

#include "edu.h"

/* Events an open file can hold before the oldest are dropped. */
unsigned int edu_event_queue_len = 64;

struct edu_file *edu_file_alloc(struct edu_dev *edu)
{
	struct edu_file *ef;

	ef = kzalloc(sizeof(*ef), GFP_KERNEL);
	if (!ef)
		return NULL;

	ef->len = READ_ONCE(edu_event_queue_len);
	ef->queue = kcalloc(ef->len, sizeof(*ef->queue), GFP_KERNEL);
	if (!ef->queue)
		goto err_free;

	ef->buf = dma_alloc_coherent(&edu->pdev->dev, EDU_MMAP_SIZE,
				     &ef->buf_dma, GFP_KERNEL);
	if (!ef->buf)
		goto err_free;

	kref_init(&ef->ref);
	INIT_LIST_HEAD(&ef->node);
	init_waitqueue_head(&ef->wait);
	get_device(&edu->dev);
	ef->edu = edu;
	return ef;

err_free:
	kfree(ef->queue);
	kfree(ef);
	return NULL;
}

static void edu_file_release(struct kref *ref)
{
	struct edu_file *ef = container_of(ref, struct edu_file, ref);
	struct edu_dev *edu = ef->edu;

	/* edu->pdev stays referenced until edu is freed. */
	dma_free_coherent(&edu->pdev->dev, EDU_MMAP_SIZE, ef->buf, ef->buf_dma);
	put_pid(ef->sig_pid);
	kfree(ef->queue);
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

int edu_file_mmap(struct edu_file *ef, struct vm_area_struct *vma)
{
	unsigned long size = vma->vm_end - vma->vm_start;

	if (vma->vm_pgoff || size > EDU_MMAP_SIZE)
		return -EINVAL;
	/* A private (copy-on-write) view of a DMA buffer makes no sense. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;

	/*
	 * No edu_enter() here: mmap() holds mmap_lock, and an ioctl inside
	 * edu_enter() can fault and want it, a deadlock once remove() waits
	 * for the write side. Nothing here touches the hardware: the buffer is
	 * the file's and outlives remove(), so racing it is harmless.
	 */
	if (READ_ONCE(ef->edu->dead))
		return -ENODEV;

	vma->vm_flags &= ~VM_MAYEXEC;
	vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP;
	return dma_mmap_coherent(&ef->edu->pdev->dev, vma, ef->buf, ef->buf_dma,
				 EDU_MMAP_SIZE);
}
