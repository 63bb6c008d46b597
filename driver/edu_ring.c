// SPDX-License-Identifier: GPL-2.0
/*
 * The event ring (docs/ring.md): a file's events as records in memory it
 * maps, with no system call per event. EDU_IOC_RING_SETUP allocates it
 * (once per file), mmap() at EDU_RING_MMAP_OFFSET maps it: a header page
 * with the producer and consumer indexes, then the records.
 *
 * The kernel side is the producer, under events_lock (from the interrupt
 * handler): it writes a record, then publishes it with smp_store_release()
 * of the producer index; it reads the consumer index with
 * smp_load_acquire(), pairing with user space's store-release after it has
 * read the records (Documentation/core-api/circular-buffers.rst).
 *
 * User space can write anything anywhere in the mapping. The kernel keeps
 * its own producer index, size and mask, writes only inside its array, and
 * trusts the consumer index only as far as this: a ring with fewer than
 * @entries records in use, counted from it, has room; any other value
 * (ahead of the producer, or more than @entries behind) counts as full.
 *
 * The pages are the file's: allocated by the ioctl, mapped (each mapping
 * holds its own page references) and freed with the file. They stay valid
 * after remove(); the ring is then marked dead and gets no more records.
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "edu.h"
#include "edu_trace.h"

/**
 * struct edu_ring - a file's event ring
 * @pages: its pages, header first
 * @npages: how many
 * @size: bytes mapped: @npages pages
 * @hdr: the header, through the kernel's mapping of @pages
 * @rec: the records, likewise
 * @entries: records, a power of two (the kernel's copy)
 * @prod: the producer index (the kernel's copy; events_lock)
 * @lost: events dropped since the last record written (events_lock)
 * @overflow: events dropped in all (events_lock)
 * @dead: the device is gone: no more records (events_lock)
 * @user: whose locked memory @npages are charged to, or NULL
 */
struct edu_ring {
	struct page **pages;
	unsigned int npages;
	size_t size;
	struct edu_ring_header *hdr;
	struct edu_event *rec;
	u32 entries;
	u32 prod;
	u32 lost;
	u64 overflow;
	bool dead;
	struct user_struct *user;
};

/* The file's ring or NULL, without the lock: set once, complete when seen. */
static struct edu_ring *edu_ring_of(struct edu_file *ef)
{
	/* Pairs with the store-release in edu_ring_setup(). */
	return smp_load_acquire(&ef->ring);
}

bool edu_has_ring(struct edu_file *ef)
{
	return edu_ring_of(ef);
}

/*
 * The pages of a ring cannot be swapped out: as perf's and io_uring's
 * rings, they count against the user's RLIMIT_MEMLOCK (not for
 * CAP_IPC_LOCK), so that opening many files cannot pin unbounded memory.
 */
static int edu_ring_charge(struct edu_ring *ring)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT, cur, new;
	struct user_struct *user;

	if (capable(CAP_IPC_LOCK))
		return 0;
	user = get_uid(current_user());
	cur = atomic_long_read(&user->locked_vm);
	do {
		new = cur + ring->npages;
		if (new > limit) {
			free_uid(user);
			return -ENOMEM;
		}
	} while (!atomic_long_try_cmpxchg(&user->locked_vm, &cur, new));
	ring->user = user;
	return 0;
}

static void edu_ring_free(struct edu_ring *ring)
{
	unsigned int i;

	if (ring->user) {
		atomic_long_sub(ring->npages, &ring->user->locked_vm);
		free_uid(ring->user);
	}
	if (ring->hdr)
		vunmap(ring->hdr);
	for (i = 0; ring->pages && i < ring->npages; i++)
		if (ring->pages[i])
			put_page(ring->pages[i]);
	kvfree(ring->pages);
	kfree(ring);
}

static struct edu_ring *edu_ring_alloc(u32 entries)
{
	struct edu_ring *ring;
	unsigned int i;

	ring = kzalloc(sizeof(*ring), GFP_KERNEL_ACCOUNT);
	if (!ring)
		return NULL;
	ring->entries = entries;
	/* The header has a page of its own, whatever the page size. */
	BUILD_BUG_ON(sizeof(struct edu_ring_header) > EDU_RING_HDR_SIZE);
	ring->size = PAGE_SIZE + PAGE_ALIGN((size_t)entries * sizeof(struct edu_event));
	ring->npages = ring->size >> PAGE_SHIFT;
	if (edu_ring_charge(ring)) {
		kfree(ring);
		return NULL;
	}
	ring->pages = kvcalloc(ring->npages, sizeof(*ring->pages),
			       GFP_KERNEL_ACCOUNT);
	if (!ring->pages)
		goto fail;
	/* Charged to the caller: anyone may make one. */
	for (i = 0; i < ring->npages; i++) {
		ring->pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!ring->pages[i])
			goto fail;
	}
	ring->hdr = vmap(ring->pages, ring->npages, VM_MAP, PAGE_KERNEL);
	if (!ring->hdr)
		goto fail;
	ring->rec = (void *)ring->hdr + PAGE_SIZE;
	ring->hdr->entries = entries;
	ring->hdr->record_size = sizeof(struct edu_event);
	ring->hdr->records_offset = PAGE_SIZE;
	return ring;
fail:
	edu_ring_free(ring);
	return NULL;
}

/**
 * edu_ring_setup() - EDU_IOC_RING_SETUP: give the file its ring
 * @ef: the file
 * @argp: the user's struct edu_ring_setup: the size in; where to map it out
 *
 * From now on the file's events go to the ring; read(2) returns what was
 * queued before, then EINVAL. The answer is written before the ring is
 * installed, so that an error (-EFAULT included) leaves the file as it was.
 * The user's memory is touched outside edu_enter(), like every ioctl's.
 *
 * Return: 0; -EFAULT; -EINVAL for flags or a size that is not a power of
 * two in range; -EBUSY if the file has a ring; -ENOMEM; -ENODEV.
 */
int edu_ring_setup(struct edu_file *ef, struct edu_ring_setup __user *argp)
{
	struct edu_dev *edu = ef->edu;
	struct edu_ring_setup req;
	struct edu_ring *ring;
	bool busy;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	/* As for every command: a removed device's answer comes first. */
	if (READ_ONCE(edu->dead))
		return -ENODEV;
	if (req.flags || !is_power_of_2(req.entries) ||
	    req.entries < EDU_RING_MIN_ENTRIES ||
	    req.entries > EDU_RING_MAX_ENTRIES)
		return -EINVAL;
	if (READ_ONCE(ef->ring))
		return -EBUSY;
	ring = edu_ring_alloc(req.entries);
	if (!ring)
		return -ENOMEM;
	req.mmap_offset = EDU_RING_MMAP_OFFSET;
	req.mmap_size = ring->size;
	if (copy_to_user(argp, &req, sizeof(req))) {
		ret = -EFAULT;
		goto err_free;
	}

	ret = edu_enter(edu);
	if (ret)
		goto err_free;
	spin_lock_irq(&edu->events_lock);
	busy = ef->ring;
	if (!busy) {
		edu_events_queue_close(ef);
		/* mmap() and poll() read it without the lock. */
		smp_store_release(&ef->ring, ring);
		edu_events_watch(ef);
	}
	spin_unlock_irq(&edu->events_lock);
	edu_leave(edu);
	if (busy) {
		ret = -EBUSY;
		goto err_free;
	}
	/* A reader asleep on the empty queue now gets EINVAL. */
	wake_up_interruptible_all(&edu->events_wait);
	return 0;

err_free:
	edu_ring_free(ring);
	return ret;
}

/**
 * edu_ring_consume() - EDU_IOC_RING_CONSUME: store the consumer index
 * @ef: the file
 * @consumer: the new index
 *
 * For a file opened read-only, whose mapping cannot be writable.
 *
 * Return: 0; -ENXIO without a ring; -EINVAL for an index outside
 * [producer - entries, producer].
 */
int edu_ring_consume(struct edu_file *ef, u32 consumer)
{
	struct edu_ring *ring = edu_ring_of(ef);

	if (!ring)
		return -ENXIO;
	if (READ_ONCE(ring->prod) - consumer > ring->entries)
		return -EINVAL;
	/* As user space would: the records before the index are read. */
	smp_store_release(&ring->hdr->consumer, consumer);
	return 0;
}

/*
 * Called with events_lock held, from any context. @target: the file's place
 * among the device's files visited on each event, for the trace.
 */
void edu_ring_push(struct edu_file *ef, const struct edu_event *ev, int target)
{
	struct edu_ring *ring = ef->ring;
	struct edu_ring_header *hdr = ring->hdr;
	struct edu_event *rec;
	u32 cons;

	if (ring->dead)
		return;
	/* Pairs with user space's store-release: it is done with those slots. */
	cons = smp_load_acquire(&hdr->consumer);
	if (ring->prod - cons >= ring->entries) {
		ring->lost++;
		ring->overflow++;
		WRITE_ONCE(hdr->overflow, ring->overflow);
		edu_count(ef->edu, events_dropped);
		trace_edu_event_deliver(ef->edu->id, ev->seq, EDU_TR_CH_RING,
					target, -ENOSPC, ring->prod - cons,
					ring->lost);
		return;
	}
	rec = &ring->rec[ring->prod & (ring->entries - 1)];
	*rec = *ev;
	rec->lost = ring->lost;
	ring->lost = 0;
	/* The record before the index that publishes it. */
	smp_store_release(&hdr->producer, ring->prod + 1);
	WRITE_ONCE(ring->prod, ring->prod + 1);
	trace_edu_event_deliver(ef->edu->id, ev->seq, EDU_TR_CH_RING, target, 0,
				ring->prod - cons, 0);
}

/* Records the consumer has not taken: poll() and read() without a lock. */
bool edu_ring_ready(struct edu_file *ef)
{
	struct edu_ring *ring = edu_ring_of(ef);

	return ring && READ_ONCE(ring->prod) != READ_ONCE(ring->hdr->consumer);
}

/* Called with events_lock held by remove(): no more records. */
void edu_ring_kill(struct edu_file *ef)
{
	struct edu_ring *ring = ef->ring;

	if (!ring)
		return;
	ring->dead = true;
	/* After the last record: a consumer that sees it has seen them all. */
	smp_store_release(&ring->hdr->flags, ring->hdr->flags | EDU_RING_F_DEAD);
}

/*
 * mmap() at EDU_RING_MMAP_OFFSET: the whole ring, shared, never executable,
 * not inherited across fork (the child may map it again through the file).
 */
int edu_ring_mmap(struct edu_file *ef, struct vm_area_struct *vma)
{
	struct edu_ring *ring = edu_ring_of(ef);
	unsigned long size = vma->vm_end - vma->vm_start;

	if (!ring || vma->vm_pgoff != EDU_RING_MMAP_OFFSET >> PAGE_SHIFT ||
	    size != ring->size)
		return -EINVAL;
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	if (READ_ONCE(ef->edu->dead))
		return -ENODEV;

	vma->vm_flags &= ~VM_MAYEXEC;
	vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP;
	return vm_map_pages_zero(vma, ring->pages, ring->npages);
}

/* The file's last reference: the pages go when the last mapping does. */
void edu_ring_release(struct edu_file *ef)
{
	if (ef->ring)
		edu_ring_free(ef->ring);
}
