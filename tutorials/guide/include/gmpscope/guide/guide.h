// guide.h — the tutorials' data files, loaded, validated and resolved against a trace.
//
// Two kinds of file drive the teaching half of gmpscope (their format is specified
// in tutorials/README.md, "File formats"):
//
//   tutorials/NN-topic/steps.json       one tutorial: how to run its demo, and the
//                                       guided steps the viewer walks through
//   tutorials/startup_walkthrough.json  the startup sequence, step by step, as a
//                                       person would walk it with gdb breakpoints
//
// Every step says where the viewer should go: an event chosen by kind, argument
// filters and occurrence (robust against re-recorded traces), a goroutine, or a time,
// plus the panel to show. resolve() turns that into an event index of a loaded
// TraceModel. Nothing here draws: the viewer (guided mode, startup panel), the CLI
// and the tests share this code.
//
// Nothing in this API throws. Load failures come back as one line naming the file
// and the field: `tutorials/03-work-stealing/steps.json: steps[2].jump.event.args.victim:
// expected an integer (a P id), got "P0"`.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gmpscope/model/trace_model.h"

namespace gmps::guide {

using model::EventIndex;
using model::kNoEvent;
using model::Ns;

inline constexpr const char* kTutorialFormat = "gmpscope-tutorial";
inline constexpr const char* kWalkthroughFormat = "gmpscope-startup-walkthrough";
inline constexpr int kFormatVersion = 1;

// Panel is what the viewer shows for a step. Stats is the statistics panel on its
// Goroutines tab (the same as Goroutines); Goroutines, Processors, Latency and Events
// open the statistics panel on that tab.
enum class Panel : uint8_t { Timeline, Scheduler, Startup, Stats, Goroutines, Processors, Latency, Events, Count };
// panelName: "timeline", "scheduler", "startup", "stats", "goroutines", "processors",
// "latency", "events".
const char* panelName(Panel p);

// ArgFilter is one condition on an event argument (by its position in the event's
// row of events.h).
struct ArgFilter {
  enum class Op : uint8_t {
    Equal,     // Int/G/P/M/Dur/Enum: value == lo (Enum: lo is the index in its table)
    Range,     // Int/G/P/M/Dur: lo <= value <= hi
    Text,      // Str: the string equals text
    Contains,  // GList: the list contains goroutine lo
    Length,    // GList: lo <= length <= hi
  };
  int arg = -1;
  Op op = Op::Equal;
  int64_t lo = 0, hi = 0;
  std::string text;
};

// EventSelector picks one event: the nth event of kind ev (1-based; -1 is the last,
// -2 the one before) that matches every filter, counted among the events after the
// event `after` resolves to, before the event `before` resolves to, and with a
// timestamp in [from, to].
struct EventSelector {
  trace::Ev ev = trace::Ev::Startup;
  std::optional<int32_t> g, p, m;  // the common fields (the G/P/M that recorded it)
  std::vector<ArgFilter> args;
  int nth = 1;
  std::shared_ptr<const EventSelector> after, before;
  std::optional<Ns> from, to;  // ts bounds, inclusive (ns since trace start)
};

// Jump: where the viewer goes for a step. Exactly one target kind.
struct Jump {
  enum class Kind : uint8_t { Event, Goroutine, Time };
  Kind kind = Kind::Event;
  EventSelector event;     // Kind::Event
  int32_t goroutine = -1;  // Kind::Goroutine: the G whose lane to show
  Ns time = 0;             // Kind::Time: ns since trace start
  std::string run;         // which of the tutorial's runs ("" = its main run)
  Panel panel = Panel::Timeline;
  Ns window = 0;           // width of the time range to show around the target; 0: viewer's choice
  int32_t highlight = -1;  // a goroutine to highlight as well; -1: none
};

// Step is one guided step of a tutorial.
struct Step {
  std::string title;
  std::string text;      // the lesson, with the simple markup of tutorials/README.md
  Jump jump;
  std::string look;      // what to look at once there
  std::string question;  // a question for the learner
  std::string answer;    // its answer (shown on request)
};

// Run is one way to run a tutorial's demo, and the committed trace it produced.
struct Run {
  std::string name;  // "main" for the tutorial's own settings
  std::string demo;  // a name `gmpscope list` shows
  int procs = 0;     // GOMAXPROCS (--procs)
  long n = 0;        // the demo's size (--n); 0: the demo's default
  std::vector<std::pair<std::string, std::string>> env;  // e.g. {"GMPDEBUG", "asyncpreemptoff=1"}
  std::string trace;  // committed trace, relative to the repository root
  std::string about;  // one line: what this run shows ("" for main)
};

struct Tutorial {
  std::string file;  // the path it was loaded from (for messages)
  std::string id;    // "03"
  std::string slug;  // "03-work-stealing": its folder under tutorials/
  std::string title;
  std::string summary;
  std::vector<Run> runs;  // runs[0] is "main"
  std::vector<Step> steps;

  // run returns the run called name ("" means "main"), or nullptr.
  const Run* run(std::string_view name) const;
};

// WalkStep is one stop of the startup walkthrough.
struct WalkStep {
  std::string id;     // "rt0_go", "schedule", "panic_wait", ...
  std::string title;
  std::string goWhere;   // Go file and function, "asm_amd64.s rt0_go"
  std::string goWhat;    // what Go does there
  std::string gdb;       // the breakpoint a reader would set in a Go binary
  std::string ourWhere;  // this runtime's file and function, "runtime/src/startup.cpp rt0_go"
  std::string ourWhat;   // what this runtime does there, and where it differs
  std::string traceWhat; // what the learner sees in the trace
  Jump jump;             // the event that identifies the step (Kind::Event)
};

struct Walkthrough {
  std::string file;
  std::string trace;  // the trace it is checked against, relative to the repository root
  std::vector<WalkStep> steps;
};

// Loaded<T> is a parse result: a value, or one line saying what was wrong.
template <typename T>
struct Loaded {
  std::optional<T> value;
  std::string error;
  bool ok() const { return value.has_value(); }
};

// parseTutorial / parseWalkthrough validate text; name is used in messages.
Loaded<Tutorial> parseTutorial(std::string_view text, const std::string& name);
Loaded<Walkthrough> parseWalkthrough(std::string_view text, const std::string& name);
// loadTutorial / loadWalkthrough read a file and parse it.
Loaded<Tutorial> loadTutorial(const std::string& path);
Loaded<Walkthrough> loadWalkthrough(const std::string& path);

// Catalog is every tutorial under a tutorials directory, ordered by id.
struct Catalog {
  std::vector<Tutorial> tutorials;
  std::vector<std::string> errors;  // one line per file that failed to load
  // find returns the tutorial whose id or slug starts with key ("3", "03", "03-work").
  const Tutorial* find(std::string_view key) const;
};
// loadCatalog loads tutorialsDir/NN-*/steps.json. A folder without steps.json is an error.
Catalog loadCatalog(const std::string& tutorialsDir);

// Resolved is a jump made concrete in one trace.
struct Resolved {
  EventIndex event = kNoEvent;  // the event to select and put the play head on
  Ns time = 0;                  // its ts (for Kind::Time: the time asked for)
  int32_t goroutine = -1;       // the G to highlight (-1: none)
  Panel panel = Panel::Timeline;
  Ns window = 0;
  std::string error;  // why it did not resolve; empty on success
  bool ok() const { return error.empty(); }
};

// resolve finds a jump's target in m. An event selector that matches nothing, a G
// that never appears, or a time outside the trace is an error naming the selector.
Resolved resolve(const Jump& j, const model::TraceModel& m);

// findEvent resolves one selector; on failure returns kNoEvent and sets *why.
EventIndex findEvent(const EventSelector& s, const model::TraceModel& m, std::string* why);

// describe renders a selector for people: `the 2nd RunqSteal with p=1, victim=0`.
std::string describe(const EventSelector& s);
std::string describe(const Jump& j);

// formatDuration renders ns the way the files write durations: "1.5ms", "250us".
std::string formatDuration(Ns ns);
// parseDuration reads "1500", "1.5us", "2ms", "0.5s" (and "1500ns") into ns.
bool parseDuration(std::string_view s, Ns& out);

}  // namespace gmps::guide
