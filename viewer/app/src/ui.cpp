// ui.cpp — the frame: menu, toolbar, the three regions (timeline, side panel,
// statistics) with splitters between them, keyboard shortcuts, loading and errors.
//
// [SECTION] Document
// [SECTION] Ui lifetime and loading
// [SECTION] Frame layout
// [SECTION] Menu and toolbar
// [SECTION] Keyboard
// [SECTION] Navigation (fit, zoom, jump, select)
#include <GLFW/glfw3.h>  // key codes: ImGui 1.86 reads keys through io.KeysDown[GLFW_KEY_*]
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/inspect.h"
#include "core/ruler.h"
#include "ui.h"

namespace gmps::viewer {

// ---------------------------------------------------------------------------
// [SECTION] Document

std::unique_ptr<Document> Document::make(std::string path, std::unique_ptr<model::TraceModel> m) {
  auto d = std::make_unique<Document>();
  d->path = std::move(path);
  d->model = std::move(m);
  const model::TraceModel& tm = *d->model;
  d->runqMax.resize(tm.procs().size());
  d->runnextMax.resize(tm.procs().size());
  for (size_t p = 0; p < tm.procs().size(); p++) {
    const auto& pts = tm.procs()[p].runqLen;
    auto value = [&](size_t k) { return pts[k].value; };
    d->runqMax[p].build(pts.size(), value);
    if (!pts.empty()) d->maxRunq = std::max(d->maxRunq, d->runqMax[p].query(0, pts.size(), value));
    const auto& rn = tm.procs()[p].runnext;
    d->runnextMax[p].build(rn.size(), [&](size_t k) { return rn[k].value; });
    if (tm.procs()[p].id >= 0) d->procIds.push_back(tm.procs()[p].id);
  }
  const auto& gl = tm.globalRunqLen();
  d->globalMax.build(gl.size(), [&](size_t k) { return gl[k].value; });
  if (!gl.empty())
    d->maxGlobal = std::max(1, d->globalMax.query(0, gl.size(), [&](size_t k) { return gl[k].value; }));
  for (const model::MachineLane& ml : tm.machines())
    if (ml.id >= 0) d->machineIds.push_back(ml.id);
  for (const model::GoroutineLane& g : tm.goroutines()) d->gIds.push_back(g.id);
  return d;
}

// ---------------------------------------------------------------------------
// [SECTION] Ui lifetime and loading

Ui::Ui(Settings& settings, bool deterministic) : settings_(settings), deterministic_(deterministic) {
  browser_.dir = settings.browserDir;
}

Ui::~Ui() = default;

void Ui::open(const std::string& path) {
  loadingPath_ = path;
  vs_.error.clear();
  loader_.start(path, 2);
}

void Ui::pollLoader() {
  if (!loader_.ready()) return;
  model::LoadResult r = loader_.take();
  if (!r.ok()) {
    // The old trace, if any, stays on screen: a bad file never costs the user theirs.
    // A load the user cancelled needs no message.
    if (!guide_.loadingRun.empty()) {
      guide_.stepError = "the trace of run \"" + guide_.loadingRun + "\" did not load: " + r.error;
      guide_.loadingRun.clear();
      guide_.pendingStep = -1;
    }
    const std::string_view cancelled = ": cancelled";
    if (r.error.size() >= cancelled.size() &&
        r.error.compare(r.error.size() - cancelled.size(), cancelled.size(), cancelled) == 0)
      return;
    vs_.error = r.error.empty() ? loadingPath_ + ": could not be loaded" : r.error;
    return;
  }
  std::error_code ec;
  std::string abs = std::filesystem::absolute(loadingPath_, ec).string();
  sched_.cursor.reset();  // they replay the old model: gone before it is
  queueTip_.cursor.reset();
  doc_ = Document::make(ec ? loadingPath_ : abs, std::move(r.model));
  vs_.warnings = std::move(r.warnings);
  if (const auto& v = doc_->model->firstViolation(); v && !v->ok)
    vs_.warnings.push_back("check: " + v->message);
  vs_.selection = Selection{};
  vs_.hover = Selection{};
  vs_.highlightG = -1;
  vs_.hasMeasure = false;
  vs_.fitPending = true;
  vs_.layoutDirty = true;
  vs_.matchesDirty = true;
  vs_.statsOrderDirty = true;
  vs_.scrollTo = 0;
  details_ = DetailsCache{};
  queueTip_ = QueueTip{};
  // A new trace: the play head starts on its first event; the teaching panels redo
  // what they derived from the old one.
  vs_.replay.playing = false;
  seekPlayHead(0);
  vs_.schedSelectedG = vs_.schedHoverG = -1;
  sched_ = SchedCache{};
  walk_.model = nullptr;
  if (!guide_.loadingRun.empty()) guide_.loadedRun = guide_.loadingRun;
  guide_.loadingRun.clear();
  if (!deterministic_) addRecent(settings_, doc_->path);
  if (GLFWwindow* w = glfwGetCurrentContext()) {
    std::string title = "gmpscope — " + std::filesystem::path(doc_->path).filename().string();
    glfwSetWindowTitle(w, title.c_str());
  }
}

bool Ui::fontRequest(float& size) {
  if (requestedFont_ <= 0) return false;
  size = requestedFont_;
  requestedFont_ = 0;
  return true;
}

bool Ui::busy() const {
  const ImGuiIO& io = ImGui::GetIO();
  if (loading() || vs_.drag != Drag::None) return true;
  // The replay plays, or the scheduler panel is still moving tokens or showing an arrow.
  if (vs_.replay.playing || sched_.tweens.moving(vs_.animClock) || sched_.arrowEvent != kNoEvent) return true;
  for (int k : {GLFW_KEY_W, GLFW_KEY_A, GLFW_KEY_S, GLFW_KEY_D})
    if (io.KeysDown[k]) return true;
  return false;
}

size_t Ui::eventCount() const { return doc_ ? doc_->model->events().size() : 0; }
size_t Ui::modelBytes() const { return doc_ ? doc_->model->memoryBytes() : 0; }

// ---------------------------------------------------------------------------
// [SECTION] Frame layout

void Ui::frame() {
  pollLoader();
  updateReplay();
  if (vs_.layoutDirty && doc_) rebuildLayout();
  if (vs_.matchesDirty && doc_) updateMatches();

  drawMenuBar();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGuiWindowFlags hostFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                               ImGuiWindowFlags_NoBackground |
                               ImGuiWindowFlags_NoBringToFrontOnFocus |
                               ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollbar;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(6, 6));
  ImGui::Begin("##host", nullptr, hostFlags);
  ImGui::PopStyleVar();
  drawToolbar();
  drawTransport();
  ImVec2 pos = ImGui::GetCursorScreenPos();
  ImVec2 avail = ImGui::GetContentRegionAvail();
  drawBody(pos, avail);
  ImGui::End();

  if (vs_.showBrowser) drawFileBrowser();
  if (vs_.showSettings) drawSettings();
  if (vs_.showHelp) drawHelp();
  if (vs_.showAbout) drawAbout();
  handleKeys();
}

void Ui::splitter(const char* id, bool vertical, float& value, float lo, float hi, ImVec2 pos,
                  ImVec2 size, bool invert) {
  ImGui::SetCursorScreenPos(pos);
  ImGui::InvisibleButton(id, size);
  bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
  if (hovered || active)
    ImGui::SetMouseCursor(vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
  if (active) {
    float d = vertical ? ImGui::GetIO().MouseDelta.x : ImGui::GetIO().MouseDelta.y;
    value = std::clamp(value + (invert ? -d : d), lo, std::max(lo, hi));
  }
  ImU32 col = ImGui::GetColorU32(active    ? ImGuiCol_SeparatorActive
                                 : hovered ? ImGuiCol_SeparatorHovered
                                           : ImGuiCol_Separator);
  ImVec2 a = pos, b = ImVec2(pos.x + size.x, pos.y + size.y);
  if (vertical)
    ImGui::GetWindowDrawList()->AddLine(ImVec2((a.x + b.x) / 2, a.y), ImVec2((a.x + b.x) / 2, b.y),
                                        col, 2);
  else
    ImGui::GetWindowDrawList()->AddLine(ImVec2(a.x, (a.y + b.y) / 2), ImVec2(b.x, (a.y + b.y) / 2),
                                        col, 2);
}

void Ui::drawBody(const ImVec2& pos, const ImVec2& size) {
  const float split = 6;
  bool side = settings_.showDetails && size.x > 500;
  // Until the user drags a splitter (then it is remembered), panels take a share of
  // the window that leaves the timeline most of it.
  float& sideSetting = settings_.sideWidth;
  float& bottomSetting = settings_.bottomHeight;
  // Guided mode wants room for the lesson.
  float sideWant = sideSetting > 0 ? sideSetting
                   : guide_.active ? std::min(560.f, size.x * 0.34f)
                                   : std::min(420.f, size.x * 0.28f);
  float bottomWant = bottomSetting > 0 ? bottomSetting : std::min(260.f, size.y * 0.28f);
  // The scheduler panel asks for the height of its rows (all Ps, the global queue and
  // the threads), up to 45% of the window, until the user sizes the panel.
  if (bottomSetting <= 0 && vs_.bottomTab == kTabScheduler && sched_.wantH > bottomWant)
    bottomWant = std::min(sched_.wantH, size.y * 0.45f);
  // The startup walkthrough's three columns of prose want room too.
  if (bottomSetting <= 0 && vs_.bottomTab == kTabStartup)
    bottomWant = std::max(bottomWant, std::min(size.y * 0.45f, ImGui::GetFontSize() * 24));
  float sideW = side ? std::clamp(sideWant, 200.f, std::max(200.f, size.x * 0.6f)) : 0;
  float leftW = size.x - (side ? sideW + split : 0);
  bool bottom = settings_.showStats && doc_ && size.y > 360;
  float bottomH = bottom ? std::clamp(bottomWant, 100.f, size.y * 0.7f) : 0;
  float timelineH = size.y - (bottom ? bottomH + split : 0);

  ImGui::SetCursorScreenPos(pos);
  ImGui::BeginChild("##timeline", ImVec2(leftW, timelineH), false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImVec2 tlPos = ImGui::GetCursorScreenPos();
  ImVec2 tlSize = ImGui::GetContentRegionAvail();
  if (doc_)
    drawTimeline(tlSize);
  else if (!loading() && vs_.error.empty())
    drawWelcome(tlPos, tlSize);
  drawLoadingAndErrors(tlPos, tlSize);
  ImGui::EndChild();

  if (bottom) {
    float v = bottomH;
    splitter("##split_bottom", false, v, 100, size.y * 0.7f, ImVec2(pos.x, pos.y + timelineH),
             ImVec2(leftW, split), true);
    if (v != bottomH) bottomSetting = v;
    ImGui::SetCursorScreenPos(ImVec2(pos.x, pos.y + timelineH + split));
    ImGui::BeginChild("##stats", ImVec2(leftW, bottomH), true);
    drawStatsPanel(ImGui::GetContentRegionAvail());
    ImGui::EndChild();
  }
  if (side) {
    float v = sideW;
    splitter("##split_side", true, v, 200, std::max(200.f, size.x * 0.6f), ImVec2(pos.x + leftW, pos.y),
             ImVec2(split, size.y), true);
    if (v != sideW) sideSetting = v;
    ImGui::SetCursorScreenPos(ImVec2(pos.x + leftW + split, pos.y));
    ImGui::BeginChild("##side", ImVec2(sideW, size.y), true);
    if (guide_.active) {
      // The lesson on top, the details of what it points at below.
      ImVec2 avail = ImGui::GetContentRegionAvail();
      ImGui::BeginChild("##guide", ImVec2(0, std::round(avail.y * 0.62f)), false);
      drawGuidePanel(ImGui::GetContentRegionAvail());
      ImGui::EndChild();
      ImGui::Separator();
      ImGui::BeginChild("##sidedetails", ImVec2(0, 0), false);
      drawSidePanel(ImGui::GetContentRegionAvail());
      ImGui::EndChild();
    } else {
      drawSidePanel(ImGui::GetContentRegionAvail());
    }
    ImGui::EndChild();
  }
}

void Ui::drawWelcome(const ImVec2& pos, const ImVec2& size) {
  ImGui::SetCursorScreenPos(ImVec2(pos.x + 40, pos.y + 40));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + size.x - 80);
  ImGui::PushFont(fonts_.bold);
  ImGui::TextUnformatted("gmpscope — watch a Go-style scheduler at work");
  ImGui::PopFont();
  ImGui::Spacing();
  ImGui::TextWrapped("Open a trace to see its processors, threads, run queues and goroutines.");
  ImGui::Spacing();
  if (ImGui::Button("Open a trace…  (Ctrl+O)")) vs_.showBrowser = true;
  ImGui::Spacing();
  ImGui::TextDisabled("or drop a .jsonl file on this window, or record one with:");
  ImGui::PushFont(fonts_.mono);
  ImGui::TextUnformatted("    gmpscope run hello --trace hello.jsonl");
  ImGui::PopFont();
  if (!settings_.recent.empty()) {
    ImGui::Spacing();
    ImGui::Spacing();
    ImGui::PushFont(fonts_.bold);
    ImGui::TextUnformatted("Recent traces");
    ImGui::PopFont();
    for (size_t i = 0; i < settings_.recent.size(); i++) {
      ImGui::PushID(int(i));
      if (ImGui::Selectable(settings_.recent[i].c_str(), false, 0,
                            ImVec2(std::min(size.x - 80, 900.f), 0)))
        open(settings_.recent[i]);
      ImGui::PopID();
    }
  }
  ImGui::Spacing();
  ImGui::TextDisabled("Press ? for keys and mouse.");
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
}

void Ui::drawLoadingAndErrors(const ImVec2& pos, const ImVec2& size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (loading()) {
    float w = std::min(560.f, size.x - 40);
    float h = ImGui::GetTextLineHeightWithSpacing() + ImGui::GetFrameHeightWithSpacing() * 2 + 24;
    ImVec2 a(pos.x + (size.x - w) / 2, pos.y + (size.y - h) / 2);
    dl->AddRectFilled(a, ImVec2(a.x + w, a.y + h), ImGui::GetColorU32(ImGuiCol_PopupBg), 6);
    dl->AddRect(a, ImVec2(a.x + w, a.y + h), ImGui::GetColorU32(ImGuiCol_Border), 6);
    ImGui::SetCursorScreenPos(ImVec2(a.x + 16, a.y + 14));
    ImGui::BeginGroup();
    std::string name = std::filesystem::path(loadingPath_).filename().string();
    ImGui::Text("Loading %s", name.c_str());
    char pct[32];
    std::snprintf(pct, sizeof pct, "%.0f %%", 100.0 * loader_.fraction());
    ImGui::ProgressBar(loader_.fraction(), ImVec2(w - 32, 0), pct);
    if (ImGui::Button("Cancel")) loader_.cancel();
    ImGui::EndGroup();
  }
  if (!vs_.error.empty()) {
    float w = std::min(900.f, size.x - 40);
    ImVec2 a(pos.x + (size.x - w) / 2, pos.y + (doc_ ? 60 : 40));
    ImGui::SetCursorScreenPos(ImVec2(a.x, a.y));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.32f, 0.09f, 0.10f, 0.97f));
    ImGui::PushStyleColor(ImGuiCol_Border, ImVec4(1.f, 0.4f, 0.4f, 1.f));
    float textH = ImGui::CalcTextSize(vs_.error.c_str(), nullptr, false, w - 32).y;
    const ImGuiStyle& st = ImGui::GetStyle();
    float boxH = ImGui::GetTextLineHeightWithSpacing() + textH + st.ItemSpacing.y +
                 ImGui::GetFrameHeight() + st.WindowPadding.y * 2 + 2;
    ImGui::BeginChild("##error", ImVec2(w, boxH), true, ImGuiWindowFlags_NoScrollbar);
    ImGui::PushFont(fonts_.bold);
    ImGui::TextColored(ImVec4(1.f, 0.62f, 0.62f, 1.f), "Could not open the trace");
    ImGui::PopFont();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w - 32);
    ImGui::TextUnformatted(vs_.error.c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::Button("Dismiss")) vs_.error.clear();
    ImGui::SameLine();
    if (ImGui::Button("Open another…")) {
      vs_.error.clear();
      vs_.showBrowser = true;
    }
    if (doc_) {
      ImGui::SameLine();
      ImGui::TextDisabled("(still showing %s)",
                         std::filesystem::path(doc_->path).filename().string().c_str());
    }
    ImGui::EndChild();
    ImGui::PopStyleColor(2);
  }
  (void)dl;
}

// ---------------------------------------------------------------------------
// [SECTION] Menu and toolbar

void Ui::drawMenuBar() {
  // The bar's window is all menu bar: its window background would only be painted
  // over (and the frame is cleared to that colour anyway).
  ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(0, 0, 0, 0));
  const bool shown = ImGui::BeginMainMenuBar();
  ImGui::PopStyleColor();
  if (!shown) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open…", "Ctrl+O")) vs_.showBrowser = true;
    if (ImGui::BeginMenu("Open recent", !settings_.recent.empty())) {
      for (size_t i = 0; i < settings_.recent.size(); i++) {
        ImGui::PushID(int(i));
        if (ImGui::MenuItem(settings_.recent[i].c_str())) open(settings_.recent[i]);
        ImGui::PopID();
      }
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem("Reload", "F5", false, doc_ != nullptr)) open(doc_->path);
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q"))
      glfwSetWindowShouldClose(glfwGetCurrentContext(), GLFW_TRUE);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    if (ImGui::MenuItem("Fit whole trace", "F", false, doc_ != nullptr)) fit();
    if (ImGui::MenuItem("Zoom to measured range", "Z", false, vs_.hasMeasure))
      zoomToRange(std::min(vs_.measureA, vs_.measureB), std::max(vs_.measureA, vs_.measureB));
    ImGui::Separator();
    ImGui::MenuItem("Details panel", nullptr, &settings_.showDetails);
    ImGui::MenuItem("Statistics panel", nullptr, &settings_.showStats);
    ImGui::MenuItem("Legend", nullptr, &settings_.showLegend);
    ImGui::MenuItem("Flow arrows", nullptr, &settings_.showFlows);
    ImGui::MenuItem("Find events", nullptr, &vs_.showFind);
    ImGui::Separator();
    if (ImGui::MenuItem("Light theme", nullptr, &settings_.lightTheme))
      applyStyle(settings_.lightTheme);
    if (ImGui::MenuItem("Settings…")) vs_.showSettings = true;
    ImGui::EndMenu();
  }
  drawReplayMenu();
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keys and mouse", "?")) vs_.showHelp = true;
    drawTutorialsMenu();
    if (ImGui::MenuItem("About gmpscope")) vs_.showAbout = true;
    ImGui::EndMenu();
  }
  if (doc_) {
    const auto& h = doc_->model->header();
    std::string name = std::filesystem::path(doc_->path).filename().string();
    char info[512];
    std::snprintf(info, sizeof info, "%s  ·  %s  ·  GOMAXPROCS=%d  ·  %zu events  ·  %s",
                  name.c_str(), h.program.empty() ? "?" : h.program.c_str(), h.gomaxprocs,
                  doc_->model->events().size(),
                  formatDuration(double(doc_->model->endTime() - doc_->model->startTime())).c_str());
    float w = ImGui::CalcTextSize(info).x;
    ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 20, ImGui::GetWindowWidth() - w - 16));
    ImGui::TextDisabled("%s", info);
  }
  ImGui::EndMainMenuBar();
}

void Ui::drawToolbar() {
  bool has = doc_ != nullptr;
  ImGui::BeginDisabled(!has);
  if (ImGui::Button("Fit")) fit();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show the whole trace (F)");
  ImGui::SameLine();
  ImGui::BeginDisabled(!vs_.hasMeasure);
  if (ImGui::Button("Zoom to range"))
    zoomToRange(std::min(vs_.measureA, vs_.measureB), std::max(vs_.measureA, vs_.measureB));
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Right-drag on the lanes (or drag on the ruler) to measure a range, then Z");
  ImGui::SameLine(0, 24);
  ImGui::TextUnformatted("Goroutines");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(190);
  if (vs_.gFilterBad) ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(0.45f, 0.12f, 0.12f, 1));
  bool changed = ImGui::InputTextWithHint("##gfilter", "e.g. 12, 40-50", vs_.gFilterText,
                                          sizeof vs_.gFilterText);
  if (vs_.gFilterBad) ImGui::PopStyleColor();
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Show only these goroutines' lanes and highlight the first one's life");
  if (changed) {
    std::string_view text(vs_.gFilterText);
    bool blank = text.find_first_not_of(" \t,") == std::string_view::npos;
    vs_.gFilterBad = !blank && !parseGoroutineFilter(text, vs_.gFilter);
    vs_.gFilterActive = !blank && !vs_.gFilterBad;
    if (!vs_.gFilterActive) vs_.gFilter.clear();
    vs_.highlightG = vs_.gFilterActive ? vs_.gFilter.front() : -1;
    vs_.layoutDirty = true;
    vs_.matchesDirty = true;
  }
  ImGui::SameLine(0, 16);
  ImGui::TextUnformatted("Event");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(210);
  const char* preview = vs_.kindFilter < 0 ? "(none)" : trace::kEventDefs[vs_.kindFilter].name;
  if (ImGui::BeginCombo("##kind", preview, ImGuiComboFlags_HeightLarge)) {
    if (ImGui::Selectable("(none)", vs_.kindFilter < 0)) {
      vs_.kindFilter = -1;
      vs_.matchesDirty = true;
    }
    for (int k = 0; k < trace::kNumEvents; k++) {
      int64_t n = has ? doc_->model->stats().eventCounts[size_t(k)] : 0;
      char label[96];
      std::snprintf(label, sizeof label, "%s  (%lld)", trace::kEventDefs[k].name, (long long)n);
      if (ImGui::Selectable(label, vs_.kindFilter == k)) {
        vs_.kindFilter = k;
        vs_.matchesDirty = true;
        vs_.showFind = true;
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", trace::kEventDefs[k].summary);
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Mark every event of this kind on the timeline and list them");
  if (vs_.kindFilter >= 0) {
    ImGui::SameLine();
    ImGui::TextDisabled("%zu found", vs_.kindMatches.size());
  }
  ImGui::SameLine(0, 16);
  if (vs_.highlightG >= 0) {
    ImGui::Text("Highlight: G%d", vs_.highlightG);
    ImGui::SameLine();
    if (ImGui::SmallButton("×")) vs_.highlightG = -1;
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  float helpW = ImGui::CalcTextSize("?").x + ImGui::GetStyle().FramePadding.x * 2;
  ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - helpW));
  if (ImGui::Button("?")) vs_.showHelp = true;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Keys and mouse (?)");
}

// ---------------------------------------------------------------------------
// [SECTION] Keyboard

void Ui::handleKeys() {
  ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_O, false)) vs_.showBrowser = true;
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false))
    glfwSetWindowShouldClose(glfwGetCurrentContext(), GLFW_TRUE);
  if (io.WantTextInput) return;
  // '?' arrives as a character (its key differs per keyboard layout).
  for (int i = 0; i < io.InputQueueCharacters.Size; i++)
    if (io.InputQueueCharacters[i] == '?') vs_.showHelp = !vs_.showHelp;
  if (ImGui::IsKeyPressed(GLFW_KEY_F1, false)) vs_.showHelp = !vs_.showHelp;
  if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) {
    if (vs_.showHelp || vs_.showBrowser || vs_.showSettings || vs_.showAbout) {
      vs_.showHelp = vs_.showBrowser = vs_.showSettings = vs_.showAbout = false;
    } else if (vs_.hasMeasure) {
      vs_.hasMeasure = false;
    } else {
      vs_.selection = Selection{};
      vs_.highlightG = -1;
    }
  }
  if (!doc_ || io.KeyCtrl) return;
  handleReplayKeys();
  if (ImGui::IsKeyPressed(GLFW_KEY_F5, false)) open(doc_->path);
  if (ImGui::IsKeyPressed(GLFW_KEY_F, false) || ImGui::IsKeyPressed(GLFW_KEY_HOME, false)) fit();
  if (ImGui::IsKeyPressed(GLFW_KEY_Z, false)) {
    if (vs_.hasMeasure)
      zoomToRange(std::min(vs_.measureA, vs_.measureB), std::max(vs_.measureA, vs_.measureB));
    else if (vs_.selection.valid())
      zoomToRange(itemStart(vs_.selection), itemEnd(vs_.selection));
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_H, false) && vs_.selection.valid()) {
    int32_t g = -1;
    if (vs_.selection.set == ItemSet::GSpans || vs_.selection.set == ItemSet::GMarks)
      g = vs_.selection.lane;
    else if (const auto spans = spansOf(vs_.selection.set, vs_.selection.lane);
             spans && vs_.selection.count == 1 &&
             (vs_.selection.set == ItemSet::ProcRunning ||
              (vs_.selection.set == ItemSet::MachineSpans &&
               (*spans)[size_t(vs_.selection.index)].kind != model::SpanKind::MParked)))
      g = (*spans)[size_t(vs_.selection.index)].other;
    vs_.highlightG = vs_.highlightG == g ? -1 : g;
  }
  // [ and ]: previous / next event of the selected goroutine.
  if ((ImGui::IsKeyPressed(GLFW_KEY_LEFT_BRACKET) || ImGui::IsKeyPressed(GLFW_KEY_RIGHT_BRACKET)) &&
      details_.g >= 0 && !details_.gEvents.empty()) {
    EventIndex at = vs_.selection.set == ItemSet::Event ? vs_.selection.index : kNoEvent;
    if (at == kNoEvent) {
      if (const auto spans = spansOf(vs_.selection.set, vs_.selection.lane))
        at = (*spans)[size_t(vs_.selection.index)].begin;
      else if (const auto marks = marksOf(vs_.selection.set, vs_.selection.lane))
        at = (*marks)[size_t(vs_.selection.index)];
    }
    auto [prev, next] = neighbours(details_.gEvents, at);
    EventIndex to = ImGui::IsKeyPressed(GLFW_KEY_LEFT_BRACKET) ? prev : next;
    if (to != kNoEvent) jumpToEvent(to);
  }
  // W/S zoom and A/D pan while held, as in Chrome's tracing and Perfetto.
  float dt = std::min(io.DeltaTime, 0.1f);
  float w = vs_.view.widthPx;
  float mx = io.MousePos.x - canvas_.timeX0();
  if (mx < 0 || mx > w) mx = w / 2;
  double maxZoom = maxNsPerPxFor(double(doc_->model->endTime() - doc_->model->startTime()), w);
  if (io.KeysDown[GLFW_KEY_W]) vs_.view.zoomAt(mx, std::pow(0.04, dt), maxZoom);
  if (io.KeysDown[GLFW_KEY_S]) vs_.view.zoomAt(mx, std::pow(25.0, dt), maxZoom);
  if (io.KeysDown[GLFW_KEY_A]) vs_.view.pan(-w * 1.2 * dt);
  if (io.KeysDown[GLFW_KEY_D]) vs_.view.pan(w * 1.2 * dt);
}

// ---------------------------------------------------------------------------
// [SECTION] Navigation (fit, zoom, jump, select)

void Ui::fit() {
  if (!doc_) return;
  vs_.view.fit(double(doc_->model->startTime()), double(doc_->model->endTime()));
  vs_.fitPending = false;
}

void Ui::zoomToRange(double t0, double t1) {
  if (t1 - t0 < 1) {
    double mid = (t0 + t1) / 2;
    t0 = mid - 50, t1 = mid + 50;
  }
  vs_.view.fit(t0, t1, std::max(12.0, 0.04 * vs_.view.widthPx));
}

void Ui::jumpToTime(double t0, double t1) {
  // Keep the zoom when the target fits; otherwise zoom out just enough.
  double span = std::max(1.0, t1 - t0);
  if (span > vs_.view.nsPerPx * vs_.view.widthPx * 0.8) {
    zoomToRange(t0, t1);
    return;
  }
  // Already well on screen: leave the view where the user put it.
  double margin = vs_.view.nsPerPx * vs_.view.widthPx * 0.05;
  if (t0 >= vs_.view.startNs + margin && t1 <= vs_.view.endNs() - margin) return;
  double mid = (t0 + t1) / 2;
  vs_.view.startNs = mid - 0.5 * vs_.view.nsPerPx * vs_.view.widthPx;
  // Centred near an end of the trace, the view would show empty time: keep it inside.
  if (!doc_) return;
  double pad = 12 * vs_.view.nsPerPx, w = vs_.view.nsPerPx * vs_.view.widthPx;
  double lo = double(doc_->model->startTime()) - pad, hi = double(doc_->model->endTime()) + pad - w;
  vs_.view.startNs = hi < lo ? lo : std::clamp(vs_.view.startNs, lo, hi);
}

void Ui::ensureLaneVisible(LaneKind kind, int32_t id) {
  const Row* r = vs_.layout.find(kind, id);
  if (r == nullptr) return;
  float visH = canvas_.max.y - canvas_.min.y;
  if (r->y < vs_.scrollY || r->y + r->h > vs_.scrollY + visH)
    vs_.scrollTo = std::max(0.f, r->y - visH * 0.3f);
}

void Ui::select(const Selection& s, bool jump) {
  setSelection(s);
  if (!jump || !s.valid()) return;
  jumpToTime(itemStart(s), itemEnd(s));
  switch (s.set) {
    case ItemSet::ProcRunning:
    case ItemSet::ProcHeld:
    case ItemSet::ProcMarks: ensureLaneVisible(LaneKind::Proc, s.lane); break;
    case ItemSet::MachineSpans:
    case ItemSet::MachineMarks: ensureLaneVisible(LaneKind::Machine, s.lane); break;
    case ItemSet::GSpans:
    case ItemSet::GMarks: ensureLaneVisible(LaneKind::Goroutine, s.lane); break;
    case ItemSet::Runq: ensureLaneVisible(LaneKind::Runq, s.lane); break;
    case ItemSet::Event: {
      const model::Event& e = doc_->model->event(s.index);
      if (e.p >= 0)
        ensureLaneVisible(LaneKind::Proc, e.p);
      else if (e.m >= 0)
        ensureLaneVisible(LaneKind::Machine, e.m);
      break;
    }
    default: break;
  }
}

void Ui::jumpToEvent(EventIndex e) {
  if (!doc_ || e < 0 || size_t(e) >= doc_->model->events().size()) return;
  Selection s;
  s.set = ItemSet::Event;
  s.index = e;
  s.t0 = s.t1 = double(doc_->model->event(e).ts);
  select(s, true);
}

void Ui::rebuildLayout() {
  const model::TraceModel& m = *doc_->model;
  LayoutInput in;
  in.startup = !m.startupMarks().empty();
  in.procs = doc_->procIds;
  in.machines = doc_->machineIds;
  in.sysmon = !m.sysmonMarks().empty();
  if (vs_.gFilterActive) {
    for (int32_t g : vs_.gFilter)
      if (m.goroutine(g) != nullptr) in.goroutines.push_back(g);
  } else {
    in.goroutines = doc_->gIds;
  }
  for (int g = 0; g < int(Group::Count); g++)
    in.collapsed[g] = isCollapsed(settings_, groupName(Group(g)));
  float lh = ImGui::GetFontSize();
  in.headerH = std::round(lh * 1.45f);
  in.procH = std::round(lh * 1.6f);
  in.runqH = std::round(lh * 1.3f);
  in.machineH = std::round(lh * 1.2f);
  in.sysmonH = std::round(lh * 1.3f);
  in.gH = std::round(lh * 1.1f);
  in.startupH = std::round(lh * 1.35f);
  vs_.layout = Layout::build(in);
  vs_.layoutDirty = false;
}

void Ui::updateMatches() {
  vs_.matchesDirty = false;
  vs_.kindMatches.clear();
  if (vs_.kindFilter < 0) return;
  vs_.kindMatches = findEvents(*doc_->model, vs_.kindFilter,
                               vs_.gFilterActive ? vs_.gFilter : std::vector<int32_t>{}, 200000);
}

}  // namespace gmps::viewer

namespace gmps::viewer {

void Ui::applyCommands() {
  const model::TraceModel& m = *doc_->model;
  std::vector<ViewCommand> cmds = std::move(pending_);
  pending_.clear();
  auto setFilter = [&](const std::string& text) {
    std::snprintf(vs_.gFilterText, sizeof vs_.gFilterText, "%s", text.c_str());
    vs_.gFilterActive = parseGoroutineFilter(text, vs_.gFilter);
    vs_.gFilterBad = false;
    vs_.matchesDirty = true;
    rebuildLayout();
  };
  for (const ViewCommand& c : cmds) {
    switch (c.kind) {
      case ViewCommand::Kind::Zoom: vs_.view.fit(c.t0, c.t1, 8); break;
      case ViewCommand::Kind::Measure:
        vs_.hasMeasure = true;
        vs_.measureA = c.t0, vs_.measureB = c.t1;
        break;
      case ViewCommand::Kind::Event: jumpToEvent(EventIndex(c.n)); break;
      case ViewCommand::Kind::Line: {
        size_t i = partitionIndex(0, m.events().size(),
                                  [&](size_t k) { return m.lineOf(EventIndex(k)) < c.n; });
        if (i < m.events().size() && m.lineOf(EventIndex(i)) == c.n) jumpToEvent(EventIndex(i));
        break;
      }
      case ViewCommand::Kind::Goroutine:
        vs_.highlightG = int32_t(c.n);
        if (vs_.gFilterActive && !std::binary_search(vs_.gFilter.begin(), vs_.gFilter.end(), int32_t(c.n)))
          setFilter("");
        if (vs_.layoutDirty) rebuildLayout();
        ensureLaneVisible(LaneKind::Goroutine, int32_t(c.n));
        break;
      case ViewCommand::Kind::Filter: setFilter(c.text); break;
      case ViewCommand::Kind::EventKind:
        vs_.kindFilter = int(c.n);
        vs_.matchesDirty = true;
        break;
      case ViewCommand::Kind::Tab: vs_.tabRequest = int(c.n); break;
      case ViewCommand::Kind::Theme:
        settings_.lightTheme = c.n == 1;
        applyStyle(settings_.lightTheme);
        break;
      case ViewCommand::Kind::Collapse:
      case ViewCommand::Kind::Expand:
        setCollapsed(settings_, groupName(Group(c.n)), c.kind == ViewCommand::Kind::Collapse);
        rebuildLayout();
        break;
      default: applyTeachingCommand(c); break;
    }
  }
  if (vs_.matchesDirty) updateMatches();
}

// applyTeachingCommand: the replay's and the teaching panels' commands (issue 5).
void Ui::applyTeachingCommand(const ViewCommand& c) {
  switch (c.kind) {
    case ViewCommand::Kind::Time:
      vs_.replay.playing = false;
      seekPlayHeadTime(c.t0);
      selectPlayHeadEvent();
      if (vs_.view.xOf(c.t0) < 0 || vs_.view.xOf(c.t0) > vs_.view.widthPx) jumpToTime(c.t0, c.t0);
      break;
    case ViewCommand::Kind::Speed: vs_.replay.speed = int(c.n); break;
    case ViewCommand::Kind::Play:
      if (!vs_.replay.playing) togglePlay(vs_.replay, doc_->model->events());
      break;
    case ViewCommand::Kind::Panel: showPanel(guide::Panel(c.n)); break;
    case ViewCommand::Kind::Why:
      vs_.schedSelectedG = int32_t(c.n);
      vs_.highlightG = int32_t(c.n);
      vs_.tabRequest = kTabScheduler;
      break;
    case ViewCommand::Kind::Walk: {
      ensureWalkthrough();
      vs_.tabRequest = kTabStartup;
      settings_.showStats = true;
      int i = walkStepById(c.text);
      if (i >= 0) goToWalkStep(i);
      break;
    }
    case ViewCommand::Kind::Tutorial: startGuide(c.text, true); break;
    case ViewCommand::Kind::Step:
      guide_.pendingStep = int(c.n) - 1;
      vs_.guideStep = int(c.n) - 1;
      vs_.guideAnswerShown = false;
      applyPendingGuideStep();
      break;
    case ViewCommand::Kind::Answer: vs_.guideAnswerShown = true; break;
    default: break;
  }
}

}  // namespace gmps::viewer
