// SPDX-License-Identifier: MIT
/*
 * io_uring commands on /dev/eduN (docs/uring.md), on liburing. Each
 * command's user_data is its tag, so a completion names the command and
 * EDU_URING_CANCEL can name it too. Programs using these link -luring.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <liburing.h>

#include "libedu.h"

int edu_uring_init(struct io_uring *ring, unsigned int entries)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	/* The transfers' arguments need the 80-byte command area. */
	p.flags = IORING_SETUP_SQE128;
	return io_uring_queue_init_params(entries, ring, &p);
}

/*
 * A zeroed command SQE carrying arg (size bytes): NULL when the SQ is full,
 * or (errno EINVAL) when arg does not fit the ring's SQEs (no SQE128).
 */
static struct io_uring_sqe *prep(struct io_uring *ring, int fd, uint32_t op,
				 uint64_t tag, const void *arg, size_t size)
{
	size_t sqe_size = sizeof(struct io_uring_sqe), room;
	struct io_uring_sqe *sqe;

	if (ring->flags & IORING_SETUP_SQE128)
		sqe_size *= 2;
	/* The command area runs to the end of the SQE: 16 bytes, 80 with SQE128. */
	room = sqe_size - offsetof(struct io_uring_sqe, cmd);
	if (size > room) {
		errno = EINVAL;
		return NULL;
	}
	sqe = io_uring_get_sqe(ring);
	if (!sqe)
		return NULL;
	memset(sqe, 0, sqe_size);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = op;
	sqe->user_data = tag;
	memcpy(sqe->cmd, arg, size);
	return sqe;
}

struct io_uring_sqe *edu_uring_prep_factorial(struct io_uring *ring, int fd,
					      uint64_t tag, uint32_t n)
{
	struct edu_uring_fact f = { .tag = tag, .n = n };

	return prep(ring, fd, EDU_URING_FACTORIAL, tag, &f, sizeof(f));
}

struct io_uring_sqe *edu_uring_prep_data(struct io_uring *ring, int fd,
					 uint64_t tag, int to_device, void *buf,
					 uint32_t window_off, uint32_t len)
{
	struct edu_uring_data d = {
		.tag = tag, .addr = (uintptr_t)buf, .window_off = window_off,
		.len = len,
	};

	return prep(ring, fd, to_device ? EDU_URING_WRITE_DATA : EDU_URING_READ_DATA,
		    tag, &d, sizeof(d));
}

struct io_uring_sqe *edu_uring_prep_cancel(struct io_uring *ring, int fd,
					   uint64_t user_data, uint64_t tag,
					   uint32_t flags)
{
	struct edu_uring_cancel c = { .tag = tag, .flags = flags };

	return prep(ring, fd, EDU_URING_CANCEL, user_data, &c, sizeof(c));
}

int edu_uring_wait(struct io_uring *ring, int timeout_ms, uint64_t *tag,
		   int32_t *res)
{
	struct __kernel_timespec ts = {
		.tv_sec = timeout_ms / 1000,
		.tv_nsec = (long long)(timeout_ms % 1000) * 1000000,
	};
	struct io_uring_cqe *cqe;
	int ret;

	do
		ret = io_uring_wait_cqe_timeout(ring, &cqe, timeout_ms < 0 ? NULL : &ts);
	while (ret == -EINTR);
	if (ret)
		return ret == -ETIME ? -ETIMEDOUT : ret;
	*tag = cqe->user_data;
	*res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return 0;
}

/*
 * One command on a ring of its own, waited for: its result or -errno. No
 * timeout: a read must not land in buf after we return, and the driver
 * bounds every command's time (its device timeouts).
 */
static int run_one(int fd, int kind, uint32_t a, void *buf, uint32_t len)
{
	struct io_uring ring;
	uint64_t tag;
	int32_t res = 0;
	int ret;

	ret = edu_uring_init(&ring, 4);
	if (ret)
		return ret;
	if (kind == 0)
		edu_uring_prep_factorial(&ring, fd, 1, a);
	else
		edu_uring_prep_data(&ring, fd, 1, kind == 1, buf, a, len);
	ret = io_uring_submit(&ring);
	if (ret == 1)
		ret = edu_uring_wait(&ring, -1, &tag, &res);
	else if (ret >= 0)
		ret = -EIO;
	io_uring_queue_exit(&ring);
	return ret ? ret : res;
}

int edu_uring_factorial(int fd, uint32_t n, uint32_t *result)
{
	int ret = run_one(fd, 0, n, NULL, 0);

	if (ret < 0)
		return ret;
	*result = ret;
	return 0;
}

int edu_uring_data(int fd, int to_device, void *buf, uint32_t window_off,
		   uint32_t len)
{
	int ret = run_one(fd, to_device ? 1 : 2, window_off, buf, len);

	if (ret < 0)
		return ret;
	return (uint32_t)ret == len ? 0 : -EIO;
}
