// stats_json.cpp — TraceStats as JSON (`gmpscope stats --json`) and durations as text.
#include <cinttypes>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "gmpscope/model/trace_model.h"

namespace gmps::model {
namespace {

using nlohmann::ordered_json;

ordered_json latencyJson(const LatencyHistogram& h) {
  ordered_json j;
  j["count"] = h.total;
  j["mean_ns"] = h.mean();
  j["min_ns"] = h.min;
  j["max_ns"] = h.max;
  j["p50_ns"] = h.percentile(0.5);
  j["p90_ns"] = h.percentile(0.9);
  j["p99_ns"] = h.percentile(0.99);
  ordered_json buckets = ordered_json::array();
  for (int i = 0; i < LatencyHistogram::kBuckets; i++)
    if (h.counts[size_t(i)] != 0)
      buckets.push_back({{"le_ns", LatencyHistogram::bucketUpper(i)}, {"count", h.counts[size_t(i)]}});
  j["buckets"] = std::move(buckets);
  return j;
}

ordered_json procJson(const ProcStats& p) {
  return {{"id", p.id},           {"running_ns", p.running}, {"held_ns", p.held},
          {"utilisation", p.utilisation}, {"gs_run", p.gsRun},   {"steals", p.steals},
          {"gs_stolen", p.gsStolen}, {"stolen_from", p.stolenFrom}, {"gs_lost", p.gsLost},
          {"preemptions", p.preemptions}};
}

ordered_json goroutineJson(const TraceModel& m, const GoroutineStats& g) {
  const GoroutineLane* lane = m.goroutine(g.id);
  ordered_json by = ordered_json::object();
  auto reasons = trace::enumTable(trace::EnumKind::BlockReason);
  if (lane != nullptr && g.blocked > 0) {
    BlockedByReason ns = blockedByReason(m, *lane);
    for (int r = 0; r < kNumBlockReasons; r++)
      if (ns[size_t(r)] != 0) by[reasons.names[r]] = ns[size_t(r)];
  }
  auto line = [&](EventIndex i) -> ordered_json {
    if (i == kNoEvent) return nullptr;
    return m.lineOf(i);
  };
  return {{"id", g.id},
          {"label", lane ? std::string(lane->label) : ""},
          {"running_ns", g.running},
          {"runnable_ns", g.runnable},
          {"blocked_ns", g.blocked},
          {"blocked_by_ns", std::move(by)},
          {"syscall_ns", g.syscall},
          {"starts", g.starts},
          {"preemptions", g.preemptions},
          {"yields", g.yields},
          {"blocks", g.blocks},
          {"syscalls", g.syscalls},
          {"created_line", line(lane ? lane->created : kNoEvent)},
          {"ended_line", line(lane ? lane->ended : kNoEvent)}};
}

}  // namespace

std::string statsJson(const TraceModel& m) {
  const TraceStats& s = m.stats();
  ordered_json j;
  j["file"] = m.trace().name;
  j["program"] = m.header().program;
  j["gomaxprocs"] = m.header().gomaxprocs;
  j["events"] = s.events;
  j["duration_ns"] = s.duration;
  j["goroutines"] = s.goroutines;
  j["steals"] = s.steals;
  j["gs_stolen"] = s.gsStolen;
  j["preemptions"] = s.preemptions;
  j["sysmon_preempts"] = s.sysmonPreempts;
  j["max_global_queue"] = s.maxGlobalQueue;
  ordered_json kinds = ordered_json::object();
  for (int e = 0; e < trace::kNumEvents; e++)
    if (s.eventCounts[size_t(e)] != 0) kinds[trace::eventName(Ev(e))] = s.eventCounts[size_t(e)];
  j["events_by_kind"] = std::move(kinds);
  j["sched_latency"] = latencyJson(s.schedLatency);
  ordered_json procs = ordered_json::array();
  for (const ProcStats& p : s.perP) procs.push_back(procJson(p));
  j["procs"] = std::move(procs);
  ordered_json gs = ordered_json::array();
  for (const GoroutineStats& g : s.perG) gs.push_back(goroutineJson(m, g));
  j["goroutines_detail"] = std::move(gs);
  if (m.firstViolation()) j["first_violation"] = m.firstViolation()->message;
  return j.dump(2);
}

std::string formatDuration(Ns d) {
  char buf[48];
  double v = double(d);
  if (d < 0) v = -v;
  const char* sign = d < 0 ? "-" : "";
  if (v < 1e3) std::snprintf(buf, sizeof buf, "%s%" PRId64 " ns", sign, int64_t(v));
  else if (v < 1e6) std::snprintf(buf, sizeof buf, "%s%.3g µs", sign, v / 1e3);
  else if (v < 1e9) std::snprintf(buf, sizeof buf, "%s%.3g ms", sign, v / 1e6);
  else std::snprintf(buf, sizeof buf, "%s%.4g s", sign, v / 1e9);
  return buf;
}

}  // namespace gmps::model
