// SPDX-License-Identifier: GPL-2.0
/*
 * The one instance of the tracepoints edu_trace.h declares; every other
 * file only includes the header. Kbuild adds -I$(src) for this object, as
 * define_trace.h includes the header again through TRACE_INCLUDE_PATH.
 */
#define CREATE_TRACE_POINTS
#include "edu_trace.h"
