/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Special-purpose memory (SPM) tracepoints: what each SPM node's pages
 * go through, one event per counter in /sys/bus/spm/devices/spm<nid>/stats/.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM spm

#if !defined(_SPM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SPM_TRACE_H

#include <linux/tracepoint.h>
#include <trace/events/mmflags.h>

#include "spm.h"

TRACE_DEFINE_ENUM(SPM_REFUSED_OWNER);
TRACE_DEFINE_ENUM(SPM_REFUSED_DYING);

DECLARE_EVENT_CLASS(spm_pages,
		    TP_PROTO(int nid, unsigned long pfn, unsigned int order),
		    TP_ARGS(nid, pfn, order),
		    TP_STRUCT__entry(__field(int, nid)
				     __field(unsigned long, pfn)
				     __field(unsigned int, order)),
		    TP_fast_assign(__entry->nid = nid;
				   __entry->pfn = pfn;
				   __entry->order = order;),
		    TP_printk("node=%d pfn=%#lx order=%u",
			      __entry->nid, __entry->pfn, __entry->order)
);

/* 2^order pages of the node were allocated */
DEFINE_EVENT(spm_pages, spm_alloc,
	     TP_PROTO(int nid, unsigned long pfn, unsigned int order),
	     TP_ARGS(nid, pfn, order)
);

/* 2^order pages of the node are being freed */
DEFINE_EVENT(spm_pages, spm_free,
	     TP_PROTO(int nid, unsigned long pfn, unsigned int order),
	     TP_ARGS(nid, pfn, order)
);

/* The node refused an allocation of 2^order pages */
TRACE_EVENT(spm_refuse,
	    TP_PROTO(int nid, unsigned int order, gfp_t gfp, enum spm_refusal why),
	    TP_ARGS(nid, order, gfp, why),
	    TP_STRUCT__entry(__field(int, nid)
			     __field(unsigned int, order)
			     __field(unsigned long, gfp)
			     __field(int, why)),
	    TP_fast_assign(__entry->nid = nid;
			   __entry->order = order;
			   __entry->gfp = (__force unsigned long)gfp;
			   __entry->why = why;),
	    TP_printk("node=%d order=%u gfp_flags=%s by=%s",
		      __entry->nid, __entry->order, show_gfp_flags(__entry->gfp),
		      __print_symbolic(__entry->why,
				       { SPM_REFUSED_OWNER, "owner" },
				       { SPM_REFUSED_DYING, "unregistering" }))
);

/* A page of the node was found poisoned; flags are memory_failure()'s MF_* */
TRACE_EVENT(spm_memory_failure,
	    TP_PROTO(int nid, unsigned long pfn, int flags),
	    TP_ARGS(nid, pfn, flags),
	    TP_STRUCT__entry(__field(int, nid)
			     __field(unsigned long, pfn)
			     __field(int, flags)),
	    TP_fast_assign(__entry->nid = nid;
			   __entry->pfn = pfn;
			   __entry->flags = flags;),
	    TP_printk("node=%d pfn=%#lx flags=%#x",
		      __entry->nid, __entry->pfn, __entry->flags)
);

#endif /* _SPM_TRACE_H */

/* This part must be outside the guard */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
