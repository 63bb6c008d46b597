// SPDX-License-Identifier: GPL-2.0
/* Reading and writing one sysfs attribute of an edu class device. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libedu.h"

static int attr_path(char *path, size_t len, const char *name,
		     const char *attr)
{
	int n = snprintf(path, len, EDU_SYSFS_CLASS "/%s/%s", name, attr);

	return (n < 0 || (size_t)n >= len) ? -ENAMETOOLONG : 0;
}

/* Reads the value without its trailing newline. */
int edu_attr_read(const char *name, const char *attr, char *buf, size_t len)
{
	char path[256];
	ssize_t n;
	int fd, ret;

	ret = attr_path(path, sizeof(path), name, attr);
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret)
		return ret;
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

/* One write(2) of the whole value: sysfs takes a value per write. */
int edu_attr_write(const char *name, const char *attr, const char *val)
{
	size_t len = strlen(val);
	char path[256];
	ssize_t n;
	int fd, ret;

	ret = attr_path(path, sizeof(path), name, attr);
	if (ret)
		return ret;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	ret = n < 0 ? -errno : (size_t)n != len ? -EIO : 0;
	close(fd);
	return ret;
}
