// why.h — "Why is this G waiting?": where a goroutine sits in the scheduler at the
// play head and what it waits for, in words a learner can check against Go's proc.go.
//
// Everything comes from the reconstructed state (model::SchedState) and the trace:
// the queue and position are the state's; "what happens next" is read from the G's
// own lane (the event that ends its current span) and the RunqGet that picked it, so
// the answer is what the program really did, not a guess. Pure; unit-tested.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gmpscope/model/state.h"
#include "gmpscope/model/trace_model.h"

namespace gmps::viewer {

using model::EventIndex;
using model::kNoEvent;

struct GExplanation {
  int32_t g = -1;
  model::GStatus status = model::GStatus::None;
  std::string headline;               // "G12 is runnable: 3rd in P0's local run queue"
  std::vector<std::string> waitsFor;  // one sentence per reason
  std::string since;                  // "runnable for 35 µs, since it was unblocked by G3"
  std::string next;                   // "at +120 µs P1 steals it and runs it"
};

// Position: where a runnable G sits in s.
struct QueuePosition {
  enum class Where : uint8_t { None, Running, Runnext, Local, Global };
  Where where = Where::None;
  int32_t p = -1;      // the P (Running, Runnext, Local)
  int32_t index = -1;  // 0-based from the queue's head (Local, Global)
  int32_t length = 0;  // the queue's length
};
QueuePosition findG(const model::SchedState& s, int32_t g);

// takenBy: the G that P p's thread has just picked (RunqGet, or the last G of a
// RunqSteal) and is about to start: runnable, out of every queue, not yet running.
// -1 when there is none. It looks back a few events on p, stopping at a GoStart.
int32_t takenBy(const model::TraceModel& m, const model::SchedState& s, EventIndex cur, int32_t p);

// explainG explains G g at the play head: s is the state after events [0, cur], now
// the play head's time.
GExplanation explainG(const model::TraceModel& m, const model::SchedState& s, EventIndex cur,
                      double now, int32_t g);

// SysmonPhase: what sysmon is doing at the play head. A SysmonTick at ts with sleep=d
// means sysmon slept over [ts - d, ts]; before ts - d it was awake since its previous
// tick (working: netpoll, retake, schedtrace), or, when that tick found every P idle,
// waiting for a timer or a wake-up in a sleep the trace does not record (sysmon.cpp
// sysmonwait).
struct SysmonPhase {
  enum class Kind : uint8_t { Unknown, Asleep, Awake, Waiting };
  Kind kind = Kind::Unknown;
  double sleep = 0;   // Asleep: the whole sleep (ns)
  double left = 0;    // Asleep: until it wakes (ns), always within [0, sleep]
  double since = -1;  // Awake/Waiting: since its last tick (ns); -1 before its first tick
};
// sysmonPhase: cur is the last event at the play head, now the play head's time.
SysmonPhase sysmonPhase(const model::TraceModel& m, EventIndex cur, double now);
// sysmonText: the phase in a few words for sysmon's chip ("asleep 20 µs, wakes in 5 µs").
std::string sysmonText(const SysmonPhase& ph);

// ordinal: 1 -> "1st", 2 -> "2nd", 23 -> "23rd", 11 -> "11th".
std::string ordinal(int64_t n);

}  // namespace gmps::viewer
