// snapshots.h — periodic copies of the Replayer's state, for seeking (model-internal).
//
// Why snapshots plus replay: replaying a million events takes tens of milliseconds,
// too slow for a cursor dragged across the timeline, while a full copy of the state
// after every event would cost far more memory than the events themselves. A copy
// every max(4096, 4 x live Gs) events keeps both small: a seek replays at most that
// many events, and snapshots cost at most ~5 bytes per event (20 bytes per live G,
// amortised over at least 4 events per live G).
#pragma once

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
  EventIndex at = 0;  // the state after events [0, at)
  int32_t dead = 0;
  std::vector<std::pair<int32_t, detail::GRec>> live;  // dense G and its record
  std::vector<Proc> ps;
  std::vector<int32_t> runqs;
  std::vector<detail::MRec> ms;
  std::vector<int32_t> global;
  size_t bytes() const;
};

// TraceModel::Snapshots: the goroutine id map and the snapshots, oldest first.
struct TraceModel::Snapshots {
  explicit Snapshots(const trace::Trace& t) : ids(t) {}
  detail::GIds ids;
  std::vector<Snapshot> list;

  static EventIndex interval(size_t live) { return EventIndex(std::max<size_t>(4096, 4 * live)); }
  void take(const detail::Replayer& r, EventIndex at);
  // restore sets r (freshly made) to the newest snapshot at or before `at`; returns
  // the index of the first event still to apply.
  EventIndex restore(detail::Replayer& r, EventIndex at) const;
  size_t bytes() const;
};

}  // namespace gmps::model
