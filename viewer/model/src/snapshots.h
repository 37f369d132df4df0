// snapshots.h — periodic copies of the Replayer's state, for seeking (model-internal).
//
// Why snapshots plus replay: replaying a million events takes tens of milliseconds,
// too slow for a cursor dragged across the timeline, while a full copy of the state
// after every event would cost far more memory than the events themselves. A copy is
// taken whenever the events since the last one have paid for it at kBytesPerEvent
// (and at least every 4096 events): a seek replays at most that many events, and
// snapshots cost about kBytesPerEvent per event.
//
// Most live Gs of a busy trace wait in a run queue. Such a G's record says no more
// than where it waits and since when, so it is kept as those two times beside its
// place in the queue (12 bytes with the queue entry, not 28); every other live G
// keeps its whole record. Smaller snapshots can be denser: on the 1M-event spawn
// trace a seek replays at most ~50 000 events instead of ~95 000, in the same memory.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "gmpscope/model/state.h"
#include "gmpscope/model/trace_model.h"
#include "replay.h"

namespace gmps::model {

struct Snapshot {
  struct Proc {
    int32_t m, curg, runnext, stolen;
    EventIndex since;
    uint32_t runqBegin, runqEnd;  // range in runqs
  };
  // Queued: the times of a G that only waits in the queue it sits in; kWhole when its
  // record says more (it is then in live).
  struct Queued {
    EventIndex since, qsince;
  };
  static constexpr EventIndex kWhole = INT32_MIN;
  EventIndex at = 0;  // the state after events [0, at)
  int32_t dead = 0;
  std::vector<std::pair<int32_t, detail::GRec>> live;  // the other live Gs: dense G, record
  std::vector<Proc> ps;
  std::vector<int32_t> runqs;       // every P's local queue, P after P: dense Gs
  std::vector<Queued> runqTimes;    // beside runqs
  std::vector<detail::MRec> ms;
  std::vector<int32_t> global;      // dense Gs
  std::vector<Queued> globalTimes;  // beside global
  size_t bytes() const;
};

// TraceModel::Snapshots: the goroutine id map and the snapshots, oldest first.
struct TraceModel::Snapshots {
  explicit Snapshots(const trace::Trace& t) : ids(t) {}
  detail::GIds ids;
  std::vector<Snapshot> list;

  static constexpr size_t kBytesPerEvent = 6;
  // interval: the events after a snapshot of `bytes` until the next one.
  static EventIndex interval(size_t bytes) {
    return EventIndex(std::max<size_t>(4096, bytes / kBytesPerEvent));
  }
  void take(const detail::Replayer& r, EventIndex at);
  // newest: the newest snapshot at or before `at`, nullptr if there is none (the
  // state is then replayed from the first event).
  const Snapshot* newest(EventIndex at) const;
  // restore sets r (fresh, or reset) to the newest snapshot at or before `at`;
  // returns the index of the first event still to apply.
  EventIndex restore(detail::Replayer& r, EventIndex at) const;
  size_t bytes() const;
};

}  // namespace gmps::model
