// cursor.cpp — StateCursor: seeking by snapshot, or onwards from the last answer.
#include "gmpscope/model/cursor.h"

#include <algorithm>
#include <bit>

#include "replay.h"
#include "snapshots.h"

namespace gmps::model {
namespace {

// liveInIdOrder: r's live Gs by ascending dense index (which is id order). Sorting
// costs L log L; with many live Gs a pass over every G's slot is cheaper.
std::vector<int32_t> liveInIdOrder(const detail::Replayer& r) {
  const size_t n = r.livePos.size(), l = r.live.size();
  if (l * size_t(std::bit_width(l)) * 8 < n) {
    std::vector<int32_t> out = r.live;
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<int32_t> out;
  out.reserve(l);
  for (size_t g = 0; g < n; g++)
    if (r.livePos[g] >= 0) out.push_back(int32_t(g));
  return out;
}

SchedState stateOf(const detail::Replayer& r, const detail::GIds& ids, const trace::Trace& t,
                   EventIndex next) {
  SchedState s;
  s.next = next;
  s.time = next > 0 ? t.events[size_t(next - 1)].ts : 0;
  auto gid = [&](int32_t g) { return g < 0 ? -1 : ids.id(g); };
  s.procs.reserve(r.ps.size());
  for (size_t p = 0; p < r.ps.size(); p++) {
    const detail::PRec& P = r.ps[p];
    ProcState ps{int32_t(p), P.m, gid(P.curg), gid(P.runnext), {}};
    ps.runq.reserve(P.runq.size());
    for (int32_t g : P.runq) ps.runq.push_back(gid(g));
    if (P.m < 0) s.idleProcs.push_back(int32_t(p));
    s.procs.push_back(std::move(ps));
  }
  s.globalQueue.reserve(r.global.size());
  for (int32_t g : r.global) s.globalQueue.push_back(gid(g));
  for (size_t m = 0; m < r.ms.size(); m++) {
    const detail::MRec& M = r.ms[m];
    if (M.st == MStatus::None) continue;
    s.machines.push_back({int32_t(m), M.st, M.p, gid(M.curg), M.sysmon});
  }
  std::vector<int32_t> live = liveInIdOrder(r);
  s.goroutines.reserve(live.size());
  for (int32_t g : live) {
    const detail::GRec& G = r.gs[size_t(g)];
    bool onP = G.st == GStatus::Running;
    s.goroutines.push_back({gid(g), G.st, G.reason, G.since, G.m, onP ? G.p : -1});
  }
  s.deadGoroutines = r.dead;
  return s;
}

}  // namespace

StateCursor::StateCursor(const TraceModel& m)
    : m_(m), r_(std::make_unique<detail::Replayer>(m.trace_, m.snaps_->ids)) {}

StateCursor::~StateCursor() = default;

// seek brings r_ to the state after events [0, next). Onwards from at_ only while the
// snapshot stateAfter would start from is the one r_ started from: then both apply
// the same events to the same state.
void StateCursor::seek(EventIndex next) {
  const Snapshot* s = m_.snaps_->newest(next);
  EventIndex base = s == nullptr ? 0 : s->at;
  EventIndex from = at_;
  if (at_ < 0 || base != base_ || next < at_) {
    if (at_ >= 0) r_->reset();
    base_ = m_.snaps_->restore(*r_, next);
    at_ = from = base_;
  }
  for (; at_ < next; at_++) r_->apply(at_);
  replayed_ = at_ - from;
}

SchedState StateCursor::stateAfter(EventIndex next) {
  next = std::clamp<EventIndex>(next, 0, EventIndex(m_.trace_.events.size()));
  seek(next);
  return stateOf(*r_, m_.snaps_->ids, m_.trace_, next);
}

}  // namespace gmps::model
