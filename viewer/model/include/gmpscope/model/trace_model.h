// trace_model.h — the viewer's data model: a loaded trace turned into lanes of spans,
// flows, statistics and replayable scheduler state. No ImGui, GLFW or OpenGL here.
//
// Typical use from the viewer:
//
//   gmps::model::AsyncLoader loader;
//   loader.start("trace.jsonl");             // parses on its own threads
//   ... each frame: draw loader.fraction(); if the user gives up: loader.cancel();
//   if (loader.ready()) { LoadResult r = loader.take(); if (!r.ok()) show(r.error); }
//
//   const TraceModel& m = *r.model;
//   for (const ProcLane& p : m.procs()) {
//     visibleSpans(p.running, m.clock(), geometry, items);   // see lod.h
//     ... paint items ...
//   }
//   SchedState s = m.stateAt(cursorNs);      // the queues at the cursor
//
// A TraceModel is immutable once loaded: every const member may be called from any
// thread concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "gmpscope/model/check.h"
#include "gmpscope/model/lod.h"
#include "gmpscope/model/state.h"
#include "gmpscope/model/stats.h"
#include "gmpscope/model/types.h"
#include "gmpscope/tracer/reader.h"

namespace gmps::model {

struct LoadProgress;

// ProcLane: one P. Spans are time-sorted and do not overlap within each vector.
struct ProcLane {
  int32_t id = -1;
  std::vector<Span> running;  // PRunning: which G runs on the P, GoStart .. GoStop/GoBlock/
                              // GoEnd/GoSyscallBegin (or GoSyscallEnd .. likewise)
  std::vector<Span> held;     // PHeld: which M holds the P, ProcStart .. ProcStop/ProcSteal
  std::vector<CounterPoint> runnext;  // 1 while p.runnext holds a G
  std::vector<CounterPoint> runqLen;  // length of the local queue
  std::vector<EventIndex> marks;      // RunqSteal as thief or victim, SysmonPreempt/Retake of it
};

// MachineLane: one M (OS thread).
struct MachineLane {
  int32_t id = -1;
  bool sysmon = false;     // this M runs sysmon (it recorded SysmonTick)
  std::vector<Span> spans;  // MRunning / MSyscall / MSpinning / MParked
  std::vector<EventIndex> marks;  // MStart, MUnpark (as waker), Wakep, HandoffP, ProcSteal
};

// GoroutineLane: one G, over its whole life. A trace may hold hundreds of thousands of
// Gs with a handful of spans each, so their spans and marks are views into two arrays
// the model holds for all Gs (one allocation each, not two per G).
struct GoroutineLane {
  int32_t id = -1;
  EventIndex created = kNoEvent;    // the GoCreate naming it, if any
  EventIndex ended = kNoEvent;      // its GoEnd, if any
  std::string_view label;           // GoCreate's label ("" when none); points into the trace
  std::span<const Span> spans;        // GRunnable / GRunning / GWaiting / GSyscall
  std::span<const EventIndex> marks;  // GoCreate (as creator), GoUnblock (either side)
};

class StateCursor;

class TraceModel {
 public:
  // build turns a parsed trace into a model. Never throws; a trace that breaks the
  // scheduler's rules still builds (best effort) and firstViolation() says where.
  // progress (optional) advances from its current fraction to 1; if it is cancelled,
  // build returns nullptr.
  static std::unique_ptr<TraceModel> build(trace::Trace&& t, LoadProgress* progress = nullptr);

  const trace::Trace& trace() const { return trace_; }
  const trace::FileHeader& header() const { return trace_.header; }
  std::span<const Event> events() const { return trace_.events; }
  const Event& event(EventIndex i) const { return trace_.events[size_t(i)]; }
  std::string formatEvent(EventIndex i) const { return trace_.formatEvent(i); }
  int64_t lineOf(EventIndex i) const { return trace_.lineOf(i); }

  Ns startTime() const;  // first event's ts (0 for an empty trace)
  Ns endTime() const;    // last event's ts
  SpanClock clock() const { return SpanClock{trace_.events, endTime()}; }
  Ns spanStart(const Span& s) const { return clock().start(s); }
  Ns spanEnd(const Span& s) const { return clock().end(s); }
  // firstEventAtOrAfter: index of the first event with ts >= t (events().size() if none).
  EventIndex firstEventAtOrAfter(Ns t) const;

  const std::vector<ProcLane>& procs() const { return procs_; }           // by P id
  const std::vector<MachineLane>& machines() const { return machines_; }  // by M id
  const std::vector<GoroutineLane>& goroutines() const { return gs_; }    // ascending id
  const GoroutineLane* goroutine(int32_t id) const;  // nullptr if never seen
  const std::vector<EventIndex>& sysmonMarks() const { return sysmon_; }  // SysmonTick/Preempt/Retake
  // sysmonSawAllIdle: whether sysmonMarks()[k] is a SysmonTick that found every P idle.
  // sysmon then waits for a timer or a wake-up (Go: sysmon's sysmonwait), a sleep the
  // trace does not record; after any other tick it works, then sleeps its delay.
  bool sysmonSawAllIdle(size_t k) const { return k < sysmonIdle_.size() && sysmonIdle_[k] != 0; }
  const std::vector<CounterPoint>& globalRunqLen() const { return globalLen_; }
  const std::vector<EventIndex>& startupMarks() const { return startup_; }  // Startup events

  // flows sorted by `from`. flowsTouching appends the indices (into flows()) of flows
  // with an end in events [first, last), each once.
  const std::vector<Flow>& flows() const { return flows_; }
  void flowsTouching(EventIndex first, EventIndex last, std::vector<int32_t>& out) const;

  const TraceStats& stats() const { return stats_; }

  // stateAt: the scheduler after every event with ts <= t. stateAfter: after events
  // [0, next). Both replay from the nearest snapshot (a few ms at most); a play head
  // that keeps moving asks a StateCursor (cursor.h), which goes on from its last answer.
  SchedState stateAt(Ns t) const;
  SchedState stateAfter(EventIndex next) const;

  // The first rule the trace breaks (see check.h), if any; the model is best effort
  // from there on.
  const std::optional<CheckResult>& firstViolation() const { return violation_; }

  // memoryBytes: heap bytes held by the model and its trace (for budgets and benches).
  size_t memoryBytes() const;

  ~TraceModel();
  TraceModel(const TraceModel&) = delete;  // the G lanes point into gSpans_ and gMarks_
  TraceModel& operator=(const TraceModel&) = delete;

 private:
  friend class ModelBuilder;
  friend class StateCursor;  // seeks from snaps_
  TraceModel();
  struct Snapshots;

  trace::Trace trace_;
  std::vector<ProcLane> procs_;
  std::vector<MachineLane> machines_;
  std::vector<GoroutineLane> gs_;
  std::vector<Span> gSpans_;        // every G's spans, G by G (gs_[i].spans views them)
  std::vector<EventIndex> gMarks_;  // every G's marks, likewise
  std::vector<EventIndex> sysmon_, startup_;
  std::vector<uint8_t> sysmonIdle_;  // by sysmon mark: a tick that found every P idle
  std::vector<CounterPoint> globalLen_;
  std::vector<Flow> flows_;
  std::vector<int32_t> flowsByTo_;  // flow indices sorted by `to`
  TraceStats stats_;
  std::optional<CheckResult> violation_;
  std::unique_ptr<Snapshots> snaps_;
};

// LoadProgress: shared between the loading thread and the UI.
struct LoadProgress {
  trace::ReadProgress read;  // fraction 0..1 over the whole load (parse, then build)
  float fraction() const { return read.fraction.load(std::memory_order_relaxed); }
  void cancel() { read.cancel.store(true, std::memory_order_relaxed); }
};

struct LoadResult {
  std::unique_ptr<TraceModel> model;  // set on success
  std::string error;                  // `FILE:LINE: problem`, or "FILE: cancelled"
  std::vector<std::string> warnings;  // e.g. the file was cut short
  bool ok() const { return model != nullptr; }
};

// loadTrace reads and builds a model on the calling thread (parsing on `threads`
// threads). progress may be null. Never throws.
LoadResult loadTrace(const std::string& path, LoadProgress* progress = nullptr,
                     int threads = 2);
// loadTraceText: the same from text in memory (tests, pasted traces).
LoadResult loadTraceText(std::string_view text, const std::string& name = "<memory>");

// AsyncLoader runs loadTrace on a background thread for the UI.
class AsyncLoader {
 public:
  AsyncLoader() = default;
  AsyncLoader(const AsyncLoader&) = delete;
  AsyncLoader& operator=(const AsyncLoader&) = delete;
  ~AsyncLoader();  // cancels and joins a load still running

  // start begins loading path; a load already running is cancelled first.
  void start(const std::string& path, int threads = 2);
  bool busy() const { return thread_.joinable() && !done_.load(std::memory_order_acquire); }
  // ready: a result is waiting to be taken.
  bool ready() const { return thread_.joinable() && done_.load(std::memory_order_acquire); }
  float fraction() const { return progress_ ? progress_->fraction() : 0.f; }
  void cancel() {
    if (progress_) progress_->cancel();
  }
  // take joins the thread and hands over the result; call once ready() is true.
  LoadResult take();

 private:
  std::unique_ptr<LoadProgress> progress_;
  std::atomic<bool> done_{false};  // release: result_ is written before it is set
  LoadResult result_;
  std::thread thread_;
};

}  // namespace gmps::model
