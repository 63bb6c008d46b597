// SPDX-License-Identifier: GPL-2.0
/*
 * eductl irq test eduN [--count N] [--via HOW]: as pcitest checks its own
 * interrupts. Raises N interrupts one at a time, each with its own status
 * bit, waits for each through the chosen channel, and checks that every
 * one arrived exactly once, in sequence, with nothing lost; reports the
 * latency from the raise to the record in hand.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "libedu.h"
#include "eductl.h"
#include "evsrc.h"

#define MAX_COUNT	1000
#define WAIT_MS		2000	/* per interrupt: a miss, not a slow one */
#define SETTLE_MS	200	/* after the last: duplicates arrive late */

struct irq_result {
	unsigned int count, received, missed, duplicate, unexpected;
	unsigned long long lost;	/* records' lost + gaps in seq */
	unsigned long long lat_us[MAX_COUNT];
};

/* Bits 16..31 in turn: never the factorial's (0x1) or the DMA's (0x100). */
static uint32_t bit_of(unsigned int i)
{
	return 1u << (16 + i % 16);
}

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

/* Classifies a record that is not the awaited one. */
static void other(struct irq_result *r, const struct edu_event *ev, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < i && j < 16; j++)
		if (ev->irq_status == bit_of(j)) {
			r->duplicate++;
			return;
		}
	r->unexpected++;
}

/*
 * Events this file never got, from the gap in seq (every event goes to
 * every file; the driver's own count, the record's lost, says the same).
 */
static void account(struct irq_result *r, const struct edu_event *ev,
		    unsigned long long *prev_seq)
{
	if (*prev_seq && ev->seq > *prev_seq + 1)
		r->lost += ev->seq - *prev_seq - 1;
	*prev_seq = ev->seq;
}

static int run_test(struct evsrc *s, int fd, struct irq_result *r)
{
	unsigned long long prev_seq = 0;
	struct edu_event ev;
	unsigned int i;
	int ret;

	for (i = 0; i < r->count; i++) {
		uint32_t bit = bit_of(i);
		unsigned long long t0 = now_us();

		if (ioctl(fd, EDU_IOC_RAISE_IRQ, &bit))
			return -errno;
		for (;;) {
			ret = evsrc_next(s, &ev, WAIT_MS);
			if (ret < 0)
				return ret;
			if (ret == 0) {
				r->missed++;
				break;
			}
			account(r, &ev, &prev_seq);
			if (ev.type == EDU_EVENT_INTERRUPT && ev.irq_status == bit) {
				r->lat_us[r->received++] = now_us() - t0;
				break;
			}
			other(r, &ev, i);
		}
	}
	while ((ret = evsrc_next(s, &ev, SETTLE_MS)) > 0) {
		account(r, &ev, &prev_seq);
		other(r, &ev, r->count);
	}
	return ret;
}

static int by_value(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *name, const char *via, struct irq_result *r, int ok)
{
	unsigned long long p50 = 0, max = 0;
	struct json_object *o;

	if (r->received) {
		qsort(r->lat_us, r->received, sizeof(r->lat_us[0]), by_value);
		p50 = r->lat_us[(r->received - 1) / 2];
		max = r->lat_us[r->received - 1];
	}
	if (!opt_json) {
		printf("%s: %u interrupts by %s: %u received, %u missed, %u duplicate, "
		       "%u unexpected, %llu lost; latency p50 %llu us max %llu us\n%s\n",
		       name, r->count, via, r->received, r->missed, r->duplicate,
		       r->unexpected, r->lost, p50, max, ok ? "OKAY" : "NOT OKAY");
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "device", json_object_new_string(name));
	json_object_object_add(o, "via", json_object_new_string(via));
	json_object_object_add(o, "count", json_object_new_int(r->count));
	json_object_object_add(o, "received", json_object_new_int(r->received));
	json_object_object_add(o, "missed", json_object_new_int(r->missed));
	json_object_object_add(o, "duplicate", json_object_new_int(r->duplicate));
	json_object_object_add(o, "unexpected", json_object_new_int(r->unexpected));
	json_object_object_add(o, "lost", json_object_new_uint64(r->lost));
	json_object_object_add(o, "latency_p50_us", json_object_new_uint64(p50));
	json_object_object_add(o, "latency_max_us", json_object_new_uint64(max));
	json_object_object_add(o, "ok", json_object_new_boolean(ok));
	json_print(o);
}

int cmd_irq_test(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "via", required_argument, NULL, 'v' },
		OPT_HELP, OPT_END
	};
	static struct irq_result r;
	enum evsrc_how how = BY_POLL;
	char name[EDU_NAME_MAX];
	struct evsrc s;
	int c, fd, ret, ok;

	memset(&r, 0, sizeof(r));
	r.count = 10;
	while ((c = getopt_long(argc, argv, "hn:", opts, NULL)) != -1) {
		if (c == 'n' && !opt_uint("--count", optarg, MAX_COUNT, &r.count))
			continue;
		if (c == 'n')
			return EXIT_USAGE;
		if (c != 'v')
			return opt_done(c);
		how = evsrc_parse(optarg);
		if (how == BY_NONE)
			return usage_error("--via '%s': read, poll, epoll, signal, sigio, "
					   "eventfd or ring", optarg);
	}
	if (argc - optind != 1 || !r.count)
		return usage_error("usage: irq test eduN [--count 1..%d] [--via HOW]",
				   MAX_COUNT);
	ret = device_arg(argv[optind], name);
	if (ret)
		return ret;
	/* Listen first: the first raise must not come before the file exists. */
	ret = evsrc_open(&s, name, how, 256);
	if (ret)
		return fail(ret, "%s: listening by %s", name, evsrc_names[how]);
	fd = edu_open_dev(name, O_RDWR);
	if (fd < 0) {
		evsrc_close(&s);
		return fail(fd, "%s", name);
	}
	ret = run_test(&s, fd, &r);
	close(fd);
	evsrc_close(&s);
	if (ret < 0)
		return fail(ret, "%s: irq test by %s", name, evsrc_names[how]);
	ok = r.received == r.count && !r.missed && !r.duplicate && !r.lost;
	report(name, evsrc_names[how], &r, ok);
	return ok ? EXIT_OK : EXIT_FAIL;
}
