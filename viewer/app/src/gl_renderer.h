// gl_renderer.h — draws ImGui's draw data with OpenGL 3, in place of ImGui's own
// OpenGL3 backend (whose platform half, imgui_impl_glfw, the viewer still uses).
//
// The pixels are the ones ImGui's backend gives; what differs is the cost under
// software GL: each stretch of triangles is drawn with the cheapest of three GL
// states that paints it the same (core/draw_runs.h) — flat colour with or without
// blending where ImGui would sample its white texel and blend.
#pragma once

#include <imgui.h>

#include <vector>

#include "core/draw_runs.h"

namespace gmps::viewer {

class GlRenderer {
 public:
  // init needs a current GL 3 context; returns false if a shader does not build.
  bool init();
  void shutdown();
  // The font atlas as a texture (again after the fonts change).
  void createFontsTexture();
  void destroyFontsTexture();
  void render(const ImDrawData& dd);

  // What the last render drew in each state, for the benchmark.
  struct Stats {
    double pixels[3] = {};  // by FillState: triangle areas
    int changes = 0;        // state changes
  };
  const Stats& stats() const { return stats_; }

 private:
  struct Program {
    unsigned id = 0;
    int proj = -1;
  };
  void setupState(const ImDrawData& dd, int fbW, int fbH);
  void use(FillState s);
  void drawList(const ImDrawList& dl, const ImDrawData& dd, int fbW, int fbH);
  void drawCommand(const ImDrawList& dl, const ImDrawCmd& c);

  Program textured_, solid_;
  unsigned vao_ = 0, vbo_ = 0, ebo_ = 0, font_ = 0;
  bool baseVertex_ = false;         // glDrawElementsBaseVertex (GL 3.2): lists over 64k vertices
  FillState at_ = FillState::None;  // the planner's state after the last command
  FillState gl_ = FillState::None;  // the state GL is in
  unsigned texture_ = 0;            // bound to unit 0
  std::vector<FillState> needs_;
  std::vector<float> areas_;
  std::vector<DrawRun> runs_;
  Stats stats_;
};

}  // namespace gmps::viewer
