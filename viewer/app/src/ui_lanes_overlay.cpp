// ui_lanes_overlay.cpp — what is drawn over and beside the lanes, and what the mouse
// finds there: the flow arrows between lanes (creation, wake-up, steal, preemption,
// hand-off), the lane labels in the gutter and the search marks, hit-testing and
// tooltips. All of it reads the frame plan that ui_lanes.cpp made (phase one), so
// what the mouse finds is what was drawn.
//
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

}  // namespace

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
  float x0 = c.timeX0();
  dl->AddRectFilled(c.min, ImVec2(x0 - 1, c.max.y), p.rulerBg);
  dl->AddLine(ImVec2(x0 - 0.5f, c.min.y), ImVec2(x0 - 0.5f, c.max.y), p.gridMajor);
  for (const PlannedRow& pr : labelRows(c)) {
    if (pr.row->kind == LaneKind::GroupHeader)
      paintGroupHeader(dl, c, pr);
    else
      paintLaneLabel(dl, c, pr);
  }
}

// labelRows is the plan's rows as the gutter shows them: when a group's header has
// scrolled away, it stays pinned at the top (sticky), so the reader always knows
// which lanes these are.
std::vector<PlannedRow> Ui::labelRows(const Canvas& c) {
  std::vector<PlannedRow> rows = plan_.rows;
  if (rows.empty() || rows.front().row->kind == LaneKind::GroupHeader) return rows;
  const auto& all = vs_.layout.rows();
  size_t i = size_t(rows.front().row - all.data());
  while (i > 0 && all[i].kind != LaneKind::GroupHeader) i--;
  if (all[i].kind != LaneKind::GroupHeader) return rows;
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
  return rows;
}

// paintGroupHeader draws a group's header across the canvas: fold arrow, name, how
// many lanes, and on the Ps' header a hint about the flow arrows.
void Ui::paintGroupHeader(ImDrawList* dl, const Canvas& c, const PlannedRow& pr) {
  const Palette& p = pal();
  const Row& row = *pr.row;
  ImFont* font = ImGui::GetFont();
  ImFont* small = fonts_.small ? fonts_.small : font;
  ImFont* bold = fonts_.bold ? fonts_.bold : font;
  char buf[160];
  float cy = (pr.y0 + pr.y1) / 2;
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
}

// paintLaneLabel draws one lane's name in the gutter (P2, M1, G7 with its colour),
// and beside it a dimmer detail (how busy a P was, sysmon's M, a G's label), cut to
// the gutter's width.
void Ui::paintLaneLabel(ImDrawList* dl, const Canvas& c, const PlannedRow& pr) {
  const Palette& p = pal();
  const model::TraceModel& m = *doc_->model;
  const Row& row = *pr.row;
  ImFont* font = ImGui::GetFont();
  ImFont* small = fonts_.small ? fonts_.small : font;
  char buf[160];
  float cy = (pr.y0 + pr.y1) / 2;
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
    case LaneKind::GroupHeader: return;
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
  if (sub == nullptr) return;
  float room = c.timeX0() - 6 - (lx + ts.x + 6);
  const char* end = sub + std::strlen(sub);
  // Cut the sub-label at a character boundary so it fits the gutter.
  while (end > sub && small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, sub, end).x > room) {
    do end--; while (end > sub && (static_cast<unsigned char>(*end) & 0xC0) == 0x80);
  }
  if (end > sub)
    dl->AddText(small, small->FontSize, ImVec2(lx + ts.x + 6, cy - small->FontSize / 2), p.textDim,
                sub, end);
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
