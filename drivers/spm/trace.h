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
TRACE_DEFINE_ENUM(SPM_PROMOTED_NUMA);
TRACE_DEFINE_ENUM(SPM_PROMOTED_WRITE);
TRACE_DEFINE_ENUM(SPM_WRITE_PROMOTE);
TRACE_DEFINE_ENUM(SPM_WRITE_ALLOW);
TRACE_DEFINE_ENUM(SPM_WRITE_REFUSE);

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

/* Reclaim demoted a folio into the node (ret=0), or the node refused it */
TRACE_EVENT(spm_demote,
	    TP_PROTO(int nid, unsigned long src_pfn, unsigned long dst_pfn,
		     unsigned int order, int ret),
	    TP_ARGS(nid, src_pfn, dst_pfn, order, ret),
	    TP_STRUCT__entry(__field(int, nid)
			     __field(unsigned long, src_pfn)
			     __field(unsigned long, dst_pfn)
			     __field(unsigned int, order)
			     __field(int, ret)),
	    TP_fast_assign(__entry->nid = nid;
			   __entry->src_pfn = src_pfn;
			   __entry->dst_pfn = dst_pfn;
			   __entry->order = order;
			   __entry->ret = ret;),
	    TP_printk("node=%d src_pfn=%#lx dst_pfn=%#lx order=%u ret=%d",
		      __entry->nid, __entry->src_pfn, __entry->dst_pfn,
		      __entry->order, __entry->ret)
);

/* nr_pages of the node's pages left it for DRAM */
TRACE_EVENT(spm_promote,
	    TP_PROTO(int nid, unsigned int nr_pages, enum spm_promotion how),
	    TP_ARGS(nid, nr_pages, how),
	    TP_STRUCT__entry(__field(int, nid)
			     __field(unsigned int, nr_pages)
			     __field(int, how)),
	    TP_fast_assign(__entry->nid = nid;
			   __entry->nr_pages = nr_pages;
			   __entry->how = how;),
	    TP_printk("node=%d nr_pages=%u by=%s", __entry->nid, __entry->nr_pages,
		      __print_symbolic(__entry->how,
				       { SPM_PROMOTED_NUMA, "numa_balancing" },
				       { SPM_PROMOTED_WRITE, "write_fault" }))
);

/* A task wrote to a write-protected page of the node; how it went on */
TRACE_EVENT(spm_write_fault,
	    TP_PROTO(int nid, unsigned long pfn, enum spm_write_fault how),
	    TP_ARGS(nid, pfn, how),
	    TP_STRUCT__entry(__field(int, nid)
			     __field(unsigned long, pfn)
			     __field(int, how)),
	    TP_fast_assign(__entry->nid = nid;
			   __entry->pfn = pfn;
			   __entry->how = how;),
	    TP_printk("node=%d pfn=%#lx action=%s", __entry->nid, __entry->pfn,
		      __print_symbolic(__entry->how,
				       { SPM_WRITE_PROMOTE, "promote" },
				       { SPM_WRITE_ALLOW, "allow" },
				       { SPM_WRITE_REFUSE, "refuse" }))
);

/* The owner raised (on=1) or cleared (on=0) the node's pressure */
TRACE_EVENT(spm_pressure,
	    TP_PROTO(int nid, bool on),
	    TP_ARGS(nid, on),
	    TP_STRUCT__entry(__field(int, nid)
			     __field(bool, on)),
	    TP_fast_assign(__entry->nid = nid;
			   __entry->on = on;),
	    TP_printk("node=%d on=%d", __entry->nid, __entry->on)
);

#endif /* _SPM_TRACE_H */

/* This part must be outside the guard */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
