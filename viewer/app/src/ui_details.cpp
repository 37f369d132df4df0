// ui_details.cpp — the side panel: details of the selection (fields, durations, the
// G's creator, previous/next event of the same G, the other end of each flow, the Go
// runtime function), the trace summary when nothing is selected, and the legend.
//
// [SECTION] Side panel
// [SECTION] Selection details
// [SECTION] Links
// [SECTION] Trace summary
// [SECTION] Legend
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "core/inspect.h"
#include "core/ruler.h"
#include "ui.h"

namespace gmps::viewer {

using model::Ev;

namespace {

ImVec4 v4(Rgba c) { return ImGui::ColorConvertU32ToFloat4(c); }

void swatch(Rgba c, float size) {
  ImVec2 p = ImGui::GetCursorScreenPos();
  float y = p.y + (ImGui::GetTextLineHeight() - size) / 2;
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, y), ImVec2(p.x + size, y + size), c, 2);
  // An outline keeps swatches of background-like colours ("idle") visible.
  ImGui::GetWindowDrawList()->AddRect(ImVec2(p.x, y), ImVec2(p.x + size, y + size),
                                      ImGui::GetColorU32(ImGuiCol_Border), 2);
  ImGui::Dummy(ImVec2(size, ImGui::GetTextLineHeight()));
  ImGui::SameLine();
}

// tag writes "M3" / "none" (snprintf: GCC 12 warns falsely on "M" + to_string).
std::string tag(const char* prefix, int v, const char* none) {
  if (v < 0) return none;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%d", prefix, v);
  return buf;
}

void heading(ImFont* bold, const char* text) {
  ImGui::Spacing();
  ImGui::PushFont(bold);
  ImGui::TextUnformatted(text);
  ImGui::PopFont();
  ImGui::Separator();
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Side panel

void Ui::drawSidePanel(const ImVec2& size) {
  if (!doc_) {
    heading(fonts_.bold, "Details");
    if (loading())
      ImGui::TextWrapped("Loading…");
    else
      ImGui::TextWrapped("No trace loaded. Open one with File ▸ Open (Ctrl+O) or drop a file on the window.");
    if (settings_.showLegend) drawLegend();
    return;
  }
  drawDetails();
  if (settings_.showLegend) drawLegend();
  (void)size;
}

void Ui::drawDetails() {
  const Selection& s = vs_.selection;
  if (!s.valid()) {
    drawTraceSummary();
    return;
  }
  drawSelectionDetails(s);
}

// ---------------------------------------------------------------------------
// [SECTION] Selection details

void Ui::drawSelectionDetails(const Selection& s) {
  const model::TraceModel& m = *doc_->model;
  const double t0 = itemStart(s), t1 = itemEnd(s);
  auto timeLine = [&] {
    ImGui::Text("at %s", formatTimestamp(t0, 1).c_str());
    if (t1 > t0) {
      ImGui::SameLine();
      ImGui::Text("for %s", formatDuration(t1 - t0).c_str());
      ImGui::TextDisabled("until %s", formatTimestamp(t1, 1).c_str());
    }
  };
  // The goroutine this selection is about, for the "same G" links.
  int32_t g = -1;
  EventIndex anchor = kNoEvent;

  if (s.count > 1) {
    heading(fonts_.bold, "Folded items");
    ImGui::Text("%d items too narrow to draw one by one", s.count);
    timeLine();
    if (ImGui::Button("Zoom in on them")) zoomToRange(t0, t1);
    return;
  }
  if (s.set == ItemSet::Runq || s.set == ItemSet::GlobalRunq) {
    heading(fonts_.bold, s.set == ItemSet::Runq ? "Local run queue" : "Global run queue");
    const auto& pts = s.set == ItemSet::Runq ? m.procs()[size_t(s.lane)].runqLen : m.globalRunqLen();
    const model::CounterPoint& cp = pts[size_t(s.index)];
    if (s.set == ItemSet::Runq) ImGui::Text("P%d", s.lane);
    ImGui::Text("%d G%s queued from %s", cp.value, cp.value == 1 ? "" : "s",
                formatTimestamp(timeOf(cp.ev), 1).c_str());
    ImGui::TextDisabled("changed by:");
    eventLink(cp.ev, "");
    anchor = cp.ev;
    drawEventFields(cp.ev);
    return;
  }
  if (const auto spans = spansOf(s.set, s.lane)) {
    const model::Span& sp = (*spans)[size_t(s.index)];
    char title[96];
    const char* who = s.set == ItemSet::GSpans ? "G" : s.set == ItemSet::MachineSpans ? "M" : "P";
    std::snprintf(title, sizeof title, "%s%d — %s", who, s.lane, spanStateText(sp).c_str());
    heading(fonts_.bold, title);
    timeLine();
    g = s.set == ItemSet::GSpans ? s.lane
        : (sp.kind == model::SpanKind::PRunning || sp.kind == model::SpanKind::MRunning ||
           sp.kind == model::SpanKind::MSyscall)
            ? sp.other
            : -1;
    if (sp.kind == model::SpanKind::GRunning && sp.other >= 0) ImGui::Text("on P%d", sp.other);
    if (sp.kind == model::SpanKind::PHeld) ImGui::Text("held by M%d", sp.other);
    ImGui::Spacing();
    ImGui::TextDisabled("began with");
    eventLink(sp.begin, "");
    if (sp.end != kNoEvent) {
      ImGui::TextDisabled("ended with");
      eventLink(sp.end, "");
    } else {
      ImGui::TextDisabled("still open when the trace ends");
    }
    anchor = sp.begin;
    drawEventFields(sp.begin);
    drawFlowLinks(sp.begin);
    if (sp.end != kNoEvent) drawFlowLinks(sp.end);
  } else {
    EventIndex e = kNoEvent;
    if (const auto marks = marksOf(s.set, s.lane)) e = (*marks)[size_t(s.index)];
    if (s.set == ItemSet::Event) e = s.index;
    if (e == kNoEvent) return;
    heading(fonts_.bold, trace::eventName(m.event(e).ev));
    timeLine();
    anchor = e;
    g = s.set == ItemSet::GMarks ? s.lane : eventG(m, e);
    drawEventFields(e);
    drawFlowLinks(e);
  }
  if (g >= 0) drawGoroutineLinks(g, anchor);
}

void Ui::drawEventFields(EventIndex e) {
  const model::TraceModel& m = *doc_->model;
  const model::Event& ev = m.event(e);
  const trace::EventDef& d = trace::eventDef(ev.ev);
  heading(fonts_.bold, "Event");
  ImGui::PushFont(fonts_.bold);
  ImGui::TextUnformatted(d.name);
  ImGui::PopFont();
  ImGui::PushTextWrapPos(0);
  // This event's own sentence (its arguments, and the M's neighbouring events where
  // they say who or why), not the kind's fixed one-liner.
  std::string said = model::describeEvent(m, e);
  ImGui::TextUnformatted(said.empty() ? d.summary : said.c_str());
  if (d.beyondGo) ImGui::TextDisabled("gmpscope only: Go's execution tracer has no such event.");
  ImGui::PopTextWrapPos();
  if (ImGui::BeginTable("##fields", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
    ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 6);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    auto row = [](const char* k, const std::string& v) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", k);
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", v.c_str());
    };
    row("time", formatTimestamp(double(ev.ts), 1) + "  (" + std::to_string(ev.ts) + " ns)");
    row("M", tag("M", ev.m, "none"));
    row("P", tag("P", ev.p, "none"));
    row("G", tag("G", ev.g, "none (g0: the scheduler)"));
    for (int i = 0; i < d.nargs; i++) row(d.args[i].name, argText(m, e, i));
    row("line", std::to_string(m.lineOf(e)) + " of " + std::filesystem::path(doc_->path).filename().string());
    ImGui::EndTable();
  }
  ImGui::TextDisabled("Go runtime:");
  ImGui::SameLine();
  ImGui::PushFont(fonts_.mono);
  ImGui::TextUnformatted(d.goFunc);
  ImGui::PopFont();
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Where Go does this: $GOROOT/src/runtime/%s (click to copy)", d.goFunc);
  if (ImGui::IsItemClicked()) ImGui::SetClipboardText(d.goFunc);
}

// ---------------------------------------------------------------------------
// [SECTION] Links

bool Ui::eventLink(EventIndex e, const char* prefix) {
  if (e == kNoEvent) return false;
  const model::TraceModel& m = *doc_->model;
  const model::Event& ev = m.event(e);
  char label[160];
  std::string where = tag("M", ev.m, "no M") + " " + tag("P", ev.p, "no P") + " " + tag("G", ev.g, "g0");
  std::snprintf(label, sizeof label, "%s%s  at %s  (%s)##ev%d", prefix, trace::eventName(ev.ev),
                formatTimestamp(double(ev.ts), 1).c_str(), where.c_str(), e);
  ImGui::PushStyleColor(ImGuiCol_Text, v4(pal().flowUnblock));
  bool clicked = ImGui::Selectable(label, false);
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\nClick to jump there", m.formatEvent(e).c_str());
  if (clicked) jumpToEvent(e);
  return clicked;
}

bool Ui::goroutineLink(int32_t g) {
  char label[48];
  std::snprintf(label, sizeof label, "G%d##glink", g);
  ImGui::PushStyleColor(ImGuiCol_Text, gText(g));
  ImVec2 ts = ImGui::CalcTextSize(label, nullptr, true);
  bool clicked = ImGui::Selectable(label, false, 0, ImVec2(ts.x, 0));
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Highlight G%d and show its lane", g);
  if (clicked) {
    vs_.highlightG = g;
    ensureLaneVisible(LaneKind::Goroutine, g);
  }
  return clicked;
}

void Ui::drawGoroutineLinks(int32_t g, EventIndex around) {
  const model::TraceModel& m = *doc_->model;
  if (details_.g != g) {
    details_.g = g;
    details_.gEvents = goroutineEvents(m, g);
  }
  char title[64];
  std::snprintf(title, sizeof title, "Goroutine G%d", g);
  heading(fonts_.bold, title);
  const model::GoroutineLane* lane = m.goroutine(g);
  if (lane && !lane->label.empty()) ImGui::Text("%.*s", int(lane->label.size()), lane->label.data());
  int32_t creator = creatorOf(m, g);
  if (lane && lane->created != kNoEvent) {
    ImGui::TextDisabled("created by");
    ImGui::SameLine();
    if (creator >= 0)
      goroutineLink(creator);
    else
      ImGui::TextUnformatted("the runtime (g0)");
    eventLink(lane->created, "");
  } else {
    ImGui::TextDisabled("created before the trace began");
  }
  {
    const auto& perG = m.stats().perG;
    auto it = std::lower_bound(perG.begin(), perG.end(), g,
                               [](const model::GoroutineStats& a, int32_t id) { return a.id < id; });
    if (it != perG.end() && it->id == g) {
      ImGui::Text("ran %s, waited for a P %s, blocked %s", formatDuration(double(it->running)).c_str(),
                  formatDuration(double(it->runnable)).c_str(),
                  formatDuration(double(it->blocked)).c_str());
      ImGui::TextDisabled("%d starts, %d preemptions, %d yields, %d blocks, %d syscalls", it->starts,
                          it->preemptions, it->yields, it->blocks, it->syscalls);
    }
  }
  auto [prev, next] = neighbours(details_.gEvents, around);
  ImGui::TextDisabled("previous event of G%d  ( [ )", g);
  if (prev != kNoEvent) eventLink(prev, "◀ "); else ImGui::TextDisabled("  none");
  ImGui::TextDisabled("next event of G%d  ( ] )", g);
  if (next != kNoEvent) eventLink(next, "▶ "); else ImGui::TextDisabled("  none");
  bool hl = vs_.highlightG == g;
  if (ImGui::Checkbox("Highlight its whole life (H)", &hl)) vs_.highlightG = hl ? g : -1;
  ImGui::SameLine();
  if (ImGui::SmallButton("Show its lane")) {
    if (vs_.gFilterActive && !std::binary_search(vs_.gFilter.begin(), vs_.gFilter.end(), g)) {
      vs_.gFilterText[0] = '\0';
      vs_.gFilterActive = false;
      vs_.gFilter.clear();
      rebuildLayout();
    }
    if (isCollapsed(settings_, groupName(Group::Goroutines))) {
      setCollapsed(settings_, groupName(Group::Goroutines), false);
      rebuildLayout();
    }
    ensureLaneVisible(LaneKind::Goroutine, g);
  }
}

void Ui::drawFlowLinks(EventIndex e) {
  const model::TraceModel& m = *doc_->model;
  std::vector<int32_t> fl = flowsOf(m, e);
  if (fl.empty()) return;
  heading(fonts_.bold, "Flows");
  for (int32_t fi : fl) {
    const model::Flow& f = m.flows()[size_t(fi)];
    ImGui::PushID(fi);
    if (f.kind == model::FlowKind::Steal) {
      ImGui::Text("steal: P%d took %d G%s from P%d", m.event(f.to).p, f.count, f.count == 1 ? "" : "s",
                  f.fromP);
    } else {
      EventIndex other = otherEnd(f, e);
      bool outgoing = f.from == e;
      ImGui::Text("%s %s", model::flowKindName(f.kind), outgoing ? "→ leads to" : "← comes from");
      if (other != kNoEvent) eventLink(other, "   ");
    }
    ImGui::PopID();
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Trace summary

void Ui::drawTraceSummary() {
  const model::TraceModel& m = *doc_->model;
  const model::TraceStats& st = m.stats();
  heading(fonts_.bold, "Trace");
  const auto& h = m.header();
  ImGui::TextWrapped("%s", doc_->path.c_str());
  if (ImGui::BeginTable("##summary", 2, ImGuiTableFlags_RowBg)) {
    auto row = [](const char* k, const std::string& v) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", k);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(v.c_str());
    };
    row("program", h.program.empty() ? "?" : h.program);
    row("GOMAXPROCS", std::to_string(h.gomaxprocs));
    row("CPUs", std::to_string(h.ncpu));
    row("duration", formatDuration(double(st.duration)));
    row("events", std::to_string(st.events));
    row("goroutines", std::to_string(st.goroutines));
    row("threads (M)", std::to_string(m.machines().size()));
    row("steals", std::to_string(st.steals) + " (" + std::to_string(st.gsStolen) + " Gs)");
    row("preemptions", std::to_string(st.preemptions));
    row("sched latency p50", formatDuration(double(st.schedLatency.percentile(0.5))));
    row("sched latency p99", formatDuration(double(st.schedLatency.percentile(0.99))));
    ImGui::EndTable();
  }
  for (const std::string& w : vs_.warnings) {
    ImGui::PushStyleColor(ImGuiCol_Text, v4(pal().sysmonRetake));
    ImGui::TextWrapped("%s", w.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::Spacing();
  ImGui::TextDisabled("Click a span or a mark for its details.");
}

// ---------------------------------------------------------------------------
// [SECTION] Legend

void Ui::drawLegend() {
  const Palette& p = pal();
  heading(fonts_.bold, "Legend");
  float sw = ImGui::GetFontSize() * 0.8f;
  auto item = [&](Rgba c, const char* text) {
    swatch(c, sw);
    ImGui::TextUnformatted(text);
  };
  ImGui::TextDisabled("Goroutine lanes");
  item(p.gState[int(GState::Running)], "running");
  item(p.gState[int(GState::Runnable)], "runnable: waiting for a P");
  item(p.gState[int(GState::Syscall)], "in a system call");
  item(p.blockReason[int(trace::BlockReason::ChanSend)], "blocked: chan send");
  item(p.blockReason[int(trace::BlockReason::ChanRecv)], "blocked: chan receive");
  item(p.blockReason[int(trace::BlockReason::Select)], "blocked: select");
  item(p.blockReason[int(trace::BlockReason::Mutex)], "blocked: mutex");
  item(p.blockReason[int(trace::BlockReason::WaitGroup)], "blocked: WaitGroup");
  item(p.blockReason[int(trace::BlockReason::Sleep)], "blocked: sleep");
  item(p.blockReason[int(trace::BlockReason::NetPoll)], "blocked: network (IO wait)");
  ImGui::TextDisabled("Processor lanes");
  swatch(gColor(1), sw);
  ImGui::SameLine(0, 2);
  swatch(gColor(2), sw);
  ImGui::SameLine(0, 2);
  item(gColor(3), "runs a G (one colour per G)");
  item(p.pIdle, "held by an M, no G running");
  item(p.canvas, "idle (no M)");
  ImGui::TextDisabled("Thread (M) lanes");
  item(p.mState[int(MState::Spinning)], "spinning: looking for work");
  item(p.mState[int(MState::Parked)], "parked (stopm)");
  item(p.mState[int(MState::Syscall)], "in a system call");
  ImGui::TextDisabled("Queues, marks and arrows");
  item(p.runqLocal, "local run queue length");
  item(p.runqRunnext, "runnext holds a G");
  item(p.runqGlobal, "global run queue length");
  item(p.sysmonPreempt, "▼ preempted / stolen from");
  item(p.sysmonRetake, "◆ P retaken / handed off");
  item(p.flowCreate, "→ go statement to first run");
  item(p.flowUnblock, "→ unblock to run");
  item(p.flowSteal, "→ steal: victim to thief");
  item(p.flowPreempt, "→ sysmon preempt");
  item(p.folded, "many narrow items folded (zoom in)");
}

}  // namespace gmps::viewer
