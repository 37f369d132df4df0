// bench_stats.h — the frame-time benchmark's figures (App::runBench): the times of
// each frame, and what it asked of the rasteriser — triangles, and the pixels they
// cover (after the scissor rectangles), in all and per ImGui window. With software GL
// (llvmpipe) a frame costs about so much per triangle plus so much per pixel.
#pragma once

#include <imgui.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gl_renderer.h"

namespace gmps::viewer {

// paintedPixels: the pixels covered by the triangles of dd, counting overlaps (a pixel
// painted twice counts twice). perWindow, if given, gets the share of each draw list
// (by its owner window's name), in draw order.
double paintedPixels(const ImDrawData& dd,
                     std::vector<std::pair<std::string, double>>* perWindow = nullptr);

// BenchFrames: what the benchmark measures of each frame, and its report.
struct BenchFrames {
  std::vector<double> ui, total, presented;  // ms: ui build, + rasterising, + present
  std::vector<double> submit;                // ms: handing the triangles to GL
  std::vector<double> cpu;                   // ms of CPU, all threads, to glFinish
  std::vector<double> painted;               // paintedPixels
  std::vector<double> triangles;             // triangles drawn
  std::vector<double> stateChanges;          // GL state changes (gl_renderer.h)
  double statePixels[3] = {};                // pixels drawn in each FillState, summed
  std::map<std::string, double> windows;     // painted pixels summed, by window
  std::map<std::string, double> windowTris;  // triangles summed, by window
  int64_t vertices = 0, commands = 0;

  // add records the frame's draw data and how the renderer drew it (after the frame
  // is timed: measuring is not its work).
  void add(const ImDrawData& dd, const GlRenderer::Stats& gl);
  // print: percentiles of the times, and how much the frames paint (w x h window).
  void print(int w, int h) const;
  // log writes one CSV line per frame to path.
  void log(const char* path) const;
};

// processCpuMs: CPU time used so far by every thread of this process. Unlike the
// wall clock it barely moves when other programs share the CPUs.
double processCpuMs();

}  // namespace gmps::viewer
