/* SPDX-License-Identifier: GPL-2.0 */
/*
 * edu-bench: every channel between the edu driver and user space, side by
 * side with UIO and VFIO, in one boot (docs/bench.md).
 */
#ifndef EDU_BENCH_H
#define EDU_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* What the run was given: devices and sample counts. */
struct bench_cfg {
	const char *dev;	/* our device, "edu0" */
	const char *dev2;	/* a second one for parallel DMA, or NULL */
	const char *more[2];	/* a third and fourth for DMA scaling, or NULL */
	const char *uio_bdf;	/* an edu bound to uio_pci_generic, or NULL */
	const char *vfio_bdf;	/* an edu bound to vfio-pci, or NULL */
	unsigned int samples;	/* per latency figure */
	unsigned int storm_ms;	/* per storm figure */
};

/* Samples of one figure, in nanoseconds (or the unit the figure says). */
struct bench_samples {
	uint64_t *v;
	size_t n, cap;
	unsigned int failed;	/* samples that timed out or failed */
};

void samples_init(struct bench_samples *s);
void samples_add(struct bench_samples *s, uint64_t v);
void samples_free(struct bench_samples *s);

uint64_t now_ns(void);

/*
 * A figure for the report. Latency figures give their samples; rate
 * figures (unit "ops/s", "events/s", "MB/s") give one value in p50.
 */
void report_samples(const char *group, const char *name, const char *unit,
		    struct bench_samples *s, const char *note);
void report_value(const char *group, const char *name, const char *unit,
		  double value, uint64_t n, const char *note);
/* A figure that could not be taken, and why. */
void report_skip(const char *group, const char *name, const char *why);

/* BAR0 of an edu not bound to our driver, mapped through its resource0. */
struct bar {
	int fd;
	volatile uint32_t *regs;
};
int bar_map_resource(const char *bdf, struct bar *b);
void bar_unmap(struct bar *b);
static inline uint32_t bar_read(const struct bar *b, unsigned int off)
{
	return b->regs[off / 4];
}
static inline void bar_write(const struct bar *b, unsigned int off, uint32_t val)
{
	b->regs[off / 4] = val;
}

/* peers.c: the devices bound to the peers' drivers */
struct uio_peer {
	int fd;			/* /dev/uioN */
	int config;		/* the device's PCI config space (sysfs) */
	struct bar bar;
};
int uio_open(const char *bdf, struct uio_peer *u);
/* uio_pci_generic masks INTx at each interrupt; its user unmasks. */
int uio_unmask(struct uio_peer *u);
void uio_close(struct uio_peer *u);

struct vfio_peer {
	int container, group, device;
	int efd;		/* MSI vector 0 signals it */
	volatile uint32_t *regs;
	size_t bar_size;
};
int vfio_open(const char *bdf, struct vfio_peer *v);
void vfio_close(struct vfio_peer *v);

/* The groups (one file each). */
void bench_control(const struct bench_cfg *cfg);
void bench_events(const struct bench_cfg *cfg);
void bench_uevent(const struct bench_cfg *cfg);
void bench_upcall(const struct bench_cfg *cfg);	/* routes.c */
void bench_storm(const struct bench_cfg *cfg);
void bench_fanout(const struct bench_cfg *cfg);
void bench_data(const struct bench_cfg *cfg);
void bench_factorial(const struct bench_cfg *cfg);

/* An interrupt status bit that only the benchmark raises. */
#define BENCH_IRQ_BIT	0x00100000u

#endif /* EDU_BENCH_H */
