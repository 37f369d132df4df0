// stats.cpp — per-G, per-P and whole-trace figures, and the latency histogram.
#include <algorithm>
#include <bit>
#include <cmath>

#include "stats_compute.h"

namespace gmps::model {

// ---------------------------------------------------------------------------
// LatencyHistogram

int LatencyHistogram::bucketOf(Ns v) {
  if (v <= 1) return 0;
  int b = 64 - std::countl_zero(uint64_t(v - 1));  // smallest b with v <= 2^b
  return std::min(b, kBuckets - 1);
}

void LatencyHistogram::add(Ns v) {
  if (v < 0) v = 0;
  counts[size_t(bucketOf(v))]++;
  min = total == 0 ? v : std::min(min, v);
  max = total == 0 ? v : std::max(max, v);
  total++;
  sum += v;
}

Ns LatencyHistogram::percentile(double q) const {
  if (total == 0) return 0;
  auto rank = int64_t(std::ceil(std::clamp(q, 0.0, 1.0) * double(total)));
  rank = std::max<int64_t>(rank, 1);
  int64_t seen = 0;
  for (int i = 0; i < kBuckets; i++) {
    seen += counts[size_t(i)];
    if (seen >= rank) return std::min(bucketUpper(i), max);  // never beyond the largest sample
  }
  return max;
}

// ---------------------------------------------------------------------------
// computeStats

BlockedByReason blockedByReason(const TraceModel& m, const GoroutineLane& g) {
  BlockedByReason by{};
  SpanClock c = m.clock();
  for (const Span& s : g.spans)
    if (s.kind == SpanKind::GWaiting && s.detail < kNumBlockReasons) by[s.detail] += c.end(s) - c.start(s);
  return by;
}

namespace {

void goroutineTimes(const TraceModel& m, const GoroutineLane& lane, GoroutineStats& gs,
                    LatencyHistogram& lat) {
  SpanClock c = m.clock();
  for (const Span& s : lane.spans) {
    Ns d = c.end(s) - c.start(s);
    switch (s.kind) {
      case SpanKind::GRunning: gs.running += d; break;
      case SpanKind::GRunnable:
        gs.runnable += d;
        // Scheduler latency: runnable until a GoStart ran it (not until the trace ended).
        if (s.end != kNoEvent && m.event(s.end).ev == Ev::GoStart) lat.add(d);
        break;
      case SpanKind::GWaiting: gs.blocked += d; break;
      case SpanKind::GSyscall: gs.syscall += d; break;
      default: break;
    }
  }
  if (gs.blocked == 0) return;
  BlockedByReason by = blockedByReason(m, lane);
  auto top = std::max_element(by.begin(), by.end());
  if (*top > 0) gs.topBlockReason = int8_t(top - by.begin());
}

Ns spanTime(const TraceModel& m, const std::vector<Span>& spans) {
  Ns t = 0;
  for (const Span& s : spans) t += m.spanEnd(s) - m.spanStart(s);
  return t;
}

// countEvents makes the figures that are counts of events.
void countEvents(const TraceModel& m, TraceStats& st) {
  const trace::Trace& t = m.trace();
  auto perG = [&](int32_t id) -> GoroutineStats* {
    const GoroutineLane* lane = id < 0 ? nullptr : m.goroutine(id);
    return lane == nullptr ? nullptr : &st.perG[size_t(lane - m.goroutines().data())];
  };
  auto perP = [&](int64_t p) -> ProcStats* {
    return p >= 0 && p < int64_t(st.perP.size()) ? &st.perP[size_t(p)] : nullptr;
  };
  for (const Event& e : t.events) {
    st.eventCounts[size_t(e.ev)]++;
    GoroutineStats* g = perG(e.g);
    ProcStats* p = perP(e.p);
    switch (e.ev) {
      case Ev::GoStart:
        if (g) g->starts++;
        if (p) p->gsRun++;
        break;
      case Ev::GoStop: {
        bool pre = t.arg(e, 0) == int(trace::StopReason::Preempted);
        if (g) (pre ? g->preemptions : g->yields)++;
        if (p && pre) p->preemptions++;
        st.preemptions += pre;
        break;
      }
      case Ev::GoBlock:
        if (g) g->blocks++;
        break;
      case Ev::GoSyscallBegin:
        if (g) g->syscalls++;
        break;
      case Ev::RunqSteal: {
        auto n = int32_t(t.glist(e, 1).size());
        st.steals++;
        st.gsStolen += n;
        if (p) p->steals++, p->gsStolen += n;
        if (ProcStats* v = perP(t.arg(e, 0))) v->stolenFrom++, v->gsLost += n;
        break;
      }
      case Ev::SysmonPreempt: st.sysmonPreempts++; break;
      default: break;
    }
  }
}

}  // namespace

TraceStats computeStats(const TraceModel& m) {
  TraceStats st;
  st.events = int64_t(m.events().size());
  st.duration = m.endTime() - m.startTime();
  st.goroutines = int64_t(m.goroutines().size());
  st.perG.resize(m.goroutines().size());
  for (size_t i = 0; i < st.perG.size(); i++) {
    st.perG[i].id = m.goroutines()[i].id;
    goroutineTimes(m, m.goroutines()[i], st.perG[i], st.schedLatency);
  }
  st.perP.resize(m.procs().size());
  for (size_t p = 0; p < st.perP.size(); p++) {
    ProcStats& ps = st.perP[p];
    ps.id = int32_t(p);
    ps.running = spanTime(m, m.procs()[p].running);
    ps.held = spanTime(m, m.procs()[p].held);
    ps.utilisation = st.duration > 0 ? double(ps.running) / double(st.duration) : 0;
  }
  countEvents(m, st);
  for (const CounterPoint& c : m.globalRunqLen()) st.maxGlobalQueue = std::max<int64_t>(st.maxGlobalQueue, c.value);
  return st;
}

}  // namespace gmps::model
