// walkthrough.h — the startup walkthrough and guided tutorials, as the viewer needs
// them: finding the data files at run time, resolving the walkthrough's steps in a
// trace, and mapping a selected event back to its step(s). Pure (no ImGui);
// unit-tested. The files' format and parser are gmpscope_guide's (tutorials/guide).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gmpscope/guide/guide.h"
#include "gmpscope/model/trace_model.h"

namespace gmps::viewer {

using model::EventIndex;

// kTutorialsEnv names the variable that overrides where the tutorials live: a folder
// holding startup_walkthrough.json and the NN-topic/ folders.
inline constexpr const char* kTutorialsEnv = "GMPSCOPE_TUTORIALS";

// tutorialCandidates lists where to look for the tutorials folder, in order: the
// environment variable (when set, the only candidate), then next to an installed
// binary (EXE/../share/gmpscope/tutorials), the source tree a build directory sits in
// (EXE/../../tutorials), the source tree the binary was built from (sourceDir), and
// ./tutorials.
std::vector<std::string> tutorialCandidates(const std::string& envValue, const std::string& exePath,
                                            const std::string& sourceDir);
// findTutorialsDir returns the first candidate holding startup_walkthrough.json, or ""
// with *tried listing where it looked.
std::string findTutorialsDir(const std::vector<std::string>& candidates, std::string* tried);
// tutorialsDir: the same with this process's environment and executable; a folder
// named by the environment variable is taken as it is (its files may be missing).
std::string tutorialsDir(std::string* tried);

// WalkIndex: the walkthrough's steps resolved in one trace.
struct WalkIndex {
  std::vector<EventIndex> events;  // per step; kNoEvent when it did not resolve
  std::vector<std::string> errors; // per step; "" when it resolved
  EventIndex regionEnd = model::kNoEvent;  // the main_main step's event
  EventIndex exitAt = model::kNoEvent;     // the exit step's event
};
WalkIndex indexWalkthrough(const guide::Walkthrough& w, const model::TraceModel& m);

// stepsAt returns the steps (indices) that event e belongs to: inside the startup
// region (up to the main_main step's event, and from the exit step's event on), the
// last step(s) whose event is at or before e; outside it, none.
std::vector<int> stepsAt(const WalkIndex& ix, EventIndex e);

// findTutorial loads the tutorial whose id or slug starts with key ("3", "03",
// "03-work-stealing") from dir/NN-topic/steps.json. On failure the error names the
// file and field, or says which tutorials exist.
guide::Loaded<guide::Tutorial> findTutorial(const std::string& dir, const std::string& key);

}  // namespace gmps::viewer
