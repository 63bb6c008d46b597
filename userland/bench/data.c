// SPDX-License-Identifier: GPL-2.0
/*
 * Data: the copy path (EDU_IOC_WRITE_DATA / READ_DATA: the driver copies
 * through its bounce buffer) against zero-copy (EDU_IOC_DMA from the
 * file's mmap'd DMA buffer), from 1 byte to the whole data window, with
 * memcpy as the floor. Every transfer waits for the device's 100 ms
 * timer: the two paths differ by the copy, microseconds next to it. Then DMA transfers per second per device, one and
 * two devices at once, against the device's limit: QEMU's edu finishes a
 * transfer 100 ms (virtual time) after it starts, so 10 per second.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"
#include "libedu.h"

#define DEVICE_LIMIT_PER_S	10.0

static const unsigned int sizes[] = { 1, 64, 512, EDU_DATA_WINDOW_SIZE };

/* Each transfer takes 100 ms: a few samples per figure. */
static unsigned int data_samples(const struct bench_cfg *cfg)
{
	return cfg->samples < 10 ? cfg->samples : 10;
}

/* Latency of one transfer ioctl, data_samples() times. */
static void time_ioctl(const struct bench_cfg *cfg, int fd, unsigned long req, void *arg,
		       const char *name)
{
	struct bench_samples s;
	unsigned int i;

	samples_init(&s);
	for (i = 0; i < data_samples(cfg); i++) {
		uint64_t t0 = now_ns();

		if (ioctl(fd, req, arg))
			s.failed++;
		else
			samples_add(&s, now_ns() - t0);
	}
	report_samples("data", name, "us", &s, NULL);
	samples_free(&s);
}

static void copy_path(const struct bench_cfg *cfg, int fd, unsigned int len, int to_device)
{
	static char buf[EDU_DATA_WINDOW_SIZE];
	struct edu_data d = { .addr = (uintptr_t)buf, .len = len };
	char name[48];

	if (to_device)
		memset(buf, 0x5a, len);
	snprintf(name, sizeof(name), "copy_%s_%u", to_device ? "write" : "read", len);
	time_ioctl(cfg, fd, to_device ? EDU_IOC_WRITE_DATA : EDU_IOC_READ_DATA, &d, name);
}

static void zero_copy(const struct bench_cfg *cfg, int fd, unsigned int len, int to_device)
{
	struct edu_dma d = { .dir = to_device ? EDU_DMA_TO_DEVICE : EDU_DMA_FROM_DEVICE,
			     .len = len };
	char name[48];

	snprintf(name, sizeof(name), "mmap_dma_%s_%u", to_device ? "write" : "read", len);
	time_ioctl(cfg, fd, EDU_IOC_DMA, &d, name);
}

static void memcpy_floor(const struct bench_cfg *cfg, unsigned int len)
{
	static char src[EDU_DATA_WINDOW_SIZE], dst[EDU_DATA_WINDOW_SIZE];
	struct bench_samples s;
	char name[48];
	unsigned int i, k;

	samples_init(&s);
	for (i = 0; i < cfg->samples; i++) {
		uint64_t t0 = now_ns();

		for (k = 0; k < 100; k++) {
			memcpy(dst, src, len);
			/* Keeps the copy: the compiler may not drop it. */
			__asm__ volatile("" : : "r"(dst) : "memory");
		}
		samples_add(&s, (now_ns() - t0) / 100);
	}
	snprintf(name, sizeof(name), "floor_memcpy_%u", len);
	report_samples("data", name, "us", &s, NULL);
	samples_free(&s);
}

struct rate_run {
	const char *dev;
	unsigned int ms;
	uint64_t done;
	int err;
};

static void *dma_loop(void *arg)
{
	struct rate_run *r = arg;
	struct edu_dma d = { .dir = EDU_DMA_TO_DEVICE, .len = EDU_DATA_WINDOW_SIZE };
	uint64_t t0 = now_ns();
	void *map;
	int fd = edu_open_dev(r->dev, O_RDWR);

	if (fd < 0) {
		r->err = fd;
		return NULL;
	}
	map = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		r->err = -errno;
		close(fd);
		return NULL;
	}
	while (now_ns() - t0 < (uint64_t)r->ms * 1000000ull) {
		if (ioctl(fd, EDU_IOC_DMA, &d)) {
			r->err = -errno;
			break;
		}
		r->done++;
	}
	munmap(map, EDU_MMAP_SIZE);
	close(fd);
	return NULL;
}

/* Transfers per second per device, with ndev devices moving at once. */
static void dma_rate(const struct bench_cfg *cfg, unsigned int ndev)
{
	const char *devs[4] = { cfg->dev, cfg->dev2, cfg->more[0], cfg->more[1] };
	struct rate_run runs[4];
	pthread_t threads[4];
	char name[48], note[96];
	unsigned int i;
	uint64_t total = 0;
	double per_dev = 0;

	snprintf(name, sizeof(name), "dma_rate_%u_devices", ndev);
	for (i = 0; i < ndev; i++) {
		if (!devs[i]) {
			report_skip("data", name, "not enough devices");
			return;
		}
		runs[i] = (struct rate_run){ .dev = devs[i], .ms = 3000 };
	}
	for (i = 0; i < ndev; i++)
		pthread_create(&threads[i], NULL, dma_loop, &runs[i]);
	for (i = 0; i < ndev; i++) {
		pthread_join(threads[i], NULL);
		if (runs[i].err) {
			report_skip("data", name, strerror(-runs[i].err));
			return;
		}
		per_dev += runs[i].done * 1000.0 / runs[i].ms / ndev;
		total += runs[i].done;
	}
	snprintf(note, sizeof(note), "per device; %.2f of the device's 10/s",
		 per_dev / DEVICE_LIMIT_PER_S);
	report_value("data", name, "ops/s", per_dev, total, note);
}

void bench_data(const struct bench_cfg *cfg)
{
	unsigned int i;
	void *map;
	int fd = edu_open_dev(cfg->dev, O_RDWR);

	if (fd < 0) {
		report_skip("data", "all", strerror(-fd));
		return;
	}
	/* Zero-copy moves the file's mmap'd buffer: mapped as its users do. */
	map = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		report_skip("data", "mmap_dma", strerror(errno));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memcpy_floor(cfg, sizes[i]);
		copy_path(cfg, fd, sizes[i], 1);
		copy_path(cfg, fd, sizes[i], 0);
		if (map != MAP_FAILED) {
			zero_copy(cfg, fd, sizes[i], 1);
			zero_copy(cfg, fd, sizes[i], 0);
		}
	}
	if (map != MAP_FAILED)
		munmap(map, EDU_MMAP_SIZE);
	close(fd);
	dma_rate(cfg, 1);
	dma_rate(cfg, 2);
	dma_rate(cfg, 4);
}
