// commands.h — view commands: a small text language that moves the viewer the way a
// user would (zoom to a range, select an event, highlight a goroutine, open a tab).
//
// Screenshot tests use it to render the details panel of a chosen event; the guided
// tutorials (issue 5) will use it for each step's "where to jump". Commands are
// separated by ';', each `key=value`:
//   zoom=T0:T1      show [T0, T1]; times in ns or with a unit (250us, 1.5ms, 2s)
//   measure=T0:T1   mark that range with the measuring tool
//   event=N         select event N (0-based index in the trace) and jump to it
//   line=N          the same by file line (the header is line 1)
//   g=N             highlight goroutine N and scroll its lane into view
//   filter=IDS      show only these goroutine lanes ("3, 10-12")
//   kind=NAME       mark every event of this kind (a name from the event table)
//   tab=NAME        bottom tab: scheduler, startup, goroutines, processors, latency,
//                   events, find
//   collapse=GROUP / expand=GROUP   fold a lane group (startup, procs, runqs, threads,
//                   sysmon, goroutines)
//   theme=light|dark  colour scheme (light suits printed tutorials)
// Replay and the teaching panels (issue 5):
//   time=T          put the play head at time T (event=N / line=N put it on that event)
//   play            start the replay (with --screenshot, `--input "wait N"` lets N frames of
//                   1/60 s play)
//   speed=NAME      replay speed: realtime, 100ms/s ... 1us/s, 100ev/s, 20ev/s, 5ev/s,
//                   2ev/s, 1ev/s (the names of the speed menu also work)
//   panel=NAME      show a panel as a guided step does: timeline, scheduler, startup, stats
//                   (= goroutines), goroutines, processors, latency, events
//   why=N           in the scheduler panel, explain G N ("why is this G waiting?")
//   walk=ID         startup walkthrough: go to the step with this id (rt0_go, schedinit,
//                   ...) or number (1-based), as clicking it does; opens the Startup tab
//   tutorial=NN     guided mode for tutorial NN (as --tutorial NN)
//   step=N          guided mode: go to step N (1-based) and apply its jump
//   answer          guided mode: reveal the current step's answer
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gmps::viewer {

struct ViewCommand {
  enum class Kind : uint8_t {
    Zoom, Measure, Event, Line, Goroutine, Filter, EventKind, Tab, Collapse, Expand, Theme,
    Time, Speed, Panel, Why, Walk, Tutorial, Step, Answer, Play
  };
  Kind kind;
  double t0 = 0, t1 = 0;  // Zoom, Measure
  int64_t n = -1;  // Event, Line, Goroutine; EventKind: trace::Ev; Tab: index; Collapse: Group;
                   // Theme: 1 light, 0 dark; Speed: index into kSpeeds; Panel: kPanels
                   // index; Why: G; Step: 1-based
  std::string text;       // Filter, Walk (step id or number), Tutorial
};

// parseViewCommands appends to out; on a bad command it returns false with err naming
// the command and what was expected (out then holds the commands before it).
bool parseViewCommands(std::string_view text, std::vector<ViewCommand>& out, std::string& err);

// parseTime reads "1500", "1.5us", "1.5µs", "2ms", "0.5s" into nanoseconds.
bool parseTime(std::string_view s, double& ns);

// The bottom tabs, by command name (the order of the indices; not the order drawn).
inline constexpr const char* kStatsTabs[] = {"goroutines", "processors", "latency", "events",
                                             "find",       "scheduler",  "startup"};
inline constexpr int kTabScheduler = 5, kTabStartup = 6;
// The panels a guided step can ask for, in gmps::guide::Panel's order.
inline constexpr const char* kPanels[] = {"timeline",   "scheduler",  "startup", "stats",
                                          "goroutines", "processors", "latency", "events"};
// tabOfPanel: the bottom tab (kStatsTabs index) a panel (kPanels index) opens; -1 for
// "timeline" (no tab) or an index out of range. "stats" opens the Goroutines tab.
int tabOfPanel(int64_t panel);

// InputStep is one step of a scripted user (screenshot tests drive the real mouse and
// keyboard code paths with it). Steps are separated by ';':
//   move X Y            put the mouse at window pixel (X, Y)
//   click [right]       press and release a button where the mouse is
//   dblclick            two left clicks in a row
//   drag X0 Y0 X1 Y1    press at (X0, Y0), move to (X1, Y1), release; rdrag: right button
//   wheel N [shift]     turn the wheel N notches (positive: away from the user)
//   key NAME            press and release a key: a-z, 0-9, esc, enter, home, f1, f5, [, ];
//                       with modifiers as ctrl+o, shift+x
//   hold NAME N         hold a key down for N frames
//   char C              type one character (e.g. "char ?")
//   wait N              let N frames pass
//   drop PATH           drop a file on the window
struct InputStep {
  enum class Kind : uint8_t { Move, Click, DoubleClick, Drag, Wheel, Key, Hold, Char, Wait, Drop };
  Kind kind;
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  int button = 0;  // 0 left, 1 right
  int n = 1;       // wheel notches, hold/wait frames
  bool ctrl = false, shift = false;
  std::string key;  // Key/Hold: lower-case name; Char: the character (UTF-8); Drop: the path
};

bool parseInputScript(std::string_view text, std::vector<InputStep>& out, std::string& err);

}  // namespace gmps::viewer
