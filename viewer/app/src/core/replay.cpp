#include "core/replay.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace gmps::viewer {
namespace {

EventIndex lastIndex(std::span<const Event> ev) { return EventIndex(ev.size()) - 1; }

double tsOf(std::span<const Event> ev, EventIndex e) {
  if (ev.empty()) return 0;
  return double(ev[size_t(std::max<EventIndex>(e, 0))].ts);
}

// lastAtOrBefore: the last event with ts <= t, -1 when t is before the first.
EventIndex lastAtOrBefore(std::span<const Event> ev, double t) {
  auto it = std::upper_bound(ev.begin(), ev.end(), t,
                             [](double v, const Event& e) { return v < double(e.ts); });
  return EventIndex(it - ev.begin()) - 1;
}

std::string squeeze(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ') out += char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

}  // namespace

int speedByName(std::string_view name) {
  std::string want = squeeze(name);
  for (int i = 0; i < kNumSpeeds; i++) {
    std::string have = squeeze(kSpeeds[i].name);
    if (want == have) return i;
    // Short forms: "5ev/s" for "5events/s", "100us/s" for "100µs/s", "realtime".
    std::string shortForm = have;
    if (size_t p = shortForm.find("events"); p != std::string::npos) shortForm.replace(p, 6, "ev");
    if (size_t p = shortForm.find("event/"); p != std::string::npos) shortForm.replace(p, 5, "ev");
    if (size_t p = shortForm.find("µ"); p != std::string::npos) shortForm.replace(p, std::string("µ").size(), "u");
    if (want == shortForm) return i;
  }
  return -1;
}

void seekEvent(ReplayState& r, std::span<const Event> ev, EventIndex e) {
  r.cur = std::clamp<EventIndex>(e, -1, lastIndex(ev));
  r.t = r.cur >= 0 ? tsOf(ev, r.cur) : tsOf(ev, 0);
  r.carry = 0;
}

void seekTime(ReplayState& r, std::span<const Event> ev, double t) {
  if (ev.empty()) {
    r.cur = -1;
    r.t = 0;
    return;
  }
  t = std::clamp(t, tsOf(ev, 0), tsOf(ev, lastIndex(ev)));
  r.cur = lastAtOrBefore(ev, t);
  r.t = t;
  r.carry = 0;
}

void stepBy(ReplayState& r, std::span<const Event> ev, int64_t n) {
  int64_t to = std::clamp<int64_t>(int64_t(r.cur) + n, -1, int64_t(lastIndex(ev)));
  seekEvent(r, ev, EventIndex(to));
}

bool advance(ReplayState& r, std::span<const Event> ev, double dtSeconds) {
  if (!r.playing || ev.empty()) return false;
  const EventIndex before = r.cur;
  const Speed& s = kSpeeds[std::clamp(r.speed, 0, kNumSpeeds - 1)];
  if (s.eventsPerSecond > 0) {
    r.carry += dtSeconds * s.eventsPerSecond;
    auto whole = int64_t(std::floor(r.carry));
    r.carry -= double(whole);
    if (whole > 0) {
      double keep = r.carry;
      stepBy(r, ev, whole);
      r.carry = keep;
    }
  } else {
    double t = std::max(r.t, r.cur >= 0 ? tsOf(ev, r.cur) : tsOf(ev, 0)) + dtSeconds * s.nsPerSecond;
    // A play head before the first event starts on it.
    if (r.cur < 0) t = std::max(t, tsOf(ev, 0));
    double end = tsOf(ev, lastIndex(ev));
    r.t = std::min(t, end);
    r.cur = lastAtOrBefore(ev, r.t);
  }
  if (r.cur >= lastIndex(ev)) {
    r.playing = false;
    r.carry = 0;
  }
  return r.cur != before;
}

void togglePlay(ReplayState& r, std::span<const Event> ev) {
  if (r.playing) {
    r.playing = false;
    return;
  }
  if (ev.empty()) return;
  if (r.cur >= lastIndex(ev)) seekEvent(r, ev, 0);
  r.playing = true;
  r.carry = 0;
}

void faster(ReplayState& r) { r.speed = std::max(0, r.speed - 1); }
void slower(ReplayState& r) { r.speed = std::min(kNumSpeeds - 1, r.speed + 1); }

double moveSeconds(const ReplayState& r, std::span<const Event> ev, EventIndex from, EventIndex to) {
  int64_t n = std::abs(int64_t(to) - int64_t(from));
  if (n == 0 || n > kMaxAnimatedMove) return 0;
  constexpr double kLongest = 0.35;
  if (!r.playing) return kLongest;
  const Speed& s = kSpeeds[std::clamp(r.speed, 0, kNumSpeeds - 1)];
  if (s.eventsPerSecond > 0) return std::min(kLongest, 0.8 / s.eventsPerSecond);
  // Time-paced: as long as the wall time the move took, within [0.08, 0.35] s.
  double wall = std::fabs(tsOf(ev, to) - tsOf(ev, from)) / s.nsPerSecond;
  return std::clamp(wall, 0.08, kLongest);
}

}  // namespace gmps::viewer
