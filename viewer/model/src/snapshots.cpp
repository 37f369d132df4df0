// snapshots.cpp — taking and restoring Replayer snapshots; TraceModel::stateAt.
#include "snapshots.h"

#include <algorithm>

namespace gmps::model {

size_t Snapshot::bytes() const {
  return sizeof(*this) + live.capacity() * sizeof(live[0]) + ps.capacity() * sizeof(Proc) +
         runqs.capacity() * 4 + ms.capacity() * sizeof(detail::MRec) + global.capacity() * 4;
}

size_t TraceModel::Snapshots::bytes() const {
  size_t n = list.capacity() * sizeof(Snapshot);
  for (const Snapshot& s : list) n += s.bytes() - sizeof(Snapshot);
  return n;
}

void TraceModel::Snapshots::take(const detail::Replayer& r, EventIndex at) {
  Snapshot s;
  s.at = at;
  s.dead = r.dead;
  s.live.reserve(r.live.size());
  for (int32_t g : r.live) s.live.emplace_back(g, r.gs[size_t(g)]);
  s.ps.reserve(r.ps.size());
  for (const detail::PRec& p : r.ps) {
    auto b = uint32_t(s.runqs.size());
    s.runqs.insert(s.runqs.end(), p.runq.begin(), p.runq.end());
    s.ps.push_back({p.m, p.curg, p.runnext, p.stolen, p.since, b, uint32_t(s.runqs.size())});
  }
  s.ms = r.ms;
  s.global.assign(r.global.begin(), r.global.end());
  list.push_back(std::move(s));
}

EventIndex TraceModel::Snapshots::restore(detail::Replayer& r, EventIndex at) const {
  auto it = std::upper_bound(list.begin(), list.end(), at,
                             [](EventIndex v, const Snapshot& s) { return v < s.at; });
  if (it == list.begin()) return 0;  // before the first snapshot: replay from the start
  const Snapshot& s = *(it - 1);
  for (auto& [g, rec] : s.live) {
    r.gs[size_t(g)] = rec;
    r.gs[size_t(g)].st = GStatus::None;
    r.setStatus(g, rec.st);
  }
  r.dead = s.dead;
  r.ps.resize(s.ps.size());
  for (size_t p = 0; p < s.ps.size(); p++) {
    const Snapshot::Proc& sp = s.ps[p];
    detail::PRec& P = r.ps[p];
    P.m = sp.m;
    P.curg = sp.curg;
    P.runnext = sp.runnext;
    P.stolen = sp.stolen;
    P.since = sp.since;
    P.runq.assign(s.runqs.begin() + sp.runqBegin, s.runqs.begin() + sp.runqEnd);
  }
  r.ms = s.ms;
  r.global.assign(s.global.begin(), s.global.end());
  return s.at;
}

// ---------------------------------------------------------------------------
// TraceModel seeking

SchedState TraceModel::stateAt(Ns t) const {
  auto& ev = trace_.events;
  auto it = std::upper_bound(ev.begin(), ev.end(), t,
                             [](Ns v, const Event& e) { return v < e.ts; });
  SchedState s = stateAfter(EventIndex(it - ev.begin()));
  s.time = t;
  return s;
}

SchedState TraceModel::stateAfter(EventIndex next) const {
  next = std::clamp<EventIndex>(next, 0, EventIndex(trace_.events.size()));
  detail::Replayer r(trace_, snaps_->ids);
  for (EventIndex i = snaps_->restore(r, next); i < next; i++) r.apply(i);

  SchedState s;
  s.next = next;
  s.time = next > 0 ? trace_.events[size_t(next - 1)].ts : 0;
  auto gid = [&](int32_t g) { return g < 0 ? -1 : snaps_->ids.id(g); };
  for (size_t p = 0; p < r.ps.size(); p++) {
    const detail::PRec& P = r.ps[p];
    ProcState ps{int32_t(p), P.m, gid(P.curg), gid(P.runnext), {}};
    for (int32_t g : P.runq) ps.runq.push_back(gid(g));
    if (P.m < 0) s.idleProcs.push_back(int32_t(p));
    s.procs.push_back(std::move(ps));
  }
  for (int32_t g : r.global) s.globalQueue.push_back(gid(g));
  for (size_t m = 0; m < r.ms.size(); m++) {
    const detail::MRec& M = r.ms[m];
    if (M.st == MStatus::None) continue;
    s.machines.push_back({int32_t(m), M.st, M.p, gid(M.curg), M.sysmon});
  }
  std::vector<int32_t> live = r.live;
  std::sort(live.begin(), live.end());  // dense order is id order
  s.goroutines.reserve(live.size());
  for (int32_t g : live) {
    const detail::GRec& G = r.gs[size_t(g)];
    bool onP = G.st == GStatus::Running;
    s.goroutines.push_back({gid(g), G.st, G.reason, G.since, G.m, onP ? G.p : -1});
  }
  s.deadGoroutines = r.dead;
  return s;
}

}  // namespace gmps::model
