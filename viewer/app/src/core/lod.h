// lod.h — level of detail for counter lanes (run-queue lengths).
//
// Spans and marks fold through the model's visibleSpans/visibleMarks (model/lod.h);
// the model only bounds a counter series to the view, so turning a million queue
// samples into at most one column per pixel (showing the maximum, as profilers'
// counter lanes do) lives here.
#pragma once

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gmps::viewer {

// partitionIndex returns the first i in [lo, hi) for which pred(i) is false, given
// pred is true for a prefix — std::partition_point over indices.
template <class Pred>
size_t partitionIndex(size_t lo, size_t hi, Pred pred) {
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (pred(mid))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

// BlockMax answers "largest value in [i, j)" of a fixed series in about
// (j-i)/64 + 128 steps, keeping only one maximum per 64 values, so a step chart of a
// million samples draws one column per pixel cheaply. valueAt(k) reads value k.
class BlockMax {
 public:
  static constexpr size_t kBlock = 64;

  template <class ValueAt>
  void build(size_t n, ValueAt valueAt) {
    n_ = n;
    blocks_.assign((n + kBlock - 1) / kBlock, INT32_MIN);
    for (size_t k = 0; k < n; k++)
      blocks_[k / kBlock] = std::max(blocks_[k / kBlock], int32_t(valueAt(k)));
  }

  // query returns INT32_MIN for an empty range.
  template <class ValueAt>
  int32_t query(size_t i, size_t j, ValueAt valueAt) const {
    int32_t m = INT32_MIN;
    j = std::min(j, n_);
    while (i < j && i % kBlock != 0) m = std::max(m, int32_t(valueAt(i++)));
    while (i + kBlock <= j) {
      m = std::max(m, blocks_[i / kBlock]);
      i += kBlock;
    }
    while (i < j) m = std::max(m, int32_t(valueAt(i++)));
    return m;
  }

  size_t size() const { return n_; }
  size_t memoryBytes() const { return blocks_.capacity() * sizeof(int32_t); }

 private:
  size_t n_ = 0;
  std::vector<int32_t> blocks_;
};

// StepColumn is one drawn piece of a step chart: value v holds over [t0, t1).
struct StepColumn {
  double t0, t1;
  int32_t v;
};

// stepChart turns samples (time-sorted; value i holds from t(i) until t(i+1), the last
// until tEnd) into columns at least pxNs wide: a piece longer than a pixel is drawn as
// is, a pixel with several samples shows their maximum, as a profiler's counter lane.
template <class TimeAt, class ValueAt>
void stepChart(size_t n, TimeAt timeAt, ValueAt valueAt, const BlockMax& bmax,
               double tEnd, double t0, double t1, double pxNs, std::vector<StepColumn>& out) {
  if (n == 0) return;
  size_t i = partitionIndex(0, n, [&](size_t k) { return double(timeAt(k)) <= t0; });
  i = i == 0 ? 0 : i - 1;  // the sample in effect at t0
  double cur = std::max(double(timeAt(i)), t0 - pxNs);
  while (i < n && cur < t1) {
    double e = i + 1 < n ? double(timeAt(i + 1)) : tEnd;
    if (i + 1 >= n && e <= cur) break;
    if (e - cur >= pxNs) {
      out.push_back(StepColumn{cur, e, int32_t(valueAt(i))});
      cur = e;
      i++;
      continue;
    }
    // Several samples share this pixel: one column showing their maximum.
    double colEnd = cur + pxNs;
    size_t j = partitionIndex(i + 1, n, [&](size_t k) { return double(timeAt(k)) < colEnd; });
    out.push_back(StepColumn{cur, colEnd, bmax.query(i, j, valueAt)});
    cur = colEnd;
    i = j - 1;  // the column's last sample is in effect at colEnd
  }
}

}  // namespace gmps::viewer
