// timeview.h — the mapping between trace time (ns) and timeline pixels.
//
// TimeView is pure arithmetic with no ImGui in it, so zoom, pan and fit are
// unit-tested with hand-made geometries. x is measured in pixels from the left edge
// of the lanes area (not the window), t in nanoseconds since trace start.
#pragma once

#include <cstdint>

namespace gmps::viewer {

struct TimeView {
  double startNs = 0;     // time at x = 0
  double nsPerPx = 1000;  // zoom: nanoseconds per pixel
  float widthPx = 1000;   // width of the lanes area

  // Zoom limits: deepest zoom shows 1 ns as 50 px; the widest shows ten times the
  // trace so a user never gets lost far outside it.
  static constexpr double kMinNsPerPx = 0.02;

  double endNs() const { return startNs + nsPerPx * widthPx; }
  double xOf(double t) const { return (t - startNs) / nsPerPx; }
  double tOf(double x) const { return startNs + x * nsPerPx; }

  // zoomAt scales the view by factor (<1 zooms in) keeping the time under x fixed.
  void zoomAt(double x, double factor, double maxNsPerPx);
  // pan moves the view right by dx pixels (the content moves left).
  void pan(double dxPx) { startNs += dxPx * nsPerPx; }
  // fit shows [t0, t1] across the width with marginPx of air on either side.
  void fit(double t0, double t1, double marginPx = 12);
  // clampTo keeps the view from leaving [t0, t1] by more than half a screen.
  void clampTo(double t0, double t1);
};

// TimeRange is a range of trace time [t0, t1] in ns.
struct TimeRange {
  double t0 = 0, t1 = 0;
  double width() const { return t1 - t0; }
};

// clampRange keeps a range inside the trace [lo, hi]: a range that starts before lo is
// shifted right to start at lo, one that ends after hi is shifted left to end at hi,
// keeping its width; a range wider than the trace becomes the whole trace.
TimeRange clampRange(TimeRange r, double lo, double hi);

// maxNsPerPxFor returns the zoom-out limit for a trace of the given span.
double maxNsPerPxFor(double spanNs, float widthPx);

}  // namespace gmps::viewer
