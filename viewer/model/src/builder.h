// builder.h — turns a trace into a TraceModel (model-internal).
//
// One pass over the events: the Replayer applies each one and reports what changed
// (Transitions); the builder turns those changes into spans, counter points and
// marks, matches flows, and now and then snapshots the Replayer for seeking. Because
// spans come from the Replayer's transitions, what the lanes show and what
// stateAt() reconstructs can never disagree.
#pragma once

#include <vector>

#include "gmpscope/model/trace_model.h"
#include "replay.h"
#include "snapshots.h"

namespace gmps::model {

class ModelBuilder {
 public:
  ModelBuilder(TraceModel& m, TraceModel::Snapshots& snaps);
  // run builds everything; returns false if progress asked to cancel.
  bool run(LoadProgress* progress);

 private:
  void onEvent(EventIndex i);
  void gMove(const detail::Transitions::GMove& mv, EventIndex i, const Event& e);
  void mMove(const detail::Transitions::MMove& mv, EventIndex i, const Event& e);
  void pMove(const detail::Transitions::PMove& mv, EventIndex i, const Event& e);
  void counters(EventIndex i);
  void marks(EventIndex i, const Event& e);
  void flows(EventIndex i, const Event& e);
  void finishFlows();
  void finishGoroutineLanes();
  void openG(int32_t g, EventIndex i, SpanKind k, int32_t other, uint8_t detail = 0);
  void closeG(int32_t g, EventIndex i);
  ProcLane& procLane(int32_t p);
  MachineLane& machineLane(int32_t m);
  uint8_t runnableCause(const Event& e) const;

  TraceModel& m_;
  TraceModel::Snapshots& snaps_;
  const trace::Trace& t_;
  detail::Replayer r_;
  // Flow ends waiting for their second event, by dense G (or P for handoffs).
  std::vector<EventIndex> pendingStart_;    // GoCreate / GoUnblock -> next GoStart
  std::vector<EventIndex> pendingPreempt_;  // SysmonPreempt -> GoStop(preempted)
  // A HandoffP waiting for the ProcStart of the M it started, by P. handoffp either
  // starts an M for the P (startm: an MUnpark naming the P, or a new M's MStart whose
  // parent is the handing M) or puts it on the idle list, which the trace does not
  // record: a ProcStart by any other M took the P from that list, and is no handoff.
  struct PendingHandoff {
    EventIndex ev = kNoEvent;  // the HandoffP
    int32_t by = -1;           // the M that handed it off
    int32_t to = -1;           // the M startm gave it to, once known
  };
  std::vector<PendingHandoff> pendingHandoff_;
  void handoffStarted(int32_t p, int32_t by, int32_t to);
  std::vector<Flow> flowsByTo_;             // as found: ordered by `to`
  EventIndex nextSnapshot_ = 0;
  // G spans and marks as they are found, all Gs interleaved in event order; sorted
  // into TraceModel::gSpans_/gMarks_ by G (stably) when the pass ends.
  struct GSpan {
    int32_t g;
    Span s;
  };
  struct GMark {
    int32_t g;
    EventIndex ev;
  };
  std::vector<GSpan> gSpanLog_;
  std::vector<GMark> gMarkLog_;
  std::vector<uint32_t> gOpen_;       // by dense G: its last span in gSpanLog_, or kNone
  std::vector<EventIndex> gLastMark_;  // by dense G: its last mark (no duplicates)
  static constexpr uint32_t kNone = UINT32_MAX;
};

}  // namespace gmps::model
