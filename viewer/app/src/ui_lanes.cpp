// ui_lanes.cpp — drawing the lanes, in two phases (Tracy's scheme).
//
// Phase one, planFrame: for every lane on screen, ask the model's LOD functions what
// is visible (binary search, narrow spans folded with their count) and keep the
// result in FramePlan. Phase two, paintRows/paintFlows/paintLabels: paint only the
// plan. Hit-testing and tooltips read the same plan, so what the mouse finds is what
// was drawn. Flows, labels and hit-testing are in ui_lanes_overlay.cpp.
//
// [SECTION] Item access
// [SECTION] Phase one: plan
// [SECTION] Phase two: paint
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

}  // namespace gmps::viewer
