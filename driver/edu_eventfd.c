// SPDX-License-Identifier: GPL-2.0
/*
 * eventfd doorbells (docs/eventfd.md). A file registers an eventfd per
 * event class (EDU_IOC_SET_EVENTFD); edu_events_post() signals it by 1 per
 * event, from the interrupt handler. The eventfd says "read now", the
 * events themselves stay in the file (read(2) or its ring).
 *
 * A registration holds the eventfd's context, not its file, and ends when:
 *  - the file unregisters (fd -1) or replaces it, or is closed;
 *  - the eventfd is closed: as KVM's irqfd does, an entry of ours on the
 *    eventfd's wait queue sees the EPOLLHUP of its release, and a work item
 *    drops the registration (the entry's callback runs under the eventfd's
 *    lock and must not take ours);
 *  - the device is removed: each eventfd is signalled once more, so that a
 *    waiter wakes and finds ENODEV on the device file, then dropped.
 * Whoever takes a registration out of its slot (under events_lock) frees
 * it; the work item of one taken by another is cancelled before the free.
 * A work item that took its own may still be freeing it (and touching the
 * device) when the file closes or the device goes: both flush the
 * clean-ups' workqueue before they let go of the device.
 *
 * At most EDU_EVFD_MAX registrations per device: each costs the interrupt
 * handler a signal and a walk of the eventfd's wait queue.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "edu.h"
#include "edu_trace.h"

/* Registrations per device (docs/eventfd.md). */
#define EDU_EVFD_MAX	64

/**
 * struct edu_evfd - one eventfd registered for one class of one file
 * @ef: the file; valid while @linked
 * @edu: its device; outlives every registration (files and remove() free
 *	them before they let go of it)
 * @cls: the class: the slot in @ef->evfd
 * @linked: in its slot (events_lock)
 * @ctx: the eventfd's context, referenced
 * @wqh: the eventfd's wait queue, which holds @wait
 * @wait: our entry there: its callback sees the eventfd's release
 * @pt: finds @wqh through vfs_poll()
 * @hup: drops the registration after the eventfd's release
 * @node: on a list of registrations to free
 */
struct edu_evfd {
	struct edu_file *ef;
	struct edu_dev *edu;
	unsigned int cls;
	bool linked;
	struct eventfd_ctx *ctx;
	wait_queue_head_t *wqh;
	wait_queue_entry_t wait;
	poll_table pt;
	struct work_struct hup;
	struct list_head node;
};

/* The classes of an event, as EDU_EVFD_* bits. */
static unsigned int edu_event_classes(const struct edu_event *ev)
{
	unsigned int classes = 0;

	if (ev->type != EDU_EVENT_INTERRUPT)
		return EDU_EVFD_FIRMWARE;
	if (ev->irq_status & EDU_IRQ_BIT_FACTORIAL)
		classes |= EDU_EVFD_FACTORIAL;
	if (ev->irq_status & EDU_IRQ_BIT_DMA)
		classes |= EDU_EVFD_DMA;
	if (ev->irq_status & ~(EDU_IRQ_BIT_FACTORIAL | EDU_IRQ_BIT_DMA))
		classes |= EDU_EVFD_OTHER;
	return classes;
}

/* Called with events_lock held: out of its slot, for its taker to free. */
static void edu_evfd_unlink(struct edu_evfd *reg)
{
	reg->ef->evfd[reg->cls] = NULL;
	reg->linked = false;
	edu_events_watch(reg->ef);
}

/*
 * Frees a registration that is out of its slot. Once our entry is off the
 * wait queue its callback cannot run (it runs under the queue's lock), so
 * the work item can be queued no more; @from_work: we are that work item.
 */
static void edu_evfd_free(struct edu_evfd *reg, bool from_work)
{
	remove_wait_queue(reg->wqh, &reg->wait);
	if (!from_work)
		cancel_work_sync(&reg->hup);
	atomic_dec(&reg->edu->evfd_count);
	eventfd_ctx_put(reg->ctx);
	kfree(reg);
}

static void edu_evfd_hup_work(struct work_struct *work)
{
	struct edu_evfd *reg = container_of(work, struct edu_evfd, hup);
	struct edu_dev *edu = reg->edu;
	bool mine;

	spin_lock_irq(&edu->events_lock);
	mine = reg->linked;
	if (mine)
		edu_evfd_unlink(reg);
	spin_unlock_irq(&edu->events_lock);
	if (mine)
		edu_evfd_free(reg, true);
}

/*
 * Every wake-up of the eventfd, under its wait queue's lock, our own
 * signals included (then events_lock is held too): only its release
 * (EPOLLHUP) concerns us.
 */
static int edu_evfd_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			   int sync, void *key)
{
	struct edu_evfd *reg = container_of(wait, struct edu_evfd, wait);

	if (key_to_poll(key) & EPOLLHUP)
		queue_work(edu_evfd_wq, &reg->hup);
	return 0;
}

static void edu_evfd_queue_proc(struct file *file, wait_queue_head_t *wqh,
				poll_table *pt)
{
	struct edu_evfd *reg = container_of(pt, struct edu_evfd, pt);

	reg->wqh = wqh;
	add_wait_queue(wqh, &reg->wait);
}

/* A registration of @file (an eventfd the caller holds) for class @cls. */
static struct edu_evfd *edu_evfd_new(struct edu_file *ef, unsigned int cls,
				     struct file *file)
{
	struct edu_evfd *reg;

	reg = kzalloc(sizeof(*reg), GFP_KERNEL_ACCOUNT);
	if (!reg)
		return ERR_PTR(-ENOMEM);
	reg->ctx = eventfd_ctx_fileget(file);
	if (IS_ERR(reg->ctx)) {
		long err = PTR_ERR(reg->ctx);

		kfree(reg);
		return ERR_PTR(err);
	}
	reg->ef = ef;
	reg->edu = ef->edu;
	reg->cls = cls;
	INIT_LIST_HEAD(&reg->node);
	INIT_WORK(&reg->hup, edu_evfd_hup_work);
	init_waitqueue_func_entry(&reg->wait, edu_evfd_wakeup);
	init_poll_funcptr(&reg->pt, edu_evfd_queue_proc);
	/* Our file reference keeps its release (and EPOLLHUP) until later. */
	vfs_poll(file, &reg->pt);
	if (!reg->wqh) {
		eventfd_ctx_put(reg->ctx);
		kfree(reg);
		return ERR_PTR(-EINVAL);
	}
	if (atomic_inc_return(&ef->edu->evfd_count) > EDU_EVFD_MAX) {
		atomic_dec(&ef->edu->evfd_count);
		remove_wait_queue(reg->wqh, &reg->wait);
		eventfd_ctx_put(reg->ctx);
		kfree(reg);
		return ERR_PTR(-ENOSPC);
	}
	return reg;
}

/**
 * edu_eventfd_set() - EDU_IOC_SET_EVENTFD
 * @ef: the file
 * @req: the eventfd (or -1) and its classes
 *
 * Return: 0; -EINVAL for no class, an unknown class, flags or reserved
 * bits, or an fd that is not an eventfd; -EBADF for a bad fd; -ENOSPC
 * past EDU_EVFD_MAX registrations on the device; -ENOMEM.
 * Nothing changes on error.
 */
int edu_eventfd_set(struct edu_file *ef, const struct edu_eventfd *req)
{
	struct edu_evfd *regs[EDU_EVFD_CLASSES] = { }, *old[EDU_EVFD_CLASSES];
	struct edu_dev *edu = ef->edu;
	struct file *file = NULL;
	unsigned int i;
	int ret = 0;

	if (!req->classes || req->classes & ~EDU_EVFD_ALL || req->flags ||
	    req->reserved)
		return -EINVAL;
	if (req->fd != -1) {
		file = eventfd_fget(req->fd);
		if (IS_ERR(file))
			return PTR_ERR(file);
		for (i = 0; i < EDU_EVFD_CLASSES; i++) {
			if (!(req->classes & BIT(i)))
				continue;
			regs[i] = edu_evfd_new(ef, i, file);
			if (IS_ERR(regs[i])) {
				ret = PTR_ERR(regs[i]);
				regs[i] = NULL;
				break;
			}
		}
	}

	spin_lock_irq(&edu->events_lock);
	for (i = 0; i < EDU_EVFD_CLASSES; i++) {
		old[i] = NULL;
		if (ret || !(req->classes & BIT(i)))
			continue;
		old[i] = ef->evfd[i];
		if (old[i])
			edu_evfd_unlink(old[i]);
		ef->evfd[i] = regs[i];
		if (regs[i]) {
			regs[i]->linked = true;
			regs[i] = NULL;
		}
	}
	edu_events_watch(ef);
	spin_unlock_irq(&edu->events_lock);

	if (file)
		fput(file);
	for (i = 0; i < EDU_EVFD_CLASSES; i++) {
		if (regs[i])		/* not installed: an error */
			edu_evfd_free(regs[i], false);
		if (old[i])
			edu_evfd_free(old[i], false);
	}
	return ret;
}

/*
 * Called with events_lock held, from any context: signals by 1 each
 * eventfd registered for one of @classes, once even when it is registered
 * for several of them. @seq: the event's, traced; 0 at removal (no event).
 */
static void edu_eventfd_ring(struct edu_file *ef, unsigned int classes,
			     u64 seq)
{
	struct edu_evfd *reg;
	unsigned int i, j;

	for (i = 0; i < EDU_EVFD_CLASSES; i++) {
		reg = ef->evfd[i];
		if (!reg || !(classes & BIT(i)))
			continue;
		for (j = 0; j < i; j++)
			if (ef->evfd[j] && ef->evfd[j]->ctx == reg->ctx &&
			    classes & BIT(j))
				break;
		if (j < i)
			continue;
		eventfd_signal(reg->ctx, 1);
		if (seq)
			trace_edu_event_deliver(ef->edu->id, seq,
						EDU_TR_CH_EVENTFD, i, 0, 0, 0);
	}
}

/* Called with events_lock held, from the interrupt handler too. */
void edu_eventfd_signal(struct edu_file *ef, const struct edu_event *ev)
{
	edu_eventfd_ring(ef, edu_event_classes(ev), ev->seq);
}

/* Called with events_lock held: takes the file's registrations to @list. */
static void edu_eventfd_take(struct edu_file *ef, struct list_head *list)
{
	unsigned int i;

	for (i = 0; i < EDU_EVFD_CLASSES; i++) {
		struct edu_evfd *reg = ef->evfd[i];

		if (reg) {
			edu_evfd_unlink(reg);
			list_add_tail(&reg->node, list);
		}
	}
}

static void edu_eventfd_free_list(struct list_head *list)
{
	struct edu_evfd *reg, *tmp;

	list_for_each_entry_safe(reg, tmp, list, node)
		edu_evfd_free(reg, false);
}

/* The file is being closed: its registrations end. */
void edu_eventfd_release(struct edu_file *ef)
{
	LIST_HEAD(list);

	spin_lock_irq(&ef->edu->events_lock);
	edu_eventfd_take(ef, &list);
	spin_unlock_irq(&ef->edu->events_lock);
	edu_eventfd_free_list(&list);
	/* A clean-up of one of ours that took it itself: let it finish. */
	flush_workqueue(edu_evfd_wq);
}

/*
 * remove(), once @dead is set: every registered eventfd is signalled one
 * last time (its waiter then finds ENODEV on the device file), and every
 * registration ends.
 */
void edu_eventfd_shutdown(struct edu_dev *edu)
{
	struct edu_file *ef;
	LIST_HEAD(list);

	spin_lock_irq(&edu->events_lock);
	list_for_each_entry(ef, &edu->files, node) {
		edu_eventfd_ring(ef, EDU_EVFD_ALL, 0);
		edu_eventfd_take(ef, &list);
	}
	spin_unlock_irq(&edu->events_lock);
	edu_eventfd_free_list(&list);
	flush_workqueue(edu_evfd_wq);
}
