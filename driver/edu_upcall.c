// SPDX-License-Identifier: GPL-2.0
/*
 * Upcalls: a route that starts a user-space helper for each event with
 * call_usermodehelper(), as the sysctl dev.edu.upcall_helper names it:
 *   HELPER event device=N type=T status=0x... seq=S time=NS value=V
 * in a clean environment. Helpers run from the route's own work with no
 * lock held, at most EDU_UPCALLS_PER_SEC of them, and each for at most
 * dev.edu.upcall_timeout_ms: one that overruns is killed, and so is the
 * running one when the route is disabled, so nothing waits on user space
 * without a bound.
 */
#include <linux/kmod.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>

#include "edu_route.h"

#define EDU_UPCALLS_PER_SEC	20

unsigned int edu_upcall_timeout_ms = 5000;

/* Kills the running helper (if any) and marks why. Any context. */
static void edu_upcall_kill(struct edu_route *r, bool stop)
{
	struct pid *pid;
	unsigned long flags;

	spin_lock_irqsave(&r->helper_lock, flags);
	if (stop)
		r->helper_stop = true;
	else
		r->helper_expired = true;
	pid = get_pid(r->helper);
	spin_unlock_irqrestore(&r->helper_lock, flags);
	if (pid) {
		kill_pid(pid, SIGKILL, 1);
		put_pid(pid);
	}
}

static void edu_upcall_expired(struct timer_list *t)
{
	struct edu_route *r = from_timer(r, t, helper_timer);

	edu_upcall_kill(r, false);
}

/*
 * In the new process, before it executes the helper: remember it so that
 * it can be killed, unless it is already too late to start it.
 */
static int edu_upcall_init(struct subprocess_info *info, struct cred *new)
{
	struct edu_route *r = info->data;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&r->helper_lock, flags);
	if (r->helper_stop || r->helper_expired)
		ret = -EINTR;
	else
		r->helper = get_pid(task_pid(current));
	spin_unlock_irqrestore(&r->helper_lock, flags);
	return ret;
}

/*
 * Runs the helper for one event and waits for it, bounded by the timer.
 * Return: the helper's wait status, -ETIME if it was killed for
 * overrunning, -ECANCELED if the route was disabled meanwhile, or -errno
 * if it could not be started.
 */
static int edu_upcall_run(struct edu_route *r, const struct edu_event *ev)
{
	char path[256], dev[24], type[24], status[24], seq[32], time[40], value[24];
	char event[] = "event", home[] = "HOME=/";
	char env_path[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	char *argv[9], *envp[3];
	struct subprocess_info *info;
	unsigned long flags;
	struct pid *pid;
	bool expired, stopped;
	int ret;

	edu_upcall_helper_get(path, sizeof(path));
	snprintf(dev, sizeof(dev), "device=%u", ev->device);
	snprintf(type, sizeof(type), "type=%u", ev->type);
	snprintf(status, sizeof(status), "status=0x%08x", ev->irq_status);
	snprintf(seq, sizeof(seq), "seq=%llu", ev->seq);
	snprintf(time, sizeof(time), "time=%llu", ev->timestamp_ns);
	snprintf(value, sizeof(value), "value=%u", ev->value);
	argv[0] = path;
	argv[1] = event;
	argv[2] = dev;
	argv[3] = type;
	argv[4] = status;
	argv[5] = seq;
	argv[6] = time;
	argv[7] = value;
	argv[8] = NULL;
	envp[0] = home;
	envp[1] = env_path;
	envp[2] = NULL;

	info = call_usermodehelper_setup(path, argv, envp, GFP_KERNEL,
					 edu_upcall_init, NULL, r);
	if (!info)
		return -ENOMEM;
	mod_timer(&r->helper_timer,
		  jiffies + msecs_to_jiffies(READ_ONCE(edu_upcall_timeout_ms)));
	ret = call_usermodehelper_exec(info, UMH_WAIT_PROC);
	del_timer_sync(&r->helper_timer);

	spin_lock_irqsave(&r->helper_lock, flags);
	pid = r->helper;
	r->helper = NULL;
	expired = r->helper_expired;
	r->helper_expired = false;
	stopped = r->helper_stop;
	spin_unlock_irqrestore(&r->helper_lock, flags);
	put_pid(pid);
	/* Only a helper that our kill ended (or never started) counts so. */
	if (ret >= 0 && (ret & 0x7f) != SIGKILL)
		return ret;
	if (expired)
		return -ETIME;
	return stopped ? -ECANCELED : ret;
}

static int edu_upcall_enable(struct edu_route *r)
{
	return 0;
}

static void edu_upcall_event(struct edu_route *r, const struct edu_event *ev)
{
	edu_route_queue(r, ev);
	edu_route_kick(r, 0);
}

/* One helper at a time, oldest event first; the lock is dropped around it. */
static void edu_upcall_work(struct edu_route *r)
{
	struct edu_event ev;
	int ret;

	for (;;) {
		mutex_lock(&r->lock);
		/* Disabled, or enabled again as another type meanwhile: stop. */
		if (!r->enabled || r->type != EDU_ROUTE_UPCALL ||
		    !edu_route_dequeue(r, &ev)) {
			mutex_unlock(&r->lock);
			return;
		}
		/*
		 * Enabled, with the lock held: a disable has finished, or has
		 * not begun (it would set the flag again after this).
		 */
		spin_lock_irq(&r->helper_lock);
		r->helper_stop = false;
		spin_unlock_irq(&r->helper_lock);
		if (!__ratelimit(&r->upcall_rs)) {
			r->dropped++;
			mutex_unlock(&r->lock);
			continue;
		}
		mutex_unlock(&r->lock);

		ret = edu_upcall_run(r, &ev);

		mutex_lock(&r->lock);
		if (ret < 0) {
			r->last_error = -ret;
			r->dropped++;
		} else {
			/* A wait status: the helper's exit code is its high byte. */
			r->last_status = ret;
			r->sent++;
		}
		mutex_unlock(&r->lock);
	}
}

static void edu_upcall_stop(struct edu_route *r)
{
	edu_upcall_kill(r, true);
}

static const char *edu_upcall_state(struct edu_route *r)
{
	return READ_ONCE(r->helper) ? "running" : "ready";
}

const struct edu_route_ops edu_upcall_ops = {
	.enable = edu_upcall_enable,
	.event = edu_upcall_event,
	.work = edu_upcall_work,
	.stop = edu_upcall_stop,
	.state = edu_upcall_state,
};

void edu_upcall_route_init(struct edu_route *r)
{
	spin_lock_init(&r->helper_lock);
	timer_setup(&r->helper_timer, edu_upcall_expired, 0);
	ratelimit_state_init(&r->upcall_rs, HZ, EDU_UPCALLS_PER_SEC);
	ratelimit_set_flags(&r->upcall_rs, RATELIMIT_MSG_ON_RELEASE);
}
