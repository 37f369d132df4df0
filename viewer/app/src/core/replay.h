// replay.h — the play head: which event the replay shows, how fast it plays, stepping,
// seeking and scrubbing. Pure arithmetic over the trace's time-sorted events (no
// ImGui), unit-tested in tests/viewer/replay_test.cpp.
//
// The play head sits on an event, `cur`: what the scheduler panel shows is the state
// after events [0, cur] (TraceModel::stateAfter(cur + 1)). cur = -1 is "before the
// first event". While a time-paced speed plays, t runs between events and cur is the
// last event at or before t; event-paced speeds and steps put t on cur's timestamp.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "gmpscope/model/types.h"

namespace gmps::viewer {

using model::Event;
using model::EventIndex;

// Speed is one choice of the speed menu: trace time per wall-clock second, or events
// per wall-clock second (exactly one of the two is > 0).
struct Speed {
  const char* name;
  double nsPerSecond;
  double eventsPerSecond;
};

inline constexpr Speed kSpeeds[] = {
    {"real time", 1e9, 0},         {"100 ms/s", 1e8, 0},      {"10 ms/s", 1e7, 0},
    {"1 ms/s", 1e6, 0},            {"100 µs/s", 1e5, 0},      {"10 µs/s", 1e4, 0},
    {"1 µs/s", 1e3, 0},            {"100 events/s", 0, 100},  {"20 events/s", 0, 20},
    {"5 events/s", 0, 5},          {"2 events/s", 0, 2},      {"1 event/s", 0, 1},
};
inline constexpr int kNumSpeeds = int(sizeof(kSpeeds) / sizeof(kSpeeds[0]));
inline constexpr int kDefaultSpeed = 9;  // 5 events/s: every move can be followed by eye

// speedByName finds a speed by its menu name or a short form ("1ms/s", "5ev/s",
// "realtime"); -1 when none matches.
int speedByName(std::string_view name);

struct ReplayState {
  EventIndex cur = -1;  // the event the play head is on (-1: before the first)
  double t = 0;         // the play head's time, ns since trace start
  bool playing = false;
  int speed = kDefaultSpeed;
  double carry = 0;     // event-paced play: the fraction of the next event already elapsed
};

// seekEvent puts the play head on event e (clamped to [-1, n-1]).
void seekEvent(ReplayState& r, std::span<const Event> ev, EventIndex e);
// seekTime puts the play head at time t: cur becomes the last event with ts <= t.
void seekTime(ReplayState& r, std::span<const Event> ev, double t);
// stepBy moves n events forward (n < 0: back), clamped to the trace.
void stepBy(ReplayState& r, std::span<const Event> ev, int64_t n);
// advance plays dt seconds of wall time at r.speed. Returns whether cur changed. At
// the last event play stops (playing = false).
bool advance(ReplayState& r, std::span<const Event> ev, double dtSeconds);
// togglePlay starts or pauses; starting at the last event rewinds to the first.
void togglePlay(ReplayState& r, std::span<const Event> ev);
// faster / slower move one entry along kSpeeds (clamped).
void faster(ReplayState& r);
void slower(ReplayState& r);

// moveSeconds is how long a move between two states should animate at speed s when
// the play head moved `events` events in one go: short enough to be over before the
// next move at that speed, never longer than 0.35 s, 0 (no animation) for jumps.
double moveSeconds(const ReplayState& r, std::span<const Event> ev, EventIndex from, EventIndex to);

// kMaxAnimatedMove: moves of more events than this (seeks, scrubs) snap without a tween.
inline constexpr int64_t kMaxAnimatedMove = 16;

}  // namespace gmps::viewer
