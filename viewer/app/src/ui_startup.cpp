// ui_startup.cpp — the startup walkthrough: the runtime's start, step by step, as a
// person would walk it with gdb breakpoints. The text is data
// (tutorials/startup_walkthrough.json, found at run time: see core/walkthrough.h), so
// it can be corrected without touching code; a missing or bad file is a message in
// the panel, never a crash.
//
// Left: the steps as a breakpoint list (● resolved in this trace, ○ not, ▶ where the
// selection or the play head is). Right: the step shown — what Go does there and
// where (file and function), what gmpscope does, what the trace shows. Clicking a
// step moves the timeline, the selection and the play head to its event; selecting
// an event in the startup region lights its step.
//
// [SECTION] Loading and resolving
// [SECTION] Panel
// [SECTION] Navigation
// [SECTION] Layout dump for tests
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "core/inspect.h"
#include "core/ruler.h"
#include "ui.h"

namespace gmps::viewer {

// ---------------------------------------------------------------------------
// [SECTION] Loading and resolving

void Ui::ensureWalkthrough() {
  if (!walk_.tried) {
    walk_.tried = true;
    walk_.dir = tutorialsDir(&walk_.lookedIn);
    if (walk_.dir.empty()) {
      walk_.error = "startup_walkthrough.json was not found.";
    } else {
      guide::Loaded<guide::Walkthrough> w = guide::loadWalkthrough(walk_.dir + "/startup_walkthrough.json");
      if (w.ok())
        walk_.w = std::move(*w.value);
      else
        walk_.error = w.error;
    }
  }
  if (walk_.w && doc_ && walk_.model != doc_->model.get()) {
    walk_.ix = indexWalkthrough(*walk_.w, *doc_->model);
    walk_.model = doc_->model.get();
  }
}

std::vector<int> Ui::litWalkSteps() const {
  if (!walk_.w || !doc_ || walk_.model != doc_->model.get()) return {};
  EventIndex e = definingEvent(vs_.selection);
  if (e == kNoEvent) e = vs_.replay.cur;
  return stepsAt(walk_.ix, e);
}

int Ui::walkStepById(const std::string& key) const {
  if (!walk_.w) return -1;
  const auto& steps = walk_.w->steps;
  for (size_t i = 0; i < steps.size(); i++)
    if (steps[i].id == key) return int(i);
  char* end = nullptr;
  long n = std::strtol(key.c_str(), &end, 10);
  if (end != key.c_str() && *end == '\0' && n >= 1 && size_t(n) <= steps.size()) return int(n - 1);
  return -1;
}

// ---------------------------------------------------------------------------
// [SECTION] Panel

void Ui::drawStartupPanel(const ImVec2& size) {
  ensureWalkthrough();
  if (!walk_.w) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal().error), "The startup walkthrough could not be loaded.");
    ImGui::TextUnformatted(walk_.error.c_str());
    if (!walk_.lookedIn.empty()) ImGui::TextDisabled("Looked in: %s", walk_.lookedIn.c_str());
    ImGui::TextDisabled("Set %s to the tutorials folder of the gmpscope sources (the one holding "
                        "startup_walkthrough.json) and restart the viewer.", kTutorialsEnv);
    ImGui::PopTextWrapPos();
    return;
  }
  if (!doc_) return;
  const std::vector<int> lit = litWalkSteps();
  int shown = vs_.walkSelected;
  if (!lit.empty() && std::find(lit.begin(), lit.end(), shown) == lit.end()) shown = lit.front();
  if (shown < 0 || size_t(shown) >= walk_.w->steps.size()) shown = 0;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float listW = std::clamp(avail.x * 0.3f, ImGui::GetFontSize() * 15, ImGui::GetFontSize() * 24);
  ImGui::BeginChild("##walklist", ImVec2(listW, avail.y), true);
  drawWalkList(lit, shown);
  ImGui::EndChild();
  ImGui::SameLine(0, 8);
  ImGui::BeginChild("##walkstep", ImVec2(0, avail.y), false);
  drawWalkStep(shown);
  ImGui::EndChild();
  (void)size;
}

void Ui::drawWalkList(const std::vector<int>& lit, int shown) {
  const auto& steps = walk_.w->steps;
  const Palette& p = pal();
  walk_.rows.clear();
  ImGui::TextDisabled("Breakpoints, in order");
  for (size_t i = 0; i < steps.size(); i++) {
    const bool resolved = i < walk_.ix.events.size() && walk_.ix.events[i] != kNoEvent;
    const bool here = std::find(lit.begin(), lit.end(), int(i)) != lit.end();
    ImGui::PushID(int(i));
    ImVec2 a = ImGui::GetCursorScreenPos();
    if (ImGui::Selectable("##step", int(i) == shown, ImGuiSelectableFlags_SpanAllColumns)) goToWalkStep(int(i));
    ImVec2 b = ImGui::GetItemRectMax();
    walk_.rows.emplace_back(ImGui::GetItemRectMin(), b);
    if (int(i) == shown && walk_.scrolledTo != shown) {  // keep the step shown in view
      ImGui::SetScrollHereY(0.4f);
      walk_.scrolledTo = shown;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (here) dl->AddRectFilled(ImGui::GetItemRectMin(), b, withAlpha(p.highlightG, 60), 3);
    const float fs = ImGui::GetFontSize();
    const char* mark = here ? "▶" : resolved ? "●" : "○";
    Rgba mc = here ? p.highlightG : resolved ? p.sysmonPreempt : p.textDim;
    dl->AddText(ImVec2(a.x + 2, a.y), mc, mark);
    char num[24];
    std::snprintf(num, sizeof num, "%zu", i + 1);
    dl->AddText(ImVec2(a.x + fs * 1.2f, a.y), p.textDim, num);
    dl->AddText(fonts_.mono, fonts_.mono->FontSize, ImVec2(a.x + fs * 2.6f, a.y + 1), p.text, steps[i].id.c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s\nGo: %s\n%s", steps[i].title.c_str(), steps[i].goWhere.c_str(),
                        resolved ? "Click: go to its event" : walk_.ix.errors[i].c_str());
    ImGui::PopID();
  }
}

void Ui::drawWalkStep(int i) {
  const guide::WalkStep& st = walk_.w->steps[size_t(i)];
  const int n = int(walk_.w->steps.size());
  ImGui::BeginDisabled(i <= 0);
  if (ImGui::Button("◀ Previous")) goToWalkStep(i - 1);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(i + 1 >= n);
  if (ImGui::Button("Next ▶")) goToWalkStep(i + 1);  // gdb's `continue`
  ImGui::EndDisabled();
  ImGui::SameLine(0, 14);
  ImGui::PushFont(fonts_.bold);
  ImGui::Text("%d/%d  %s", i + 1, n, st.title.c_str());
  ImGui::PopFont();
  const EventIndex e = size_t(i) < walk_.ix.events.size() ? walk_.ix.events[size_t(i)] : kNoEvent;
  if (e == kNoEvent) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal().error), "Not in this trace: %s",
                       walk_.ix.errors[size_t(i)].c_str());
  } else {
    ImGui::TextDisabled("Its event: #%d %s at %s", e, trace::eventName(doc_->model->event(e).ev),
                        formatTimestamp(double(doc_->model->event(e).ts), 1).c_str());
  }
  const float w = ImGui::GetContentRegionAvail().x;
  const bool columns = w > ImGui::GetFontSize() * 42;
  auto goCell = [&] {
    sectionTitle(("Go · " + st.goWhere).c_str());
    drawMarkup(st.goWhat, ImGui::GetContentRegionAvail().x);
    if (!st.gdb.empty()) {
      ImGui::PushFont(fonts_.mono);
      ImGui::PushTextWrapPos(0);
      ImGui::TextDisabled("(gdb) %s", st.gdb.c_str());
      ImGui::PopTextWrapPos();
      ImGui::PopFont();
    }
  };
  auto ourCell = [&] {
    sectionTitle(("gmpscope · " + st.ourWhere).c_str());
    drawMarkup(st.ourWhat, ImGui::GetContentRegionAvail().x);
  };
  auto traceCell = [&] {
    sectionTitle("In the trace");
    drawMarkup(st.traceWhat, ImGui::GetContentRegionAvail().x);
  };
  if (!columns) {
    goCell(), ImGui::Spacing(), ourCell(), ImGui::Spacing(), traceCell();
    return;
  }
  if (ImGui::BeginTable("##walkcols", 3, ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    goCell();
    ImGui::TableNextColumn();
    ourCell();
    ImGui::TableNextColumn();
    traceCell();
    ImGui::EndTable();
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Navigation

void Ui::goToWalkStep(int i) {
  ensureWalkthrough();
  if (!walk_.w || !doc_ || i < 0 || size_t(i) >= walk_.w->steps.size()) return;
  vs_.walkSelected = i;
  const guide::WalkStep& st = walk_.w->steps[size_t(i)];
  guide::Resolved r = guide::resolve(st.jump, *doc_->model);
  if (!r.ok()) return;  // the list says why
  applyResolved(r, st.jump);
}

// ---------------------------------------------------------------------------
// [SECTION] Layout dump for tests

std::string Ui::startupJson() const {
  std::string out = "{\"loaded\":" + std::string(walk_.w ? "true" : "false") + ",\"error\":" + jsonQuote(walk_.error);
  out += ",\"selected\":" + std::to_string(vs_.walkSelected) + ",\"lit\":[";
  std::vector<int> lit = litWalkSteps();
  for (size_t i = 0; i < lit.size(); i++) out += (i ? "," : "") + std::to_string(lit[i]);
  out += "],\"steps\":[";
  if (walk_.w) {
    for (size_t i = 0; i < walk_.w->steps.size(); i++) {
      EventIndex e = i < walk_.ix.events.size() ? walk_.ix.events[i] : kNoEvent;
      char row[128] = "null";
      if (i < walk_.rows.size())
        std::snprintf(row, sizeof row, "[%.1f,%.1f,%.1f,%.1f]", walk_.rows[i].first.x, walk_.rows[i].first.y,
                      walk_.rows[i].second.x, walk_.rows[i].second.y);
      out += (i ? "," : "") + std::string("{\"id\":") + jsonQuote(walk_.w->steps[i].id) +
             ",\"event\":" + std::to_string(e) + ",\"row\":" + row + "}";
    }
  }
  return out + "]}";
}

}  // namespace gmps::viewer
