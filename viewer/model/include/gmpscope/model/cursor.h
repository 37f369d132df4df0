// cursor.h — the scheduler state at a play head that keeps moving.
//
// TraceModel::stateAfter answers each question from scratch: it restores the nearest
// snapshot and replays the events after it, up to a few tens of thousands. A play
// head mostly moves a little forward at a time (playing, stepping, dragging to the
// right); a StateCursor keeps the state it replayed and goes on from there, so such a
// move costs only the events it passes.
//
//   model::StateCursor c(m);
//   SchedState s = c.stateAfter(i);       // as m.stateAfter(i)
//   SchedState t = c.stateAfter(i + 40);  // replays the 40 events in between
//
// Its answers are TraceModel::stateAfter's exactly: from the same snapshot it applies
// the same events in the same order. A move backwards, or past the next snapshot,
// restores a snapshot just as stateAfter does. Not thread-safe; the model must
// outlive it.
#pragma once

#include <memory>

#include "gmpscope/model/state.h"
#include "gmpscope/model/trace_model.h"

namespace gmps::model {

namespace detail {
class Replayer;
}

class StateCursor {
 public:
  explicit StateCursor(const TraceModel& m);
  ~StateCursor();
  StateCursor(const StateCursor&) = delete;
  StateCursor& operator=(const StateCursor&) = delete;

  // stateAfter: the scheduler after events [0, next) (next is clamped to the trace).
  SchedState stateAfter(EventIndex next);
  const TraceModel& model() const { return m_; }
  // replayed: events applied by the last stateAfter (for benchmarks and tests).
  EventIndex replayed() const { return replayed_; }

 private:
  void seek(EventIndex next);

  const TraceModel& m_;
  std::unique_ptr<detail::Replayer> r_;
  EventIndex base_ = -1;  // the snapshot r_ was restored from (its `at`; 0: the start)
  EventIndex at_ = -1;    // r_ holds the state after events [0, at_); -1: nothing yet
  EventIndex replayed_ = 0;
};

}  // namespace gmps::model
