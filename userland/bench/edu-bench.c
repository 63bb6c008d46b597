// SPDX-License-Identifier: GPL-2.0
/*
 * edu-bench: runs the groups, prints a table, and writes every figure as
 * JSON (json-c) for the host's plots. docs/bench.md says what each
 * figure measures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "bench.h"

static json_object *figures;
static FILE *tsv;	/* group name unit p50 p99 n, for the plots */

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void samples_init(struct bench_samples *s)
{
	memset(s, 0, sizeof(*s));
}

void samples_add(struct bench_samples *s, uint64_t v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		uint64_t *nv = realloc(s->v, cap * sizeof(*nv));

		if (!nv) {
			s->failed++;
			return;
		}
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
}

void samples_free(struct bench_samples *s)
{
	free(s->v);
	samples_init(s);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The nearest-rank percentile of sorted samples. */
static uint64_t percentile(const struct bench_samples *s, unsigned int pct)
{
	size_t rank = (s->n * pct + 99) / 100;

	return s->v[rank ? rank - 1 : 0];
}

static void add_figure(const char *group, const char *name, const char *unit,
		       double p50, double p99, uint64_t n, unsigned int failed,
		       const char *note)
{
	json_object *f = json_object_new_object();

	json_object_object_add(f, "group", json_object_new_string(group));
	json_object_object_add(f, "name", json_object_new_string(name));
	json_object_object_add(f, "unit", json_object_new_string(unit));
	json_object_object_add(f, "p50", json_object_new_double(p50));
	if (p99 >= 0)
		json_object_object_add(f, "p99", json_object_new_double(p99));
	json_object_object_add(f, "n", json_object_new_int64(n));
	json_object_object_add(f, "failed", json_object_new_int(failed));
	if (note)
		json_object_object_add(f, "note", json_object_new_string(note));
	json_object_array_add(figures, f);
}

void report_samples(const char *group, const char *name, const char *unit,
		    struct bench_samples *s, const char *note)
{
	double p50, p99;

	if (!s->n) {
		report_skip(group, name, "no sample");
		return;
	}
	qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
	p50 = percentile(s, 50) / 1000.0;
	p99 = percentile(s, 99) / 1000.0;
	printf("%-10s %-28s %12.1f %12.1f %7zu %-6s %s", group, name, p50, p99,
	       s->n, unit, note ? note : "");
	if (s->failed)
		printf(" (%u failed: timed out, or a hand-over without an event)", s->failed);
	printf("\n");
	add_figure(group, name, unit, p50, p99, s->n, s->failed, note);
	if (tsv)
		fprintf(tsv, "%s\t%s\t%s\t%.3f\t%.3f\t%zu\n", group, name, unit, p50, p99, s->n);
	fflush(stdout);
}

void report_value(const char *group, const char *name, const char *unit,
		  double value, uint64_t n, const char *note)
{
	printf("%-10s %-28s %12.1f %12s %7llu %-6s %s\n", group, name, value, "-",
	       (unsigned long long)n, unit, note ? note : "");
	add_figure(group, name, unit, value, -1, n, 0, note);
	if (tsv)
		fprintf(tsv, "%s\t%s\t%s\t%.3f\t-\t%llu\n", group, name, unit, value,
			(unsigned long long)n);
	fflush(stdout);
}

void report_skip(const char *group, const char *name, const char *why)
{
	json_object *f = json_object_new_object();

	printf("%-10s %-28s %12s %12s %7s %-6s skipped: %s\n", group, name, "-", "-",
	       "-", "", why);
	json_object_object_add(f, "group", json_object_new_string(group));
	json_object_object_add(f, "name", json_object_new_string(name));
	json_object_object_add(f, "skipped", json_object_new_string(why));
	json_object_array_add(figures, f);
	fflush(stdout);
}

int bar_map_resource(const char *bdf, struct bar *b)
{
	char path[128];
	void *p;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", bdf);
	b->fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (b->fd < 0)
		return -errno;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
	if (p == MAP_FAILED) {
		int err = -errno;

		close(b->fd);
		return err;
	}
	b->regs = p;
	return 0;
}

void bar_unmap(struct bar *b)
{
	munmap((void *)b->regs, 4096);
	close(b->fd);
}

static const struct {
	const char *name;
	void (*run)(const struct bench_cfg *cfg);
} groups[] = {
	{ "control", bench_control },
	{ "events", bench_events },
	{ "storm", bench_storm },
	{ "fanout", bench_fanout },
	{ "data", bench_data },
	{ "factorial", bench_factorial },
};

static void usage(FILE *f)
{
	unsigned int i;

	fprintf(f, "usage: edu-bench [--device eduN] [--device2 eduN] [--dma-device eduN]...\n"
		"                 [--uio BDF] [--vfio BDF]\n"
		"                 [--samples N] [--storm-ms MS] [--json FILE] [--tsv FILE]\n"
		"                 [GROUP...]\n"
		"groups:");
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		fprintf(f, " %s", groups[i].name);
	fprintf(f, " (default: all)\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "device2", required_argument, NULL, 'D' },
		{ "dma-device", required_argument, NULL, 'm' },
		{ "uio", required_argument, NULL, 'u' },
		{ "vfio", required_argument, NULL, 'v' },
		{ "samples", required_argument, NULL, 'n' },
		{ "storm-ms", required_argument, NULL, 's' },
		{ "json", required_argument, NULL, 'j' },
		{ "tsv", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct bench_cfg cfg = { .dev = "edu0", .samples = 200, .storm_ms = 2000 };
	const char *json_path = NULL, *tsv_path = NULL;
	unsigned int i, more = 0;
	int c;

	while ((c = getopt_long(argc, argv, "d:D:m:u:v:n:s:j:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': cfg.dev = optarg; break;
		case 'D': cfg.dev2 = optarg; break;
		case 'm':
			if (more == 2) {
				usage(stderr);
				return 2;
			}
			cfg.more[more++] = optarg;
			break;
		case 'u': cfg.uio_bdf = optarg; break;
		case 'v': cfg.vfio_bdf = optarg; break;
		case 'n': cfg.samples = strtoul(optarg, NULL, 0); break;
		case 's': cfg.storm_ms = strtoul(optarg, NULL, 0); break;
		case 'j': json_path = optarg; break;
		case 't': tsv_path = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!cfg.samples || !cfg.storm_ms) {
		usage(stderr);
		return 2;
	}
	if (tsv_path) {
		tsv = fopen(tsv_path, "we");
		if (!tsv) {
			perror(tsv_path);
			return 1;
		}
	}
	for (c = optind; c < argc; c++) {
		for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
			if (!strcmp(argv[c], groups[i].name))
				break;
		if (i == sizeof(groups) / sizeof(groups[0])) {
			fprintf(stderr, "edu-bench: no group %s\n", argv[c]);
			usage(stderr);
			return 2;
		}
	}
	figures = json_object_new_array();
	printf("%-10s %-28s %12s %12s %7s %-6s %s\n", "group", "figure", "p50", "p99",
	       "n", "unit", "note");
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		int want = optind == argc;
		int a;

		for (a = optind; a < argc; a++)
			want |= !strcmp(argv[a], groups[i].name);
		if (want) {
			uint64_t t0 = now_ns();

			groups[i].run(&cfg);
			printf("# group %s took %.1f s\n", groups[i].name,
			       (now_ns() - t0) / 1e9);
		}
	}
	if (json_path && json_object_to_file_ext(json_path, figures,
						 JSON_C_TO_STRING_PRETTY) < 0) {
		fprintf(stderr, "edu-bench: %s: %s\n", json_path, json_util_get_last_err());
		return 1;
	}
	json_object_put(figures);
	if (tsv && fclose(tsv)) {
		perror(tsv_path);
		return 1;
	}
	return 0;
}
