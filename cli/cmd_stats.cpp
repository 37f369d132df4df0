// cmd_stats.cpp — `gmpscope stats FILE [--json]`: per-G and per-P figures and totals
// from the trace model, as a table for people or JSON for machines.
#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "commands.h"
#include "gmpscope/model/trace_model.h"

namespace gmps::cli {
namespace {

using model::formatDuration;

// Only the busiest goroutines are listed as text; --json has them all.
constexpr size_t kTopGoroutines = 20;

void printTotals(const model::TraceModel& m) {
  const model::TraceStats& s = m.stats();
  std::printf("%s: %" PRId64 " events over %s, %" PRId64 " goroutines, %zu Ps, %zu Ms\n",
              m.trace().name.c_str(), s.events, formatDuration(s.duration).c_str(), s.goroutines,
              m.procs().size(), m.machines().size());
  std::printf("steals %" PRId64 " (%" PRId64 " Gs moved), preemptions %" PRId64
              " (sysmon asked %" PRId64 "), longest global queue %" PRId64 "\n",
              s.steals, s.gsStolen, s.preemptions, s.sysmonPreempts, s.maxGlobalQueue);
  const model::LatencyHistogram& h = s.schedLatency;
  std::printf("scheduler latency (runnable -> running): %" PRId64 " samples, mean %s, p50 %s, "
              "p90 %s, p99 %s, max %s\n",
              h.total, formatDuration(h.mean()).c_str(), formatDuration(h.percentile(0.5)).c_str(),
              formatDuration(h.percentile(0.9)).c_str(), formatDuration(h.percentile(0.99)).c_str(),
              formatDuration(h.max).c_str());
}

void printProcs(const model::TraceStats& s) {
  std::printf("\n%-5s %12s %12s %6s %8s %14s %14s %8s\n", "P", "running", "held", "util",
              "Gs run", "steals (Gs)", "robbed (Gs)", "preempt");
  for (const model::ProcStats& p : s.perP) {
    char steals[32], robbed[32];
    std::snprintf(steals, sizeof steals, "%d (%d)", p.steals, p.gsStolen);
    std::snprintf(robbed, sizeof robbed, "%d (%d)", p.stolenFrom, p.gsLost);
    std::printf("P%-4d %12s %12s %5.1f%% %8d %14s %14s %8d\n", p.id,
                formatDuration(p.running).c_str(), formatDuration(p.held).c_str(),
                100 * p.utilisation, p.gsRun, steals, robbed, p.preemptions);
  }
}

void printGoroutines(const model::TraceModel& m) {
  std::vector<const model::GoroutineStats*> gs;
  for (const model::GoroutineStats& g : m.stats().perG) gs.push_back(&g);
  std::stable_sort(gs.begin(), gs.end(), [](auto* a, auto* b) { return a->running > b->running; });
  std::printf("\n%-8s %-24s %11s %11s %11s %11s %6s %7s %6s %6s\n", "G", "label", "running",
              "runnable", "blocked", "syscall", "starts", "preempt", "yields", "blocks");
  for (size_t i = 0; i < gs.size() && i < kTopGoroutines; i++) {
    const model::GoroutineStats& g = *gs[i];
    const model::GoroutineLane* lane = m.goroutine(g.id);
    std::string label = lane ? std::string(lane->label.substr(0, 24)) : "";
    std::printf("G%-7d %-24s %11s %11s %11s %11s %6d %7d %6d %6d\n", g.id, label.c_str(),
                formatDuration(g.running).c_str(), formatDuration(g.runnable).c_str(),
                formatDuration(g.blocked).c_str(), formatDuration(g.syscall).c_str(), g.starts,
                g.preemptions, g.yields, g.blocks);
  }
  if (gs.size() > kTopGoroutines)
    std::printf("(%zu more goroutines; --json lists them all)\n", gs.size() - kTopGoroutines);
}

void printEventCounts(const model::TraceStats& s) {
  std::printf("\nevents by kind:");
  int col = 0;
  for (int e = 0; e < trace::kNumEvents; e++) {
    if (s.eventCounts[size_t(e)] == 0) continue;
    std::printf("%s%s %" PRId64, col++ % 6 == 0 ? "\n  " : ", ", trace::eventName(trace::Ev(e)),
                s.eventCounts[size_t(e)]);
  }
  std::printf("\n");
}

}  // namespace

int cmdStats(const std::string& path, bool json) {
  model::LoadResult r = model::loadTrace(path);
  for (const std::string& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.error.c_str());
    return 1;
  }
  const model::TraceModel& m = *r.model;
  if (m.firstViolation())
    std::fprintf(stderr, "warning: the trace breaks the scheduler's rules (figures after it are "
                         "best effort): %s\n", m.firstViolation()->message.c_str());
  if (json) {
    std::printf("%s\n", model::statsJson(m).c_str());
    return 0;
  }
  printTotals(m);
  printProcs(m.stats());
  printGoroutines(m);
  printEventCounts(m.stats());
  return 0;
}

}  // namespace gmps::cli
