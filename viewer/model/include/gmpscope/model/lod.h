// lod.h — what part of a lane is visible and how to draw it (Tracy's level of detail).
//
// Timeline drawing runs in two phases: first compute the visible items of each lane
// with these pure functions, then paint them. A lane's spans are time-sorted and do not
// overlap, so the visible range is two binary searches; consecutive spans narrower than
// minPx pixels fold into one item carrying their count, found by jumping (lower_bound)
// rather than walking, so a frame costs O(items * log n) however many spans a lane has.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "gmpscope/model/types.h"

namespace gmps::model {

// ViewGeometry: what the timeline shows. Pixel x of time t is (t - startNs) / nsPerPixel.
struct ViewGeometry {
  Ns startNs = 0;           // time at the left edge
  double nsPerPixel = 1.0;  // > 0
  float widthPx = 0.f;      // visible width in pixels
  Ns endNs() const { return startNs + Ns(double(widthPx) * nsPerPixel); }
  float x(Ns t) const { return float(double(t - startNs) / nsPerPixel); }
};

inline constexpr float kFoldMinPx = 3.f;

// VisibleItem is one thing to paint: a span, or a fold of `count` consecutive spans
// that were each narrower than minPx (draw it as one hatched box and its count).
struct VisibleItem {
  int32_t first;  // index of the first span in the lane's span vector
  int32_t count;  // spans covered; 1 = a single span
  Ns start, end;  // time extent (start of first, end of last)
  float x0, x1;   // pixel extent relative to the left edge (not clamped)
  bool folded() const { return count > 1; }
};

// visibleRange returns [first, last) of the spans that intersect [g.startNs, g.endNs()].
std::pair<size_t, size_t> visibleRange(std::span<const Span> spans, const SpanClock& clock,
                                       const ViewGeometry& g);

// visibleSpans fills out (cleared first) with the items to draw for one lane: wide
// spans one by one, runs of narrow spans folded. Pure; no allocation beyond out.
void visibleSpans(std::span<const Span> spans, const SpanClock& clock, const ViewGeometry& g,
                  std::vector<VisibleItem>& out, float minPx = kFoldMinPx);

// VisibleMark is one instant event to draw, or a cluster of count marks closer than
// minPx to each other (the first mark's event is `first` in the marks vector).
struct VisibleMark {
  int32_t first;
  int32_t count;
  float x;  // pixel of the first mark
};

// visibleMarks does the same for a lane's instant events (sorted event indices).
void visibleMarks(std::span<const EventIndex> marks, const SpanClock& clock,
                  const ViewGeometry& g, std::vector<VisibleMark>& out,
                  float minPx = kFoldMinPx);

// CounterRange: [first, last) of the points of a counter series that affect the view,
// including the point in force at the left edge.
std::pair<size_t, size_t> visibleCounterRange(std::span<const CounterPoint> points,
                                              const SpanClock& clock, const ViewGeometry& g);

}  // namespace gmps::model
