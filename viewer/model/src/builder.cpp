// builder.cpp — the one pass that makes lanes, counters, marks, flows and snapshots.
#include "builder.h"

#include <algorithm>
#include <numeric>

namespace gmps::model {
namespace {

using detail::PDo;

// closeLast ends the lane's open span (always its last one) at event i.
void closeLast(std::vector<Span>& lane, EventIndex i) {
  if (!lane.empty() && lane.back().end == kNoEvent) lane.back().end = i;
}

void open(std::vector<Span>& lane, EventIndex i, SpanKind k, int32_t other, uint8_t detail = 0) {
  closeLast(lane, i);
  lane.push_back(Span{i, kNoEvent, other, k, detail});
}

void point(std::vector<CounterPoint>& series, EventIndex i, int32_t v) {
  if (!series.empty() && series.back().value == v) return;
  if (!series.empty() && series.back().ev == i) {  // two changes in one event: keep the last
    series.back().value = v;
    return;
  }
  series.push_back(CounterPoint{i, v});
}

}  // namespace

ModelBuilder::ModelBuilder(TraceModel& m, TraceModel::Snapshots& snaps)
    : m_(m), snaps_(snaps), t_(m.trace_), r_(m.trace_, snaps.ids) {
  size_t ng = snaps.ids.size();
  m_.gs_.resize(ng);
  for (size_t g = 0; g < ng; g++) m_.gs_[g].id = snaps.ids.id(int32_t(g));
  pendingStart_.assign(ng, kNoEvent);
  gOpen_.assign(ng, kNone);
  gLastMark_.assign(ng, kNoEvent);
  gSpanLog_.reserve(m_.trace_.events.size() / 2);
  pendingPreempt_.assign(ng, kNoEvent);
}

bool ModelBuilder::run(LoadProgress* progress) {
  const EventIndex n = EventIndex(t_.events.size());
  float base = progress ? progress->fraction() : 0.f;
  for (EventIndex i = 0; i < n; i++) {
    if (i == nextSnapshot_) {
      if (i > 0) snaps_.take(r_, i);
      nextSnapshot_ = i + TraceModel::Snapshots::interval(i > 0 ? snaps_.list.back().bytes() : 0);
    }
    onEvent(i);
    if ((i & 0xffff) == 0xffff && progress != nullptr) {
      if (progress->read.cancel.load(std::memory_order_relaxed)) return false;
      progress->read.fraction.store(base + (1.f - base) * float(i) / float(n),
                                    std::memory_order_relaxed);
    }
  }
  finishFlows();
  finishGoroutineLanes();
  // Every P and M the replay met gets a lane, even one with nothing drawn on it.
  if (!r_.ps.empty()) procLane(int32_t(r_.ps.size() - 1));
  if (!r_.ms.empty()) machineLane(int32_t(r_.ms.size() - 1));
  for (MachineLane& ml : m_.machines_)
    if (size_t(ml.id) < r_.ms.size()) ml.sysmon = r_.ms[size_t(ml.id)].sysmon;
  if (progress != nullptr) progress->read.fraction.store(1.f, std::memory_order_relaxed);
  return true;
}

void ModelBuilder::onEvent(EventIndex i) {
  const Event& e = t_.events[size_t(i)];
  if (!r_.apply(i) && !m_.violation_) {
    CheckResult v;
    v.ok = false;
    v.at = i;
    v.line = t_.lineOf(i);
    v.message = t_.name + ":" + std::to_string(v.line) + ": " + r_.violation();
    m_.violation_ = std::move(v);
  }
  const detail::Transitions& tr = r_.changes();
  for (int k = 0; k < tr.nm; k++) mMove(tr.m[k], i, e);
  for (int k = 0; k < tr.np; k++) pMove(tr.p[k], i, e);
  for (int k = 0; k < tr.ng; k++) gMove(tr.g[k], i, e);
  counters(i);
  marks(i, e);
  flows(i, e);
}

uint8_t ModelBuilder::runnableCause(const Event& e) const {
  switch (e.ev) {
    case Ev::GoCreate: return uint8_t(RunnableCause::Created);
    case Ev::GoUnblock: return uint8_t(RunnableCause::Unblocked);
    case Ev::GoSyscallEndBlocked: return uint8_t(RunnableCause::SyscallExit);
    case Ev::GoStop:
      return uint8_t(t_.arg(e, 0) == int(trace::StopReason::Preempted) ? RunnableCause::Preempted
                                                                     : RunnableCause::Yielded);
    default: return uint8_t(RunnableCause::Unblocked);
  }
}

void ModelBuilder::closeG(int32_t g, EventIndex i) {
  uint32_t k = gOpen_[size_t(g)];
  if (k != kNone && gSpanLog_[k].s.end == kNoEvent) gSpanLog_[k].s.end = i;
}

void ModelBuilder::openG(int32_t g, EventIndex i, SpanKind k, int32_t other, uint8_t detail) {
  closeG(g, i);
  gOpen_[size_t(g)] = uint32_t(gSpanLog_.size());
  gSpanLog_.push_back(GSpan{g, Span{i, kNoEvent, other, k, detail}});
}

namespace {

// groupByG sorts log entries by their G into out, stably (a counting sort: each G's
// entries keep their time order), and returns where each G's run starts: G g owns
// out[at[g], at[g+1]).
template <typename Rec, typename T, typename Value>
std::vector<uint32_t> groupByG(const std::vector<Rec>& log, size_t ng, std::vector<T>& out, Value value) {
  std::vector<uint32_t> at(ng + 1, 0);
  for (const Rec& x : log) at[size_t(x.g) + 1]++;
  std::partial_sum(at.begin(), at.end(), at.begin());
  std::vector<uint32_t> next(at.begin(), at.end() - 1);
  out.resize(log.size());
  for (const Rec& x : log) out[next[size_t(x.g)]++] = value(x);
  return at;
}

}  // namespace

// finishGoroutineLanes moves the logs into the model's two arrays, G by G, and points
// every lane at its part.
void ModelBuilder::finishGoroutineLanes() {
  const size_t ng = m_.gs_.size();
  auto spanAt = groupByG(gSpanLog_, ng, m_.gSpans_, [](const GSpan& x) { return x.s; });
  auto markAt = groupByG(gMarkLog_, ng, m_.gMarks_, [](const GMark& x) { return x.ev; });
  for (size_t g = 0; g < ng; g++) {
    m_.gs_[g].spans = std::span<const Span>(m_.gSpans_).subspan(spanAt[g], spanAt[g + 1] - spanAt[g]);
    m_.gs_[g].marks = std::span<const EventIndex>(m_.gMarks_).subspan(markAt[g], markAt[g + 1] - markAt[g]);
  }
  std::vector<GSpan>().swap(gSpanLog_);
  std::vector<GMark>().swap(gMarkLog_);
}

void ModelBuilder::gMove(const detail::Transitions::GMove& mv, EventIndex i, const Event& e) {
  GoroutineLane& lane = m_.gs_[size_t(mv.g)];
  switch (mv.to) {
    case GStatus::Runnable: openG(mv.g, i, SpanKind::GRunnable, -1, runnableCause(e)); break;
    case GStatus::Running: openG(mv.g, i, SpanKind::GRunning, e.p); break;
    case GStatus::Waiting: openG(mv.g, i, SpanKind::GWaiting, -1, uint8_t(t_.arg(e, 0))); break;
    case GStatus::Syscall: openG(mv.g, i, SpanKind::GSyscall, e.m); break;
    default: closeG(mv.g, i); break;
  }
  if (e.ev == Ev::GoCreate) {
    lane.created = i;
    lane.label = t_.str(e, 1);
  }
  if (mv.to == GStatus::Dead) lane.ended = i;
}

void ModelBuilder::mMove(const detail::Transitions::MMove& mv, EventIndex i, const Event& e) {
  MachineLane& lane = machineLane(mv.m);
  const detail::MRec& M = r_.ms[size_t(mv.m)];
  int32_t g = M.curg < 0 ? -1 : snaps_.ids.id(M.curg);
  switch (mv.to) {
    case MStatus::Spinning: open(lane.spans, i, SpanKind::MSpinning, -1); break;
    case MStatus::Parked: open(lane.spans, i, SpanKind::MParked, -1); break;
    case MStatus::Running: open(lane.spans, i, SpanKind::MRunning, g); break;
    case MStatus::Syscall: open(lane.spans, i, SpanKind::MSyscall, g); break;
    default: closeLast(lane.spans, i); break;
  }
}

void ModelBuilder::pMove(const detail::Transitions::PMove& mv, EventIndex i, const Event& e) {
  ProcLane& lane = procLane(mv.p);
  switch (mv.what) {
    case PDo::Acquire: open(lane.held, i, SpanKind::PHeld, e.m); break;
    case PDo::Release:  // a released P runs nothing (at exit its G ends with it)
      closeLast(lane.held, i);
      closeLast(lane.running, i);
      break;
    case PDo::SetCurG: open(lane.running, i, SpanKind::PRunning, e.g); break;
    case PDo::ClearCurG: closeLast(lane.running, i); break;
    case PDo::None: break;
  }
}

void ModelBuilder::counters(EventIndex i) {
  const detail::Transitions& tr = r_.changes();
  for (int k = 0; k < tr.nq; k++) {
    int32_t p = tr.queueP[k];
    const detail::PRec& P = r_.ps[size_t(p)];
    ProcLane& lane = procLane(p);
    point(lane.runnext, i, P.runnext >= 0 ? 1 : 0);
    point(lane.runqLen, i, int32_t(P.runq.size()));
  }
  if (tr.global) point(m_.globalLen_, i, int32_t(r_.global.size()));
}

void ModelBuilder::marks(EventIndex i, const Event& e) {
  auto gMark = [&](int64_t id) {
    int32_t g = snaps_.ids.dense(id);
    if (g < 0) return;
    if (gLastMark_[size_t(g)] == i) return;
    gLastMark_[size_t(g)] = i;
    gMarkLog_.push_back(GMark{g, i});
  };
  auto pMark = [&](int64_t p) {
    if (p < 0 || p >= detail::Replayer::kMaxP) return;
    auto& mk = procLane(int32_t(p)).marks;
    if (mk.empty() || mk.back() != i) mk.push_back(i);
  };
  switch (e.ev) {
    case Ev::GoCreate: gMark(e.g); break;
    case Ev::GoUnblock:
      gMark(e.g);
      gMark(t_.arg(e, 0));
      break;
    case Ev::RunqSteal:
      pMark(e.p);
      pMark(t_.arg(e, 0));
      break;
    case Ev::SysmonPreempt:
    case Ev::SysmonRetake:
      pMark(t_.arg(e, e.ev == Ev::SysmonPreempt ? 1 : 0));
      m_.sysmon_.push_back(i);
      m_.sysmonIdle_.push_back(0);
      break;
    case Ev::SysmonTick: {
      const bool allIdle =
          !r_.ps.empty() &&
          std::all_of(r_.ps.begin(), r_.ps.end(), [](const detail::PRec& P) { return P.m < 0; });
      m_.sysmon_.push_back(i);
      m_.sysmonIdle_.push_back(allIdle ? 1 : 0);
      break;
    }
    case Ev::MStart:
    case Ev::MUnpark:
    case Ev::Wakep:
    case Ev::HandoffP:
    case Ev::ProcSteal:
      if (e.m >= 0 && e.m < detail::Replayer::kMaxM) machineLane(e.m).marks.push_back(i);
      break;
    case Ev::Startup: m_.startup_.push_back(i); break;
    default: break;
  }
}

void ModelBuilder::flows(EventIndex i, const Event& e) {
  auto& ids = snaps_.ids;
  auto add = [&](EventIndex from, FlowKind k, int32_t count = 1, int16_t fromP = -1) {
    flowsByTo_.push_back(Flow{from, i, count, fromP, k});
  };
  switch (e.ev) {
    case Ev::GoCreate:
    case Ev::GoUnblock: {
      int32_t g = ids.dense(t_.arg(e, 0));
      if (g >= 0) pendingStart_[size_t(g)] = i;
      break;
    }
    case Ev::GoStart: {
      int32_t g = ids.dense(e.g);
      if (g < 0) break;
      EventIndex from = pendingStart_[size_t(g)];
      if (from != kNoEvent)
        add(from, t_.events[size_t(from)].ev == Ev::GoCreate ? FlowKind::Create : FlowKind::Unblock);
      pendingStart_[size_t(g)] = kNoEvent;
      pendingPreempt_[size_t(g)] = kNoEvent;  // execute clears a stale preempt request
      break;
    }
    case Ev::SysmonPreempt: {
      int32_t g = ids.dense(t_.arg(e, 0));
      if (g >= 0) pendingPreempt_[size_t(g)] = i;
      break;
    }
    case Ev::GoStop: {
      int32_t g = ids.dense(e.g);
      if (g < 0 || t_.arg(e, 0) != int(trace::StopReason::Preempted)) break;
      if (pendingPreempt_[size_t(g)] != kNoEvent) add(pendingPreempt_[size_t(g)], FlowKind::Preempt);
      pendingPreempt_[size_t(g)] = kNoEvent;
      break;
    }
    case Ev::RunqSteal:
      add(i, FlowKind::Steal, int32_t(t_.glist(e, 1).size()), int16_t(t_.arg(e, 0)));
      break;
    case Ev::HandoffP: {
      int64_t p = t_.arg(e, 0);
      if (p < 0 || p >= detail::Replayer::kMaxP) break;
      if (size_t(p) >= pendingHandoff_.size()) pendingHandoff_.resize(size_t(p) + 1);
      pendingHandoff_[size_t(p)] = PendingHandoff{i, e.m, -1};
      break;
    }
    case Ev::MUnpark:  // startm woke a parked M for P pp
      handoffStarted(int32_t(t_.arg(e, 1)), e.m, int32_t(t_.arg(e, 0)));
      break;
    case Ev::MStart:  // startm made a new M: for the P its parent handed off last
      handoffStarted(-1, int32_t(t_.arg(e, 0)), e.m);
      break;
    case Ev::ProcStart:
      if (e.p >= 0 && size_t(e.p) < pendingHandoff_.size() &&
          pendingHandoff_[size_t(e.p)].ev != kNoEvent) {
        PendingHandoff& h = pendingHandoff_[size_t(e.p)];
        if (h.to == e.m) add(h.ev, FlowKind::Handoff);
        h = PendingHandoff{};
      }
      break;
    default: break;
  }
}

// handoffStarted notes that M by, which handed off P p (any P it handed off and has
// not yet given an M, the latest first, when p is -1), started M to for it.
void ModelBuilder::handoffStarted(int32_t p, int32_t by, int32_t to) {
  PendingHandoff* best = nullptr;
  for (size_t q = 0; q < pendingHandoff_.size(); q++) {
    PendingHandoff& h = pendingHandoff_[q];
    if (h.ev == kNoEvent || h.by != by || h.to >= 0 || (p >= 0 && q != size_t(p))) continue;
    if (best == nullptr || h.ev > best->ev) best = &h;
  }
  if (best != nullptr) best->to = to;
}

// finishFlows sorts the flows by `from` and keeps the `to` order as an index.
void ModelBuilder::finishFlows() {
  std::vector<int32_t> byFrom(flowsByTo_.size());
  std::iota(byFrom.begin(), byFrom.end(), 0);
  std::stable_sort(byFrom.begin(), byFrom.end(), [&](int32_t a, int32_t b) {
    return flowsByTo_[size_t(a)].from < flowsByTo_[size_t(b)].from;
  });
  m_.flows_.resize(flowsByTo_.size());
  m_.flowsByTo_.resize(flowsByTo_.size());
  for (size_t k = 0; k < byFrom.size(); k++) {
    m_.flows_[k] = flowsByTo_[size_t(byFrom[k])];
    m_.flowsByTo_[size_t(byFrom[k])] = int32_t(k);
  }
  std::vector<Flow>().swap(flowsByTo_);
}

ProcLane& ModelBuilder::procLane(int32_t p) {
  auto& v = m_.procs_;
  while (v.size() <= size_t(p)) {
    v.emplace_back();
    v.back().id = int32_t(v.size() - 1);
  }
  return v[size_t(p)];
}

MachineLane& ModelBuilder::machineLane(int32_t m) {
  auto& v = m_.machines_;
  while (v.size() <= size_t(m)) {
    v.emplace_back();
    v.back().id = int32_t(v.size() - 1);
  }
  return v[size_t(m)];
}

}  // namespace gmps::model
