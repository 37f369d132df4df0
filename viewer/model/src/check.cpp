// check.cpp — `gmpscope check`: replay the trace and stop at the first broken rule.
#include "gmpscope/model/check.h"

#include <exception>

#include "replay.h"

namespace gmps::model {

CheckResult checkTrace(const trace::Trace& t) {
  CheckResult res;
  res.events = int64_t(t.events.size());
  try {
    detail::GIds ids(t);
    detail::Replayer r(t, ids);
    for (EventIndex i = 0; i < EventIndex(t.events.size()); i++) {
      if (r.apply(i)) continue;
      res.ok = false;
      res.at = i;
      res.line = t.lineOf(i);
      res.message = t.name + ":" + std::to_string(res.line) + ": " + r.violation();
      return res;
    }
    res.goroutines = int64_t(ids.size());
    res.procs = int64_t(r.ps.size());
    for (const detail::MRec& m : r.ms) res.machines += m.st != MStatus::None;
    if (!t.events.empty()) res.duration = t.events.back().ts - t.events.front().ts;
  } catch (const std::exception& ex) {  // bad_alloc on an absurd trace: never past the API
    res.ok = false;
    res.message = t.name + ": cannot check: " + ex.what();
  }
  return res;
}

}  // namespace gmps::model
