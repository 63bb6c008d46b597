// SPDX-License-Identifier: GPL-2.0
/*
 * Module and device lifetime: unload and reload with devices bound (which
 * also switches the interrupt mode), refusal to unload while in use, and
 * unbind/bind with a file open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tests.h"
#include "util.h"

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static int test_unload_with_devices_bound(void)
{
	int ret = module_unload();

	CHECK(ret == 0, "delete_module: %s", strerror(-ret));
	CHECK(!exists("/sys/class/edu"), "class still registered");
	CHECK(!exists("/sys/bus/pci/drivers/edu"), "driver still registered");
	CHECK(!exists("/dev/edu0"), "/dev/edu0 still there");
	return 0;
}

static int test_load_rejects_bad_parameter(void)
{
	int ret = module_load("force_intx=banana");

	CHECK(ret == -EINVAL, "got %d", ret);
	CHECK(!exists("/sys/class/edu"), "loaded anyway");
	return 0;
}

static int load_and_check(const char *params, const char *mode)
{
	char names[MAX_EDU][16];
	int ret = module_load(params), n, expected = expected_devices();

	expected_mode = mode;
	CHECK(ret == 0, "finit_module(%s): %s", params, strerror(-ret));
	n = edu_names(names, MAX_EDU);
	CHECK(n > 0, "nothing bound");
	if (expected >= 0)
		CHECK(n == expected, "%d bound, want %d", n, expected);
	return 0;
}

static int test_load_force_intx(void)
{
	return load_and_check("force_intx=1", "intx");
}

/* An open /dev/eduN holds a module reference. */
static int test_unload_refused_while_open(void)
{
	int fd = open("/dev/edu0", O_RDWR), ret;

	CHECK(fd >= 0, "open: %s", strerror(errno));
	ret = module_unload();
	close(fd);
	CHECK(ret == -EWOULDBLOCK, "delete_module while open: %d", ret);
	return 0;
}

static int test_reload_msi(void)
{
	int ret = module_unload();

	CHECK(ret == 0, "delete_module: %s", strerror(-ret));
	return load_and_check("", "msi");
}

static int driver_ctl(const char *op, const char *bdf)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/edu/%s", op);
	return write_text(path, bdf, strlen(bdf));
}

/* The eduN name now bound at bdf, or "" */
static void name_at(const char *bdf, char *name, size_t len)
{
	char names[MAX_EDU][16], b[32];
	int n = edu_names(names, MAX_EDU), i;

	name[0] = '\0';
	for (i = 0; i < n; i++)
		if (!bdf_of(names[i], b, sizeof(b)) && !strcmp(b, bdf))
			snprintf(name, len, "%.15s", names[i]);
}

/*
 * Unbind edu0 while a file holds it: the name stays taken until the file
 * is closed (the struct is still referenced), then is free again.
 */
static int test_unbind_with_open_file(void)
{
	char bdf[32], name[16], path[64], val[32];
	int fd, ret;

	CHECK(bdf_of("edu0", bdf, sizeof(bdf)) == 0, "edu0");
	fd = open("/dev/edu0", O_RDWR);
	CHECK(fd >= 0, "open: %s", strerror(errno));

	ret = driver_ctl("unbind", bdf);
	CHECK(ret == 0, "unbind: %s", strerror(-ret));
	CHECK(!exists("/sys/class/edu/edu0"), "edu0 still in sysfs");
	CHECK(open("/dev/edu0", O_RDWR) < 0 && errno == ENOENT,
	      "reopen after unbind");

	ret = driver_ctl("bind", bdf);
	CHECK(ret == 0, "bind: %s", strerror(-ret));
	name_at(bdf, name, sizeof(name));
	CHECK(name[0] && strcmp(name, "edu0"), "rebound as '%s' while edu0 open",
	      name);
	snprintf(path, sizeof(path), "/sys/class/edu/%s/identification", name);
	CHECK(read_text(path, val, sizeof(val)) == 0 &&
	      !strcmp(val, "0x010000ed\n"), "%s: %s", name, val);

	CHECK(close(fd) == 0, "close");
	CHECK(driver_ctl("unbind", bdf) == 0, "unbind again");
	CHECK(driver_ctl("bind", bdf) == 0, "bind again");
	name_at(bdf, name, sizeof(name));
	CHECK(!strcmp(name, "edu0"), "rebound as '%s' after close", name);
	return 0;
}

/* Binding an already bound device is refused and changes nothing. */
static int test_bind_twice_refused(void)
{
	char bdf[32];
	int ret;

	CHECK(bdf_of("edu0", bdf, sizeof(bdf)) == 0, "edu0");
	ret = driver_ctl("bind", bdf);
	CHECK(ret == -EBUSY, "second bind: %d", ret);
	CHECK(exists("/sys/class/edu/edu0/identification"), "edu0 gone");
	return 0;
}

const struct test_case reload_intx_tests[] = {
	TEST(unload_with_devices_bound),
	TEST(load_rejects_bad_parameter),
	TEST(load_force_intx),
	TEST_END
};

const struct test_case reload_msi_tests[] = {
	TEST(unload_refused_while_open),
	TEST(reload_msi),
	TEST_END
};

const struct test_case lifetime_tests[] = {
	TEST(unbind_with_open_file),
	TEST(bind_twice_refused),
	TEST_END
};
