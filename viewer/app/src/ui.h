// ui.h — the viewer's user interface: one Ui per window, drawn once per frame.
//
// Like Tracy's View, the Ui is one class whose methods live in one file per view or
// panel:
//   ui.cpp              frame layout, menu, toolbar, keyboard, loading and errors
//   ui_timeline.cpp     ruler, lanes area, mouse interaction (plan, then paint)
//   ui_lanes.cpp        phase one (what is visible per lane) and phase two (paint),
//                       flows, tooltips
//   ui_details.cpp      the details panel for the selection, legend, trace summary
//   ui_stats.cpp        statistics: per-G table, per-P utilisation, latency histogram
//   ui_filebrowser.cpp  the in-app file browser and recent files
//   ui_help.cpp         the help overlay (keys and mouse) and About
//   ui_settings.cpp     the settings window (font size, theme, panels)
//   ui_replay.cpp       the play head: replay bar, play/step/scrub, its line on the
//                       timeline, replay keys
//   ui_scheduler.cpp    the scheduler panel: Ps, run queues, Ms and sysmon at the play
//                       head, animated moves, "why is this G waiting?"
//   ui_startup.cpp      the startup walkthrough (tutorials/startup_walkthrough.json)
//   ui_guide.cpp        guided mode: a tutorial's steps.json, Next/Back, jumps
//   ui_text.cpp         the tutorials' text markup, wrapped and drawn
// They read Document and ViewState and set ViewState::selection / view / replay like
// the others do.
#pragma once

#include <imgui.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/commands.h"
#include "core/lod.h"
#include "core/markup.h"
#include "core/sched_layout.h"
#include "core/settings.h"
#include "core/tween.h"
#include "core/walkthrough.h"
#include "core/why.h"
#include "gmpscope/model/cursor.h"
#include "gmpscope/model/trace_model.h"
#include "theme.h"
#include "view_state.h"

namespace gmps::viewer {

// Document is a loaded trace plus what the viewer derives from it once.
struct Document {
  std::string path;
  std::unique_ptr<model::TraceModel> model;
  std::vector<BlockMax> runqMax;     // per P, over procs()[p].runqLen
  std::vector<BlockMax> runnextMax;  // per P, over procs()[p].runnext
  BlockMax globalMax;
  int32_t maxRunq = 1, maxGlobal = 1;  // scale of the queue lanes
  std::vector<int32_t> procIds, machineIds, gIds;

  static std::unique_ptr<Document> make(std::string path, std::unique_ptr<model::TraceModel> m);
};

// One lane's share of a frame's plan (phase one), as ranges into FramePlan vectors.
struct PlannedRow {
  const Row* row;
  float y0, y1;  // screen
  uint32_t items0 = 0, items1 = 0;   // FramePlan::items: main spans
  uint32_t under0 = 0, under1 = 0;   // FramePlan::items: P held spans (under the running)
  uint32_t marks0 = 0, marks1 = 0;   // FramePlan::marks
  uint32_t smarks0 = 0, smarks1 = 0; // FramePlan::marks: sysmon's, on the M that runs it
  uint32_t cols0 = 0, cols1 = 0;     // FramePlan::cols: counter columns
  uint32_t cols20 = 0, cols21 = 0;   // FramePlan::cols: runnext
};

struct FramePlan {
  std::vector<PlannedRow> rows;
  std::vector<model::VisibleItem> items;
  std::vector<model::VisibleMark> marks;
  std::vector<StepColumn> cols;
  std::vector<int32_t> flows;  // indices into model.flows()
  bool flowsTooDense = false;  // none drawn: zoom in
  bool flowsFiltered = false;  // only the rare kinds and the selected/highlighted G's
  const Row* sticky = nullptr;  // a group header pinned at the top (its own has scrolled away)
  float stickyBottom = 0;
  // scratch reused by the planner
  std::vector<model::VisibleItem> tmpItems;
  std::vector<model::VisibleMark> tmpMarks;
  void clear() {
    rows.clear();
    items.clear();
    marks.clear();
    cols.clear();
    flows.clear();
    flowsTooDense = false;
    flowsFiltered = false;
    sticky = nullptr;
  }
};

// Canvas: where the lanes are on screen this frame.
struct Canvas {
  ImVec2 min, max;  // lanes area (screen), below the ruler
  float labelW;     // gutter with lane names; time starts at min.x + labelW
  float timeX0() const { return min.x + labelW; }
};

// clampX keeps far-off coordinates from overflowing float precision in the draw list.
inline float clampX(double x, const Canvas& c) {
  return float(std::clamp(x, double(c.timeX0()) - 8, double(c.max.x) + 8));
}

// jsonQuote renders s as a JSON string literal (for layoutJson).
std::string jsonQuote(std::string_view s);

class Ui {
 public:
  Ui(Settings& settings, bool deterministic);
  ~Ui();

  // frame builds one ImGui frame (between ImGui::NewFrame and ImGui::Render).
  void frame();
  // open starts loading path in the background; the current trace stays until it loads.
  void open(const std::string& path);
  // showFileBrowser opens the in-window file browser (`gmpscope view` with no file).
  void showFileBrowser() { vs_.showBrowser = true; }
  bool loading() const { return loader_.busy() || loader_.ready(); }
  bool hasDocument() const { return doc_ != nullptr; }
  const std::string& loadError() const { return vs_.error; }
  // queueCommands: apply these once a trace is loaded and laid out (see core/commands.h).
  void queueCommands(std::vector<ViewCommand> cmds) { pending_ = std::move(cmds); }
  // fontRequest: the font size the user chose, when the atlas must be rebuilt.
  bool fontRequest(float& size);
  void setFonts(const Fonts& f) { fonts_ = f; }
  // busy: something animates (loading, keys held), so keep rendering frames.
  bool busy() const;
  // The benchmark drives the view: t in [0, 1] sweeps fit -> 1 ns/px -> fit.
  void benchView(double t);
  size_t eventCount() const;
  size_t modelBytes() const;
  // writeLayout dumps where lanes and the time axis were in the last frame (JSON),
  // for screenshot tests to find what the model says is at each pixel.
  std::string layoutJson() const;
  // startGuide enters guided mode for tutorial key ("03"); with no trace given, the
  // tutorial's committed trace is opened (ui_guide.cpp).
  void startGuide(const std::string& key, bool haveTrace);

 private:
  // ui.cpp
  void drawMenuBar();
  void drawToolbar();
  void drawBody(const ImVec2& pos, const ImVec2& size);
  void drawLoadingAndErrors(const ImVec2& pos, const ImVec2& size);
  void drawWelcome(const ImVec2& pos, const ImVec2& size);
  void handleKeys();
  void pollLoader();
  void fit();
  void zoomToRange(double t0, double t1);
  void select(const Selection& s, bool jump);
  void jumpToEvent(EventIndex e);
  void jumpToTime(double t0, double t1);
  void ensureLaneVisible(LaneKind kind, int32_t id);
  void rebuildLayout();
  void updateMatches();
  void applyCommands();
  void applyTeachingCommand(const ViewCommand& c);
  void splitter(const char* id, bool vertical, float& value, float lo, float hi, ImVec2 pos,
                ImVec2 size, bool invert);

  // ui_timeline.cpp
  void drawTimeline(const ImVec2& size);
  void drawRuler(ImDrawList* dl, ImVec2 min, ImVec2 max, float timeX0);
  void drawLanes(const ImVec2& size);
  void handleCanvasInput(const Canvas& c);
  void drawMeasure(ImDrawList* dl, const Canvas& c);

  // ui_lanes.cpp
  void planFrame(const Canvas& c);
  void planRow(const Row& row, float y0, float y1);
  void paintRows(ImDrawList* dl, const Canvas& c);
  void paintRow(ImDrawList* dl, const Canvas& c, const PlannedRow& pr);
  void paintBand(ImDrawList* dl, const Canvas& c, const PlannedRow& pr);
  std::pair<float, float> spanFillX(const model::VisibleItem& it, const Canvas& c) const;
  void paintSpans(ImDrawList* dl, const Canvas& c, const PlannedRow& pr, ItemSet set,
                  uint32_t i0, uint32_t i1, float y0, float y1);
  void paintMarks(ImDrawList* dl, const Canvas& c, const PlannedRow& pr, ItemSet set, uint32_t m0,
                  uint32_t m1);
  void paintCounter(ImDrawList* dl, const Canvas& c, const PlannedRow& pr);
  void paintFlows(ImDrawList* dl, const Canvas& c);
  void paintLabels(ImDrawList* dl, const Canvas& c);
  std::vector<PlannedRow> labelRows(const Canvas& c);
  void paintGroupHeader(ImDrawList* dl, const Canvas& c, const PlannedRow& pr);
  void paintLaneLabel(ImDrawList* dl, const Canvas& c, const PlannedRow& pr);
  void paintSearchMarks(ImDrawList* dl, const Canvas& c);
  const Row* flowAnchor(EventIndex e, float& x, const Canvas& c) const;
  Selection hitTest(const Canvas& c, ImVec2 mouse) const;
  void tooltipFor(const Selection& s);
  // The spans or marks of one lane, or nothing (an unknown lane).
  std::optional<std::span<const model::Span>> spansOf(ItemSet set, int32_t lane) const;
  std::optional<std::span<const EventIndex>> marksOf(ItemSet set, int32_t lane) const;
  double timeOf(EventIndex e) const;
  double itemStart(const Selection& s) const;
  double itemEnd(const Selection& s) const;

  // ui_details.cpp
  void drawSidePanel(const ImVec2& size);
  void drawDetails();
  void drawSelectionDetails(const Selection& s);
  void drawEventFields(EventIndex e);
  void drawGoroutineLinks(int32_t g, EventIndex around);
  void drawFlowLinks(EventIndex e);
  void drawTraceSummary();
  void drawLegend();
  bool eventLink(EventIndex e, const char* prefix);
  bool goroutineLink(int32_t g);

  // ui_stats.cpp
  void drawStatsPanel(const ImVec2& size);
  void drawGoroutineTable();
  void drawProcTable();
  void drawLatencyHistogram();
  void drawCounts();
  void drawFindResults();

  // ui_filebrowser.cpp
  struct Browser;
  void drawFileBrowser();
  static void listDirectory(Browser& b);
  void drawBrowserPathBar(Browser& b, std::string& openPath);
  void drawBrowserList(Browser& b, ImVec2 size, std::string& openPath);
  void drawBrowserRecent(ImVec2 size, std::string& openPath);
  // ui_help.cpp
  void drawHelp();
  void drawAbout();
  // ui_settings.cpp
  void drawSettings();

  // ui_replay.cpp
  void updateReplay();
  void drawTransport();
  void drawReplayMenu();
  void drawTransportButtons();
  void drawScrubBar(float width);
  void drawPlayHead(ImDrawList* dl, const Canvas& c);
  const Row* selectionRow(const Canvas& c) const;
  void drawPlayHeadOnRuler(ImDrawList* dl, ImVec2 min, ImVec2 max, float timeX0);
  bool nearPlayHead(float mouseX, float timeX0) const;
  void handleReplayKeys();
  void seekPlayHead(EventIndex e);
  void seekPlayHeadTime(double t);
  void followPlayHead();
  void selectPlayHeadEvent();
  EventIndex definingEvent(const Selection& s) const;
  // setSelection: what a click does; the play head moves to the selection's event.
  void setSelection(const Selection& s);
  std::string replayJson() const;

  // ui_scheduler.cpp
  void drawSchedulerPanel(const ImVec2& size);
  void refreshSchedState();
  SchedMetrics schedMetrics(float width) const;
  void drawSchedCaption();
  void drawSchedRows(const ImVec2& size);
  void findSysmonSleep();
  void measureChips();
  EventIndex lastMultiMove(EventIndex from, EventIndex to) const;
  void drawSchedFrames(ImDrawList* dl, ImVec2 o);
  void drawProcRow(ImDrawList* dl, ImVec2 o, const ProcRow& r);
  void drawGlobalRow(ImDrawList* dl, ImVec2 o);
  void drawMoreChip(ImDrawList* dl, ImVec2 o, const QueueRow& q);
  void drawThreadsHeader(ImDrawList* dl, ImVec2 o);
  void drawSchedTokens(ImDrawList* dl, ImVec2 o);
  void drawMachineChips(ImDrawList* dl, ImVec2 o);
  void drawMoveArrow(ImDrawList* dl, ImVec2 o);
  void handleSchedInput(ImVec2 o);
  void drawWhyColumn();
  std::string machineLabel(const model::MachineState& ms) const;
  std::string schedulerJson() const;

  // ui_startup.cpp
  void drawStartupPanel(const ImVec2& size);
  void ensureWalkthrough();
  void drawWalkList(const std::vector<int>& lit, int shown);
  void drawWalkStep(int i);
  void goToWalkStep(int i);
  int walkStepById(const std::string& idOrNumber) const;
  std::vector<int> litWalkSteps() const;
  std::string startupJson() const;

  // ui_guide.cpp
  void drawGuidePanel(const ImVec2& size);
  void drawTutorialsMenu();
  void drawGuideNav();
  void drawGuideStep(const guide::Step& st);
  void goToGuideStep(int i);
  void applyPendingGuideStep();
  bool needsRunTrace(const guide::Step& st);
  std::string runTracePath(const guide::Run& run) const;
  void applyResolved(const guide::Resolved& r, const guide::Jump& j);
  void showPanel(guide::Panel p);
  void zoomToWindow(double t, double w);  // a step's window around t, inside the trace
  std::string guideJson() const;

  // ui_text.cpp
  void drawMarkup(std::string_view text, float wrapWidth);
  void sectionTitle(const char* text);

  const Palette& pal() const { return palette(settings_.lightTheme); }
  // gText: a G's colour for text on the panel background (darkened on the light theme,
  // where the pastel lane colours would not read).
  ImVec4 gText(int32_t g) const {
    Rgba c = gColor(g);
    if (settings_.lightTheme) c = scale(c, 0.55f);
    return ImGui::ColorConvertU32ToFloat4(c);
  }

  Settings& settings_;
  bool deterministic_;  // screenshots and benchmarks: no settings, fixed layout
  Fonts fonts_;
  float requestedFont_ = 0;
  ViewState vs_;
  std::unique_ptr<Document> doc_;
  model::AsyncLoader loader_;
  std::string loadingPath_;
  FramePlan plan_;
  std::vector<ViewCommand> pending_;  // view commands waiting for a loaded trace
  Canvas canvas_{};
  float rulerH_ = 0;
  // The file browser's own state.
  struct Browser {
    std::string dir;
    char pathBuf[1024] = "";
    bool showAll = false;
    std::string error;
    struct Entry {
      std::string name;
      bool dir;
      uintmax_t size;
    };
    std::vector<Entry> entries;
    bool dirty = true;
    int selected = -1;
  } browser_;
  // Cached answers for the details panel (recomputed when the selection changes).
  struct DetailsCache {
    Selection for_;
    int32_t g = -1;
    std::vector<EventIndex> gEvents;
  } details_;
  // A per-G hover cache for the queue tooltip: replaying the scheduler is a few ms,
  // so do it only when the event under the mouse changes.
  struct QueueTip {
    EventIndex next = -2;
    model::SchedState state;
    std::unique_ptr<model::StateCursor> cursor;  // of doc_->model
  } queueTip_;
  // The scheduler panel's state at the play head (recomputed when the play head
  // moves), its layout, the tokens' tweens and the "why" answer.
  struct SchedCache {
    const model::TraceModel* model = nullptr;
    EventIndex cur = -2;  // state is after events [0, cur]
    std::unique_ptr<model::StateCursor> cursor;  // of model: goes on from the last state
    model::SchedState state;
    SchedLayout layout;
    TokenTweens tweens;
    std::vector<DrawnToken> drawn;
    bool retargetPending = false;  // the state changed: move the tokens
    double retargetSeconds = 0;    // over this long (0: at once)
    EventIndex arrowEvent = kNoEvent;  // a multi-G move being shown as an arrow
    double arrowStart = -1;
    std::vector<std::string> chipText;
    std::vector<float> chipW;
    std::vector<int32_t> taken;  // per P: the G its thread has just picked, or -1
    int32_t counts[int(model::GStatus::Count)] = {};
    double sysmonSlept = -1, sysmonWakes = -1;  // the sleep sysmon is in, when it ends
    ImVec2 origin{0, 0};  // screen position of the layout's (0, 0) in the last frame
    float wantH = 0;      // the bottom panel's height that shows every row
    int32_t whyG = -1;
    EventIndex whyCur = -2;
    GExplanation why;
  } sched_;
  // The startup walkthrough: loaded once, resolved per trace.
  struct WalkCache {
    bool tried = false;
    std::string dir, error, lookedIn;
    std::optional<guide::Walkthrough> w;
    const model::TraceModel* model = nullptr;
    WalkIndex ix;
    std::vector<std::pair<ImVec2, ImVec2>> rows;  // list rows on screen, last frame
    int scrolledTo = -1;  // the list was scrolled to show this step
  } walk_;
  // Help ▸ Tutorials: every tutorial found (read when the menu first opens).
  std::optional<guide::Catalog> catalog_;
  // Guided mode: the tutorial, which of its runs is loaded, notes for the learner.
  struct GuideCache {
    bool active = false;
    std::string key, dir, error;
    std::optional<guide::Tutorial> t;
    std::string loadedRun;    // "main", or a run's name ("" while none is loaded)
    std::string loadingRun;   // the run whose trace is loading
    std::string note;         // e.g. "showing the committed trace instead"
    int noteStep = -1;        // the step the note is about
    std::string stepError;    // the step's jump did not resolve
    int pendingStep = -1;     // apply once the trace it needs is loaded and laid out
    ImVec4 back{}, next{}, reveal{};  // buttons on screen (x0, y0, x1, y1), last frame
    int answerScroll = 0;     // frames the revealed answer has been scrolled into view
  } guide_;
};

}  // namespace gmps::viewer
