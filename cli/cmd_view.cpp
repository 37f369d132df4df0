// cmd_view.cpp — `gmpscope view [FILE] [--screenshot OUT.png [--size WxH]]`.
//
// A thin bridge to the viewer library (gmpscope_viewer). Two viewer features have
// no flag in ViewOptions yet and are read from the environment:
//   GMPSCOPE_BENCH_FRAMES=N        frame-time benchmark over N frames, then exit
//   GMPSCOPE_VIEWER_COMMANDS=...   where to look once loaded ("zoom=1ms:2ms; g=7")
//   GMPSCOPE_VIEWER_INPUT=...      with --screenshot, a scripted user ("move 700 180; click")
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
  return viewer::run(v);
}

}  // namespace gmps::cli
