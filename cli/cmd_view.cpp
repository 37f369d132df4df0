// cmd_view.cpp — `gmpscope view [FILE] [--screenshot OUT.png [--size WxH]]
// [--tutorial NN] [--commands CMDS] [--input STEPS] [--bench-frames N]`.
//
// A thin bridge to the viewer library (gmpscope_viewer): ViewOptions' fields go to
// viewer::Options as they are. The environment can set the same things, and wins
// (handy where no flag can be passed, e.g. through `make run` or a test):
//   GMPSCOPE_BENCH_FRAMES=N        frame-time benchmark over N frames, then exit
//   GMPSCOPE_VIEWER_COMMANDS=...   where to look once loaded ("zoom=1ms:2ms; g=7",
//                                  "walk=schedinit", "step=3; answer", "why=12")
//   GMPSCOPE_VIEWER_INPUT=...      with --screenshot, a scripted user ("move 700 180; click")
//   GMPSCOPE_TUTORIAL=NN           guided mode, as --tutorial NN
// Guided mode and the startup walkthrough find tutorials/ next to the binary or the
// sources; GMPSCOPE_TUTORIALS=DIR names it (viewer/app/README.md).
#include <cstdlib>

#include "commands.h"
#include "gmpscope/viewer/viewer.h"

namespace gmps::cli {

int cmdView(const ViewOptions& o) {
  viewer::Options v;
  v.file = o.file;
  v.screenshot = o.screenshot;
  v.width = o.width;
  v.height = o.height;
  v.tutorial = o.tutorial;
  v.benchFrames = o.benchFrames;
  if (!o.commands.empty()) v.commands = o.commands;
  if (!o.input.empty()) v.input = o.input;
  if (const char* b = std::getenv("GMPSCOPE_BENCH_FRAMES"); b != nullptr)
    v.benchFrames = std::atoi(b);
  if (const char* c = std::getenv("GMPSCOPE_VIEWER_COMMANDS"); c != nullptr) v.commands = c;
  if (const char* in = std::getenv("GMPSCOPE_VIEWER_INPUT"); in != nullptr) v.input = in;
  if (const char* t = std::getenv("GMPSCOPE_TUTORIAL"); t != nullptr && t[0] != '\0') v.tutorial = t;
  return viewer::run(v);
}

}  // namespace gmps::cli
