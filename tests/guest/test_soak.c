// SPDX-License-Identifier: GPL-2.0
/*
 * Soak (issue #11): SOAK_RELOADS module reload cycles with both devices
 * bound, and SOAK_REBINDS unbind/bind cycles of edu0 with files open, each
 * cycle checked. Slab and MemAvailable are sampled after a warm-up; a
 * rising trend (a leak per cycle) fails the test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/edu.h>

#include "tests.h"
#include "util.h"

/*
 * Time bounds for the default counts (200 reloads, 50 rebinds) on every
 * lane: a cycle takes about 0.3 s on the Debian lane, 4.2 s (reload) and
 * 2.2 s (rebind) on the debug lane. A test that sees it cannot finish in
 * time stops with a failure that says so; a cycle that hangs is ended by
 * its own alarm, long before the bound.
 */
#define RELOAD_BOUND	1200
#define REBIND_BOUND	300
#define BOUND_SLACK	30	/* seconds kept for the trend check and cleanup */
#define CYCLE_LIMIT	60	/* seconds one cycle may take */

#define MAX_SAMPLES	64
#define PROBE_BIT	0x00100000u

struct trend {
	int n;
	long long cycle[MAX_SAMPLES];
	long long slab[MAX_SAMPLES];	/* kB */
	long long avail[MAX_SAMPLES];	/* kB */
};

static int env_int(const char *name, int def)
{
	const char *v = getenv(name);

	return v && *v ? atoi(v) : def;
}

static long long meminfo(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? atoll(p + strlen(key)) : -1;
}

/* After dropping clean caches, so that only what stays allocated counts. */
static int sample(struct trend *t, int cycle)
{
	char buf[4096];

	if (t->n == MAX_SAMPLES)
		return 0;
	sync();
	if (write_text("/proc/sys/vm/drop_caches", "3", 1) ||
	    read_text("/proc/meminfo", buf, sizeof(buf)))
		return -1;
	t->cycle[t->n] = cycle;
	t->slab[t->n] = meminfo(buf, "\nSlab:");
	t->avail[t->n] = meminfo(buf, "\nMemAvailable:");
	if (t->slab[t->n] < 0 || t->avail[t->n] < 0)
		return -1;
	t->n++;
	return 0;
}

/* Growth of y over the run, from its least-squares line: noise averages out. */
static double fitted_growth(const long long *x, const long long *y, int n)
{
	double mx = 0, my = 0, sxy = 0, sxx = 0;
	int i;

	for (i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= n;
	my /= n;
	for (i = 0; i < n; i++) {
		sxy += (x[i] - mx) * (y[i] - my);
		sxx += (x[i] - mx) * (x[i] - mx);
	}
	return sxx ? sxy / sxx * (x[n - 1] - x[0]) : 0;
}

/* A rise beyond max(1 MiB, 2% of the first sample) is a leak, not noise. */
static long long limit_kb(long long first)
{
	return first / 50 > 1024 ? first / 50 : 1024;
}

static int trend_ok(const struct trend *t, const char *what)
{
	char line[256];
	double slab, avail;
	int i, len = 0;

	for (i = 0; i < t->n; i++) {
		len += snprintf(line + len, sizeof(line) - len, " %lld:%lld/%lld",
				t->cycle[i], t->slab[i], t->avail[i]);
		if (len > 180 || i == t->n - 1) {
			diag("%s: cycle:Slab/MemAvailable kB%s", what, line);
			len = 0;
		}
	}
	CHECK(t->n >= 3, "%s: %d samples, too few cycles for a trend", what, t->n);
	slab = fitted_growth(t->cycle, t->slab, t->n);
	avail = fitted_growth(t->cycle, t->avail, t->n);
	diag("%s: fitted over cycles %lld..%lld: Slab %+.0f kB, MemAvailable %+.0f kB", what,
	     t->cycle[0], t->cycle[t->n - 1], slab, avail);
	CHECK(slab <= limit_kb(t->slab[0]), "%s: Slab grows %.0f kB (limit %lld)", what,
	      slab, limit_kb(t->slab[0]));
	CHECK(-avail <= limit_kb(t->avail[0]), "%s: MemAvailable falls %.0f kB (limit %lld)",
	      what, -avail, limit_kb(t->avail[0]));
	return 0;
}

/* Samples every few cycles after a warm-up (first allocations, caches). */
static int sample_due(int cycle, int cycles)
{
	int warm = cycles / 10 > 2 ? cycles / 10 : 2;
	int every = (cycles - warm) / 25 > 1 ? (cycles - warm) / 25 : 1;

	return cycle >= warm && ((cycle - warm) % every == 0 || cycle == cycles);
}

/*
 * Stops a test that cannot finish within its bound, before the harness
 * kills it: after each cycle, the time so far and the mean per cycle.
 */
static int in_time(const char *what, long long start, int done, int cycles, int bound)
{
	long long spent = now_ms() - start;
	long long need = spent + spent / done * (cycles - done);

	CHECK(need <= (bound - BOUND_SLACK) * 1000LL,
	      "%s: %d of %d cycles took %lld ms (%lld ms each): the rest would exceed the "
	      "%d s bound; lower the count", what, done, cycles, spent, spent / done, bound);
	return 0;
}

static int attr_is(const char *name, const char *attr, const char *want)
{
	char path[96], val[64];

	snprintf(path, sizeof(path), "/sys/class/edu/%.15s/%.32s", name, attr);
	return !read_text(path, val, sizeof(val)) && !strcmp(val, want);
}

/* Waits up to ms for an event with bits on fd, reading past others. */
static int event_with(int fd, unsigned int bits, int ms)
{
	long long end = now_ms() + ms;
	struct edu_event ev;

	while (now_ms() < end)
		if (!next_event(fd, 100, &ev) && (ev.irq_status & bits) == bits)
			return 0;
	return -ETIMEDOUT;
}

/* The device works: its firmware is loaded, a raise comes back as an event. */
static int works(const char *name)
{
	struct edu_factorial f = { .n = 5 };
	int fd, ret;

	CHECK(attr_is(name, "identification", "0x010000ed\n"), "%s: identification", name);
	CHECK(WAIT_FOR(attr_is(name, "firmware_state", "ready\n"), 10000),
	      "%s: firmware not loaded", name);
	fd = edu_open_dev(name, O_RDWR);
	CHECK(fd >= 0, "%s: open: %s", name, strerror(-fd));
	ret = raise_irq(fd, PROBE_BIT);
	if (!ret)
		ret = event_with(fd, PROBE_BIT, 5000);
	if (!ret && (ioctl(fd, EDU_IOC_FACTORIAL, &f) || f.result != 120))
		ret = -EIO;
	close(fd);
	CHECK(ret == 0, "%s: raise, event and factorial: %s", name, strerror(-ret));
	return 0;
}

static int module_idle(void)
{
	char val[16];

	return !read_text("/sys/module/edu/refcnt", val, sizeof(val)) && !strcmp(val, "0\n");
}

static int test_module_reload(void)
{
	int cycles = env_int("SOAK_RELOADS", 200), c, n, i, ret, waits = 0;
	const char *params = strcmp(expected_mode(), "intx") ? "" : "force_intx=1";
	char names[MAX_EDU][16];
	struct trend t = { 0 };
	long long start = now_ms(), worst = 0;

	n = edu_names(names, MAX_EDU);
	CHECK(cycles >= 1, "SOAK_RELOADS=%d", cycles);
	CHECK(n >= 2, "%d devices bound, want both", n);
	for (c = 1; c <= cycles; c++) {
		long long t0 = now_ms();
		int got;

		alarm(CYCLE_LIMIT);

		/*
		 * The firmware loader drops its module reference only after
		 * the driver's callback said "ready": wait for it, or the
		 * unload is refused (EWOULDBLOCK), as rmmod's would be.
		 */
		if (!module_idle()) {
			waits++;
			CHECK(WAIT_FOR(module_idle(), 5000), "cycle %d: module still in use", c);
		}
		ret = module_unload();
		CHECK(ret == 0, "cycle %d: unload: %s", c, strerror(-ret));
		ret = module_load(params);
		CHECK(ret == 0, "cycle %d: load '%s': %s", c, params, strerror(-ret));
		got = edu_names(names, MAX_EDU);
		CHECK(got == n, "cycle %d: %d devices bound, want %d", c, got, n);
		for (i = 0; i < n; i++)
			CHECK(attr_is(names[i], "identification", "0x010000ed\n"),
			      "cycle %d: %s not working", c, names[i]);
		/* Every tenth cycle and the last: firmware, events, factorials. */
		if (c % 10 == 0 || c == cycles || c == 1)
			for (i = 0; i < n; i++)
				CHECK(works(names[i]) == 0, "cycle %d", c);
		if (sample_due(c, cycles))
			CHECK(sample(&t, c) == 0, "cycle %d: /proc/meminfo", c);
		if (now_ms() - t0 > worst)
			worst = now_ms() - t0;
		if (in_time("reload", start, c, cycles, RELOAD_BOUND))
			return -1;
	}
	alarm(BOUND_SLACK);
	diag("reload: %d cycles in %lld ms, %lld ms each, slowest %lld ms; %d waited for "
	     "the module's references", cycles, now_ms() - start, (now_ms() - start) / cycles,
	     worst, waits);
	CHECK(!strcmp(expected_mode(), *params ? "intx" : "msi"), "mode changed");
	return trend_ok(&t, "reload");
}

/* Files of the device that stay open across its unbind. */
struct held {
	int fd, attr[2];
	unsigned char *map;
};

static int hold(struct held *h, const char *name, int cycle)
{
	static const char *const attrs[] = { "identification", "stats/irqs" };
	struct edu_dma d = { .dir = EDU_DMA_TO_DEVICE, .len = 64 };
	char path[96], val[32];
	int i;

	h->fd = edu_open_dev(name, O_RDWR);
	CHECK(h->fd >= 0, "%s: open: %s", name, strerror(-h->fd));
	h->map = mmap(NULL, EDU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, h->fd, 0);
	CHECK(h->map != MAP_FAILED, "%s: mmap: %s", name, strerror(errno));
	memset(h->map, cycle, EDU_MMAP_SIZE);
	CHECK(ioctl(h->fd, EDU_IOC_DMA, &d) == 0, "%s: DMA: %s", name, strerror(errno));
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/sys/class/edu/%.15s/%s", name, attrs[i]);
		h->attr[i] = open(path, O_RDONLY | O_CLOEXEC);
		CHECK(h->attr[i] >= 0, "%s: %s", path, strerror(errno));
		CHECK(pread(h->attr[i], val, sizeof(val), 0) > 0, "%s: read", path);
	}
	return 0;
}

static void release(struct held *h)
{
	if (h->map && h->map != MAP_FAILED)
		munmap(h->map, EDU_MMAP_SIZE);
	if (h->fd >= 0)
		close(h->fd);
	if (h->attr[0] >= 0)
		close(h->attr[0]);
	if (h->attr[1] >= 0)
		close(h->attr[1]);
	memset(h, 0, sizeof(*h));
	h->fd = h->attr[0] = h->attr[1] = -1;
}

/* After unbind: every held file says ENODEV; the mapping is still memory. */
static int held_gone(struct held *h, int cycle)
{
	struct edu_info info;
	struct edu_event ev;
	char val[32];
	int i;

	CHECK(ioctl(h->fd, EDU_IOC_INFO, &info) == -1 && errno == ENODEV, "ioctl: %s",
	      strerror(errno));
	CHECK(read(h->fd, &ev, sizeof(ev)) == -1 && errno == ENODEV, "read: %s",
	      strerror(errno));
	for (i = 0; i < 2; i++)
		CHECK(pread(h->attr[i], val, sizeof(val), 0) == -1 && errno == ENODEV,
		      "sysfs file %d read after unbind: %s", i, strerror(errno));
	for (i = 0; i < EDU_MMAP_SIZE; i++)
		CHECK(h->map[i] == (unsigned char)cycle, "mapping byte %d: %#x", i, h->map[i]);
	return 0;
}

static int test_unbind_bind(void)
{
	int cycles = env_int("SOAK_REBINDS", 50), c, other, ret;
	char bdf[32], cur[16], now[16];
	struct held h = { .fd = -1, .attr = { -1, -1 } };
	struct trend t = { 0 };
	long long start = now_ms(), worst = 0;

	CHECK(cycles >= 1, "SOAK_REBINDS=%d", cycles);
	CHECK(bdf_of("edu0", bdf, sizeof(bdf)) == 0, "edu0");
	/* The other device is held open throughout: it keeps working. */
	other = edu_open_dev("edu1", O_RDWR);
	CHECK(other >= 0, "edu1: %s", strerror(-other));
	snprintf(cur, sizeof(cur), "edu0");
	for (c = 1; c <= cycles; c++) {
		long long t0 = now_ms();

		alarm(CYCLE_LIMIT);
		CHECK(hold(&h, cur, c) == 0, "cycle %d", c);
		ret = driver_ctl("unbind", bdf);
		CHECK(ret == 0, "cycle %d: unbind: %s", c, strerror(-ret));
		CHECK(held_gone(&h, c) == 0, "cycle %d: %s after unbind", c, cur);
		ret = driver_ctl("bind", bdf);
		CHECK(ret == 0, "cycle %d: bind: %s", c, strerror(-ret));
		/* The held file keeps its name taken: the device comes back as another. */
		edu_name_at(bdf, now, sizeof(now));
		CHECK(now[0] && strcmp(now, cur), "cycle %d: rebound as '%s' while %s is held",
		      c, now, cur);
		CHECK(works(now) == 0, "cycle %d", c);
		release(&h);
		snprintf(cur, sizeof(cur), "%s", now);
		if (sample_due(c, cycles))
			CHECK(sample(&t, c) == 0, "cycle %d: /proc/meminfo", c);
		if (now_ms() - t0 > worst)
			worst = now_ms() - t0;
		if (in_time("rebind", start, c, cycles, REBIND_BOUND))
			return -1;
	}
	alarm(BOUND_SLACK);
	diag("rebind: %d cycles in %lld ms, %lld ms each, slowest %lld ms", cycles,
	     now_ms() - start, (now_ms() - start) / cycles, worst);
	/* Nothing held now: one more cycle gives the device its first name back. */
	if (strcmp(cur, "edu0")) {
		CHECK(driver_ctl("unbind", bdf) == 0, "unbind");
		CHECK(driver_ctl("bind", bdf) == 0, "bind");
		edu_name_at(bdf, now, sizeof(now));
		CHECK(!strcmp(now, "edu0"), "came back as '%s' with nothing held", now);
	}
	CHECK(works("edu0") == 0, "edu0 at the end");
	ret = raise_irq(other, PROBE_BIT);
	CHECK(ret == 0 && event_with(other, PROBE_BIT, 5000) == 0,
	      "edu1, held open throughout, no longer works: %s", strerror(-ret));
	close(other);
	return trend_ok(&t, "rebind");
}

const struct test_case soak_tests[] = {
	TEST_LONG(module_reload, RELOAD_BOUND),
	TEST_LONG(unbind_bind, REBIND_BOUND),
	TEST_END
};
