// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring commands on /dev/eduN (docs/uring.md): factorials and copy-path
 * transfers submitted as IORING_OP_URING_CMD and completed asynchronously.
 *
 * The engines' paths stay the synchronous ones (edu_factorial(),
 * edu_dma_bounce()): their locking, range checks, timeouts and fault
 * injection apply unchanged. Each engine of the device gets a queue and a
 * work item that feeds it one command at a time; the device's interrupt
 * wakes the work item, which hands the result to the submitter's task
 * (io_uring_cmd_complete_in_task()) to be copied out and completed there.
 *
 * Lifetime: a command holds its file (io_uring does) and a reference on
 * struct edu_file (ours), so the device struct outlives it. remove() closes
 * the queues, completes what waits with -ENODEV and waits for the work
 * items, so nothing of ours runs on the device after it.
 */
#include <linux/io_uring.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "edu.h"

/**
 * struct edu_ucmd - one io_uring command of ours, from issue to completion
 * @node: in its engine's queue while it waits (ucmd_lock)
 * @cmd: io_uring's command; ours until io_uring_cmd_done()
 * @ef: the file it came through, referenced
 * @owner: the file table of the submitter, compared only (close cancels)
 * @submitter: the leader of the issuing process, referenced: its exit
 *	cancels the command (edu_ucmd_orphaned())
 * @tag: the submitter's name for it
 * @op: EDU_URING_*
 * @engine: EDU_UCMD_*
 * @n: factorial operand
 * @window_off: data window offset
 * @len: bytes to move
 * @ubuf: the user buffer of a transfer
 * @buf: its kernel copy (copied in at issue, out in the submitter's task)
 * @ret: outcome: 0 or -errno
 * @result: n!
 */
struct edu_ucmd {
	struct list_head node;
	struct io_uring_cmd *cmd;
	struct edu_file *ef;
	const void *owner;
	struct task_struct *submitter;
	u64 tag;
	u32 op;
	unsigned int engine;
	u32 n;
	u32 window_off;
	u32 len;
	void __user *ubuf;
	void *buf;
	int ret;
	u32 result;
};

/* The command area of a normal 64-byte SQE; SQE128 makes it 80. */
#define EDU_UCMD_AREA_SMALL	16
#define EDU_UCMD_AREA_MAX	80

static struct edu_ucmd **edu_ucmd_slot(struct io_uring_cmd *cmd)
{
	BUILD_BUG_ON(sizeof(struct edu_ucmd *) > sizeof(cmd->pdu));
	return (struct edu_ucmd **)cmd->pdu;
}

static void edu_ucmd_free(struct edu_ucmd *uc)
{
	if (uc->submitter)
		put_task_struct(uc->submitter);
	edu_file_put(uc->ef);
	kfree(uc->buf);
	kfree(uc);
}

/*
 * In the submitter's task (or io_uring's fallback worker once it has
 * exited): copy a read out, with no lock of ours held, and complete.
 */
static void edu_ucmd_task_done(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct edu_ucmd *uc = *edu_ucmd_slot(cmd);
	ssize_t ret = uc->ret;

	if (!ret && uc->op == EDU_URING_READ_DATA) {
		/* An exited task has no address space left to copy into. */
		if (!current->mm || (current->flags & (PF_KTHREAD | PF_EXITING)))
			ret = -ECANCELED;
		else if (copy_to_user(uc->ubuf, uc->buf, uc->len))
			ret = -EFAULT;
	}
	if (!ret)
		ret = uc->op == EDU_URING_FACTORIAL ? uc->result : uc->len;
	edu_ucmd_free(uc);
	io_uring_cmd_done(cmd, ret, 0, issue_flags);
}

/* Off every queue and count, no lock held: completes it with @ret. */
static void edu_ucmd_complete(struct edu_ucmd *uc, int ret)
{
	uc->ret = ret;
	io_uring_cmd_complete_in_task(uc->cmd, edu_ucmd_task_done);
}

/* With ucmd_lock held: it leaves the counts. */
static void edu_ucmd_uncount(struct edu_dev *edu, struct edu_ucmd *uc)
{
	edu->ucmds--;
	uc->ef->ucmds--;
}

static void edu_ucmd_complete_list(struct list_head *list, int ret)
{
	struct edu_ucmd *uc, *tmp;

	list_for_each_entry_safe(uc, tmp, list, node) {
		list_del(&uc->node);
		edu_ucmd_complete(uc, ret);
	}
}

/*
 * The process that issued it is exiting (a fatal signal or exit_group()
 * sets SIGNAL_GROUP_EXIT; the last thread's exit() leaves no live thread)
 * or is in exec's killing of its other threads (which waits for an SQPOLL
 * thread, which waits for its commands): nobody will use the result.
 * Not the leader's PF_EXITING: a leader may exit alone and its process
 * live on. The task reference keeps ->signal (freed with the last task).
 */
static bool edu_ucmd_orphaned(struct edu_ucmd *uc)
{
	struct signal_struct *sig = uc->submitter->signal;

	return (READ_ONCE(sig->flags) & SIGNAL_GROUP_EXIT) ||
	       READ_ONCE(sig->group_exec_task) || !atomic_read(&sig->live);
}

/* Runs one command on its engine; the wait for the device is bounded. */
static int edu_ucmd_run(struct edu_dev *edu, struct edu_ucmd *uc)
{
	int ret;

	if (edu_ucmd_orphaned(uc))
		return -ECANCELED;
	ret = edu_enter(edu);
	if (ret)
		return ret;
	switch (uc->op) {
	case EDU_URING_FACTORIAL:
		ret = edu_factorial(edu, uc->n, &uc->result);
		break;
	default:
		ret = edu_dma_bounce(edu, uc->buf,
				     EDU_FW_REGION_SIZE + uc->window_off, uc->len,
				     uc->op == EDU_URING_READ_DATA, false);
		break;
	}
	edu_leave(edu);
	return ret;
}

/* One per engine and device: feeds the engine until its queue is empty. */
static void edu_ucmd_work(struct work_struct *work)
{
	struct edu_ucmd_engine *eng = container_of(work, struct edu_ucmd_engine,
						   work);
	struct edu_dev *edu = eng->edu;
	struct edu_ucmd *uc;
	int ret;

	for (;;) {
		spin_lock(&edu->ucmd_lock);
		uc = list_first_entry_or_null(&eng->queue, struct edu_ucmd, node);
		if (!uc) {
			spin_unlock(&edu->ucmd_lock);
			return;
		}
		list_del_init(&uc->node);
		eng->running = uc;
		spin_unlock(&edu->ucmd_lock);

		ret = edu_ucmd_run(edu, uc);

		spin_lock(&edu->ucmd_lock);
		eng->running = NULL;
		edu_ucmd_uncount(edu, uc);
		spin_unlock(&edu->ucmd_lock);
		edu_ucmd_complete(uc, ret);
		/* Commands that fail at once do not sleep: let others run. */
		cond_resched();
	}
}

void edu_ucmd_init(struct edu_dev *edu)
{
	int i;

	spin_lock_init(&edu->ucmd_lock);
	for (i = 0; i < EDU_UCMD_ENGINES; i++) {
		edu->ucmd[i].edu = edu;
		INIT_LIST_HEAD(&edu->ucmd[i].queue);
		INIT_WORK(&edu->ucmd[i].work, edu_ucmd_work);
	}
}

/*
 * Moves the file's queued commands that @match selects to @list; with
 * ucmd_lock held. Returns how many.
 */
static int edu_ucmd_take(struct edu_file *ef, struct list_head *list,
			 bool (*match)(struct edu_ucmd *uc, const void *arg),
			 const void *arg)
{
	struct edu_dev *edu = ef->edu;
	struct edu_ucmd *uc, *tmp;
	int i, n = 0;

	for (i = 0; i < EDU_UCMD_ENGINES; i++) {
		list_for_each_entry_safe(uc, tmp, &edu->ucmd[i].queue, node) {
			if (uc->ef != ef || !match(uc, arg))
				continue;
			list_move_tail(&uc->node, list);
			edu_ucmd_uncount(edu, uc);
			n++;
		}
	}
	return n;
}

static bool edu_ucmd_any(struct edu_ucmd *uc, const void *arg)
{
	return true;
}

static bool edu_ucmd_has_tag(struct edu_ucmd *uc, const void *arg)
{
	return uc->tag == *(const u64 *)arg;
}

static bool edu_ucmd_has_owner(struct edu_ucmd *uc, const void *arg)
{
	return uc->owner == arg;
}

/* EDU_URING_CANCEL: done at issue. */
static int edu_ucmd_cancel(struct edu_file *ef, const struct edu_uring_cancel *c)
{
	struct edu_dev *edu = ef->edu;
	LIST_HEAD(list);
	bool running = false, gone;
	int i, n;

	if (c->reserved || (c->flags & ~EDU_URING_CANCEL_ALL))
		return -EINVAL;
	spin_lock(&edu->ucmd_lock);
	if (c->flags & EDU_URING_CANCEL_ALL) {
		n = edu_ucmd_take(ef, &list, edu_ucmd_any, NULL);
	} else {
		n = edu_ucmd_take(ef, &list, edu_ucmd_has_tag, &c->tag);
		for (i = 0; i < EDU_UCMD_ENGINES; i++) {
			struct edu_ucmd *uc = edu->ucmd[i].running;

			if (uc && uc->ef == ef && uc->tag == c->tag)
				running = true;
		}
	}
	/* The device is marked removed: what was queued ends with -ENODEV. */
	gone = edu->ucmd_closed || READ_ONCE(edu->dead);
	spin_unlock(&edu->ucmd_lock);
	edu_ucmd_complete_list(&list, -ECANCELED);
	if (n || (c->flags & EDU_URING_CANCEL_ALL))
		return n;
	if (running)
		return -EALREADY;
	return gone ? -ENODEV : -ENOENT;
}

/*
 * close() of a descriptor of the file (flush): what the closing file table
 * submitted and is still queued is cancelled. io_uring holds the file while
 * commands are in flight, so release() would come too late for this.
 */
void edu_ucmd_flush(struct edu_file *ef, const void *owner)
{
	struct edu_dev *edu = ef->edu;
	LIST_HEAD(list);

	spin_lock(&edu->ucmd_lock);
	if (ef->ucmds)
		edu_ucmd_take(ef, &list, edu_ucmd_has_owner, owner);
	spin_unlock(&edu->ucmd_lock);
	edu_ucmd_complete_list(&list, -ECANCELED);
}

/*
 * remove(), after @dead is set: nothing new is queued, what waits completes
 * with -ENODEV, and the work items end (a running command ends first: it
 * holds edu_enter(), so it ran before @dead was set, to its real outcome).
 */
void edu_ucmd_shutdown(struct edu_dev *edu)
{
	struct edu_ucmd *uc, *tmp;
	LIST_HEAD(list);
	int i;

	spin_lock(&edu->ucmd_lock);
	edu->ucmd_closed = true;
	for (i = 0; i < EDU_UCMD_ENGINES; i++) {
		list_for_each_entry_safe(uc, tmp, &edu->ucmd[i].queue, node) {
			list_move_tail(&uc->node, &list);
			edu_ucmd_uncount(edu, uc);
		}
	}
	spin_unlock(&edu->ucmd_lock);
	edu_ucmd_complete_list(&list, -ENODEV);
	for (i = 0; i < EDU_UCMD_ENGINES; i++)
		flush_work(&edu->ucmd[i].work);
}

union edu_ucmd_arg {
	struct edu_uring_fact fact;
	struct edu_uring_data data;
	struct edu_uring_cancel cancel;
	u8 area[EDU_UCMD_AREA_MAX];
};

/* Checks a transfer's argument and copies a write's data in. */
static int edu_ucmd_prep_data(struct edu_ucmd *uc, const struct edu_uring_data *d)
{
	if (d->reserved || !d->len || d->window_off >= EDU_DATA_WINDOW_SIZE ||
	    d->len > EDU_DATA_WINDOW_SIZE - d->window_off)
		return -EINVAL;
	uc->tag = d->tag;
	uc->window_off = d->window_off;
	uc->len = d->len;
	uc->ubuf = u64_to_user_ptr(d->addr);
	if (!access_ok(uc->ubuf, uc->len))
		return -EFAULT;
	/* Charged to the submitter, whichever way the data goes. */
	uc->buf = kmalloc(uc->len, GFP_KERNEL_ACCOUNT);
	if (!uc->buf)
		return -ENOMEM;
	/*
	 * Faulted in here even on an inline (non-blocking) issue, as
	 * io_uring's own ops fault in their iovecs: -EAGAIN would reissue
	 * it from a worker, behind commands submitted after it.
	 */
	if (uc->op == EDU_URING_WRITE_DATA && copy_from_user(uc->buf, uc->ubuf, uc->len))
		return -EFAULT;
	return 0;
}

/* Queues it on its engine, within the limits: 0, -EBUSY or -ENODEV. */
static int edu_ucmd_queue(struct edu_dev *edu, struct edu_ucmd *uc)
{
	struct edu_ucmd_engine *eng = &edu->ucmd[uc->engine];
	int ret = 0;

	spin_lock(&edu->ucmd_lock);
	if (edu->ucmd_closed || READ_ONCE(edu->dead)) {
		ret = -ENODEV;
	} else if (uc->ef->ucmds >= EDU_URING_FILE_MAX ||
		   edu->ucmds >= EDU_URING_DEVICE_MAX) {
		ret = -EBUSY;
	} else {
		edu->ucmds++;
		uc->ef->ucmds++;
		list_add_tail(&uc->node, &eng->queue);
		*edu_ucmd_slot(uc->cmd) = uc;
		queue_work(edu_wq, &eng->work);
	}
	spin_unlock(&edu->ucmd_lock);
	return ret;
}

/**
 * edu_ucmd_issue() - file_operations.uring_cmd of /dev/eduN
 * @cmd: the command; cmd->cmd points into the SQE, which user space may
 *	still change: it is copied once, then checked
 * @issue_flags: IO_URING_F_*; the command area is 80 bytes with
 *	IO_URING_F_SQE128, else 16
 *
 * Runs in the submitter's context (its task, an io-wq worker with its
 * credentials, or the SQPOLL thread with the ring creator's): the privilege
 * check is theirs. It never waits for the device; it may fault in the data
 * of a write, which is copied here.
 *
 * Return: -EIOCBQUEUED (the result comes later), the result of a cancel, or
 * -ENOTTY, -EPERM, -EINVAL, -ERANGE, -EFAULT, -ENOMEM, -EBUSY, -ENODEV.
 */
int edu_ucmd_issue(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct edu_file *ef = cmd->file->private_data;
	struct edu_dev *edu = ef->edu;
	union edu_ucmd_arg u;
	struct edu_ucmd *uc;
	size_t size, area;
	int ret;

	switch (cmd->cmd_op) {
	case EDU_URING_FACTORIAL:
	case EDU_URING_WRITE_DATA:
	case EDU_URING_READ_DATA:
	case EDU_URING_CANCEL:
		break;
	default:
		return -ENOTTY;
	}
	if (!edu_capable())
		return -EPERM;

	/* No flag means anything here (FIXED: no registered buffers). */
	if (cmd->flags)
		return -EINVAL;
	/*
	 * Each op's argument is exactly the size its number says, and the
	 * rest of the area is zero (room to grow). One copy of the whole
	 * area, then checks on the copy.
	 */
	size = _IOC_SIZE(cmd->cmd_op);
	area = issue_flags & IO_URING_F_SQE128 ? EDU_UCMD_AREA_MAX :
						 EDU_UCMD_AREA_SMALL;
	BUILD_BUG_ON(sizeof(u) != EDU_UCMD_AREA_MAX);
	if (size > area)
		return -EINVAL;
	memcpy(&u, cmd->cmd, area);
	if (memchr_inv(u.area + size, 0, area - size))
		return -EINVAL;

	if (cmd->cmd_op == EDU_URING_CANCEL)
		return edu_ucmd_cancel(ef, &u.cancel);

	if (READ_ONCE(edu->dead))
		return -ENODEV;
	uc = kzalloc(sizeof(*uc), GFP_KERNEL_ACCOUNT);
	if (!uc)
		return -ENOMEM;
	uc->cmd = cmd;
	uc->op = cmd->cmd_op;
	uc->owner = current->files;
	/*
	 * The process whose thread issues it: once it exits, its queued
	 * commands do not run, whatever holds the file (a fixed-file table,
	 * an SQPOLL thread). io-wq workers and the SQPOLL thread are threads
	 * of the process that owns them, so for an SQPOLL ring that is the
	 * ring creator's process: its exit ends the SQ thread, which cancels
	 * or waits for all it issued. The leader, not current: the issuing
	 * thread may end while its process lives on. The leader cannot be
	 * released while a thread of its group (current) still runs.
	 */
	uc->submitter = get_task_struct(current->group_leader);
	INIT_LIST_HEAD(&uc->node);
	edu_file_get(ef);
	uc->ef = ef;

	if (uc->op == EDU_URING_FACTORIAL) {
		uc->engine = EDU_UCMD_FACT;
		uc->tag = u.fact.tag;
		uc->n = u.fact.n;
		ret = u.fact.reserved ? -EINVAL :
		      u.fact.n > EDU_FACTORIAL_MAX ? -ERANGE : 0;
	} else {
		uc->engine = EDU_UCMD_DMA;
		ret = edu_ucmd_prep_data(uc, &u.data);
	}
	if (!ret)
		ret = edu_ucmd_queue(edu, uc);
	if (ret) {
		edu_ucmd_free(uc);
		return ret;
	}
	return -EIOCBQUEUED;
}
