// ui_guide.cpp — guided mode (`gmpscope tutorial NN`, `gmpscope view FILE --tutorial
// NN`): the tutorial's steps.json in a panel above the details, one step at a time
// with Back/Next, its text, what to look at, a question and its answer on request.
// Each step's jump — an event, a goroutine or a time, the panel to show and how wide
// a window — is resolved by gmpscope_guide (tutorials/guide) and applied the way a
// click would: selection, play head, zoom, highlighted G, bottom tab.
//
// A step may look at another run of the demo (another trace): its committed trace is
// loaded and the step applied when it arrives. When a step's event is missing from a
// fresh recording (a racy run), the committed trace of that run is loaded instead,
// and the panel says so.
//
// [SECTION] Entering guided mode
// [SECTION] Steps and jumps
// [SECTION] Panel
// [SECTION] Layout dump for tests
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iterator>

#include "ui.h"

namespace gmps::viewer {

namespace {

namespace fs = std::filesystem;

bool sameFile(const std::string& a, const std::string& b) {
  std::error_code ec;
  return !a.empty() && !b.empty() && fs::equivalent(a, b, ec) && !ec;
}

ImVec4 rectOfLastItem() {
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return ImVec4(a.x, a.y, b.x, b.y);
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Entering guided mode

void Ui::startGuide(const std::string& key, bool haveTrace) {
  guide_ = GuideCache{};
  guide_.active = true;
  guide_.key = key;
  settings_.showDetails = true;  // the guide lives in the side panel
  vs_.guideStep = 0;
  vs_.guideAnswerShown = false;
  std::string lookedIn;
  guide_.dir = tutorialsDir(&lookedIn);
  if (guide_.dir.empty()) {
    guide_.error = "The tutorials folder was not found (looked in: " + lookedIn + "). Set " + kTutorialsEnv +
                   " to the tutorials folder of the gmpscope sources.";
    return;
  }
  guide::Loaded<guide::Tutorial> t = findTutorial(guide_.dir, key);
  if (!t.ok()) {
    guide_.error = t.error;
    return;
  }
  guide_.t = std::move(*t.value);
  guide_.loadedRun = "main";
  guide_.pendingStep = 0;
  if (!haveTrace) {
    const guide::Run* run = guide_.t->run("");
    if (run != nullptr) {
      guide_.loadingRun = "main";
      guide_.loadedRun.clear();
      open((fs::path(guide_.dir).parent_path() / run->trace).string());
    }
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Steps and jumps

std::string Ui::runTracePath(const guide::Run& run) const {
  return (fs::path(guide_.dir).parent_path() / run.trace).lexically_normal().string();
}

bool Ui::needsRunTrace(const guide::Step& st) {
  const std::string want = st.jump.run.empty() ? "main" : st.jump.run;
  if (want == guide_.loadingRun) {  // on its way: apply the step when it arrives
    guide_.pendingStep = vs_.guideStep;
    return true;
  }
  if (want == guide_.loadedRun) return false;
  const guide::Run* run = guide_.t->run(st.jump.run);
  if (run == nullptr) {
    guide_.stepError = "this step names a run \"" + want + "\" that the tutorial does not have";
    return true;
  }
  guide_.loadingRun = want;
  guide_.note = want == "main" ? "Back to the tutorial's main run: " + run->trace
                               : "This step looks at another run: " + run->about + " (" + run->trace + ")";
  guide_.noteStep = vs_.guideStep;
  guide_.pendingStep = vs_.guideStep;
  open(runTracePath(*run));
  return true;
}

void Ui::goToGuideStep(int i) {
  if (!guide_.t || guide_.t->steps.empty()) return;
  i = std::clamp(i, 0, int(guide_.t->steps.size()) - 1);
  if (i != vs_.guideStep) vs_.guideAnswerShown = false;
  vs_.guideStep = i;
  guide_.stepError.clear();
  if (guide_.noteStep != i) guide_.note.clear();  // notes are about the step they came with
  const guide::Step& st = guide_.t->steps[size_t(i)];
  if (needsRunTrace(st)) return;
  if (!doc_ || loading()) {
    guide_.pendingStep = i;
    return;
  }
  guide::Resolved r = guide::resolve(st.jump, *doc_->model);
  if (r.ok()) {
    applyResolved(r, st.jump);
    return;
  }
  // A fresh recording may lack the event (a racy run): fall back to the committed trace.
  const guide::Run* run = guide_.t->run(st.jump.run);
  if (run != nullptr && !sameFile(doc_->path, runTracePath(*run))) {
    guide_.note = "This step's event is not in the trace you recorded (" + r.error +
                  "), so the committed trace " + run->trace + " is shown instead.";
    guide_.noteStep = i;
    guide_.loadingRun = st.jump.run.empty() ? "main" : st.jump.run;
    guide_.pendingStep = i;
    open(runTracePath(*run));
    return;
  }
  guide_.stepError = r.error;
}

void Ui::applyPendingGuideStep() {
  if (guide_.pendingStep < 0 || !doc_ || loading()) return;
  int i = guide_.pendingStep;
  guide_.pendingStep = -1;
  goToGuideStep(i);
}

// applyResolved goes where a resolved jump says, as a click there would.
void Ui::applyResolved(const guide::Resolved& r, const guide::Jump& j) {
  if (!doc_ || r.event == kNoEvent) return;
  const model::TraceModel& m = *doc_->model;
  Selection s;
  s.set = ItemSet::Event;
  s.index = r.event;
  s.t0 = s.t1 = double(m.event(r.event).ts);
  const double t = j.kind == guide::Jump::Kind::Time ? double(r.time) : s.t0;
  select(s, r.window <= 0);  // moves the play head onto the event
  if (j.kind == guide::Jump::Kind::Time) seekPlayHeadTime(t);
  if (r.window > 0) zoomToWindow(t, double(r.window));
  if (r.goroutine >= 0) {
    vs_.highlightG = r.goroutine;
    vs_.schedSelectedG = r.goroutine;
    if (j.kind == guide::Jump::Kind::Goroutine) {
      if (vs_.layoutDirty) rebuildLayout();
      ensureLaneVisible(LaneKind::Goroutine, r.goroutine);
    }
  }
  showPanel(r.panel);
}

// zoomToWindow shows a window of width w around t, kept inside the trace: near its
// start or end the window slides in rather than showing time before or after it.
void Ui::zoomToWindow(double t, double w) {
  const model::TraceModel& m = *doc_->model;
  const double lo = double(m.startTime()), hi = double(m.endTime());
  TimeRange r = clampRange({t - w / 2, t + w / 2}, lo, hi);
  zoomToRange(r.t0, r.t1);
  // zoomToRange leaves a margin on either side: slide that inside the trace too.
  TimeRange v = clampRange({vs_.view.startNs, vs_.view.endNs()}, lo, hi);
  if (v.width() >= vs_.view.endNs() - vs_.view.startNs - 1e-6) vs_.view.startNs = v.t0;
}

static_assert(std::size(kPanels) == size_t(guide::Panel::Count), "kPanels names guide::Panel in order");

// showPanel opens the bottom panel on the tab a step names ("stats": Goroutines); the
// timeline alone changes nothing.
void Ui::showPanel(guide::Panel p) {
  const int tab = tabOfPanel(int64_t(p));
  if (tab < 0) return;
  vs_.tabRequest = tab;
  settings_.showStats = true;
}

// ---------------------------------------------------------------------------
// [SECTION] Panel

void Ui::drawGuidePanel(const ImVec2& size) {
  ImGui::PushTextWrapPos(0);
  if (!guide_.t) {
    sectionTitle("Guided tutorial");
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal().error), "Tutorial \"%s\" could not be opened.",
                       guide_.key.c_str());
    ImGui::TextUnformatted(guide_.error.c_str());
    ImGui::PopTextWrapPos();
    return;
  }
  const guide::Tutorial& t = *guide_.t;
  ImGui::PushFont(fonts_.bold);
  ImGui::Text("Tutorial %s · %s", t.id.c_str(), t.title.c_str());
  ImGui::PopFont();
  drawGuideNav();
  ImGui::Separator();
  ImGui::BeginChild("##guidetext", ImVec2(0, 0), false);
  drawGuideStep(t.steps[size_t(std::clamp(vs_.guideStep, 0, int(t.steps.size()) - 1))]);
  ImGui::EndChild();
  ImGui::PopTextWrapPos();
  (void)size;
}

void Ui::drawGuideNav() {
  const int n = int(guide_.t->steps.size());
  ImGui::BeginDisabled(vs_.guideStep <= 0);
  if (ImGui::Button("◀ Back")) goToGuideStep(vs_.guideStep - 1);
  ImGui::EndDisabled();
  guide_.back = rectOfLastItem();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Previous step (B or Page Up)");
  ImGui::SameLine();
  ImGui::Text("Step %d of %d", vs_.guideStep + 1, n);
  ImGui::SameLine();
  ImGui::BeginDisabled(vs_.guideStep + 1 >= n);
  if (ImGui::Button("Next ▶")) goToGuideStep(vs_.guideStep + 1);
  ImGui::EndDisabled();
  guide_.next = rectOfLastItem();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Next step (N or Page Down)");
  ImGui::SameLine();
  if (ImGui::SmallButton("Go there again")) goToGuideStep(vs_.guideStep);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Apply this step's jump again: %s", guide::describe(guide_.t->steps[size_t(vs_.guideStep)].jump).c_str());
}

void Ui::drawGuideStep(const guide::Step& st) {
  const Palette& p = pal();
  const float w = ImGui::GetContentRegionAvail().x;
  ImGui::PushTextWrapPos(0);  // a child window starts without the parent's wrapping
  ImGui::PushFont(fonts_.bold);
  ImGui::TextUnformatted(st.title.c_str());
  ImGui::PopFont();
  if (!guide_.note.empty()) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(p.runqLocal), "%s", guide_.note.c_str());
  if (!guide_.stepError.empty())
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(p.error), "This step's jump failed: %s", guide_.stepError.c_str());
  drawMarkup(st.text, w);
  if (!st.look.empty()) {
    ImGui::Spacing();
    sectionTitle("Look");
    drawMarkup(st.look, w);
  }
  if (!st.question.empty()) {
    ImGui::Spacing();
    sectionTitle("Question");
    drawMarkup(st.question, w);
    if (!vs_.guideAnswerShown) {
      if (ImGui::Button("Show the answer")) vs_.guideAnswerShown = true;
      guide_.reveal = rectOfLastItem();
      guide_.answerScroll = 0;
    } else {
      guide_.reveal = ImVec4();
      const float top = ImGui::GetCursorPosY();
      sectionTitle("Answer");
      drawMarkup(st.answer, w);
      // Just revealed (the button or the `answer` command): scroll the answer into view,
      // its end at the bottom of the pane, or its start at the top if it is taller. The
      // scroll is set on the first two frames: the second one knows the answer's height.
      if (guide_.answerScroll < 2) {
        guide_.answerScroll++;
        const float bottom = ImGui::GetCursorPosY(), h = ImGui::GetWindowHeight();
        const float y = std::clamp(bottom - h, 0.0f, top);
        if (y > ImGui::GetScrollY()) ImGui::SetScrollY(y);
      }
    }
  }
  ImGui::PopTextWrapPos();
}

// drawTutorialsMenu: Help ▸ Tutorials lists them; choosing one opens it in guided mode
// on its committed trace. The list is read the first time the menu opens.
void Ui::drawTutorialsMenu() {
  if (!ImGui::BeginMenu("Tutorials")) return;
  if (!catalog_) {
    std::string lookedIn, dir = tutorialsDir(&lookedIn);
    catalog_ = dir.empty() ? guide::Catalog{{}, {"the tutorials folder was not found (looked in: " + lookedIn + ")"}}
                           : guide::loadCatalog(dir);
  }
  for (const guide::Tutorial& t : catalog_->tutorials) {
    std::string label = t.id + "  " + t.title;
    if (ImGui::MenuItem(label.c_str(), nullptr, guide_.t && guide_.t->id == t.id)) startGuide(t.id, false);
    if (ImGui::IsItemHovered() && !t.summary.empty()) ImGui::SetTooltip("%s", t.summary.c_str());
  }
  for (const std::string& e : catalog_->errors) ImGui::TextDisabled("%s", e.c_str());
  ImGui::EndMenu();
}

// ---------------------------------------------------------------------------
// [SECTION] Layout dump for tests

std::string Ui::guideJson() const {
  auto rect = [](const ImVec4& r) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "[%.1f,%.1f,%.1f,%.1f]", r.x, r.y, r.z, r.w);
    return std::string(buf);
  };
  std::string out = "{\"active\":" + std::string(guide_.active ? "true" : "false");
  out += ",\"tutorial\":" + jsonQuote(guide_.t ? guide_.t->id : "");
  out += ",\"step\":" + std::to_string(vs_.guideStep);
  out += ",\"steps\":" + std::to_string(guide_.t ? guide_.t->steps.size() : 0);
  out += ",\"answerShown\":" + std::string(vs_.guideAnswerShown ? "true" : "false");
  out += ",\"run\":" + jsonQuote(guide_.loadedRun);
  out += ",\"error\":" + jsonQuote(guide_.error) + ",\"note\":" + jsonQuote(guide_.note);
  out += ",\"stepError\":" + jsonQuote(guide_.stepError);
  out += ",\"back\":" + rect(guide_.back) + ",\"next\":" + rect(guide_.next) + ",\"reveal\":" + rect(guide_.reveal);
  return out + "}";
}

}  // namespace gmps::viewer
