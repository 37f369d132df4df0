// types.h — the small value types the trace model is made of: G/M/P statuses,
// spans, counters and flows. Spans and flows refer to events by index into the
// trace's event array (never by pointer), so the model is a handful of flat vectors.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "gmpscope/tracer/reader.h"

namespace gmps::model {

using trace::Ev;
using trace::Event;
using trace::EventIndex;
using trace::kNoEvent;
using trace::Ns;

// GStatus is a goroutine's state, as Go's runtime2.go names them (_Grunnable ...).
// None: not created yet (Go's _Gidle).
enum class GStatus : uint8_t { None, Runnable, Running, Waiting, Syscall, Dead, Count };
// gStatusName: "runnable", "running", "waiting", "syscall", "dead", "not created".
const char* gStatusName(GStatus s);

// MStatus is what an M (OS thread) is doing. Go has no such enum; these are the
// states proc.go moves an M through (schedule/findRunnable, stopm, execute, syscalls).
enum class MStatus : uint8_t {
  None,      // not started yet
  Idle,      // on its g0 stack in the scheduler, not spinning
  Spinning,  // findRunnable looking for work (nmspinning counts it)
  Parked,    // stopm: asleep on its note
  Running,   // executing a G
  Syscall,   // its G is in a system call
  Count
};
const char* mStatusName(MStatus s);

// SpanKind says what a span means; which lane it lives in follows from the kind.
enum class SpanKind : uint8_t {
  // Goroutine lanes
  GRunnable,  // waiting for a P; detail = why it became runnable (RunnableCause)
  GRunning,   // other = the P it runs on
  GWaiting,   // blocked; detail = trace::BlockReason
  GSyscall,   // in a system call; other = the M
  // Proc lanes
  PRunning,  // other = the G running on the P
  PHeld,     // other = the M holding the P (gaps between PHeld spans: the P is idle)
  // Machine lanes
  MRunning,   // other = the G
  MSyscall,   // other = the G in the system call
  MSpinning,  // between MSpinStart and MSpinStop
  MParked,    // from MPark to MUnpark naming it, or to its own next event
  Count
};
const char* spanKindName(SpanKind k);

// RunnableCause is the event that made a G runnable (GRunnable span detail).
enum class RunnableCause : uint8_t { Created, Unblocked, Yielded, Preempted, SyscallExit };

// Span is one interval of one lane, from event begin to event end.
// end == kNoEvent: still open when the trace ends (ends at TraceModel::endTime()).
struct Span {
  EventIndex begin;
  EventIndex end;
  int32_t other;  // the G, P or M the span is about (see SpanKind), -1 = none
  SpanKind kind;
  uint8_t detail;  // BlockReason for GWaiting, RunnableCause for GRunnable, else 0
  uint16_t reserved = 0;
};
static_assert(sizeof(Span) == 16);

// SpanClock turns span event indices into times. It is all the LOD code needs, so
// tests can build one over a hand-made event array.
struct SpanClock {
  std::span<const Event> events;
  Ns endTime = 0;  // when spans that are still open end
  Ns at(EventIndex i) const { return i == kNoEvent ? endTime : events[size_t(i)].ts; }
  Ns start(const Span& s) const { return at(s.begin); }
  Ns end(const Span& s) const { return at(s.end); }
};

// CounterPoint: the counter has value from event ev until the next point.
struct CounterPoint {
  EventIndex ev;
  int32_t value;
};

// FlowKind: the arrows drawn between related events.
enum class FlowKind : uint8_t {
  Create,   // GoCreate -> first GoStart of newg
  Unblock,  // GoUnblock -> next GoStart of gp
  Steal,    // RunqSteal: victim P -> thief P; count = Gs taken
  Preempt,  // SysmonPreempt -> the GoStop(preempted) of that G
  Handoff,  // HandoffP -> the next ProcStart of that P
  Count
};
const char* flowKindName(FlowKind k);

// Flow links two events. For Steal, from == to is the RunqSteal event itself and
// fromP/toP say between which lanes to draw it.
struct Flow {
  EventIndex from;
  EventIndex to;
  int32_t count;  // Gs moved (Steal), else 1
  int16_t fromP;  // Steal: victim P; else -1
  FlowKind kind;
  uint8_t reserved = 0;
};
static_assert(sizeof(Flow) == 16);

}  // namespace gmps::model
