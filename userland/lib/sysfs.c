// SPDX-License-Identifier: MIT
/* One-value kernel files (sysfs, sysctl, debugfs): read and write them whole. */
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

/* Reads a one-value file (sysfs, sysctl, debugfs) without its trailing newline. */
int edu_file_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd, ret;

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

/* One write(2) of the whole value: these files take a value per write. */
int edu_file_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, ret;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	ret = n < 0 ? -errno : (size_t)n != len ? -EIO : 0;
	close(fd);
	return ret;
}

int edu_attr_read(const char *name, const char *attr, char *buf, size_t len)
{
	char path[256];
	int ret = attr_path(path, sizeof(path), name, attr);

	return ret ? ret : edu_file_read(path, buf, len);
}

int edu_attr_write(const char *name, const char *attr, const char *val)
{
	char path[256];
	int ret = attr_path(path, sizeof(path), name, attr);

	return ret ? ret : edu_file_write(path, val);
}
