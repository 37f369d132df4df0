// lod.cpp — visible ranges and folding of narrow spans (see lod.h).
#include "gmpscope/model/lod.h"

#include <algorithm>
#include <cmath>

namespace gmps::model {
namespace {

// minNs is how many nanoseconds minPx pixels cover (at least 1, so a fold advances).
Ns minNs(const ViewGeometry& g, float minPx) {
  return std::max<Ns>(1, Ns(std::ceil(double(minPx) * g.nsPerPixel)));
}

// firstEndingAtOrAfter: the first span in [b, e) whose end is >= t. Ends are sorted
// because a lane's spans are sorted and do not overlap.
size_t firstEndingAtOrAfter(std::span<const Span> spans, size_t b, size_t e, const SpanClock& c,
                            Ns t) {
  auto it = std::lower_bound(spans.begin() + ptrdiff_t(b), spans.begin() + ptrdiff_t(e), t,
                             [&](const Span& s, Ns v) { return c.end(s) < v; });
  return size_t(it - spans.begin());
}

// gallopEndingAtOrAfter: the same search, but probing from b outwards (b+1, b+2,
// b+4 ...) before bisecting. A fold advances only a few pixels per step, so the answer
// is usually near b: this touches a handful of nearby spans instead of bisecting the
// whole rest of the lane.
size_t gallopEndingAtOrAfter(std::span<const Span> spans, size_t b, size_t e, const SpanClock& c,
                             Ns t) {
  size_t lo = b, step = 1;
  while (lo + step < e && c.end(spans[lo + step - 1]) < t) {
    lo += step;
    step *= 2;
  }
  return firstEndingAtOrAfter(spans, lo, std::min(lo + step, e), c, t);
}

}  // namespace

std::pair<size_t, size_t> visibleRange(std::span<const Span> spans, const SpanClock& clock,
                                       const ViewGeometry& g) {
  Ns t0 = g.startNs, t1 = g.endNs();
  size_t first = firstEndingAtOrAfter(spans, 0, spans.size(), clock, t0);
  auto last = std::upper_bound(spans.begin() + ptrdiff_t(first), spans.end(), t1,
                               [&](Ns v, const Span& s) { return v < clock.start(s); });
  return {first, size_t(last - spans.begin())};
}

void visibleSpans(std::span<const Span> spans, const SpanClock& clock, const ViewGeometry& g,
                  std::vector<VisibleItem>& out, float minPx) {
  out.clear();
  auto [i, e] = visibleRange(spans, clock, g);
  const Ns tiny = minNs(g, minPx);
  while (i < e) {
    Ns s0 = clock.start(spans[i]), end = clock.end(spans[i]);
    size_t j = i + 1;
    if (end - s0 < tiny) {
      // Fold: every following span that ends within minPx of the fold is narrow and
      // close, so take them all in one jump; then one more if it is narrow and its gap
      // is under minPx; repeat until a wide span or a wide gap.
      for (;;) {
        size_t k = gallopEndingAtOrAfter(spans, j, e, clock, end + tiny);
        if (k > j) {
          end = clock.end(spans[k - 1]);
          j = k;
          continue;
        }
        if (j == e) break;
        Ns sj = clock.start(spans[j]), ej = clock.end(spans[j]);
        if (ej - sj >= tiny || sj - end >= tiny) break;
        end = ej;
        j++;
      }
    }
    out.push_back(VisibleItem{int32_t(i), int32_t(j - i), s0, end, g.x(s0), g.x(end)});
    i = j;
  }
}

void visibleMarks(std::span<const EventIndex> marks, const SpanClock& clock, const ViewGeometry& g,
                  std::vector<VisibleMark>& out, float minPx) {
  out.clear();
  const Ns tiny = minNs(g, minPx);
  auto at = [&](EventIndex m) { return clock.at(m); };
  auto from = [&](size_t b, Ns t) {
    return size_t(std::lower_bound(marks.begin() + ptrdiff_t(b), marks.end(), t,
                                   [&](EventIndex m, Ns v) { return at(m) < v; }) -
                  marks.begin());
  };
  size_t i = from(0, g.startNs);
  Ns t1 = g.endNs();
  while (i < marks.size() && at(marks[i]) <= t1) {
    Ns t = at(marks[i]);
    size_t j = std::max(from(i, t + tiny), i + 1);  // every mark within minPx of the first
    out.push_back(VisibleMark{int32_t(i), int32_t(j - i), g.x(t)});
    i = j;
  }
}

std::pair<size_t, size_t> visibleCounterRange(std::span<const CounterPoint> points,
                                              const SpanClock& clock, const ViewGeometry& g) {
  auto after = [&](Ns t) {
    return size_t(std::upper_bound(points.begin(), points.end(), t,
                                   [&](Ns v, const CounterPoint& p) { return v < clock.at(p.ev); }) -
                  points.begin());
  };
  size_t first = after(g.startNs);
  if (first > 0) first--;  // the point in force at the left edge
  return {first, after(g.endNs())};
}

}  // namespace gmps::model
