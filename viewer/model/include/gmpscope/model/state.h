// state.h — the scheduler's state at one instant, rebuilt by replaying the trace.
//
// TraceModel::stateAt(t) answers from the nearest periodic snapshot plus a short
// replay forward, so any instant of a large trace costs a few milliseconds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gmpscope/model/types.h"

namespace gmps::model {

// ProcState is one P (Go's p struct, the parts the trace shows).
struct ProcState {
  int32_t id = -1;
  int32_t m = -1;        // the M holding it; -1 = idle (Go: on sched.pidle)
  int32_t curg = -1;     // the G running on it, -1 = none
  int32_t runnext = -1;  // p.runnext, -1 = empty
  std::vector<int32_t> runq;  // p.runq from head to tail
};

// MachineState is one M (Go's m struct, the parts the trace shows).
struct MachineState {
  int32_t id = -1;
  MStatus status = MStatus::None;
  int32_t p = -1;     // the P it holds, -1 = none
  int32_t curg = -1;  // the G it runs (or whose syscall it is in), -1 = none
  bool sysmon = false;
};

// GoroutineState is one live G (created, not yet dead).
struct GoroutineState {
  int32_t id = -1;
  GStatus status = GStatus::None;
  uint8_t reason = 0;         // trace::BlockReason when Waiting
  EventIndex since = kNoEvent;  // the event that put it in this status
  int32_t m = -1, p = -1;     // where it runs (Running/Syscall), else -1
};

// SchedState is everything after applying events [0, next).
struct SchedState {
  EventIndex next = 0;  // first event not applied
  Ns time = 0;          // the instant asked for
  std::vector<ProcState> procs;          // by P id
  std::vector<int32_t> globalQueue;      // sched.runq from head to tail
  std::vector<int32_t> idleProcs;        // Ps held by no M, ascending
  std::vector<MachineState> machines;    // by M id (only Ms seen so far)
  std::vector<GoroutineState> goroutines;  // live Gs, ascending id
  int32_t deadGoroutines = 0;            // Gs that already ended
};

class TraceModel;

// describeEvent: one sentence for event i that fits its arguments and, where they
// do not say it, the M's neighbouring events (describe.cpp): "GoUnblock of G7 by
// the network poller on M2", "SysmonPreempt ... async=0: the flag only". The fixed
// one-liner for the event kind is trace::eventDef(ev).summary; this is the one for
// this event. "" for an index out of range.
std::string describeEvent(const TraceModel& m, EventIndex i);

}  // namespace gmps::model
