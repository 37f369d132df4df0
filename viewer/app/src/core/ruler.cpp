#include "core/ruler.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace gmps::viewer {
namespace {

struct Unit {
  double ns;
  const char* name;
};
constexpr Unit kUnits[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1, "ns"}};

const Unit& unitFor(double absNs) {
  for (const Unit& u : kUnits)
    if (absNs >= u.ns) return u;
  return kUnits[3];
}

}  // namespace

TickStep tickStepFor(double nsPerPx, double minMajorPx) {
  double want = std::max(1.0, nsPerPx * minMajorPx);
  double p = std::pow(10.0, std::floor(std::log10(want)));
  double major = 10 * p;
  int minorDiv = 5;
  if (p >= want) {
    major = p, minorDiv = 5;
  } else if (2 * p >= want) {
    major = 2 * p, minorDiv = 4;
  } else if (5 * p >= want) {
    major = 5 * p, minorDiv = 5;
  }
  TickStep s{major, major / minorDiv};
  if (s.minor < 1) s.minor = s.major;  // never tick below a nanosecond
  return s;
}

std::vector<Tick> rulerTicks(const TimeView& view, double minMajorPx) {
  std::vector<Tick> out;
  TickStep s = tickStepFor(view.nsPerPx, minMajorPx);
  double t0 = view.startNs, t1 = view.endNs();
  double first = std::floor(t0 / s.minor) * s.minor;
  int perMajor = int(std::lround(s.major / s.minor));
  long long k = std::llround(first / s.minor);
  for (double t = first; t <= t1 + s.minor; t = double(++k) * s.minor) {
    if (t < t0 - s.minor) continue;
    bool major = perMajor <= 1 || k % perMajor == 0;
    out.push_back(Tick{t, view.xOf(t), major});
    if (out.size() > 4096) break;  // defensive: a broken view never hangs the UI
  }
  return out;
}

std::string formatDuration(double ns) {
  char buf[48];
  double a = std::fabs(ns);
  if (a < 1e3) {
    std::snprintf(buf, sizeof buf, "%.0f ns", ns);
    return buf;
  }
  const Unit& u = unitFor(a);
  double v = ns / u.ns;
  double av = std::fabs(v);
  int dec = av >= 100 ? 0 : av >= 10 ? 1 : 2;
  if (u.ns == 1e9 && av >= 100) dec = 0;
  std::snprintf(buf, sizeof buf, "%.*f %s", dec, v, u.name);
  return buf;
}

std::string formatTimestamp(double t, double step) {
  char buf[64];
  if (t == 0) return "0";
  const Unit& u = unitFor(std::fabs(t));
  double rel = step / u.ns;  // the step in the label's unit
  int dec = 0;
  while (dec < 9 && rel * std::pow(10.0, dec) < 0.999) dec++;
  std::snprintf(buf, sizeof buf, "%.*f %s", dec, t / u.ns, u.name);
  return buf;
}

}  // namespace gmps::viewer
