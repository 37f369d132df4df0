// check.h — validates a trace against the legal state transitions of G, P and M and
// the run-queue contents (what `gmpscope check` runs). The rules are tables of data in
// check_rules.cpp, in the manner of gotraceui's validate.go.
#pragma once

#include <cstdint>
#include <string>

#include "gmpscope/model/types.h"

namespace gmps::model {

struct CheckResult {
  bool ok = true;
  EventIndex at = kNoEvent;  // the first offending event
  int64_t line = 0;          // its line in the file
  // `FILE:LINE: GoStart of G7: G7 is waiting (blocked on chan receive since line 1200),
  // not runnable` when !ok; empty otherwise.
  std::string message;
  // Counts for the one-line summary of a clean trace.
  int64_t events = 0, goroutines = 0, procs = 0, machines = 0;
  Ns duration = 0;
};

// checkTrace replays t and stops at the first violation. Never throws.
CheckResult checkTrace(const trace::Trace& t);

}  // namespace gmps::model
