/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the edu driver: trace system "edu", under
 * /sys/kernel/tracing/events/edu/ (docs/tracing.md). Every field is a
 * copied value, never a pointer into the device, so a record stays
 * readable after the device is gone.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM edu

#if !defined(EDU_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define EDU_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

/* edu_irq_handler_exit: what the handler did */
#define EDU_TR_IRQ_NONE		0	/* not ours (IRQ_NONE) */
#define EDU_TR_IRQ_HANDLED	1
#define EDU_TR_IRQ_DROPPED	2	/* acknowledged, dropped (drop_irqs) */

/* edu_event_deliver: the channel */
#define EDU_TR_CH_QUEUE		0	/* an open file's queue */
#define EDU_TR_CH_SIGIO		1	/* its fasync subscribers */
#define EDU_TR_CH_SIGNAL	2	/* its registered process */
#define EDU_TR_CH_DEBUG_SIGNAL	3	/* debugfs signal_pid */
#define EDU_TR_CH_DEFERRED	4	/* the ring of the deferred work */
#define EDU_TR_CH_NETLINK	5	/* multicast to "events" */
#define EDU_TR_CH_RING		6	/* an open file's mmap'd ring */
#define EDU_TR_CH_EVENTFD	7	/* its eventfd of one class */

/* edu_fw_step: the step of a firmware load */
#define EDU_TR_FW_REQUEST	0	/* asked the loader; value: upload */
#define EDU_TR_FW_RECEIVED	1	/* the loader answered; value: size */
#define EDU_TR_FW_CHECKED	2	/* header and CRCs checked */
#define EDU_TR_FW_WRITTEN	3	/* written and read back; value: version */
#define EDU_TR_FW_RESTORED	4	/* previous image put back */
#define EDU_TR_FW_DONE		5	/* the end; value: active version */

TRACE_EVENT(edu_irq_handler_entry,
	    TP_PROTO(int device, int irq),
	    TP_ARGS(device, irq),
	    TP_STRUCT__entry(__field(int, device)
			     __field(int, irq)),
	    TP_fast_assign(__entry->device = device;
			   __entry->irq = irq;),
	    TP_printk("edu%d irq=%d", __entry->device, __entry->irq)
);

TRACE_EVENT(edu_irq_handler_exit,
	    TP_PROTO(int device, int irq, u32 status, int result, u64 duration_ns),
	    TP_ARGS(device, irq, status, result, duration_ns),
	    TP_STRUCT__entry(__field(int, device)
			     __field(int, irq)
			     __field(u32, status)
			     __field(int, result)
			     __field(u64, duration_ns)),
	    TP_fast_assign(__entry->device = device;
			   __entry->irq = irq;
			   __entry->status = status;
			   __entry->result = result;
			   __entry->duration_ns = duration_ns;),
	    TP_printk("edu%d irq=%d status=0x%08x result=%s duration_ns=%llu",
		      __entry->device, __entry->irq, __entry->status,
		      __print_symbolic(__entry->result,
				       { EDU_TR_IRQ_NONE, "none" },
				       { EDU_TR_IRQ_HANDLED, "handled" },
				       { EDU_TR_IRQ_DROPPED, "dropped" }),
		      __entry->duration_ns)
);

TRACE_EVENT(edu_dma_start,
	    TP_PROTO(int device, bool to_ram, u32 dev_off, u32 len, u64 ram),
	    TP_ARGS(device, to_ram, dev_off, len, ram),
	    TP_STRUCT__entry(__field(int, device)
			     __field(bool, to_ram)
			     __field(u32, dev_off)
			     __field(u32, len)
			     __field(u64, ram)),
	    TP_fast_assign(__entry->device = device;
			   __entry->to_ram = to_ram;
			   __entry->dev_off = dev_off;
			   __entry->len = len;
			   __entry->ram = ram;),
	    TP_printk("edu%d dir=%s dev_off=%u len=%u ram=0x%llx",
		      __entry->device, __entry->to_ram ? "to_ram" : "to_device",
		      __entry->dev_off, __entry->len, __entry->ram)
);

TRACE_EVENT(edu_dma_done,
	    TP_PROTO(int device, bool to_ram, u32 dev_off, u32 len, u64 duration_ns,
		     int result),
	    TP_ARGS(device, to_ram, dev_off, len, duration_ns, result),
	    TP_STRUCT__entry(__field(int, device)
			     __field(bool, to_ram)
			     __field(u32, dev_off)
			     __field(u32, len)
			     __field(u64, duration_ns)
			     __field(int, result)),
	    TP_fast_assign(__entry->device = device;
			   __entry->to_ram = to_ram;
			   __entry->dev_off = dev_off;
			   __entry->len = len;
			   __entry->duration_ns = duration_ns;
			   __entry->result = result;),
	    TP_printk("edu%d dir=%s dev_off=%u len=%u duration_ns=%llu result=%d",
		      __entry->device, __entry->to_ram ? "to_ram" : "to_device",
		      __entry->dev_off, __entry->len, __entry->duration_ns,
		      __entry->result)
);

TRACE_EVENT(edu_factorial,
	    TP_PROTO(int device, u32 n, u32 value, u64 duration_ns, int result),
	    TP_ARGS(device, n, value, duration_ns, result),
	    TP_STRUCT__entry(__field(int, device)
			     __field(u32, n)
			     __field(u32, value)
			     __field(u64, duration_ns)
			     __field(int, result)),
	    TP_fast_assign(__entry->device = device;
			   __entry->n = n;
			   __entry->value = value;
			   __entry->duration_ns = duration_ns;
			   __entry->result = result;),
	    TP_printk("edu%d n=%u value=%u duration_ns=%llu result=%d",
		      __entry->device, __entry->n, __entry->value,
		      __entry->duration_ns, __entry->result)
);

TRACE_EVENT(edu_event_post,
	    TP_PROTO(int device, u64 seq, u32 type, u32 status, u32 value),
	    TP_ARGS(device, seq, type, status, value),
	    TP_STRUCT__entry(__field(int, device)
			     __field(u64, seq)
			     __field(u32, type)
			     __field(u32, status)
			     __field(u32, value)),
	    TP_fast_assign(__entry->device = device;
			   __entry->seq = seq;
			   __entry->type = type;
			   __entry->status = status;
			   __entry->value = value;),
	    TP_printk("edu%d seq=%llu type=%u status=0x%08x value=%u",
		      __entry->device, __entry->seq, __entry->type,
		      __entry->status, __entry->value)
);

/*
 * One channel's delivery of one event. target: the file's place among the
 * files visited on each event (sigio, ring), the class (eventfd), the
 * process ID (signals), 0 for a queue (traced when read(2) takes the
 * record). queued: what waits in that queue or ring now; lost: dropped
 * from it and not yet reported.
 */
TRACE_EVENT(edu_event_deliver,
	    TP_PROTO(int device, u64 seq, int channel, int target, int result,
		     u32 queued, u32 lost),
	    TP_ARGS(device, seq, channel, target, result, queued, lost),
	    TP_STRUCT__entry(__field(int, device)
			     __field(u64, seq)
			     __field(int, channel)
			     __field(int, target)
			     __field(int, result)
			     __field(u32, queued)
			     __field(u32, lost)),
	    TP_fast_assign(__entry->device = device;
			   __entry->seq = seq;
			   __entry->channel = channel;
			   __entry->target = target;
			   __entry->result = result;
			   __entry->queued = queued;
			   __entry->lost = lost;),
	    TP_printk("edu%d seq=%llu channel=%s target=%d result=%d queued=%u lost=%u",
		      __entry->device, __entry->seq,
		      __print_symbolic(__entry->channel,
				       { EDU_TR_CH_QUEUE, "queue" },
				       { EDU_TR_CH_SIGIO, "sigio" },
				       { EDU_TR_CH_SIGNAL, "signal" },
				       { EDU_TR_CH_DEBUG_SIGNAL, "debug_signal" },
				       { EDU_TR_CH_DEFERRED, "deferred" },
				       { EDU_TR_CH_NETLINK, "netlink" },
				       { EDU_TR_CH_RING, "ring" },
				       { EDU_TR_CH_EVENTFD, "eventfd" }),
		      __entry->target, __entry->result, __entry->queued,
		      __entry->lost)
);

/* One event handed to a configfs route: its counters afterwards. */
TRACE_EVENT(edu_event_route,
	    TP_PROTO(const char *route, int device, u64 seq, u32 queued, s64 sent,
		     s64 dropped),
	    TP_ARGS(route, device, seq, queued, sent, dropped),
	    TP_STRUCT__entry(__string(route, route)
			     __field(int, device)
			     __field(u64, seq)
			     __field(u32, queued)
			     __field(s64, sent)
			     __field(s64, dropped)),
	    TP_fast_assign(__assign_str(route, route);
			   __entry->device = device;
			   __entry->seq = seq;
			   __entry->queued = queued;
			   __entry->sent = sent;
			   __entry->dropped = dropped;),
	    TP_printk("edu%d seq=%llu route=%s queued=%u sent=%lld dropped=%lld",
		      __entry->device, __entry->seq, __get_str(route),
		      __entry->queued, __entry->sent, __entry->dropped)
);

TRACE_EVENT(edu_fw_step,
	    TP_PROTO(int device, int step, int result, u32 value, const char *detail),
	    TP_ARGS(device, step, result, value, detail),
	    TP_STRUCT__entry(__field(int, device)
			     __field(int, step)
			     __field(int, result)
			     __field(u32, value)
			     __string(detail, detail)),
	    TP_fast_assign(__entry->device = device;
			   __entry->step = step;
			   __entry->result = result;
			   __entry->value = value;
			   __assign_str(detail, detail);),
	    TP_printk("edu%d step=%s result=%d value=0x%x detail=\"%s\"",
		      __entry->device,
		      __print_symbolic(__entry->step,
				       { EDU_TR_FW_REQUEST, "request" },
				       { EDU_TR_FW_RECEIVED, "received" },
				       { EDU_TR_FW_CHECKED, "checked" },
				       { EDU_TR_FW_WRITTEN, "written" },
				       { EDU_TR_FW_RESTORED, "restored" },
				       { EDU_TR_FW_DONE, "done" }),
		      __entry->result, __entry->value, __get_str(detail))
);

#endif /* EDU_TRACE_H */

/* Out of tree: define_trace.h includes this file again, from here. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE edu_trace
#include <trace/define_trace.h>
