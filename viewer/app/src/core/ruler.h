// ruler.h — the time ruler: tick spacing and readable time labels.
//
// Ticks fall on 1/2/5 x 10^k nanoseconds so labels stay round at every zoom.
// Labels pick their unit (ns, µs, ms, s) from the value and as many decimals as
// the tick step needs, so neighbouring labels always differ.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/timeview.h"

namespace gmps::viewer {

struct TickStep {
  double major = 0;  // ns between labelled ticks
  double minor = 0;  // ns between small ticks (divides major)
};

// tickStepFor picks the smallest 1/2/5 x 10^k step whose ticks are at least
// minMajorPx apart at nsPerPx.
TickStep tickStepFor(double nsPerPx, double minMajorPx);

struct Tick {
  double t;    // ns
  double x;    // px from the lanes' left edge
  bool major;
};

// rulerTicks lists the ticks visible in view (major ones labelled by the caller).
std::vector<Tick> rulerTicks(const TimeView& view, double minMajorPx);

// formatDuration writes a duration for people: "850 ns", "12.4 µs", "3.21 ms", "1.50 s".
// Three significant digits, never more than needed.
std::string formatDuration(double ns);

// formatTimestamp writes a ruler label for time t when ticks are step ns apart:
// the unit follows t's magnitude, the decimals follow step ("1.4 ms", "12.3456 s").
std::string formatTimestamp(double t, double step);

}  // namespace gmps::viewer
