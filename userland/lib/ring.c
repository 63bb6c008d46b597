// SPDX-License-Identifier: MIT
/*
 * The consumer side of a file's event ring (docs/ring.md): load-acquire the
 * producer index, copy the records, store-release the consumer index. The
 * caller waits with poll(2) on the file only when the ring is empty.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "libedu.h"

int edu_ring_open(int fd, unsigned int entries, struct edu_ring *r)
{
	struct edu_ring_setup req = { .entries = entries };
	int prot = PROT_READ, fl = fcntl(fd, F_GETFL);
	void *map;

	memset(r, 0, sizeof(*r));
	if (fl < 0)
		return -errno;
	if (ioctl(fd, EDU_IOC_RING_SETUP, &req))
		return -errno;
	/* A read-only file maps it read-only and returns slots by ioctl. */
	r->writable = (fl & O_ACCMODE) != O_RDONLY;
	if (r->writable)
		prot |= PROT_WRITE;
	map = mmap(NULL, req.mmap_size, prot, MAP_SHARED, fd, req.mmap_offset);
	if (map == MAP_FAILED)
		return -errno;
	r->fd = fd;
	r->map = map;
	r->size = req.mmap_size;
	r->hdr = map;
	r->records = (struct edu_event *)((char *)map + r->hdr->records_offset);
	r->mask = r->hdr->entries - 1;
	r->consumer = __atomic_load_n(&r->hdr->consumer, __ATOMIC_RELAXED);
	return 0;
}

void edu_ring_close(struct edu_ring *r)
{
	if (r->map)
		munmap(r->map, r->size);
	r->map = NULL;
}

int edu_ring_consume(struct edu_ring *r, struct edu_event *out, unsigned int max)
{
	/* Pairs with the kernel's store-release: the records are written. */
	uint32_t prod = __atomic_load_n(&r->hdr->producer, __ATOMIC_ACQUIRE);
	uint32_t n = prod - r->consumer, i;

	if (n > r->mask + 1)
		return -EIO;	/* not a state the kernel writes */
	if (n > max)
		n = max;
	for (i = 0; i < n; i++)
		out[i] = r->records[(r->consumer + i) & r->mask];
	if (!n)
		return 0;
	r->consumer += n;
	/* The records are copied before the kernel may reuse their slots. */
	if (!r->writable)
		return ioctl(r->fd, EDU_IOC_RING_CONSUME, &r->consumer) ? -errno : (int)n;
	__atomic_store_n(&r->hdr->consumer, r->consumer, __ATOMIC_RELEASE);
	return n;
}

int edu_ring_dead(const struct edu_ring *r)
{
	return !!(__atomic_load_n(&r->hdr->flags, __ATOMIC_ACQUIRE) & EDU_RING_F_DEAD);
}

uint64_t edu_ring_overflow(const struct edu_ring *r)
{
	return __atomic_load_n(&r->hdr->overflow, __ATOMIC_RELAXED);
}
