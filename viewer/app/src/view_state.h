// view_state.h — everything the viewer's UI remembers from one frame to the next.
//
// No panel keeps real state in static locals: it lives here (per window) or in the
// Document (per trace). Selections name lanes and items by index into the model's
// vectors, never by pointer, so they survive re-layout and stay valid while the
// model lives.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/layout.h"
#include "core/replay.h"
#include "core/timeview.h"
#include "gmpscope/model/types.h"

namespace gmps::viewer {

using model::EventIndex;
using model::kNoEvent;

// Which vector of the model an item index refers to.
enum class ItemSet : uint8_t {
  None,
  ProcRunning,  // procs()[id].running
  ProcHeld,     // procs()[id].held
  ProcMarks,    // procs()[id].marks
  MachineSpans, // machines()[id].spans
  MachineMarks, // machines()[id].marks
  GSpans,       // goroutine(id)->spans
  GMarks,       // goroutine(id)->marks
  SysmonMarks,  // sysmonMarks()
  StartupMarks, // startupMarks()
  Runq,         // procs()[id].runqLen (index = point)
  GlobalRunq,   // globalRunqLen() (index = point)
  Event,        // a bare event (from search results or a jump); index = event
};

// Selection: what the user clicked (or hovers). A folded item selects its range.
struct Selection {
  ItemSet set = ItemSet::None;
  int32_t lane = -1;   // P, M or G id (by set)
  int32_t index = -1;  // into the set's vector
  int32_t count = 1;   // > 1: a folded run of count items starting at index
  double t0 = 0, t1 = 0;  // time covered (for folds and counters)
  bool valid() const { return set != ItemSet::None; }
  bool operator==(const Selection& o) const {
    return set == o.set && lane == o.lane && index == o.index && count == o.count;
  }
};

enum class Drag : uint8_t { None, Pan, Measure, RulerZoom, SplitSide, SplitBottom, Scrub };

struct ViewState {
  // time axis
  TimeView view;
  bool fitPending = true;  // fit the trace once the canvas width is known
  // vertical
  Layout layout;
  bool layoutDirty = true;
  float scrollY = 0;
  float scrollTo = -1;  // >= 0: scroll the lanes there next frame
  // interaction
  Drag drag = Drag::None;
  double dragStartNs = 0;
  float dragStartScroll = 0;
  float dragStartX = 0, dragStartY = 0;
  bool hasMeasure = false;
  double measureA = 0, measureB = 0;
  Selection selection, hover;
  int32_t highlightG = -1;  // draw this G's whole life outlined across lanes
  // search and filter
  char gFilterText[128] = "";
  std::vector<int32_t> gFilter;  // ids parsed from gFilterText
  bool gFilterActive = false;
  bool gFilterBad = false;
  int kindFilter = -1;  // trace::Ev or -1
  std::vector<EventIndex> kindMatches;
  bool matchesDirty = true;
  // windows
  bool showHelp = false, showBrowser = false, showSettings = false, showFind = false;
  bool showAbout = false;
  // messages
  std::string error;                  // a failed load: shown until dismissed
  std::vector<std::string> warnings;  // from the last load
  // stats panel sorting cache
  std::vector<int32_t> statsOrder;  // rows of perG in display order
  bool statsOrderDirty = true;
  int tabRequest = -1;  // select this statistics tab next frame (kStatsTabs index)
  int bottomTab = -1;   // the bottom tab shown in the last frame (kStatsTabs index)
  int benchFrame = -1;  // >= 0 while the benchmark drives the view
  // replay (issue 5): the play head, and the clock the scheduler panel's moves run on
  ReplayState replay;
  double animClock = 0;  // seconds, advanced by each frame's delta time
  // The next move of the play head comes from playing or stepping, so the scheduler
  // panel animates it; seeks (clicks, jumps, commands) show the new state at once.
  bool animateMove = false;
  // scheduler panel: the G whose "why is it waiting" is shown (clicked), and hovered
  int32_t schedSelectedG = -1, schedHoverG = -1;
  // startup walkthrough: the step the user picked (-1: follow the selection)
  int walkSelected = -1;
  // guided tutorial: the step shown, and whether its answer was revealed
  int guideStep = 0;
  bool guideAnswerShown = false;
};

}  // namespace gmps::viewer
