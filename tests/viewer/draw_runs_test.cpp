// draw_runs_test.cpp — which GL state the renderer draws each stretch of triangles
// with (core/draw_runs.h). No display needed.
#include "core/draw_runs.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace gmps::viewer {
namespace {

using F = FillState;

std::vector<DrawRun> plan(const std::vector<F>& needs, const std::vector<float>& areas, F& at,
                          float minArea = 100) {
  std::vector<DrawRun> out;
  planRuns(needs, areas, minArea, at, out);
  return out;
}

TEST(DrawRuns, TextStaysTextured) {
  F at = F::None;
  auto r = plan({F::Textured, F::Textured, F::Textured}, {10, 10, 10}, at);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].first, 0u);
  EXPECT_EQ(r[0].count, 3u);
  EXPECT_EQ(r[0].state, F::Textured);
  EXPECT_EQ(at, F::Textured);
}

TEST(DrawRuns, ABigFlatStretchTakesTheCheapestState) {
  F at = F::Textured;
  // A glyph, a lane's two opaque triangles, a translucent fill, another glyph.
  auto r = plan({F::Textured, F::Opaque, F::Opaque, F::Solid, F::Solid, F::Textured},
                {8, 500, 500, 300, 300, 8}, at);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].state, F::Textured);
  EXPECT_EQ(r[1].state, F::Opaque);
  EXPECT_EQ(r[1].first, 1u);
  EXPECT_EQ(r[1].count, 2u);
  EXPECT_EQ(r[2].state, F::Solid);  // opaque cannot blend: a change is forced
  EXPECT_EQ(r[2].count, 2u);
  EXPECT_EQ(r[3].state, F::Textured);
  EXPECT_EQ(at, F::Textured);
}

TEST(DrawRuns, SmallFlatTrianglesRideAlongInTheStateAtHand) {
  F at = F::Textured;
  auto r = plan({F::Opaque, F::Textured, F::Opaque, F::Solid}, {20, 8, 20, 20}, at);
  ASSERT_EQ(r.size(), 1u);  // none pays for a change
  EXPECT_EQ(r[0].state, F::Textured);
  EXPECT_EQ(r[0].count, 4u);
  // In the blended flat state, opaque triangles need no change either.
  at = F::Solid;
  r = plan({F::Opaque, F::Solid, F::Opaque}, {20, 20, 20}, at);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].state, F::Solid);
}

TEST(DrawRuns, AStateThatCannotDrawATriangleIsLeft) {
  F at = F::Opaque;
  auto r = plan({F::Solid, F::Textured}, {10, 10}, at);
  ASSERT_EQ(r.size(), 1u);  // the small translucent one goes to the state that also draws the text
  EXPECT_EQ(r[0].state, F::Textured);
  EXPECT_EQ(at, F::Textured);
}

TEST(DrawRuns, TheStateCarriesOverFromTheLastCommand) {
  F at = F::None;
  auto r = plan({F::Opaque, F::Opaque}, {200, 200}, at);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].state, F::Opaque);
  r = plan({F::Opaque}, {1}, at);  // too small to pay, but already in force
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].state, F::Opaque);
  r = plan({}, {}, at);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(at, F::Opaque);
}

TEST(DrawRuns, RunsCoverEveryTriangleInOrderWithAStateThatDrawsIt) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 200; trial++) {
    size_t n = rng() % 60;
    std::vector<F> needs(n);
    std::vector<float> areas(n);
    for (size_t i = 0; i < n; i++) {
      needs[i] = F(rng() % 3);
      areas[i] = float(rng() % 400);
    }
    F at = F(rng() % 4);
    auto r = plan(needs, areas, at, float(rng() % 1000));
    uint32_t next = 0;
    for (size_t k = 0; k < r.size(); k++) {
      EXPECT_EQ(r[k].first, next) << "trial " << trial;
      EXPECT_GT(r[k].count, 0u);
      if (k > 0) {
        EXPECT_NE(r[k].state, r[k - 1].state) << "neighbouring runs share a state";
      }
      for (uint32_t i = r[k].first; i < r[k].first + r[k].count; i++)
        EXPECT_LE(int(needs[i]), int(r[k].state)) << "trial " << trial << " triangle " << i;
      next += r[k].count;
    }
    EXPECT_EQ(next, n);
    if (n > 0) {
      EXPECT_EQ(at, r.back().state);
    }
  }
}

}  // namespace
}  // namespace gmps::viewer
