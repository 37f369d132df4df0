#include "core/timeview.h"

#include <algorithm>
#include <utility>

namespace gmps::viewer {

void TimeView::zoomAt(double x, double factor, double maxNsPerPx) {
  double t = tOf(x);
  nsPerPx = std::clamp(nsPerPx * factor, kMinNsPerPx, std::max(kMinNsPerPx, maxNsPerPx));
  startNs = t - x * nsPerPx;
}

void TimeView::fit(double t0, double t1, double marginPx) {
  if (t1 <= t0) t1 = t0 + 1000;
  double usable = std::max(1.0, double(widthPx) - 2 * marginPx);
  nsPerPx = std::max(kMinNsPerPx, (t1 - t0) / usable);
  startNs = t0 - marginPx * nsPerPx;
}

void TimeView::clampTo(double t0, double t1) {
  double half = 0.5 * nsPerPx * widthPx;
  startNs = std::clamp(startNs, t0 - half, std::max(t0 - half, t1 - half));
}

TimeRange clampRange(TimeRange r, double lo, double hi) {
  if (hi < lo) std::swap(lo, hi);
  if (r.t1 < r.t0) std::swap(r.t0, r.t1);
  const double w = r.width();
  if (w >= hi - lo) return TimeRange{lo, hi};
  if (r.t0 < lo) return TimeRange{lo, lo + w};
  if (r.t1 > hi) return TimeRange{hi - w, hi};
  return r;
}

double maxNsPerPxFor(double spanNs, float widthPx) {
  return std::max(TimeView::kMinNsPerPx * 10, 10.0 * std::max(spanNs, 1000.0) /
                                                  std::max(1.0f, widthPx));
}

}  // namespace gmps::viewer
