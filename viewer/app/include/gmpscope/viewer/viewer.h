// viewer.h — the one entry point of the gmpscope desktop viewer.
//
// The CLI's `gmpscope view` fills Options and calls run(). Everything else in
// viewer/app is private to the viewer.
#pragma once

#include <string>

namespace gmps::viewer {

struct Options {
  std::string file;        // trace to open; empty: start with the file browser
  std::string screenshot;  // non-empty: render off-screen to this PNG and exit
  int width = 1600, height = 900;
  // tutorial: guided mode for this tutorial ("03", "3" or "03-work-stealing"): its
  // steps.json is shown beside the timeline, each step's jump applied. With no file,
  // the tutorial's committed trace (traces/) is opened. The tutorials folder is found
  // next to the binary or the sources, or named by GMPSCOPE_TUTORIALS.
  std::string tutorial;
  // commands: where to look once the trace is loaded, e.g. "zoom=100us:300us; event=42;
  // g=7; tab=latency", or for the teaching panels "time=1.2ms; panel=scheduler; why=7",
  // "walk=schedinit", "step=3; answer" (the syntax is in src/core/commands.h). A bad
  // command fails run() with a one-line message before any window opens.
  std::string commands;
  // input: with --screenshot, a scripted user run after loading and before the
  // picture is taken: "move 700 180; click; wheel 3; key f" (src/core/commands.h).
  std::string input;
  // benchFrames > 0: render that many frames while sweeping the zoom from the whole
  // trace down to nanoseconds and back, print frame-time percentiles, exit.
  int benchFrames = 0;
  // Screenshots and benchmarks always ignore (and never write) the user's settings,
  // so they look the same on every machine; this forces it for interactive runs too.
  bool ignoreSettings = false;
  // maxFrames > 0: the interactive window closes itself after that many frames (tests
  // of the interactive path: settings restored and saved, recent files).
  int maxFrames = 0;
};

// run opens the viewer and returns the process exit code: 0, or 1 after printing
// one line on stderr (no display, unwritable screenshot path, a bad trace in
// screenshot mode).
int run(const Options& o);

}  // namespace gmps::viewer
