// cmd_check.cpp — `gmpscope check FILE`: replay a trace against the G/M/P state
// machines and the run-queue contents; report the first violation (exit 1) or a
// one-line summary (exit 0). The rules live in the model (viewer/model/src/rules.cpp).
#include <cinttypes>
#include <cstdio>

#include "commands.h"
#include "gmpscope/model/check.h"
#include "gmpscope/model/stats.h"
#include "gmpscope/tracer/reader.h"

namespace gmps::cli {

int cmdCheck(const std::string& path) {
  trace::ReadResult r = trace::readTrace(path);
  for (const std::string& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.error.c_str());
    return 1;
  }
  model::CheckResult c = model::checkTrace(*r.trace);
  if (!c.ok) {
    std::fprintf(stderr, "%s\n", c.message.c_str());
    return 1;
  }
  std::printf("%s: ok: %" PRId64 " events over %s, %" PRId64 " goroutines, %" PRId64
              " Ps, %" PRId64 " Ms follow the G/M/P rules\n",
              path.c_str(), c.events, model::formatDuration(c.duration).c_str(), c.goroutines,
              c.procs, c.machines);
  return 0;
}

}  // namespace gmps::cli
