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
// A later replay/scheduler panel and the guided tutorial panel (issue 5) are more
// files of the same kind: they read Document and ViewState and set
// ViewState::selection / view like the others do.
#pragma once

#include <imgui.h>

#include <memory>
#include <string>
#include <vector>

#include "core/commands.h"
#include "core/lod.h"
#include "core/settings.h"
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
  void paintSpans(ImDrawList* dl, const Canvas& c, const PlannedRow& pr, ItemSet set,
                  uint32_t i0, uint32_t i1, float y0, float y1);
  void paintMarks(ImDrawList* dl, const Canvas& c, const PlannedRow& pr, ItemSet set, uint32_t m0,
                  uint32_t m1);
  void paintCounter(ImDrawList* dl, const Canvas& c, const PlannedRow& pr);
  void paintFlows(ImDrawList* dl, const Canvas& c);
  void paintLabels(ImDrawList* dl, const Canvas& c);
  void paintSearchMarks(ImDrawList* dl, const Canvas& c);
  const Row* flowAnchor(EventIndex e, float& x, const Canvas& c) const;
  Selection hitTest(const Canvas& c, ImVec2 mouse) const;
  void tooltipFor(const Selection& s);
  const std::vector<model::Span>* spansOf(ItemSet set, int32_t lane) const;
  const std::vector<EventIndex>* marksOf(ItemSet set, int32_t lane) const;
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
  void drawFileBrowser();
  // ui_help.cpp
  void drawHelp();
  void drawAbout();
  // ui_settings.cpp
  void drawSettings();

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
  } queueTip_;
};

}  // namespace gmps::viewer
