// ui_replay.cpp — the play head: the replay bar under the toolbar (start, step back,
// play/pause, step forward, end, speed, a scrub bar over the whole trace), the play
// head's line across the timeline with its handle on the ruler, and the replay keys.
// The play head's arithmetic is core/replay.h; the state it shows is drawn by the
// scheduler panel (ui_scheduler.cpp).
//
// [SECTION] Per frame
// [SECTION] Selection and the play head
// [SECTION] Replay bar
// [SECTION] Play head on the timeline
// [SECTION] Keys
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/ruler.h"
#include "ui.h"

namespace gmps::viewer {

namespace {

Rgba playHeadColor(bool light) { return light ? rgba(214, 72, 0) : rgba(255, 122, 44); }

enum class Icon { Start, Back, Play, Pause, Forward, End };

// iconButton draws a button with a small vector icon (the UI font has no media glyphs).
bool iconButton(const char* id, Icon icon, float h) {
  bool pressed = ImGui::Button(id, ImVec2(h * 1.25f, h));
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImU32 col = ImGui::GetColorU32(ImGuiCol_Text);  // dimmed inside BeginDisabled
  float cx = (a.x + b.x) / 2, cy = (a.y + b.y) / 2, r = h * 0.24f;
  auto tri = [&](float x, float dir) {  // a triangle pointing right (dir 1) or left (-1)
    dl->AddTriangleFilled(ImVec2(x - dir * r * 0.8f, cy - r), ImVec2(x - dir * r * 0.8f, cy + r),
                          ImVec2(x + dir * r * 0.9f, cy), col);
  };
  auto bar = [&](float x) { dl->AddRectFilled(ImVec2(x - r * 0.22f, cy - r), ImVec2(x + r * 0.22f, cy + r), col); };
  switch (icon) {
    case Icon::Start: bar(cx - r * 0.9f), tri(cx + r * 0.2f, -1); break;
    case Icon::Back: tri(cx - r * 0.5f, -1), tri(cx + r * 0.6f, -1); break;
    case Icon::Play: tri(cx + r * 0.1f, 1); break;
    case Icon::Pause: bar(cx - r * 0.45f), bar(cx + r * 0.45f); break;
    case Icon::Forward: tri(cx - r * 0.6f, 1), tri(cx + r * 0.5f, 1); break;
    case Icon::End: tri(cx - r * 0.2f, 1), bar(cx + r * 0.9f); break;
  }
  return pressed;
}

std::string withCommas(int64_t v) {
  std::string s = std::to_string(v);
  for (int i = int(s.size()) - 3; i > (s[0] == '-' ? 1 : 0); i -= 3) s.insert(size_t(i), ",");
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Per frame

void Ui::updateReplay() {
  const ImGuiIO& io = ImGui::GetIO();
  vs_.animClock += double(std::clamp(io.DeltaTime, 0.f, 0.25f));
  if (!doc_ || !vs_.replay.playing) return;
  if (advance(vs_.replay, doc_->model->events(), io.DeltaTime)) {
    vs_.animateMove = true;
    selectPlayHeadEvent();
    followPlayHead();
  }
}

void Ui::seekPlayHead(EventIndex e) {
  if (doc_) seekEvent(vs_.replay, doc_->model->events(), e);
}

void Ui::seekPlayHeadTime(double t) {
  if (doc_) seekTime(vs_.replay, doc_->model->events(), t);
}

// followPlayHead keeps the play head on screen while it plays or steps: when it leaves
// the view, the view turns the page so it is near the left edge again.
void Ui::followPlayHead() {
  if (vs_.benchFrame >= 0) return;
  double x = vs_.view.xOf(vs_.replay.t);
  if (x >= 0 && x <= vs_.view.widthPx * 0.96) return;
  vs_.view.startNs = vs_.replay.t - vs_.view.nsPerPx * vs_.view.widthPx * 0.08;
}

// ---------------------------------------------------------------------------
// [SECTION] Selection and the play head

EventIndex Ui::definingEvent(const Selection& s) const {
  if (!doc_ || !s.valid() || s.count > 1) return kNoEvent;
  const model::TraceModel& m = *doc_->model;
  if (s.set == ItemSet::Event) return s.index;
  if (const auto spans = spansOf(s.set, s.lane)) return (*spans)[size_t(s.index)].begin;
  if (const auto marks = marksOf(s.set, s.lane)) return (*marks)[size_t(s.index)];
  if (s.set == ItemSet::Runq) return m.procs()[size_t(s.lane)].runqLen[size_t(s.index)].ev;
  if (s.set == ItemSet::GlobalRunq) return m.globalRunqLen()[size_t(s.index)].ev;
  return kNoEvent;
}

void Ui::setSelection(const Selection& s) {
  vs_.selection = s;
  if (EventIndex e = definingEvent(s); e != kNoEvent) {
    vs_.replay.playing = false;
    seekPlayHead(e);
  }
}

// selectPlayHeadEvent selects the event under the play head, so the details panel
// explains each event as the replay reaches it (the play head itself stays put).
void Ui::selectPlayHeadEvent() {
  if (!doc_ || vs_.replay.cur < 0) return;
  Selection s;
  s.set = ItemSet::Event;
  s.index = vs_.replay.cur;
  s.t0 = s.t1 = double(doc_->model->event(vs_.replay.cur).ts);
  vs_.selection = s;
}

// ---------------------------------------------------------------------------
// [SECTION] Replay bar

void Ui::drawTransportButtons() {
  const float h = ImGui::GetFrameHeight();
  auto events = doc_ ? doc_->model->events() : std::span<const model::Event>();
  auto tip = [](const char* t) {
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", t);
  };
  auto moved = [&] {
    vs_.animateMove = true;
    selectPlayHeadEvent();
    followPlayHead();
  };
  if (iconButton("##start", Icon::Start, h)) seekPlayHead(0), vs_.replay.playing = false, moved();
  tip("Back to the first event");
  ImGui::SameLine(0, 3);
  if (iconButton("##back", Icon::Back, h)) vs_.replay.playing = false, stepBy(vs_.replay, events, -1), moved();
  tip("Step back one event (←; Shift+← ten)");
  ImGui::SameLine(0, 3);
  bool playing = vs_.replay.playing;
  if (iconButton("##play", playing ? Icon::Pause : Icon::Play, h)) togglePlay(vs_.replay, events);
  tip(playing ? "Pause (Space)" : "Play (Space)");
  ImGui::SameLine(0, 3);
  if (iconButton("##fwd", Icon::Forward, h)) vs_.replay.playing = false, stepBy(vs_.replay, events, 1), moved();
  tip("Step forward one event (→; Shift+→ ten)");
  ImGui::SameLine(0, 3);
  if (iconButton("##end", Icon::End, h))
    seekPlayHead(EventIndex(events.size()) - 1), vs_.replay.playing = false, moved();
  tip("To the last event");
}

void Ui::drawTransport() {
  bool has = doc_ != nullptr && !doc_->model->events().empty();
  ImGui::BeginDisabled(!has);
  drawTransportButtons();
  ImGui::SameLine(0, 14);
  ImGui::TextUnformatted("Speed");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::CalcTextSize("100 events/s").x + ImGui::GetFrameHeight() * 1.6f);
  if (ImGui::BeginCombo("##speed", kSpeeds[vs_.replay.speed].name)) {
    for (int i = 0; i < kNumSpeeds; i++)
      if (ImGui::Selectable(kSpeeds[i].name, i == vs_.replay.speed)) vs_.replay.speed = i;
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Trace time per second (real time = as fast as it ran), or events per second.\n"
                      "- and + change it. Step one event at a time with ← and →.");
  ImGui::SameLine(0, 14);
  char where[160] = "";
  if (has) {
    const auto& m = *doc_->model;
    std::snprintf(where, sizeof where, "event %s / %s  ·  %s",
                  withCommas(int64_t(vs_.replay.cur)).c_str(), withCommas(int64_t(m.events().size()) - 1).c_str(),
                  formatTimestamp(vs_.replay.t, 1).c_str());
  }
  float textW = ImGui::CalcTextSize("event 1,000,000 / 1,000,000  ·  1.000000000 s").x;
  float barW = ImGui::GetContentRegionAvail().x - textW - 16;
  if (has && barW > 60) {
    drawScrubBar(barW);
    ImGui::SameLine(0, 12);
  }
  ImGui::TextUnformatted(where);
  ImGui::EndDisabled();
}

// drawScrubBar: the whole trace as a bar; the shaded part is what the timeline shows,
// the orange knob is the play head. Click or drag anywhere on it to scrub.
void Ui::drawScrubBar(float width) {
  const model::TraceModel& m = *doc_->model;
  const double t0 = double(m.startTime()), t1 = std::max(t0 + 1, double(m.endTime()));
  const float h = ImGui::GetFrameHeight();
  ImGui::InvisibleButton("##scrub", ImVec2(width, h));
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  auto xOf = [&](double t) { return a.x + 6 + float((t - t0) / (t1 - t0)) * (width - 12); };
  if (ImGui::IsItemActive()) {
    double t = t0 + double(ImGui::GetIO().MousePos.x - a.x - 6) / double(width - 12) * (t1 - t0);
    vs_.replay.playing = false;
    seekPlayHeadTime(t);
    if (ImGui::IsItemDeactivated() || !ImGui::IsMouseDown(0)) selectPlayHeadEvent();
  }
  if (ImGui::IsItemDeactivated()) selectPlayHeadEvent();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Drag to scrub through the whole trace");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Palette& p = pal();
  float cy = (a.y + b.y) / 2;
  dl->AddRectFilled(ImVec2(a.x, cy - h * 0.18f), ImVec2(b.x, cy + h * 0.18f), ImGui::GetColorU32(ImGuiCol_FrameBg), 3);
  float v0 = std::clamp(xOf(vs_.view.startNs), a.x, b.x), v1 = std::clamp(xOf(vs_.view.endNs()), a.x, b.x);
  dl->AddRectFilled(ImVec2(v0, a.y + 2), ImVec2(std::max(v0 + 2, v1), b.y - 2), p.measure, 2);
  float x = xOf(vs_.replay.t);
  Rgba ph = playHeadColor(settings_.lightTheme);
  dl->AddRectFilled(ImVec2(a.x, cy - 2), ImVec2(x, cy + 2), withAlpha(ph, 150), 2);
  dl->AddRectFilled(ImVec2(x - 3, a.y + 1), ImVec2(x + 3, b.y - 1), ph, 2);
}

// ---------------------------------------------------------------------------
// [SECTION] Play head on the timeline

bool Ui::nearPlayHead(float mouseX, float timeX0) const {
  if (!doc_) return false;
  float x = timeX0 + float(vs_.view.xOf(vs_.replay.t));
  return std::fabs(mouseX - x) <= std::max(6.f, ImGui::GetFontSize() * 0.45f);
}

void Ui::drawPlayHeadOnRuler(ImDrawList* dl, ImVec2 min, ImVec2 max, float timeX0) {
  if (!doc_ || doc_->model->events().empty()) return;
  float x = std::round(timeX0 + float(vs_.view.xOf(vs_.replay.t))) + 0.5f;
  if (x < timeX0 - 1 || x > max.x + 1) return;
  Rgba c = playHeadColor(settings_.lightTheme);
  float r = std::round(ImGui::GetFontSize() * 0.42f);
  dl->AddLine(ImVec2(x, min.y), ImVec2(x, max.y), c, 2);
  dl->AddTriangleFilled(ImVec2(x - r, max.y - r * 1.6f), ImVec2(x + r, max.y - r * 1.6f), ImVec2(x, max.y), c);
}

// selectionRow: the lane of the selected item, when the play head is on its event.
const Row* Ui::selectionRow(const Canvas& c) const {
  const Selection& s = vs_.selection;
  if (!s.valid() || definingEvent(s) != vs_.replay.cur) return nullptr;
  switch (s.set) {
    case ItemSet::Event: {
      float x = 0;
      return flowAnchor(s.index, x, c);
    }
    case ItemSet::ProcRunning:
    case ItemSet::ProcHeld:
    case ItemSet::ProcMarks: return vs_.layout.find(LaneKind::Proc, s.lane);
    case ItemSet::MachineSpans:
    case ItemSet::MachineMarks: return vs_.layout.find(LaneKind::Machine, s.lane);
    case ItemSet::GSpans:
    case ItemSet::GMarks: return vs_.layout.find(LaneKind::Goroutine, s.lane);
    case ItemSet::SysmonMarks: return vs_.layout.find(LaneKind::Sysmon, 0);
    case ItemSet::StartupMarks: return vs_.layout.find(LaneKind::Startup, 0);
    case ItemSet::Runq: return vs_.layout.find(LaneKind::Runq, s.lane);
    case ItemSet::GlobalRunq: return vs_.layout.find(LaneKind::GlobalRunq, 0);
    default: return nullptr;
  }
}

void Ui::drawPlayHead(ImDrawList* dl, const Canvas& c) {
  if (!doc_ || doc_->model->events().empty()) return;
  float x = std::round(c.timeX0() + float(vs_.view.xOf(vs_.replay.t))) + 0.5f;
  if (x < c.timeX0() || x > c.max.x) return;
  const Rgba col = playHeadColor(settings_.lightTheme);
  // In the lane of the selected item the selection's own marker stands for the play
  // head: the line leaves a gap there rather than paint over it.
  if (const Row* r = selectionRow(c)) {
    float a = c.min.y + r->y - vs_.scrollY - 7, b = a + r->h + 11;
    if (a > c.min.y) dl->AddLine(ImVec2(x, c.min.y), ImVec2(x, a), col, 1.5f);
    if (b < c.max.y) dl->AddLine(ImVec2(x, b), ImVec2(x, c.max.y), col, 1.5f);
    return;
  }
  dl->AddLine(ImVec2(x, c.min.y), ImVec2(x, c.max.y), col, 1.5f);
}

// ---------------------------------------------------------------------------
// [SECTION] Menu

void Ui::drawReplayMenu() {
  if (!ImGui::BeginMenu("Replay")) return;
  const bool has = doc_ != nullptr && !doc_->model->events().empty();
  auto events = has ? doc_->model->events() : std::span<const model::Event>();
  auto moved = [&] {
    vs_.replay.playing = false;
    vs_.animateMove = true;
    selectPlayHeadEvent();
    followPlayHead();
  };
  if (ImGui::MenuItem(vs_.replay.playing ? "Pause" : "Play", "Space", false, has)) togglePlay(vs_.replay, events);
  if (ImGui::MenuItem("Step forward", "→", false, has)) stepBy(vs_.replay, events, 1), moved();
  if (ImGui::MenuItem("Step back", "←", false, has)) stepBy(vs_.replay, events, -1), moved();
  if (ImGui::MenuItem("First event", nullptr, false, has)) seekPlayHead(0), moved();
  if (ImGui::MenuItem("Last event", nullptr, false, has)) seekPlayHead(EventIndex(events.size()) - 1), moved();
  if (ImGui::MenuItem("Faster", "+")) faster(vs_.replay);
  if (ImGui::MenuItem("Slower", "-")) slower(vs_.replay);
  ImGui::Separator();
  if (ImGui::MenuItem("Scheduler panel", nullptr, false, has)) showPanel(guide::Panel::Scheduler);
  if (ImGui::MenuItem("Startup walkthrough", nullptr, false, has)) showPanel(guide::Panel::Startup);
  ImGui::EndMenu();
}

// ---------------------------------------------------------------------------
// [SECTION] Keys

void Ui::handleReplayKeys() {
  ImGuiIO& io = ImGui::GetIO();
  auto events = doc_->model->events();
  if (ImGui::IsKeyPressed(GLFW_KEY_SPACE, false)) togglePlay(vs_.replay, events);
  int step = 0;
  if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT)) step = io.KeyShift ? 10 : 1;
  if (ImGui::IsKeyPressed(GLFW_KEY_LEFT)) step = io.KeyShift ? -10 : -1;
  if (step != 0) {
    vs_.replay.playing = false;
    stepBy(vs_.replay, events, step);
    vs_.animateMove = true;
    selectPlayHeadEvent();
    followPlayHead();
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_MINUS) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT)) slower(vs_.replay);
  if (ImGui::IsKeyPressed(GLFW_KEY_EQUAL) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD)) faster(vs_.replay);
  if (guide_.active && guide_.t) {
    int n = int(guide_.t->steps.size());
    if (ImGui::IsKeyPressed(GLFW_KEY_N, false) || ImGui::IsKeyPressed(GLFW_KEY_PAGE_DOWN, false))
      goToGuideStep(std::min(n - 1, vs_.guideStep + 1));
    if (ImGui::IsKeyPressed(GLFW_KEY_B, false) || ImGui::IsKeyPressed(GLFW_KEY_PAGE_UP, false))
      goToGuideStep(std::max(0, vs_.guideStep - 1));
  }
}

std::string Ui::replayJson() const {
  char buf[256];
  std::snprintf(buf, sizeof buf, "{\"cur\":%d,\"t\":%.3f,\"playing\":%s,\"speed\":\"%s\"}", vs_.replay.cur,
                vs_.replay.t, vs_.replay.playing ? "true" : "false", kSpeeds[vs_.replay.speed].name);
  return buf;
}

}  // namespace gmps::viewer
