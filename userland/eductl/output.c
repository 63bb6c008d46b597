// SPDX-License-Identifier: GPL-2.0
/*
 * What eductl prints that is shared: a JSON document (json-c) printed once
 * it is complete, and events, text or JSON Lines, in one format for every
 * watcher (watch, monitor, listen, irq test).
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include <json-c/json.h>

#include "libedu.h"
#include "eductl.h"

void json_print(struct json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_SPACED |
						 JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
	json_object_put(o);
}

static struct json_object *event_json(const struct edu_event *ev)
{
	struct json_object *o = json_object_new_object();
	char name[EDU_NAME_MAX], time[32];

	snprintf(name, sizeof(name), "edu%u", ev->device);
	/* The time as text too, so no digit of the nanoseconds is lost. */
	snprintf(time, sizeof(time), "%" PRIu64 ".%09" PRIu64,
		 (uint64_t)ev->timestamp_ns / 1000000000u,
		 (uint64_t)ev->timestamp_ns % 1000000000u);
	json_object_object_add(o, "device", json_object_new_string(name));
	json_object_object_add(o, "seq", json_object_new_uint64(ev->seq));
	json_object_object_add(o, "type",
			       json_object_new_string(edu_event_type_name(ev->type)));
	json_object_object_add(o, "status", json_object_new_int64(ev->irq_status));
	json_object_object_add(o, "value", json_object_new_int64(ev->value));
	json_object_object_add(o, "time",
			       json_object_new_double_s(ev->timestamp_ns / 1e9, time));
	json_object_object_add(o, "lost", json_object_new_int64(ev->lost));
	return o;
}

void print_event(const struct edu_event *ev)
{
	char line[200];

	if (opt_json) {
		json_print(event_json(ev));
		return;
	}
	edu_format_event(ev, line, sizeof(line));
	printf("%s\n", line);
	fflush(stdout);
}

/* A factorial's result: the number, or its JSON object (device if known). */
void print_factorial(const char *dev, const char *via, unsigned int n, uint32_t result)
{
	struct json_object *o;

	if (!opt_json) {
		printf("%u\n", result);
		return;
	}
	o = json_object_new_object();
	if (dev)
		json_object_object_add(o, "device", json_object_new_string(dev));
	json_object_object_add(o, "via", json_object_new_string(via));
	json_object_object_add(o, "n", json_object_new_int64(n));
	json_object_object_add(o, "result", json_object_new_int64(result));
	json_print(o);
}

long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int ms_left(long long deadline)
{
	long long left;

	if (!deadline)
		return -1;
	left = deadline - mono_ms();
	return left > 0 ? (int)left : 0;
}
