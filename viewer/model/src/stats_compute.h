// stats_compute.h — computes TraceStats from a built model (model-internal).
#pragma once

#include "gmpscope/model/trace_model.h"

namespace gmps::model {

// computeStats derives every figure from the lanes (times) and one pass over the
// events (counts). Called once by TraceModel::build.
TraceStats computeStats(const TraceModel& m);

}  // namespace gmps::model
