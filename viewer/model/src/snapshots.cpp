// snapshots.cpp — taking and restoring Replayer snapshots; TraceModel::stateAt and
// stateAfter (a StateCursor used once).
#include "snapshots.h"

#include <algorithm>

#include "gmpscope/model/cursor.h"

namespace gmps::model {

size_t Snapshot::bytes() const {
  return sizeof(*this) + live.capacity() * sizeof(live[0]) + ps.capacity() * sizeof(Proc) +
         (runqs.capacity() + global.capacity()) * 4 +
         (runqTimes.capacity() + globalTimes.capacity()) * sizeof(Queued) +
         ms.capacity() * sizeof(detail::MRec);
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
  // g's times if its record says only that it waits in queue q (of P p), the first
  // time it is met in a queue; else kWhole.
  std::vector<uint8_t> kept(r.gs.size(), 0);
  auto keepQueued = [&](int32_t g, detail::Where q, int32_t p) -> Snapshot::Queued {
    const detail::GRec& G = r.gs[size_t(g)];
    const bool onlyQueued = G.st == GStatus::Runnable && G.m == -1 && G.reason == 0 &&
                            G.pad == 0 && G.q == q && G.p == p;
    if (kept[size_t(g)] || !onlyQueued) return {Snapshot::kWhole, Snapshot::kWhole};
    kept[size_t(g)] = 1;
    return {G.since, G.qsince};
  };
  s.ps.reserve(r.ps.size());
  for (size_t p = 0; p < r.ps.size(); p++) {
    const detail::PRec& P = r.ps[p];
    auto b = uint32_t(s.runqs.size());
    for (int32_t g : P.runq) {
      s.runqs.push_back(g);
      s.runqTimes.push_back(keepQueued(g, detail::Where::Local, int32_t(p)));
    }
    s.ps.push_back({P.m, P.curg, P.runnext, P.stolen, P.since, b, uint32_t(s.runqs.size())});
  }
  s.global.reserve(r.global.size());
  s.globalTimes.reserve(r.global.size());
  for (int32_t g : r.global) {
    s.global.push_back(g);
    s.globalTimes.push_back(keepQueued(g, detail::Where::Global, -1));
  }
  for (int32_t g : r.live)
    if (!kept[size_t(g)]) s.live.emplace_back(g, r.gs[size_t(g)]);
  s.ms = r.ms;
  list.push_back(std::move(s));
}

const Snapshot* TraceModel::Snapshots::newest(EventIndex at) const {
  auto it = std::upper_bound(list.begin(), list.end(), at,
                             [](EventIndex v, const Snapshot& s) { return v < s.at; });
  return it == list.begin() ? nullptr : &*(it - 1);
}

EventIndex TraceModel::Snapshots::restore(detail::Replayer& r, EventIndex at) const {
  const Snapshot* found = newest(at);
  if (found == nullptr) return 0;  // before the first snapshot: replay from the start
  const Snapshot& s = *found;
  for (auto& [g, rec] : s.live) {
    r.gs[size_t(g)] = rec;
    r.gs[size_t(g)].st = GStatus::None;
    r.setStatus(g, rec.st);
  }
  // A G kept beside its queue: runnable, on no M, waiting there since its times.
  auto queued = [&](int32_t g, const Snapshot::Queued& t, detail::Where q, int32_t p) {
    if (t.since == Snapshot::kWhole) return;
    detail::GRec& G = r.gs[size_t(g)];
    G = detail::GRec{};
    G.since = t.since;
    G.qsince = t.qsince;
    G.q = q;
    G.p = p;
    r.setStatus(g, GStatus::Runnable);
  };
  for (size_t k = 0; k < s.global.size(); k++)
    queued(s.global[k], s.globalTimes[k], detail::Where::Global, -1);
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
    for (uint32_t k = sp.runqBegin; k < sp.runqEnd; k++)
      queued(s.runqs[k], s.runqTimes[k], detail::Where::Local, int32_t(p));
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
  return StateCursor(*this).stateAfter(next);
}

}  // namespace gmps::model
