// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of libedu's ring consumer against a ring built in plain
 * memory, the kernel's side played by the test: records in order across
 * the wrap, a batch bounded by the caller, and a producer index no kernel
 * writes refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libedu.h"
#include "unit.h"

#define ENTRIES 4

static struct edu_ring_header *fake_ring(struct edu_ring *r)
{
	struct edu_ring_header *h = calloc(1, EDU_RING_HDR_SIZE +
					   ENTRIES * sizeof(struct edu_event));

	memset(r, 0, sizeof(*r));
	if (!h)
		return NULL;
	h->entries = ENTRIES;
	h->record_size = sizeof(struct edu_event);
	h->records_offset = EDU_RING_HDR_SIZE;
	r->writable = 1;
	r->hdr = h;
	r->records = (struct edu_event *)((char *)h + EDU_RING_HDR_SIZE);
	r->mask = ENTRIES - 1;
	return h;
}

/* The producer's side, as the kernel does it. */
static void produce(struct edu_ring *r, unsigned int seq)
{
	uint32_t p = r->hdr->producer;

	memset(&r->records[p & r->mask], 0, sizeof(struct edu_event));
	r->records[p & r->mask].seq = seq;
	__atomic_store_n(&r->hdr->producer, p + 1, __ATOMIC_RELEASE);
}

static void test_ring_in_order(void)
{
	struct edu_event out[ENTRIES];
	struct edu_ring r;
	unsigned int seq = 1, want = 1, i, round;
	int ok = 1;

	EXPECT(fake_ring(&r));
	if (!r.hdr)
		return result(0, "ring_in_order");
	EXPECT(edu_ring_consume(&r, out, ENTRIES) == 0);
	for (round = 0; round < 5; round++) {
		int n;

		for (i = 0; i < 3; i++)
			produce(&r, seq++);
		/* A batch of 2, then the rest. */
		n = edu_ring_consume(&r, out, 2);
		EXPECT(n == 2);
		n += edu_ring_consume(&r, out + 2, ENTRIES);
		EXPECT(n == 3);
		for (i = 0; i < 3 && i < (unsigned int)n; i++)
			EXPECT(out[i].seq == want++);
		EXPECT(r.hdr->consumer == r.hdr->producer);
	}
	EXPECT(r.hdr->producer == 15);
	free(r.hdr);
	result(ok, "ring_in_order");
}

static void test_ring_bad_producer(void)
{
	struct edu_event out[ENTRIES];
	struct edu_ring r;
	int ok = 1;

	EXPECT(fake_ring(&r));
	if (!r.hdr)
		return result(0, "ring_bad_producer");
	r.hdr->producer = ENTRIES + 1;	/* more than a ring holds */
	EXPECT(edu_ring_consume(&r, out, ENTRIES) == -EIO);
	EXPECT(r.hdr->consumer == 0);
	r.hdr->producer = ENTRIES;
	EXPECT(edu_ring_consume(&r, out, ENTRIES) == ENTRIES);
	EXPECT(edu_ring_dead(&r) == 0);
	r.hdr->flags = EDU_RING_F_DEAD;
	EXPECT(edu_ring_dead(&r) == 1);
	free(r.hdr);
	result(ok, "ring_bad_producer");
}

static void (*const tests[])(void) = {
	test_ring_in_order,
	test_ring_bad_producer,
};

int main(void)
{
	return unit_main(tests, ARRAY_SIZE(tests));
}
