// ui_lanes.cpp — drawing the lanes, in two phases (Tracy's scheme).
//
// Phase one, planFrame: for every lane on screen, ask the model's LOD functions what
// is visible (binary search, narrow spans folded with their count) and keep the
// result in FramePlan. Phase two, paintRows/paintFlows/paintLabels: paint only the
// plan. Hit-testing and tooltips read the same plan, so what the mouse finds is what
// was drawn.
//
// [SECTION] Item access
// [SECTION] Phase one: plan
// [SECTION] Phase two: paint
// [SECTION] Flows
// [SECTION] Labels
// [SECTION] Hit-testing and tooltips
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/inspect.h"
#include "core/ruler.h"
#include "ui.h"

namespace gmps::viewer {

using model::Ev;

namespace {

model::ViewGeometry geometryOf(const TimeView& v) {
  model::ViewGeometry g;
  g.startNs = model::Ns(std::floor(v.startNs));
  g.nsPerPixel = v.nsPerPx;
  g.widthPx = v.widthPx + 2;  // the floor above may pull the view left by a pixel
  return g;
}

// clampX keeps far-off coordinates from overflowing float precision in the draw list.
float clampX(double x, const Canvas& c) {
  return float(std::clamp(x, double(c.timeX0()) - 8, double(c.max.x) + 8));
}

Rgba markColor(const Palette& p, Ev e) {
  switch (e) {
    case Ev::SysmonPreempt: return p.sysmonPreempt;
    case Ev::SysmonRetake:
    case Ev::ProcSteal: return p.sysmonRetake;
    case Ev::SysmonTick: return p.sysmonTick;
    case Ev::RunqSteal: return p.flowSteal;
    case Ev::GoCreate: return p.flowCreate;
    case Ev::GoUnblock: return p.flowUnblock;
    case Ev::HandoffP: return p.flowHandoff;
    case Ev::MStart: return p.mState[int(MState::Running)];
    case Ev::MUnpark:
    case Ev::Wakep: return p.mState[int(MState::Spinning)];
    case Ev::Startup: return p.text;
    default: return p.textDim;
  }
}

Rgba flowColor(const Palette& p, model::FlowKind k) {
  switch (k) {
    case model::FlowKind::Create: return p.flowCreate;
    case model::FlowKind::Unblock: return p.flowUnblock;
    case model::FlowKind::Steal: return p.flowSteal;
    case model::FlowKind::Preempt: return p.flowPreempt;
    case model::FlowKind::Handoff: return p.flowHandoff;
    case model::FlowKind::Count: break;
  }
  return p.text;
}

// hatch draws 45° stripes inside [a, b], clipping each stripe itself so a folded block
// costs no draw-command split.
void hatch(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col) {
  float h = b.y - a.y;
  for (float x = std::floor((a.x - h) / 6) * 6; x < b.x; x += 6) {
    float t0 = std::max(0.f, a.x - x), t1 = std::min(h, b.x - x);
    if (t1 <= t0) continue;
    dl->AddLine(ImVec2(x + t0, b.y - t0), ImVec2(x + t1, b.y - t1), col);
  }
}

int32_t spanG(ItemSet set, const model::Span& s, int32_t lane) {
  switch (set) {
    case ItemSet::ProcRunning: return s.other;
    case ItemSet::MachineSpans:
      return s.kind == model::SpanKind::MRunning || s.kind == model::SpanKind::MSyscall ? s.other : -1;
    case ItemSet::GSpans: return lane;
    default: return -1;
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Item access

std::optional<std::span<const model::Span>> Ui::spansOf(ItemSet set, int32_t lane) const {
  if (!doc_ || lane < 0) return std::nullopt;
  const model::TraceModel& m = *doc_->model;
  const auto p = size_t(lane);
  switch (set) {
    case ItemSet::ProcRunning:
      if (p < m.procs().size()) return m.procs()[p].running;
      break;
    case ItemSet::ProcHeld:
      if (p < m.procs().size()) return m.procs()[p].held;
      break;
    case ItemSet::MachineSpans:
      if (p < m.machines().size()) return m.machines()[p].spans;
      break;
    case ItemSet::GSpans:
      if (const model::GoroutineLane* g = m.goroutine(lane)) return g->spans;
      break;
    default: break;
  }
  return std::nullopt;
}

std::optional<std::span<const EventIndex>> Ui::marksOf(ItemSet set, int32_t lane) const {
  if (!doc_) return std::nullopt;
  const model::TraceModel& m = *doc_->model;
  const auto p = size_t(lane);
  switch (set) {
    case ItemSet::ProcMarks:
      if (lane >= 0 && p < m.procs().size()) return m.procs()[p].marks;
      break;
    case ItemSet::MachineMarks:
      if (lane >= 0 && p < m.machines().size()) return m.machines()[p].marks;
      break;
    case ItemSet::GMarks:
      if (const model::GoroutineLane* g = m.goroutine(lane)) return g->marks;
      break;
    case ItemSet::SysmonMarks: return m.sysmonMarks();
    case ItemSet::StartupMarks: return m.startupMarks();
    default: break;
  }
  return std::nullopt;
}

double Ui::timeOf(EventIndex e) const {
  return e == kNoEvent ? double(doc_->model->endTime()) : double(doc_->model->event(e).ts);
}

double Ui::itemStart(const Selection& s) const {
  if (const auto spans = spansOf(s.set, s.lane))
    return double(doc_->model->spanStart((*spans)[size_t(s.index)]));
  if (const auto marks = marksOf(s.set, s.lane)) return timeOf((*marks)[size_t(s.index)]);
  if (s.set == ItemSet::Event) return timeOf(s.index);
  return s.t0;
}

double Ui::itemEnd(const Selection& s) const {
  if (const auto spans = spansOf(s.set, s.lane))
    return double(doc_->model->spanEnd((*spans)[size_t(s.index + s.count - 1)]));
  if (const auto marks = marksOf(s.set, s.lane))
    return timeOf((*marks)[size_t(s.index + s.count - 1)]);
  if (s.set == ItemSet::Event) return timeOf(s.index);
  return s.t1;
}

// ---------------------------------------------------------------------------
// [SECTION] Phase one: plan

void Ui::planFrame(const Canvas& c) {
  plan_.clear();
  float visH = c.max.y - c.min.y;
  auto [a, b] = vs_.layout.rowsIn(vs_.scrollY, vs_.scrollY + visH);
  for (size_t i = a; i < b; i++) {
    const Row& row = vs_.layout.rows()[i];
    float y0 = c.min.y + row.y - vs_.scrollY;
    planRow(row, y0, y0 + row.h);
  }
  if (!settings_.showFlows) return;
  const model::TraceModel& m = *doc_->model;
  EventIndex first = m.firstEventAtOrAfter(model::Ns(std::floor(vs_.view.startNs)));
  EventIndex last = m.firstEventAtOrAfter(model::Ns(std::ceil(vs_.view.endNs())) + 1);
  // A flow is worth drawing only when it can be told apart from its neighbours.
  size_t budget = size_t(std::max(50.f, vs_.view.widthPx / 4));
  if (size_t(last - first) > budget * 40) {
    plan_.flowsTooDense = true;
    return;
  }
  m.flowsTouching(first, last, plan_.flows);
  if (plan_.flows.size() > budget) {
    plan_.flows.clear();
    plan_.flowsTooDense = true;
    return;
  }
  // Many arrows at once read as noise: then keep the rare ones (steals, preemptions,
  // hand-offs) and those of the selected or highlighted goroutine.
  size_t sparse = size_t(std::max(8.f, vs_.view.widthPx / 60));
  if (plan_.flows.size() <= sparse) return;
  EventIndex selA = kNoEvent, selB = kNoEvent;
  if (const auto sp = spansOf(vs_.selection.set, vs_.selection.lane); sp && vs_.selection.count == 1) {
    selA = (*sp)[size_t(vs_.selection.index)].begin;
    selB = (*sp)[size_t(vs_.selection.index)].end;
  } else if (const auto mk = marksOf(vs_.selection.set, vs_.selection.lane); mk && vs_.selection.count == 1) {
    selA = (*mk)[size_t(vs_.selection.index)];
  } else if (vs_.selection.set == ItemSet::Event) {
    selA = vs_.selection.index;
  }
  int32_t hg = vs_.highlightG;
  auto concerns = [&](EventIndex e) {
    if (e == kNoEvent) return false;
    if (e == selA || e == selB) return true;
    return hg >= 0 && (m.event(e).g == hg || eventG(m, e) == hg);
  };
  auto keep = [&](int32_t fi) {
    const model::Flow& f = m.flows()[size_t(fi)];
    if (f.kind == model::FlowKind::Steal || f.kind == model::FlowKind::Preempt ||
        f.kind == model::FlowKind::Handoff)
      return true;
    return concerns(f.from) || concerns(f.to);
  };
  size_t before = plan_.flows.size();
  plan_.flows.erase(std::remove_if(plan_.flows.begin(), plan_.flows.end(), [&](int32_t f) { return !keep(f); }),
                    plan_.flows.end());
  plan_.flowsFiltered = plan_.flows.size() < before;
}

void Ui::planRow(const Row& row, float y0, float y1) {
  const model::TraceModel& m = *doc_->model;
  model::SpanClock clock = m.clock();
  model::ViewGeometry geo = geometryOf(vs_.view);
  PlannedRow pr{&row, y0, y1};
  auto spans = [&](std::span<const model::Span> v, uint32_t& i0, uint32_t& i1) {
    model::visibleSpans(v, clock, geo, plan_.tmpItems);
    i0 = uint32_t(plan_.items.size());
    plan_.items.insert(plan_.items.end(), plan_.tmpItems.begin(), plan_.tmpItems.end());
    i1 = uint32_t(plan_.items.size());
  };
  auto marksInto = [&](std::span<const EventIndex> v, uint32_t& i0, uint32_t& i1) {
    model::visibleMarks(v, clock, geo, plan_.tmpMarks, 5.f);
    i0 = uint32_t(plan_.marks.size());
    plan_.marks.insert(plan_.marks.end(), plan_.tmpMarks.begin(), plan_.tmpMarks.end());
    i1 = uint32_t(plan_.marks.size());
  };
  auto marks = [&](std::span<const EventIndex> v) { marksInto(v, pr.marks0, pr.marks1); };
  auto counter = [&](const std::vector<model::CounterPoint>& pts, const BlockMax& bmax,
                     uint32_t& i0, uint32_t& i1) {
    i0 = uint32_t(plan_.cols.size());
    stepChart(
        pts.size(), [&](size_t k) { return double(clock.at(pts[k].ev)); },
        [&](size_t k) { return pts[k].value; }, bmax, double(m.endTime()), vs_.view.startNs,
        vs_.view.endNs(), vs_.view.nsPerPx, plan_.cols);
    i1 = uint32_t(plan_.cols.size());
  };
  size_t id = size_t(std::max(0, row.id));
  switch (row.kind) {
    case LaneKind::Proc:
      if (id < m.procs().size()) {
        spans(m.procs()[id].held, pr.under0, pr.under1);
        spans(m.procs()[id].running, pr.items0, pr.items1);
        marks(m.procs()[id].marks);
      }
      break;
    case LaneKind::Runq:
      if (id < m.procs().size()) {
        counter(m.procs()[id].runqLen, doc_->runqMax[id], pr.cols0, pr.cols1);
        counter(m.procs()[id].runnext, doc_->runnextMax[id], pr.cols20, pr.cols21);
      }
      break;
    case LaneKind::GlobalRunq: counter(m.globalRunqLen(), doc_->globalMax, pr.cols0, pr.cols1); break;
    case LaneKind::Machine:
      if (id < m.machines().size()) {
        spans(m.machines()[id].spans, pr.items0, pr.items1);
        marks(m.machines()[id].marks);
        // The M that runs sysmon holds no P and runs no G: show its ticks and sleeps.
        if (m.machines()[id].sysmon) marksInto(m.sysmonMarks(), pr.smarks0, pr.smarks1);
      }
      break;
    case LaneKind::Sysmon: marks(m.sysmonMarks()); break;
    case LaneKind::Startup: marks(m.startupMarks()); break;
    case LaneKind::Goroutine:
      if (const model::GoroutineLane* g = m.goroutine(row.id)) {
        spans(g->spans, pr.items0, pr.items1);
        marks(g->marks);
      }
      break;
    case LaneKind::GroupHeader: break;
  }
  plan_.rows.push_back(pr);
}

// ---------------------------------------------------------------------------
// [SECTION] Phase two: paint

void Ui::paintRows(ImDrawList* dl, const Canvas& c) {
  const Palette& p = pal();
  float x0 = c.timeX0();
  dl->PushClipRect(ImVec2(x0, c.min.y), c.max, true);
  // Lanes sit on the window background (the frame is cleared to the canvas colour);
  // only every other lane gets a lighter band. Software GL is fill-rate bound, so
  // each pixel painted once less is frame time saved.
  for (size_t i = 1; i < plan_.rows.size(); i += 2)
    if (plan_.rows[i].row->kind != LaneKind::GroupHeader) paintBand(dl, c, plan_.rows[i]);
  // Vertical grid at the ruler's major ticks.
  float minMajorPx = std::max(110.f, (fonts_.small ? fonts_.small->FontSize : 13.f) * 7.5f);
  for (const Tick& t : rulerTicks(vs_.view, minMajorPx)) {
    if (!t.major) continue;
    float x = std::round(x0 + float(t.x)) + 0.5f;
    dl->AddLine(ImVec2(x, c.min.y), ImVec2(x, c.max.y), p.grid);
  }
  // Where the trace begins and ends.
  float xs = clampX(x0 + vs_.view.xOf(double(doc_->model->startTime())), c);
  float xe = clampX(x0 + vs_.view.xOf(double(doc_->model->endTime())), c);
  // (Edges, not shaded regions: under software GL every filled pixel costs.)
  if (xs > x0) dl->AddLine(ImVec2(xs - 1, c.min.y), ImVec2(xs - 1, c.max.y), p.gridMajor, 2);
  if (xe < c.max.x) dl->AddLine(ImVec2(xe + 1, c.min.y), ImVec2(xe + 1, c.max.y), p.gridMajor, 2);
  for (size_t i = 0; i < plan_.rows.size(); i++) paintRow(dl, c, plan_.rows[i]);
  // A bare event (picked from a list or a jump): a pin on its P (or M, or G) lane.
  if (vs_.selection.set == ItemSet::Event) {
    float x = 0;
    if (const Row* r = flowAnchor(vs_.selection.index, x, c)) {
      x = std::round(clampX(x, c)) + 0.5f;
      float y0 = c.min.y + r->y - vs_.scrollY, y1 = y0 + r->h;
      dl->AddLine(ImVec2(x, y0 - 3), ImVec2(x, y1 + 3), p.selection, 2);
      dl->AddTriangleFilled(ImVec2(x - 6, y0 - 6), ImVec2(x + 6, y0 - 6), ImVec2(x, y0 + 2), p.selection);
    }
  }
  dl->PopClipRect();
}

// paintBand: an alternate lane's lighter band. Under the lane's opaque spans it would
// be painted over at once, so it is left out there when the spans are few: it then
// shows in the pixel rows above and below them and in the gaps between them, exactly
// where it showed before.
void Ui::paintBand(ImDrawList* dl, const Canvas& c, const PlannedRow& pr) {
  const Palette& p = pal();
  const float x0 = c.timeX0();
  auto band = [&](float xa, float ya, float xb, float yb) {
    dl->AddRectFilled(ImVec2(xa, ya), ImVec2(xb, yb), p.laneAlt);
  };
  const ItemSet set = pr.row->kind == LaneKind::Goroutine ? ItemSet::GSpans
                      : pr.row->kind == LaneKind::Machine ? ItemSet::MachineSpans
                      : pr.row->kind == LaneKind::Proc    ? ItemSet::ProcRunning
                                                          : ItemSet::None;
  const auto spans = spansOf(set, pr.row->id);
  constexpr uint32_t kMaxSpans = 24;  // more would cut the band into as many pieces
  if (!spans || pr.items1 - pr.items0 > kMaxSpans) {
    band(x0, pr.y0, c.max.x, pr.y1);
    return;
  }
  // The spans fill [y0 + 1, y1 - 1] (paintRow).
  const float ya = pr.y0 + 1, yb = pr.y1 - 1;
  band(x0, pr.y0, c.max.x, ya);
  band(x0, yb, c.max.x, pr.y1);
  float from = x0;
  for (uint32_t k = pr.items0; k < pr.items1; k++) {
    const model::VisibleItem& it = plan_.items[k];
    Rgba col = it.folded() ? p.folded : spanColor(p, (*spans)[size_t(it.first)]);
    if (alpha(col) != 255) continue;
    auto [xa, xb] = spanFillX(it, c);
    if (xa > from) band(from, ya, xa, yb);
    from = std::max(from, xb);
  }
  if (from < c.max.x) band(from, ya, c.max.x, yb);
}

// spanFillX: the x range paintSpans fills for a planned span.
std::pair<float, float> Ui::spanFillX(const model::VisibleItem& it, const Canvas& c) const {
  const double x0 = c.timeX0();
  float xa = clampX(x0 + vs_.view.xOf(double(it.start)), c);
  float xb = clampX(x0 + vs_.view.xOf(double(it.end)), c);
  if (xb - xa < 1) xb = xa + 1;
  // A one-pixel gap between neighbours, so back-to-back spans stay countable.
  if (!it.folded() && xb - xa >= 5) xb -= 1;
  return {xa, xb};
}

void Ui::paintRow(ImDrawList* dl, const Canvas& c, const PlannedRow& pr) {
  const Row& row = *pr.row;
  if (row.kind == LaneKind::GroupHeader) return;  // drawn with the labels
  switch (row.kind) {
    case LaneKind::Proc: {
      // Held by an M but running no G: a low grey band; running: the G's colour.
      float mid = pr.y0 + (pr.y1 - pr.y0) * 0.55f;
      paintSpans(dl, c, pr, ItemSet::ProcHeld, pr.under0, pr.under1, mid, pr.y1 - 1);
      paintSpans(dl, c, pr, ItemSet::ProcRunning, pr.items0, pr.items1, pr.y0 + 1, pr.y1 - 1);
      paintMarks(dl, c, pr, ItemSet::ProcMarks, pr.marks0, pr.marks1);
      break;
    }
    case LaneKind::Machine:
      paintSpans(dl, c, pr, ItemSet::MachineSpans, pr.items0, pr.items1, pr.y0 + 1, pr.y1 - 1);
      paintMarks(dl, c, pr, ItemSet::SysmonMarks, pr.smarks0, pr.smarks1);
      paintMarks(dl, c, pr, ItemSet::MachineMarks, pr.marks0, pr.marks1);
      break;
    case LaneKind::Goroutine:
      paintSpans(dl, c, pr, ItemSet::GSpans, pr.items0, pr.items1, pr.y0 + 1, pr.y1 - 1);
      paintMarks(dl, c, pr, ItemSet::GMarks, pr.marks0, pr.marks1);
      break;
    case LaneKind::Runq:
    case LaneKind::GlobalRunq: paintCounter(dl, c, pr); break;
    case LaneKind::Sysmon: paintMarks(dl, c, pr, ItemSet::SysmonMarks, pr.marks0, pr.marks1); break;
    case LaneKind::Startup: paintMarks(dl, c, pr, ItemSet::StartupMarks, pr.marks0, pr.marks1); break;
    case LaneKind::GroupHeader: break;
  }
}

void Ui::paintSpans(ImDrawList* dl, const Canvas& c, const PlannedRow& pr, ItemSet set, uint32_t i0,
                    uint32_t i1, float y0, float y1) {
  const Palette& p = pal();
  const auto spans = spansOf(set, pr.row->id);
  if (!spans) return;
  const double x0 = c.timeX0();
  ImFont* font = fonts_.small ? fonts_.small : ImGui::GetFont();
  const float fsz = font->FontSize;
  const bool textFits = y1 - y0 >= fsz;
  char buf[64];
  for (uint32_t k = i0; k < i1; k++) {
    const model::VisibleItem& it = plan_.items[k];
    float xa = clampX(x0 + vs_.view.xOf(double(it.start)), c);
    float xb = clampX(x0 + vs_.view.xOf(double(it.end)), c);
    if (xb - xa < 1) xb = xa + 1;
    ImVec2 a(xa, y0), b(xb, y1);
    bool selected = vs_.selection.set == set && vs_.selection.lane == pr.row->id &&
                    vs_.selection.index == it.first && vs_.selection.count == it.count;
    const auto [fillA, fillB] = spanFillX(it, c);  // the band leaves this out (paintBand)
    if (it.folded()) {
      dl->AddRectFilled(ImVec2(fillA, y0), ImVec2(fillB, y1), p.folded);
      if (xb - xa > 5) hatch(dl, a, b, p.foldedHatch);
      if (textFits && xb - xa > fsz * 2) {
        int n = std::snprintf(buf, sizeof buf, "%d", it.count);
        ImVec2 ts = font->CalcTextSizeA(fsz, FLT_MAX, 0, buf, buf + n);
        if (ts.x + 6 < xb - xa) {
          ImVec2 tp((xa + xb - ts.x) / 2, (y0 + y1 - ts.y) / 2);
          dl->AddRectFilled(ImVec2(tp.x - 2, tp.y), ImVec2(tp.x + ts.x + 2, tp.y + ts.y), p.folded);
          dl->AddText(font, fsz, tp, textOn(p.folded), buf, buf + n);
        }
      }
      if (selected) dl->AddRect(a, b, p.selection, 0, 0, 2);
      continue;
    }
    const model::Span& s = (*spans)[size_t(it.first)];
    Rgba col = spanColor(p, s);
    dl->AddRectFilled(ImVec2(fillA, y0), ImVec2(fillB, y1), col);
    if (textFits && xb - xa > fsz * 1.6f && set != ItemSet::ProcHeld) {
      int n = 0;
      if (set == ItemSet::GSpans) {
        std::string t = spanStateText(s);
        n = std::snprintf(buf, sizeof buf, "%s", t.c_str());
      } else if (s.other >= 0 && (s.kind == model::SpanKind::PRunning ||
                                  s.kind == model::SpanKind::MRunning ||
                                  s.kind == model::SpanKind::MSyscall)) {
        n = std::snprintf(buf, sizeof buf, "G%d", s.other);
      } else if (s.kind == model::SpanKind::MSpinning) {
        n = std::snprintf(buf, sizeof buf, "spinning");
      } else if (s.kind == model::SpanKind::MParked) {
        n = std::snprintf(buf, sizeof buf, "parked");
      }
      n = std::min(n, int(sizeof buf) - 1);
      if (n > 0) {
        ImVec2 ts = font->CalcTextSizeA(fsz, FLT_MAX, 0, buf, buf + n);
        if (ts.x + 6 < xb - xa) {
          // Centre the label in the visible part of the span.
          float va = std::max(xa, float(x0)), vb = std::min(xb, c.max.x);
          float tx = std::clamp((va + vb - ts.x) / 2, xa + 3, xb - ts.x - 3);
          dl->AddText(font, fsz, ImVec2(std::round(tx), std::round((y0 + y1 - ts.y) / 2)),
                      textOn(col), buf, buf + n);
        }
      }
    }
    if (vs_.highlightG >= 0 && spanG(set, s, pr.row->id) == vs_.highlightG)
      dl->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(b.x + 1, b.y + 1), p.highlightG, 0, 0, 2.5f);
    if (selected) dl->AddRect(a, b, p.selection, 0, 0, 2.5f);
  }
}

void Ui::paintMarks(ImDrawList* dl, const Canvas& c, const PlannedRow& pr, ItemSet set, uint32_t m0,
                    uint32_t m1) {
  const Palette& p = pal();
  const auto marks = marksOf(set, pr.row->id);
  if (!marks) return;
  const model::TraceModel& m = *doc_->model;
  const double x0 = c.timeX0();
  float y0 = pr.y0, y1 = pr.y1, h = y1 - y0;
  float r = std::max(3.f, std::min(6.f, h * 0.28f));
  ImFont* font = fonts_.small ? fonts_.small : ImGui::GetFont();
  for (uint32_t k = m0; k < m1; k++) {
    const model::VisibleMark& vm = plan_.marks[k];
    EventIndex e = (*marks)[size_t(vm.first)];
    const model::Event& ev = m.event(e);
    float x = std::round(clampX(x0 + vs_.view.xOf(double(ev.ts)), c)) + 0.5f;
    Rgba col = markColor(p, ev.ev);
    bool selected = vs_.selection.set == set && vs_.selection.index == vm.first &&
                    (vs_.selection.lane == pr.row->id || set == ItemSet::SysmonMarks);
    if (set == ItemSet::SysmonMarks && ev.ev == Ev::SysmonTick) {
      // A tick ends a sleep: draw the sleep as a thin bar leading up to it.
      if (vm.count == 1) {
        int i = trace::argIndex(Ev::SysmonTick, "sleep");
        double sleep = i >= 0 ? double(m.trace().arg(ev, i)) : 0;
        float xa = clampX(x0 + vs_.view.xOf(double(ev.ts) - sleep), c);
        if (x - xa > 2)
          dl->AddRectFilled(ImVec2(xa + 1, y0 + h * 0.42f), ImVec2(x - 1, y0 + h * 0.58f),
                            withAlpha(p.mState[int(MState::Sysmon)], 110));
      }
      dl->AddLine(ImVec2(x, y0 + 2), ImVec2(x, y1 - 2), vm.count > 1 ? p.textDim : col,
                  vm.count > 1 ? 2.f : 1.f);
    } else if (ev.ev == Ev::SysmonPreempt || ev.ev == Ev::RunqSteal || ev.ev == Ev::ProcSteal) {
      // Something was taken away: a triangle pointing down into the lane.
      dl->AddTriangleFilled(ImVec2(x - r, y0 + 1), ImVec2(x + r, y0 + 1), ImVec2(x, y0 + 1 + r * 1.5f),
                            col);
      dl->AddTriangle(ImVec2(x - r, y0 + 1), ImVec2(x + r, y0 + 1), ImVec2(x, y0 + 1 + r * 1.5f),
                      p.canvas);
    } else if (ev.ev == Ev::SysmonRetake || ev.ev == Ev::HandoffP) {
      float cy = y0 + r + 1;
      ImVec2 d[4] = {ImVec2(x, cy - r), ImVec2(x + r, cy), ImVec2(x, cy + r), ImVec2(x - r, cy)};
      dl->AddConvexPolyFilled(d, 4, col);
      dl->AddPolyline(d, 4, p.canvas, ImDrawFlags_Closed, 1);
    } else if (set == ItemSet::StartupMarks) {
      float cy = (y0 + y1) / 2;
      dl->AddCircleFilled(ImVec2(x, cy), r * 0.8f, col);
      if (vm.count == 1) {
        int i = trace::argIndex(Ev::Startup, "step");
        std::string name = i >= 0 ? argText(m, e, i) : "";
        // Only when the next mark leaves room for it.
        float room = k + 1 < m1 ? plan_.marks[k + 1].x + float(x0) - x : 1e9f;
        ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, name.c_str());
        if (ts.x + r * 2 + 6 < room && x + r + 3 + ts.x < c.max.x)
          dl->AddText(font, font->FontSize, ImVec2(x + r + 3, cy - ts.y / 2), p.text, name.c_str());
      } else {
        // Several steps in a few pixels: name the first, count the rest.
        int i = trace::argIndex(Ev::Startup, "step");
        std::string name = (i >= 0 ? argText(m, e, i) : "") + " +" + std::to_string(vm.count - 1);
        float room = k + 1 < m1 ? plan_.marks[k + 1].x + float(x0) - x : 1e9f;
        ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, name.c_str());
        if (ts.x + r * 2 + 6 < room && x + r + 3 + ts.x < c.max.x)
          dl->AddText(font, font->FontSize, ImVec2(x + r + 3, cy - ts.y / 2), p.textDim, name.c_str());
      }
    } else {
      // Everything else: a small tick from the top with a dot; a folded run of them
      // only a short muted tick, so a G that creates thousands keeps a readable lane.
      if (vm.count > 1) {
        dl->AddLine(ImVec2(x, y0 + 1), ImVec2(x, y0 + h * 0.25f), withAlpha(col, 150), 1.f);
      } else {
        dl->AddLine(ImVec2(x, y0 + 1), ImVec2(x, y0 + h * 0.45f), col, 1.5f);
        dl->AddCircleFilled(ImVec2(x, y0 + 2.5f), 2.5f, col);
      }
    }
    if (selected) dl->AddRect(ImVec2(x - r - 2, y0), ImVec2(x + r + 2, y1), p.selection, 2, 0, 2);
  }
}

void Ui::paintCounter(ImDrawList* dl, const Canvas& c, const PlannedRow& pr) {
  const Palette& p = pal();
  bool global = pr.row->kind == LaneKind::GlobalRunq;
  float scaleMax = float(global ? doc_->maxGlobal : doc_->maxRunq);
  const double x0 = c.timeX0();
  float top = pr.y0 + (global ? 2 : 6), bottom = pr.y1 - 1;
  Rgba col = global ? p.runqGlobal : p.runqLocal;
  for (uint32_t k = pr.cols0; k < pr.cols1; k++) {
    const StepColumn& sc = plan_.cols[k];
    if (sc.v <= 0) continue;
    float xa = clampX(x0 + vs_.view.xOf(sc.t0), c), xb = clampX(x0 + vs_.view.xOf(sc.t1), c);
    if (xb - xa < 1) xb = xa + 1;
    float hgt = (bottom - top) * std::min(1.f, float(sc.v) / scaleMax);
    dl->AddRectFilled(ImVec2(xa, bottom - std::max(2.f, hgt)), ImVec2(xb, bottom), col);
  }
  // runnext: a band along the top while the slot holds a G.
  for (uint32_t k = pr.cols20; k < pr.cols21; k++) {
    const StepColumn& sc = plan_.cols[k];
    if (sc.v <= 0) continue;
    float xa = clampX(x0 + vs_.view.xOf(sc.t0), c), xb = clampX(x0 + vs_.view.xOf(sc.t1), c);
    if (xb - xa < 1) xb = xa + 1;
    dl->AddRectFilled(ImVec2(xa, pr.y0 + 1), ImVec2(xb, pr.y0 + 5), p.runqRunnext);
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Flows

const Row* Ui::flowAnchor(EventIndex e, float& x, const Canvas& c) const {
  const model::Event& ev = doc_->model->event(e);
  x = float(c.timeX0() + vs_.view.xOf(double(ev.ts)));
  const Row* r = ev.p >= 0 ? vs_.layout.find(LaneKind::Proc, ev.p) : nullptr;
  if (r == nullptr && ev.m >= 0) r = vs_.layout.find(LaneKind::Machine, ev.m);
  if (r == nullptr && ev.g >= 0) r = vs_.layout.find(LaneKind::Goroutine, ev.g);
  return r;
}

void Ui::paintFlows(ImDrawList* dl, const Canvas& c) {
  const Palette& p = pal();
  const model::TraceModel& m = *doc_->model;
  dl->PushClipRect(ImVec2(c.timeX0(), c.min.y), c.max, true);
  ImFont* font = fonts_.small ? fonts_.small : ImGui::GetFont();
  struct Label {
    ImVec2 at;
    Rgba col;
    int count;
  };
  std::vector<Label> labels;
  auto top = [&](const Row* r) { return c.min.y + r->y - vs_.scrollY; };
  for (int32_t fi : plan_.flows) {
    const model::Flow& f = m.flows()[size_t(fi)];
    float xa = 0, xb = 0;
    const Row* ra = nullptr;
    const Row* rb = nullptr;
    if (f.kind == model::FlowKind::Steal) {
      ra = vs_.layout.find(LaneKind::Proc, f.fromP);
      rb = flowAnchor(f.to, xb, c);
      xa = xb;
    } else if (f.to != kNoEvent) {
      ra = flowAnchor(f.from, xa, c);
      rb = flowAnchor(f.to, xb, c);
    }
    if (ra == nullptr || rb == nullptr) continue;
    // Leave a lane through the edge that faces the other lane, so arrows run in the
    // gaps and across as few labels as possible.
    float ya, yb;
    if (ra == rb) {
      ya = yb = top(ra) + ra->h * 0.25f;
    } else if (ra->y < rb->y) {
      ya = top(ra) + ra->h - 2, yb = top(rb) + 2;
    } else {
      ya = top(ra) + 2, yb = top(rb) + rb->h - 2;
    }
    if ((ya < c.min.y && yb < c.min.y) || (ya > c.max.y && yb > c.max.y)) continue;
    xa = clampX(xa, c), xb = clampX(xb, c);
    Rgba col = withAlpha(flowColor(p, f.kind), 220);
    bool mine = vs_.highlightG >= 0 && (m.event(f.from).g == vs_.highlightG ||
                                        (f.to != kNoEvent && m.event(f.to).g == vs_.highlightG));
    float thick = mine ? 2.5f : 1.3f;
    ImVec2 a(xa, ya), b(xb, yb);
    float dx = std::fabs(xb - xa), dy = yb - ya;
    ImVec2 dir;
    if (dx < 4) {
      // Same instant (a steal): a straight arrow between the two Ps.
      dl->AddLine(a, b, col, thick);
      dir = ImVec2(0, dy >= 0 ? 1.f : -1.f);
    } else if (std::fabs(dy) < 1) {
      // Within one lane: an arc along its top edge rather than a line through labels.
      float lift = std::min(ImGui::GetFontSize() * 0.55f, 4 + dx * 0.25f);
      ImVec2 c1(xa + std::min(dx * 0.3f, 30.f), a.y - lift), c2(xb - std::min(dx * 0.3f, 30.f), b.y - lift);
      dl->AddBezierCubic(a, c1, c2, b, col, thick, 0);
      float len = std::max(1.f, std::hypot(b.x - c2.x, b.y - c2.y));
      dir = ImVec2((b.x - c2.x) / len, (b.y - c2.y) / len);
    } else {
      float bend = std::clamp(dx * 0.5f, 8.f, 80.f);
      ImVec2 c1(xa + bend, ya), c2(xb - bend, yb);
      dl->AddBezierCubic(a, c1, c2, b, col, thick, 0);
      dir = ImVec2(1, 0);
    }
    float ah = 6.5f;
    ImVec2 n(-dir.y, dir.x);
    dl->AddTriangleFilled(b, ImVec2(b.x - dir.x * ah + n.x * ah * 0.5f, b.y - dir.y * ah + n.y * ah * 0.5f),
                          ImVec2(b.x - dir.x * ah - n.x * ah * 0.5f, b.y - dir.y * ah - n.y * ah * 0.5f),
                          col);
    if (f.kind == model::FlowKind::Steal && f.count > 0)
      labels.push_back(Label{ImVec2((a.x + b.x) / 2 + 5, (a.y + b.y) / 2 - font->FontSize / 2), col, f.count});
  }
  // Steal counts last, so no other arrow crosses them; one that would cover another
  // is left out (its arrow and mark remain, and zooming in separates them).
  std::vector<ImVec4> drawn;
  for (const Label& l : labels) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "steal %d", l.count);
    ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, buf);
    ImVec4 box(l.at.x - 3, l.at.y, l.at.x + ts.x + 3, l.at.y + ts.y);
    bool overlaps = false;
    for (const ImVec4& d : drawn)
      overlaps |= box.x < d.z && d.x < box.z && box.y < d.w && d.y < box.w;
    if (overlaps) continue;
    drawn.push_back(box);
    dl->AddRectFilled(ImVec2(l.at.x - 3, l.at.y), ImVec2(l.at.x + ts.x + 3, l.at.y + ts.y), withAlpha(p.canvas, 230), 3);
    dl->AddText(font, font->FontSize, l.at, l.col, buf);
  }
  dl->PopClipRect();
}

// ---------------------------------------------------------------------------
// [SECTION] Labels

void Ui::paintLabels(ImDrawList* dl, const Canvas& c) {
  const Palette& p = pal();
  const model::TraceModel& m = *doc_->model;
  float x0 = c.timeX0();
  dl->AddRectFilled(c.min, ImVec2(x0 - 1, c.max.y), p.rulerBg);
  dl->AddLine(ImVec2(x0 - 0.5f, c.min.y), ImVec2(x0 - 0.5f, c.max.y), p.gridMajor);
  ImFont* font = ImGui::GetFont();
  ImFont* small = fonts_.small ? fonts_.small : font;
  ImFont* bold = fonts_.bold ? fonts_.bold : font;
  char buf[160];
  // When a group's header has scrolled away, keep it pinned at the top (sticky), so the
  // reader always knows which lanes these are.
  std::vector<PlannedRow> rows = plan_.rows;
  if (!rows.empty() && rows.front().row->kind != LaneKind::GroupHeader) {
    const auto& all = vs_.layout.rows();
    size_t i = size_t(rows.front().row - all.data());
    while (i > 0 && all[i].kind != LaneKind::GroupHeader) i--;
    if (all[i].kind == LaneKind::GroupHeader) {
      float h = all[i].h;
      rows.erase(rows.begin());  // the first lane is mostly hidden under the header
      // The next group's header pushes this one up as it reaches the top, as sticky
      // headers do, instead of being painted over.
      float top = c.min.y;
      for (const PlannedRow& pr : rows)
        if (pr.row->kind == LaneKind::GroupHeader) {
          top = std::min(top, pr.y0 - h);
          break;
        }
      if (top + h > c.min.y) {
        rows.push_back(PlannedRow{&all[i], top, top + h});
        plan_.sticky = &all[i];
        plan_.stickyBottom = top + h;
      }
    }
  }
  for (const PlannedRow& pr : rows) {
    const Row& row = *pr.row;
    float cy = (pr.y0 + pr.y1) / 2;
    if (row.kind == LaneKind::GroupHeader) {
      dl->AddRectFilled(ImVec2(c.min.x, pr.y0), ImVec2(c.max.x, pr.y1), p.groupHeader);
      bool folded = isCollapsed(settings_, groupName(Group(row.id)));
      float s = bold->FontSize * 0.32f, ax = c.min.x + 10 + s;
      if (folded)
        dl->AddTriangleFilled(ImVec2(ax - s * 0.7f, cy - s), ImVec2(ax - s * 0.7f, cy + s),
                              ImVec2(ax + s * 0.9f, cy), p.text);
      else
        dl->AddTriangleFilled(ImVec2(ax - s, cy - s * 0.7f), ImVec2(ax + s, cy - s * 0.7f),
                              ImVec2(ax, cy + s * 0.9f), p.text);
      const char* name = groupName(Group(row.id));
      int n = 0;
      switch (Group(row.id)) {
        case Group::Procs: n = int(doc_->procIds.size()); break;
        case Group::Runqs: n = int(doc_->procIds.size()) + 1; break;
        case Group::Machines: n = int(doc_->machineIds.size()); break;
        case Group::Goroutines:
          n = vs_.gFilterActive ? int(vs_.gFilter.size()) : int(doc_->gIds.size());
          break;
        default: n = 0;
      }
      if (n > 0)
        std::snprintf(buf, sizeof buf, "%s   %d%s", name, n,
                      Group(row.id) == Group::Goroutines && vs_.gFilterActive ? " (filtered)" : "");
      else
        std::snprintf(buf, sizeof buf, "%s", name);
      dl->AddText(bold, bold->FontSize, ImVec2(c.min.x + 24 + s, cy - bold->FontSize / 2), p.text, buf);
      if (row.id == int(Group::Procs) && (plan_.flowsTooDense || plan_.flowsFiltered) &&
          settings_.showFlows) {
        const char* hint = plan_.flowsTooDense
                               ? "flow arrows appear when you zoom in"
                               : "arrows: steals, preemptions, hand-offs; select a G for its own";
        ImVec2 ts = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, hint);
        dl->AddText(small, small->FontSize, ImVec2(c.max.x - ts.x - 10, cy - ts.y / 2), p.textDim, hint);
      }
      continue;
    }
    float lx = c.min.x + 10;
    const char* sub = nullptr;
    char subBuf[96];
    Rgba swatch = 0;
    switch (row.kind) {
      case LaneKind::Proc: {
        std::snprintf(buf, sizeof buf, "P%d", row.id);
        const auto& ps = m.stats().perP;
        if (size_t(row.id) < ps.size()) {
          std::snprintf(subBuf, sizeof subBuf, "%.0f%% busy", 100.0 * ps[size_t(row.id)].utilisation);
          sub = subBuf;
        }
        break;
      }
      case LaneKind::Runq:
        std::snprintf(buf, sizeof buf, "P%d queue", row.id);
        break;
      case LaneKind::GlobalRunq:
        std::snprintf(buf, sizeof buf, "global queue");
        break;
      case LaneKind::Machine: {
        bool sys = size_t(row.id) < m.machines().size() && m.machines()[size_t(row.id)].sysmon;
        std::snprintf(buf, sizeof buf, "M%d", row.id);
        if (sys) sub = "sysmon";
        break;
      }
      case LaneKind::Sysmon: std::snprintf(buf, sizeof buf, "sysmon"); break;
      case LaneKind::Startup: std::snprintf(buf, sizeof buf, "startup"); break;
      case LaneKind::Goroutine: {
        std::snprintf(buf, sizeof buf, "G%d", row.id);
        swatch = gColor(row.id);
        if (const model::GoroutineLane* g = m.goroutine(row.id); g && !g->label.empty()) {
          std::snprintf(subBuf, sizeof subBuf, "%.*s", int(std::min<size_t>(g->label.size(), 80)),
                        g->label.data());
          sub = subBuf;
        }
        break;
      }
      case LaneKind::GroupHeader: break;
    }
    ImFont* f = row.kind == LaneKind::Goroutine ? small : font;
    if (swatch != 0) {
      float s = f->FontSize * 0.55f;
      dl->AddRectFilled(ImVec2(lx, cy - s / 2), ImVec2(lx + s, cy + s / 2), swatch);
      lx += s + 5;
    }
    Rgba tc = row.kind == LaneKind::Goroutine && row.id == vs_.highlightG ? p.highlightG : p.laneLabel;
    ImVec2 ts = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, buf);
    dl->AddText(f, f->FontSize, ImVec2(lx, cy - ts.y / 2), tc, buf);
    if (sub != nullptr) {
      float room = x0 - 6 - (lx + ts.x + 6);
      const char* end = sub + std::strlen(sub);
      // Cut the sub-label at a character boundary so it fits the gutter.
      while (end > sub && small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, sub, end).x > room) {
        do end--; while (end > sub && (static_cast<unsigned char>(*end) & 0xC0) == 0x80);
      }
      if (end > sub)
        dl->AddText(small, small->FontSize, ImVec2(lx + ts.x + 6, cy - small->FontSize / 2),
                    p.textDim, sub, end);
    }
  }
}

void Ui::paintSearchMarks(ImDrawList* dl, const Canvas& c) {
  if (!doc_ || vs_.kindMatches.empty()) return;
  const model::TraceModel& m = *doc_->model;
  const auto& v = vs_.kindMatches;
  double t0 = vs_.view.startNs, t1 = vs_.view.endNs(), px = vs_.view.nsPerPx;
  size_t i = partitionIndex(0, v.size(), [&](size_t k) { return double(m.event(v[k]).ts) < t0; });
  Rgba col = pal().highlightG;
  while (i < v.size()) {
    double t = double(m.event(v[i]).ts);
    if (t > t1) break;
    float x = std::round(float(c.timeX0() + vs_.view.xOf(t))) + 0.5f;
    dl->AddLine(ImVec2(x, c.max.y - 7), ImVec2(x, c.max.y - 1), col, 2);
    double next = t + 2 * px;
    i = partitionIndex(i + 1, v.size(), [&](size_t k) { return double(m.event(v[k]).ts) < next; });
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Hit-testing and tooltips

Selection Ui::hitTest(const Canvas& c, ImVec2 mouse) const {
  Selection none;
  if (!doc_) return none;
  if (plan_.sticky != nullptr && mouse.y < plan_.stickyBottom) return none;
  const PlannedRow* pr = nullptr;
  for (const PlannedRow& r : plan_.rows)
    if (mouse.y >= r.y0 && mouse.y < r.y1) pr = &r;
  if (pr == nullptr || pr->row->kind == LaneKind::GroupHeader) return none;
  const model::TraceModel& m = *doc_->model;
  const double x0 = c.timeX0();
  const int32_t lane = pr->row->id;
  // Marks win over spans when the mouse is within a few pixels of one.
  ItemSet markSet = ItemSet::None;
  switch (pr->row->kind) {
    case LaneKind::Proc: markSet = ItemSet::ProcMarks; break;
    case LaneKind::Machine: markSet = ItemSet::MachineMarks; break;
    case LaneKind::Goroutine: markSet = ItemSet::GMarks; break;
    case LaneKind::Sysmon: markSet = ItemSet::SysmonMarks; break;
    case LaneKind::Startup: markSet = ItemSet::StartupMarks; break;
    default: break;
  }
  auto tryMarks = [&](ItemSet set, uint32_t m0, uint32_t m1) -> Selection {
    const auto marks = marksOf(set, lane);
    if (!marks) return Selection{};
    float best = 6;
    const model::VisibleMark* hit = nullptr;
    bool top = mouse.y < pr->y0 + (pr->y1 - pr->y0) * 0.6f || set == ItemSet::SysmonMarks ||
               set == ItemSet::StartupMarks;
    for (uint32_t k = m0; k < m1 && top; k++) {
      const model::VisibleMark& vm = plan_.marks[k];
      float x = float(x0 + vs_.view.xOf(double(m.event((*marks)[size_t(vm.first)]).ts)));
      float d = std::fabs(x - mouse.x);
      if (d < best) best = d, hit = &vm;
    }
    if (hit == nullptr) return Selection{};
    Selection s{set, lane, hit->first, hit->count, 0, 0};
    s.t0 = timeOf((*marks)[size_t(hit->first)]);
    s.t1 = timeOf((*marks)[size_t(hit->first + hit->count - 1)]);
    return s;
  };
  if (Selection s = tryMarks(markSet, pr->marks0, pr->marks1); s.valid()) return s;
  if (Selection s = tryMarks(ItemSet::SysmonMarks, pr->smarks0, pr->smarks1); s.valid()) return s;
  auto findItem = [&](ItemSet set, uint32_t i0, uint32_t i1) -> Selection {
    for (uint32_t k = i0; k < i1; k++) {
      const model::VisibleItem& it = plan_.items[k];
      double xa = x0 + vs_.view.xOf(double(it.start)), xb = x0 + vs_.view.xOf(double(it.end));
      if (xb - xa < 3) xa -= 1.5, xb += 1.5;
      if (mouse.x >= xa && mouse.x <= xb)
        return Selection{set, lane, it.first, it.count, double(it.start), double(it.end)};
    }
    return Selection{};
  };
  switch (pr->row->kind) {
    case LaneKind::Proc: {
      Selection s = findItem(ItemSet::ProcRunning, pr->items0, pr->items1);
      if (!s.valid()) s = findItem(ItemSet::ProcHeld, pr->under0, pr->under1);
      return s;
    }
    case LaneKind::Machine: return findItem(ItemSet::MachineSpans, pr->items0, pr->items1);
    case LaneKind::Goroutine: return findItem(ItemSet::GSpans, pr->items0, pr->items1);
    case LaneKind::Runq:
    case LaneKind::GlobalRunq: {
      const auto& pts = pr->row->kind == LaneKind::Runq ? m.procs()[size_t(lane)].runqLen : m.globalRunqLen();
      double t = vs_.view.tOf(mouse.x - x0);
      size_t i = partitionIndex(0, pts.size(), [&](size_t k) { return double(m.clock().at(pts[k].ev)) <= t; });
      if (i == 0) return none;
      i--;
      Selection s{pr->row->kind == LaneKind::Runq ? ItemSet::Runq : ItemSet::GlobalRunq, lane,
                  int32_t(i), 1, t, t};
      return s;
    }
    default: return none;
  }
}

void Ui::tooltipFor(const Selection& s) {
  const model::TraceModel& m = *doc_->model;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
  if (s.set == ItemSet::Runq || s.set == ItemSet::GlobalRunq) {
    // Replay the scheduler to list the queue's Gs; only when the event under the
    // mouse changes (a replay costs a few milliseconds).
    EventIndex next = m.firstEventAtOrAfter(model::Ns(s.t0) + 1);
    if (queueTip_.next != next) {
      queueTip_.next = next;
      if (!queueTip_.cursor || &queueTip_.cursor->model() != &m)
        queueTip_.cursor = std::make_unique<model::StateCursor>(m);
      queueTip_.state = queueTip_.cursor->stateAfter(next);
    }
    const model::SchedState& st = queueTip_.state;
    auto list = [](const std::vector<int32_t>& gs) {
      std::string out;
      for (size_t i = 0; i < gs.size() && i < 24; i++) out += (i ? " G" : "G") + std::to_string(gs[i]);
      if (gs.size() > 24) out += " …";
      return out.empty() ? std::string("empty") : out;
    };
    ImGui::Text("at %s", formatTimestamp(s.t0, vs_.view.nsPerPx).c_str());
    if (s.set == ItemSet::GlobalRunq) {
      ImGui::Text("global run queue: %zu G%s", st.globalQueue.size(), st.globalQueue.size() == 1 ? "" : "s");
      ImGui::TextDisabled("%s", list(st.globalQueue).c_str());
    } else if (size_t(s.lane) < st.procs.size()) {
      const model::ProcState& ps = st.procs[size_t(s.lane)];
      ImGui::Text("P%d local run queue: %zu G%s", s.lane, ps.runq.size(), ps.runq.size() == 1 ? "" : "s");
      ImGui::TextDisabled("%s", list(ps.runq).c_str());
      if (ps.runnext >= 0)
        ImGui::Text("runnext: G%d (runs next, inheriting the time slice)", ps.runnext);
      else
        ImGui::TextDisabled("runnext: empty");
      if (ps.curg >= 0) ImGui::Text("running: G%d", ps.curg);
    }
  } else if (s.count > 1) {
    ImGui::Text("%d items folded together", s.count);
    ImGui::TextDisabled("%s, from %s to %s", formatDuration(itemEnd(s) - itemStart(s)).c_str(),
                        formatTimestamp(itemStart(s), vs_.view.nsPerPx).c_str(),
                        formatTimestamp(itemEnd(s), vs_.view.nsPerPx).c_str());
    ImGui::TextDisabled("Zoom in (wheel, W, or double-click) to see them one by one.");
  } else if (const auto spans = spansOf(s.set, s.lane)) {
    const model::Span& sp = (*spans)[size_t(s.index)];
    const char* who = s.set == ItemSet::GSpans ? "G" : s.set == ItemSet::MachineSpans ? "M" : "P";
    ImGui::PushFont(fonts_.bold);
    ImGui::Text("%s%d: %s", who, s.lane, spanStateText(sp).c_str());
    ImGui::PopFont();
    double t0 = itemStart(s), t1 = itemEnd(s);
    ImGui::Text("%s", formatDuration(t1 - t0).c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("from %s to %s", formatTimestamp(t0, vs_.view.nsPerPx).c_str(),
                        formatTimestamp(t1, vs_.view.nsPerPx).c_str());
    if (sp.kind == model::SpanKind::PRunning || sp.kind == model::SpanKind::MRunning) {
      if (const model::GoroutineLane* g = m.goroutine(sp.other); g && !g->label.empty())
        ImGui::TextDisabled("G%d: %.*s", sp.other, int(g->label.size()), g->label.data());
    }
    ImGui::TextDisabled("begins with %s%s%s", trace::eventName(m.event(sp.begin).ev),
                        sp.end != kNoEvent ? ", ends with " : " (still open at the end)",
                        sp.end != kNoEvent ? trace::eventName(m.event(sp.end).ev) : "");
  } else if (const auto marks = marksOf(s.set, s.lane)) {
    EventIndex e = (*marks)[size_t(s.index)];
    const model::Event& ev = m.event(e);
    const trace::EventDef& d = trace::eventDef(ev.ev);
    ImGui::PushFont(fonts_.bold);
    ImGui::TextUnformatted(d.name);
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::TextDisabled("at %s", formatTimestamp(double(ev.ts), vs_.view.nsPerPx).c_str());
    std::string said = model::describeEvent(m, e);
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
    ImGui::TextUnformatted(said.empty() ? d.summary : said.c_str());
    ImGui::PopTextWrapPos();
    std::string fields;
    for (int i = 0; i < d.nargs; i++)
      fields += std::string(i ? "  " : "") + d.args[i].name + "=" + argText(m, e, i);
    if (!fields.empty()) ImGui::TextDisabled("%s", fields.c_str());
  }
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

}  // namespace gmps::viewer
