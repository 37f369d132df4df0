// rules.h — the legal state transitions of G, M and P, as tables of data.
//
// In the manner of gotraceui's validate.go: each row says, for one event, which
// goroutine / thread / processor it moves, the states it may find it in, and the
// state it leaves it in. The Replayer (replay.cpp) walks these rows for every event;
// nothing else in the model hard-codes which event moves what. The run queues are
// the exception: their contents are checked by the queue operations in queues.cpp,
// because "G7 must be in P1's local queue" is not a state of G7 alone.
#pragma once

#include <cstdint>
#include <string>

#include "gmpscope/model/types.h"

namespace gmps::model::detail {

// Which entity a row is about.
inline constexpr int8_t kSelf = -1;  // the event's own g / m / p field
inline constexpr int8_t kOfG = -2;   // (P rows) the P the row's G is running on

constexpr uint8_t bit(GStatus s) { return uint8_t(1u << int(s)); }
constexpr uint8_t bit(MStatus s) { return uint8_t(1u << int(s)); }

// G rows. to == GStatus::Count: the status stays as it is (the row only checks).
enum GFlag : uint8_t {
  kUnqueued = 1,  // the G must not be sitting in any run queue (or runnext)
  kOnThisM = 2,   // the G must be the one the event's M is running
};
struct GRule {
  Ev ev;
  int8_t arg;  // kSelf or the index of the G argument in the event's row
  uint8_t from;
  GStatus to;
  uint8_t flags;
};

// M rows. to == MStatus::Count: unchanged.
enum MFlag : uint8_t {
  kSetCurG = 1,    // the M now runs the event's G
  kClearCurG = 2,  // the M no longer has a G
};
struct MRule {
  Ev ev;
  int8_t arg;  // kSelf or the index of the M argument
  uint8_t from;
  MStatus to;
  uint8_t flags;
};

// P rows.
enum class PNeed : uint8_t {
  Any,
  Idle,       // held by no M
  HeldByM,    // held by the event's M
  HeldByArgM  // held by the M named by mArg
};
enum class PDo : uint8_t {
  None,
  Acquire,    // the event's M takes the P (and must hold no other)
  Release,    // the P becomes idle
  SetCurG,    // the event's G runs on it (no other G may)
  ClearCurG,  // its G stopped running on it
};
struct PRule {
  Ev ev;
  int8_t arg;  // kSelf, kOfG or the index of the P argument
  PNeed need;
  int8_t mArg;  // HeldByArgM: index of the M argument
  PDo effect;
};

// RulesFor lists the rows of one event, at most two of each kind.
struct RulesFor {
  const GRule* g[2] = {};
  const MRule* m[2] = {};
  const PRule* p[2] = {};
  int ng = 0, nm = 0, np = 0;
};

// rulesFor returns the rows for e (built once from the tables).
const RulesFor& rulesFor(Ev e);

// expectedText names the states of a mask for messages: "runnable", "idle or parked".
std::string expectedText(uint8_t gMask);
std::string expectedMText(uint8_t mMask);

}  // namespace gmps::model::detail
