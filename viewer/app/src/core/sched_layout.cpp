#include "core/sched_layout.h"

#include <algorithm>
#include <cmath>

namespace gmps::viewer {
namespace {

using model::Ev;

// placeQueue lays gs out from x0 along a row at y0, as many as fit before x1.
QueueRow placeQueue(const std::vector<int32_t>& gs, float x0, float x1, float y0,
                    const SchedMetrics& k, Slot slot, int32_t p, std::vector<TokenBox>& out) {
  QueueRow q;
  q.queue = Box{x0, y0, std::max(x0, x1), y0 + k.tokenH};
  const float step = k.tokenW + k.gap;
  const auto n = int32_t(gs.size());
  auto fits = [&](int32_t count) { return float(count) * step - k.gap <= x1 - x0 + 0.01f; };
  int32_t shown = n;
  if (!fits(n)) {
    // Leave room for the "+N" chip at the end.
    shown = std::max(0, int32_t(std::floor((x1 - x0 - k.moreW + 0.01f) / step)));
    shown = std::min(shown, n);
  }
  for (int32_t i = 0; i < shown; i++) {
    float x = x0 + float(i) * step;
    out.push_back({gs[size_t(i)], slot, p, i, Box{x, y0, x + k.tokenW, y0 + k.tokenH}});
  }
  q.shown = shown;
  q.hidden = n - shown;
  if (q.hidden > 0) {
    float x = x0 + float(shown) * step;
    q.more = Box{x, y0, x + k.moreW, y0 + k.tokenH};
  }
  return q;
}

ProcRow placeProc(const model::ProcState& ps, int32_t taken, float y, const SchedLayout& l,
                  const SchedMetrics& k, std::vector<TokenBox>& out) {
  ProcRow r;
  r.p = ps.id;
  r.idle = ps.m < 0;
  r.row = Box{0, y, k.width, y + k.rowH};
  r.label = Box{0, y, k.labelW, y + k.rowH};
  r.m = Box{k.labelW, y, k.labelW + k.mW, y + k.rowH};
  const float ty = y + (k.rowH - k.tokenH) / 2;
  r.running = Box{l.colRunning, ty, l.colRunning + k.tokenW, ty + k.tokenH};
  r.runnext = Box{l.colRunnext, ty, l.colRunnext + k.tokenW, ty + k.tokenH};
  if (ps.curg >= 0) out.push_back({ps.curg, Slot::Running, ps.id, 0, r.running});
  if (ps.curg < 0 && taken >= 0) out.push_back({taken, Slot::Taken, ps.id, 0, r.running});
  if (ps.runnext >= 0) out.push_back({ps.runnext, Slot::Runnext, ps.id, 0, r.runnext});
  r.runq = placeQueue(ps.runq, l.colQueue, k.width, ty, k, Slot::Local, ps.id, out);
  return r;
}

void placeMachines(const model::SchedState& s, const SchedMetrics& k, std::span<const float> chipW,
                   float y, SchedLayout& l) {
  float x = 0;
  for (size_t i = 0; i < s.machines.size(); i++) {
    float w = i < chipW.size() ? chipW[i] : 80.f;
    if (x > 0 && x + w > k.width) {
      x = 0;
      y += k.chipH + k.chipGap;
    }
    l.ms.push_back({s.machines[i].id, i, Box{x, y, x + w, y + k.chipH}});
    x += w + k.chipGap;
  }
  l.height = s.machines.empty() ? y : y + k.chipH;
}

}  // namespace

const char* slotName(Slot s) {
  switch (s) {
    case Slot::Running: return "running";
    case Slot::Runnext: return "runnext";
    case Slot::Local: return "local";
    case Slot::Global: return "global";
    case Slot::Taken: return "taken";
  }
  return "?";
}

const TokenBox* SchedLayout::tokenOf(int32_t g) const {
  auto it = std::lower_bound(tokens.begin(), tokens.end(), g,
                             [](const TokenBox& t, int32_t v) { return t.g < v; });
  return it != tokens.end() && it->g == g ? &*it : nullptr;
}

const ProcRow* SchedLayout::proc(int32_t p) const {
  for (const ProcRow& r : procs)
    if (r.p == p) return &r;
  return nullptr;
}

SchedLayout layoutScheduler(const model::SchedState& s, const SchedMetrics& k,
                            std::span<const float> mChipW, std::span<const int32_t> taken) {
  SchedLayout l;
  l.colRunning = k.labelW + k.mW + k.slotPad;
  l.colRunnext = l.colRunning + k.tokenW + 2 * k.slotPad;
  l.colQueue = l.colRunnext + k.tokenW + 2 * k.slotPad;
  l.header = Box{0, 0, k.width, k.headerH};
  float y = k.headerH;
  for (const model::ProcState& ps : s.procs) {
    int32_t t = size_t(ps.id) < taken.size() ? taken[size_t(ps.id)] : -1;
    l.procs.push_back(placeProc(ps, t, y, l, k, l.tokens));
    y += k.rowH + k.rowGap;
  }
  y += k.sectionGap - k.rowGap;
  l.globalRow = Box{0, y, k.width, y + k.rowH};
  l.globalLabel = Box{0, y, l.colRunning - k.slotPad, y + k.rowH};
  const float ty = y + (k.rowH - k.tokenH) / 2;
  l.global = placeQueue(s.globalQueue, l.colRunning, k.width, ty, k, Slot::Global, -1, l.tokens);
  y += k.rowH + k.sectionGap;
  l.mHeader = Box{0, y, k.width, y + k.headerH};
  y += k.headerH;
  placeMachines(s, k, mChipW, y, l);
  std::sort(l.tokens.begin(), l.tokens.end(),
            [](const TokenBox& a, const TokenBox& b) { return a.g < b.g; });
  return l;
}

MoveArrow arrowFor(const model::TraceModel& m, EventIndex e, const SchedLayout& l) {
  MoveArrow a;
  if (e < 0 || size_t(e) >= m.events().size()) return a;
  const model::Event& ev = m.event(e);
  const trace::Trace& t = m.trace();
  const ProcRow* here = l.proc(ev.p);
  // Anchored a little way into each queue, where the moved Gs leave and arrive.
  auto from = [&](const Box& b) { a.x0 = b.x0 + std::min(b.w() * 0.5f, 140.f), a.y0 = b.cy(); };
  auto to = [&](const Box& b) { a.x1 = b.x0 + std::min(b.w() * 0.5f, 140.f), a.y1 = b.cy(); };
  switch (ev.ev) {
    case Ev::RunqSteal: {
      const ProcRow* victim = l.proc(int32_t(t.arg(ev, trace::argIndex(Ev::RunqSteal, "victim"))));
      if (victim == nullptr || here == nullptr) return a;
      a.kind = MoveArrow::Kind::Steal;
      a.count = int32_t(t.glist(ev, trace::argIndex(Ev::RunqSteal, "gs")).size());
      from(victim->runq.queue);
      to(here->runq.queue);
      return a;
    }
    case Ev::RunqPutSlow: {
      if (here == nullptr) return a;
      a.kind = MoveArrow::Kind::ToGlobal;
      a.count = int32_t(t.glist(ev, trace::argIndex(Ev::RunqPutSlow, "gs")).size());
      from(here->runq.queue);
      to(l.global.queue);
      return a;
    }
    case Ev::RunqGet: {
      auto batch = t.glist(ev, trace::argIndex(Ev::RunqGet, "batch"));
      if (here == nullptr || batch.empty()) return a;
      a.kind = MoveArrow::Kind::FromGlobal;
      a.count = int32_t(batch.size()) + 1;  // the batch and the G that runs now
      from(l.global.queue);
      to(here->runq.queue);
      return a;
    }
    default: return a;
  }
}

}  // namespace gmps::viewer
