// draw_runs.h — which GL state draws each stretch of a frame's triangles.
//
// Under software GL (Mesa's llvmpipe) a pixel costs several times more when the
// fragment shader samples a texture and blends (ImGui's one shader) than when it
// writes a plain colour, and less again without blending. Most of what the viewer
// paints is flat colour: lanes, bands, chips. So the renderer (gl_renderer.h) draws
// each triangle with the cheapest state that gives the same pixels:
//
//   Opaque    a solid colour with alpha 255: no texture, no blending
//   Solid     a solid colour with alpha: no texture, blended
//   Textured  ImGui's own: colour × texture (text, textured lines), blended
//
// Changing state costs too (tens of µs in llvmpipe), so a cheaper state is only taken
// for a stretch of triangles big enough to pay for it; small ones ride along in the
// state at hand if it can draw them. The triangles keep their order: only the state
// that draws them changes. No ImGui or GL here.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace gmps::viewer {

enum class FillState : uint8_t { Opaque, Solid, Textured, None };

struct DrawRun {
  uint32_t first = 0, count = 0;  // triangles [first, first + count)
  FillState state = FillState::Textured;
};

// planRuns sets out to runs that cover triangles 0..needs.size()-1 in order, each
// drawn in a state that can draw all of its triangles (a state can draw a triangle
// whose need is the same or cheaper). areas are the triangles' sizes in pixels. at
// is the state in force before the first triangle (None: none yet); it is updated
// to the state in force after the last. A cheaper state than the one in force is
// taken only for a stretch of at least minArea pixels.
void planRuns(std::span<const FillState> needs, std::span<const float> areas, float minArea,
              FillState& at, std::vector<DrawRun>& out);

}  // namespace gmps::viewer
