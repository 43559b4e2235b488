// SPDX-License-Identifier: GPL-2.0
/* Special-purpose memory (SPM): instantiate the tracepoints of trace.h */
#define CREATE_TRACE_POINTS
#include "trace.h"
