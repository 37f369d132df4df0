// cmd_view.cpp — `gmpscope view [FILE] [--screenshot OUT.png [--size WxH]]`.
//
// A thin bridge to the viewer library (gmpscope_viewer). The frame-time benchmark
// has no flag in ViewOptions yet; GMPSCOPE_BENCH_FRAMES=N turns it on.
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
  if (const char* b = std::getenv("GMPSCOPE_BENCH_FRAMES"); b != nullptr)
    v.benchFrames = std::atoi(b);
  return viewer::run(v);
}

}  // namespace gmps::cli
