// replay.cpp — the Replayer's walk over the transition tables (rules.cpp).
//
// Every event is handled in three steps: check all of its table rows against the
// state before it (so the first broken rule is reported in G, M, P order, the most
// telling first), apply the rows' effects, then the run-queue operation if it has one
// (queues.cpp). Effects are applied even when a check failed, so a model can be built
// past a broken trace.
#include "replay.h"

#include <algorithm>

namespace gmps::model::detail {

// ---------------------------------------------------------------------------
// GIds

GIds::GIds(const trace::Trace& t) {
  // Collect every goroutine id the trace names: the common g field, G arguments and
  // GList elements.
  int64_t maxId = -1;
  std::vector<int32_t> all;
  auto see = [&](int64_t id) {
    if (id < 0) return;
    maxId = std::max(maxId, id);
    all.push_back(int32_t(id));
  };
  for (const Event& e : t.events) {
    see(e.g);
    const trace::EventDef& d = trace::eventDef(e.ev);
    for (int i = 0; i < d.nargs; i++) {
      if (d.args[i].kind == trace::ArgKind::G) see(t.arg(e, i));
      if (d.args[i].kind == trace::ArgKind::GList)
        for (int32_t g : t.glist(e, i)) see(g);
    }
  }
  // Ids are handed out in sequence by the runtime, so a direct table is small.
  if (maxId < int64_t(4 * t.events.size() + 65536)) {
    direct_.assign(size_t(maxId + 1), -1);
    for (int32_t id : all) direct_[size_t(id)] = 0;
    for (size_t id = 0; id < direct_.size(); id++)
      if (direct_[id] == 0) {
        direct_[id] = int32_t(ids_.size());
        ids_.push_back(int32_t(id));
      }
    return;
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  ids_ = std::move(all);
}

int32_t GIds::sparseLookup(int64_t id) const {
  auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  if (it == ids_.end() || *it != id) return -1;
  return int32_t(it - ids_.begin());
}

// ---------------------------------------------------------------------------
// Replayer

Replayer::Replayer(const trace::Trace& t, const GIds& ids)
    : gs(ids.size()), livePos(ids.size(), -1), t_(t), ids_(ids) {}

void Replayer::reset() {
  std::fill(gs.begin(), gs.end(), GRec{});
  for (int32_t g : live) livePos[size_t(g)] = -1;
  live.clear();
  ps.clear();
  ms.clear();
  global.clear();
  dead = 0;
  cur_ = 0;
  tr_.clear();
  err_.clear();
}

MRec* Replayer::machine(int32_t m) {
  if (m < 0 || m >= kMaxM) return nullptr;
  if (size_t(m) >= ms.size()) ms.resize(size_t(m) + 1);
  return &ms[size_t(m)];
}

PRec* Replayer::proc(int32_t p) {
  if (p < 0 || p >= kMaxP) return nullptr;
  if (size_t(p) >= ps.size()) ps.resize(size_t(p) + 1);
  return &ps[size_t(p)];
}

void Replayer::setStatus(int32_t g, GStatus st) {
  GRec& G = gs[size_t(g)];
  auto isLive = [](GStatus s) { return s != GStatus::None && s != GStatus::Dead; };
  bool was = isLive(G.st), now = isLive(st);
  if (st == GStatus::Dead && G.st != GStatus::Dead) dead++;
  if (G.st == GStatus::Dead && st != GStatus::Dead) dead--;
  G.st = st;
  if (was == now) return;
  if (now) {
    livePos[size_t(g)] = int32_t(live.size());
    live.push_back(g);
    return;
  }
  int32_t pos = livePos[size_t(g)];
  live[size_t(pos)] = live.back();
  livePos[size_t(live.back())] = pos;
  live.pop_back();
  livePos[size_t(g)] = -1;
}

bool Replayer::apply(EventIndex i) {
  cur_ = i;
  err_.clear();
  tr_.clear();
  const Event& e = t_.events[size_t(i)];
  if (machine(e.m) == nullptr)
    return violate(what(e) + ": the event names no M it happened on (m=" + std::to_string(e.m) + ")");
  wakeImplicitly(e);
  const RulesFor& r = rulesFor(e.ev);
  for (int k = 0; k < r.ng; k++) checkG(*r.g[k], e);
  for (int k = 0; k < r.nm; k++) checkM(*r.m[k], e);
  for (int k = 0; k < r.np; k++) checkP(*r.p[k], e);
  for (int k = 0; k < r.np; k++) doP(*r.p[k], e);
  for (int k = 0; k < r.nm; k++) doM(*r.m[k], e);
  for (int k = 0; k < r.ng; k++) doG(*r.g[k], e);
  queueOps(e);
  if (e.ev == Ev::SysmonTick) ms[size_t(e.m)].sysmon = true;
  // runtime.main names sysmon's M when it starts it: known before its first tick.
  if (e.ev == Ev::Startup && t_.arg(e, 0) == int(trace::StartupStep::Sysmon))
    if (MRec* M = machine(int32_t(t_.arg(e, 1)))) M->sysmon = true;
  return err_.empty();
}

// wakeImplicitly: an M first seen is taken as started (m0 and sysmon record no MStart
// before their first event), and a parked M that records anything has woken up.
void Replayer::wakeImplicitly(const Event& e) {
  MRec& M = ms[size_t(e.m)];
  MStatus from = M.st;
  if (M.st == MStatus::None && e.ev != Ev::MStart) M.st = MStatus::Idle;
  if (M.st == MStatus::Parked && e.ev != Ev::MPark) M.st = MStatus::Idle;
  if (M.st != from) tr_.m[tr_.nm++] = {e.m, from, M.st};
}

int32_t Replayer::ruleG(const GRule& r, const Event& e) const {
  return ids_.dense(r.arg == kSelf ? int64_t(e.g) : t_.arg(e, r.arg));
}

int32_t Replayer::ruleP(const PRule& r, const Event& e) const {
  if (r.arg == kSelf) return e.p;
  if (r.arg == kOfG) {
    int32_t g = ids_.dense(e.g);
    return g < 0 ? -1 : gs[size_t(g)].p;
  }
  int64_t p = t_.arg(e, r.arg);
  return p < 0 || p >= kMaxP ? -1 : int32_t(p);
}

void Replayer::checkG(const GRule& r, const Event& e) {
  int32_t g = ruleG(r, e);
  if (g < 0) {
    violate(what(e) + (r.arg == kSelf ? ": the event has no G (g=-1: it happened on g0)"
                                      : ": it names no goroutine"));
    return;
  }
  const GRec& G = gs[size_t(g)];
  if (!(r.from & bit(G.st))) {
    if (r.from == bit(GStatus::None)) {
      violate(what(e) + ": " + gName(g) + " already exists: it is " + describeG(g));
      return;
    }
    violate(what(e) + ": " + gName(g) + " is " + describeG(g) + ", not " + expectedText(r.from));
    return;
  }
  if ((r.flags & kUnqueued) && G.q != Where::None)
    violate(what(e) + ": " + gName(g) + " is " + (e.ev == Ev::RunqPut ? "already " : "still ") +
            describeWhere(g));
  if ((r.flags & kOnThisM) && G.m != e.m)
    violate(what(e) + ": " + gName(g) + " is running on M" + std::to_string(G.m) + ", not on M" +
            std::to_string(e.m) + " which recorded the event");
}

void Replayer::doG(const GRule& r, const Event& e) {
  int32_t g = ruleG(r, e);
  if (g < 0 || r.to == GStatus::Count) return;
  GRec& G = gs[size_t(g)];
  GStatus from = G.st;
  // A G leaving runnable must have left its queue; if the trace forgot, take it out
  // so the queues stay believable.
  if (r.to != GStatus::Runnable && G.q != Where::None) {
    if (G.q == Where::Global) removeGlobal(g);
    if (G.q == Where::Local && proc(G.p) != nullptr) removeLocal(*proc(G.p), g);
    if (G.q == Where::Runnext && proc(G.p) != nullptr) {
      proc(G.p)->runnext = -1;
      touchQueue(G.p);
    }
    G.q = Where::None;
  }
  setStatus(g, r.to);
  G.since = cur_;
  G.m = r.to == GStatus::Running || r.to == GStatus::Syscall ? e.m : -1;
  G.p = r.to == GStatus::Running ? e.p : -1;
  G.reason = r.to == GStatus::Waiting ? uint8_t(t_.arg(e, 0)) : 0;
  if (r.to == GStatus::Running) {
    PRec* P = proc(e.p);
    if (P != nullptr && P->stolen == g) P->stolen = -1;
  }
  tr_.g[0] = {g, from, r.to};
  tr_.ng = 1;
}

void Replayer::checkM(const MRule& r, const Event& e) {
  int64_t m = r.arg == kSelf ? e.m : t_.arg(e, r.arg);
  MRec* M = m < 0 || m >= kMaxM ? nullptr : machine(int32_t(m));
  if (M == nullptr) {
    violate(what(e) + ": it names no M (m=" + std::to_string(m) + ")");
    return;
  }
  if (!(r.from & bit(M->st)))
    violate(what(e) + ": M" + std::to_string(m) + " is " + describeM(int32_t(m)) + ", not " +
            expectedMText(r.from));
}

void Replayer::doM(const MRule& r, const Event& e) {
  int64_t m = r.arg == kSelf ? e.m : t_.arg(e, r.arg);
  MRec* M = m < 0 || m >= kMaxM ? nullptr : machine(int32_t(m));
  if (M == nullptr || r.to == MStatus::Count) return;
  MStatus from = M->st;
  M->st = r.to;
  M->since = cur_;
  if (r.flags & kSetCurG) M->curg = ids_.dense(e.g);
  if (r.flags & kClearCurG) M->curg = -1;
  if (tr_.nm < 3) tr_.m[tr_.nm++] = {int32_t(m), from, r.to};
}

void Replayer::checkP(const PRule& r, const Event& e) {
  int32_t p = ruleP(r, e);
  if (p < 0) {
    if (r.need != PNeed::Any)
      violate(what(e) + ": it needs a P, but p=" + std::to_string(r.arg == kSelf ? e.p : p));
    return;
  }
  PRec* P = proc(p);
  if (P == nullptr) {
    violate(what(e) + ": P" + std::to_string(p) + " is out of range");
    return;
  }
  auto pn = [&] { return "P" + std::to_string(p); };  // for messages only: built when one is
  switch (r.need) {
    case PNeed::Any: break;
    case PNeed::Idle:
      if (P->m != -1) violate(what(e) + ": " + pn() + " is " + describeP(p) + ", not idle");
      break;
    case PNeed::HeldByM:
      if (P->m != e.m)
        violate(what(e) + ": " + pn() + " is " + describeP(p) + ", not held by M" +
                std::to_string(e.m));
      break;
    case PNeed::HeldByArgM: {
      int64_t m = t_.arg(e, r.mArg);
      if (P->m != m)
        violate(what(e) + ": " + pn() + " is " + describeP(p) + ", not held by M" +
                std::to_string(m));
      break;
    }
  }
  if (r.effect == PDo::Acquire && ms[size_t(e.m)].p != -1 && ms[size_t(e.m)].p != p)
    violate(what(e) + ": M" + std::to_string(e.m) + " already holds P" +
            std::to_string(ms[size_t(e.m)].p));
  int32_t g = ids_.dense(e.g);
  if (r.effect == PDo::SetCurG && P->curg != -1 && P->curg != g)
    violate(what(e) + ": " + pn() + " is already running " + gName(P->curg));
}

// endWithProcess: a P is released while a G still runs on it. Only the way out does
// that: after `exit`, the runtime's teardown stops the Ps under the goroutines, as
// Go's exit(0) ends the process under them. Those Gs end there (and their M stops
// running them), rather than running on an idle P until the trace ends.
void Replayer::endWithProcess(PRec& P) {
  int32_t g = P.curg;
  GRec& G = gs[size_t(g)];
  GStatus from = G.st;
  if (G.m >= 0 && size_t(G.m) < ms.size() && ms[size_t(G.m)].curg == g) {
    MRec& M = ms[size_t(G.m)];
    if (tr_.nm < 3) tr_.m[tr_.nm++] = {G.m, M.st, MStatus::Idle};
    M.st = MStatus::Idle;
    M.curg = -1;
    M.since = cur_;
  }
  setStatus(g, GStatus::Dead);
  G.since = cur_;
  G.m = G.p = -1;
  P.curg = -1;
  tr_.g[0] = {g, from, GStatus::Dead};
  tr_.ng = 1;
}

void Replayer::doP(const PRule& r, const Event& e) {
  int32_t p = ruleP(r, e);
  PRec* P = p < 0 ? nullptr : proc(p);
  if (P == nullptr || r.effect == PDo::None) return;
  switch (r.effect) {
    case PDo::None: break;
    case PDo::Acquire:
      if (P->m >= 0 && P->m != e.m) ms[size_t(P->m)].p = -1;
      P->m = e.m;
      P->since = cur_;
      ms[size_t(e.m)].p = p;
      break;
    case PDo::Release:
      if (P->curg >= 0) endWithProcess(*P);
      if (P->m >= 0 && size_t(P->m) < ms.size()) ms[size_t(P->m)].p = -1;
      P->m = -1;
      P->since = cur_;
      break;
    case PDo::SetCurG: P->curg = ids_.dense(e.g); break;
    case PDo::ClearCurG: P->curg = -1; break;
  }
  if (tr_.np < 2) tr_.p[tr_.np++] = {p, r.effect};
}

}  // namespace gmps::model::detail
